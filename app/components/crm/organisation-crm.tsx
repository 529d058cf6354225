import { AppForm, SelectField, TextareaField, TextField, useAppForm } from "~/components/form";
import { EmptyState } from "~/components/ui/empty-state";
import { channelLabels } from "~/i18n/channels";
import { crmErrorMessages, crmMessages, interactionKindLabels, partnershipStatusLabels } from "~/i18n/crm";
import { invoiceStatusLabels } from "~/i18n/invoices";
import { fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { interactionKindList, interactionSchema } from "~/validation/crm";
import { resultFor, TaskForm, TaskTable, type TaskItem } from "./tasks";

/** One timeline line as the loader sends it (TimelineEvent in app/services/crm/timeline.server.ts). */
type TimelineItem = { key: string; day: string; at: string } & (
  | { type: "interaction"; kind: string; text: string; author: string | null }
  | { type: "partnership"; goal: string; tier: string; status: string }
  | { type: "invoice"; invoiceId: number; number: string | null; totalOre: string; status: string }
  | { type: "payment"; amountOre: string; channel: string }
  | { type: "contact"; email: string; name: string | null }
);

export interface OrganisationCrmData {
  organisation: { id: number; name: string };
  timeline: TimelineItem[];
  tasks: TaskItem[];
  staff: { id: number; label: string }[];
  me: number;
  today: string;
}

/** The forms post here (app/routes/admin.crm.organisations.$organisationId.tsx), which sends staff back to the organisation's page. */
export const crmActionUrl = (organisationId: number) => `/admin/crm/organisations/${organisationId}`;

function describe(e: TimelineItem, locale: Locale): string {
  const t = crmMessages(locale);
  const kr = (ore: string) => formatOre(BigInt(ore));
  switch (e.type) {
    case "interaction":
      return (interactionKindLabels(locale) as Record<string, string>)[e.kind] ?? e.kind;
    case "partnership":
      return fill(t.eventPartnership, { goal: e.goal, tier: e.tier, status: (partnershipStatusLabels(locale) as Record<string, string>)[e.status] ?? e.status });
    case "invoice":
      return e.number
        ? fill(t.eventInvoice, { number: e.number, amount: kr(e.totalOre), status: (invoiceStatusLabels(locale) as Record<string, string>)[e.status] ?? e.status })
        : fill(t.eventInvoiceDraft, { amount: kr(e.totalOre) });
    case "payment":
      return fill(t.eventPayment, { amount: kr(e.amountOre), channel: (channelLabels[locale] as Record<string, string>)[`channel_${e.channel}`] ?? e.channel });
    case "contact":
      return fill(t.eventContact, { name: e.name ? `${e.name} (${e.email})` : e.email });
  }
}

/**
 * The staff CRM on an organisation's page (issue 11 item 2): a form to note a call, meeting, email or
 * note; the timeline of those beside its partnerships, invoices, payments and contacts; its tasks with
 * a form for a new one. `result` is the CRM action's refusal, when the page is that action's answer.
 */
export function OrganisationCrm({ data, locale, result }: { data: OrganisationCrmData; locale: Locale; result?: unknown }) {
  const t = crmMessages(locale);
  const kinds = interactionKindLabels(locale);
  const action = crmActionUrl(data.organisation.id);
  const f = useAppForm({
    id: "new-interaction",
    schema: interactionSchema,
    result: resultFor(result, "interaction"),
    messages: crmErrorMessages,
    defaultValue: { kind: "call", occurredOn: data.today },
  });
  return (
    <>
      <section aria-labelledby="crm-timeline-heading" className="stack">
        <h2 id="crm-timeline-heading">{t.timelineHeading}</h2>
        <details open={!!resultFor(result, "interaction")}>
          <summary>{t.addInteraction}</summary>
          <AppForm of={f} action={action} className="stack">
            <input type="hidden" name="intent" value="interaction" />
            <SelectField meta={f.fields.kind} label={t.kind} options={interactionKindList.map((k) => ({ value: k, label: kinds[k] }))} />
            <TextField meta={f.fields.occurredOn} label={t.occurredOn} placeholder="2026-12-31" autoComplete="off" />
            <TextareaField meta={f.fields.text} label={t.text} rows={4} max={5000} />
            <p>
              <button type="submit" className="button">
                {t.saveInteraction}
              </button>
            </p>
          </AppForm>
        </details>
        {data.timeline.length === 0 ? (
          <EmptyState title={t.timelineEmpty}>
            <p>{t.timelineEmptyNext}</p>
          </EmptyState>
        ) : (
          <ol className="crm-timeline">
            {data.timeline.map((e) => (
              <li key={e.key}>
                <p>
                  <time dateTime={e.day}>{formatDate(e.day, locale)}</time> · <strong>{describe(e, locale)}</strong>
                  {e.type === "interaction" && e.author ? ` · ${fill(t.byAuthor, { name: e.author })}` : null}
                </p>
                {e.type === "interaction" ? <p className="crm-timeline-text">{e.text}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="crm-tasks-heading" className="stack">
        <h2 id="crm-tasks-heading">{t.tasksHeadingOrg}</h2>
        {data.tasks.length === 0 ? (
          <EmptyState title={t.emptyOrg}>
            <p>{t.emptyOrgNext}</p>
          </EmptyState>
        ) : (
          <TaskTable tasks={data.tasks} locale={locale} action={action} labelledBy="crm-tasks-heading" showOrganisation={false} />
        )}
        <details open={!!resultFor(result, "task")}>
          <summary>{t.newTask}</summary>
          <TaskForm locale={locale} action={action} result={result} staff={data.staff} me={data.me} organisationId={data.organisation.id} />
        </details>
      </section>
    </>
  );
}
