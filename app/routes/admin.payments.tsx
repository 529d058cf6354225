import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages, fill } from "~/i18n/messages";
import { PAYMENT_STATUSES } from "~/services/payments/limits";
import { goalLedgerSummary, listAnomalies, listPaymentsForStaff } from "~/services/payments/admin.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { DataTable } from "~/components/data-table";

const messages = defineMessages({
  sv: {
    title: "Betalningar – Lokala mål",
    heading: "Betalningar",
    balances: "Varje måls saldo i huvudboken",
    goal: "Mål",
    balance: "Saldo",
    byChannel: "Per kanal",
    monthlyActive: "Aktiva månadsgåvor: {n} ({amount} i månaden).",
    anomalies: "Att granska",
    anomaliesEmpty: "Inget att granska.",
    kind: "Typ",
    object: "Stripe-objekt",
    details: "Detaljer",
    payment: "Betalning",
    payments: "Betalningar (senaste 200)",
    filter: "Visa status",
    all: "Alla",
    show: "Visa",
    when: "Skapad",
    status: "Status",
    channel: "Kanal",
    method: "Betalsätt",
    amount: "Belopp",
    refunded: "Återbetalt",
    donor: "Givare",
    anonymous: "(vill vara anonym)",
    origin: "Källa",
    flags: "Flaggor",
    greeting: "Hälsning",
    empty: "Inga betalningar.",
    allocation: "Fördelning av gåvor utan valt mål",
    whereNeeded: "Där behovet är störst",
    origin_app: "Gåvosidan",
    origin_external: "Utanför appen",
    origin_demo: "Demo",
    status_pending: "Väntar",
    status_paid: "Betald",
    method_card: "Kort",
    method_swish: "Swish",
    status_failed: "Misslyckad",
    status_expired: "Utgången",
    status_held: "Spärrad (fel valuta)",
    channel_one_off_gift: "Engångsgåva",
    channel_monthly_gift: "Månadsgåva",
    channel_partner_fee: "Partneravgift",
    channel_salary_giving: "Löneavdrag",
    channel_collection: "Insamling",
    channel_competition: "Tävling",
    flag_amount_mismatch: "Fel belopp",
    flag_currency_mismatch: "Fel valuta",
    flag_external_payment: "Startad utanför appen",
    flag_unknown_goal: "Okänt mål i metadata",
    flag_dispute_opened: "Bestriden",
    flag_dispute_lost: "Bestridan förlorad",
    flag_dispute_closed: "Bestridan avslutad",
    flag_goal_mismatch: "Annat mål i betalningen än det bokförda",
    flag_refund_failed: "Återbetalningen misslyckades – rätta saldot",
  },
  en: {
    title: "Payments – Local goals",
    heading: "Payments",
    balances: "Each goal's ledger balance",
    goal: "Goal",
    balance: "Balance",
    byChannel: "By channel",
    monthlyActive: "Active monthly gifts: {n} ({amount} a month).",
    anomalies: "To review",
    anomaliesEmpty: "Nothing to review.",
    kind: "Kind",
    object: "Stripe object",
    details: "Details",
    payment: "Payment",
    payments: "Payments (latest 200)",
    filter: "Show status",
    all: "All",
    show: "Show",
    when: "Created",
    status: "Status",
    channel: "Channel",
    method: "Method",
    amount: "Amount",
    refunded: "Refunded",
    donor: "Donor",
    anonymous: "(wishes to be anonymous)",
    origin: "Source",
    flags: "Flags",
    greeting: "Greeting",
    empty: "No payments.",
    allocation: "Split of gifts without a chosen goal",
    whereNeeded: "Where the need is greatest",
    origin_app: "Give page",
    origin_external: "Outside the app",
    origin_demo: "Demo",
    status_pending: "Pending",
    status_paid: "Paid",
    method_card: "Card",
    method_swish: "Swish",
    status_failed: "Failed",
    status_expired: "Expired",
    status_held: "Held (wrong currency)",
    channel_one_off_gift: "One-off gift",
    channel_monthly_gift: "Monthly gift",
    channel_partner_fee: "Partner fee",
    channel_salary_giving: "Salary giving",
    channel_collection: "Collection",
    channel_competition: "Competition",
    flag_amount_mismatch: "Wrong amount",
    flag_currency_mismatch: "Wrong currency",
    flag_external_payment: "Started outside the app",
    flag_unknown_goal: "Unknown goal in metadata",
    flag_dispute_opened: "Disputed",
    flag_dispute_lost: "Dispute lost",
    flag_dispute_closed: "Dispute closed",
    flag_goal_mismatch: "Goal in the payment differs from the one booked",
    flag_refund_failed: "Refund failed – correct the balance",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const locale = await getLocale(request);
  const status = new URL(request.url).searchParams.get("status") ?? "";
  const db = await getDb();
  const [rows, anomalies, summary] = await orThrowResponse(() =>
    Promise.all([
      listPaymentsForStaff(db, { actor: user, status, locale }),
      listAnomalies(db, { actor: user }),
      goalLedgerSummary(db, { actor: user, locale }),
    ]),
  );
  return { locale, status, rows, anomalies, summary };
}

export default function AdminPayments() {
  const { locale, status, rows, anomalies, summary } = useLoaderData<typeof loader>();
  const t = messages(locale) as ReturnType<typeof messages> & Record<string, string>;
  const label = (prefix: string, value: string) => t[`${prefix}_${value}`] ?? value;
  return (
    <section aria-labelledby="payments-heading">
      <h1 id="payments-heading">{t.heading}</h1>
      <p>
        <Link to="/admin/allocation">{t.allocation}</Link>
      </p>
      <h2>{t.balances}</h2>
      <DataTable label={t.balances} columns={[t.goal, { label: t.balance, numeric: true }, t.byChannel]}>
        {summary.goals.map((g) => (
          <tr key={g.slug}>
            <td>
              #{g.number} {g.title}
            </td>
            <td className="num" data-testid={`balance-${g.slug}`}>
              {formatOre(g.balanceOre)}
            </td>
            <td>{g.byChannel.map((c) => `${label("channel", c.channel)}: ${formatOre(c.totalOre)}`).join(" · ")}</td>
          </tr>
        ))}
      </DataTable>
      <p>{fill(t.monthlyActive, { n: summary.activeMonthlyGifts, amount: formatOre(summary.activeMonthlyOre) })}</p>

      <h2>{t.anomalies}</h2>
      {anomalies.length === 0 ? (
        <p className="empty">{t.anomaliesEmpty}</p>
      ) : (
        <DataTable label={t.anomalies} columns={[t.when, t.kind, t.payment, t.object, t.details]}>
          {anomalies.map((a) => (
            <tr key={a.id}>
              <td>{formatDateTime(a.createdAt, locale)}</td>
              <td className="flag">{label("flag", a.kind)}</td>
              <td>{a.paymentId ?? "–"}</td>
              <td>
                <code>{a.objectId}</code>
              </td>
              <td>
                <code>{a.details}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <h2>{t.payments}</h2>
      <Form method="get" className="button-row">
        <label htmlFor="status-filter">{t.filter}</label>
        <select id="status-filter" name="status" defaultValue={status} style={{ width: "auto" }}>
          <option value="">{t.all}</option>
          {PAYMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {label("status", s)}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary">
          {t.show}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <DataTable label={t.payments} columns={["#", t.when, t.status, t.channel, t.method, { label: t.amount, numeric: true }, { label: t.refunded, numeric: true }, t.goal, t.donor, t.origin, t.flags]}>
          {rows.map((p) => (
            <tr key={p.id} data-testid={`payment-${p.id}`}>
              <td>{p.id}</td>
              <td>{formatDateTime(p.createdAt, locale)}</td>
              <td>{label("status", p.status)}</td>
              <td>{label("channel", p.channel)}</td>
              <td>{p.method ? label("method", p.method) : "–"}</td>
              <td className="num">{formatOre(p.amountOre)}</td>
              <td className="num">{p.refundedOre === "0" ? "–" : formatOre(p.refundedOre)}</td>
              <td>{p.goalTitle ?? t.whereNeeded}</td>
              <td>
                {p.donorName ?? "–"} {p.donorEmail ? <small>&lt;{p.donorEmail}&gt;</small> : null} {p.anonymous ? <small>{t.anonymous}</small> : null}
                {p.greeting ? (
                  <>
                    <br />
                    <small>
                      {t.greeting}: {p.greeting}
                    </small>
                  </>
                ) : null}
              </td>
              <td>{label("origin", p.origin)}</td>
              <td className="flag">{p.flags.map((f) => label("flag", f)).join(", ")}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
