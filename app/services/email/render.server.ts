import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";
import { createElement } from "react";
import { templates, type TemplateName } from "~emails/index";
import type { Locale } from "~/i18n/messages";
import type { CharityIdentity } from "~/services/settings/charity";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * React Email's plain-text conversion (its toPlainText: html-to-text with React Email's selectors),
 * compiled once: html-to-text's convert() rebuilds its selector tree on every call, which made the
 * text version cost more than the HTML. Same output (tests/identity/emails.test.ts compares them).
 */
export const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors });

/** HTML and plain text of one template, in the given language, with the charity's identity in the footer. */
export async function renderEmail(template: TemplateName, locale: Locale, props: Record<string, unknown>, identity: CharityIdentity): Promise<RenderedEmail> {
  const def = templates[template];
  if (!def) throw new Error(`unknown email template: ${template}`);
  const element = createElement(def.component, { ...props, locale, identity });
  const html = await render(element);
  const text = toPlainText(html);
  return { subject: def.subject(locale, props), html, text };
}
