import { GoalBadge, StatusBadge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { StatTile, StatTiles } from "~/components/ui/stat-tile";
import { invoiceMessages, invoiceStatusLabels } from "~/i18n/invoices";
import { fill, type Locale } from "~/i18n/messages";
import { workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import type { EmployerOverview } from "~/services/workplace/employer.server";
import type { InvoiceStatus } from "~db/schema/invoices";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

const kr = (ore: string) => formatOre(BigInt(ore));

/** "november 2026" from a payroll month's first day. */
function monthName(month: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "sv-SE", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}T00:00:00Z`));
}

/**
 * The employer's view of its programme (issue 13 item 7): participation, totals per month and goal,
 * the match, the payroll lists (each run's own page has the names, amounts and files) and invoices.
 * What the service left out for having fewer than three people is said to be left out, never zero.
 */
export function ProgrammeOverview({ overview, locale, runHref }: { overview: EmployerOverview; locale: Locale; runHref: (runId: number) => string }) {
  const t = workplaceProgrammeMessages(locale);
  const invoiceLabels = invoiceStatusLabels(locale);
  const invoiceWords = invoiceMessages(locale);
  const runLabel = (status: string) => (status === "confirmed" ? t.run_confirmed : t.run_draft);
  return (
    <section aria-labelledby="workplace-overview-heading" className="stack">
      <h2 id="workplace-overview-heading">{t.overviewHeading}</h2>
      <StatTiles label={t.overviewHeading}>
        <StatTile label={t.participation} value={overview.participationPercent !== null ? fill(t.participationValue, { percent: overview.participationPercent.toLocaleString(locale === "en" ? "en-GB" : "sv-SE") }) : t.hiddenFew} />
        <StatTile label={t.pledgers} value={overview.pledgers ?? t.hiddenFew} />
        <StatTile label={t.headcountTile} value={overview.statedHeadcount ?? "–"} />
        <StatTile label={t.matchUsed} value={overview.matchUsedThisYearOre !== null ? kr(overview.matchUsedThisYearOre) : t.hiddenFew} />
      </StatTiles>
      <p className="hint">{t.privacyNote}</p>

      <h3 id="workplace-totals-heading">{t.totalsHeading}</h3>
      {overview.totals.length === 0 ? (
        <EmptyState title={t.totalsEmpty}>{overview.totalsHidden ? <p>{t.fewNote}</p> : null}</EmptyState>
      ) : (
        <>
          <DataTable
            labelledBy="workplace-totals-heading"
            rows={overview.totals}
            rowKey={(r) => `${r.month}:${r.goalId}`}
            columns={[
              { label: t.colMonth, cell: (r) => monthName(r.month, locale), nowrap: true },
              { label: t.colGoal, cell: (r) => <GoalBadge number={r.goalNumber} title={r.goalTitle} locale={locale} /> },
              { label: t.colPeople, cell: (r) => r.people, numeric: true },
              { label: t.colAmount, cell: (r) => kr(r.amountOre), numeric: true },
            ]}
          />
          {overview.totalsHidden ? <p className="hint">{t.fewNote}</p> : null}
        </>
      )}
      {overview.match.length ? (
        <DataTable
          label={t.colMatch}
          rows={overview.match}
          rowKey={(r) => r.month}
          columns={[
            { label: t.colMonth, cell: (r) => monthName(r.month, locale), nowrap: true },
            { label: t.colMatch, cell: (r) => kr(r.matchOre), numeric: true },
          ]}
        />
      ) : null}

      <h3 id="workplace-runs-heading">{t.runsHeading}</h3>
      {overview.runs.length === 0 ? (
        <EmptyState title={t.runsEmpty} />
      ) : (
        <DataTable
          labelledBy="workplace-runs-heading"
          rows={overview.runs}
          rowKey={(r) => r.id}
          columns={[
            { label: t.colMonth, cell: (r) => monthName(r.month, locale), nowrap: true },
            { label: t.colStatus, cell: (r) => <StatusBadge status={r.status === "confirmed" ? "paid" : "draft"} label={runLabel(r.status)} /> },
            { label: t.colEmployees, cell: (r) => (r.employeesOre !== null ? kr(r.employeesOre) : t.hiddenFew), numeric: true },
            { label: t.colMatch, cell: (r) => (r.matchOre !== null ? kr(r.matchOre) : t.hiddenFew), numeric: true },
            { label: t.colList, cell: (r) => <a href={runHref(r.id)}>{`${t.openRun} ${monthName(r.month, locale)}`}</a> },
          ]}
        />
      )}

      <h3 id="workplace-invoices-heading">{t.invoicesHeading}</h3>
      {overview.invoices.length === 0 ? (
        <EmptyState title={t.invoicesEmpty} />
      ) : (
        <DataTable
          labelledBy="workplace-invoices-heading"
          rows={overview.invoices}
          rowKey={(i) => i.id}
          columns={[
            { label: t.colNumber, cell: (i) => i.number ?? "", nowrap: true },
            { label: t.colMonth, cell: (i) => (i.month ? monthName(i.month, locale) : ""), nowrap: true },
            { label: t.colDue, cell: (i) => formatDate(i.dueDate, locale), nowrap: true },
            { label: t.colTotal, cell: (i) => kr(i.totalOre), numeric: true },
            { label: t.colPaid, cell: (i) => kr(i.paidOre), numeric: true },
            {
              label: t.colStatus,
              cell: (i) => <StatusBadge status={i.status} label={i.carriedToNumber ? invoiceWords.carriedTo.replace("{number}", i.carriedToNumber) : (invoiceLabels[i.status as InvoiceStatus] ?? i.status)} />,
            },
          ]}
        />
      )}
    </section>
  );
}
