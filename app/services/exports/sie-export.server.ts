import { asc, sql } from "drizzle-orm";
import { goals } from "~db/schema";
import { channelLabels } from "~/i18n/channels";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { Invalid } from "~/services/errors";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { incomePurpose, bookkeepingPurposes } from "./accounts";
import { accountsInForce } from "./accounts.server";
import { stockholmDay } from "~/utils/dates";
import { parseExportPeriod, withinPeriod } from "./period.server";
import { encodePc8, sieHeader, sieVoucher, type SieLine } from "./sie";
import { payoutVouchers } from "./sie-payouts.server";
import { cursorStream } from "./stream.server";

/**
 * The SIE 4I file for a period (issue 14 item 5): one voucher per posting of the goal ledger, from
 * ledger_entries, the one record of money per goal (DESIGN.md).
 *
 * A posting is what one entry key names without its goal (`alloc:<payment>`, `rev:<payment>:<n>`,
 * `corr:<uuid>`, `realloc:<uuid>`): its entries are written together. Each entry becomes a row on the
 * income account of its channel with its goal as object of dimension 6 (projekt), credit for money
 * in (ledger +, SIE −). The posting's net goes on the counter account as the opposite row, so every
 * voucher sums to zero by construction:
 *   - a payment's money: Stripe's account (card, Swish, Stripe invoices) or the bank's (bankgiro,
 *     transfers, what staff mark as paid to the bank);
 *   - a staff correction (no payment): the corrections account;
 *   - a move between goals nets to zero and has no counter row.
 * Worked example: a 300 kr gift split 150/150 over goals 1 and 2 by card →
 *   #TRANS 3993 {6 "1"} -150.00, #TRANS 3993 {6 "2"} -150.00, #TRANS 1580 {} 300.00.
 * Demo payments (origin demo) are left out: they are not money. The day is the entry's day in Swedish time.
 * After them, Stripe's fees and payouts of the period (sie-payouts.server.ts), by the payout's arrival day.
 */

const DIMENSION = { number: 6, name: "Projekt" };

interface EntryRow {
  grp: string;
  goal_number: string;
  amount: string;
  channel: string;
  kind: string;
  payment: string | null;
  reason: string | null;
  day: string;
  method: string | null;
  origin: string | null;
}

const bankMethods = new Set(["bank_transfer", "bankgiro"]);

export interface SieFile {
  filename: string;
  stream: ReadableStream<Uint8Array>;
}

/** `opts.batchSize`: rows per fetch (tests make it 1 to put postings across batch boundaries). */
export async function exportSie(ctx: ServiceContext, input: unknown, opts: { now?: Date; batchSize?: number } = {}): Promise<SieFile> {
  requireStaffActor(ctx);
  const period = parseExportPeriod(input);
  const identity = await getCharityIdentity(ctx.db);
  // #FNAMN is mandatory and the name is a fact about the charity: missing, the file is refused, not guessed.
  if (!identity.name.trim()) throw new Invalid("charity_name_missing");
  const accounts = await accountsInForce(ctx.db);
  const goalRows = await ctx.db.select({ number: goals.number, title: goals.titleSv }).from(goals).orderBy(asc(goals.number));
  const declared = new Map<string, string>();
  for (const purpose of bookkeepingPurposes) if (!declared.has(accounts[purpose].account)) declared.set(accounts[purpose].account, accounts[purpose].name);
  const firstYear = Number(period.from.slice(0, 4));
  const lastYear = Number(period.to.slice(0, 4));
  const header = sieHeader({
    program: "Lokala mål",
    version: "1.0",
    generated: stockholmDay(opts.now ?? new Date()).replace(/-/g, ""),
    companyName: identity.name.trim(),
    orgNumber: identity.organisationNumber.replace(/\D/g, ""),
    years: Array.from({ length: lastYear - firstYear + 1 }, (_, i) => [-i, `${lastYear - i}0101`, `${lastYear - i}1231`] as [number, string, string]),
    accounts: [...declared].sort(([a], [b]) => a.localeCompare(b)).map(([account, name]) => ({ account, name })),
    dimension: DIMENSION,
    objects: goalRows.map((g) => ({ id: String(g.number), name: g.title })),
  });

  // A handful of rows per payout (one per goal): read before the ledger's cursor opens, written after its vouchers.
  const payouts = await payoutVouchers(ctx.db, period, accounts, DIMENSION.number);

  const channels = channelLabels.sv as Record<string, string>;
  const voucherOf = (rows: EntryRow[]): string => {
    const first = rows[0];
    const lines: SieLine[] = rows.map((r) => ({
      account: accounts[incomePurpose(r.channel)].account,
      objects: [[DIMENSION.number, r.goal_number]],
      amountOre: -BigInt(r.amount),
    }));
    const net = rows.reduce((s, r) => s + BigInt(r.amount), 0n);
    const counter = first.payment === null ? accounts.corrections : bankMethods.has(first.method ?? "") || first.origin === "bank" ? accounts.bank : accounts.stripe;
    if (net !== 0n) lines.push({ account: counter.account, amountOre: net });
    const channel = channels[`channel_${first.channel}`] ?? first.channel;
    const text =
      first.kind === "allocation"
        ? `${channel}, betalning ${first.payment}`
        : first.kind === "reversal"
          ? `Återföring ${channel.toLowerCase()}, betalning ${first.payment}`
          : first.kind === "reallocation"
            ? `Omfördelning: ${first.reason ?? ""}`
            : `Rättelse: ${first.reason ?? ""}`;
    return sieVoucher({ date: first.day, text: text.slice(0, 120), lines });
  };

  // A posting may run over a batch boundary: its rows wait here until the next group starts.
  let open: EntryRow[] = [];
  const query = sql`
    select coalesce(regexp_replace(e.entry_key, ':[^:]*$', ''), 'id:' || e.id::text) as grp,
      g.number::text as goal_number, e.amount_ore::text as amount, e.channel, e.kind, e.payment_id::text as payment, e.reason,
      to_char(e.created_at at time zone 'Europe/Stockholm', 'YYYYMMDD') as day, p.method, p.origin
    from ledger_entries e
    join goals g on g.id = e.goal_id
    left join payments p on p.id = e.payment_id
    where ${withinPeriod(sql.raw("e.created_at"), period)} and (p.origin is null or p.origin <> 'demo')
    order by e.created_at, grp, e.id`;
  const stream = cursorStream<EntryRow>(ctx.db, {
    query,
    batchSize: opts.batchSize,
    head: () => encodePc8(header),
    batch: (rows) => {
      let text = "";
      for (const row of rows) {
        if (open.length > 0 && open[0].grp !== row.grp) {
          text += voucherOf(open);
          open = [];
        }
        open.push(row);
      }
      return encodePc8(text);
    },
    tail: () => encodePc8((open.length > 0 ? voucherOf(open) : "") + payouts),
  });
  return { filename: `lokala-mal-${period.from}-${period.to}.si`, stream };
}
