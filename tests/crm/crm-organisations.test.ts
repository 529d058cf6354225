import { describe, expect, it } from "vitest";
import { organisationMembers, partnerships } from "~db/schema";
import { SignInRequired } from "~/services/context";
import { exportContactsCsv, exportOrganisationsCsv } from "~/services/crm/export.server";
import { organisationFilterOptions, organisationFilters, searchOrganisations } from "~/services/crm/organisation-search.server";
import { Forbidden } from "~/services/errors";
import { createOrganisation, createPerson, createStaff, goalId } from "../factories";
import { anonymousContext, personContext, staffContext } from "../setup/contexts";
import { dbTargets, useTestDatabase } from "../setup/db";

const BOM = [0xef, 0xbb, 0xbf];

/** RFC 4180 read back (quoted cells with doubled quotes, `;` and CRLF), to check the file as Excel reads it. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** A made-up organisationsnummer that passes the checksum (Luhn), different for each n. */
function orgNr(prefix: string, n: number): string {
  const nine = `${prefix}${String(n).padStart(9 - prefix.length, "0")}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const v = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += v > 9 ? v - 9 : v;
  }
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`;
}
let worlds = 0;

describe.each(dbTargets)("staff organisation list: search, filters, CSV (%s)", (target) => {
  const t = useTestDatabase(target);

  async function world() {
    const staff = await createStaff(t.db);
    const ctx = staffContext(t.db, staff.id, "fundraiser");
    const trygga = await goalId(t.db, "alla-ar-trygga");
    const ensam = await goalId(t.db, "ingen-ensamhet");
    const n = ++worlds;
    const numbers = { akeri: orgNr("55990", n * 2), bygg: orgNr("55990", n * 2 + 1), forening: orgNr("80240", n) };
    const akeri = await createOrganisation(t.db, { name: "Åkeri Östlund AB", orgNumber: numbers.akeri, city: "Västerås" });
    const bygg = await createOrganisation(t.db, { name: "Byggmästarna 100% AB", orgNumber: numbers.bygg });
    const forening = await createOrganisation(t.db, { name: "Föreningen Ängen", orgNumber: numbers.forening });
    await t.db.insert(partnerships).values([
      { organisationId: akeri.id, goalId: trygga, tier: "huvudpartner", status: "active" },
      { organisationId: bygg.id, goalId: trygga, tier: "vanforetag", status: "prospect" },
      { organisationId: bygg.id, goalId: ensam, tier: "huvudpartner", status: "lapsed" },
    ]);
    const contact = await createPerson(t.db, { email: `anna-${akeri.id}@example.com`, name: "Anna Åström" });
    await t.db.insert(organisationMembers).values({ organisationId: akeri.id, personId: contact.id, roles: ["main", "invoicing"], isAdmin: true });
    const other = await createPerson(t.db, { email: `bo-${bygg.id}@example.com`, name: "=HYPERLINK(\"x\")" });
    await t.db.insert(organisationMembers).values({ organisationId: bygg.id, personId: other.id, roles: [] });
    return { ctx, trygga, ensam, akeri, bygg, forening, contact, numbers };
  }
  const names = async (ctx: ReturnType<typeof staffContext>, query: Record<string, string>, ids: number[]) =>
    (await searchOrganisations(ctx, organisationFilters(query))).filter((o) => ids.includes(o.id)).map((o) => o.name);

  it("staff only", async () => {
    const org = await createOrganisation(t.db, {}, { contacts: 1 });
    const contact = personContext(t.db, { id: org.contacts[0].id, organisations: [{ organisationId: org.id, isAdmin: true }] });
    const filters = organisationFilters({});
    await expect(searchOrganisations(contact, filters)).rejects.toBeInstanceOf(Forbidden);
    await expect(exportOrganisationsCsv(contact, filters)).rejects.toBeInstanceOf(Forbidden);
    await expect(exportContactsCsv(contact, filters)).rejects.toBeInstanceOf(Forbidden);
    await expect(organisationFilterOptions(anonymousContext(t.db))).rejects.toBeInstanceOf(SignInRequired);
    await expect(exportContactsCsv(anonymousContext(t.db), filters)).rejects.toBeInstanceOf(SignInRequired);
  });

  it("finds by part of the name (any case, % literal) or by the organisationsnummer however it is typed", async () => {
    const w = await world();
    const ids = [w.akeri.id, w.bygg.id, w.forening.id];
    expect(await names(w.ctx, { q: "åkeri" }, ids)).toEqual(["Åkeri Östlund AB"]);
    expect(await names(w.ctx, { q: "ÄNGEN" }, ids)).toEqual(["Föreningen Ängen"]);
    expect(await names(w.ctx, { q: "100%" }, ids)).toEqual(["Byggmästarna 100% AB"]);
    // "%" alone is a character to look for, not "anything".
    expect(await names(w.ctx, { q: "%" }, ids)).toEqual(["Byggmästarna 100% AB"]);
    const a = w.numbers.akeri;
    for (const typed of [a, a.replace("-", ""), `16${a.replace("-", "")}`, ` 16${a} `]) {
      expect(await names(w.ctx, { q: typed }, ids), typed).toEqual(["Åkeri Östlund AB"]);
    }
    // A part of a number matches the digits anywhere.
    expect((await names(w.ctx, { q: "55990" }, ids)).sort()).toEqual(["Byggmästarna 100% AB", "Åkeri Östlund AB"].sort());
    expect(await names(w.ctx, { q: w.numbers.bygg.slice(3) }, ids)).toEqual(["Byggmästarna 100% AB"]);
    expect(await names(w.ctx, { q: "Finns inte AB" }, ids)).toEqual([]);
  });

  it("filters by goal, tier and status of one and the same partnership", async () => {
    const w = await world();
    const ids = [w.akeri.id, w.bygg.id, w.forening.id];
    const sorted = async (q: Record<string, string>) => (await names(w.ctx, q, ids)).sort();
    expect(await sorted({ goal: String(w.trygga) })).toEqual(["Byggmästarna 100% AB", "Åkeri Östlund AB"].sort());
    expect(await sorted({ tier: "huvudpartner" })).toEqual(["Byggmästarna 100% AB", "Åkeri Östlund AB"].sort());
    expect(await sorted({ status: "active" })).toEqual(["Åkeri Östlund AB"]);
    // Byggmästarna is huvudpartner (of another goal) and partner of Alla är trygga, but not huvudpartner of it.
    expect(await sorted({ goal: String(w.trygga), tier: "huvudpartner" })).toEqual(["Åkeri Östlund AB"]);
    expect(await sorted({ goal: String(w.ensam), status: "lapsed", q: "bygg" })).toEqual(["Byggmästarna 100% AB"]);
    // Unknown values are ignored, not refused and not a 500.
    expect(organisationFilters({ goal: "1e3", tier: "guld", status: "'; drop table x" })).toEqual({ q: "", goal: null, tier: "", status: "" });
  });

  it("CSV: UTF-8 with a BOM, ';' between fields, å/ä/ö intact, the list's columns and selection, formulas defused", async () => {
    const w = await world();
    const file = await exportOrganisationsCsv(w.ctx, organisationFilters({ q: "55990" }));
    const bytes = Buffer.from(file.body, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual(BOM);
    // "Å" as UTF-8 (C3 85), not as a Windows-1252 byte or a mangled "Ã…".
    expect(bytes.includes(Buffer.from([0xc3, 0x85]))).toBe(true);
    expect(file.body).not.toContain("Ã");
    const rows = parse(bytes.subarray(3).toString("utf8"));
    expect(rows[0]).toEqual(["Namn", "Organisationsnummer", "Adress", "Postnummer", "Ort", "Webbplats", "Bransch", "E-post för fakturor", "Partnerskap", "Skapad", "Demo"]);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect([...byName.keys()].sort()).toEqual(["Byggmästarna 100% AB", "Åkeri Östlund AB"].sort());
    expect(byName.get("Åkeri Östlund AB")).toMatchObject({ 1: w.numbers.akeri, 4: "Västerås", 8: "Alla är trygga – Huvudpartner (Aktiv)", 10: "nej" });
    expect(file.body).toContain("\r\n");
    expect(file.filename).toMatch(/^organisationer-\d{4}-\d{2}-\d{2}\.csv$/);

    const contacts = await exportContactsCsv(w.ctx, organisationFilters({ q: "55990" }));
    expect([...Buffer.from(contacts.body, "utf8").subarray(0, 3)]).toEqual(BOM);
    const crows = parse(contacts.body.slice(1));
    expect(crows[0]).toEqual(["Organisation", "Organisationsnummer", "Kontaktperson", "E-post", "Roller", "Administratör"]);
    expect(crows).toContainEqual(["Åkeri Östlund AB", w.numbers.akeri, "Anna Åström", w.contact.email, "Huvudkontakt, Fakturering", "ja"]);
    // A name that Excel would run as a formula is kept as text.
    expect(crows.find((r) => r[0] === "Byggmästarna 100% AB")?.[2]).toBe("'=HYPERLINK(\"x\")");
    // English staff get English headings.
    const en = await exportContactsCsv({ ...w.ctx, locale: "en" }, organisationFilters({ q: w.numbers.akeri }));
    expect(en.body.split("\r\n")[0]).toBe("\ufeffOrganisation;Organisation number;Contact;Email;Roles;Administrator");
  });
});
