import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { StatTile, StatTiles } from "~/components/ui/stat-tile";
import { dashboardMessages } from "~/i18n/dashboard";
import type { Locale } from "~/i18n/messages";
import { dashboardTable } from "~/services/dashboard/tables";
import type { FundraiserDashboard } from "~/services/dashboard/types";
import { formatOre } from "~/utils/money";
import { GoalMoneyCard, TotalMoneyCard } from "./goal-money";
import { CsvLink, ModelTable } from "./model-table";

/** The dashboard's sections below the period form (the route renders them in order). */

type Props = { data: FundraiserDashboard; locale: Locale };

function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="dashboard-section" aria-labelledby={id}>
      <div className="dashboard-table-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Key figures: raised, gifts, average, recurring share, monthly donors. */
export function KeyFigures({ data, locale }: Props) {
  const t = dashboardMessages(locale);
  const g = data.gifts;
  const gifts = dashboardTable(data, "gifts", locale);
  return (
    <Section id="dashboard-gifts-heading" title={t.giftsHeading} actions={<CsvLink model={gifts} period={data.period} locale={locale} />}>
      <StatTiles label={t.giftsHeading}>
        <StatTile label={t.raised} value={formatOre(data.total.raisedOre)} />
        <StatTile label={t.giftCount} value={g.count} />
        <StatTile label={t.giftAverage} value={g.averageOre === null ? t.none : formatOre(g.averageOre)} />
        <StatTile label={t.recurringShare} value={g.recurringPercent === null ? t.none : `${g.recurringPercent} %`} hint={t.recurringHint} />
        <StatTile label={t.newDonors} value={g.newMonthlyDonors} />
        <StatTile label={t.lapsedDonors} value={g.lapsedMonthlyDonors} />
        <StatTile label={t.activeDonors} value={g.activeMonthlyDonors} />
      </StatTiles>
    </Section>
  );
}

/** Per goal: the table against target, per channel, and a card with charts for each goal. */
export function MoneySection({ data, locale }: Props) {
  const t = dashboardMessages(locale);
  const months = dashboardTable(data, "months", locale);
  return (
    <Section id="dashboard-money-heading" title={t.moneyHeading} actions={<CsvLink model={months} period={data.period} locale={locale} />}>
      <ModelTable model={dashboardTable(data, "goals", locale)} period={data.period} locale={locale} />
      <ModelTable model={dashboardTable(data, "channels", locale)} period={data.period} locale={locale} />
      <ul className="dashboard-goals">
        {data.goals.map((goal) => (
          <GoalMoneyCard key={goal.id} goal={goal} period={data.period} locale={locale} />
        ))}
      </ul>
      <TotalMoneyCard total={data.total} period={data.period} locale={locale} />
    </Section>
  );
}

export function PartnershipSection({ data, locale }: Props) {
  const t = dashboardMessages(locale);
  return (
    <Section id="dashboard-partnerships-heading" title={t.partnershipsHeading}>
      <div className="dashboard-columns">
        <ModelTable model={dashboardTable(data, "partnerships", locale)} period={data.period} locale={locale} />
        <ModelTable model={dashboardTable(data, "renewals", locale)} period={data.period} locale={locale} empty={t.noRenewals} />
      </div>
    </Section>
  );
}

export function AttentionSection({ data, locale }: Props) {
  const t = dashboardMessages(locale);
  return (
    <Section
      id="dashboard-attention-heading"
      title={t.attentionHeading}
      actions={
        <Link className="button secondary small" to="/admin/payments">
          {t.toPayments}
        </Link>
      }
    >
      <ModelTable model={dashboardTable(data, "failed", locale)} total={data.failed.count} period={data.period} locale={locale} empty={t.noFailed} />
      <ModelTable model={dashboardTable(data, "pastdue", locale)} total={data.pastDue.count} period={data.period} locale={locale} empty={t.noPastDue} />
      <ModelTable model={dashboardTable(data, "anomalies", locale)} total={data.anomalies.count} period={data.period} locale={locale} empty={t.noAnomalies} />
    </Section>
  );
}

export function TaskSection({ data, locale }: Props) {
  const t = dashboardMessages(locale);
  return (
    <Section
      id="dashboard-tasks-heading"
      title={t.tasksHeading}
      actions={
        <Link className="button secondary small" to="/admin/tasks">
          {t.toTasks}
        </Link>
      }
    >
      <StatTiles label={t.tasksHeading}>
        <StatTile label={t.openTasks} value={data.tasks.open} />
        <StatTile label={t.overdueTasks} value={data.tasks.overdue.count} />
      </StatTiles>
      <ModelTable model={dashboardTable(data, "tasks", locale)} total={data.tasks.overdue.count} period={data.period} locale={locale} empty={t.noOverdue} />
    </Section>
  );
}

export function TopSection({ data, locale }: Props) {
  const t = dashboardMessages(locale);
  return (
    <Section id="dashboard-top-heading" title={t.topHeading}>
      <div className="dashboard-columns">
        {(["partners", "collections", "competitions"] as const).map((key) => (
          <ModelTable key={key} model={dashboardTable(data, key, locale)} period={data.period} locale={locale} empty={t.noTop} />
        ))}
      </div>
    </Section>
  );
}
