import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { adminPaymentsMessages as messages } from "~/i18n/admin-payments";
import { authorLabel } from "~/i18n/authors";
import { fill } from "~/i18n/messages";
import { PAYMENT_STATUSES } from "~/services/payments/limits";
import { goalLedgerSummary, listAnomalies, listPaymentsForStaff } from "~/services/payments/admin.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { DataTable } from "~/components/data-table";
import { Badge } from "~/components/ui/badge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const status = new URL(request.url).searchParams.get("status") ?? "";
  const [rows, anomalies, summary] = await orThrowResponse(() => Promise.all([listPaymentsForStaff(ctx, { status }), listAnomalies(ctx), goalLedgerSummary(ctx)]));
  return { locale: ctx.locale, status, rows, anomalies, summary };
}

/** Long text on one line, cut with an ellipsis; the whole text is in the tooltip and for screen readers. */
function Truncated({ text, small, code, flag }: { text: string; small?: boolean; code?: boolean; flag?: boolean }) {
  const className = ["truncate", small ? "small" : "", code ? "code" : "", flag ? "flag" : ""].filter(Boolean).join(" ");
  return (
    <span className={className} title={text}>
      {text}
    </span>
  );
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
        <DataTable label={t.anomalies} columns={[t.when, t.kind, t.handling, t.payment, t.object, t.details]}>
          {anomalies.map((a) => (
            <tr key={a.id}>
              <td className="nowrap">{formatDateTime(a.createdAt, locale)}</td>
              <td className="flag">{label("flag", a.kind)}</td>
              <td data-testid={`anomaly-${a.id}-handling`}>
                {a.resolved ? (
                  <Badge tone="success" title={fill(t.resolvedTitle, { who: authorLabel(a.resolved.by, locale), note: a.resolved.note })}>
                    {fill(t.resolvedOn, { when: formatDateTime(a.resolved.at, locale) })}
                  </Badge>
                ) : a.resolvable ? (
                  <>
                    <Badge tone="warning">{t.unresolved}</Badge> <Link to="/admin/corrections">{t.resolveLink}</Link>
                  </>
                ) : (
                  "–"
                )}
              </td>
              <td>{a.paymentId ?? "–"}</td>
              <td>
                <Truncated text={a.objectId} code />
              </td>
              <td>
                <Truncated text={a.details} code />
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
        <DataTable label={t.payments} columns={["#", t.when, t.status, t.channel, t.method, { label: t.amount, numeric: true }, { label: t.refunded, numeric: true }, t.goal, t.donor, t.origin]}>
          {rows.map((p) => {
            const donor = [p.donorName ?? "–", p.donorEmail ? `<${p.donorEmail}>` : "", p.anonymous ? t.anonymous : ""].filter(Boolean).join(" ");
            const flags = p.flags.map((f) => label("flag", f)).join(", ");
            return (
              <tr key={p.id} data-testid={`payment-${p.id}`}>
                <td className="num">{p.id}</td>
                <td className="nowrap">{formatDateTime(p.createdAt, locale)}</td>
                <td>
                  {label("status", p.status)}
                  {flags ? <Truncated text={flags} flag /> : null}
                </td>
                <td>{label("channel", p.channel)}</td>
                <td>{p.method ? label("method", p.method) : "–"}</td>
                <td className="num">{formatOre(p.amountOre)}</td>
                <td className="num">{p.refundedOre === "0" ? "–" : formatOre(p.refundedOre)}</td>
                <td>
                  <Truncated text={p.goalTitle ?? t.whereNeeded} />
                </td>
                <td>
                  <Truncated text={donor} />
                  {p.greeting ? <Truncated text={`${t.greeting}: ${p.greeting}`} small /> : null}
                </td>
                <td>{label("origin", p.origin)}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
