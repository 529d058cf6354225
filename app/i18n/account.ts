import { defineMessages } from "./messages";
import { channelLabels } from "./channels";

/** The words of /account: a person's gifts, receipts, monthly gifts, organisations and sign-ins. */
export const accountMessages = defineMessages({
  sv: {
    title: "Mitt konto – Lokala mål",
    heading: "Mitt konto",
    signedInAs: "Inloggad som",
    roles: "Roller",
    role_admin: "Administratör",
    role_fundraiser: "Insamlare",
    staffArea: "Till administrationen",
    signOut: "Logga ut",

    gifts: "Mina gåvor",
    giftsIntro: "Gåvor som gjorts med adressen {email}.",
    giftsEmpty: "Du har inte gett någon gåva ännu —",
    giftsEmptyLink: "ge en gåva",
    giftsTable: "Mina gåvor",
    date: "Datum",
    goal: "Till",
    amount: "Belopp",
    channel: "Typ av gåva",
    status: "Status",
    receipt: "Kvitto",
    whereNeeded: "Där behovet är störst",
    receipts: "Kvitton",
    receiptLink: "Kvitto {reference}",
    receiptSummary: "Kvitto {reference}: {amount}, {date}",
    noReceipt: "Inget kvitto (ingen betalning)",
    receiptEmailed: "Kvittot mejlades också till dig när gåvan betalades.",
    method: "Betalsätt",
    reference: "Referens",
    recipient: "Mottagare",
    orgNumber: "org.nr",
    method_card: "Kort",
    method_swish: "Swish",
    method_unknown: "Betalning via Stripe",
    refunded: "varav återbetalt {amount}",

    ...channelLabels.sv,
    status_paid: "Betald",
    status_pending: "Väntar på betalning",
    status_failed: "Betalningen gick inte igenom",
    status_expired: "Inte genomförd",
    status_cancelled: "Avbruten",
    status_held: "Granskas av oss",
    status_refunded: "Återbetald",
    status_other: "Okänd status",

    monthly: "Mina månadsgåvor",
    monthlyEmpty: "Du har ingen månadsgåva —",
    monthlyEmptyLink: "bli månadsgivare",
    monthlyTable: "Mina månadsgåvor",
    monthlyAmount: "{amount} i månaden",
    started: "Startad",
    manage: "Ändra eller avsluta",
    change: "Ändra",
    monthly_active: "Aktiv",
    monthly_past_due: "Senaste dragningen misslyckades",
    monthly_canceled: "Avslutad",

    organisations: "Mina organisationer",
    orgAdmin: "administratör",
    noOrganisations: "Du är inte kontaktperson för någon organisation.",

    sessions: "Inloggningar",
    sessionsIntro: "Här är du inloggad just nu. En inloggning avslutas efter två timmar utan aktivitet och senast efter tolv timmar.",
    sessionsTable: "Mina inloggningar",
    device: "Enhet",
    signedInAt: "Inloggad",
    lastSeen: "Senast aktiv",
    thisDevice: "Den här enheten",
    deviceOn: "{browser} på {device}",
    browserUnknown: "Okänd webbläsare",
    deviceUnknown: "Okänd enhet",
    signOutOthers: "Logga ut på andra enheter",
    signOutEverywhere: "Logga ut överallt",
    signedOutOthers: "Du är utloggad på {count} andra enheter.",
    unknownIntent: "Okänd åtgärd.",
  },
  en: {
    title: "My account – Local goals",
    heading: "My account",
    signedInAs: "Signed in as",
    roles: "Roles",
    role_admin: "Administrator",
    role_fundraiser: "Fundraiser",
    staffArea: "Go to administration",
    signOut: "Sign out",

    gifts: "My gifts",
    giftsIntro: "Gifts made with the address {email}.",
    giftsEmpty: "You have not given a gift yet —",
    giftsEmptyLink: "give a gift",
    giftsTable: "My gifts",
    date: "Date",
    goal: "To",
    amount: "Amount",
    channel: "Type of gift",
    status: "Status",
    receipt: "Receipt",
    whereNeeded: "Where the need is greatest",
    receipts: "Receipts",
    receiptLink: "Receipt {reference}",
    receiptSummary: "Receipt {reference}: {amount}, {date}",
    noReceipt: "No receipt (nothing was paid)",
    receiptEmailed: "The receipt was also emailed to you when the gift was paid.",
    method: "Payment method",
    reference: "Reference",
    recipient: "Recipient",
    orgNumber: "reg. no.",
    method_card: "Card",
    method_swish: "Swish",
    method_unknown: "Payment via Stripe",
    refunded: "of which {amount} refunded",

    ...channelLabels.en,
    status_paid: "Paid",
    status_pending: "Awaiting payment",
    status_failed: "The payment did not go through",
    status_expired: "Not completed",
    status_cancelled: "Cancelled",
    status_held: "Being reviewed by us",
    status_refunded: "Refunded",
    status_other: "Unknown status",

    monthly: "My monthly gifts",
    monthlyEmpty: "You have no monthly gift —",
    monthlyEmptyLink: "become a monthly donor",
    monthlyTable: "My monthly gifts",
    monthlyAmount: "{amount} a month",
    started: "Started",
    manage: "Change or stop",
    change: "Change",
    monthly_active: "Active",
    monthly_past_due: "The latest charge failed",
    monthly_canceled: "Stopped",

    organisations: "My organisations",
    orgAdmin: "administrator",
    noOrganisations: "You are not a contact of any organisation.",

    sessions: "Sign-ins",
    sessionsIntro: "You are signed in here right now. A sign-in ends after two hours without activity and after twelve hours at most.",
    sessionsTable: "My sign-ins",
    device: "Device",
    signedInAt: "Signed in",
    lastSeen: "Last active",
    thisDevice: "This device",
    deviceOn: "{browser} on {device}",
    browserUnknown: "Unknown browser",
    deviceUnknown: "Unknown device",
    signOutOthers: "Sign out on other devices",
    signOutEverywhere: "Sign out everywhere",
    signedOutOthers: "You are signed out on {count} other devices.",
    unknownIntent: "Unknown action.",
  },
});

export type AccountMessages = ReturnType<typeof accountMessages>;

/** A payment status as the donor reads it; statuses added later fall back to a neutral word. */
export function giftStatusLabel(t: AccountMessages, status: string, refundedOre: string, amountOre: string): string {
  if (status === "paid" && BigInt(refundedOre) > 0n && BigInt(refundedOre) >= BigInt(amountOre)) return t.status_refunded;
  if (status === "canceled") return t.status_cancelled;
  const key = `status_${status}` as keyof AccountMessages;
  return key in t ? t[key] : t.status_other;
}

export function channelLabel(t: AccountMessages, channel: string): string {
  const key = `channel_${channel}` as keyof AccountMessages;
  return key in t ? t[key] : channel;
}

export function monthlyStatusLabel(t: AccountMessages, status: string): string {
  const key = `monthly_${status}` as keyof AccountMessages;
  return key in t ? t[key] : t.status_other;
}
