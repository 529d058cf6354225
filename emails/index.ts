import { collectionMilestone, collectionSummary } from "./collection-owner";
import { companyInvoice, companyInvoiceReminder } from "./company-invoice";
import { contactInvitation } from "./contact-invitation";
import { giftReceipt } from "./gift-receipt";
import { monthlyGiftFailed } from "./monthly-gift-failed";
import { notice } from "./notice";
import { partnerSignup } from "./partner-signup";
import { signInLink } from "./sign-in-link";
import type { EmailTemplate } from "./types";
import { workplacePledgeConfirmation, workplaceSummary } from "./workplace-pledge";

export type { EmailContext, EmailTemplate } from "./types";

/**
 * Every email template, by name. To add one: a file in emails/ exporting an EmailTemplate, and one
 * line here. The outbox stores the name; the worker renders at send time.
 */
const registry = {
  "sign-in-link": signInLink,
  notice,
  "gift-receipt": giftReceipt,
  "monthly-gift-failed": monthlyGiftFailed,
  "contact-invitation": contactInvitation,
  "company-invoice": companyInvoice,
  "company-invoice-reminder": companyInvoiceReminder,
  "partner-signup": partnerSignup,
  "collection-milestone": collectionMilestone,
  "collection-summary": collectionSummary,
  "workplace-pledge-confirmation": workplacePledgeConfirmation,
  "workplace-summary": workplaceSummary,
} satisfies Record<string, EmailTemplate>;

export type TemplateName = keyof typeof registry;
export const templates: Record<TemplateName, EmailTemplate> = registry;

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name);
}
