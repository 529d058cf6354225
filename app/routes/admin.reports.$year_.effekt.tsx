import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AppForm, TextareaField, useAppForm } from "~/components/form";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { impactErrorMessages } from "~/i18n/impact";
import { fill } from "~/i18n/messages";
import { reportsMessages } from "~/i18n/reports";
import { effektTextsForm, saveEffektTexts } from "~/services/reports/effekt-texts.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { EFFEKT_TEXT_MAX, effektSectionList, effektTextsSchema } from "~/validation/impact";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? fill(reportsMessages(data.locale).effektFormTitle, { year: data.year }) : "" }];

/** Staff write the organisation's own text for each effektrapport question of a year (shown in the report and PDF). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const { year, values } = await orThrowResponse(() => effektTextsForm(ctx, params.year));
  return { locale: ctx.locale, year, values };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  // The year is the page's: a form cannot save one year's texts from another year's page.
  const form = await readForm(request);
  form.set("year", params.year ?? "");
  const submission = parseForm(form, effektTextsSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, impactErrorMessages);
  const values = submittedValues(submission.payload);
  return attempt(ctx.locale, async () => redirect(`/admin/reports/${(await saveEffektTexts(ctx, values)).year}/effekt?done=saved`), { messages: impactErrorMessages, values });
}

export default function EffektTextsPage() {
  const { locale, year, values } = useLoaderData<typeof loader>();
  const t = reportsMessages(locale);
  const f = useAppForm({ id: `effekt-texts-${year}`, schema: effektTextsSchema, result: useActionData<typeof action>(), messages: impactErrorMessages, defaultValue: values });
  return (
    <section aria-labelledby="effekt-form-heading">
      <PageHeader id="effekt-form-heading" title={fill(t.effektFormTitle, { year })} lead={t.effektFormLead} back={{ to: `/admin/reports/${year}`, label: t.effektBack }} />
      <DoneToast messages={{ saved: t.effektSaved }} />
      <AppForm of={f} className="stack">
        <input type="hidden" name="year" value={year} />
        {effektSectionList.map((key) => (
          <TextareaField key={key} meta={f.fields[key]} label={t[`effekt_${key}`]} hint={t[`effekt_${key}_staff`]} rows={6} max={EFFEKT_TEXT_MAX} />
        ))}
        <p>
          <button type="submit" className="button">
            {t.effektSave}
          </button>
        </p>
      </AppForm>
    </section>
  );
}
