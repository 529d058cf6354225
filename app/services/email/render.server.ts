import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { templates, type TemplateName } from "~emails/index";
import type { Locale } from "~/i18n/messages";
import type { CharityIdentity } from "~/services/settings/charity";
import { plainTextOf, resolveComponents } from "./plain-text.server";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

let plainTextConverter: Promise<(html: string) => string> | undefined;

/**
 * React Email's plain-text conversion (its toPlainText: html-to-text with React Email's selectors),
 * compiled once: html-to-text's convert() rebuilds its selector tree on every call, which made the
 * text version cost more than the HTML. Same output (tests/identity/emails.test.ts compares them).
 * Loaded the first time it is needed, not when the server starts: our own text writer handles every
 * template (plain-text.server.ts), so most processes never need it.
 */
export function toPlainText(html: string): Promise<string> {
  plainTextConverter ??= Promise.all([import("html-to-text"), import("@react-email/render")]).then(([{ compile }, { plainTextSelectors }]) =>
    compile({ wordwrap: false, selectors: plainTextSelectors }),
  );
  return plainTextConverter.then((convert) => convert(html));
}

/** What React Email's render() puts before the markup. */
const DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * The email's HTML as React Email's render() makes it, without React's hydration markers (`<!-- -->`
 * between text parts, `<!--$-->` around its Suspense boundary), which no email client reads. render()
 * streams (renderToPipeableStream inside Suspense, read back through a Writable): about 1 ms of CPU a
 * receipt, three times the synchronous renderToStaticMarkup, and the receipts are most of what the
 * email worker does during a busy hour of webhooks. Our templates have nothing asynchronous to wait for.
 */
export function emailHtml(element: ReactNode): string {
  return DOCTYPE + renderToStaticMarkup(element);
}

/** HTML and plain text of one template, in the given language, with the charity's identity in the footer. */
export async function renderEmail(template: TemplateName, locale: Locale, props: Record<string, unknown>, identity: CharityIdentity): Promise<RenderedEmail> {
  const def = templates[template];
  if (!def) throw new Error(`unknown email template: ${template}`);
  const element = createElement(def.component, { ...props, locale, identity });
  // Each component is called once, here, and both versions are written from the elements it
  // returned: the HTML by React (the same markup), the text without parsing that HTML back (the
  // same text as toPlainText(html)). A receipt: 0.20–0.21 ms of CPU instead of 0.42–0.51 (micro-
  // benchmark on a loaded machine; decision 0011). Markup the text writer does not know goes
  // through html-to-text.
  const resolved = resolveComponents(element);
  const html = emailHtml(resolved ?? element);
  const text = (resolved !== null ? plainTextOf(resolved) : null) ?? (await toPlainText(html));
  return { subject: def.subject(locale, props), html, text };
}
