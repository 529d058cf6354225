import { Form, Link } from "@remix-run/react";
import { Badge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { crmMessages, partnershipStatusLabels } from "~/i18n/crm";
import { fill, type Locale } from "~/i18n/messages";

export interface OrganisationListData {
  filters: { q: string; goal: number | null; tier: string; status: string };
  options: { goals: { id: number; label: string }[]; tiers: { slug: string; label: string }[]; statuses: string[] };
  organisations: { id: number; name: string; orgNumber: string | null; city: string | null; demo: boolean; partnerships: { goal: string; tier: string; status: string }[] }[];
}

/** The query string of the current filters (the export links carry the same selection). */
function queryOf(filters: OrganisationListData["filters"], extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  if (filters.q) q.set("q", filters.q);
  if (filters.goal !== null) q.set("goal", String(filters.goal));
  if (filters.tier) q.set("tier", filters.tier);
  if (filters.status) q.set("status", filters.status);
  return q.toString();
}

/**
 * The staff organisation list's search (name or organisationsnummer), filters (goal, tier, partnership
 * status, by GET so a search can be bookmarked), the matches, and CSV exports of the same selection.
 */
export function OrganisationSearch({ data, locale, demoLabel }: { data: OrganisationListData; locale: Locale; demoLabel: string }) {
  const t = crmMessages(locale);
  const statusText = partnershipStatusLabels(locale) as Record<string, string>;
  const { filters, options } = data;
  const filtered = !!(filters.q || filters.goal !== null || filters.tier || filters.status);
  return (
    <>
      <section aria-labelledby="org-search-heading">
        <h2 id="org-search-heading">{t.searchHeading}</h2>
        <Form method="get" className="filters" role="search">
          <label htmlFor="org-q">{t.search}</label>{" "}
          <input id="org-q" name="q" type="search" defaultValue={filters.q} aria-describedby="org-q-hint" autoComplete="off" />{" "}
          <span id="org-q-hint" className="field-hint">
            {t.searchHint}
          </span>{" "}
          <label htmlFor="org-goal">{t.filterGoal}</label>{" "}
          <select id="org-goal" name="goal" defaultValue={filters.goal === null ? "" : String(filters.goal)}>
            <option value="">{t.any}</option>
            {options.goals.map((g) => (
              <option key={g.id} value={g.id}>
                {g.label}
              </option>
            ))}
          </select>{" "}
          <label htmlFor="org-tier">{t.filterTier}</label>{" "}
          <select id="org-tier" name="tier" defaultValue={filters.tier}>
            <option value="">{t.any}</option>
            {options.tiers.map((tier) => (
              <option key={tier.slug} value={tier.slug}>
                {tier.label}
              </option>
            ))}
          </select>{" "}
          <label htmlFor="org-status">{t.filterStatus}</label>{" "}
          <select id="org-status" name="status" defaultValue={filters.status}>
            <option value="">{t.any}</option>
            {options.statuses.map((s) => (
              <option key={s} value={s}>
                {statusText[s] ?? s}
              </option>
            ))}
          </select>{" "}
          <button type="submit" className="button secondary small">
            {t.apply}
          </button>{" "}
          {filtered ? <Link to="/admin/organisations">{t.clear}</Link> : null}
        </Form>
        <p>
          <a className="button secondary small" href={`/admin/crm/export?${queryOf(filters, { what: "organisations" })}`} download>
            {t.exportOrganisations}
          </a>{" "}
          <a className="button secondary small" href={`/admin/crm/export?${queryOf(filters, { what: "contacts" })}`} download>
            {t.exportContacts}
          </a>
        </p>
        <p className="field-hint">{t.exportHint}</p>
      </section>
      <p role="status">{fill(t.resultCount, { count: data.organisations.length })}</p>
      {data.organisations.length === 0 && filtered ? (
        <EmptyState title={t.noMatches} action={{ to: "/admin/organisations", label: t.clear }}>
          <p>{t.noMatchesNext}</p>
        </EmptyState>
      ) : data.organisations.length ? (
        <DataTable
          labelledBy="orgs-heading"
          rows={data.organisations}
          rowKey={(o) => o.id}
          columns={[
            { label: t.csvName, cell: (o) => <><Link to={`/admin/organisations/${o.id}`}>{o.name}</Link> {o.demo ? <Badge>{demoLabel}</Badge> : null}</> },
            { label: t.csvOrgNumber, nowrap: true, cell: (o) => o.orgNumber ?? "–" },
            { label: t.csvCity, cell: (o) => o.city ?? "–" },
            { label: t.csvPartnerships, cell: (o) => (o.partnerships.length ? o.partnerships.map((p) => `${p.goal} – ${p.tier} (${statusText[p.status] ?? p.status})`).join(", ") : "–") },
          ]}
        />
      ) : null}
    </>
  );
}
