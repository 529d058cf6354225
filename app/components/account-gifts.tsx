import { Link } from "@remix-run/react";
import { DataTable } from "~/components/data-table";
import { accountMessages, channelLabel, giftStatusLabel, monthlyStatusLabel } from "~/i18n/account";
import { fill, type Locale } from "~/i18n/messages";
import type { AccountGift, AccountMonthlyGift, AccountOverview } from "~/services/account/account.server";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

/** The person's own gifts on /account, each paid one with its receipt (the facts of the emailed one). */
export function AccountGifts({ locale, email, gifts, recipient }: { locale: Locale; email: string; gifts: AccountGift[]; recipient: AccountOverview["recipient"] }) {
  const t = accountMessages(locale);
  return (
    <>
      <h2 id="gifts-heading">{t.gifts}</h2>
      {gifts.length === 0 ? (
        <p className="empty" data-testid="gifts-empty">
          {t.giftsEmpty} <Link to="/give">{t.giftsEmptyLink}</Link>
        </p>
      ) : (
        <>
          <p>{fill(t.giftsIntro, { email })}</p>
          <DataTable labelledBy="gifts-heading" columns={[t.date, t.goal, { label: t.amount, numeric: true }, t.channel, t.status, t.receipt]}>
            {gifts.map((g) => (
              <tr key={g.id} data-testid="gift">
                <td style={{ whiteSpace: "nowrap" }}>{formatDate(g.date, locale)}</td>
                <td>{g.goalTitle ?? t.whereNeeded}</td>
                <td className="num">{formatOre(g.amountOre)}</td>
                <td>{channelLabel(t, g.channel)}</td>
                <td>
                  {giftStatusLabel(t, g.status, g.refundedOre, g.amountOre)}
                  {BigInt(g.refundedOre) > 0n && BigInt(g.refundedOre) < BigInt(g.amountOre) ? ` (${fill(t.refunded, { amount: formatOre(g.refundedOre) })})` : ""}
                </td>
                <td>{g.hasReceipt ? <a href={`#receipt-${g.id}`}>{fill(t.receiptLink, { reference: g.id })}</a> : <span className="empty">{t.noReceipt}</span>}</td>
              </tr>
            ))}
          </DataTable>
          {gifts.some((g) => g.hasReceipt) ? (
            <>
              <h3 id="receipts-heading">{t.receipts}</h3>
              {gifts
                .filter((g) => g.hasReceipt)
                .map((g) => (
                  <Receipt key={g.id} locale={locale} gift={g} recipient={recipient} />
                ))}
            </>
          ) : null}
        </>
      )}
    </>
  );
}

function Receipt({ locale, gift, recipient }: { locale: Locale; gift: AccountGift; recipient: AccountOverview["recipient"] }) {
  const t = accountMessages(locale);
  const rows: [string, string][] = [
    [t.amount, formatOre(gift.amountOre)],
    [t.goal, gift.goalTitle ?? t.whereNeeded],
    [t.date, formatDate(gift.date, locale)],
    [t.method, gift.method ? t[`method_${gift.method}`] : t.method_unknown],
    [t.channel, channelLabel(t, gift.channel)],
    [t.reference, gift.id],
    [t.recipient, recipient.organisationNumber ? `${recipient.name}, ${t.orgNumber} ${recipient.organisationNumber}` : recipient.name],
  ];
  return (
    <details data-testid="receipt" id={`receipt-${gift.id}`}>
      <summary>{fill(t.receiptSummary, { reference: gift.id, date: formatDate(gift.date, locale), amount: formatOre(gift.amountOre) })}</summary>
      <dl style={{ display: "grid", gridTemplateColumns: "auto 1fr", gap: "0.1rem 0.75rem", margin: "0.5rem 0" }}>
        {rows.map(([label, value]) => (
          <div key={label} style={{ display: "contents" }}>
            <dt style={{ fontWeight: 600 }}>{label}</dt>
            <dd style={{ margin: 0 }}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">{t.receiptEmailed}</p>
    </details>
  );
}

/** Monthly gifts with the signed link to change or stop each (the same link as in the receipts). */
export function AccountMonthlyGifts({ locale, monthlyGifts }: { locale: Locale; monthlyGifts: AccountMonthlyGift[] }) {
  const t = accountMessages(locale);
  return (
    <>
      <h2 id="monthly-heading">{t.monthly}</h2>
      {monthlyGifts.length === 0 ? (
        <p className="empty" data-testid="monthly-empty">
          {t.monthlyEmpty} <Link to="/give?frequency=monthly">{t.monthlyEmptyLink}</Link>
        </p>
      ) : (
        <DataTable labelledBy="monthly-heading" columns={[t.started, t.goal, { label: t.amount, numeric: true }, t.status, t.change]}>
          {monthlyGifts.map((m) => (
            <tr key={m.id} data-testid="monthly-gift">
              <td style={{ whiteSpace: "nowrap" }}>{formatDate(m.startedAt, locale)}</td>
              <td>{m.goalTitle ?? t.whereNeeded}</td>
              <td className="num">{fill(t.monthlyAmount, { amount: formatOre(m.amountOre) })}</td>
              <td>{monthlyStatusLabel(t, m.status)}</td>
              <td>{m.managePath && m.status !== "canceled" ? <Link to={m.managePath}>{t.manage}</Link> : null}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
