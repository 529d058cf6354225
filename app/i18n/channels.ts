import type { PaymentChannel } from "~db/schema/payments";
import type { Locale } from "./messages";

/** One label per channel of `paymentChannels` (db/schema/payments.ts): a missing or unknown one is a type error. */
type ChannelLabels = { [C in PaymentChannel as `channel_${C}`]: string };

/**
 * The payment channels' names (DESIGN.md: every payment keeps its channel), written once and spread
 * into each area's dictionary that shows them (`channel_<channel>` keys), so donors and staff read the
 * same words.
 */
export const channelLabels = {
  sv: {
    channel_one_off_gift: "Engångsgåva",
    channel_monthly_gift: "Månadsgåva",
    channel_partner_fee: "Partneravgift",
    channel_salary_giving: "Löneavdrag",
    channel_collection: "Insamling",
    channel_competition: "Tävling",
  },
  en: {
    channel_one_off_gift: "One-off gift",
    channel_monthly_gift: "Monthly gift",
    channel_partner_fee: "Partner fee",
    channel_salary_giving: "Salary giving",
    channel_collection: "Collection",
    channel_competition: "Competition",
  },
} as const satisfies Record<Locale, ChannelLabels>;
