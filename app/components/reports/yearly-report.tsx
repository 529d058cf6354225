import { Link } from "@remix-run/react";
import { DataTable } from "~/components/ui/data-table";
import { channelLabels } from "~/i18n/channels";
import { impactMethodLabels } from "~/i18n/impact";
import { fill, type Locale } from "~/i18n/messages";
import { reportsMessages } from "~/i18n/reports";
import { paragraphs, type EffektDraftSection } from "~/services/reports/effekt";
import type { YearlyReport } from "~/services/reports/yearly.server";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

const share = (basisPoints: number, locale: Locale) => `${new Intl.NumberFormat(locale === "en" ? "en-GB" : "sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(basisPoints / 100)} %`;

/** Money, partners, collections and figures of the year (the PDF has the same sections). */
export function ReportTables({ report, locale }: { report: YearlyReport; locale: Locale }) {
  const t = reportsMessages(locale);
  const channels = channelLabels[locale] as Record<string, string>;
  const methods = impactMethodLabels(locale);
  const section = (id: string, title: string, empty: string, body: React.ReactNode, count: number) => (
    <section aria-labelledby={id} className="report-section">
      <h2 id={id}>{title}</h2>
      {count === 0 ? <p>{empty}</p> : body}
    </section>
  );
  return (
    <>
      {section(
        "report-money",
        t.moneyHeading,
        t.noMoney,
        <DataTable
          labelledBy="report-money"
          rows={[...report.money, { channel: "", amountOre: report.totalOre }]}
          rowKey={(m) => m.channel || "total"}
          columns={[
            { label: t.colChannel, cell: (m) => (m.channel ? (channels[`channel_${m.channel}`] ?? m.channel) : <strong>{t.total}</strong>) },
            { label: t.colAmount, numeric: true, nowrap: true, cell: (m) => formatOre(m.amountOre) },
          ]}
        />,
        report.money.length,
      )}
      {report.goal
        ? null
        : section(
            "report-goals",
            t.moneyGoalHeading,
            t.noMoney,
            <DataTable
              labelledBy="report-goals"
              rows={report.moneyPerGoal}
              rowKey={(g) => g.goalNumber}
              columns={[
                { label: t.colGoal, cell: (g) => `${g.goalNumber}. ${g.title}` },
                { label: t.colAmount, numeric: true, nowrap: true, cell: (g) => formatOre(g.amountOre) },
              ]}
            />,
            report.moneyPerGoal.length,
          )}
      {section(
        "report-partners",
        t.partnersHeading,
        t.noPartners,
        <DataTable
          labelledBy="report-partners"
          rows={report.partners}
          rowKey={(p) => p.id}
          columns={[
            { label: t.colOrganisation, cell: (p) => `${p.organisation}${p.demo ? " [demo]" : ""}` },
            { label: t.colGoal, nowrap: true, cell: (p) => p.goalNumber },
            { label: t.colTier, cell: (p) => p.tier },
            { label: t.colPaid, numeric: true, nowrap: true, cell: (p) => formatOre(p.paidOre) },
          ]}
        />,
        report.partners.length,
      )}
      {section(
        "report-collections",
        t.collectionsHeading,
        t.noCollections,
        <DataTable
          labelledBy="report-collections"
          rows={report.collections}
          rowKey={(c) => c.slug}
          columns={[
            { label: t.colCollection, cell: (c) => `${c.title}${c.hidden ? ` (${t.hidden})` : ""}` },
            { label: t.colGoal, nowrap: true, cell: (c) => c.goalNumber },
            { label: t.colAmount, numeric: true, nowrap: true, cell: (c) => formatOre(c.amountOre) },
          ]}
        />,
        report.collections.length,
      )}
      {section(
        "report-impact",
        t.impactHeading,
        t.noImpact,
        <DataTable
          labelledBy="report-impact"
          rows={report.impact}
          rowKey={(f) => f.id}
          columns={[
            { label: t.colWhat, cell: (f) => `${f.demo ? "[demo] " : ""}${f.label}` },
            { label: t.colValue, nowrap: true, cell: (f) => `${f.value} ${f.unit}` },
            { label: t.colPeriod, nowrap: true, cell: (f) => `${formatDate(f.periodStart, locale)} – ${formatDate(f.periodEnd, locale)}` },
            { label: t.colMethod, cell: (f) => methods[f.method] },
          ]}
        />,
        report.impact.length,
      )}
    </>
  );
}

/** The 90-konto share: the year's costs as staff entered them, and the share to the purpose against 75 %. */
export function PurposeShareSection({ report, locale }: { report: YearlyReport; locale: Locale }) {
  const t = reportsMessages(locale);
  const c = report.costs;
  return (
    <section aria-labelledby="report-share" className="report-section">
      <h2 id="report-share">{t.shareHeading}</h2>
      <p>{t.shareLead}</p>
      {report.goal ? <p>{t.shareScope}</p> : null}
      {!c ? (
        <p>
          <Link to={`/admin/reports?year=${report.year}`}>{t.shareMissing}</Link>
        </p>
      ) : (
        <>
          <dl className="facts">
            <dt>{t.sharePurpose}</dt>
            <dd>{formatOre(c.purposeOre)}</dd>
            <dt>{t.shareFundraising}</dt>
            <dd>{formatOre(c.fundraisingOre)}</dd>
            <dt>{t.shareAdministration}</dt>
            <dd>{formatOre(c.administrationOre)}</dd>
            <dt>{t.shareTotal}</dt>
            <dd>{formatOre(c.totalOre)}</dd>
          </dl>
          {c.purposeBasisPoints === null ? (
            <p>{t.shareZero}</p>
          ) : (
            <p>
              <strong>{fill(t.shareValue, { share: share(c.purposeBasisPoints, locale) })}</strong> {c.meetsRule ? t.shareMeets : t.shareFails}
            </p>
          )}
          {c.note ? <p>{c.note}</p> : null}
          <p>{t.shareCaveat}</p>
        </>
      )}
    </section>
  );
}

/** The effektrapport draft: each question with what the data says, and what staff wrote or still have to. */
export function EffektDraft({ sections, locale, editHref }: { sections: EffektDraftSection[]; locale: Locale; editHref?: string }) {
  const t = reportsMessages(locale);
  return (
    <section aria-labelledby="report-effekt" className="report-effekt">
      <h2 id="report-effekt">{t.effektHeading}</h2>
      <p>{t.effektLead}</p>
      {editHref ? (
        <p className="report-actions">
          <a href={editHref}>{t.effektEdit}</a>
        </p>
      ) : null}
      {sections.map((s) => (
        <section key={s.key} aria-labelledby={`effekt-${s.key}`} className="report-effekt-section">
          <h3 id={`effekt-${s.key}`}>{s.title}</h3>
          {s.fromData.length ? (
            <>
              <p>
                <strong>{t.fromData}</strong>
              </p>
              <ul>
                {s.fromData.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          ) : null}
          {s.staffText ? (
            <div className="report-staff-text">
              <p>
                <strong>{t.staffText}</strong>
              </p>
              {paragraphs(s.staffText).map((p, i) => (
                <p key={i}>{p}</p>
              ))}
            </div>
          ) : (
            <p className="report-for-staff">
              {t.forStaff}: {s.forStaff}
            </p>
          )}
        </section>
      ))}
    </section>
  );
}
