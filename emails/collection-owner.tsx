import { Heading } from "@react-email/heading";
import { Text } from "./text";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { formatOre } from "~/utils/money";
import { EmailButton, EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/**
 * Emails to a collection's owner (issue 12 item 4): a milestone of the target reached, and the summary
 * when the collection ends. The title is the owner's own text: rendered as text, never HTML.
 */
export interface CollectionMilestoneProps {
  title: string;
  percent: number;
  raisedOre: string;
  targetOre: string;
  url: string;
  manageUrl: string;
}

export interface CollectionSummaryProps {
  title: string;
  raisedOre: string;
  targetOre: string | null;
  giftCount: number;
  url: string;
  manageUrl: string;
}

const messages = defineMessages({
  sv: {
    milestoneSubject: "{percent} % av målet för ”{title}”",
    milestoneHeading: "Insamlingen har nått {percent} % av målet!",
    milestoneDone: "Grattis! Insamlingen ”{title}” har nått hela målet: {raised} av {target}.",
    milestoneText: "Insamlingen ”{title}” har nu samlat in {raised} av målet {target}. Dela gärna länken igen, så når ni ännu längre.",
    summarySubject: "Insamlingen ”{title}” är avslutad",
    summaryHeading: "Tack för din insamling!",
    summaryText: "Insamlingen ”{title}” är avslutad och tar inte längre emot gåvor.",
    summaryRaised: "Insamlat: {raised}",
    summaryTarget: "Insamlat: {raised} av målet {target}",
    summaryGifts: "Antal gåvor: {count}",
    summaryThanks: "Pengarna går till det lokala mål insamlingen stödde. Tack för att du engagerade dig!",
    open: "Visa insamlingen",
    manage: "Till din insamling",
  },
  en: {
    milestoneSubject: "{percent} % of the target for “{title}”",
    milestoneHeading: "The collection has reached {percent} % of its target!",
    milestoneDone: "Congratulations! The collection “{title}” has reached its whole target: {raised} of {target}.",
    milestoneText: "The collection “{title}” has now raised {raised} of its {target} target. Share the link again to go even further.",
    summarySubject: "The collection “{title}” has ended",
    summaryHeading: "Thank you for your collection!",
    summaryText: "The collection “{title}” has ended and no longer takes gifts.",
    summaryRaised: "Raised: {raised}",
    summaryTarget: "Raised: {raised} of the {target} target",
    summaryGifts: "Number of gifts: {count}",
    summaryThanks: "The money goes to the local goal the collection supported. Thank you for getting involved!",
    open: "See the collection",
    manage: "Go to your collection",
  },
});

function Actions({ url, manageUrl, locale }: { url: string; manageUrl: string; locale: Locale }) {
  const t = messages(locale);
  return (
    <EmailButton href={manageUrl} label={t.manage}>
      <Text style={emailStyles.small}>
        {t.open}: {url}
      </Text>
    </EmailButton>
  );
}

function MilestoneEmail(props: CollectionMilestoneProps & EmailContext) {
  const t = messages(props.locale);
  const values = { title: props.title, percent: props.percent, raised: formatOre(props.raisedOre), target: formatOre(props.targetOre) };
  const heading = fill(t.milestoneHeading, values);
  return (
    <EmailLayout locale={props.locale} identity={props.identity} preview={heading}>
      <Heading style={emailStyles.heading}>{heading}</Heading>
      <Text style={emailStyles.text}>{fill(props.percent >= 100 ? t.milestoneDone : t.milestoneText, values)}</Text>
      <Actions url={props.url} manageUrl={props.manageUrl} locale={props.locale} />
    </EmailLayout>
  );
}

function SummaryEmail(props: CollectionSummaryProps & EmailContext) {
  const t = messages(props.locale);
  const raised = formatOre(props.raisedOre);
  return (
    <EmailLayout locale={props.locale} identity={props.identity} preview={t.summaryHeading}>
      <Heading style={emailStyles.heading}>{t.summaryHeading}</Heading>
      <Text style={emailStyles.text}>{fill(t.summaryText, { title: props.title })}</Text>
      <Text style={emailStyles.text}>{props.targetOre ? fill(t.summaryTarget, { raised, target: formatOre(props.targetOre) }) : fill(t.summaryRaised, { raised })}</Text>
      <Text style={emailStyles.text}>{fill(t.summaryGifts, { count: props.giftCount })}</Text>
      <Text style={emailStyles.text}>{t.summaryThanks}</Text>
      <Actions url={props.url} manageUrl={props.manageUrl} locale={props.locale} />
    </EmailLayout>
  );
}

export const collectionMilestone: EmailTemplate<CollectionMilestoneProps> = {
  subject: (locale, props) => fill(messages(locale).milestoneSubject, { percent: props.percent, title: props.title }),
  component: MilestoneEmail,
  previewProps: { title: "Exempelinsamling", percent: 50, raisedOre: "250000", targetOre: "500000", url: "http://localhost:3000/c/exempel", manageUrl: "http://localhost:3000/account/collections/exempel" },
};

export const collectionSummary: EmailTemplate<CollectionSummaryProps> = {
  subject: (locale, props) => fill(messages(locale).summarySubject, { title: props.title }),
  component: SummaryEmail,
  previewProps: { title: "Exempelinsamling", raisedOre: "520000", targetOre: "500000", giftCount: 17, url: "http://localhost:3000/c/exempel", manageUrl: "http://localhost:3000/account/collections/exempel" },
};
