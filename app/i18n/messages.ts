/**
 * Swedish first, English too. Each area keeps its own dictionary made with `defineMessages`, so the
 * two languages always have the same keys (the type checker refuses a missing translation).
 */
export const locales = ["sv", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "sv";

export function isLocale(value: unknown): value is Locale {
  return value === "sv" || value === "en";
}

export function defineMessages<const T extends Record<string, string>>(dict: { sv: T; en: { [K in keyof T]: string } }) {
  return (locale: Locale): { [K in keyof T]: string } => (locale === "en" ? dict.en : dict.sv);
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
}

export const common = defineMessages({
  sv: {
    siteName: "Lokala mål",
    orgName: "Västerås stadsmission",
    skipToContent: "Hoppa till innehållet",
    navGoals: "Lokala mål",
    navGive: "Ge en gåva",
    navAbout: "Om oss och kontakt",
    navMain: "Huvudmeny",
    language: "Språk",
    switchLanguage: "In English",
    switchLanguageLabel: "Switch to English",
    localBanner: "Lokalt läge — inga riktiga betalningar eller mejl:",
    localBannerPayments: "betalningssimulator",
    localBannerMail: "utvecklarbrevlåda",
    footerVision: "Ett mänskligare Västerås för alla.",
    footerNav: "Mer om oss",
    footerTransparency: "Insyn: så används pengarna",
    footerAbout: "Om Västerås stadsmission",
    notFoundTitle: "Sidan finns inte",
    notFoundText: "Vi hittade inte sidan du letade efter. Den kan ha flyttats eller så är adressen fel.",
    notFoundHome: "Till startsidan",
    errorTitle: "Något gick fel",
    badRequestTitle: "Förfrågan kunde inte läsas",
    badRequestText: "Det som skickades gick inte att läsa. Gå tillbaka, ladda om sidan och försök igen.",
    errorText: "Ett oväntat fel inträffade. Försök igen om en stund.",
    raised: "Insamlat",
    target: "Mål för året",
    noTarget: "Inget årsmål satt ännu",
    progressLabel: "{raised} av {target} insamlat",
    goalNumber: "Lokalt mål #{number}",
    readMore: "Läs mer",
  },
  en: {
    siteName: "Local goals",
    orgName: "Västerås stadsmission",
    skipToContent: "Skip to content",
    navGoals: "Local goals",
    navGive: "Give a gift",
    navAbout: "About and contact",
    navMain: "Main menu",
    language: "Language",
    switchLanguage: "På svenska",
    switchLanguageLabel: "Byt till svenska",
    localBanner: "Local mode — no real payments or email:",
    localBannerPayments: "payment simulator",
    localBannerMail: "dev mailbox",
    footerVision: "A more humane Västerås for everyone.",
    footerNav: "More about us",
    footerTransparency: "Transparency: where the money goes",
    footerAbout: "About Västerås stadsmission",
    notFoundTitle: "Page not found",
    notFoundText: "We could not find the page you were looking for. It may have moved, or the address is wrong.",
    notFoundHome: "Go to the home page",
    errorTitle: "Something went wrong",
    badRequestTitle: "The request could not be read",
    badRequestText: "What was sent could not be read. Go back, reload the page and try again.",
    errorText: "An unexpected error occurred. Please try again in a moment.",
    raised: "Raised",
    target: "Target for the year",
    noTarget: "No yearly target set yet",
    progressLabel: "{raised} of {target} raised",
    goalNumber: "Local goal #{number}",
    readMore: "Read more",
  },
});
