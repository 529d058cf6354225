import { Form } from "@remix-run/react";
import { StackedBarChart } from "~/components/charts/stacked-bar-chart";
import { FieldError } from "~/components/form/field";
import { GoalBadge } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { StatTile, StatTiles } from "~/components/ui/stat-tile";
import { fill, type Locale } from "~/i18n/messages";
import { transparencyMessages } from "~/i18n/transparency";
import type { MonthRow, TransparencyPage } from "~/services/reporting/transparency.server";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

type Texts = ReturnType<typeof transparencyMessages>;
const channelText = (t: Texts, channel: string) => (t as Record<string, string>)[`channel_${channel}`] ?? channel;
const percent = (basisPoints: number, locale: Locale) =>
  `${(basisPoints / 100).toLocaleString(locale === "en" ? "en-GB" : "sv-SE", { maximumFractionDigits: 2 })} %`;
const monthLabel = (month: string, locale: Locale) =>
  new Date(`${month}-01T12:00:00Z`).toLocaleDateString(locale === "en" ? "en-GB" : "sv-SE", { year: "numeric", month: "long", timeZone: "UTC" });

/** The period and goal chooser (GET, so a view can be linked); a refusal is shown next to its field. */
export function PeriodForm({
  locale,
  values,
  fieldErrors,
  goals,
}: {
  locale: Locale;
  values: { from: string; to: string; goal: string };
  fieldErrors: Record<string, string>;
  goals: { slug: string; number: number; titleSv: string; titleEn: string }[];
}) {
  const t = transparencyMessages(locale);
  const field = (name: "from" | "to", label: string) => (
    <div className="field">
      <label htmlFor={`insyn-${name}`}>{label}</label>
      <input
        id={`insyn-${name}`}
        name={name}
        type="text"
        inputMode="numeric"
        placeholder="2026-01"
        defaultValue={values[name]}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={`insyn-${name}-hint${fieldErrors[name] ? ` insyn-${name}-error` : ""}`}
      />
      <p className="field-hint" id={`insyn-${name}-hint`}>
        {t.monthHint}
      </p>
      <FieldError id={`insyn-${name}-error`} message={fieldErrors[name]} />
    </div>
  );
  return (
    <Form method="get" id="insyn-period" className="filters" aria-labelledby="insyn-period-legend" noValidate>
      <input type="hidden" name="lang" value={locale} />
      <h2 id="insyn-period-legend" className="visually-hidden">
        {t.periodLegend}
      </h2>
      {field("from", t.from)}
      {field("to", t.to)}
      <div className="field">
        <label htmlFor="insyn-goal">{t.goalField}</label>
        <select id="insyn-goal" name="goal" defaultValue={values.goal} aria-describedby={fieldErrors.goal ? "insyn-goal-error" : undefined}>
          <option value="">{t.allGoals}</option>
          {goals.map((g) => (
            <option key={g.slug} value={g.slug}>
              {g.number}. {locale === "en" ? g.titleEn : g.titleSv}
            </option>
          ))}
        </select>
        <FieldError id="insyn-goal-error" message={fieldErrors.goal} />
      </div>
      <button type="submit" className="button secondary small">
        {t.show}
      </button>
    </Form>
  );
}

export function HowItWorks({ locale }: { locale: Locale }) {
  const t = transparencyMessages(locale);
  return (
    <section aria-labelledby="insyn-how" className="prose">
      <h2 id="insyn-how">{t.howTitle}</h2>
      <p>{t.how1}</p>
      <p>{t.how2}</p>
      <p>{t.how3}</p>
    </section>
  );
}

/** Money in per channel and month: a chart with its table behind a toggle. */
export function MonthsChart({ id, name, months, channels, locale }: { id: string; name: string; months: MonthRow[]; channels: string[]; locale: Locale }) {
  const t = transparencyMessages(locale);
  if (months.length === 0) return <EmptyState title={t.noMoney}>{t.noMoneyHint}</EmptyState>;
  const title = fill(t.monthsTable, { name });
  return (
    <StackedBarChart
      id={id}
      title={title}
      description={`${t.inPeriod}: ${formatOre(months.reduce((a, m) => a + BigInt(m.totalOre), 0n))}`}
      bars={months.map((m) => ({
        key: m.month,
        label: monthLabel(m.month, locale),
        shortLabel: m.month.slice(2),
        values: Object.fromEntries(Object.entries(m.byChannel).map(([c, v]) => [c, Number(v)])),
      }))}
      series={channels.map((c, i) => ({ key: c, label: channelText(t, c), colour: i + 1 }))}
      format={(v) => formatOre(Math.round(v))}
      table={{ caption: title, toggle: `${t.show}: ${t.month} × ${t.channel}`, rowHeader: t.month, total: t.total }}
    />
  );
}

/** The same months as an always visible table (the totals for all goals). */
export function MonthsTable({ months, channels, locale, labelledBy }: { months: MonthRow[]; channels: string[]; locale: Locale; labelledBy: string }) {
  const t = transparencyMessages(locale);
  if (months.length === 0) return null;
  return (
    <DataTable
      labelledBy={labelledBy}
      rows={months}
      rowKey={(m) => m.month}
      columns={[
        { label: t.month, cell: (m) => monthLabel(m.month, locale), nowrap: true },
        ...channels.map((c) => ({ label: channelText(t, c), numeric: true, cell: (m: MonthRow) => formatOre(m.byChannel[c] ?? "0") })),
        { label: t.total, numeric: true, cell: (m) => <strong>{formatOre(m.totalOre)}</strong> },
      ]}
    />
  );
}

export function GoalMoney({ goal, channels, locale }: { goal: TransparencyPage["goals"][number]; channels: string[]; locale: Locale }) {
  const t = transparencyMessages(locale);
  const title = locale === "en" ? goal.titleEn : goal.titleSv;
  return (
    <Card as="section" goal={goal.number}>
      <h3 id={`insyn-goal-${goal.slug}`}>
        <GoalBadge number={goal.number} locale={locale} /> {title}
      </h3>
      <StatTiles>
        <StatTile label={t.inPeriod} value={formatOre(goal.periodOre)} goal={goal.number} />
        <StatTile label={t.balance} value={formatOre(goal.balanceOre)} />
      </StatTiles>
      <MonthsChart id={`insyn-chart-${goal.slug}`} name={title} months={goal.months} channels={channels} locale={locale} />
    </Card>
  );
}

export function AllocationSection({ page, locale }: { page: TransparencyPage; locale: Locale }) {
  const t = transparencyMessages(locale);
  const { current, history } = page.allocation;
  const goalName = (n: number) => {
    const g = page.allGoals.find((x) => x.number === n);
    return g ? `${n}. ${locale === "en" ? g.titleEn : g.titleSv}` : String(n);
  };
  const shareText = (shares: { number: number; basisPoints: number }[]) => shares.map((s) => `${s.number}: ${percent(s.basisPoints, locale)}`).join(", ");
  return (
    <section aria-labelledby="insyn-allocation">
      <h2 id="insyn-allocation">{t.allocationTitle}</h2>
      {current ? (
        <>
          <p>{fill(t.allocationNow, { date: formatDate(current.validFrom, locale) })}</p>
          <DataTable
            labelledBy="insyn-allocation"
            rows={current.shares}
            rowKey={(s) => s.number}
            columns={[
              { label: t.goal, cell: (s) => goalName(s.number) },
              { label: t.share, numeric: true, cell: (s) => percent(s.basisPoints, locale) },
            ]}
          />
        </>
      ) : (
        <p>{t.allocationEqual}</p>
      )}
      <h3 id="insyn-allocation-history">{t.allocationHistory}</h3>
      {history.length > 1 || (history.length === 1 && !current) ? (
        <DataTable
          labelledBy="insyn-allocation-history"
          rows={history}
          rowKey={(r) => r.validFrom}
          columns={[
            { label: t.validFrom, nowrap: true, cell: (r) => formatDate(r.validFrom, locale) },
            { label: t.validTo, nowrap: true, cell: (r) => (r.validTo ? formatDate(r.validTo, locale) : "–") },
            { label: t.share, cell: (r) => shareText(r.shares) },
            { label: t.note, cell: (r) => r.note ?? "–" },
          ]}
        />
      ) : (
        <p>{t.noHistory}</p>
      )}
    </section>
  );
}

export function CorrectionsSection({ page, locale }: { page: TransparencyPage; locale: Locale }) {
  const t = transparencyMessages(locale);
  const rows = page.corrections;
  return (
    <section aria-labelledby="insyn-corrections">
      <h2 id="insyn-corrections">{t.correctionsTitle}</h2>
      <p>{t.correctionsLead}</p>
      {rows.length === 0 ? (
        <p>{t.noCorrections}</p>
      ) : (
        <DataTable
          labelledBy="insyn-corrections"
          rows={rows}
          rowKey={(r) => `${r.at}-${r.goalNumber}-${r.amountOre}`}
          columns={[
            { label: t.date, nowrap: true, cell: (r) => formatDate(r.at, locale) },
            { label: t.kind, cell: (r) => (r.kind === "correction" ? t.kind_correction : t.kind_reallocation) },
            {
              label: t.goal,
              cell: (r) => (
                <>
                  <GoalBadge number={r.goalNumber} locale={locale} />
                  {r.otherGoalNumber !== null ? ` ${fill(t.fromGoal, { number: r.otherGoalNumber })}` : null}
                </>
              ),
            },
            { label: t.channel, cell: (r) => channelText(t, r.channel) },
            { label: t.amount, numeric: true, cell: (r) => formatOre(r.amountOre) },
            { label: t.reason, cell: (r) => r.reason ?? "–" },
          ]}
        />
      )}
    </section>
  );
}
