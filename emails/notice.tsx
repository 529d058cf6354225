import { Heading } from "@react-email/heading";
import { Text } from "./text";
import type { Locale } from "~/i18n/messages";
import { EmailButton, EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/** A general notice: the caller supplies the texts, already in the recipient's language. */
export interface NoticeProps {
  subject: string;
  heading: string;
  /** Paragraphs separated by a blank line; rendered as text, never as HTML. */
  body: string;
  actionUrl?: string;
  actionLabel?: string;
}

function NoticeEmail({ heading, body, actionUrl, actionLabel, locale, identity }: NoticeProps & EmailContext) {
  return (
    <EmailLayout locale={locale} identity={identity} preview={heading}>
      <Heading style={emailStyles.heading}>{heading}</Heading>
      {body
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <Text key={i} style={emailStyles.text}>
            {p.trim()}
          </Text>
        ))}
      {actionUrl && actionLabel ? (
        <EmailButton href={actionUrl} label={actionLabel} />
      ) : null}
    </EmailLayout>
  );
}

export const notice: EmailTemplate<NoticeProps> = {
  subject: (_locale: Locale, props: NoticeProps) => props.subject,
  component: NoticeEmail,
  previewProps: {
    subject: "Meddelande från Lokala mål",
    heading: "Ett meddelande",
    body: "Det här är ett exempel på ett allmänt meddelande.\n\nDet visas med förhandsdata.",
    actionUrl: "http://localhost:3000/account",
    actionLabel: "Till mitt konto",
  },
};
