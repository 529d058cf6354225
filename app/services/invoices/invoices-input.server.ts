import { z } from "zod";
import { invoiceDeliveries, paymentChannels, type InvoiceDelivery, type PaymentChannel } from "~db/schema";
import { idSchema, safeText } from "~/services/auth/validation";
import { Invalid } from "~/services/errors";
import { checkOrgNumber } from "~/services/organisations/org-number";
import { parseKronor } from "~/utils/money";
import { checkOcr } from "./ocr";
import { stockholmDay } from "~/utils/dates";

/**
 * Reading what staff typed for an invoice. Every problem is a field error code (translated in
 * app/i18n/invoices.ts); the whole input is checked before anything is written, so one request gets
 * every message at once. Line fields are named `lines[i].text`, `lines[i].amount`, `lines[i].goal`.
 */

export const MAX_INVOICE_LINES = 50;
/** 10 million kronor: far above any partner fee, and well inside bigint/JS number arithmetic in the views. */
export const MAX_INVOICE_ORE = 1_000_000_000n;

export type DraftInput = {
  organisationId?: unknown;
  issueDate?: unknown;
  dueDate?: unknown;
  buyerName?: unknown;
  buyerOrgNumber?: unknown;
  buyerAddress?: unknown;
  buyerEmail?: unknown;
  buyerReference?: unknown;
  locale?: unknown;
  delivery?: unknown;
  channel?: unknown;
  /** Optional: the total staff expect; must equal the sum of the lines when given. */
  total?: unknown;
  lines?: ReadonlyArray<{ text?: unknown; amount?: unknown; goal?: unknown }>;
};

export type ParsedDraft = {
  organisationId: number;
  issueDate: string;
  dueDate: string;
  buyerName: string;
  buyerOrgNumber: string | null;
  buyerAddress: string;
  buyerEmail: string;
  buyerReference: string | null;
  locale: "sv" | "en";
  delivery: InvoiceDelivery;
  channel: PaymentChannel;
  totalOre: bigint;
  lines: { text: string; amountOre: bigint; goalId: number | null }[];
};

const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

/** A calendar date typed as YYYY-MM-DD (what <input type="date"> sends), and a real one (no 31 February). */
export function parseIsoDate(value: unknown): string | null {
  const text = str(value).trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.getUTCFullYear() !== Number(m[1]) || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) return null;
  if (date.getUTCFullYear() < 2000 || date.getUTCFullYear() > 2100) return null;
  return text;
}

/** An amount in kronor: a code when it is not one (negative and zero get their own). */
export function parseAmount(value: unknown): { ore: bigint } | { code: string } {
  const text = str(value).trim();
  if (text === "") return { code: "required" };
  if (/^[-−]/.test(text)) return { code: "amount_not_positive" };
  const ore = parseKronor(text);
  if (ore === null) return { code: "amount" };
  if (ore <= 0n) return { code: "amount_not_positive" };
  if (ore > MAX_INVOICE_ORE) return { code: "amount_too_large" };
  return { ore };
}

const textField = (max: number, value: unknown, errors: Record<string, string>, field: string, required = false): string => {
  const parsed = safeText(max).safeParse(str(value));
  if (!parsed.success) {
    errors[field] = parsed.error.issues[0]?.message ?? "invalid";
    return "";
  }
  if (required && parsed.data === "") errors[field] = "required";
  return parsed.data;
};

/** The whole draft, or Invalid with every field's code. */
export function parseDraft(input: DraftInput): ParsedDraft {
  const errors: Record<string, string> = {};
  const organisation = idSchema.safeParse(input.organisationId);
  if (!organisation.success) errors.organisationId = "required";

  const issueDate = parseIsoDate(input.issueDate);
  if (!issueDate) errors.issueDate = str(input.issueDate).trim() ? "date" : "required";
  const dueDate = parseIsoDate(input.dueDate);
  if (!dueDate) errors.dueDate = str(input.dueDate).trim() ? "date" : "required";
  if (issueDate && dueDate && dueDate < issueDate) errors.dueDate = "due_before_issue";

  const buyerName = textField(200, input.buyerName, errors, "buyerName", true);
  const buyerAddress = textField(500, input.buyerAddress, errors, "buyerAddress");
  const buyerReference = textField(200, input.buyerReference, errors, "buyerReference");
  const emailText = textField(200, input.buyerEmail, errors, "buyerEmail");
  if (!errors.buyerEmail) {
    if (emailText === "") errors.buyerEmail = "buyer_email_required";
    else if (!z.email().safeParse(emailText).success) errors.buyerEmail = "email";
  }
  const orgText = textField(20, input.buyerOrgNumber, errors, "buyerOrgNumber");
  let buyerOrgNumber: string | null = null;
  if (orgText && !errors.buyerOrgNumber) {
    const checked = checkOrgNumber(orgText);
    if (checked.ok) buyerOrgNumber = checked.number;
    else errors.buyerOrgNumber = checked.code;
  }

  const locale = str(input.locale) === "en" ? "en" : "sv";
  const deliveryText = str(input.delivery) || "bank";
  if (!(invoiceDeliveries as readonly string[]).includes(deliveryText)) errors.delivery = "invalid";
  const channelText = str(input.channel) || "partner_fee";
  if (!(paymentChannels as readonly string[]).includes(channelText)) errors.channel = "invalid";

  const lines: ParsedDraft["lines"] = [];
  const rawLines = (input.lines ?? []).filter((l) => [l.text, l.amount, l.goal].some((v) => str(v).trim() !== ""));
  if (rawLines.length === 0) errors["lines[0].text"] = "lines_required";
  if (rawLines.length > MAX_INVOICE_LINES) errors._form = "too_many_lines";
  rawLines.slice(0, MAX_INVOICE_LINES).forEach((line, i) => {
    const text = textField(300, line.text, errors, `lines[${i}].text`, true);
    const amount = parseAmount(line.amount);
    if ("code" in amount) errors[`lines[${i}].amount`] = amount.code;
    const goalText = str(line.goal).trim();
    let goalId: number | null = null;
    if (goalText !== "" && goalText !== "none") {
      const goal = idSchema.safeParse(goalText);
      if (goal.success) goalId = goal.data;
      else errors[`lines[${i}].goal`] = "invalid";
    }
    lines.push({ text, amountOre: "ore" in amount ? amount.ore : 0n, goalId });
  });
  const totalOre = lines.reduce((sum, l) => sum + l.amountOre, 0n);
  if (totalOre > MAX_INVOICE_ORE) errors.total = "amount_too_large";
  if (str(input.total).trim() !== "") {
    const expected = parseAmount(input.total);
    if ("code" in expected) errors.total = expected.code;
    else if (!Object.keys(errors).some((k) => k.startsWith("lines[")) && expected.ore !== totalOre) errors.total = "total_mismatch";
  }
  if (Object.keys(errors).length) throw new Invalid("invalid_invoice", errors);
  return {
    organisationId: organisation.data as number,
    issueDate: issueDate as string,
    dueDate: dueDate as string,
    buyerName,
    buyerOrgNumber,
    buyerAddress,
    buyerEmail: emailText.toLowerCase(),
    buyerReference: buyerReference || null,
    locale,
    delivery: deliveryText as InvoiceDelivery,
    channel: channelText as PaymentChannel,
    totalOre,
    lines,
  };
}

export type PaymentFormInput = { paidOn?: unknown; amount?: unknown; reference?: unknown; ocr?: unknown };
export type ParsedPayment = { paidOn: string; amountOre: bigint; reference: string | null };

/**
 * Staff marking money received: the date it reached the account, the amount, the bank's reference.
 * An OCR reference typed in must be a valid one and this invoice's (`expectedOcr`): a payment meant
 * for another invoice is not booked here by mistake.
 */
export function parsePaymentForm(input: PaymentFormInput, expectedOcr: string | null, today: string): ParsedPayment {
  const errors: Record<string, string> = {};
  const paidOn = parseIsoDate(input.paidOn);
  if (!paidOn) errors.paidOn = str(input.paidOn).trim() ? "date" : "required";
  else if (paidOn > today) errors.paidOn = "date_in_future";
  const amount = parseAmount(input.amount);
  if ("code" in amount) errors.amount = amount.code;
  const reference = textField(100, input.reference, errors, "reference");
  const ocrText = str(input.ocr).trim();
  if (ocrText !== "") {
    const checked = checkOcr(ocrText);
    if (!checked.ok) errors.ocr = `ocr_${checked.problem}`;
    else if (checked.reference !== expectedOcr) errors.ocr = "ocr_other_invoice";
  }
  if (Object.keys(errors).length) throw new Invalid("invalid_payment", errors);
  return { paidOn: paidOn as string, amountOre: (amount as { ore: bigint }).ore, reference: reference || null };
}

/** Today's date in Sweden (where due dates fall), as YYYY-MM-DD. */
export function swedishDate(now: Date): string {
  return stockholmDay(now);
}
