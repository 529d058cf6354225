import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Section } from "@react-email/section";
import { Text } from "./text";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/** Receipt for one successful gift (one-off, or one month of a monthly gift). */
export interface GiftReceiptProps {
  paymentId: string;
  amountOre: string;
  /** The goal's title in the recipient's language, or null for "där behovet är störst". */
  goalTitle: string | null;
  /** ISO date-time of the payment. */
  paidAt: string;
  method: "card" | "swish" | null;
  monthly: boolean;
  donorName: string | null;
  /** Signed self-service link for a monthly gift. */
  manageUrl?: string | null;
}

const messages = defineMessages({
  sv: {
    subject: "Tack för din gåva på {amount}",
    heading: "Tack för din gåva!",
    greeting: "Hej {name}!",
    intro: "Vi har tagit emot din gåva. Här är ditt kvitto.",
    amount: "Belopp",
    goal: "Till",
    whereNeeded: "Där behovet är störst",
    date: "Datum",
    method: "Betalsätt",
    card: "Kort",
    swish: "Swish",
    unknownMethod: "Betalning via Stripe",
    kind: "Typ av gåva",
    monthly: "Månadsgåva",
    oneOff: "Engångsgåva",
    reference: "Referens",
    recipient: "Mottagare",
    orgNumber: "org.nr",
    manage: "Ändra eller avsluta månadsgåvan",
    manageText: "Du kan ändra beloppet eller avsluta din månadsgåva när du vill via länken nedan. Spara mejlet: länken är personlig.",
  },
  en: {
    subject: "Thank you for your gift of {amount}",
    heading: "Thank you for your gift!",
    greeting: "Hello {name}!",
    intro: "We have received your gift. Here is your receipt.",
    amount: "Amount",
    goal: "To",
    whereNeeded: "Where the need is greatest",
    date: "Date",
    method: "Payment method",
    card: "Card",
    swish: "Swish",
    unknownMethod: "Payment via Stripe",
    kind: "Type of gift",
    monthly: "Monthly gift",
    oneOff: "One-off gift",
    reference: "Reference",
    recipient: "Recipient",
    orgNumber: "reg. no.",
    manage: "Change or stop the monthly gift",
    manageText: "You can change the amount or stop your monthly gift at any time with the link below. Keep this email: the link is personal.",
  },
});

function GiftReceiptEmail(props: GiftReceiptProps & EmailContext) {
  const { locale, identity } = props;
  const t = messages(locale);
  const rows: [string, string][] = [
    [t.amount, formatOre(props.amountOre)],
    [t.goal, props.goalTitle ?? t.whereNeeded],
    [t.date, formatDate(props.paidAt, locale)],
    [t.method, props.method === "swish" ? t.swish : props.method === "card" ? t.card : t.unknownMethod],
    [t.kind, props.monthly ? t.monthly : t.oneOff],
    [t.reference, props.paymentId],
    [t.recipient, identity.organisationNumber ? `${identity.name}, ${t.orgNumber} ${identity.organisationNumber}` : identity.name],
  ];
  return (
    <EmailLayout locale={locale} identity={identity} preview={t.heading}>
      <Heading style={emailStyles.heading}>{t.heading}</Heading>
      {props.donorName ? <Text style={emailStyles.text}>{fill(t.greeting, { name: props.donorName })}</Text> : null}
      <Text style={emailStyles.text}>{t.intro}</Text>
      <Section>
        {rows.map(([label, value]) => (
          <Text key={label} style={emailStyles.text}>
            <strong>{label}:</strong> {value}
          </Text>
        ))}
      </Section>
      {props.monthly && props.manageUrl ? (
        <Section style={{ margin: "16px 0 8px" }}>
          <Text style={emailStyles.small}>{t.manageText}</Text>
          <Button href={props.manageUrl} style={emailStyles.button}>
            {t.manage}
          </Button>
        </Section>
      ) : null}
    </EmailLayout>
  );
}

export const giftReceipt: EmailTemplate<GiftReceiptProps> = {
  subject: (locale, props) => fill(messages(locale).subject, { amount: formatOre(props.amountOre) }),
  component: GiftReceiptEmail,
  previewProps: {
    paymentId: "1234",
    amountOre: "25000",
    goalTitle: "Alla är trygga",
    paidAt: "2026-11-24T12:00:00.000Z",
    method: "swish",
    monthly: false,
    donorName: "Exempel Givare",
    manageUrl: null,
  },
};
