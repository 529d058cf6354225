import { Heading } from "@react-email/heading";
import { Text } from "./text";
import { defineMessages, fill } from "~/i18n/messages";
import { monthName, workplacePledgeMessages } from "~/i18n/workplace-pledge";
import { formatOre } from "~/utils/money";
import { perMilleText } from "~/validation/workplace-pledge";
import { EmailButton, EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/**
 * Workplace giving emails for the employee (issue 13 items 3 and 4): the confirmation after joining,
 * and the yearly summary each January. Templates only render; services queue them in the outbox.
 */

export interface WorkplacePledgeConfirmationProps {
  name: string;
  organisationName: string;
  kind: "fixed" | "per_mille";
  amountOre: string | null;
  rateTenths: number | null;
  goals: { title: string; percent: number }[];
  fromMonth: string;
  manageUrl: string;
}

const messages = defineMessages({
  sv: {
    subject: "Ditt löneavdrag till lokala mål är registrerat",
    greeting: "Hej {name}!",
    body: "Tack! Du har bett {organisation} att dra {what} från din nettolön och betala det till Västerås stadsmission, första gången på lönen för {month}.",
    fixed: "{amount} i månaden",
    perMille: "{rate} promille av lönen varje månad",
    goals: "Gåvan går till: {goals}.",
    employer: "Din arbetsgivare ser ditt namn och beloppet i lönelistan för de månader avdraget görs, inget annat.",
    manage: "Du kan ändra belopp eller mål, pausa eller avsluta när du vill:",
    button: "Mitt arbetsplatsgivande",
    summarySubject: "Ditt arbetsplatsgivande {year}",
    summaryBody: "Här är en sammanställning av dina löneavdrag till Västerås stadsmission för löneperioder under {year}, för din egen bokföring.",
    summaryTotal: "Totalt: {amount}.",
    summaryLine: "{goal}: {amount}",
    summaryButton: "Se sammanställningen och ladda ner PDF",
  },
  en: {
    subject: "Your payroll deduction to local goals is registered",
    greeting: "Hello {name}!",
    body: "Thank you! You have asked {organisation} to deduct {what} from your net pay and pay it to Västerås stadsmission, first from your pay for {month}.",
    fixed: "{amount} a month",
    perMille: "{rate} per mille of your salary each month",
    goals: "The gift goes to: {goals}.",
    employer: "Your employer sees your name and the amount in the payroll list for the months the deduction is made, nothing else.",
    manage: "You can change the amount or goals, pause or stop at any time:",
    button: "My workplace giving",
    summarySubject: "Your workplace giving {year}",
    summaryBody: "Here is a summary of your payroll deductions to Västerås stadsmission for payroll months in {year}, for your own records.",
    summaryTotal: "Total: {amount}.",
    summaryLine: "{goal}: {amount}",
    summaryButton: "See the summary and download a PDF",
  },
});

function Confirmation(props: WorkplacePledgeConfirmationProps & EmailContext) {
  const t = messages(props.locale);
  const tax = workplacePledgeMessages(props.locale);
  const what =
    props.kind === "fixed" && props.amountOre ? fill(t.fixed, { amount: formatOre(props.amountOre) }) : fill(t.perMille, { rate: perMilleText(props.rateTenths ?? 0, props.locale) });
  const goals = props.goals.map((g) => (props.goals.length > 1 ? `${g.title} (${g.percent} %)` : g.title)).join(", ");
  // The 200 kr condition only matters to someone below it (research/domain.md B4); a per-mille's amount is unknown here.
  const below200 = props.kind === "per_mille" || (props.amountOre !== null && BigInt(props.amountOre) < 20_000n);
  return (
    <EmailLayout locale={props.locale} identity={props.identity} preview={t.subject}>
      <Heading style={emailStyles.heading}>{t.subject}</Heading>
      <Text style={emailStyles.text}>{fill(t.greeting, { name: props.name })}</Text>
      <Text style={emailStyles.text}>{fill(t.body, { organisation: props.organisationName, what, month: monthName(props.fromMonth, props.locale) })}</Text>
      <Text style={emailStyles.text}>{fill(t.goals, { goals })}</Text>
      <Text style={emailStyles.text}>{t.employer}</Text>
      {below200 ? <Text style={emailStyles.text}>{tax.taxNote}</Text> : null}
      <Text style={emailStyles.text}>{t.manage}</Text>
      <EmailButton href={props.manageUrl} label={t.button} />
    </EmailLayout>
  );
}

export const workplacePledgeConfirmation: EmailTemplate<WorkplacePledgeConfirmationProps> = {
  subject: (locale) => messages(locale).subject,
  component: Confirmation,
  previewProps: {
    name: "Exempel Anställd",
    organisationName: "Exempelföretaget AB",
    kind: "fixed",
    amountOre: "15000",
    rateTenths: null,
    goals: [{ title: "Ingen ensamhet", percent: 100 }],
    fromMonth: "2027-01-01",
    manageUrl: "http://localhost:3000/workplace",
  },
};

export interface WorkplaceSummaryProps {
  name: string | null;
  year: number;
  totalOre: string;
  goals: { title: string; amountOre: string }[];
  summaryUrl: string;
}

function Summary(props: WorkplaceSummaryProps & EmailContext) {
  const t = messages(props.locale);
  return (
    <EmailLayout locale={props.locale} identity={props.identity} preview={fill(t.summarySubject, { year: props.year })}>
      <Heading style={emailStyles.heading}>{fill(t.summarySubject, { year: props.year })}</Heading>
      {props.name ? <Text style={emailStyles.text}>{fill(t.greeting, { name: props.name })}</Text> : null}
      <Text style={emailStyles.text}>{fill(t.summaryBody, { year: props.year })}</Text>
      {props.goals.map((g) => (
        <Text key={g.title} style={emailStyles.text}>
          {fill(t.summaryLine, { goal: g.title, amount: formatOre(g.amountOre) })}
        </Text>
      ))}
      <Text style={emailStyles.text}>
        <strong>{fill(t.summaryTotal, { amount: formatOre(props.totalOre) })}</strong>
      </Text>
      <EmailButton href={props.summaryUrl} label={t.summaryButton} />
    </EmailLayout>
  );
}

export const workplaceSummary: EmailTemplate<WorkplaceSummaryProps> = {
  subject: (locale, props) => fill(messages(locale).summarySubject, { year: props.year }),
  component: Summary,
  previewProps: { name: "Exempel Anställd", year: 2026, totalOre: "180000", goals: [{ title: "Ingen ensamhet", amountOre: "180000" }], summaryUrl: "http://localhost:3000/workplace/summary/2026" },
};
