import { Link } from "@remix-run/react";
import { StackedBarChart } from "~/components/charts/stacked-bar-chart";
import { TargetChart } from "~/components/charts/target-chart";
import { GoalBadge } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { paymentChannels, type PaymentChannel } from "~db/schema/payments";
import { dashboardMessages } from "~/i18n/dashboard";
import { fill, type Locale } from "~/i18n/messages";
import { monthName } from "~/services/dashboard/tables";
import type { DashboardPeriod, GoalMoney, MoneyBreakdown } from "~/services/dashboard/types";
import { formatDate } from "~/utils/dates";
import { formatOre, percentOf } from "~/utils/money";

/** The chart's money as numbers (öre): exact below 2^53 öre, some 90 000 billion kronor. */
const oreNumber = (ore: string | undefined) => Number(ore ?? "0");

/** The months chart of one goal (or of all): a bar per month stacked by the channels that had money. */
function MonthsChart({ id, name, money, period, locale }: { id: string; name: string; money: MoneyBreakdown; period: DashboardPeriod; locale: Locale }) {
  const t = dashboardMessages(locale);
  const from = formatDate(period.from, locale);
  const to = formatDate(period.to, locale);
  const channels = paymentChannels.filter((c) => money.byChannel.some((b) => b.channel === c));
  if (channels.length === 0) return <p className="hint">{fill(t.monthsDescEmpty, { from, to })}</p>;
  const monthTotal = (m: string) => Object.values(money.byMonth[m] ?? {}).reduce((a, v) => a + BigInt(v ?? "0"), 0n);
  const largest = period.months.reduce((best, m) => (monthTotal(m) > monthTotal(best) ? m : best), period.months[0]);
  return (
    <StackedBarChart
      id={id}
      title={fill(t.monthsTitle, { goal: name })}
      description={fill(t.monthsDesc, { from, to, total: formatOre(money.raisedOre), month: monthName(largest, locale), amount: formatOre(monthTotal(largest)) })}
      series={channels.map((c: PaymentChannel) => ({ key: c, label: t[`channel_${c}`], colour: paymentChannels.indexOf(c) + 1 }))}
      bars={period.months.map((m) => ({
        key: m,
        label: monthName(m, locale),
        shortLabel: period.months.length > 12 ? m.slice(2).replace("-", "/") : monthName(m, locale, "short"),
        values: Object.fromEntries(channels.map((c) => [c, oreNumber(money.byMonth[m]?.[c])])),
      }))}
      format={(ore) => formatOre(Math.round(ore))}
      table={{ caption: fill(t.monthsCaption, { goal: name }), toggle: t.showFigures, rowHeader: t.month, total: t.total }}
    />
  );
}

/** Raised against the yearly target, or a plain statement that there is none and where staff set it. */
function Target({ goal, period, locale }: { goal: GoalMoney; period: DashboardPeriod; locale: Locale }) {
  const t = dashboardMessages(locale);
  if (goal.targetOre === null) {
    return (
      <p>
        {t.targetMissing} <Link to={`/admin/goals/${goal.slug}`}>{t.setTarget}</Link>
      </p>
    );
  }
  const pct = percentOf(goal.raisedOre, goal.targetOre) ?? 0;
  const name = `${goal.number}. ${goal.title}`;
  return (
    <>
      <TargetChart
        id={`goal-${goal.number}-target`}
        goal={goal.number}
        title={fill(t.targetTitle, { goal: name })}
        description={fill(t.targetDesc, { raised: formatOre(goal.raisedOre), target: formatOre(goal.targetOre), pct })}
        raised={oreNumber(goal.raisedOre)}
        target={oreNumber(goal.targetOre)}
      />
      <p>
        {fill(t.targetShare, { pct })} · {t.target}: {formatOre(goal.targetOre)}
      </p>
      {period.calendarYear ? null : <p className="hint">{t.targetYearNote}</p>}
    </>
  );
}

/** One goal's card: raised in the period, against its target, and per month and channel. */
export function GoalMoneyCard({ goal, period, locale }: { goal: GoalMoney; period: DashboardPeriod; locale: Locale }) {
  const t = dashboardMessages(locale);
  return (
    <Card as="li" goal={goal.number} className="dashboard-goal">
      <h3>
        <GoalBadge number={goal.number} title={goal.title} locale={locale} />
      </h3>
      <p className="goal-figures">
        <span>
          {t.raised}: <strong data-testid={`raised-${goal.number}`}>{formatOre(goal.raisedOre)}</strong>
        </span>
      </p>
      <Target goal={goal} period={period} locale={locale} />
      <MonthsChart id={`goal-${goal.number}-months`} name={`${goal.number}. ${goal.title}`} money={goal} period={period} locale={locale} />
    </Card>
  );
}

/** All goals together: the month chart of the total. */
export function TotalMoneyCard({ total, period, locale }: { total: MoneyBreakdown; period: DashboardPeriod; locale: Locale }) {
  const t = dashboardMessages(locale);
  return (
    <Card className="dashboard-goal">
      <h3>{t.allGoals}</h3>
      <p className="goal-figures">
        <span>
          {t.raised}: <strong data-testid="raised-total">{formatOre(total.raisedOre)}</strong>
        </span>
      </p>
      <MonthsChart id="all-goals-months" name={t.allGoals} money={total} period={period} locale={locale} />
    </Card>
  );
}
