import { eq } from "drizzle-orm";
import type { Db } from "~db/client.server";
import * as schema from "~db/schema";
import { outboxInsert } from "~/services/email/outbox.server";
import { partnerRouteFixtures } from "../partners/fixtures";
import { createPersonas, type PersonaName, type Personas } from "./helpers";

/**
 * Who may use which route. Every file in app/routes must have an entry here (the first test fails
 * otherwise), so a new route cannot ship without someone deciding its access.
 *
 *   public    everyone, signed in or not, gets the same answer (links with their own secret count
 *             here too: the secret, not the session, decides)
 *   signedIn  any signed-in person; anonymous visitors are sent to /login
 *   staff     admin or fundraiser; others signed in get 403
 *   admin     admin only
 *   orgA/orgB a contact of that organisation (contactAB is a contact of both), or staff; anyone else
 *             signed in gets 403
 */
export type Access = "public" | "signedIn" | "staff" | "admin" | "orgA" | "orgB";
/** The personas, a mail for the dev mailbox, the partner fixtures and two logos (organisation A's, hidden, and a public organisation's). */
export type World = Personas & { mailId: number; logos: { orgA: number; public: number }; payrollRunA: number } & Awaited<ReturnType<typeof partnerRouteFixtures>>;
export interface Case {
  url: (p: World) => string;
  params?: (p: World) => Record<string, string>;
  loader: Access | null;
  action: Access | null;
  /** Form fields for the action check: harmless input (an allowed caller gets a 4xx or a no-op). */
  body?: Record<string, string>;
  /** The action ends the caller's session (sign-out): give it a throw-away one. */
  freshSession?: boolean;
}

export const accessMatrix: Record<string, Case[]> = {
  "$.tsx": [{ url: () => "/finns-inte", params: () => ({ "*": "finns-inte" }), loader: "public", action: null }],
  "_index.tsx": [{ url: () => "/", loader: "public", action: null }],
  "about.tsx": [{ url: () => "/about", loader: "public", action: null }],
  "api.goals.ts": [{ url: () => "/api/goals", loader: "public", action: null }],
  "api.goals.$slug.ts": [{ url: () => "/api/goals/alla-ar-trygga", params: () => ({ slug: "alla-ar-trygga" }), loader: "public", action: null }],
  // Public transparency (issue 14): the same figures for everyone, no donor's data.
  "insyn.tsx": [{ url: () => "/insyn", loader: "public", action: null }],
  "transparency.tsx": [{ url: () => "/transparency", loader: "public", action: null }],
  "api.transparency.ts": [{ url: () => "/api/transparency", loader: "public", action: null }],
  "admin.partnerships._index.tsx": [{ url: () => "/admin/partnerships?status=active", loader: "staff", action: null }],
  "admin.partnerships.new.tsx": [{ url: () => "/admin/partnerships/new", loader: "staff", action: "staff", body: { organisationId: "" } }],
  "admin.partnerships.$id.tsx": [{ url: () => "/admin/partnerships/999999", params: () => ({ id: "999999" }), loader: "staff", action: "staff", body: { intent: "renew" } }],
  "admin.partnerships.settings.tsx": [{ url: () => "/admin/partnerships/settings", loader: "staff", action: "staff", body: { renewalNoticeDays: "x" } }],
  "admin.tiers.tsx": [{ url: () => "/admin/tiers", loader: "staff", action: "staff", body: { intent: "minimum", tier: "nope" } }],
  "goals.$slug.tsx": [{ url: () => "/goals/alla-ar-trygga", params: () => ({ slug: "alla-ar-trygga" }), loader: "public", action: null }],
  "healthz.ts": [{ url: () => "/healthz", loader: "public", action: null }],
  "ping.ts": [{ url: () => "/ping", loader: "public", action: null }],
  "lang.ts": [{ url: () => "/lang", loader: "public", action: "public", body: { lang: "xx" } }],
  "login.tsx": [{ url: () => "/login", loader: "public", action: "public", body: { email: "not-an-email" } }],
  "login_.verify.tsx": [{ url: () => "/login/verify?token=nope", loader: "public", action: "public", body: { token: "nope" } }],
  "logout.tsx": [{ url: () => "/logout", loader: "public", action: "public", freshSession: true }],
  "account.tsx": [{ url: () => "/account", loader: "signedIn", action: "signedIn", body: { intent: "nothing" } }],
  // An organisation's own page: its contacts change the invoice details and the logo (a bad address is a 400).
  "org.$organisationId.tsx": [
    { url: (p) => `/org/${p.orgA}`, params: (p) => ({ organisationId: String(p.orgA) }), loader: "orgA", action: "orgA", body: { intent: "invoice", invoiceEmail: "nope" } },
    { url: (p) => `/org/${p.orgB}`, params: (p) => ({ organisationId: String(p.orgB) }), loader: "orgB", action: "orgB", body: { intent: "invoice", invoiceEmail: "nope" } },
  ],
  // Logos: a public organisation's to everyone; a hidden one's (A's) to its contacts and staff only.
  "logos.$logoId.ts": [
    { url: (p) => `/logos/${p.logos.public}`, params: (p) => ({ logoId: String(p.logos.public) }), loader: "public", action: null },
    { url: (p) => `/logos/${p.logos.orgA}`, params: (p) => ({ logoId: String(p.logos.orgA) }), loader: "orgA", action: null },
  ],
  "admin.organisations.$organisationId_.edit.tsx": [
    { url: (p) => `/admin/organisations/${p.orgA}/edit`, params: (p) => ({ organisationId: String(p.orgA) }), loader: "staff", action: "staff", body: { name: "" } },
  ],
  // The staff layout (side navigation) around every /admin page.
  "admin.tsx": [{ url: () => "/admin", loader: "staff", action: null }],
  "admin._index.tsx": [{ url: () => "/admin", loader: "staff", action: null }],
  "admin.dashboard[.]csv.ts": [{ url: () => "/admin/dashboard.csv?table=goals", loader: "staff", action: null }],
  "admin.organisations._index.tsx": [{ url: () => "/admin/organisations", loader: "staff", action: "staff", body: { name: "" } }],
  "admin.organisations.$organisationId.tsx": [
    {
      url: (p) => `/admin/organisations/${p.orgA}`,
      params: (p) => ({ organisationId: String(p.orgA) }),
      loader: "staff",
      action: "staff",
      body: { intent: "add", email: "not-an-email" },
    },
  ],
  "admin.settings.tsx": [{ url: () => "/admin/settings", loader: "staff", action: "staff", body: { name: "" } }],
  "admin.people.tsx": [{ url: () => "/admin/people", loader: "admin", action: "admin", body: { intent: "nothing" } }],
  "admin.audit.tsx": [{ url: () => "/admin/audit", loader: "admin", action: null }],
  "admin.email.tsx": [{ url: () => "/admin/email", loader: "admin", action: "admin", body: { id: "x" } }],
  // The dev mailbox is open to everyone in local mode and absent (404) in production (tested below).
  "dev.mail._index.tsx": [{ url: () => "/dev/mail", loader: "public", action: null }],
  "dev.mail.$id.tsx": [{ url: (p) => `/dev/mail/${p.mailId}`, params: (p) => ({ id: String(p.mailId) }), loader: "public", action: null }],
  "dev.mail.$id_.html.ts": [{ url: (p) => `/dev/mail/${p.mailId}/html`, params: (p) => ({ id: String(p.mailId) }), loader: "public", action: null }],
  // The design system's specimen page: local mode only, a 404 in production (tested below).
  "dev.ui.tsx": [{ url: () => "/dev/ui", loader: "public", action: "public", body: { intent: "remove" } }],
  // Payments (issue 4): public pages; the monthly-gift page is opened by its signed link, the
  // simulator only exists without Stripe keys, and the webhook is checked by Stripe's signature.
  "give._index.tsx": [{ url: () => "/give", loader: "public", action: "public", body: {} }],
  "collections.new.tsx": [{ url: () => "/collections/new", loader: "signedIn", action: "signedIn", body: { title: "" } }],
  "c.$slug._index.tsx": [{ url: () => "/c/finns-inte", params: () => ({ slug: "finns-inte" }), loader: "public", action: null }],
  "c.$slug.poster.tsx": [{ url: () => "/c/finns-inte/poster", params: () => ({ slug: "finns-inte" }), loader: "public", action: null }],
  "c.$slug.image.ts": [{ url: () => "/c/finns-inte/image", params: () => ({ slug: "finns-inte" }), loader: "public", action: null }],
  "api.collections.$slug.ts": [{ url: () => "/api/collections/finns-inte", params: () => ({ slug: "finns-inte" }), loader: "public", action: null }],
  "give.thanks.tsx": [{ url: () => "/give/thanks", loader: "public", action: null }],
  "give.cancelled.tsx": [{ url: () => "/give/cancelled", loader: "public", action: null }],
  "give.monthly.$token.tsx": [
    { url: () => "/give/monthly/not-a-token", params: () => ({ token: "not-a-token" }), loader: "public", action: "public", body: { intent: "nothing" } },
  ],
  "dev.checkout.$id.tsx": [{ url: () => "/dev/checkout/nope", params: () => ({ id: "nope" }), loader: "public", action: "public", body: { do: "nothing" } }],
  "admin.payments.tsx": [{ url: () => "/admin/payments", loader: "staff", action: null }],
  "admin.goals._index.tsx": [{ url: () => "/admin/goals", loader: "staff", action: null }],
  "admin.goals.$slug.tsx": [
    { url: () => "/admin/goals/alla-ar-trygga", params: () => ({ slug: "alla-ar-trygga" }), loader: "staff", action: "staff", body: { titleSv: "" } },
  ],
  "admin.allocation.tsx": [{ url: () => "/admin/allocation", loader: "staff", action: "staff", body: {} }],
  "admin.corrections.tsx": [{ url: () => "/admin/corrections", loader: "staff", action: "staff", body: { intent: "correction" } }],
  "admin.goals.$slug_.ledger.tsx": [
    { url: () => "/admin/goals/alla-ar-trygga/ledger", params: () => ({ slug: "alla-ar-trygga" }), loader: "staff", action: null },
  ],
  "webhooks.stripe.ts": [{ url: () => "/webhooks/stripe", loader: "public", action: "public", body: {} }],
  // BgMax import (issue 9): staff upload Bankgirot's file and resolve what it could not match.
  // Competitions and teams (issue 12 items 5-6): unknown slugs, so allowed callers get a 404 or a 400.
  "api.competitions.$slug.ts": [{ url: () => "/api/competitions/finns-inte", params: () => ({ slug: "finns-inte" }), loader: "public", action: null }],
  "competitions.new.tsx": [{ url: () => "/competitions/new", loader: "signedIn", action: "signedIn", body: {} }],
  "competitions.$slug.tsx": [{ url: () => "/competitions/finns-inte", params: () => ({ slug: "finns-inte" }), loader: "public", action: "signedIn", body: { mode: "total" } }],
  "competitions.$slug_.join.tsx": [{ url: () => "/competitions/finns-inte/join?code=x", params: () => ({ slug: "finns-inte" }), loader: "signedIn", action: "signedIn", body: { name: "" } }],
  "c.$slug.join.tsx": [{ url: () => "/c/finns-inte/join?code=x", params: () => ({ slug: "finns-inte" }), loader: "signedIn", action: "signedIn", body: { title: "" } }],
  "admin.invoices.import.tsx": [{ url: () => "/admin/invoices/import", loader: "staff", action: "staff", body: {} }],
  // Company invoices (issue 9): the staff pages. Harmless bodies: a draft without fields and a void
  // without its confirmation are refused before anything is written; a missing invoice is a 404.
  // The staff CRM (issue 11 item 2). Harmless bodies: a task or an interaction without fields is refused before anything is written.
  "admin.tasks.tsx": [{ url: () => "/admin/tasks?view=overdue", loader: "staff", action: "staff", body: { intent: "task" } }],
  // Impact figures and yearly reports (issue 14 items 3-4). Harmless bodies: an empty figure or cost form is refused before anything is written.
  "admin.impact.tsx": [{ url: () => "/admin/impact", loader: "staff", action: "staff", body: { intent: "save" } }],
  "admin.reports._index.tsx": [{ url: () => "/admin/reports", loader: "staff", action: "staff", body: { year: "" } }],
  "admin.reports.$year.tsx": [{ url: () => "/admin/reports/2026?goal=alla-ar-trygga", params: () => ({ year: "2026" }), loader: "staff", action: null }],
  "admin.reports.$year_.pdf.tsx": [{ url: () => "/admin/reports/2026/pdf", params: () => ({ year: "2026" }), loader: "staff", action: null }],
  "admin.reports.$year_.effekt.tsx": [{ url: () => "/admin/reports/2026/effekt", params: () => ({ year: "2026" }), loader: "staff", action: "staff", body: { aim: "" } }],
  // Bookkeeping exports (issue 14 item 5). Harmless bodies: a reversed period and a three-digit account are refused before anything is read or written.
  "admin.exports.tsx": [{ url: () => "/admin/exports", loader: "staff", action: "staff", body: { kind: "sie", from: "2026-03-31", to: "2026-03-01" } }],
  "admin.exports_.file.ts": [{ url: () => "/admin/exports/file?kind=payments&from=2026-01-01&to=2026-01-31", loader: "staff", action: null }],
  "admin.exports_.accounts.tsx": [{ url: () => "/admin/exports/accounts", loader: "staff", action: "staff", body: { bank: "193" } }],
  "admin.crm.export.tsx": [
    { url: () => "/admin/crm/export?what=organisations&q=AB", loader: "staff", action: null },
    { url: () => "/admin/crm/export?what=contacts", loader: "staff", action: null },
  ],
  "admin.crm.organisations.$organisationId.tsx": [
    { url: (p) => `/admin/crm/organisations/${p.orgA}`, params: (p) => ({ organisationId: String(p.orgA) }), loader: "staff", action: "staff", body: { intent: "interaction" } },
  ],
  "admin.invoices._index.tsx": [{ url: () => "/admin/invoices?status=sent&overdue=1", loader: "staff", action: null }],
  "partners.join.tsx": [{ url: () => "/partners/join", loader: "public", action: "public", body: {} }],
  "partners.join_.thanks.tsx": [{ url: () => "/partners/join/thanks?ref=nope", loader: "public", action: null }],
  "admin.partner-terms.tsx": [{ url: () => "/admin/partner-terms", loader: "staff", action: "staff", body: {} }],
  "admin.invoices.new.tsx": [{ url: () => "/admin/invoices/new", loader: "staff", action: "staff", body: {} }],
  "admin.invoices.$id.tsx": [{ url: () => "/admin/invoices/999999", params: () => ({ id: "999999" }), loader: "staff", action: "staff", body: { intent: "void" } }],
  "admin.invoices.$id_.pdf.tsx": [{ url: () => "/admin/invoices/999999/pdf", params: () => ({ id: "999999" }), loader: "staff", action: null }],
  "admin.invoices.unmatched.tsx": [{ url: () => "/admin/invoices/unmatched", loader: "staff", action: "staff", body: { id: "0", action: "handled", note: "" } }],
  // The partner dashboard (issue 11 item 8): without ?org= the reader's own first organisation (or an empty
  // page for someone who is nobody's contact); with it, only that organisation's contacts and staff.
  "partner._index.tsx": [
    { url: () => "/partner", loader: "signedIn", action: null },
    { url: (p) => `/partner?org=${p.orgA}`, loader: "orgA", action: null },
    { url: (p) => `/partner?org=${p.orgB}`, loader: "orgB", action: null },
  ],
  "partner.certificates.$partnershipId.$year.ts": [
    {
      url: (p) => `/partner/certificates/${p.partnershipA}/${p.certificateYear}`,
      params: (p) => ({ partnershipId: String(p.partnershipA), year: String(p.certificateYear) }),
      loader: "orgA",
      action: null,
    },
  ],
  // Payroll giving (issue 13 items 1, 2, 7): the employer's page for its contacts (and staff), staff's pages,
  // and the poster, public like the join link (the code is the secret; an unknown one is 404 for everyone).
  "partner.workplace._index.tsx": [
    { url: () => "/partner/workplace", loader: "signedIn", action: null },
    { url: (p) => `/partner/workplace?org=${p.orgA}`, loader: "orgA", action: "orgA", body: { intent: "save" } },
  ],
  "admin.workplace._index.tsx": [{ url: () => "/admin/workplace", loader: "staff", action: null }],
  "admin.workplace.$organisationId.tsx": [
    { url: (p) => `/admin/workplace/${p.orgA}`, params: (p) => ({ organisationId: String(p.orgA) }), loader: "staff", action: "staff", body: { intent: "save" } },
  ],
  "workplace.$code.poster.ts": [{ url: () => "/workplace/finns-inte/poster", params: () => ({ code: "finns-inte" }), loader: "public", action: null }],
  "workplace.$code.tsx": [{ url: () => "/workplace/finnsinte2", params: () => ({ code: "finnsinte2" }), loader: "public", action: "signedIn", body: { kind: "fixed" } }],
  "workplace.summary.$year.tsx": [{ url: () => "/workplace/summary/2026", params: () => ({ year: "2026" }), loader: "signedIn", action: null }],
  "workplace.summary.$year_.pdf.ts": [{ url: () => "/workplace/summary/2026/pdf", params: () => ({ year: "2026" }), loader: "signedIn", action: null }],
  "workplace._index.tsx": [{ url: () => "/workplace", loader: "signedIn", action: "signedIn", body: { intent: "pause", pledgeId: "999999", fromMonth: "2026-12" } }],
  // Workplace payroll runs (issue 13 items 5, 6): the month's list and files for the employer's contacts and staff;
  // the confirm action with no box ticked is a 400 for them. Staff make or re-make a month's list.
  "partner.workplace.runs.$runId.tsx": [{ url: (p) => `/partner/workplace/runs/${p.payrollRunA}`, params: (p) => ({ runId: String(p.payrollRunA) }), loader: "orgA", action: "orgA", body: {} }],
  "partner.workplace.runs.$runId.$format.ts": [{ url: (p) => `/partner/workplace/runs/${p.payrollRunA}/csv`, params: (p) => ({ runId: String(p.payrollRunA), format: "csv" }), loader: "orgA", action: null }],
  "admin.workplace.runs.tsx": [{ url: () => "/admin/workplace/runs", loader: "staff", action: "staff", body: { programmeId: "x", month: "nope" } }],
  "partner.invoices.$id.pdf.ts": [{ url: (p) => `/partner/invoices/${p.invoiceA}/pdf`, params: (p) => ({ id: String(p.invoiceA) }), loader: "orgA", action: null }],
  // A certificate's public check: the code is the secret.
  "verify.$code.tsx": [{ url: (p) => `/verify/${p.certificateCode}`, params: (p) => ({ code: p.certificateCode }), loader: "public", action: null }],
  // Collections, the owner's view and moderation (issue 12 items 4 and 7). The owner-only check of one
  // collection (another person is Forbidden) is the service's, tested in tests/collections/owner.test.ts.
  "c.$slug_.report.tsx": [{ url: () => "/c/finns-inte/report", params: () => ({ slug: "finns-inte" }), loader: "public", action: "public", body: { reason: "" } }],
  "account_.collections._index.tsx": [{ url: () => "/account/collections", loader: "signedIn", action: null }],
  "account_.collections.$slug.tsx": [
    { url: () => "/account/collections/finns-inte", params: () => ({ slug: "finns-inte" }), loader: "signedIn", action: "signedIn", body: { intent: "close" } },
  ],
  "admin.collections._index.tsx": [{ url: () => "/admin/collections", loader: "staff", action: "staff", body: { reportId: "x" } }],
  "admin.collections.$id.tsx": [{ url: () => "/admin/collections/999999", params: () => ({ id: "999999" }), loader: "staff", action: "staff", body: { intent: "handle", reportId: "x" } }],
};

/** What a persona gets from a route whose access is `access`. */
export function expected(access: Access, persona: PersonaName): "login" | "forbidden" | "allowed" {
  if (access === "public") return "allowed";
  if (persona === "anonymous") return "login";
  const staff = persona === "admin" || persona === "fundraiser";
  switch (access) {
    case "signedIn":
      return "allowed";
    case "staff":
      return staff ? "allowed" : "forbidden";
    case "admin":
      return persona === "admin" ? "allowed" : "forbidden";
    case "orgA":
      return staff || persona === "contactA" || persona === "contactAB" ? "allowed" : "forbidden";
    case "orgB":
      return staff || persona === "contactB" || persona === "contactAB" ? "allowed" : "forbidden";
  }
}

/**
 * The world the matrix's URLs point into: the personas with live sessions, a mail in the outbox (the dev
 * mailbox), a public organisation, two logos (organisation A's, hidden, and the public one's),
 * organisation A's payroll programme with a draft run, and the partner fixtures (a partnership with its
 * certificate, an issued invoice). The browser scan writes it into its server's database before starting it.
 */
export async function buildWorld(db: Db, suffix = ""): Promise<World> {
  const p = await createPersonas(db, suffix);
  const [mail] = await outboxInsert(db, { to: "someone@example.com", template: "notice", locale: "sv", props: { subject: "S", heading: "H", body: "B" } }).returning({
    id: schema.emailOutbox.id,
  });
  const [shown] = await db.insert(schema.organisations).values({ name: `Synlig${suffix} AB (test)`, isPublic: true }).returning();
  const logoOf = async (organisationId: number) => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const [logo] = await db.insert(schema.organisationLogos).values({ organisationId, contentType: "image/png", bytes, sha256: "test" }).returning();
    await db.update(schema.organisations).set({ logoId: logo.id }).where(eq(schema.organisations.id, organisationId));
    return logo.id;
  };
  const logos = { orgA: await logoOf(p.orgA), public: await logoOf(shown.id) };
  // Organisation A's payroll month (issue 13): a programme and a draft run, for the payroll routes.
  const [programmeA] = await db.insert(schema.workplaceProgrammes).values({ organisationId: p.orgA, payCode: "9810" }).returning();
  const [runA] = await db.insert(schema.payrollRuns).values({ organisationId: p.orgA, programmeId: programmeA.id, month: "2026-11-01" }).returning();
  return { ...p, mailId: mail.id, logos, payrollRunA: runA.id, ...(await partnerRouteFixtures(db, p.orgA, p.ids.admin)) };
}
