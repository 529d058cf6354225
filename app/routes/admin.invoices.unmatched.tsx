import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, fieldAria } from "~/components/field-error";
import { bgmaxUnmatchedMessages as messages } from "~/i18n/bgmax";
import { unmatchedPaymentMessages } from "~/i18n/invoice-formats";
import { fill } from "~/i18n/messages";
import { listBgMaxToResolve, resolveBgMaxPayment } from "~/services/invoices/bgmax-import-resolve.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDate } from "~/utils/dates";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const list = await orThrowResponse(() => listBgMaxToResolve(ctx));
  return { locale: ctx.locale, resolved: new URL(request.url).searchParams.has("resolved"), ...list };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const input = { id: String(form.get("id") ?? ""), action: String(form.get("action") ?? ""), invoiceId: String(form.get("invoiceId") ?? ""), note: String(form.get("note") ?? "") };
  const result = await attempt(ctx.locale, () => resolveBgMaxPayment(ctx, input), { messages, values: input });
  return result === undefined ? redirect("/admin/invoices/unmatched?resolved=1") : result;
}

export default function AdminInvoicesUnmatched() {
  const { locale, resolved, payments, invoices } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const t = messages(locale);
  const reasons = unmatchedPaymentMessages(locale) as Record<string, string>;
  return (
    <section aria-labelledby="unmatched-heading">
      <h1 id="unmatched-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      <p>
        <Link to="/admin/invoices/import">{t.importLink}</Link>
      </p>
      {resolved ? <p role="status">{t.resolvedNotice}</p> : null}
      {failure ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      {payments.length === 0 ? <p className="empty">{t.empty}</p> : null}
      {payments.map((p) => {
        const id = `bgmax-${p.id}`;
        const mine = failure && failure.values.id === p.id ? failure : null;
        const why =
          p.outcome === "partial"
            ? fill(t.outcome_partial, { remaining: formatOre(p.remainingOre), invoice: p.invoiceLabel })
            : p.outcome === "overpaid"
              ? fill(t.outcome_overpaid, { excess: formatOre(p.openOre), invoice: p.invoiceLabel })
              : (reasons[p.reason ?? ""] ?? p.reason);
        return (
          <article key={p.id} aria-labelledby={`${id}-h`} className="card" data-testid={id}>
            <h2 id={`${id}-h`}>
              {formatDate(p.paymentDate, locale)} · {formatOre(p.amountOre)} · {p.reference || "–"}
            </h2>
            <dl className="facts">
              <dt>{t.payer}</dt>
              <dd>{[p.payerName, p.information].filter(Boolean).join(" — ") || "–"}</dd>
              <dt>{t.why}</dt>
              <dd>{why}</dd>
              <dt>{t.open}</dt>
              <dd>{formatOre(p.openOre)}</dd>
            </dl>
            <Form method="post" id={`resolve-${p.id}`} className="stack" noValidate>
              <input type="hidden" name="id" value={p.id} />
              <fieldset>
                <legend>{t.resolve}</legend>
                {p.canBook ? (
                  <>
                    <label>
                      <input type="radio" name="action" value="invoice" defaultChecked={mine?.values.action === "invoice"} /> {t.assign}
                    </label>
                    <label htmlFor={`${id}-invoice`}>{t.chooseInvoice}</label>
                    <select id={`${id}-invoice`} name="invoiceId" defaultValue={mine?.values.invoiceId ?? ""} {...fieldAria(`${id}-invoice`, mine?.fieldErrors.invoiceId)}>
                      <option value="">–</option>
                      {invoices.map((i) => (
                        <option key={i.id} value={i.id}>
                          {i.label} · OCR {i.ocr} · {formatOre(i.outstandingOre)}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`${id}-invoice`} message={mine?.fieldErrors.invoiceId} />
                    <label>
                      <input type="radio" name="action" value="gift" defaultChecked={mine?.values.action === "gift"} /> {t.gift}
                    </label>
                  </>
                ) : null}
                <label>
                  <input type="radio" name="action" value="handled" defaultChecked={!p.canBook || mine?.values.action === "handled"} /> {t.handled}
                </label>
                <FieldError id={`${id}-action`} message={mine?.fieldErrors.action} />
              </fieldset>
              <div>
                <label htmlFor={`${id}-note`}>{t.note}</label>
                <textarea id={`${id}-note`} name="note" rows={2} maxLength={500} defaultValue={mine?.values.note ?? ""} {...fieldAria(`${id}-note`, mine?.fieldErrors.note, `${id}-note-hint`)} />
                <p className="hint" id={`${id}-note-hint`}>
                  {t.noteHint}
                </p>
                <FieldError id={`${id}-note`} message={mine?.fieldErrors.note} />
              </div>
              <p>
                <button type="submit" className="button">
                  {t.resolve}
                </button>
              </p>
            </Form>
          </article>
        );
      })}
    </section>
  );
}
