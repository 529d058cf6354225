import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AmountField, TextField } from "~/components/form";
import { fieldsFrom, SettingsNotice, type InvoiceFailure } from "~/components/invoice-fields";
import { StatusBadge } from "~/components/ui/badge";
import { ConfirmAction } from "~/components/ui/confirm-action";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { invoiceErrorMessages, invoiceMessages, invoiceStatusLabels } from "~/i18n/invoices";
import { creditInvoice, getInvoice, issueInvoice, markInvoicePaid, sendInvoiceReminder, voidInvoice } from "~/services/invoices/invoices.server";
import type { ServiceContext } from "~/services/context";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDate, formatDateTime } from "~/utils/dates";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: invoiceMessages(data?.locale ?? "sv").detailTitle }];

function invoiceId(params: { id?: string }): number {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not Found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => getInvoice(ctx, invoiceId(params)))) };
}

/** Each intent is one service call; the answer is the page again with `?done=<what happened>`. */
const services: Record<string, (ctx: ServiceContext, id: number, input: Record<string, string>) => Promise<string>> = {
  issue: async (ctx, id) => (await issueInvoice(ctx, id), "issued"),
  paid: async (ctx, id, input) => ((await markInvoicePaid(ctx, id, input)).overpaidOre > 0n ? "overpaid" : "paid"),
  remind: async (ctx, id) => ((await sendInvoiceReminder(ctx, id)).queued ? "reminded" : "remindedAlready"),
  void: async (ctx, id, input) => (await voidInvoice(ctx, id, input), "voided"),
  credit: async (ctx, id, input) => (await creditInvoice(ctx, id, input), "credited"),
};

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const id = invoiceId(params);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const service = Object.hasOwn(services, values.intent) ? services[values.intent] : null;
  if (!service) throw new Response("unknown intent", { status: 400 });
  return attempt(ctx.locale, async () => redirect(`/admin/invoices/${id}?done=${await service(ctx, id, values)}`), { messages: invoiceErrorMessages, values });
}

export default function InvoiceDetail() {
  const { locale, invoice, lines, payments, missingSettings } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as InvoiceFailure;
  const t = invoiceMessages(locale);
  const status = invoice.overdue ? "overdue" : invoice.status;
  const kr = (ore: string) => formatOre(BigInt(ore));
  const field = fieldsFrom("mark-paid", failure?.values.intent === "paid" ? failure : null);
  const open = ["sent", "partly_paid", "overdue"].includes(invoice.status);
  const title = `${t.invoice} ${invoice.number ?? `(${t.draftNumber})`}`;
  return (
    <section aria-labelledby="invoice-heading">
      <PageHeader id="invoice-heading" title={title} eyebrow={invoice.organisationName} back={{ to: "/admin/invoices", label: t.back }} />
      <DoneToast
        messages={{ issued: t.sent, paid: t.markedPaid, overpaid: t.markedPaid, reminded: t.reminded, remindedAlready: t.remindedAlready, voided: t.voided, credited: t.credited }}
      />
      {invoice.delivery === "bank" && ["draft", "sent", "overdue", "partly_paid"].includes(invoice.status) ? <SettingsNotice missing={missingSettings} t={t} /> : null}
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t.status}</dt>
        <dd>
          <StatusBadge status={status} label={invoiceStatusLabels(locale)[status]} />
        </dd>
        <dt>{t.delivery}</dt>
        <dd>{(t as Record<string, string>)[`delivery_${invoice.delivery}`] ?? invoice.delivery}</dd>
        <dt>{t.ocr}</dt>
        <dd>{invoice.ocrReference ?? "–"}</dd>
        <dt>{t.issueDate}</dt>
        <dd>{formatDate(invoice.issueDate, locale)}</dd>
        <dt>{t.dueDate}</dt>
        <dd>{formatDate(invoice.dueDate, locale)}</dd>
        <dt>{t.buyer}</dt>
        <dd>
          {[invoice.buyerName, invoice.buyerOrgNumber, invoice.buyerAddress, invoice.buyerEmail].filter(Boolean).join(" · ")}
        </dd>
        {invoice.buyerReference ? (
          <>
            <dt>{t.reference}</dt>
            <dd>{invoice.buyerReference}</dd>
          </>
        ) : null}
        <dt>{t.paidTotal}</dt>
        <dd>{kr(invoice.paidOre)}</dd>
        <dt>{t.outstanding}</dt>
        <dd>{kr(invoice.outstandingOre)}</dd>
        {invoice.carriedToNumber ? (
          <>
            <dt>{t.carriedTo.replace("{number}", invoice.carriedToNumber)}</dt>
            <dd>{kr(invoice.carriedOre)}</dd>
          </>
        ) : null}
        {invoice.lastReminderAt ? (
          <>
            <dt>{t.lastReminder}</dt>
            <dd>{formatDateTime(invoice.lastReminderAt, locale)}</dd>
          </>
        ) : null}
      </dl>
      <h2 id="lines-heading">{t.lines}</h2>
      <DataTable
        labelledBy="lines-heading"
        rows={[...lines, { id: 0, text: t.lineTotal, amountOre: invoice.totalOre, goal: null }]}
        rowKey={(l) => l.id}
        columns={[
          { label: t.lineText, cell: (l) => l.text },
          { label: t.lineGoal, cell: (l) => (l.id === 0 ? "" : (l.goal ?? t.undesignated)) },
          { label: t.lineAmount, numeric: true, cell: (l) => kr(l.amountOre) },
        ]}
      />
      {invoice.delivery === "bank" && invoice.number ? (
        <p>
          <a className="button secondary" href={`/admin/invoices/${invoice.id}/pdf`} download>
            {t.downloadPdf}
          </a>
        </p>
      ) : null}
      <h2 id="payments-heading">{t.payments}</h2>
      {payments.length === 0 ? (
        <p className="empty">{t.noPayments}</p>
      ) : (
        <DataTable
          labelledBy="payments-heading"
          rows={payments}
          rowKey={(p) => `${p.paidAt}-${p.reference}-${p.method}`}
          columns={[
            { label: t.paidOn, nowrap: true, cell: (p) => (p.paidAt ? formatDate(p.paidAt, locale) : "–") },
            { label: t.bankReference, cell: (p) => p.reference ?? "–" },
            { label: t.amountReceived, numeric: true, cell: (p) => kr(p.amountOre) },
          ]}
        />
      )}
      {invoice.status === "draft" ? (
        <Form method="post" className="stack">
          <p>{t.sendIntro}</p>
          <input type="hidden" name="intent" value="issue" />
          <button type="submit" className="button">
            {t.send}
          </button>
        </Form>
      ) : null}
      {open ? (
        <>
          <h2 id="mark-paid-heading">{t.markPaid}</h2>
          <Form method="post" id="mark-paid" className="stack" noValidate aria-labelledby="mark-paid-heading">
            <input type="hidden" name="intent" value="paid" />
            <TextField meta={field("paidOn")} label={t.paidOn} placeholder="2026-12-31" autoComplete="off" />
            <AmountField meta={field("amount")} label={t.amountReceived} />
            <TextField meta={field("reference")} label={t.bankReference} />
            <TextField meta={field("ocr")} label={t.ocrTyped} inputMode="numeric" />
            <button type="submit" className="button">
              {t.markPaid}
            </button>
          </Form>
        </>
      ) : null}
      {invoice.overdue && invoice.delivery === "bank" ? (
        <Form method="post" className="stack">
          <p>{t.remindIntro}</p>
          <input type="hidden" name="intent" value="remind" />
          <button type="submit" className="button secondary">
            {t.remind}
          </button>
        </Form>
      ) : null}
      <p className="button-row">
        {invoice.paidOre === "0" && ["draft", "sent", "overdue"].includes(invoice.status) ? (
          <ConfirmAction id="void" label={t.void} question={t.voidIntro} confirmLabel={t.confirmVoid} fields={{ intent: "void", confirm: "yes" }} />
        ) : null}
        {invoice.paidOre !== "0" && ["paid", "partly_paid", "overdue"].includes(invoice.status) ? (
          <ConfirmAction id="credit" label={t.credit} question={t.creditIntro} confirmLabel={t.confirmCredit} fields={{ intent: "credit", confirm: "yes" }} />
        ) : null}
      </p>
      <p>
        <Link to="/admin/invoices">{t.back}</Link>
      </p>
    </section>
  );
}
