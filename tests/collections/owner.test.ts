import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectionMilestones, collections, collectionSummaries, emailOutbox, jobs } from "~db/schema";
import { renderEmail } from "~/services/email/render.server";
import { closeCollection, myCollections, ownerCollection, setThankYouMessage, updateCollection } from "~/services/collections/owner.server";
import { COLLECTION_PROGRESS_JOB, nextProgressRun, reachedMilestones, registerCollectionJobs, runCollectionProgress } from "~/services/collections/owner-jobs.server";
import { SignInRequired, systemContext } from "~/services/context";
import { Conflict, Forbidden, Invalid } from "~/services/errors";
import { drainJobs, enqueueJob, unregisterJobHandler } from "~/services/jobs/jobs.server";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { stockholmDay } from "~/utils/dates";
import { createPerson, createStaff } from "../factories";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { giveTo, makeCollection } from "./owner-helpers";

const editFields = (extra: Record<string, string> = {}) => ({ title: "Nytt namn", story: "Ny berättelse.", target: "2 000", endsOn: "", ...extra });

describe("milestones by arithmetic", () => {
  it("counts a milestone reached at exactly its share, never before", () => {
    expect(reachedMilestones(249_99n, 1_000_00n)).toEqual([]);
    expect(reachedMilestones(250_00n, 1_000_00n)).toEqual([25]);
    expect(reachedMilestones(999_99n, 1_000_00n)).toEqual([25, 50, 75]);
    expect(reachedMilestones(5_000_00n, 1_000_00n)).toEqual([25, 50, 75, 100]);
  });
  it("runs on a five-minute grid, one dedupe key per slot", () => {
    expect(nextProgressRun(new Date("2026-11-30T00:41:10Z"))).toEqual({ runAt: new Date("2026-11-30T00:45:00Z"), dedupeKey: "every5m:2026-11-30T00:45" });
    expect(nextProgressRun(new Date("2026-11-30T00:45:00Z")).dedupeKey).toBe("every5m:2026-11-30T00:50");
  });
});

describe.each(dbTargets)("the owner's view (%s)", (target) => {
  const t = useTestDatabase(target);

  it("is the owner's and staff's only: anonymous must sign in, another person is Forbidden and nothing changes", async () => {
    const owner = await createPerson(t.db);
    const other = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id);
    const anon = anonymousContext(t.db);
    const stranger = personContext(t.db, other);
    const calls = [
      (ctx: typeof anon) => ownerCollection(ctx, c.slug),
      (ctx: typeof anon) => updateCollection(ctx, c.slug, { fields: editFields() }),
      (ctx: typeof anon) => setThankYouMessage(ctx, c.slug, { thankYouMessage: "Tack!" }),
      (ctx: typeof anon) => closeCollection(ctx, c.slug),
    ];
    for (const call of calls) {
      await expect(call(anon)).rejects.toBeInstanceOf(SignInRequired);
      await expect(call(stranger)).rejects.toBeInstanceOf(Forbidden);
    }
    await expect(myCollections(anon)).rejects.toBeInstanceOf(SignInRequired);
    expect(await myCollections(stranger)).toEqual([]);
    const [after] = await t.db.select().from(collections).where(eq(collections.id, c.id));
    expect(after).toMatchObject({ title: c.title, status: "open", thankYouMessage: null, targetOre: c.targetOre });
    expect(await t.db.select().from(jobs).where(eq(jobs.dedupeKey, `closed:${c.id}`))).toEqual([]);

    // The owner and staff get in.
    expect((await ownerCollection(personContext(t.db, owner), c.slug)).collection.slug).toBe(c.slug);
    const staff = await createStaff(t.db);
    expect((await ownerCollection(staffContext(t.db, staff.id, "fundraiser"), c.slug)).collection.slug).toBe(c.slug);
    expect((await myCollections(personContext(t.db, owner))).map((r) => r.slug)).toEqual([c.slug]);
  });

  it("shows totals and gifts as the donors chose: Anonym, amount hidden, a greeting staff hid left out", async () => {
    const owner = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id);
    await giveTo(t.db, c, 300, { name: "Kim Öberg", greeting: "Heja!" });
    await giveTo(t.db, c, 200, { name: "Dold Givare", anonymous: true, showAmount: false });
    const hidden = await giveTo(t.db, c, 100, { name: "Tredje", greeting: "Olämplig text" });
    const { payments } = await import("~db/schema");
    await t.db.update(payments).set({ greetingHiddenAt: new Date() }).where(eq(payments.id, hidden.id));
    const view = await ownerCollection(personContext(t.db, owner), c.slug);
    expect(view.raisedOre).toBe(600_00n);
    expect(view.giftCount).toBe(3);
    const byId = new Map(view.gifts.map((g) => [g.id, g]));
    expect(view.gifts).toHaveLength(3);
    expect(view.gifts.find((g) => g.name === "Kim Öberg")).toMatchObject({ amountOre: 300_00n, greeting: "Heja!", greetingHidden: false });
    expect(view.gifts.find((g) => g.name === null)).toMatchObject({ amountOre: null });
    expect(byId.get(hidden.id.toString())).toMatchObject({ greeting: null, greetingHidden: true });
    expect(JSON.stringify(view.gifts, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain("Dold Givare");
  });

  it("edits by the rules of starting one: bad fields refused next to them with nothing written, good ones saved", async () => {
    const owner = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id);
    const ctx = personContext(t.db, owner);
    const refused = await updateCollection(ctx, c.slug, { fields: editFields({ target: "99", endsOn: "2020-01-01", title: "x".repeat(121) }) }).catch((e) => e);
    expect(refused).toBeInstanceOf(Invalid);
    expect(refused.fieldErrors).toMatchObject({ target: "target_min", endsOn: "ends_past", title: "too_long" });
    const notImage = await updateCollection(ctx, c.slug, { fields: editFields(), image: new TextEncoder().encode("<html><script>alert(1)</script>") }).catch((e) => e);
    expect(notImage.fieldErrors).toMatchObject({ image: "image_type" });
    expect((await t.db.select().from(collections).where(eq(collections.id, c.id)))[0]).toMatchObject({ title: c.title, targetOre: c.targetOre, imageId: null });

    await updateCollection(ctx, c.slug, { fields: editFields({ endsOn: stockholmDay() }) });
    await setThankYouMessage(ctx, c.slug, { thankYouMessage: "  Tack <b>alla</b>!  " });
    const [saved] = await t.db.select().from(collections).where(eq(collections.id, c.id));
    expect(saved).toMatchObject({ title: "Nytt namn", story: "Ny berättelse.", targetOre: 2_000_00n, thankYouMessage: "Tack <b>alla</b>!" });
    expect(saved.endsAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("closes early once, with the summary job queued; an ended collection can no longer be edited or closed", async () => {
    const owner = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id);
    const ctx = personContext(t.db, owner);
    await closeCollection(ctx, c.slug);
    expect((await t.db.select().from(collections).where(eq(collections.id, c.id)))[0].status).toBe("closed");
    expect(await t.db.select({ kind: jobs.kind }).from(jobs).where(eq(jobs.dedupeKey, `closed:${c.id}`))).toEqual([{ kind: COLLECTION_PROGRESS_JOB }]);
    await expect(closeCollection(ctx, c.slug)).rejects.toBeInstanceOf(Conflict);
    await expect(updateCollection(ctx, c.slug, { fields: editFields() })).rejects.toBeInstanceOf(Conflict);
  });
});

describe.each(dbTargets)("milestone and summary emails (%s)", (target) => {
  const t = useTestDatabase(target);
  beforeAll(async () => {
    await registerCollectionJobs(t.db);
  });
  afterAll(() => unregisterJobHandler(COLLECTION_PROGRESS_JOB));

  const mails = (id: number, kind: "milestone" | "summary") =>
    t.db.select({ to: emailOutbox.to, key: emailOutbox.dedupeKey, props: emailOutbox.props }).from(emailOutbox).where(like(emailOutbox.dedupeKey, `collection-${kind}:${id}:%`));
  const summaries = (id: number) => t.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `collection-summary:${id}`));

  /** Two due runs of the job, drained by two workers at once, and two direct runs at once. */
  async function concurrentRuns(tag: string) {
    await enqueueJob(t.db, { kind: COLLECTION_PROGRESS_JOB, dedupeKey: `test-a:${tag}` });
    await enqueueJob(t.db, { kind: COLLECTION_PROGRESS_JOB, dedupeKey: `test-b:${tag}` });
    await Promise.all([drainJobs({ db: t.db, kinds: [COLLECTION_PROGRESS_JOB], batchSize: 1 }), drainJobs({ db: t.db, kinds: [COLLECTION_PROGRESS_JOB], batchSize: 1 })]);
    await Promise.all([runCollectionProgress(systemContext(t.db, "test:1")), runCollectionProgress(systemContext(t.db, "test:2"))]);
  }

  it("tells the owner each milestone once, under concurrent runs; a jump past several sends one email for the highest", async () => {
    const owner = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id, { targetOre: 1_000_00n });
    await concurrentRuns("none");
    expect(await mails(c.id, "milestone")).toEqual([]);

    await giveTo(t.db, c, 300);
    await concurrentRuns("30");
    expect((await mails(c.id, "milestone")).map((m) => m.key)).toEqual([`collection-milestone:${c.id}:25`]);

    await giveTo(t.db, c, 500); // 80 %: 50 and 75 passed at once
    await concurrentRuns("80");
    expect(new Set((await mails(c.id, "milestone")).map((m) => m.key))).toEqual(new Set([25, 75].map((p) => `collection-milestone:${c.id}:${p}`)));

    await giveTo(t.db, c, 200);
    await concurrentRuns("100");
    const sent = await mails(c.id, "milestone");
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.key))).toEqual(new Set([25, 75, 100].map((p) => `collection-milestone:${c.id}:${p}`)));
    expect(sent.every((m) => m.to === owner.email)).toBe(true);
    const rows = await t.db.select({ percent: collectionMilestones.percent }).from(collectionMilestones).where(eq(collectionMilestones.collectionId, c.id));
    expect(rows.map((r) => r.percent).sort((a, b) => a - b)).toEqual([25, 50, 75, 100]);
  });

  it("sends a hidden collection no milestone", async () => {
    const owner = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id, { targetOre: 1_000_00n, hiddenAt: new Date() });
    await giveTo(t.db, c, 1000);
    await concurrentRuns(`hidden-${c.id}`);
    expect(await mails(c.id, "milestone")).toEqual([]);
  });

  it("sends the summary once when the collection ends: closed early, or its end date passed", async () => {
    const owner = await createPerson(t.db);
    const closed = await makeCollection(t.db, owner.id);
    const expired = await makeCollection(t.db, owner.id, { targetOre: null });
    const running = await makeCollection(t.db, owner.id, { endsAt: new Date(Date.now() + 86_400_000) });
    await giveTo(t.db, closed, 150);
    await giveTo(t.db, expired, 40);
    await closeCollection(personContext(t.db, owner), closed.slug);
    await t.db.update(collections).set({ endsAt: new Date(Date.now() - 1000) }).where(eq(collections.id, expired.id));
    await concurrentRuns("summary-1");
    await concurrentRuns("summary-2");
    expect(await summaries(running.id)).toEqual([]);
    const [closedMail] = await summaries(closed.id);
    expect(await summaries(closed.id)).toHaveLength(1);
    expect(closedMail).toMatchObject({ to: owner.email, template: "collection-summary" });
    expect(closedMail.props).toMatchObject({ raisedOre: "15000", giftCount: 1, targetOre: "100000" });
    expect(await summaries(expired.id)).toHaveLength(1);
    expect(await t.db.select().from(collectionSummaries).where(and(eq(collectionSummaries.collectionId, closed.id)))).toHaveLength(1);
  });

  it("renders the owner's own text in the emails as text, never as HTML", async () => {
    const identity = await getCharityIdentity(t.db);
    const title = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
    for (const [template, props] of [
      ["collection-milestone", { title, percent: 50, raisedOre: "50000", targetOre: "100000", url: "http://x/c/a", manageUrl: "http://x/account/collections/a" }],
      ["collection-summary", { title, raisedOre: "50000", targetOre: null, giftCount: 2, url: "http://x/c/a", manageUrl: "http://x/account/collections/a" }],
    ] as const) {
      const mail = await renderEmail(template, "sv", props, identity);
      expect(mail.html).not.toContain("<script>");
      expect(mail.html).not.toContain("<img src=x");
      expect(mail.html).toContain("&lt;script&gt;");
    }
  });
});
