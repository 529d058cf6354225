import { render, toPlainText } from "@react-email/render";
import { createElement } from "react";
import { templates, type TemplateName } from "~emails/index";
import type { Locale } from "~/i18n/messages";
import type { CharityIdentity } from "~/services/settings/charity";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** HTML and plain text of one template, in the given language, with the charity's identity in the footer. */
export async function renderEmail(template: TemplateName, locale: Locale, props: Record<string, unknown>, identity: CharityIdentity): Promise<RenderedEmail> {
  const def = templates[template];
  if (!def) throw new Error(`unknown email template: ${template}`);
  const element = createElement(def.component, { ...props, locale, identity });
  const html = await render(element);
  const text = toPlainText(html);
  return { subject: def.subject(locale, props), html, text };
}
