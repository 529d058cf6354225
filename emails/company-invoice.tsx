import { Heading } from "@react-email/heading";
import { Text } from "./text";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/**
 * A company invoice (its PDF is attached by the outbox, email_attachments) or a reminder that it is
 * overdue. Amounts are öre as strings (props are JSON).
 */
export interface CompanyInvoiceProps {
  number: string;
  buyerName: string;
  totalOre: string;
  outstandingOre: string;
  dueDate: string;
  ocr: string;
  bankgiro: string;
  reference?: string | null;
  sellerName: string;
}

const messages = defineMessages({
  sv: {
    subject: "Faktura {number} från {seller}",
    reminderSubject: "Påminnelse: faktura {number} från {seller}",
    heading: "Faktura {number}",
    reminderHeading: "Påminnelse om faktura {number}",
    greeting: "Hej {name}!",
    body: "Här kommer faktura {number} på {amount}. Fakturan finns som PDF i det här mejlet.",
    reminderBody: "Vi har inte fått full betalning för faktura {number}, som förföll {due}. Kvar att betala: {amount}. Fakturan finns som PDF i det här mejlet. Har ni redan betalat kan ni bortse från påminnelsen.",
    pay: "Betala till bankgiro {bankgiro} med OCR-nummer {ocr} senast {due}.",
    reference: "Er referens: {reference}",
    thanks: "Tack för att ni stöder det lokala arbetet.",
  },
  en: {
    subject: "Invoice {number} from {seller}",
    reminderSubject: "Reminder: invoice {number} from {seller}",
    heading: "Invoice {number}",
    reminderHeading: "Reminder about invoice {number}",
    greeting: "Hello {name},",
    body: "Here is invoice {number} for {amount}. The invoice is attached to this email as a PDF.",
    reminderBody: "We have not received full payment of invoice {number}, which was due on {due}. Left to pay: {amount}. The invoice is attached to this email as a PDF. If you have already paid, please disregard this reminder.",
    pay: "Pay to bankgiro {bankgiro} with OCR reference {ocr} by {due}.",
    reference: "Your reference: {reference}",
    thanks: "Thank you for supporting the local work.",
  },
});

function invoiceEmail(reminder: boolean) {
  return function CompanyInvoiceEmail(props: CompanyInvoiceProps & EmailContext) {
    const t = messages(props.locale);
    const due = formatDate(props.dueDate, props.locale);
    const heading = fill(reminder ? t.reminderHeading : t.heading, { number: props.number });
    return (
      <EmailLayout locale={props.locale} identity={props.identity} preview={heading}>
        <Heading style={emailStyles.heading}>{heading}</Heading>
        <Text style={emailStyles.text}>{fill(t.greeting, { name: props.buyerName })}</Text>
        <Text style={emailStyles.text}>
          {reminder
            ? fill(t.reminderBody, { number: props.number, due, amount: formatOre(props.outstandingOre) })
            : fill(t.body, { number: props.number, amount: formatOre(props.totalOre) })}
        </Text>
        <Text style={emailStyles.text}>{fill(t.pay, { bankgiro: props.bankgiro, ocr: props.ocr, due })}</Text>
        {props.reference ? <Text style={emailStyles.small}>{fill(t.reference, { reference: props.reference })}</Text> : null}
        <Text style={emailStyles.text}>{t.thanks}</Text>
      </EmailLayout>
    );
  };
}

const preview: CompanyInvoiceProps = {
  number: "10001",
  buyerName: "Exempelföretaget AB",
  totalOre: "2500000",
  outstandingOre: "2500000",
  dueDate: "2026-12-31",
  ocr: "1000173",
  bankgiro: "900-1231",
  reference: "PO 4711",
  sellerName: "Västerås stadsmission",
};

// The subject is made from the props alone, so the seller's name (the charity identity when the invoice was issued) is one.
const subject = (key: "subject" | "reminderSubject") => (locale: Locale, props: CompanyInvoiceProps) =>
  fill(messages(locale)[key], { number: props.number, seller: props.sellerName });

export const companyInvoice: EmailTemplate<CompanyInvoiceProps> = {
  subject: subject("subject"),
  component: invoiceEmail(false),
  previewProps: preview,
};

export const companyInvoiceReminder: EmailTemplate<CompanyInvoiceProps> = {
  subject: subject("reminderSubject"),
  component: invoiceEmail(true),
  previewProps: preview,
};
