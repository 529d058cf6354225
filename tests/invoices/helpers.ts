import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Db } from "~db/client.server";
import type { Actor, ServiceContext } from "~/services/context";
import type { EmailTransport, OutgoingEmail } from "~/services/email/transport.server";
import type { DraftInput } from "~/services/invoices/invoices.server";
import { updateCharityBankgiro } from "~/services/settings/charity-bankgiro.server";
import { updateCharityIdentity } from "~/services/settings/charity.server";
import { createOrganisation, createStaff } from "../factories";

// Read PDF text back with Mozilla's PDF.js (as tests/invoices/invoice-pdf.test.ts does): no poppler needed.
const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts/");
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : "")).join(""));
  }
  await doc.destroy();
  return pages.join("\n").replace(/\u00a0/g, " ");
}

export function ctxFor(db: Db, actor: Actor, locale: "sv" | "en" = "sv"): ServiceContext {
  return { db, actor, locale };
}

/** A staff member (fundraiser) as a service actor. */
export async function staffContext(db: Db): Promise<ServiceContext> {
  const staff = await createStaff(db, "fundraiser");
  return ctxFor(db, { kind: "person", personId: staff.id, email: staff.email, name: staff.name, roles: ["fundraiser"], organisations: [] });
}

/** An organisation with one contact, and that contact as a service actor. */
export async function organisationWithContact(db: Db) {
  const org = await createOrganisation(db, {}, { contacts: 1 });
  const contact = org.contacts[0];
  const ctx = ctxFor(db, { kind: "person", personId: contact.id, email: contact.email, name: contact.name, roles: [], organisations: [{ organisationId: org.id, isAdmin: true }] });
  return { org, contact: ctx };
}

// Made-up identity and a Luhn-valid made-up bankgiro (formats.md §3.4): tests never print the real charity's facts.
export const testSeller = { name: "Stödföreningen Hjälpen", organisationNumber: "802005-1952", address: "Storgatan 1, 722 11 Västerås", bankgiro: "900-1231" };

/** The settings a bank invoice needs. */
export async function completeInvoiceSettings(staff: ServiceContext): Promise<void> {
  await updateCharityIdentity(staff, {
    name: testSeller.name,
    organisationNumber: testSeller.organisationNumber,
    address: testSeller.address,
    email: "faktura@example.se",
    phone: "",
    website: "",
  });
  await updateCharityBankgiro(staff, { bankgiro: testSeller.bankgiro });
}

export function draftInput(organisationId: number, over: Partial<DraftInput> = {}): DraftInput {
  return {
    organisationId: String(organisationId),
    issueDate: "2026-11-20",
    dueDate: "2026-12-20",
    buyerName: "Åkeri Öberg AB",
    buyerOrgNumber: "556677-8899",
    buyerAddress: "Industrigatan 4\n721 30 Västerås",
    buyerEmail: "faktura@oberg.example.se",
    buyerReference: "PO-4711",
    delivery: "bank",
    channel: "partner_fee",
    lines: [
      { text: "Partneravgift 2027", amount: "600", goal: "" },
      { text: "Julinsamling", amount: "400", goal: "" },
    ],
    ...over,
  };
}

/** An email transport that keeps what it was given (attachments included). */
export function capturingTransport(): EmailTransport & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return {
    name: "capture",
    sent,
    async send(message) {
      sent.push(message);
      return { providerId: `capture-${message.id}` };
    },
  };
}
