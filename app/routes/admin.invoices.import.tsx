import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, fieldAria } from "~/components/field-error";
import { bgmaxImportMessages as messages } from "~/i18n/bgmax";
import { getLocale } from "~/i18n/locale.server";
import { importBgMaxFile } from "~/services/invoices/bgmax-import.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return { locale: await getLocale(request) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const upload = (await readForm(request)).get("file");
  const file = upload instanceof File && upload.size > 0 ? upload : null;
  const input = { fileName: file?.name ?? null, bytes: file ? new Uint8Array(await file.arrayBuffer()) : null };
  const summary = await attempt(ctx.locale, () => importBgMaxFile(ctx, input), { messages });
  if (!("importId" in summary)) return summary;
  // Öre as strings: what the page shows, and JSON has no bigint.
  return { ok: true as const, ...summary, totalOre: summary.totalOre.toString(), bookedOre: summary.bookedOre.toString() };
}

export default function AdminInvoicesImport() {
  const { locale } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const failure = result && !result.ok ? result : null;
  const done = result?.ok ? result : null;
  const fileError = failure ? (failure.fieldErrors.file ?? failure.message) : null;
  return (
    <section aria-labelledby="bgmax-heading">
      <h1 id="bgmax-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      {failure ? (
        <p className="form-error" role="alert">
          {t.invalid}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stack" noValidate>
        <div>
          <label htmlFor="bgmax-file">{t.file}</label>
          <input id="bgmax-file" type="file" name="file" accept=".txt,.bgmax,.dat,text/plain" required {...fieldAria("bgmax-file", fileError, "bgmax-file-hint")} />
          <p className="hint" id="bgmax-file-hint">
            {t.fileHint}
          </p>
          <FieldError id="bgmax-file" message={fileError} />
        </div>
        <p>
          <button type="submit" className="button">
            {t.submit}
          </button>
        </p>
      </Form>
      {done ? (
        <section aria-labelledby="bgmax-result" role="status">
          <h2 id="bgmax-result">{t.resultHeading}</h2>
          <dl className="facts">
            <dt>{t.fileCreated}</dt>
            <dd>
              {done.fileCreatedAt.replace("T", " ").slice(0, 16)}
              {done.test ? ` (${t.testFile})` : ""}
            </dd>
            <dt>{t.deposits}</dt>
            <dd>{done.deposits}</dd>
            <dt>{t.payments}</dt>
            <dd>{done.payments}</dd>
            <dt>{t.total}</dt>
            <dd>{formatOre(done.totalOre)}</dd>
            <dt>{t.booked}</dt>
            <dd>{formatOre(done.bookedOre)}</dd>
            <dt>{t.matched}</dt>
            <dd data-testid="bgmax-matched">{done.matched}</dd>
            <dt>{t.partial}</dt>
            <dd>{done.partial}</dd>
            <dt>{t.overpaid}</dt>
            <dd>{done.overpaid}</dd>
            <dt>{t.unmatched}</dt>
            <dd>{done.unmatched}</dd>
            <dt>{t.duplicates}</dt>
            <dd>{done.duplicates}</dd>
            <dt>{t.toResolve}</dt>
            <dd>{done.toResolve}</dd>
          </dl>
          {done.toResolve > 0 ? (
            <p>
              <Link to="/admin/invoices/unmatched">{t.toResolveLink}</Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
