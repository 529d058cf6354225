import { createCookie } from "@remix-run/node";
import { defaultLocale, isLocale, type Locale } from "./messages";

/** The chosen language is remembered in a plain cookie (not secret, not signed: it only picks texts). */
export const localeCookie = createCookie("lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/**
 * The locale of each Request: a page asks two or three times (the root loader, the page's loader and its
 * service context), and each answer parsed the URL and the lang cookie again. Loaders share the page's
 * Request (docs/decisions/0010).
 */
const locales = new WeakMap<Request, Promise<Locale>>();

export function getLocale(request: Request): Promise<Locale> {
  let locale = locales.get(request);
  if (locale === undefined) {
    locale = readLocale(request);
    locales.set(request, locale);
  }
  return locale;
}

async function readLocale(request: Request): Promise<Locale> {
  const url = new URL(request.url);
  const fromQuery = url.searchParams.get("lang");
  if (isLocale(fromQuery)) return fromQuery;
  const fromCookie = await localeCookie.parse(request.headers.get("Cookie"));
  return isLocale(fromCookie) ? fromCookie : defaultLocale;
}
