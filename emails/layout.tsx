import { Body } from "@react-email/body";
import { Button } from "@react-email/button";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "./text";
import type { ReactNode } from "react";
import { defineMessages } from "~/i18n/messages";
import type { EmailContext } from "./types";

const messages = defineMessages({
  sv: {
    orgNumber: "Org.nr",
    phone: "Telefon",
    email: "E-post",
    vision: "Ett mänskligare Västerås för alla.",
  },
  en: {
    orgNumber: "Reg. no.",
    phone: "Phone",
    email: "Email",
    vision: "A more humane Västerås for everyone.",
  },
});

const styles = {
  body: { backgroundColor: "#f6f3ef", fontFamily: "Arial, Helvetica, sans-serif", color: "#1f1a17", margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", borderRadius: "8px", maxWidth: "560px", margin: "0 auto", padding: "24px" },
  brand: { fontSize: "20px", fontWeight: 700, color: "#8a1538", margin: "0 0 16px" },
  footer: { fontSize: "12px", color: "#6b625b", lineHeight: "18px", margin: "4px 0" },
};

/** The shared frame of every email: the charity's name on top, its identity in the footer. */
export function EmailLayout({ locale, identity, preview, children }: EmailContext & { preview: string; children: ReactNode }) {
  const t = messages(locale);
  const contact = [
    identity.phone ? `${t.phone}: ${identity.phone}` : "",
    identity.email ? `${t.email}: ${identity.email}` : "",
  ].filter(Boolean);
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>{identity.name}</Text>
          {children}
          <Hr />
          <Section>
            <Text style={styles.footer}>
              {identity.name}
              {identity.organisationNumber ? ` · ${t.orgNumber} ${identity.organisationNumber}` : ""} · {t.vision}
            </Text>
            {identity.address ? <Text style={styles.footer}>{identity.address}</Text> : null}
            {contact.length ? <Text style={styles.footer}>{contact.join(" · ")}</Text> : null}
            {identity.website ? <Text style={styles.footer}>{identity.website}</Text> : null}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export const emailStyles = {
  heading: { fontSize: "22px", margin: "0 0 12px" },
  text: { fontSize: "16px", lineHeight: "24px", margin: "0 0 12px" },
  button: { backgroundColor: "#8a1538", color: "#ffffff", borderRadius: "999px", padding: "12px 20px", fontWeight: 600, textDecoration: "none" },
  small: { fontSize: "13px", color: "#6b625b", lineHeight: "20px" },
};

/** The one call to action of an email: a button, and below it anything the email adds (e.g. the address written out). */
export function EmailButton({ href, label, children }: { href: string; label: string; children?: ReactNode }) {
  return (
    <Section style={{ margin: "16px 0 8px" }}>
      <Button href={href} style={emailStyles.button}>
        {label}
      </Button>
      {children}
    </Section>
  );
}
