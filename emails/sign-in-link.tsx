import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "./text";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { EmailLayout, emailStyles } from "./layout";
import type { EmailContext, EmailTemplate } from "./types";

export interface SignInLinkProps {
  url: string;
  expiresMinutes: number;
  /** No person has this address yet: the account is made only if the link is used. */
  newcomer?: boolean;
}

const messages = defineMessages({
  sv: {
    subject: "Din inloggningslänk till Lokala mål",
    heading: "Logga in",
    intro: "Klicka på knappen för att logga in på Lokala mål. Länken gäller i {minutes} minuter och kan bara användas en gång.",
    button: "Logga in",
    fallback: "Fungerar inte knappen? Kopiera den här adressen till webbläsaren:",
    ignore: "Har du inte bett om att logga in kan du bortse från det här mejlet.",
    newcomer: "Du har inget konto hos oss ännu. Det skapas när du loggar in med länken; använder du den inte sparas inget konto.",
  },
  en: {
    subject: "Your sign-in link for Local goals",
    heading: "Sign in",
    intro: "Click the button to sign in to Local goals. The link is valid for {minutes} minutes and can be used once.",
    button: "Sign in",
    fallback: "Button not working? Copy this address into your browser:",
    ignore: "If you did not ask to sign in, you can ignore this email.",
    newcomer: "You do not have an account with us yet. It is made when you sign in with the link; if you do not use it, no account is kept.",
  },
});

function SignInLinkEmail({ url, expiresMinutes, newcomer, locale, identity }: SignInLinkProps & EmailContext) {
  const t = messages(locale);
  return (
    <EmailLayout locale={locale} identity={identity} preview={t.subject}>
      <Heading style={emailStyles.heading}>{t.heading}</Heading>
      <Text style={emailStyles.text}>{fill(t.intro, { minutes: expiresMinutes })}</Text>
      {newcomer ? <Text style={emailStyles.text}>{t.newcomer}</Text> : null}
      <Section style={{ margin: "16px 0 24px" }}>
        <Button href={url} style={emailStyles.button}>
          {t.button}
        </Button>
      </Section>
      <Text style={emailStyles.small}>
        {t.fallback} <Link href={url}>{url}</Link>
      </Text>
      <Text style={emailStyles.small}>{t.ignore}</Text>
    </EmailLayout>
  );
}

export const signInLink: EmailTemplate<SignInLinkProps> = {
  subject: (locale: Locale) => messages(locale).subject,
  component: SignInLinkEmail,
  previewProps: { url: "http://localhost:3000/login/verify?token=preview-token", expiresMinutes: 15 },
};
