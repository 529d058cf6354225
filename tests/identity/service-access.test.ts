import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~db/client.server";
import { emailOutbox, goals, type Goal } from "~db/schema";
import { accountOverview } from "~/services/account/overview.server";
import { listAudit } from "~/services/audit/audit.server";
import { revokeOtherSessions, revokeSessionsOf } from "~/services/auth/sessions.server";
import { addMember, createOrganisation, getOrganisation, listOrganisations, removeMember, setMemberAdmin } from "~/services/organisations/organisations.server";
import { listPeople } from "~/services/people/people.server";
import { addStaffMember, changeRole, revokeSessions } from "~/services/people/staff.server";
import { SignInRequired, type ServiceContext } from "~/services/context";
import { enqueueEmail, listOutboxForStaff, retryFailedEmail } from "~/services/email/outbox.server";
import { Forbidden } from "~/services/errors";
import { getGoalForStaff, listGoalsForStaff, updateGoal } from "~/services/goals/edit.server";
import { allocationOverview, saveAllocationRule } from "~/services/ledger/allocation.server";
import { goalLedgerSummary, listAnomalies, listPaymentsForStaff } from "~/services/payments/admin.server";
import { updateCharityIdentity } from "~/services/settings/charity.server";
import { anonymousContext, personContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";
import { createPersonas, useIdentityEnv, type Personas } from "./helpers";

/**
 * Issue 10 item 1: every service that reads or writes personal data, or does staff work, checks the
 * actor itself. Each service is called here directly, without a route, by the actors it must refuse
 * (anonymous, a plain signed-in person, a contact of another organisation, a fundraiser where only
 * admins may): each gets SignInRequired or Forbidden, and nothing in the database changes. Then the
 * actor it serves makes the same call and is not refused, so the refusals above are about who asks.
 */
type Who = "anonymous" | "donor" | "contactA" | "contactB" | "fundraiser" | "admin";
type Access = "staff" | "admin" | "orgA" | "orgAAdmin" | "person";

interface World {
  p: Personas;
  failedMailId: number;
}

interface ServiceCase {
  name: string;
  access: Access;
  call: (ctx: ServiceContext, w: World) => Promise<unknown>;
}

const cases: ServiceCase[] = [
  { name: "payments admin: listPaymentsForStaff", access: "staff", call: (ctx) => listPaymentsForStaff(ctx) },
  { name: "payments admin: listAnomalies", access: "staff", call: (ctx) => listAnomalies(ctx) },
  { name: "payments admin: goalLedgerSummary", access: "staff", call: (ctx) => goalLedgerSummary(ctx) },
  { name: "allocation: allocationOverview", access: "staff", call: (ctx) => allocationOverview(ctx) },
  {
    name: "allocation: saveAllocationRule",
    access: "staff",
    call: async (ctx) => {
      const goals = (await ctx.db.execute(sql`select id from goals order by number`)) as unknown as { rows?: { id: number }[] } & { id: number }[];
      const ids = goals.rows ?? goals;
      return saveAllocationRule(ctx, { shares: Object.fromEntries(ids.map((g, i) => [String(g.id), i === 0 ? "100" : "0"])) });
    },
  },
  { name: "audit: listAudit", access: "admin", call: (ctx) => listAudit(ctx) },
  { name: "email outbox: listOutboxForStaff", access: "admin", call: (ctx) => listOutboxForStaff(ctx) },
  { name: "email outbox: retryFailedEmail", access: "admin", call: (ctx, w) => retryFailedEmail(ctx, w.failedMailId) },
  { name: "goals: listGoalsForStaff", access: "staff", call: (ctx) => listGoalsForStaff(ctx) },
  { name: "goals: getGoalForStaff", access: "staff", call: (ctx) => getGoalForStaff(ctx, "ingen-ensamhet") },
  {
    name: "goals: updateGoal",
    access: "staff",
    call: async (ctx) => {
      const [goal] = (await ctx.db.select().from(goals).where(eq(goals.slug, "ingen-ensamhet"))) as Goal[];
      const texts = Object.fromEntries(["titleSv", "titleEn", "leadSv", "leadEn", "aboutSv", "aboutEn", "todaySv", "todayEn", "moreSv", "moreEn"].map((k) => [k, String(goal[k as keyof Goal] ?? "")]));
      return updateGoal(ctx, "ingen-ensamhet", { ...texts, titleSv: "Ny rubrik", target: "", sdgs: "" });
    },
  },
  { name: "organisations: listOrganisations", access: "person", call: (ctx) => listOrganisations(ctx) },
  { name: "organisations: getOrganisation", access: "orgA", call: (ctx, w) => getOrganisation(ctx, w.p.orgA) },
  { name: "organisations: createOrganisation", access: "staff", call: (ctx) => createOrganisation(ctx, { name: "Ny partner AB" }) },
  { name: "organisations: addMember", access: "orgAAdmin", call: (ctx, w) => addMember(ctx, w.p.orgA, { email: `ny-${ctx.actor.kind}-${Math.random()}@example.com` }) },
  { name: "organisations: setMemberAdmin", access: "orgAAdmin", call: (ctx, w) => setMemberAdmin(ctx, w.p.orgA, w.p.ids.contactA, true) },
  {
    name: "organisations: removeMember",
    access: "orgAAdmin",
    // The allowed callers remove a contact that is not there (NotFound): the point is who gets that far.
    call: (ctx, w) => removeMember(ctx, w.p.orgA, w.p.ids.donor),
  },
  { name: "people: listPeople", access: "admin", call: (ctx) => listPeople(ctx) },
  { name: "people: addStaffMember", access: "admin", call: (ctx) => addStaffMember(ctx, { email: "ny-insamlare@example.com", role: "fundraiser" }) },
  { name: "people: changeRole", access: "admin", call: (ctx, w) => changeRole(ctx, { personId: String(w.p.ids.donor), role: "fundraiser" }, true) },
  { name: "people: revokeSessions", access: "admin", call: (ctx, w) => revokeSessions(ctx, { personId: String(w.p.ids.contactB) }) },
  { name: "sessions: revokeSessionsOf another person", access: "admin", call: (ctx, w) => revokeSessionsOf(ctx, w.p.ids.admin) },
  { name: "sessions: revokeOtherSessions", access: "person", call: (ctx) => revokeOtherSessions(ctx) },
  { name: "account: accountOverview", access: "person", call: (ctx) => accountOverview(ctx) },
  {
    name: "settings: updateCharityIdentity",
    access: "staff",
    call: (ctx) => updateCharityIdentity(ctx, { name: "Västerås stadsmission", organisationNumber: "", address: "", email: "", phone: "", website: "" }),
  },
];

const everyone: Who[] = ["anonymous", "donor", "contactA", "contactB", "fundraiser", "admin"];

function allowed(access: Access, who: Who): boolean {
  switch (access) {
    case "person":
      return who !== "anonymous";
    case "staff":
      return who === "fundraiser" || who === "admin";
    case "admin":
      return who === "admin";
    case "orgA":
    case "orgAAdmin":
      return who === "contactA" || who === "fundraiser" || who === "admin";
  }
}

function contextOf(db: Db, p: Personas, who: Who): ServiceContext {
  if (who === "anonymous") return anonymousContext(db);
  const roles = who === "admin" ? (["admin"] as const) : who === "fundraiser" ? (["fundraiser"] as const) : [];
  const organisations = who === "contactA" ? [{ organisationId: p.orgA, isAdmin: true }] : who === "contactB" ? [{ organisationId: p.orgB, isAdmin: true }] : [];
  return personContext(db, { id: p.ids[who], email: `${who}@example.com`.toLowerCase(), roles: [...roles], organisations, sessionId: `no-such-session-${who}` });
}

/** Everything a refused call could have changed, as one comparable value. */
async function snapshot(db: Db): Promise<string> {
  const tables = [
    "people",
    "staff_roles",
    "organisations",
    "organisation_members",
    "sessions",
    "login_tokens",
    "audit_log",
    "allocation_rules",
    "allocation_shares",
    "settings",
    "goals",
    "email_outbox",
    "payments",
    "monthly_gifts",
    "ledger_entries",
  ];
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const result = (await db.execute(sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h, count(*)::int as n from ${table} t`))) as unknown as
      | { rows: { h: string; n: number }[] }
      | { h: string; n: number }[];
    out[table] = "rows" in result ? result.rows[0] : result[0];
  }
  return JSON.stringify(out);
}

describe.each(dbTargets)("services check access themselves (%s)", (target) => {
  const ctx = useTestDatabase(target);
  const world = {} as World;
  beforeAll(async () => {
    useIdentityEnv();
    world.p = await createPersonas(ctx.db);
    await enqueueEmail(ctx.db, { to: "failed@example.com", template: "notice", locale: "sv", props: { subject: "S", heading: "H", body: "B" } });
    const [row] = await ctx.db.update(emailOutbox).set({ status: "failed", attempts: 8 }).returning({ id: emailOutbox.id });
    world.failedMailId = row.id;
  });

  for (const c of cases) {
    it(`${c.name} (${c.access}): refuses the wrong actors, writing nothing`, async () => {
      const before = await snapshot(ctx.db);
      for (const who of everyone.filter((w) => !allowed(c.access, w))) {
        const error = await c.call(contextOf(ctx.db, world.p, who), world).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `${c.name} as ${who}`).toBeInstanceOf(who === "anonymous" ? SignInRequired : Forbidden);
      }
      expect(await snapshot(ctx.db), `${c.name}: a refused call changed the database`).toBe(before);
      const right = everyone.filter((w) => allowed(c.access, w));
      for (const who of right) {
        const error = await c.call(contextOf(ctx.db, world.p, who), world).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error instanceof SignInRequired || error instanceof Forbidden, `${c.name} as ${who}: ${String(error)}`).toBe(false);
      }
    });
  }
});
