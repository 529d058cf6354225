import { Link } from "@remix-run/react";
import { AppForm, RadioGroupField, SelectField, TextField, useAppForm } from "~/components/form";
import { ConfirmAction } from "~/components/ui/confirm-action";
import { DataTable } from "~/components/ui/data-table";
import { GoalBadge } from "~/components/ui/badge";
import { impactAdminMessages, impactErrorMessages, impactMethodLabels } from "~/i18n/impact";
import { fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { impactFigureSchema } from "~/validation/impact";

export interface AdminFigure {
  id: number;
  goalId: number;
  label: string;
  value: string;
  unit: string;
  method: "measured" | "estimated";
  periodStart: string;
  periodEnd: string;
  demo: boolean;
  raw: Record<string, string>;
}

/** The figures with edit (a link to ?edit=<id>) and remove (two steps, ConfirmAction). */
export function ImpactTable({ figures, goals, locale }: { figures: AdminFigure[]; goals: { id: number; number: number; title: string }[]; locale: Locale }) {
  const t = impactAdminMessages(locale);
  const methods = impactMethodLabels(locale);
  const goalOf = (id: number) => goals.find((g) => g.id === id);
  return (
    <DataTable
      labelledBy="impact-admin-heading"
      rows={figures}
      rowKey={(f) => f.id}
      columns={[
        { label: t.colGoal, nowrap: true, cell: (f) => <GoalBadge number={goalOf(f.goalId)?.number ?? 0} /> },
        { label: t.colLabel, cell: (f) => `${f.demo ? "[demo] " : ""}${f.label}` },
        { label: t.colValue, cell: (f) => `${f.value} ${f.unit}` },
        { label: t.colPeriod, nowrap: true, cell: (f) => `${formatDate(f.periodStart, locale)} – ${formatDate(f.periodEnd, locale)}` },
        { label: t.colMethod, cell: (f) => methods[f.method] },
        {
          label: t.colAction,
          hiddenLabel: true,
          cell: (f) => (
            <div className="button-row">
              <Link className="button secondary small" to={`/admin/impact?edit=${f.id}`}>
                {t.edit}
              </Link>
              <ConfirmAction id={`impact-${f.id}`} label={t.remove} question={fill(t.removeQuestion, { label: f.label })} confirmLabel={t.removeConfirm} fields={{ intent: "delete", id: String(f.id) }} action="/admin/impact" />
            </div>
          ),
        },
      ]}
    />
  );
}

/** A new figure, or the one being edited (its id in a hidden field). */
export function ImpactForm({ locale, goals, result, editing }: { locale: Locale; goals: { id: number; number: number; title: string }[]; result: unknown; editing: Record<string, string> | null }) {
  const t = impactAdminMessages(locale);
  const f = useAppForm({ id: "impact-figure", schema: impactFigureSchema, result, messages: impactErrorMessages, defaultValue: editing ?? { method: "measured" } });
  return (
    <AppForm of={f} action={editing ? `/admin/impact?edit=${editing.id}` : "/admin/impact"} className="stack">
      <input type="hidden" name="intent" value="save" />
      {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
      <SelectField meta={f.fields.goalId} label={t.goal} options={[{ value: "", label: t.chooseGoal }, ...goals.map((g) => ({ value: String(g.id), label: `${g.number}. ${g.title}` }))]} />
      <TextField meta={f.fields.periodStart} label={t.periodStart} placeholder="2026-01-01" autoComplete="off" />
      <TextField meta={f.fields.periodEnd} label={t.periodEnd} placeholder="2026-12-31" autoComplete="off" />
      <TextField meta={f.fields.value} label={t.value} inputMode="decimal" autoComplete="off" />
      <TextField meta={f.fields.valueTo} label={t.valueTo} inputMode="decimal" autoComplete="off" />
      <TextField meta={f.fields.unitSv} label={t.unitSv} />
      <TextField meta={f.fields.unitEn} label={t.unitEn} />
      <TextField meta={f.fields.labelSv} label={t.labelSv} />
      <TextField meta={f.fields.labelEn} label={t.labelEn} />
      <RadioGroupField
        meta={f.fields.method}
        legend={t.method}
        options={[
          { value: "measured", label: t.methodMeasured },
          { value: "estimated", label: t.methodEstimated },
        ]}
      />
      <TextField meta={f.fields.source} label={t.source} />
      <p className="button-row">
        <button type="submit" className="button">
          {t.save}
        </button>
        {editing ? (
          <Link className="button secondary" to="/admin/impact">
            {t.cancelEdit}
          </Link>
        ) : null}
      </p>
    </AppForm>
  );
}
