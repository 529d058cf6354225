import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, goals } from "~db/schema";
import { action as editAction, loader as editLoader } from "~/routes/admin.goals.$slug";
import { loader as listLoader } from "~/routes/admin.goals._index";
import { publicGoalsJson, getGoal } from "~/services/goals/goals.server";
import { setEnvForTests } from "~/utils/env.server";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";

const url = (path: string) => `http://127.0.0.1:3999${path}`;
const post = (cookie: string, body: Record<string, string>) =>
  new Request(url("/admin/goals/ingen-ensamhet"), {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });

describe.each(dbTargets)("staff edit the goals (%s)", (target) => {
  const ctx = useTestDatabase(target);
  let p: Personas;
  let form: Record<string, string>;
  beforeAll(async () => {
    useIdentityEnv();
    p = await createPersonas(ctx.db);
    const [g] = await ctx.db.select().from(goals).where(eq(goals.slug, "ingen-ensamhet"));
    form = {
      titleSv: g.titleSv, titleEn: g.titleEn, leadSv: g.leadSv, leadEn: g.leadEn, aboutSv: g.aboutSv, aboutEn: g.aboutEn,
      todaySv: g.todaySv, todayEn: g.todayEn, moreSv: g.moreSv, moreEn: g.moreEn, target: "", sdgs: "", draft: "on",
    };
  });
  afterAll(() => setEnvForTests(undefined));

  it("lets a fundraiser set a yearly target, the SDGs and mark the text reviewed; pages and the API show it", async () => {
    const res = (await editAction({ request: post(p.cookie.fundraiser, { ...form, target: "150 000", sdgs: "10, 3, 3", draft: "" }), params: { slug: "ingen-ensamhet" }, context: {} })) as Response;
    expect(res.status).toBe(302);
    const api = await publicGoalsJson(ctx.db);
    expect(api.find((g) => g.slug === "ingen-ensamhet")!.targetOre).toBe(15_000_000);
    const view = await getGoal(ctx.db, "ingen-ensamhet", "sv");
    expect(view.sdgs).toEqual([3, 10]);
    expect(view.draft).toBe(false);
    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "goal_changed"));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorPersonId).toBe(p.ids.fundraiser);
    const list = await listLoader({ request: new Request(url("/admin/goals"), { headers: { Cookie: p.cookie.fundraiser } }), params: {}, context: {} });
    expect(list.goals.find((g) => g.slug === "ingen-ensamhet")!.targetOre).toBe("15000000");
    const page = await editLoader({ request: new Request(url("/admin/goals/ingen-ensamhet"), { headers: { Cookie: p.cookie.fundraiser } }), params: { slug: "ingen-ensamhet" }, context: {} });
    expect(page.goal.targetKr).toBe("150000");
  });

  it("answers bad input next to each field with 400 and writes nothing", async () => {
    const before = await ctx.db.select().from(goals).where(eq(goals.slug, "ingen-ensamhet"));
    const res = (await editAction({
      request: post(p.cookie.fundraiser, { ...form, titleSv: "", target: "abc", sdgs: "3, 18", aboutEn: "x".repeat(5001) }),
      params: { slug: "ingen-ensamhet" },
      context: {},
    })) as { init: { status: number }; data: { fieldErrors: Record<string, string>; values: Record<string, string> } };
    expect(res.init.status).toBe(400);
    // The page's language (Swedish here), from the same dictionary the browser's check uses.
    expect(res.data.fieldErrors).toMatchObject({
      titleSv: "Fältet måste fyllas i.",
      target: "Skriv ett belopp i kronor, större än 0 och högst 1 000 000 000.",
      sdgs: "Skriv nummer mellan 1 och 17, till exempel 3, 5.",
      aboutEn: "Texten är för lång.",
    });
    // A control character anywhere in the form is refused whole by readForm (issue 8, item 7): a 400 with a message.
    const refused = await Promise.resolve(
      editAction({ request: post(p.cookie.fundraiser, { ...form, leadSv: "a\u0000b" }), params: { slug: "ingen-ensamhet" }, context: {} }),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(400);
    expect(res.data.values.target).toBe("abc");
    for (const bad of ["0", "-5", "2000000000"]) {
      const r = (await editAction({ request: post(p.cookie.fundraiser, { ...form, target: bad }), params: { slug: "ingen-ensamhet" }, context: {} })) as {
        data: { fieldErrors: Record<string, string> };
      };
      expect(r.data.fieldErrors.target, bad).toBe("Skriv ett belopp i kronor, större än 0 och högst 1 000 000 000.");
    }
    expect(await ctx.db.select().from(goals).where(eq(goals.slug, "ingen-ensamhet"))).toEqual(before);
  });

  it("refuses a donor and a partner contact, and answers an unknown goal with 404", async () => {
    for (const who of ["donor", "contactA"] as const) {
      await expect(editAction({ request: post(p.cookie[who], form), params: { slug: "ingen-ensamhet" }, context: {} })).rejects.toMatchObject({ status: 403 });
    }
    await expect(
      editLoader({ request: new Request(url("/admin/goals/finns-inte"), { headers: { Cookie: p.cookie.admin } }), params: { slug: "finns-inte" }, context: {} }),
    ).rejects.toMatchObject({ status: 404 });
    const res = (await editAction({ request: post(p.cookie.admin, form), params: { slug: "finns-inte" }, context: {} })) as { init: { status: number } };
    expect(res.init.status).toBe(404);
  });
});
