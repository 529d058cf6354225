import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { auditMessages as messages } from "~/i18n/audit";
import { listAuditReadable } from "~/services/audit/readable.server";
import type { AuditChange } from "~/services/audit/format";
import { requireAdmin } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { orThrowResponse } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const ctx = await contextFor(request);
  const entries = await orThrowResponse(() => listAuditReadable(ctx));
  return { locale: ctx.locale, entries };
}

function Changes({ changes, changedTo }: { changes: AuditChange[]; changedTo: string }) {
  if (changes.length === 0) return null;
  return (
    <ul className="change-list">
      {changes.map((c, i) => (
        <li key={i}>
          <span className="change-field">{c.field}:</span>{" "}
          {c.before !== undefined ? (
            <>
              <span className="change-before">{c.before}</span> <span aria-hidden="true">→</span>
              <span className="visually-hidden"> {changedTo} </span>{" "}
            </>
          ) : null}
          <span className="change-after">{c.after}</span>
        </li>
      ))}
    </ul>
  );
}

export default function AuditLog() {
  const { locale, entries } = useLoaderData<typeof loader>();
  const t = messages(locale) as ReturnType<typeof messages> & Record<string, string>;
  return (
    <section aria-labelledby="audit-heading">
      <PageHeader id="audit-heading" title={t.heading} lead={t.intro} />
      {entries.length === 0 ? (
        <EmptyState title={t.empty}>
          <p>{t.emptyNext}</p>
        </EmptyState>
      ) : (
        <DataTable
          labelledBy="audit-heading"
          rows={entries}
          rowKey={(e) => e.id}
          columns={[
            { label: t.when, nowrap: true, cell: (e) => formatDateTime(e.at, locale) },
            { label: t.what, cell: (e) => t[e.action] ?? e.action },
            { label: t.who, cell: (e) => e.actor ?? t.system },
            { label: t.subject, cell: (e) => [e.subject, e.organisation].filter(Boolean).join(" · ") },
            { label: t.changes, cell: (e) => <Changes changes={e.changes} changedTo={t.changedTo} /> },
          ]}
        />
      )}
    </section>
  );
}
