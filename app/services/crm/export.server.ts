import { stringify } from "csv-stringify/sync";
import { crmMessages, partnershipStatusLabels } from "~/i18n/crm";
import { contactRoleName } from "~/i18n/organisations";
import type { ServiceContext } from "~/services/context";
import { searchContacts, searchOrganisations, type OrganisationFilters } from "./organisation-search.server";

/**
 * CSV exports of the staff organisation list (issue 11 item 2), for Excel as Swedish staff use it:
 *
 * - UTF-8 with a byte order mark: without the BOM Excel reads a CSV in the Windows code page
 *   (Windows-1252) and "Åkeri" shows as "Ã…keri"; the BOM tells it the file is UTF-8.
 * - `;` between fields: Excel in Swedish splits a CSV on the list separator of the Swedish regional
 *   settings, which is `;` (the comma is the decimal separator there), so a comma file opens as one column.
 * - CRLF line ends, and a cell beginning with = + - @ (a formula to Excel) starts with an apostrophe,
 *   so a company name typed at sign-up cannot run as a formula on a staff computer.
 *
 * Written with `csv-stringify` (quoting of `;`, quotes and line breaks inside a cell is the library's).
 * The selection is the list's: the same filters (organisation-search.server.ts), staff only.
 */

export interface CsvFile {
  filename: string;
  /** The file's bytes as text, BOM first. */
  body: string;
}

function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function toCsv(header: string[], rows: (string | null)[][]): string {
  return stringify([header, ...rows.map((r) => r.map((v) => defuse(v ?? "")))], { bom: true, delimiter: ";", record_delimiter: "windows", quoted_match: /^\s|\s$/ });
}

export async function exportOrganisationsCsv(ctx: ServiceContext, filters: OrganisationFilters, now = new Date()): Promise<CsvFile> {
  const rows = await searchOrganisations(ctx, filters);
  const t = crmMessages(ctx.locale);
  const status = partnershipStatusLabels(ctx.locale) as Record<string, string>;
  const body = toCsv(
    [t.csvName, t.csvOrgNumber, t.csvAddress, t.csvPostalCode, t.csvCity, t.csvWebsite, t.csvIndustry, t.csvInvoiceEmail, t.csvPartnerships, t.csvCreated, t.csvDemo],
    rows.map((o) => [
      o.name,
      o.orgNumber,
      o.address,
      o.postalCode,
      o.city,
      o.website,
      o.industry,
      o.invoiceEmail,
      o.partnerships.map((p) => `${p.goal} – ${p.tier} (${status[p.status] ?? p.status})`).join(", "),
      o.createdAt.toISOString().slice(0, 10),
      o.demo ? t.yes : t.no,
    ]),
  );
  return { filename: `${ctx.locale === "en" ? "organisations" : "organisationer"}-${now.toISOString().slice(0, 10)}.csv`, body };
}

export async function exportContactsCsv(ctx: ServiceContext, filters: OrganisationFilters, now = new Date()): Promise<CsvFile> {
  const rows = await searchContacts(ctx, filters);
  const t = crmMessages(ctx.locale);
  const body = toCsv(
    [t.csvOrganisation, t.csvOrgNumber, t.csvContactName, t.csvEmail, t.csvRoles, t.csvIsAdmin],
    rows.map((c) => [c.organisationName, c.orgNumber, c.name, c.email, c.roles.map((r) => contactRoleName(r, ctx.locale)).join(", "), c.isAdmin ? t.yes : t.no]),
  );
  return { filename: `${ctx.locale === "en" ? "contacts" : "kontaktpersoner"}-${now.toISOString().slice(0, 10)}.csv`, body };
}
