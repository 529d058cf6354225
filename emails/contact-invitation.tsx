import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "./text";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

/** Sent when staff (or an organisation's admin) add someone as a contact of an organisation. */
export interface ContactInvitationProps {
  /** A single-use sign-in link that lands on the organisation's page. */
  url: string;
  /** Where to ask for a new link once this one has been used or has expired. */
  loginUrl: string;
  organisationName: string;
  isAdmin: boolean;
  expiresDays: number;
}

const messages = defineMessages({
  sv: {
    subject: "Du är kontaktperson för {organisation} på Lokala mål",
    heading: "Välkommen som kontaktperson",
    intro: "Västerås stadsmission har lagt till dig som kontaktperson för {organisation} på Lokala mål. Där ser du organisationens sida och vad ni har bidragit med.",
    admin: "Du är också administratör för organisationen och kan lägga till och ta bort kontaktpersoner.",
    button: "Logga in och se organisationens sida",
    expires: "Länken gäller i {days} dagar och kan användas en gång. Därefter loggar du in med den här e-postadressen på {login}.",
    fallback: "Fungerar inte knappen? Kopiera den här adressen till webbläsaren:",
    ignore: "Känner du inte igen det här? Då kan du bortse från mejlet; ingen kan logga in utan länken.",
  },
  en: {
    subject: "You are a contact for {organisation} on Local goals",
    heading: "Welcome as a contact",
    intro: "Västerås stadsmission has added you as a contact for {organisation} on Local goals. There you can see the organisation's page and what you have contributed.",
    admin: "You are also an administrator of the organisation and can add and remove contacts.",
    button: "Sign in and see the organisation's page",
    expires: "The link is valid for {days} days and can be used once. After that, sign in with this email address at {login}.",
    fallback: "Button not working? Copy this address into your browser:",
    ignore: "Don't recognise this? Then you can ignore the email; nobody can sign in without the link.",
  },
});

function ContactInvitationEmail({ url, loginUrl, organisationName, isAdmin, expiresDays, locale, identity }: ContactInvitationProps & EmailContext) {
  const t = messages(locale);
  return (
    <EmailLayout locale={locale} identity={identity} preview={fill(t.subject, { organisation: organisationName })}>
      <Heading style={emailStyles.heading}>{t.heading}</Heading>
      <Text style={emailStyles.text}>{fill(t.intro, { organisation: organisationName })}</Text>
      {isAdmin ? <Text style={emailStyles.text}>{t.admin}</Text> : null}
      <Section style={{ margin: "16px 0 24px" }}>
        <Button href={url} style={emailStyles.button}>
          {t.button}
        </Button>
      </Section>
      <Text style={emailStyles.small}>{fill(t.expires, { days: expiresDays, login: loginUrl })}</Text>
      <Text style={emailStyles.small}>
        {t.fallback} <Link href={url}>{url}</Link>
      </Text>
      <Text style={emailStyles.small}>{t.ignore}</Text>
    </EmailLayout>
  );
}

export const contactInvitation: EmailTemplate<ContactInvitationProps> = {
  subject: (locale: Locale, props: ContactInvitationProps) => fill(messages(locale).subject, { organisation: props.organisationName }),
  component: ContactInvitationEmail,
  previewProps: {
    url: "http://localhost:3000/login/verify?token=preview-token",
    loginUrl: "http://localhost:3000/login",
    organisationName: "Demoföretaget Exempel AB",
    isAdmin: false,
    expiresDays: 3,
  },
};
