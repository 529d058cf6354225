import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, goals, ledgerEntries } from "~db/schema";
import { localeCookie } from "~/i18n/locale.server";
import { action, loader } from "~/routes/admin.corrections";
import { loader as ledgerLoader } from "~/routes/admin.goals.$slug_.ledger";
import { setEnvForTests } from "~/utils/env.server";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";

const url = (path: string) => `http://127.0.0.1:3999${path}`;
type Failure = { init: { status: number }; data: { message: string; fieldErrors: Record<string, string>; values: Record<string, string> } };

describe.each(dbTargets)("the corrections pages (%s)", (target) => {
  const ctx = useTestDatabase(target);
  let p: Personas;
  let goalIds: number[];
  let english: string;
  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(ctx.db);
    goalIds = (await ctx.db.select({ id: goals.id }).from(goals).orderBy(asc(goals.number))).map((g) => g.id);
    english = `${p.cookie.fundraiser}; ${await localeCookie.serialize("en")}`;
  });
  afterAll(() => setEnvForTests(undefined));

  const post = (cookie: string, body: Record<string, string>) =>
    action({
      request: new Request(url("/admin/corrections"), {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: url("") },
        body: new URLSearchParams(body),
      }),
      params: {},
      context: {},
    });
  const counts = async () =>
    (
      await ctx.db
        .select({ entries: sql<number>`(select count(*)::int from ${ledgerEntries})`, audit: sql<number>`(select count(*)::int from ${auditLog})` })
        .from(sql`(select 1) as one`)
    )[0];

  it("answers bad input with 400 and each field's message in the reader's language, writing nothing", async () => {
    const before = await counts();
    const res = (await post(english, { intent: "correction", goalId: String(goalIds[0]), direction: "add", amount: "12,3x", channel: "collection", reason: "" })) as unknown as Failure;
    expect(res.init.status).toBe(400);
    expect(res.data.fieldErrors).toEqual({
      amount: "Type an amount above 0, for example 150 or 150.50 (at most 1,000,000 kr).",
      reason: "Type a reason (at least 3 characters).",
    });
    expect(res.data.values).toMatchObject({ intent: "correction", amount: "12,3x" });
    // Swedish by default; a move of money the goal does not have undesignated is refused next to the amount.
    const move = (await post(p.cookie.fundraiser, { intent: "move", fromGoalId: String(goalIds[0]), toGoalId: String(goalIds[1]), amount: "10", channel: "one_off_gift", reason: "Flytta" })) as unknown as Failure;
    expect(move.init.status).toBe(400);
    expect(move.data.fieldErrors.amount).toMatch(/^Så mycket pengar utan valt mål har målet inte/);
    const negative = (await post(p.cookie.fundraiser, { intent: "correction", goalId: String(goalIds[0]), direction: "remove", amount: "1", channel: "collection", reason: "Minus" })) as unknown as Failure;
    expect([negative.init.status, negative.data.fieldErrors.amount]).toEqual([400, "Det går inte: målets saldo skulle bli negativt."]);
    expect(await counts()).toEqual(before);
  });

  it("posts a correction and shows it on the page, in the goal's history and its CSV", async () => {
    const res = (await post(p.cookie.fundraiser, { intent: "correction", goalId: String(goalIds[0]), direction: "add", amount: "250", channel: "collection", reason: "Insamling i kontanter" })) as Response;
    expect([res.status, res.headers.get("Location")]).toEqual([302, "/admin/corrections?done=correction"]);
    const page = await loader({ request: new Request(url("/admin/corrections"), { headers: { Cookie: p.cookie.fundraiser } }), params: {}, context: {} });
    expect(page.recent[0]).toMatchObject({ kind: "correction", amountOre: "25000", reason: "Insamling i kontanter", author: "staff:fundraiser@example.com" });
    const [goal] = await ctx.db.select().from(goals).where(eq(goals.id, goalIds[0]));
    const history = (await ledgerLoader({ request: new Request(url(`/admin/goals/${goal.slug}/ledger`), { headers: { Cookie: p.cookie.fundraiser } }), params: { slug: goal.slug }, context: {} })) as unknown as {
      entries: { reason: string }[];
    };
    expect(history.entries[0].reason).toBe("Insamling i kontanter");
    const csv = (await ledgerLoader({ request: new Request(url(`/admin/goals/${goal.slug}/ledger?format=csv`), { headers: { Cookie: p.cookie.fundraiser } }), params: { slug: goal.slug }, context: {} })) as Response;
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toBe(`attachment; filename="ledger-${goal.slug}.csv"`);
    expect(await csv.text()).toContain(",correction,collection,250.00,corr:");
    // An unknown goal is a 404, not a 500.
    const missing = await ledgerLoader({ request: new Request(url("/admin/goals/finns-inte/ledger"), { headers: { Cookie: p.cookie.fundraiser } }), params: { slug: "finns-inte" }, context: {} }).catch((e: unknown) => e);
    expect((missing as Response).status).toBe(404);
  });
});
