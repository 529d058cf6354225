import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { collectionImages, collections, type Payment } from "~db/schema";
import { SignInRequired } from "~/services/context";
import { collectionImage, createCollection } from "~/services/collections/create.server";
import { collectionsForGoal, collectionTotals, getCollectionBySlug } from "~/services/collections/collections.server";
import { slugify } from "~/services/collections/slug";
import { ServiceError } from "~/services/errors";
import { markPaymentPaid, recordPayment, reversePayment, type RecordPaymentInput } from "~/services/payments/core.server";
import { stockholmDay } from "~/utils/dates";
import { createOrganisation, createPerson, goalId, unique } from "../factories";
import { anonymousContext, personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

/** The refusal's status and field codes (or throws if it was accepted). */
async function refusal(work: Promise<unknown>): Promise<{ status: number; fields: Record<string, string> }> {
  try {
    await work;
  } catch (e) {
    if (e instanceof ServiceError) return { status: e.status, fields: e.fieldErrors ?? {} };
    throw e;
  }
  throw new Error("accepted");
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe("slugify", () => {
  it("makes readable addresses of Swedish titles", () => {
    expect(slugify("Löparglädje för Ingen ensamhet!")).toBe("lopargladje-for-ingen-ensamhet");
    expect(slugify("Åsas & Öjvinds 50-årskalas")).toBe("asas-ojvinds-50-arskalas");
    expect(slugify("<script>alert(1)</script>")).toBe("script-alert-1-script");
    expect(slugify("!!")).toBe("insamling");
    expect(slugify("x".repeat(100))).toHaveLength(60);
  });
});

describe.each(dbTargets)("collections (%s)", (target) => {
  const t = useTestDatabase(target);
  const fields = (extra: Record<string, string> = {}) => ({
    title: "Springet för psykisk hälsa",
    story: "Jag springer Vårruset.\n\nVarje krona går till samtalsstöd.",
    goal: "ingen-psykisk-ohalsa",
    target: "5 000",
    endsOn: "",
    organisation: "",
    slug: "",
    ...extra,
  });
  const count = async () => (await t.db.select({ id: collections.id }).from(collections)).length;

  async function paid(input: Partial<RecordPaymentInput> & Pick<RecordPaymentInput, "amountOre" | "source">): Promise<Payment> {
    return t.db.transaction(async (tx) => {
      const row = await recordPayment(tx, { channel: "collection", goalId: null, origin: "app", ...input });
      return markPaymentPaid(tx, row, { paidAt: new Date(), author: "test" });
    });
  }
  const refund = (payment: Payment, amountOre: bigint) => t.db.transaction((tx) => reversePayment(tx, payment, { amountOre, reason: "refund", author: "test" }));

  it("starts a collection for a signed-in person: readable slug, suffix when taken, image stored with its type", async () => {
    const person = await createPerson(t.db);
    const ctx = personContext(t.db, person);
    const title = `Springet ${unique()}`;
    const first = await createCollection(ctx, { fields: fields({ title, endsOn: addDays(stockholmDay(), 30) }), image: PNG });
    const second = await createCollection(ctx, { fields: fields({ title }) });
    expect(first.slug).toBe(slugify(title));
    expect(second.slug).toBe(`${slugify(title)}-2`);
    const row = await getCollectionBySlug(t.db, first.slug);
    expect(row).toMatchObject({ title, goalSlug: "ingen-psykisk-ohalsa", ownerPersonId: person.id, targetOre: 5_000_00n, status: "open", kind: "single" });
    // Ends when the chosen day does in Stockholm (23:00 or 22:00 UTC the same day).
    expect(row!.endsAt!.toISOString()).toMatch(new RegExp(`^${addDays(stockholmDay(), 30)}T2[23]:00:00.000Z$`));
    const image = await collectionImage(anonymousContext(t.db), first.slug);
    expect(image?.contentType).toBe("image/png");
    expect([...image!.bytes]).toEqual([...PNG]);
    expect(await collectionImage(anonymousContext(t.db), second.slug)).toBeNull();
  });

  it("refuses bad input with a code per field and writes nothing", async () => {
    const person = await createPerson(t.db);
    const other = await createOrganisation(t.db);
    const ctx = personContext(t.db, person);
    const before = await count();
    const imagesBefore = (await t.db.select().from(collectionImages)).length;
    const cases: Array<[Record<string, string>, Uint8Array | null, Record<string, string>]> = [
      [{ title: "x".repeat(121) }, null, { title: "too_long" }],
      [{ title: "" }, null, { title: "required" }],
      [{ story: "y".repeat(5001) }, null, { story: "too_long" }],
      [{ target: "99" }, null, { target: "target_min" }],
      [{ target: "femtio" }, null, { target: "target_invalid" }],
      [{ endsOn: addDays(stockholmDay(), -1) }, null, { endsOn: "ends_past" }],
      [{ endsOn: "2026-02-30" }, null, { endsOn: "ends_invalid" }],
      [{ goal: "ingen-sadan" }, null, { goal: "goal_unknown" }],
      [{ organisation: String(other.id) }, null, { organisation: "organisation_not_yours" }],
      [{ slug: "A B" }, null, { slug: "slug_invalid" }],
      [{}, new TextEncoder().encode('<html><script>alert(1)</script>'), { image: "image_type" }],
      [{}, (() => { const big = new Uint8Array(2 * 1024 * 1024 + 1); big.set(PNG); return big; })(), { image: "image_too_big" }],
    ];
    for (const [extra, image, expected] of cases) {
      const r = await refusal(createCollection(ctx, { fields: fields(extra), image }));
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.fields, JSON.stringify(extra)).toMatchObject(expected);
    }
    // A slug typed by the person that is taken: 409 next to the field.
    const taken = await createCollection(ctx, { fields: fields({ title: `Tagen ${unique()}` }) });
    const r = await refusal(createCollection(ctx, { fields: fields({ slug: taken.slug }) }));
    expect(r).toEqual({ status: 409, fields: { slug: "slug_taken" } });
    expect(await count()).toBe(before + 1);
    expect((await t.db.select().from(collectionImages)).length).toBe(imagesBefore);
    // Anonymous: sign in first.
    await expect(createCollection(anonymousContext(t.db), { fields: fields() })).rejects.toBeInstanceOf(SignInRequired);
    expect(await count()).toBe(before + 1);
  });

  it("keeps <script> and onerror text as text", async () => {
    const person = await createPerson(t.db);
    const evil = `"><img src=x onerror=alert(1)> <script>alert(2)</script>`;
    const made = await createCollection(personContext(t.db, person), { fields: fields({ title: evil, story: evil }) });
    const row = await getCollectionBySlug(t.db, made.slug);
    expect(row).toMatchObject({ title: evil, story: evil });
    expect(made.slug).toMatch(/^[a-z0-9-]+$/);
  });

  it("organisation: one the person is a contact of is accepted", async () => {
    const org = await createOrganisation(t.db, {}, { contacts: 1 });
    const contact = org.contacts[0];
    const ctx = personContext(t.db, { id: contact.id, organisations: [{ organisationId: org.id, isAdmin: false }] });
    const made = await createCollection(ctx, { fields: fields({ organisation: String(org.id), title: `Kollegorna ${unique()}` }) });
    expect((await getCollectionBySlug(t.db, made.slug))?.organisationId).toBe(org.id);
  });

  it("totals: from the ledger, net of refunds; a team includes its member pages; the goal lists active ones most raised first", async () => {
    const owner = await createPerson(t.db);
    const goal = await goalId(t.db, "ingen-ensamhet");
    const mk = async (extra: Partial<typeof collections.$inferInsert> = {}) =>
      (await t.db.insert(collections).values({ slug: `c-${unique()}`, title: "Insamling", goalId: goal, ownerPersonId: owner.id, ...extra }).returning())[0];
    const team = await mk({ kind: "team", targetOre: 1_000_00n });
    const member = await mk({ parentCollectionId: team.id });
    const small = await mk();
    const closed = await mk({ status: "closed" });
    const ended = await mk({ endsAt: new Date(Date.now() - 1000) });
    const hidden = await mk({ hiddenAt: new Date(), hiddenReason: "test" });
    await paid({ goalId: goal, amountOre: 5_000_00n, source: { collectionId: hidden.id } });
    await paid({ goalId: goal, amountOre: 300_00n, source: { collectionId: member.id } });
    const toTeam = await paid({ goalId: goal, amountOre: 200_00n, source: { collectionId: team.id } });
    await paid({ goalId: goal, amountOre: 50_00n, source: { collectionId: small.id } });
    await paid({ goalId: goal, amountOre: 900_00n, source: { collectionId: closed.id } });
    // A pending payment is not money yet.
    await t.db.transaction((tx) => recordPayment(tx, { channel: "collection", goalId: goal, origin: "app", amountOre: 700_00n, source: { collectionId: small.id } }));

    let totals = await collectionTotals(t.db, [team.id, member.id, small.id, 2_000_000_000]);
    expect(totals.get(team.id)).toEqual({ raisedOre: 500_00n, giftCount: 2 });
    expect(totals.get(member.id)).toEqual({ raisedOre: 300_00n, giftCount: 1 });
    expect(totals.get(small.id)).toEqual({ raisedOre: 50_00n, giftCount: 1 });
    expect(totals.get(2_000_000_000)).toEqual({ raisedOre: 0n, giftCount: 0 });

    const partlyRefunded = await refund(toTeam, 150_00n);
    totals = await collectionTotals(t.db, [team.id]);
    expect(totals.get(team.id)).toEqual({ raisedOre: 350_00n, giftCount: 2 });
    await refund(partlyRefunded, 50_00n);
    expect((await collectionTotals(t.db, [team.id])).get(team.id)).toEqual({ raisedOre: 300_00n, giftCount: 1 });

    const listed = await collectionsForGoal(t.db, goal);
    const ids = listed.map((c) => c.id);
    expect(ids.indexOf(team.id)).toBeLessThan(ids.indexOf(small.id));
    expect(ids).not.toContain(member.id);
    expect(ids).not.toContain(closed.id);
    expect(ids).not.toContain(ended.id);
    expect(ids).not.toContain(hidden.id);
    expect(listed.find((c) => c.id === team.id)).toMatchObject({ raisedOre: 300_00n, targetOre: 1_000_00n, giftCount: 1 });
    expect(await t.db.select().from(collections).where(eq(collections.id, 2_000_000_000))).toEqual([]);
  });
});
