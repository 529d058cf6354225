import { defineMessages, type Locale } from "./messages";

/** The payment simulator (/dev/checkout/…), shown when no Stripe key is set. */
export const simulatorMessages = defineMessages({
  sv: {
    // A soft hyphen: the one long word may break on a narrow screen instead of overflowing it.
    title: "Betalnings\u00adsimulator",
    label: "SIMULATOR – inga riktiga pengar",
    intro: "Det här är appens lokala betalningssimulator. Den visas eftersom ingen Stripe-nyckel är satt. Knapparna skapar samma händelser som Stripe skulle skicka och hanteras av samma kod som webhooken.",
    summary: "{kind} på {amount} till {goal}.",
    oneOff: "Engångsgåva",
    monthly: "Månadsgåva (kort)",
    whereNeeded: "där behovet är störst",
    payCard: "Betala med kort",
    paySwish: "Betala med Swish",
    declineCard: "Kortet nekas",
    declineSwish: "Avböj i Swish-appen",
    timeout: "Låt Swish-betalningen gå ut (3 minuter)",
    cancel: "Avbryt och gå tillbaka",
    declined: "Kortet nekades (simulerat). Försök igen eller avbryt.",
    done: "Den här betalningen är redan avslutad: {status}.",
    cardUpdateTitle: "Uppdatera kort (simulerat)",
    cardUpdateText: "I skarpt läge öppnar Stripe här en sida där givaren byter kort. I simulatorn finns inget kort att byta.",
    back: "Tillbaka",
    status_pending: "väntar",
    status_paid: "betald",
    status_failed: "misslyckad",
    status_expired: "utgången eller avbruten",
    status_held: "spärrad",
  },
  en: {
    title: "Payment simulator",
    label: "SIMULATOR – no real money",
    intro: "This is the app's local payment simulator. It is shown because no Stripe key is set. The buttons create the same events Stripe would send, handled by the same code as the webhook.",
    summary: "{kind} of {amount} to {goal}.",
    oneOff: "One-off gift",
    monthly: "Monthly gift (card)",
    whereNeeded: "where the need is greatest",
    payCard: "Pay by card",
    paySwish: "Pay with Swish",
    declineCard: "Card is declined",
    declineSwish: "Decline in the Swish app",
    timeout: "Let the Swish payment expire (3 minutes)",
    cancel: "Cancel and go back",
    declined: "The card was declined (simulated). Try again or cancel.",
    done: "This payment has already finished: {status}.",
    cardUpdateTitle: "Update card (simulated)",
    cardUpdateText: "In live mode Stripe opens a page here where the donor changes the card. The simulator has no card to change.",
    back: "Back",
    status_pending: "pending",
    status_paid: "paid",
    status_failed: "failed",
    status_expired: "expired or cancelled",
    status_held: "held",
  },
});

/** A payment status as a word in the page's language (never the raw database value). */
export function simulatorStatusLabel(locale: Locale, status: string): string {
  const t = simulatorMessages(locale) as Record<string, string>;
  return t[`status_${status}`] ?? t.status_failed;
}
