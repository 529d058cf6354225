import type { PaymentChannel } from "~db/schema/payments";

/**
 * What the SIE 4I export books on, and the defaults when staff have set nothing (browser-safe: the
 * settings page shows them). Each purpose is one account; several purposes may share one.
 *
 * The defaults are suggestions from BAS as research/formats.md §2.6 gives them, not the charity's
 * own chart of accounts: staff (with their accountant) set the real ones at /admin/exports/accounts.
 * - gifts, every channel: 3993 "Erhållna donationer och gåvor" (formats.md notes that FAR calls this
 *   the usual account for recipients other than ideella föreningar and stiftelser, which follow their
 *   own classification, so this is the one to check first; a partner fee may be sponsorship rather than
 *   a gift, which is why it has its own row);
 * - money paid through Stripe (card, Swish, Stripe invoices) waits on 1580 "Fordringar för kontokort
 *   och kuponger" until Stripe pays out; money paid to the bank (bankgiro, transfer) lands on 1930;
 * - payment fees: 6570 "Bankkostnader";
 * - staff corrections of the goal ledger (no payment behind them): against 1930 unless staff say otherwise.
 */
export const bookkeepingPurposes = [
  "income_one_off_gift",
  "income_monthly_gift",
  "income_collection",
  "income_competition",
  "income_salary_giving",
  "income_partner_fee",
  "stripe",
  "bank",
  "fees",
  "corrections",
] as const;
export type BookkeepingPurpose = (typeof bookkeepingPurposes)[number];

export interface AccountChoice {
  account: string;
  name: string;
}
export type BookkeepingAccounts = Record<BookkeepingPurpose, AccountChoice>;

const gifts: AccountChoice = { account: "3993", name: "Erhållna donationer och gåvor" };
const bank: AccountChoice = { account: "1930", name: "Företagskonto" };

export const defaultBookkeepingAccounts: BookkeepingAccounts = {
  income_one_off_gift: gifts,
  income_monthly_gift: gifts,
  income_collection: gifts,
  income_competition: gifts,
  income_salary_giving: gifts,
  income_partner_fee: gifts,
  stripe: { account: "1580", name: "Fordringar för kontokort och kuponger" },
  bank,
  fees: { account: "6570", name: "Bankkostnader" },
  corrections: bank,
};

/** The income purpose of a payment channel. */
export function incomePurpose(channel: PaymentChannel | string): BookkeepingPurpose {
  const purpose = `income_${channel}`;
  return (bookkeepingPurposes as readonly string[]).includes(purpose) ? (purpose as BookkeepingPurpose) : "income_one_off_gift";
}
