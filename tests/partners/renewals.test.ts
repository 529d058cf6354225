import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "~db/client.server";
import { emailOutbox, organisationMembers, partnershipRenewalNotices, partnerships, people } from "~db/schema";
import { loader as goalJsonLoader } from "~/routes/api.goals.$slug";
import { systemContext } from "~/services/context";
import { Forbidden } from "~/services/errors";
import { partnerWall } from "~/services/partners/partnerships.server";
import { runPartnershipRenewals } from "~/services/partners/renewals.server";
import { setEnvForTests } from "~/utils/env.server";
import { useIdentityEnv } from "../identity/helpers";
import { createOrganisation, createPerson, createStaff } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalId, negotiating, reload, staffCtx } from "./helpers";

const NOW = new Date("2026-11-15T05:00:00Z");

describe.each(dbTargets)("partnership renewals on %s", (target) => {
  const t = useTestDatabase(target);
  // A second handle on the same database, as another app instance has (PGlite is one process's database).
  let other: Database | undefined;
  beforeAll(async () => {
    useIdentityEnv();
    if (t.database.kind === "postgres") other = await openDatabase({ databaseUrl: t.database.url, max: 4 });
  });
  afterAll(async () => {
    await other?.close();
    setEnvForTests(undefined);
  });

  async function activePartnership(name: string, endsOn: string, goal = "ingen-hemloshet") {
    const org = await createOrganisation(t.db, { name, isPublic: true }, { contacts: 2, contactsAreAdmins: true });
    const p = await negotiating(t.db, { organisationId: org.id, goal, endsOn, startsOn: "2026-01-01" });
    await t.db.update(partnerships).set({ status: "active", signedOffAt: NOW, signOffExpiresOn: "2027-11-14" }).where(eq(partnerships.id, p.id));
    return { org, p };
  }

  it("reminds staff and the main contact once per period, even with two runs at once on two connections", async () => {
    const { db } = t;
    const staff = await createStaff(db, "admin");
    const { org, p } = await activePartnership("Förnya AB", "2026-12-31");
    // The contact with the main role gets it; the other admin contact does not.
    const main = await createPerson(db, { email: `main-${target}@example.com` });
    await db.insert(organisationMembers).values({ organisationId: org.id, personId: main.id, roles: ["main"] });
    // A second main contact who signed in in English gets the reminder in English.
    const english = await createPerson(db, { email: `main-en-${target}@example.com` });
    await db.update(people).set({ locale: "en" }).where(eq(people.id, english.id));
    await db.insert(organisationMembers).values({ organisationId: org.id, personId: english.id, roles: ["main"] });
    const later = await activePartnership("Senare AB", "2027-06-30");
    const second = other?.db ?? db;
    const runs = await Promise.all([
      runPartnershipRenewals(systemContext(db, "job:a"), NOW),
      runPartnershipRenewals(systemContext(second, "job:b"), NOW),
      runPartnershipRenewals(systemContext(db, "job:c"), NOW),
    ]);
    expect(runs.flatMap((r) => r.reminded)).toEqual([p.id]);
    expect((await reload(db, p.id)).status).toBe("renewal_due");
    expect((await reload(db, later.p.id)).status).toBe("active");
    const notices = await db.select().from(partnershipRenewalNotices).where(eq(partnershipRenewalNotices.partnershipId, p.id));
    expect(notices).toHaveLength(1);
    const mails = await db.select().from(emailOutbox).where(like(emailOutbox.dedupeKey, `partnership-renewal:${p.id}:%`));
    const to = mails.map((m) => m.to);
    expect(to).toContain(staff.email);
    expect(to).toContain(main.email);
    expect(to).not.toContain(org.contacts[0].email);
    expect(new Set(to).size).toBe(to.length);
    expect(notices[0].recipients).toBe(mails.length);
    expect(mails.find((m) => m.to === english.email)?.locale).toBe("en");
    expect(mails.find((m) => m.to === main.email)?.locale).toBe("sv");
    // The next day's run sends nothing again.
    const again = await runPartnershipRenewals(systemContext(db, "job:d"), new Date("2026-11-16T05:00:00Z"));
    expect(again.reminded).toEqual([]);
    expect(await db.select().from(emailOutbox).where(like(emailOutbox.dedupeKey, `partnership-renewal:${p.id}:%`))).toHaveLength(mails.length);
  });

  it("a partnership past its end without renewal lapses and leaves the wall and the JSON; one with a running renewal is renewed", async () => {
    const { db } = t;
    const goal = await goalId(db, "alla-ar-trygga");
    const { p: lapsing } = await activePartnership("Slutar AB", "2026-11-30", "alla-ar-trygga");
    const { p: renewing } = await activePartnership("Fortsätter AB", "2026-11-30", "alla-ar-trygga");
    const next = await negotiating(db, { organisationId: renewing.organisationId, goal: "alla-ar-trygga", startsOn: "2026-12-01", endsOn: "2027-11-30", renewsPartnershipId: renewing.id });
    await db.update(partnerships).set({ status: "active", signedOffAt: NOW, signOffExpiresOn: "2027-11-30" }).where(eq(partnerships.id, next.id));
    const json = async () => (await (await goalJsonLoader({ request: new Request("http://x/api/goals/alla-ar-trygga"), params: { slug: "alla-ar-trygga" }, context: {} })).json()) as { slug: string; partners: { name: string; tier: string; website: string | null }[]; collections: unknown[] };
    expect((await partnerWall(db, goal, new Date("2026-11-30T12:00:00Z"))).map((w) => w.name)).toEqual(["Fortsätter AB", "Slutar AB"]);
    const dec1 = new Date("2026-12-01T05:00:00Z");
    const result = await runPartnershipRenewals(systemContext(db, "job:e"), dec1);
    expect(result.lapsed).toContain(lapsing.id);
    expect(result.renewed).toContain(renewing.id);
    expect((await reload(db, lapsing.id)).status).toBe("lapsed");
    expect((await reload(db, renewing.id)).status).toBe("renewed");
    expect((await partnerWall(db, goal, dec1)).map((w) => w.name)).toEqual(["Fortsätter AB"]);
    // The public JSON (DESIGN.md) has the same list today, without the lapsed partner.
    const body = await json();
    expect(body.slug).toBe("alla-ar-trygga");
    expect(body.partners.map((x) => x.name)).not.toContain("Slutar AB");
    expect(Array.isArray(body.collections)).toBe(true);
    const missing = await goalJsonLoader({ request: new Request("http://x/api/goals/nope"), params: { slug: "nope" }, context: {} });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "goal_not_found" });
  });

  it("only the app itself runs the renewal job", async () => {
    const staff = await staffCtx(t.db, "admin");
    await expect(runPartnershipRenewals(staff, NOW)).rejects.toBeInstanceOf(Forbidden);
  });
});
