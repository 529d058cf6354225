import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AmountField, EmailField, OrgNumberField, RadioGroupField, SelectField, TextareaField, TextField } from "~/components/form";
import { fieldsFrom, SettingsNotice, type InvoiceFailure } from "~/components/invoice-fields";
import { PageHeader } from "~/components/ui/page-header";
import { invoiceErrorMessages, invoiceMessages } from "~/i18n/invoices";
import { fill } from "~/i18n/messages";
import { createInvoiceDraft, invoiceFormOptions } from "~/services/invoices/invoices.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

/** Rows offered without JavaScript; blank ones are ignored by the service. */
const LINE_ROWS = 5;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: invoiceMessages(data?.locale ?? "sv").newTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => invoiceFormOptions(ctx))) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const lines = Array.from({ length: LINE_ROWS }, (_, i) => ({ text: values[`lines[${i}].text`], amount: values[`lines[${i}].amount`], goal: values[`lines[${i}].goal`] }));
  return attempt(
    ctx.locale,
    async () => {
      const invoice = await createInvoiceDraft(ctx, { ...values, lines });
      return redirect(`/admin/invoices/${invoice.id}`);
    },
    { messages: invoiceErrorMessages, values },
  );
}

export default function NewInvoice() {
  const { locale, organisations, goals, missingSettings } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as InvoiceFailure;
  const t = invoiceMessages(locale);
  const field = fieldsFrom("new-invoice", failure);
  const goalOptions = [{ value: "", label: t.undesignated }, ...goals.map((g) => ({ value: String(g.id), label: g.title }))];
  return (
    <section aria-labelledby="new-invoice-heading">
      <PageHeader id="new-invoice-heading" title={t.newHeading} back={{ to: "/admin/invoices", label: t.back }} />
      <SettingsNotice missing={missingSettings} t={t} />
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <Form method="post" id="new-invoice" className="stack" noValidate>
        <SelectField
          meta={field("organisationId")}
          label={t.organisation}
          options={[{ value: "", label: t.chooseOrganisation }, ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]}
        />
        <TextField meta={field("issueDate")} label={t.issueDate} placeholder="2026-12-31" autoComplete="off" />
        <TextField meta={field("dueDate")} label={t.dueDate} placeholder="2026-12-31" autoComplete="off" />
        <TextField meta={field("buyerName")} label={t.buyerName} />
        <OrgNumberField meta={field("buyerOrgNumber")} label={t.buyerOrgNumber} />
        <TextareaField meta={field("buyerAddress")} label={t.buyerAddress} rows={3} max={500} />
        <EmailField meta={field("buyerEmail")} label={t.buyerEmail} autoComplete="off" />
        <TextField meta={field("buyerReference")} label={t.buyerReference} />
        <RadioGroupField
          meta={field("locale", "sv")}
          legend={t.locale}
          options={[
            { value: "sv", label: t.localeSv },
            { value: "en", label: t.localeEn },
          ]}
        />
        <RadioGroupField
          meta={field("delivery", "bank")}
          legend={t.delivery}
          options={[
            { value: "bank", label: t.deliveryBank },
            { value: "stripe", label: t.deliveryStripe },
          ]}
        />
        <fieldset>
          <legend>{t.lines}</legend>
          {Array.from({ length: LINE_ROWS }, (_, i) => (
            <fieldset key={i} className="invoice-line">
              <legend>{fill(t.lineN, { n: i + 1 })}</legend>
              <TextField meta={field(`lines[${i}].text`)} label={t.lineText} />
              <AmountField meta={field(`lines[${i}].amount`)} label={t.lineAmount} />
              <SelectField meta={field(`lines[${i}].goal`)} label={t.lineGoal} options={goalOptions} />
            </fieldset>
          ))}
        </fieldset>
        <AmountField meta={field("total")} label={t.total} />
        <p>
          <button type="submit" className="button">
            {t.saveDraft}
          </button>
        </p>
      </Form>
    </section>
  );
}
