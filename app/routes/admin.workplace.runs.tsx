import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { SelectField, TextField } from "~/components/form";
import { fieldsFrom, type InvoiceFailure } from "~/components/invoice-fields";
import { PageHeader } from "~/components/ui/page-header";
import { payrollErrorMessages, payrollPageMessages } from "~/i18n/workplace-payroll";
import { staffPayrollRuns } from "~/services/workplace/payroll-read.server";
import { runPayrollMonth } from "~/services/workplace/payroll-run.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: payrollPageMessages(data?.locale ?? "sv").staffTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const { runs, programmes } = await orThrowResponse(() => staffPayrollRuns(ctx));
  return {
    locale: ctx.locale,
    done: new URL(request.url).searchParams.get("done") === "listed",
    programmes,
    runs: runs.map((r) => ({ id: r.id, organisationName: r.organisationName, month: r.month, status: r.status, attempt: r.attempt, employeesOre: r.employeesOre.toString(), matchOre: r.matchOre.toString() })),
  };
}

/** Staff make (or make again) a programme's list for a month; a confirmed month is refused (409). */
export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = { programmeId: String(form.get("programmeId") ?? ""), month: String(form.get("month") ?? "") };
  // Not a number: id 0, which no programme has (404 programme_not_found from the service).
  const programmeId = /^\d{1,9}$/.test(values.programmeId) ? Number(values.programmeId) : 0;
  return attempt(ctx.locale, async () => (await runPayrollMonth(ctx, programmeId, values.month), redirect("/admin/workplace/runs?done=listed")), { messages: payrollErrorMessages, values });
}

export default function StaffPayrollRuns() {
  const { locale, done, programmes, runs } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as InvoiceFailure;
  const t = payrollPageMessages(locale);
  // A plain POST: the service's refusal (a translated message) is all the fields need, as on the invoice forms.
  const field = fieldsFrom("payroll-run", failure);
  return (
    <section aria-labelledby="payroll-runs-heading">
      <PageHeader id="payroll-runs-heading" title={t.staffTitle} lead={t.staffLead} />
      {done ? <p role="status" className="notice">{t.done}</p> : null}
      {failure?.message ? <p role="alert" className="notice error">{failure.message}</p> : null}
      <Form method="post" id="payroll-run" noValidate className="inline-form">
        <SelectField meta={field("programmeId")} label={t.programme} options={programmes.map((p) => ({ value: String(p.id), label: p.organisationName }))} />
        <TextField meta={field("month")} label={t.month} size={8} autoComplete="off" />
        <button type="submit" className="button">{t.rerun}</button>
      </Form>
      {runs.length === 0 ? (
        <p>{t.noRuns}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t.programme}</th>
              <th scope="col">{t.month}</th>
              <th scope="col">{t.status}</th>
              <th scope="col" className="numeric">{t.attempt}</th>
              <th scope="col" className="numeric">{t.employeesTotal}</th>
              <th scope="col" className="numeric">{t.matchTotal}</th>
              <th scope="col"><span className="visually-hidden">{t.open}</span></th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>{r.organisationName}</td>
                <td>{r.month.slice(0, 7)}</td>
                <td>{r.status === "confirmed" ? t.confirmedStatus : t.draft}</td>
                <td className="numeric">{r.attempt}</td>
                <td className="numeric">{formatOre(BigInt(r.employeesOre))}</td>
                <td className="numeric">{formatOre(BigInt(r.matchOre))}</td>
                <td><Link to={`/partner/workplace/runs/${r.id}`}>{t.open}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
