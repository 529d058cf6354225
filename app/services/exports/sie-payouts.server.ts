import { sql } from "drizzle-orm";
import type { Db } from "~db/client.server";
import type { ExportPeriod } from "~/validation/exports";
import type { BookkeepingAccounts } from "./accounts";
import { sieVoucher, type SieLine } from "./sie";
import { rowsOf } from "./stream.server";

/**
 * The SIE vouchers of Stripe's payouts in a period (formats.md §2.6; decision 0007), dated the
 * payout's arrival day, so a month already handed to the bookkeeping never gets new vouchers later:
 *   - fees: the payout's fees on the fee account, per goal as object of dimension 6 (the fee split
 *     over the goals each payment was allocated to), against Stripe's account. Booked for any payout
 *     Stripe reported, whatever its status: the fees were charged either way.
 *     Example: #TRANS 6570 {6 "1"} 4.65, #TRANS 6570 {6 "2"} 4.65, #TRANS 1580 {} -9.30.
 *   - the transfer, only for a payout Stripe reports `paid`: bank debit, Stripe's account credit.
 *     Example: #TRANS 1930 {} 490.70, #TRANS 1580 {} -490.70.
 * With the gift vouchers (Stripe's account debited with the gross), Stripe's account then nets to
 * what Stripe still holds.
 */

interface Row {
  id: string;
  day: string;
  amount: string;
  status: string;
  goal_number: string | null;
  fee: string | null;
}

export async function payoutVouchers(db: Db, period: ExportPeriod, accounts: BookkeepingAccounts, dimension: number): Promise<string> {
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select p.id, to_char(p.arrival_date, 'YYYYMMDD') as day, p.amount_ore::text as amount, p.status,
        g.number::text as goal_number, sum(s.fee_ore)::text as fee
      from stripe_payouts p
      left join stripe_balance_transactions t on t.payout_id = p.id
      left join stripe_fee_shares s on s.balance_transaction_id = t.id
      left join goals g on g.id = s.goal_id
      where p.arrival_date >= ${period.from}::date and p.arrival_date <= ${period.to}::date
      group by p.id, p.arrival_date, p.amount_ore, p.status, g.number
      order by p.arrival_date, p.id, g.number nulls last`),
  );
  let text = "";
  const flush = (group: Row[]) => {
    const first = group[0];
    const fees: SieLine[] = group
      .filter((r) => r.fee !== null && BigInt(r.fee) !== 0n)
      .map((r) => ({ account: accounts.fees.account, objects: r.goal_number === null ? [] : [[dimension, r.goal_number]], amountOre: BigInt(r.fee!) }));
    const total = fees.reduce((s, l) => s + l.amountOre, 0n);
    if (total !== 0n || fees.length > 0) {
      text += sieVoucher({ date: first.day, text: `Stripe-avgifter, utbetalning ${first.id}`, lines: [...fees, ...(total !== 0n ? [{ account: accounts.stripe.account, amountOre: -total }] : [])] });
    }
    const amount = BigInt(first.amount);
    if (first.status === "paid" && amount !== 0n) {
      text += sieVoucher({
        date: first.day,
        text: `Stripe-utbetalning ${first.id}`,
        lines: [
          { account: accounts.bank.account, amountOre: amount },
          { account: accounts.stripe.account, amountOre: -amount },
        ],
      });
    }
  };
  let group: Row[] = [];
  for (const row of rows) {
    if (group.length > 0 && group[0].id !== row.id) {
      flush(group);
      group = [];
    }
    group.push(row);
  }
  if (group.length > 0) flush(group);
  return text;
}
