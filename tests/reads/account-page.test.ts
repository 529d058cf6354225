import { asc, eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { goals, monthlyGifts, organisations, payments, settings } from "~db/schema";
import { ACCOUNT_GIFT_LIMIT, giftsOf, monthlyGiftsOf, sessionsOf } from "~/services/account/account.server";
import { accountOverview } from "~/services/account/overview.server";
import { createSession } from "~/services/auth/sessions.server";
import { getCharityIdentity } from "~/services/settings/charity.server";
import type { Locale } from "~/i18n/messages";
import { addContact, createOrganisation, createPerson } from "../factories";
import { personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { countStatements } from "../setup/statements";

/**
 * Issue 10 item 6: /account reads everything it shows in one statement (accountOverview), and that statement
 * gives what the separate reads give (giftsOf, monthlyGiftsOf, sessionsOf, the organisations, the charity's
 * identity), which tests/identity/account.test.ts holds to the person's own.
 */
describe.each(dbTargets)("/account's one read on %s", (target) => {
  const t = useTestDatabase(target);
  afterEach(() => vi.restoreAllMocks());

  let person: { id: number; email: string };
  let memberships: { organisationId: number; isAdmin: boolean }[];
  let sessionId: string;

  beforeAll(async () => {
    person = await createPerson(t.db, { email: "ann-account@example.com" });
    const [b, a] = [await createOrganisation(t.db, { name: "Bageriet Demo AB" }), await createOrganisation(t.db, { name: "Ateljén Demo AB" })];
    await addContact(t.db, b.id, person.id, { isAdmin: true });
    await addContact(t.db, a.id, person.id);
    memberships = [
      { organisationId: b.id, isAdmin: true },
      { organisationId: a.id, isAdmin: false },
    ];
    const [{ id: goalId }] = await t.db.select({ id: goals.id }).from(goals).where(eq(goals.slug, "ingen-ensamhet"));
    // More gifts than the page shows, some paid, some not; an address typed with capitals; someone else's.
    const start = Date.UTC(2025, 0, 1);
    await t.db.insert(payments).values(
      Array.from({ length: ACCOUNT_GIFT_LIMIT + 5 }, (_, i) => ({
        channel: i % 7 === 0 ? "monthly_gift" : "one_off_gift",
        amountOre: BigInt(10_000 + i),
        refundedOre: i % 11 === 0 ? 500n : 0n,
        status: i % 5 === 0 ? "failed" : "paid",
        method: i % 2 ? "card" : "swish",
        goalId: i % 3 ? goalId : null,
        donorEmail: i % 4 ? "ann-account@example.com" : "Ann-Account@Example.com",
        // Two gifts at the same moment, so the order by id decides; the failed ones dated when they were started.
        paidAt: i % 5 === 0 ? null : new Date(start + Math.floor(i / 2) * 86_400_000),
      })),
    );
    await t.db.insert(payments).values({ channel: "one_off_gift", amountOre: 99_900n, status: "paid", donorEmail: "someone-else@example.com", paidAt: new Date() });
    await t.db.insert(monthlyGifts).values([
      { status: "active", amountOre: 30_000n, goalId, donorName: "Ann", donorEmail: "ann-account@example.com", subscriptionId: "sub_ann_1" },
      { status: "canceled", amountOre: 20_000n, donorName: "Ann", donorEmail: "ANN-account@example.com", subscriptionId: "sub_ann_2" },
      { status: "pending", amountOre: 10_000n, donorName: "Ann", donorEmail: "ann-account@example.com" },
    ]);
    const firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
    await createSession(t.db, person.id, { userAgent: firefox, now: new Date(Date.now() - 3_600_000) });
    ({ id: sessionId } = await createSession(t.db, person.id, { userAgent: "curl/8.0", now: new Date(Date.now() - 60_000) }));
    await t.db
      .insert(settings)
      .values({ key: "charity_identity", value: { name: "Västerås stadsmission (test)", organisationNumber: "802000-0000" } })
      .onConflictDoUpdate({ target: settings.key, set: { value: { name: "Västerås stadsmission (test)", organisationNumber: "802000-0000" } } });
  });

  const ctxIn = (locale: Locale) => personContext(t.db, { id: person.id, email: person.email, organisations: memberships, sessionId }, locale);

  /** The page as the separate reads give it (each list's own statement). */
  async function separately(locale: Locale) {
    const ids = memberships.map((m) => m.organisationId);
    const orgRows = await t.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ids)).orderBy(asc(organisations.name));
    const identity = await getCharityIdentity(t.db);
    return {
      organisations: orgRows.map((o) => ({ ...o, isAdmin: memberships.find((m) => m.organisationId === o.id)!.isAdmin })),
      gifts: await giftsOf(t.db, person.id, locale),
      monthlyGifts: await monthlyGiftsOf(t.db, person.id, locale),
      sessions: await sessionsOf(t.db, person.id, sessionId, locale),
      recipient: { name: identity.name, organisationNumber: identity.organisationNumber },
    };
  }

  it.each(["sv", "en"] as const)("gives in %s what the separate reads give", async (locale) => {
    const page = await accountOverview(ctxIn(locale));
    const { organisations: o, gifts, monthlyGifts: m, sessions, recipient } = page;
    expect({ organisations: o, gifts, monthlyGifts: m, sessions, recipient }).toEqual(await separately(locale));
    expect(page.gifts).toHaveLength(ACCOUNT_GIFT_LIMIT);
    expect(page.monthlyGifts.map((g) => g.amountOre).sort()).toEqual(["20000", "30000"]);
    expect(page.sessions.map((s) => s.current)).toEqual([true, false]);
    expect(page.organisations.map((o) => o.name)).toEqual(["Ateljén Demo AB", "Bageriet Demo AB"]);
    expect(page.recipient).toEqual({ name: "Västerås stadsmission (test)", organisationNumber: "802000-0000" });
  });

  it("reads the whole page in one statement (was up to five)", async () => {
    await accountOverview(ctxIn("sv"));
    const statements = countStatements(t.db as unknown as { $client: unknown });
    await accountOverview(ctxIn("sv"));
    expect(statements).toHaveBeenCalledTimes(1);
  });

  it("shows a person with nothing yet empty lists, and the recipient line", async () => {
    const newcomer = await createPerson(t.db);
    const page = await accountOverview(personContext(t.db, { id: newcomer.id, email: newcomer.email }));
    expect(page).toMatchObject({ organisations: [], gifts: [], monthlyGifts: [], sessions: [], recipient: { name: "Västerås stadsmission (test)" } });
  });
});
