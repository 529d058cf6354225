import { Heading } from "@react-email/heading";
import { Text } from "./text";
import { defineMessages, fill } from "~/i18n/messages";
import { formatOre } from "~/utils/money";
import { EmailButton, EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/** A month of a monthly gift could not be charged: the donor can update the card from the link. */
export interface MonthlyGiftFailedProps {
  amountOre: string;
  donorName: string | null;
  manageUrl: string;
}

const messages = defineMessages({
  sv: {
    subject: "Din månadsgåva kunde inte dras",
    heading: "Din månadsgåva kunde inte dras",
    greeting: "Hej {name}!",
    body: "Vi försökte dra din månadsgåva på {amount} men betalningen gick inte igenom. Det kan bero på att kortet har gått ut eller spärrats. Du kan uppdatera kortet, ändra beloppet eller avsluta gåvan via länken nedan.",
    button: "Uppdatera kort eller ändra gåvan",
  },
  en: {
    subject: "Your monthly gift could not be charged",
    heading: "Your monthly gift could not be charged",
    greeting: "Hello {name}!",
    body: "We tried to charge your monthly gift of {amount} but the payment did not go through. The card may have expired or been blocked. You can update the card, change the amount or stop the gift with the link below.",
    button: "Update card or change the gift",
  },
});

function MonthlyGiftFailedEmail(props: MonthlyGiftFailedProps & EmailContext) {
  const t = messages(props.locale);
  return (
    <EmailLayout locale={props.locale} identity={props.identity} preview={t.heading}>
      <Heading style={emailStyles.heading}>{t.heading}</Heading>
      {props.donorName ? <Text style={emailStyles.text}>{fill(t.greeting, { name: props.donorName })}</Text> : null}
      <Text style={emailStyles.text}>{fill(t.body, { amount: formatOre(props.amountOre) })}</Text>
      <EmailButton href={props.manageUrl} label={t.button} />
    </EmailLayout>
  );
}

export const monthlyGiftFailed: EmailTemplate<MonthlyGiftFailedProps> = {
  subject: (locale) => messages(locale).subject,
  component: MonthlyGiftFailedEmail,
  previewProps: { amountOre: "20000", donorName: "Exempel Givare", manageUrl: "http://localhost:3000/give/monthly/example" },
};
