import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, collectionReports, collections, payments } from "~db/schema";
import {
  collectionForModeration,
  handleReport,
  hideCollection,
  hideGreeting,
  moderationOverview,
  publicGreeting,
  reportCollection,
  reportRateLimit,
  requireVisibleCollection,
  restoreCollection,
  restoreGreeting,
} from "~/services/collections/moderation.server";
import { SignInRequired, type ServiceContext } from "~/services/context";
import { Forbidden, Gone, Invalid, ServiceError } from "~/services/errors";
import { createPerson, createStaff, unique } from "../factories";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { giveTo, makeCollection } from "./owner-helpers";

describe.each(dbTargets)("collection moderation (%s)", (target) => {
  const t = useTestDatabase(target);
  const reportsOf = async (id: number) => (await t.db.select({ n: count() }).from(collectionReports).where(eq(collectionReports.collectionId, id)))[0].n;

  it("lets anyone report a visible collection, checks the form, and limits each client like sign-in requests", async () => {
    const owner = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id);
    const anon = anonymousContext(t.db);
    const client = `client-${unique()}`;
    await reportCollection(anon, c.slug, { reason: '<script>alert(1)</script>"><img src=x onerror=alert(2)>', email: "" }, client);
    const bad = await reportCollection(anon, c.slug, { reason: "   ", email: "inte-en-adress" }, client).catch((e) => e);
    expect(bad).toBeInstanceOf(Invalid);
    expect(bad.fieldErrors).toMatchObject({ reason: "required", email: "email_invalid" });
    for (let i = 1; i < reportRateLimit.max; i++) await reportCollection(anon, c.slug, { reason: `Anmälan ${i}`, email: "Anna@Example.com" }, client);
    const limited = await reportCollection(anon, c.slug, { reason: "En till", email: "" }, client).catch((e) => e);
    expect(limited).toBeInstanceOf(ServiceError);
    expect(limited.status).toBe(429);
    expect(limited.headers["Retry-After"]).toMatch(/^\d+$/);
    expect(await reportsOf(c.id)).toBe(reportRateLimit.max);
    // Another client is not held back by the first one.
    await reportCollection(anon, c.slug, { reason: "Annan klient", email: "" }, `other-${unique()}`);
    expect(await reportsOf(c.id)).toBe(reportRateLimit.max + 1);
    const rows = await t.db.select().from(collectionReports).where(eq(collectionReports.collectionId, c.id));
    expect(rows.find((r) => r.reporterEmail)?.reporterEmail).toBe("anna@example.com");
    expect(rows.some((r) => r.reason.startsWith("<script>"))).toBe(true);
  });

  it("keeps every moderation service to staff: anonymous must sign in, a person (even the owner) is Forbidden, nothing changes", async () => {
    const owner = await createPerson(t.db);
    const c = await makeCollection(t.db, owner.id);
    const gift = await giveTo(t.db, c, 100, { greeting: "Hej" });
    await reportCollection(anonymousContext(t.db), c.slug, { reason: "Fel", email: "" }, `c-${unique()}`);
    const [report] = await t.db.select().from(collectionReports).where(eq(collectionReports.collectionId, c.id));
    const calls: ((ctx: ServiceContext) => Promise<unknown>)[] = [
      (ctx) => moderationOverview(ctx),
      (ctx) => collectionForModeration(ctx, c.id),
      (ctx) => hideCollection(ctx, { collectionId: String(c.id), reason: "Test" }),
      (ctx) => restoreCollection(ctx, { collectionId: String(c.id) }),
      (ctx) => hideGreeting(ctx, { paymentId: gift.id.toString(), reason: "Test" }),
      (ctx) => restoreGreeting(ctx, { paymentId: gift.id.toString() }),
      (ctx) => handleReport(ctx, { reportId: report.id.toString() }),
    ];
    for (const call of calls) {
      await expect(call(anonymousContext(t.db))).rejects.toBeInstanceOf(SignInRequired);
      await expect(call(personContext(t.db, owner))).rejects.toBeInstanceOf(Forbidden);
    }
    const [after] = await t.db.select().from(collections).where(eq(collections.id, c.id));
    expect(after.hiddenAt).toBeNull();
    expect((await t.db.select().from(payments).where(eq(payments.id, gift.id)))[0].greetingHiddenAt).toBeNull();
    expect((await t.db.select().from(collectionReports).where(eq(collectionReports.id, report.id)))[0].handledAt).toBeNull();
  });

  it("hides a collection with a reason (audited, its reports handled, 410 to the public) and restores it", async () => {
    const owner = await createPerson(t.db);
    const staff = await createStaff(t.db);
    const ctx = staffContext(t.db, staff.id, "fundraiser");
    const c = await makeCollection(t.db, owner.id);
    await reportCollection(anonymousContext(t.db), c.slug, { reason: "Bedrägeri?", email: "" }, `c-${unique()}`);
    expect((await moderationOverview(ctx)).reports.map((r) => r.slug)).toContain(c.slug);
    expect((await moderationOverview(ctx)).collections.find((r) => r.id === c.id)).toMatchObject({ openReports: 1, hiddenAt: null });

    const noReason = await hideCollection(ctx, { collectionId: String(c.id), reason: "" }).catch((e) => e);
    expect(noReason.fieldErrors).toMatchObject({ reason: "required" });
    expect(await requireVisibleCollection(t.db, c.slug)).toBe(c.id);

    await hideCollection(ctx, { collectionId: String(c.id), reason: "Vilseledande berättelse" });
    await expect(requireVisibleCollection(t.db, c.slug)).rejects.toBeInstanceOf(Gone);
    await expect(reportCollection(anonymousContext(t.db), c.slug, { reason: "Igen", email: "" }, `c-${unique()}`)).rejects.toBeInstanceOf(Gone);
    const [hidden] = await t.db.select().from(collections).where(eq(collections.id, c.id));
    expect(hidden).toMatchObject({ hiddenReason: "Vilseledande berättelse", hiddenByPersonId: staff.id });
    expect((await moderationOverview(ctx)).reports.map((r) => r.slug)).not.toContain(c.slug);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.actorPersonId, staff.id));
    expect(audit.map((a) => [a.action, a.details])).toContainEqual(["collection_hidden", { collection: c.slug, reason: "Vilseledande berättelse" }]);

    await restoreCollection(ctx, { collectionId: String(c.id) });
    expect(await requireVisibleCollection(t.db, c.slug)).toBe(c.id);
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, "collection_restored"))).length).toBeGreaterThan(0);
  });

  it("hides a single greeting from the public while the gift still counts, and restores it", async () => {
    const owner = await createPerson(t.db);
    const staff = await createStaff(t.db, "admin");
    const ctx = staffContext(t.db, staff.id);
    const c = await makeCollection(t.db, owner.id);
    const gift = await giveTo(t.db, c, 250, { greeting: "Något elakt" });
    const other = await giveTo(t.db, c, 50, { greeting: "Lycka till!" });
    const shown = async () =>
      (await t.db.select({ id: payments.id, greeting: publicGreeting }).from(payments).where(eq(payments.collectionId, c.id))).map((r) => [r.id.toString(), r.greeting] as const);
    await hideGreeting(ctx, { paymentId: gift.id.toString(), reason: "Kränkande" });
    expect(new Map(await shown())).toEqual(new Map([[gift.id.toString(), null], [other.id.toString(), "Lycka till!"]]));
    const detail = await collectionForModeration(ctx, c.id);
    expect(detail.greetings.find((g) => g.id === gift.id.toString())).toMatchObject({ greeting: "Något elakt", greetingHiddenReason: "Kränkande" });
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, "greeting_hidden"))).map((a) => a.details)).toContainEqual({ payment: gift.id.toString(), reason: "Kränkande" });
    await restoreGreeting(ctx, { paymentId: gift.id.toString() });
    expect(new Map(await shown()).get(gift.id.toString())).toBe("Något elakt");
  });

  it("marks a report handled once; a bad id is refused, not a 500", async () => {
    const owner = await createPerson(t.db);
    const staff = await createStaff(t.db);
    const ctx = staffContext(t.db, staff.id, "fundraiser");
    const c = await makeCollection(t.db, owner.id);
    await reportCollection(anonymousContext(t.db), c.slug, { reason: "Spam", email: "" }, `c-${unique()}`);
    const [report] = await t.db.select().from(collectionReports).where(eq(collectionReports.collectionId, c.id));
    await handleReport(ctx, { reportId: report.id.toString() });
    expect((await handleReport(ctx, { reportId: report.id.toString() }).catch((e) => e)).status).toBe(409);
    expect((await handleReport(ctx, { reportId: "1e9" }).catch((e) => e)).status).toBe(400);
    expect((await handleReport(ctx, { reportId: "99999999999" }).catch((e) => e)).status).toBe(404);
    expect((await hideGreeting(ctx, { paymentId: "-1", reason: "x" }).catch((e) => e)).status).toBe(400);
    expect((await hideCollection(ctx, { collectionId: "99999999999", reason: "x" }).catch((e) => e)).status).toBe(400);
  });
});
