import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readForm } from "~/utils/http.server";
import { dbTargets } from "../setup/db";
import type { RunningServer } from "../setup/server";
import { englishCookie, form, formHeaders, mailIds, raw, signIn, startOn } from "../identity/http-client";

/**
 * Issue 8, item 7: NUL (and the other C0 control characters but tab, LF, CR) in any text that
 * comes in is a 400 with a message in the reader's language, and nothing is written; PostgreSQL
 * would refuse NUL with error 22021, a 500. One rule: readForm for every form field, a guard in
 * server.mjs for paths and query strings. Over HTTP against the production build
 * (`npx remix vite:build` first), on PGlite and (TEST_DATABASE_URL) on PostgreSQL.
 */

const FORM_MESSAGE_SV = "Formuläret innehåller ett otillåtet tecken";
const FORM_MESSAGE_EN = "The form contains a character that is not allowed";
const ADDRESS_MESSAGE_SV = "Adressen innehåller ett otillåtet tecken";
const ADDRESS_MESSAGE_EN = "The address contains a character that is not allowed";

/** The rows of every table on a page: what a write would change (nonces and the like are outside them). */
function tableRows(html: string): string {
  return [...html.matchAll(/<tbody[^>]*>([\s\S]*?)<\/tbody>/g)].map((m) => m[1]).join("\n");
}

describe("readForm: the one rule for form fields", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request("http://127.0.0.1:3999/x", { method: "POST", body, headers: { ...formHeaders, ...headers } });

  it("refuses a control character in any field's value or name with a 400 in the reader's language", async () => {
    for (const bad of ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u000e", "\u001b", "\u001f"]) {
      for (const body of [form({ name: `An${bad}na` }), form({ [`na${bad}me`]: "Anna" })]) {
        const refused = await readForm(post(body)).then(
          () => null,
          (error: unknown) => error,
        );
        expect(refused, JSON.stringify(body)).toBeInstanceOf(Response);
        const res = refused as Response;
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: "control_characters", locale: "sv", message: expect.stringContaining(FORM_MESSAGE_SV) });
      }
    }
    const english = (await readForm(post(form({ note: "a\u0000" }), { Cookie: englishCookie })).catch((e: unknown) => e)) as Response;
    expect(await english.json()).toMatchObject({ locale: "en", message: expect.stringContaining(FORM_MESSAGE_EN) });
  });

  it("keeps tab, line breaks and every printable character", async () => {
    const text = "Rad ett\r\nrad två\ttabb – åäö ÅÄÖ é ü 🙂 \u007f";
    const got = await readForm(post(form({ greeting: text })));
    expect(got.get("greeting")).toBe(text);
  });
});

describe.each(dbTargets)("NUL and other control characters over HTTP (%s)", (target) => {
  let server: RunningServer;
  let base: string;
  let admin: string;
  let slug: string;
  beforeAll(async () => {
    server = await startOn(target);
    base = server.url;
    admin = await signIn(base, "admin@example.com");
    slug = ((await (await fetch(`${base}/api/goals`)).json()) as { slug: string }[])[0].slug;
  }, 200_000);
  afterAll(async () => {
    await server?.stop();
  });

  const page = async (path: string) => {
    const res = await raw(base, { target: path, headers: { Cookie: admin } });
    expect(res.status, path).toBe(200);
    return tableRows(res.body);
  };
  const send = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    raw(base, { method: "POST", target: path, headers: { ...formHeaders, Origin: base, ...headers }, body: form(fields) });
  const gift = (over: Record<string, string>) => ({
    frequency: "one_off",
    goal: slug,
    amount: "250",
    method: "card",
    name: "Anna Andersson",
    email: "anna@example.com",
    greeting: "Lycka till!",
    ...over,
  });

  it("/give: NUL in the name, greeting, goal or any other field is a 400 with a message; no payment is started", async () => {
    const before = await page("/admin/payments");
    const cases: Record<string, string>[] = [
      { name: "Anna\u0000Andersson" },
      { greeting: "Lycka\u0000till" },
      { goal: `${slug}\u0000` },
      { goal: "\u0000" },
      { email: "anna\u0000@example.com" },
      { amount: "other", amountOther: "300\u0000" },
      { name: "Anna\u001bAndersson" },
      { frequency: "one_off\u0000" },
    ];
    for (const over of cases) {
      const res = await send("/give", gift(over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body, JSON.stringify(over)).toContain(FORM_MESSAGE_SV);
      expect(res.body).toContain('<html lang="sv"');
    }
    // An English reader gets the message, and the page, in English.
    const english = await send("/give", gift({ name: "Anna\u0000" }), { Cookie: englishCookie });
    expect(english.status).toBe(400);
    expect(english.body).toContain(FORM_MESSAGE_EN);
    expect(english.body).toContain('<html lang="en"');
    expect(await page("/admin/payments")).toBe(before);

    // The same gift without the NUL starts a payment (so the comparison above would have seen one).
    const ok = await send("/give", gift({}));
    expect(ok.status).toBe(302);
    expect(await page("/admin/payments")).not.toBe(before);
  });

  it("/admin/allocation: NUL in the note is a 400 with a message; no rule and no audit entry is written", async () => {
    const html = (await raw(base, { target: "/admin/allocation", headers: { Cookie: admin } })).body;
    const shares = Object.fromEntries([...html.matchAll(/name="(share-\d+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(shares).length).toBeGreaterThan(0);
    const history = await page("/admin/allocation");
    const audit = await page("/admin/audit");
    for (const note of ["Ny\u0000fördelning", "\u0000", "x\u0007"]) {
      const res = await send("/admin/allocation", { ...shares, note }, { Cookie: admin });
      expect(res.status, JSON.stringify(note)).toBe(400);
      expect(res.body).toContain(FORM_MESSAGE_SV);
    }
    expect(await page("/admin/allocation")).toBe(history);
    expect(await page("/admin/audit")).toBe(audit);

    const ok = await send("/admin/allocation", { ...shares, note: "Ny fördelning" }, { Cookie: admin });
    expect(ok.status).toBe(302);
    expect(await page("/admin/allocation")).not.toBe(history);
  });

  it("other forms: sign-in, language, staff, the simulator", async () => {
    const mail = await mailIds(base);
    const people = await page("/admin/people");
    const organisations = await page("/admin/organisations");
    const cases: [string, Record<string, string>][] = [
      ["/login", { email: "admin\u0000@example.com" }],
      ["/lang", { lang: "en", returnTo: "/\u0000" }],
      ["/admin/people", { intent: "add", email: "nul\u0000@example.com", role: "admin" }],
      ["/admin/organisations", { name: "Firma\u0000 AB", orgNumber: "" }],
    ];
    for (const [path, fields] of cases) {
      const res = await send(path, fields, { Cookie: admin });
      expect(res.status, path).toBe(400);
      expect(res.body, path).toContain(FORM_MESSAGE_SV);
      expect(res.headers["set-cookie"], path).toBeUndefined();
    }
    expect(await mailIds(base)).toEqual(mail);
    expect(await page("/admin/people")).toBe(people);
    expect(await page("/admin/organisations")).toBe(organisations);
  });

  it("a control character in a path or query string (encoded or not) is a 400 with a message before any route runs", async () => {
    const targets = [
      "/goals/%00",
      "/admin/goals/%00",
      "/dev/checkout/%00",
      "/goals/%00.data",
      "/goals/a%01b",
      "/give/monthly/%00",
      "/dev/mail/%00",
      "/org/%00",
      "/admin/organisations/%00",
      "/give?goal=%00",
      "/give/thanks?ref=%00",
      "/give/cancelled?ref=%00",
      "/admin/payments?status=%00",
      "/login/verify?token=%1F",
      "/login?returnTo=%2F%00",
      "/?%00=1",
    ];
    for (const path of targets) {
      const res = await raw(base, { target: path, headers: { Cookie: admin } });
      expect(res.status, path).toBe(400);
      expect(res.body.split("\n")[0], path).toContain(ADDRESS_MESSAGE_SV);
    }
    const english = await raw(base, { target: "/goals/%00", headers: { Cookie: englishCookie } });
    expect(english.status).toBe(400);
    expect(english.body.split("\n")[0]).toContain(ADDRESS_MESSAGE_EN);
    expect((await raw(base, { target: "/goals/%00?lang=en" })).body.split("\n")[0]).toContain(ADDRESS_MESSAGE_EN);

    // A POST to such a path is refused before its action: the simulator does not pay.
    const payments = await page("/admin/payments");
    const res = await send("/dev/checkout/%00", { do: "pay" });
    expect(res.status).toBe(400);
    expect(await page("/admin/payments")).toBe(payments);

    // Tab and line breaks are text, not control characters here either; the server answers as usual.
    expect((await raw(base, { target: "/login?returnTo=%2F%09%2Fevil.example" })).status).toBe(200);
    expect((await raw(base, { target: "/goals/no-such-goal%0A" })).status).toBe(404);
  });
});
