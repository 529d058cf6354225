import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Section } from "@react-email/section";
import { Text } from "./text";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { formatOre } from "~/utils/money";
import { EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/**
 * A partner sign-up's steps (issue 11 item 5), to the company's contact and to staff: received,
 * invoice sent, paid, active. One template; `step` and `audience` choose the words.
 */
export const signupSteps = ["received", "invoice_sent", "paid", "active"] as const;
export type SignupStep = (typeof signupSteps)[number];

export interface PartnerSignupProps {
  step: SignupStep;
  audience: "partner" | "staff";
  companyName: string;
  goalTitle: string;
  tierName: string;
  amountOre: string;
  /** card | bank_invoice | stripe_invoice */
  paymentMethod: string;
  invoiceNumber?: string | null;
  /** Partner: their dashboard; staff: the partnership's page. */
  url: string;
}

const messages = defineMessages({
  sv: {
    subject_received: "Anmälan mottagen: {company} som {tier} för {goal}",
    subject_invoice_sent: "Faktura {invoice} skickad: partneravgift för {goal}",
    subject_paid: "Betalning mottagen: partneravgift för {goal}",
    subject_active: "Partnerskapet är aktivt: {company} och {goal}",
    partner_received: "Tack! Vi har tagit emot anmälan av {company} som {tier} för {goal}, {amount} per år. Vi granskar alla nya partnerskap innan de blir aktiva.",
    partner_invoice_sent: "Fakturan {invoice} på {amount} är skickad till er fakturaadress.",
    partner_paid: "Vi har tagit emot er betalning på {amount} för {goal}. Tack!",
    partner_active: "Partnerskapet mellan {company} och {goal} är nu aktivt.",
    staff_received: "Ny partneranmälan: {company} som {tier} för {goal}, {amount} per år. Betalning: {method}. Partnerskapet behöver granskas och godkännas.",
    staff_invoice_sent: "Faktura {invoice} på {amount} är skickad till {company}.",
    staff_paid: "{company} har betalat {amount} i partneravgift för {goal}.",
    staff_active: "Partnerskapet mellan {company} och {goal} är aktivt (betalt och godkänt).",
    method_card: "kort",
    method_bank_invoice: "faktura med bankgiro",
    method_stripe_invoice: "faktura via Stripe",
    button_partner: "Till er partnersida",
    button_staff: "Öppna partnerskapet",
  },
  en: {
    subject_received: "Sign-up received: {company} as {tier} of {goal}",
    subject_invoice_sent: "Invoice {invoice} sent: partner fee for {goal}",
    subject_paid: "Payment received: partner fee for {goal}",
    subject_active: "The partnership is active: {company} and {goal}",
    partner_received: "Thank you! We have received the sign-up of {company} as {tier} of {goal}, {amount} a year. We review every new partnership before it becomes active.",
    partner_invoice_sent: "Invoice {invoice} of {amount} has been sent to your invoice address.",
    partner_paid: "We have received your payment of {amount} for {goal}. Thank you!",
    partner_active: "The partnership between {company} and {goal} is now active.",
    staff_received: "New partner sign-up: {company} as {tier} of {goal}, {amount} a year. Payment: {method}. The partnership needs reviewing and signing off.",
    staff_invoice_sent: "Invoice {invoice} of {amount} has been sent to {company}.",
    staff_paid: "{company} has paid {amount} in partner fees for {goal}.",
    staff_active: "The partnership between {company} and {goal} is active (paid and signed off).",
    method_card: "card",
    method_bank_invoice: "invoice with bankgiro",
    method_stripe_invoice: "invoice through Stripe",
    button_partner: "To your partner page",
    button_staff: "Open the partnership",
  },
});

function values(p: PartnerSignupProps, locale: Locale) {
  const t = messages(locale) as Record<string, string>;
  return { company: p.companyName, goal: p.goalTitle, tier: p.tierName, amount: formatOre(p.amountOre), invoice: p.invoiceNumber ?? "", method: t[`method_${p.paymentMethod}`] ?? p.paymentMethod };
}

function PartnerSignupEmail(props: PartnerSignupProps & EmailContext) {
  const { locale, identity, step, audience, url } = props;
  const t = messages(locale) as Record<string, string>;
  const subject = fill(t[`subject_${step}`], values(props, locale));
  return (
    <EmailLayout locale={locale} identity={identity} preview={subject}>
      <Heading style={emailStyles.heading}>{subject}</Heading>
      <Text style={emailStyles.text}>{fill(t[`${audience}_${step}`], values(props, locale))}</Text>
      <Section style={{ margin: "16px 0 24px" }}>
        <Button href={url} style={emailStyles.button}>
          {t[`button_${audience}`]}
        </Button>
      </Section>
    </EmailLayout>
  );
}

export const partnerSignup: EmailTemplate<PartnerSignupProps> = {
  subject: (locale, props) => fill((messages(locale) as Record<string, string>)[`subject_${props.step}`], values(props, locale)),
  component: PartnerSignupEmail,
  previewProps: {
    step: "received",
    audience: "partner",
    companyName: "Exempelföretaget AB (fiktivt)",
    goalTitle: "Alla är trygga",
    tierName: "Vänföretag",
    amountOre: "1000000",
    paymentMethod: "card",
    invoiceNumber: null,
    url: "http://localhost:3000/partner",
  },
};
