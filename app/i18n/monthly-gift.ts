import { GIFT_LIMITS } from "~/services/payments/limits";
import { formatOre } from "~/utils/money";
import { defineMessages, fill, type Locale } from "./messages";

/** The monthly donor's self-service page (/give/monthly/<token>). */
export const monthlyGiftMessages = defineMessages({
  sv: {
    title: "Din månadsgåva",
    summary: "Du ger {amount} i månaden till {goal}. Tack!",
    whereNeeded: "där behovet är störst",
    status_pending: "Månadsgåvan är inte startad än: betalningen är inte bekräftad.",
    status_active: "Månadsgåvan är aktiv.",
    status_past_due: "Den senaste dragningen misslyckades. Uppdatera kortet så fortsätter gåvan.",
    status_canceled: "Månadsgåvan är avslutad. Inga fler dragningar görs.",
    stoppedSummary: "Du gav {amount} i månaden till {goal}. Tack för allt du har gett!",
    startNew: "Vill du börja ge igen? Starta en ny månadsgåva",
    change: "Ändra belopp",
    amount: "Nytt belopp i kronor per månad",
    amountHint: "Minst {min}, högst {max} i månaden. Ändringen gäller från nästa dragning.",
    save: "Spara nytt belopp",
    card: "Uppdatera kort",
    cardText: "Byt det kort som gåvan dras från.",
    stop: "Avsluta månadsgåvan",
    stopText: "Inga fler dragningar görs. Det du redan har gett påverkas inte.",
    stopButton: "Avsluta gåvan …",
    confirmHeading: "Är du säker på att du vill avsluta månadsgåvan?",
    confirmText: "Gåvan på {amount} i månaden till {goal} avslutas nu och inga fler dragningar görs. Det du redan har gett påverkas inte.",
    confirmButton: "Ja, avsluta gåvan",
    cancelButton: "Nej, behåll gåvan",
    saved: "Beloppet är ändrat.",
    amount_invalid: "Skriv beloppet i kronor, till exempel 200.",
    amount_min: "Det minsta beloppet är {min}.",
    amount_max_monthly: "Det största beloppet per månad är {max}.",
    monthly_gift_not_active: "Gåvan är inte aktiv och kan inte ändras.",
    gateway: "Ändringen kunde inte göras just nu. Försök igen om en stund.",
  },
  en: {
    title: "Your monthly gift",
    summary: "You give {amount} a month to {goal}. Thank you!",
    whereNeeded: "where the need is greatest",
    status_pending: "The monthly gift has not started yet: the payment is not confirmed.",
    status_active: "The monthly gift is active.",
    status_past_due: "The latest charge failed. Update the card and the gift continues.",
    status_canceled: "The monthly gift has ended. No further charges are made.",
    stoppedSummary: "You gave {amount} a month to {goal}. Thank you for everything you have given!",
    startNew: "Want to give again? Start a new monthly gift",
    change: "Change the amount",
    amount: "New amount in kronor per month",
    amountHint: "At least {min}, at most {max} a month. The change applies from the next charge.",
    save: "Save the new amount",
    card: "Update card",
    cardText: "Change the card the gift is charged to.",
    stop: "Stop the monthly gift",
    stopText: "No further charges are made. What you have already given is not affected.",
    stopButton: "Stop the gift …",
    confirmHeading: "Are you sure you want to stop the monthly gift?",
    confirmText: "The gift of {amount} a month to {goal} stops now and no further charges are made. What you have already given is not affected.",
    confirmButton: "Yes, stop the gift",
    cancelButton: "No, keep the gift",
    saved: "The amount has been changed.",
    amount_invalid: "Type the amount in kronor, for example 200.",
    amount_min: "The smallest amount is {min}.",
    amount_max_monthly: "The largest amount per month is {max}.",
    monthly_gift_not_active: "The gift is not active and cannot be changed.",
    gateway: "The change could not be made right now. Please try again in a moment.",
  },
});

const limits = { min: formatOre(GIFT_LIMITS.minOre), max: formatOre(GIFT_LIMITS.maxMonthlyOre) };

/** The page's words with the limits filled in: the amount field's messages and hint. */
export function monthlyGiftTexts(locale: Locale): Record<string, string> {
  const t = monthlyGiftMessages(locale) as Record<string, string>;
  return Object.fromEntries(Object.entries(t).map(([key, text]) => [key, fill(text, limits)]));
}
