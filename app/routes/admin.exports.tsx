import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AppForm, TextField, useAppForm } from "~/components/form";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { exportErrorMessages, exportMessages } from "~/i18n/exports";
import { exportsOverview } from "~/services/exports/overview.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission } from "~/utils/forms.server";
import { exportRequestSchema } from "~/validation/exports";
import { parseForm } from "~/validation/parse";
import { formatOre } from "~/utils/money";

/**
 * /admin/exports (issue 14 item 5): a period and a button per file (SIE 4I, payments, ledger entries,
 * invoices, Stripe's payouts), the consenting donors, and Stripe's latest payouts with their fees. The forms post as plain documents
 * (`reloadDocument`); a good period is redirected to /admin/exports/file, which the browser downloads; a bad period
 * comes back as this page with the message next to the field (400).
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: exportMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => exportsOverview(ctx))) };
}

/** Checks the period and sends the browser to the file (see admin.exports_.file.ts); a bad period stays here, 400. */
export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  if (form.get("kind") === "donors") return redirect("/admin/exports/file?kind=donors");
  const submission = parseForm(form, exportRequestSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, exportErrorMessages);
  const { kind, from, to } = submission.payload as Record<string, string>;
  return redirect(`/admin/exports/file?${new URLSearchParams({ kind, from, to })}`);
}

export default function AdminExports() {
  const { locale, nameMissing, orgNumberMissing, defaultPeriod, payouts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = exportMessages(locale);
  const f = useAppForm({ id: "export-period", schema: exportRequestSchema, result, messages: exportErrorMessages, defaultValue: defaultPeriod });
  return (
    <section aria-labelledby="exports-heading">
      <PageHeader id="exports-heading" title={t.heading} lead={t.lead} actions={<Link to="/admin/exports/accounts">{t.accountsLink}</Link>} />
      {nameMissing ? (
        <p className="notice warning" role="status">
          {t.nameMissing}
        </p>
      ) : null}
      {orgNumberMissing ? (
        <p className="notice warning" role="status">
          {t.orgNumberMissing}
        </p>
      ) : null}
      <h2 id="period-heading">{t.periodHeading}</h2>
      <AppForm of={f} className="stack" reloadDocument aria-labelledby="period-heading">
        <TextField meta={f.fields.from} label={t.from} hint={t.periodHint} inputMode="numeric" autoComplete="off" />
        <TextField meta={f.fields.to} label={t.to} inputMode="numeric" autoComplete="off" />
        <p className="button-row">
          <button type="submit" name="kind" value="sie" className="button">
            {t.downloadSie}
          </button>{" "}
          <button type="submit" name="kind" value="payments" className="button secondary">
            {t.downloadPayments}
          </button>{" "}
          <button type="submit" name="kind" value="ledger" className="button secondary">
            {t.downloadLedger}
          </button>{" "}
          <button type="submit" name="kind" value="invoices" className="button secondary">
            {t.downloadInvoices}
          </button>{" "}
          <button type="submit" name="kind" value="payouts" className="button secondary">
            {t.downloadPayouts}
          </button>
        </p>
      </AppForm>
      <h2 id="donors-heading">{t.donorsHeading}</h2>
      <p>{t.donorsLead}</p>
      <Form method="post" reloadDocument aria-labelledby="donors-heading">
        <button type="submit" name="kind" value="donors" className="button secondary">
          {t.downloadDonors}
        </button>
      </Form>
      <h2 id="payouts-heading">{t.payoutsHeading}</h2>
      <p>{t.payoutsLead}</p>
      {payouts.length === 0 ? (
        <EmptyState title={t.payoutsEmpty} />
      ) : (
        <DataTable
          labelledBy="payouts-heading"
          rows={payouts}
          rowKey={(p) => p.id}
          columns={[
            { label: t.payoutArrival, cell: (p) => p.arrivalDate, nowrap: true },
            { label: t.payoutId, cell: (p) => <code>{p.id}</code>, nowrap: true },
            { label: t.payoutStatus, cell: (p) => (t as Record<string, string>)[`payout_${p.status}`] ?? p.status },
            { label: t.payoutGross, cell: (p) => formatOre(p.grossOre), numeric: true },
            { label: t.payoutFees, cell: (p) => formatOre(p.feeOre), numeric: true },
            { label: t.payoutAmount, cell: (p) => formatOre(p.amountOre), numeric: true },
            { label: t.payoutCount, cell: (p) => p.transactions, numeric: true },
            { label: t.payoutUnmatched, cell: (p) => p.unmatched, numeric: true },
          ]}
        />
      )}
      <h2>{t.aboutHeading}</h2>
      <p>{t.aboutFile}</p>
      <p>{t.aboutYear}</p>
      <p>{t.aboutFees}</p>
    </section>
  );
}
