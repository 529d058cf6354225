import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CollectionErrorBoundary } from "~/components/collections/collection-gone";
import { AppForm, EmailField, TextareaField, useAppForm } from "~/components/form";
import { Honeypot, honeypotTripped } from "~/components/honeypot";
import { PageHeader } from "~/components/ui/page-header";
import { collectionModerationErrors, collectionModerationMessages } from "~/i18n/collection-moderation";
import { fill } from "~/i18n/messages";
import { reportCollection, reportTarget } from "~/services/collections/moderation.server";
import { contextFor } from "~/utils/context.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { collectionReportSchema, REPORT_REASON_MAX } from "~/validation/collection-moderation";
import { parseForm } from "~/validation/parse";

/** Anyone reports a collection to staff (issue 12 item 7): a short form, no JavaScript needed, rate-limited per client. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: collectionModerationMessages(data?.locale ?? "sv").reportTitle }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  return { locale: ctx.locale, collection: await orThrowResponse(() => reportTarget(ctx, params.slug ?? "")) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await contextFor(request);
  const slug = params.slug ?? "";
  const form = await readForm(request);
  const here = `/c/${encodeURIComponent(slug)}/report`;
  // A bot filled the hidden field: the same answer as a real report, and nothing is written.
  if (honeypotTripped(form)) return redirect(`${here}?done=reported`);
  const submission = parseForm(form, collectionReportSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, collectionModerationErrors);
  const values = submittedValues(submission.payload);
  const clientKey = context?.clientIp ?? "unknown";
  return attempt(ctx.locale, async () => (await reportCollection(ctx, slug, values, clientKey), redirect(`${here}?done=reported`)), {
    messages: collectionModerationErrors,
    values,
  });
}

export default function ReportCollection() {
  const { locale, collection } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = collectionModerationMessages(locale);
  const f = useAppForm({ id: "report", schema: collectionReportSchema, result, messages: collectionModerationErrors });
  const back = { to: `/c/${encodeURIComponent(collection.slug)}`, label: t.backToCollection };
  return (
    <section aria-labelledby="report-heading" className="prose">
      <PageHeader id="report-heading" title={t.reportHeading} lead={fill(t.reportLead, { title: collection.title })} back={back} />
      {search.get("done") === "reported" ? (
        <p className="notice" role="status">
          {t.reportSent}
        </p>
      ) : (
        <AppForm of={f}>
          <TextareaField meta={f.fields.reason} label={t.reportReason} hint={t.reportReasonHint} max={REPORT_REASON_MAX} rows={5} />
          <EmailField meta={f.fields.email} label={t.reportEmail} hint={t.reportEmailHint} autoComplete="email" />
          <Honeypot />
          <button type="submit" className="button">
            {t.reportSubmit}
          </button>
        </AppForm>
      )}
    </section>
  );
}

export const ErrorBoundary = CollectionErrorBoundary;
