import { readFileSync } from "node:fs";
import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bgmaxImports } from "~db/schema";
import { action as importAction } from "~/routes/admin.invoices.import";
import { action as resolveAction, loader as unmatchedLoader } from "~/routes/admin.invoices.unmatched";
import { createPersonas, useIdentityEnv, type Personas } from "../identity/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";

const example = new Uint8Array(readFileSync(new URL("../fixtures/bgmax-exempel.txt", import.meta.url)));
const base = "http://127.0.0.1:3999";

function upload(cookie: string, bytes: Uint8Array<ArrayBuffer> | null) {
  const form = new FormData();
  if (bytes) form.set("file", new File([bytes], "bgmax.txt", { type: "text/plain" }));
  return new Request(`${base}/admin/invoices/import`, { method: "POST", body: form, headers: { Cookie: cookie, Origin: base } });
}

type Result = { data: Record<string, unknown> & { fieldErrors?: Record<string, string> }; init: { status: number } | null };

describe.each(dbTargets)("/admin/invoices/import and /unmatched (%s)", (target) => {
  const t = useTestDatabase(target);
  let personas: Personas;
  beforeAll(async () => {
    useIdentityEnv();
    personas = await createPersonas(t.db);
  });

  it("a staff upload of the example file is read from the multipart form and summed up; the same file again is a 409 next to the field", async () => {
    const first = (await importAction({ request: upload(personas.cookie.fundraiser, example), params: {}, context: {} })) as Record<string, unknown>;
    // No invoices are open here: all three payments wait for staff.
    expect(first).toMatchObject({ ok: true, payments: 3, totalOre: "40000", bookedOre: "0", unmatched: 3, toResolve: 3 });
    const again = (await importAction({ request: upload(personas.cookie.admin, example), params: {}, context: {} })) as unknown as Result;
    expect(again.init?.status).toBe(409);
    expect(again.data.fieldErrors?.file).toMatch(/^Filen är redan inläst .+ av fundraiser\. Inget har bokats igen\.$/);
    const none = (await importAction({ request: upload(personas.cookie.admin, null), params: {}, context: {} })) as unknown as Result;
    expect([none.init?.status, none.data.fieldErrors?.file]).toEqual([400, "Välj en BgMax-fil att ladda upp."]);
    expect((await t.db.select({ n: count() }).from(bgmaxImports))[0].n).toBe(1);
  });

  it("lists what waits and resolves one as a gift; a contact of an organisation gets 403", async () => {
    const page = (await unmatchedLoader({ request: new Request(`${base}/admin/invoices/unmatched`, { headers: { Cookie: personas.cookie.admin } }), params: {}, context: {} })) as {
      payments: { id: string; reference: string; canBook: boolean }[];
    };
    expect(page.payments.map((p) => p.reference)).toEqual(["1000173", "1000272", "GAVA BRUNNAR"]);
    const target = page.payments[2];
    const form = new URLSearchParams({ id: target.id, action: "gift", note: "" });
    const post = (cookie: string) => new Request(`${base}/admin/invoices/unmatched`, { method: "POST", body: form, headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" } });
    const refused = await resolveAction({ request: post(personas.cookie.contactA), params: {}, context: {} }).catch((e: unknown) => e);
    expect((refused as Response).status).toBe(403);
    const done = (await resolveAction({ request: post(personas.cookie.admin), params: {}, context: {} })) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([302, "/admin/invoices/unmatched?resolved=1"]);
    const twice = (await resolveAction({ request: post(personas.cookie.admin), params: {}, context: {} })) as unknown as Result;
    expect([twice.init?.status, twice.data.message]).toEqual([409, "Betalningen är redan hanterad."]);
  });
});
