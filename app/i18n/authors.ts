import { defineMessages, fill, type Locale } from "./messages";

const words = defineMessages({
  sv: { person: "person nr {id}", stripe: "Stripe ({ref})", simulator: "betalsimulatorn ({ref})", bgmax: "BgMax-fil {ref}", system: "systemet ({ref})", anonymous: "en anonym besökare", none: "–" },
  en: { person: "person no. {id}", stripe: "Stripe ({ref})", simulator: "the payment simulator ({ref})", bgmax: "BgMax file {ref}", system: "the system ({ref})", anonymous: "an anonymous visitor", none: "–" },
});

/**
 * How an author stored on ledger entries, corrections and resolved flags reads on a staff page. The rows
 * keep what `authorOf` (app/services/context.ts) and the payment sources write: `staff:<email>`,
 * `person:<id>`, `anonymous`, `stripe:<event>`, `simulator:<event>`, `bgmax:<file>`, or a system name such as
 * `system:payroll-carry:<run>` or `job:<kind>:<id>`. Every page that shows an author uses this, so one
 * person reads the same everywhere (staff by their email, without the prefix).
 */
export function authorLabel(author: string | null | undefined, locale: Locale): string {
  const t = words(locale);
  if (!author) return t.none;
  if (author === "anonymous") return t.anonymous;
  const colon = author.indexOf(":");
  const kind = colon < 0 ? author : author.slice(0, colon);
  const ref = colon < 0 ? "" : author.slice(colon + 1);
  if (kind === "staff" && ref) return ref;
  if (kind === "person" && ref) return fill(t.person, { id: ref });
  if ((kind === "stripe" || kind === "simulator" || kind === "bgmax") && ref) return fill(t[kind], { ref });
  return fill(t.system, { ref: kind === "system" && ref ? ref : author });
}
