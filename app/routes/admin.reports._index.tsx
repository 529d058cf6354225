import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AppForm, TextareaField, TextField, useAppForm } from "~/components/form";
import { Card } from "~/components/ui/card";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { impactErrorMessages } from "~/i18n/impact";
import { fill } from "~/i18n/messages";
import { reportsMessages } from "~/i18n/reports";
import { saveYearlyCosts, yearlyCostsForm } from "~/services/reports/costs.server";
import { reportYears } from "~/services/reports/yearly.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { yearlyCostsSchema } from "~/validation/impact";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: reportsMessages(data?.locale ?? "sv").indexTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const { years, withCosts, goals } = await orThrowResponse(() => reportYears(ctx));
  const asked = new URL(request.url).searchParams.get("year");
  // An unknown ?year= falls back to the newest year rather than a dead page.
  const costs = await orThrowResponse(() => yearlyCostsForm(ctx, asked && /^\d{4}$/.test(asked) && Number(asked) >= 2000 && Number(asked) <= 2100 ? asked : String(years[0])));
  return { locale: ctx.locale, years, withCosts, goals, costs };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const submission = parseForm(await readForm(request), yearlyCostsSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, impactErrorMessages);
  const values = submittedValues(submission.payload);
  return attempt(ctx.locale, async () => redirect(`/admin/reports?year=${(await saveYearlyCosts(ctx, values)).year}&done=costs`), { messages: impactErrorMessages, values });
}

export default function AdminReports() {
  const { locale, years, withCosts, goals, costs } = useLoaderData<typeof loader>();
  const t = reportsMessages(locale);
  const f = useAppForm({ id: `yearly-costs-${costs.year}`, schema: yearlyCostsSchema, result: useActionData<typeof action>(), messages: impactErrorMessages, defaultValue: costs.values });
  return (
    <section aria-labelledby="reports-heading">
      <PageHeader id="reports-heading" title={t.indexHeading} lead={t.indexLead} />
      <DoneToast messages={{ costs: t.costsSaved }} />
      <h2 id="report-years-heading">{t.yearsHeading}</h2>
      <div className="card-grid">
        {years.map((year) => (
          <Card key={year}>
            <h3>{year}</h3>
            <p>
              <Link to={`/admin/reports/${year}`}>{t.allGoals}</Link> · <Link to={`/admin/reports?year=${year}`}>{withCosts.includes(year) ? t.costsEntered : t.costsMissing}</Link>
            </p>
            <ul>
              {goals.map((g) => (
                <li key={g.slug}>
                  <Link to={`/admin/reports/${year}?goal=${g.slug}`}>{`${g.number}. ${g.title}`}</Link>
                </li>
              ))}
            </ul>
          </Card>
        ))}
      </div>
      <h2 id="costs-heading">{fill(t.costsHeading, { year: costs.year })}</h2>
      <p>{t.costsLead}</p>
      <AppForm of={f} className="stack">
        <TextField meta={f.fields.year} label={t.year} inputMode="numeric" autoComplete="off" />
        <TextField meta={f.fields.purpose} label={t.purpose} inputMode="decimal" autoComplete="off" />
        <TextField meta={f.fields.fundraising} label={t.fundraising} inputMode="decimal" autoComplete="off" />
        <TextField meta={f.fields.administration} label={t.administration} inputMode="decimal" autoComplete="off" />
        <TextareaField meta={f.fields.note} label={t.note} rows={2} max={1000} />
        <p>
          <button type="submit" className="button">
            {t.saveCosts}
          </button>
        </p>
      </AppForm>
    </section>
  );
}
