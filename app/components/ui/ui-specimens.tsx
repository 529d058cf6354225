import { ProgressBar } from "~/components/progress-bar";
import { devUiMessages } from "~/i18n/dev-ui";
import type { Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { Badge, GoalBadge, StatusBadge } from "./badge";
import { Card } from "./card";
import { ConfirmAction } from "./confirm-action";
import { DataTable, Truncated } from "./data-table";
import { EmptyState } from "./empty-state";
import { PageHeader } from "./page-header";
import { StatTile, StatTiles } from "./stat-tile";
import { StaffLayout } from "./staff-nav";
import { Toast } from "./toast";

const colourTokens = [
  "ink", "muted", "brand", "brand-dark", "accent", "focus", "bg-soft", "bg-sunken", "border",
  "success", "warning", "danger", "info", "neutral", "goal-1", "goal-2", "goal-3", "goal-4", "goal-5",
];

const sampleRows = [
  { id: 3, at: "2026-03-14T09:30:00Z", donor: "Anna Andersson", goal: 2, status: "paid", amountOre: "50000" },
  { id: 2, at: "2026-03-13T17:05:00Z", donor: "—", goal: 4, status: "pending", amountOre: "12345600" },
  { id: 1, at: "2026-03-01T08:00:00Z", donor: "Bertil Berg", goal: 1, status: "failed", amountOre: "30000" },
];

/** Every component in app/components/ui with sample content in one language (for /dev/ui). */
export function UiSpecimens({ locale }: { locale: Locale }) {
  const t = devUiMessages(locale);
  const statusLabel: Record<string, string> = { paid: t.paid, pending: t.pending, failed: t.failed };
  const id = (name: string) => `${locale}-${name}`;
  return (
    <div lang={locale} className="ui-specimen">
      <h2>{t.language}</h2>

      <h3>{t.tokens}</h3>
      <ul className="swatches">
        {colourTokens.map((name) => (
          <li key={name} className="swatch">
            <span className="swatch-chip" style={{ background: `var(--color-${name})` }} />
            <code>--color-{name}</code>
          </li>
        ))}
      </ul>
      <p className="hint">{t.headerNote}</p>

      <h3>{t.pageHeader}</h3>
      <div className="ui-frame">
        <PageHeader id={id("sample-heading")} title={t.sampleTitle} eyebrow={<GoalBadge number={2} title={t.sampleEyebrow} locale={locale} />} lead={t.sampleLead} back={{ to: "/", label: t.back }} />
      </div>

      <h3>{t.cards}</h3>
      <ul className="card-grid">
        {[1, 2, 3].map((n) => (
          <Card as="li" goal={n} key={n}>
            <GoalBadge number={n} title={`${t.goal} ${n}`} locale={locale} />
            <p>{t.cardText}</p>
          </Card>
        ))}
      </ul>

      <h3>{t.stats}</h3>
      <StatTiles label={t.stats}>
        <StatTile label={t.statRaised} value={formatOre("12345600")} hint={t.statHint} />
        <StatTile label={t.statGifts} value="1 234" />
        <StatTile label={t.statMonthly} value="87" goal={4} />
      </StatTiles>

      <h3>{t.progress}</h3>
      <ProgressBar raisedOre="6200000" targetOre="10000000" locale={locale} goal={3} />
      <ProgressBar raisedOre="6200000" targetOre={null} locale={locale} />

      <h3>{t.badges}</h3>
      <p className="button-row">
        <StatusBadge status="paid" label={t.paid} />
        <StatusBadge status="pending" label={t.pending} />
        <StatusBadge status="failed" label={t.failed} />
        <StatusBadge status="refunded" label={t.refunded} />
        <Badge tone="info">{t.info}</Badge>
      </p>
      <h3>{t.goals}</h3>
      <p className="button-row">
        {[1, 2, 3, 4, 5].map((n) => (
          <GoalBadge key={n} number={n} locale={locale} />
        ))}
      </p>

      <h3 id={id("table-heading")}>{t.table}</h3>
      <DataTable
        label={t.tableCaption}
        rows={sampleRows}
        rowKey={(r) => r.id}
        columns={[
          { label: "#", numeric: true, cell: (r) => r.id },
          { label: t.date, nowrap: true, cell: (r) => formatDate(r.at, locale) },
          { label: t.donor, cell: (r) => <Truncated text={r.id === 3 ? `${r.donor}: ${t.longText}` : r.donor} /> },
          { label: t.goal, cell: (r) => <GoalBadge number={r.goal} locale={locale} /> },
          { label: t.status, cell: (r) => <StatusBadge status={r.status} label={statusLabel[r.status]} /> },
          { label: t.amount, numeric: true, cell: (r) => formatOre(r.amountOre) },
        ]}
      />

      <h3>{t.empty}</h3>
      <EmptyState title={t.emptyTitle} action={{ to: "/dev/ui", label: t.emptyAction }}>
        <p>{t.emptyNext}</p>
      </EmptyState>

      <h3>{t.toast}</h3>
      <Toast message={t.toastText} />

      <h3>{t.confirm}</h3>
      <ConfirmAction id={id("remove")} label={t.remove} question={t.removeQuestion} confirmLabel={t.removeConfirm} fields={{ intent: "remove" }} locale={locale} />

      <h3>{t.staff}</h3>
      <div className="ui-frame">
        <StaffLayout locale={locale} admin>
          <p>{t.sampleLead}</p>
        </StaffLayout>
      </div>
    </div>
  );
}
