import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, StatusBadge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import { listProgrammesForStaff } from "~/services/workplace/programme-admin.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: workplaceProgrammeMessages(data?.locale ?? "sv").adminTitle }];

/** Staff's list of companies and their payroll giving programmes (issue 13 item 1). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, rows: await orThrowResponse(() => listProgrammesForStaff(ctx)) };
}

export default function AdminWorkplace() {
  const { locale, rows } = useLoaderData<typeof loader>();
  const t = workplaceProgrammeMessages(locale);
  return (
    <section aria-labelledby="admin-workplace-heading">
      <PageHeader id="admin-workplace-heading" title={t.adminHeading} lead={t.adminLead} />
      {rows.length === 0 ? (
        <EmptyState title={t.noOrganisations} action={{ to: "/admin/organisations", label: t.colOrganisation }} />
      ) : (
        <DataTable
          labelledBy="admin-workplace-heading"
          rows={rows}
          rowKey={(r) => r.organisationId}
          columns={[
            {
              label: t.colOrganisation,
              cell: (r) => (
                <>
                  <Link to={`/admin/workplace/${r.organisationId}`}>{r.name}</Link> {r.demo ? <Badge tone="info">Demo</Badge> : null}
                </>
              ),
            },
            {
              label: t.colProgramme,
              cell: (r) =>
                r.programme ? <StatusBadge status={r.programme.status === "active" ? "active" : "void"} label={r.programme.status === "active" ? t.programmeYes : t.programmeClosed} /> : t.programmeNo,
            },
            { label: "", cell: (r) => <Link to={`/admin/workplace/${r.organisationId}`}>{r.programme ? t.edit : t.setUp}</Link> },
          ]}
        />
      )}
    </section>
  );
}
