import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PipelineTable } from "~/components/partners/pipeline-table";
import { StatusBadge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { partnershipMessages, statusLabel } from "~/i18n/partnerships";
import { listPartnerships, partnershipFormOptions, partnershipPipeline } from "~/services/partners/partnerships-read.server";
import { partnershipStatuses, type PartnershipStatus } from "~/validation/partnerships";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDate } from "~/utils/dates";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: partnershipMessages(data?.locale ?? "sv").listTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  const goalId = Number(query.get("goal")) || null;
  const status = partnershipStatuses.find((s) => s === query.get("status")) ?? null;
  const [list, pipeline, options] = await orThrowResponse(() => Promise.all([listPartnerships(ctx, { goalId, status }), partnershipPipeline(ctx), partnershipFormOptions(ctx)]));
  return { locale: ctx.locale, list, pipeline, goals: options.goals, tiers: options.tiers, filters: { goalId, status } };
}

export default function AdminPartnerships() {
  const { locale, list, pipeline, goals, tiers, filters } = useLoaderData<typeof loader>();
  const t = partnershipMessages(locale);
  const tierName = (slug: string) => tiers.find((x) => x.slug === slug)?.name ?? slug;
  const filtered = filters.goalId !== null || filters.status !== null;
  return (
    <section aria-labelledby="partnerships-heading">
      <PageHeader
        id="partnerships-heading"
        title={t.listHeading}
        actions={
          <>
            <Link className="button" to="/admin/partnerships/new">
              {t.newLink}
            </Link>{" "}
            <Link className="button secondary" to="/admin/tiers">
              {t.tiersLink}
            </Link>{" "}
            <Link className="button secondary" to="/admin/partnerships/settings">
              {t.settingsLink}
            </Link>
          </>
        }
      />
      <PipelineTable pipeline={pipeline} locale={locale} />
      <Form method="get" className="filters">
        <label htmlFor="filter-goal">{t.goal}</label>{" "}
        <select id="filter-goal" name="goal" defaultValue={filters.goalId ?? ""}>
          <option value="">{t.allGoals}</option>
          {goals.map((g) => (
            <option key={g.id} value={g.id}>
              {g.title}
            </option>
          ))}
        </select>{" "}
        <label htmlFor="filter-status">{t.status}</label>{" "}
        <select id="filter-status" name="status" defaultValue={filters.status ?? ""}>
          <option value="">{t.allStatuses}</option>
          {partnershipStatuses.map((s: PartnershipStatus) => (
            <option key={s} value={s}>
              {statusLabel(locale, s)}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button secondary small">
          {t.filter}
        </button>
      </Form>
      {list.length === 0 ? (
        <EmptyState title={filtered ? t.emptyFiltered : t.empty} action={{ to: "/admin/partnerships/new", label: t.newLink }} />
      ) : (
        <DataTable
          labelledBy="partnerships-heading"
          rows={list}
          rowKey={(p) => p.id}
          columns={[
            { label: t.organisation, cell: (p) => <Link to={`/admin/partnerships/${p.id}`}>{p.organisation}</Link> },
            { label: t.goal, cell: (p) => p.goal },
            { label: t.tier, cell: (p) => tierName(p.tier) },
            { label: t.status, cell: (p) => <StatusBadge status={p.status} label={statusLabel(locale, p.status)} /> },
            { label: t.agreed, numeric: true, cell: (p) => (p.agreedYearlyOre ? formatOre(BigInt(p.agreedYearlyOre)) : "–") },
            { label: t.period, nowrap: true, cell: (p) => (p.startsOn && p.endsOn ? `${formatDate(p.startsOn, locale)} – ${formatDate(p.endsOn, locale)}` : "–") },
            { label: t.signOff, cell: (p) => (p.signedOff ? t.signedOff : p.signOffExpired ? t.signOffExpiredShort : t.signOffMissing) },
          ]}
        />
      )}
    </section>
  );
}
