import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { AppForm, CheckboxField, controlProps, FieldError, useAppForm, useFieldError, type FieldMeta } from "~/components/form";
import { initialText } from "~/components/form/field";
import { PageHeader } from "~/components/ui/page-header";
import { RunConfirmedNotice } from "~/components/workplace/run-notice";
import { fill } from "~/i18n/messages";
import { payrollErrorMessages, payrollFileMessages, payrollPageMessages } from "~/i18n/workplace-payroll";
import { idParamOr404 } from "~/services/auth/validation";
import { deducts, perMilleText } from "~/services/workplace/payroll-compute";
import { payrollRunView } from "~/services/workplace/payroll-read.server";
import { confirmRun } from "~/services/workplace/payroll-run.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { confirmRunSchema } from "~/validation/workplace-run";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: fill(payrollPageMessages(data?.locale ?? "sv").title, { month: data?.run.month.slice(0, 7) ?? "" }) }];

/** A month's payroll list for the employer's contacts (and staff): the files, and the confirmation. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const view = await orThrowResponse(() => payrollRunView(ctx, idParamOr404(params.runId)));
  const s = (v: bigint | null) => (v === null ? null : v.toString());
  return {
    locale: ctx.locale,
    run: { ...view.run, employeesOre: s(view.run.employeesOre), matchOre: s(view.run.matchOre), differenceOre: s(view.run.differenceOre), invoiceNumber: s(view.run.invoiceNumber), invoiceTotalOre: s(view.run.invoiceTotalOre), invoicePaidOre: s(view.run.invoicePaidOre) },
    list: view.list.map((p) => ({ ...p, amountOre: s(p.amountOre), deducts: deducts(p) })),
    deducted: view.deducted,
  };
}

/**
 * Confirms the month: `reported.<pledgeId>` fields (kronor) and the `confirm` box; one service call
 * (it parses the amounts again). The typed values go back nested, as Conform reads a form's values.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const runId = idParamOr404(params.runId);
  const form = await readForm(request);
  const fields = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const reported = Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith("reported.")).map(([k, v]) => [k.slice("reported.".length), v]));
  const values = { confirm: fields.confirm ?? "", reported } as unknown as Record<string, string>;
  return attempt(ctx.locale, async () => (await confirmRun(ctx, runId, { reported, confirm: fields.confirm }), redirect(`/partner/workplace/runs/${runId}?done=confirmed`)), {
    messages: payrollErrorMessages,
    values,
  });
}

const changeKey = { new: "changeNew", changed: "changeChanged", unchanged: "changeUnchanged", paused: "changePaused", stopped: "changeStopped" } as const;

type Line = ReturnType<typeof useLoaderData<typeof loader>>["list"][number];

export default function PayrollRunPage() {
  const { locale, run, list, deducted } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as { message: string } | undefined;
  const t = payrollPageMessages(locale);
  const words = payrollFileMessages(locale);
  const month = run.month.slice(0, 7);
  const draft = run.status === "draft";
  const kr = (ore: string | null) => (ore === null ? "–" : formatOre(BigInt(ore)));
  const schema = useMemo(() => confirmRunSchema(list.filter((p) => p.deducts).map((p) => ({ pledgeId: p.pledgeId, required: p.amountOre === null }))), [list]);
  const f = useAppForm({ id: "payroll-confirm", schema, result: failure, messages: payrollErrorMessages });
  // The amounts are one nested field per pledge (reported.<pledgeId>); the schema's input type is open.
  const reportedFields = (f.fields.reported as unknown as { getFieldset(): Record<string, FieldMeta> }).getFieldset();
  return (
    <section aria-labelledby="payroll-run-heading">
      <PageHeader id="payroll-run-heading" title={fill(t.title, { month })} lead={fill(t.lead, { company: run.organisationName })} back={{ to: `/partner?org=${run.organisationId}`, label: t.back }} />
      <p>
        {t.download}: <a href={`/partner/workplace/runs/${run.id}/paxml`} download>{t.paxml}</a> · <a href={`/partner/workplace/runs/${run.id}/csv`} download>{t.csv}</a>
      </p>
      {!draft ? <RunConfirmedNotice run={run} locale={locale} /> : null}
      {failure ? <p role="alert" className="notice error">{failure.message}</p> : null}
      <AppForm of={f}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t.employee}</th>
              <th scope="col">{t.employeeNumber}</th>
              <th scope="col">{t.change}</th>
              <th scope="col" className="numeric">{t.amount}</th>
              <th scope="col">{t.reported}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.pledgeId}>
                <td>{p.employeeName}</td>
                <td>{p.employeeNumber ?? "–"}</td>
                <td>{words[changeKey[p.change]]}</td>
                <td className="numeric">{p.kind === "per_mille" && p.deducts && p.rateTenths !== null ? fill(t.perMille, { rate: perMilleText(p.rateTenths) }) : kr(p.amountOre)}</td>
                <td>{!draft ? kr(deducted[p.pledgeId] ?? null) : p.deducts ? <ReportedInput meta={reportedFields[String(p.pledgeId)]} line={p} label={t.reported} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {draft ? (
          <>
            <p id="reported-hint" className="hint">{t.reportedHint}</p>
            <CheckboxField meta={f.fields.confirm} label={t.confirm} />
            <button type="submit" className="button primary">{t.confirmButton}</button>
          </>
        ) : null}
      </AppForm>
      <p><Link to={`/partner?org=${run.organisationId}`}>{t.back}</Link></p>
    </section>
  );
}

/** One reported amount in its table cell: the label for screen readers, the message right under the input. */
function ReportedInput({ meta, line, label }: { meta: FieldMeta; line: Line; label: string }) {
  const error = useFieldError(meta);
  return (
    <>
      <label className="visually-hidden" htmlFor={meta.id}>{`${label}: ${line.employeeName ?? ""}`}</label>
      <input type="text" inputMode="decimal" autoComplete="off" size={8} defaultValue={initialText(meta)} {...controlProps(meta, error, { also: ["reported-hint"] })} />
      <FieldError id={meta.errorId} message={error} />
    </>
  );
}
