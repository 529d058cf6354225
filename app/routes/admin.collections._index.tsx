import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { collectionModerationErrors, collectionModerationMessages } from "~/i18n/collection-moderation";
import { handleReport, moderationOverview } from "~/services/collections/moderation.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

/** Staff moderation of collections (issue 12 item 7): open reports and the newest collections. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: collectionModerationMessages(data?.locale ?? "sv").adminTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => moderationOverview(ctx))) };
}

/** The one action here: a report needs nothing done (hiding is on the collection's own page). */
export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = { reportId: String(form.get("reportId") ?? "") };
  return attempt(ctx.locale, async () => (await handleReport(ctx, values), redirect("/admin/collections?done=handled")), { messages: collectionModerationErrors, values });
}

export default function AdminCollections() {
  const { locale, reports, collections } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const t = collectionModerationMessages(locale);
  return (
    <section aria-labelledby="collections-heading">
      <PageHeader id="collections-heading" title={t.adminHeading} lead={t.adminLead} />
      <DoneToast messages={{ handled: t.done_handled }} />
      {failure && "message" in failure ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <h2 id="reports-heading">{t.openReports}</h2>
      {reports.length === 0 ? (
        <EmptyState title={t.noReports}>{t.noReportsNext}</EmptyState>
      ) : (
        <DataTable
          labelledBy="reports-heading"
          rows={reports}
          rowKey={(r) => r.id}
          columns={[
            { label: t.reported, nowrap: true, cell: (r) => formatDateTime(r.createdAt, locale) },
            { label: t.collection, cell: (r) => <Link to={`/admin/collections/${r.collectionId}`}>{r.title}</Link> },
            { label: t.reason, cell: (r) => r.reason },
            { label: t.reporter, cell: (r) => r.reporterEmail ?? t.anonymousReporter },
            { label: t.state, cell: (r) => (r.hiddenAt ? <Badge tone="danger">{t.hidden}</Badge> : <Badge tone="success">{t.visible}</Badge>) },
            {
              label: t.markHandled,
              hiddenLabel: true,
              cell: (r) => (
                <Form method="post">
                  <input type="hidden" name="reportId" value={r.id} />
                  <button type="submit" className="button secondary small">
                    {t.markHandled}
                  </button>
                </Form>
              ),
            },
          ]}
        />
      )}
      <h2 id="new-collections-heading">{t.newCollections}</h2>
      {collections.length === 0 ? (
        <EmptyState title={t.noCollections}>{t.noCollectionsNext}</EmptyState>
      ) : (
        <DataTable
          labelledBy="new-collections-heading"
          rows={collections}
          rowKey={(c) => c.id}
          columns={[
            { label: t.created, nowrap: true, cell: (c) => formatDateTime(c.createdAt, locale) },
            { label: t.collection, cell: (c) => <Link to={`/admin/collections/${c.id}`}>{c.title}</Link> },
            { label: t.goal, cell: (c) => c.goalTitle },
            { label: t.owner, cell: (c) => c.ownerEmail },
            { label: t.reports, numeric: true, cell: (c) => c.openReports },
            { label: t.state, cell: (c) => (c.hiddenAt ? <Badge tone="danger">{t.hidden}</Badge> : <Badge tone="success">{t.visible}</Badge>) },
          ]}
        />
      )}
    </section>
  );
}
