import { Form } from "@remix-run/react";
import { GoalBadge, StatusBadge } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { StatTile, StatTiles } from "~/components/ui/stat-tile";
import { fill, type Locale } from "~/i18n/messages";
import { invoiceStatusLabels } from "~/i18n/invoices";
import { partnerDashboardMessages, partnershipStatusLabels } from "~/i18n/partner-dashboard";
import { useLocale } from "~/i18n/use-locale";
import { workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import type { DashboardPartnership, PartnerDashboard } from "~/services/partners/dashboard.server";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

/**
 * The sections of /partner (issue 11 item 8). Presentation only: the loader hands over what the partner
 * dashboard service decided the reader may see. Öre arrive as strings (loader JSON).
 */
type Words = ReturnType<typeof partnerDashboardMessages>;
const kr = (ore: string) => formatOre(BigInt(ore));

/** The organisation switcher: a plain GET form, so the choice is in the URL (?org=) and checked by the server each time. */
export function OrganisationSwitcher({ choices, selected, t }: { choices: PartnerDashboard["choices"]; selected: number; t: Words }) {
  if (choices.length < 2) return null;
  return (
    <Form method="get" className="org-switcher" aria-describedby="org-switch-hint">
      <p id="org-switch-hint" className="hint">
        {t.switchHint}
      </p>
      <label htmlFor="org-switch">{t.chooseOrganisation}</label>{" "}
      <select id="org-switch" name="org" defaultValue={String(selected)}>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>{" "}
      <button type="submit" className="button secondary small">
        {t.switch}
      </button>
    </Form>
  );
}

function period(p: DashboardPartnership, t: Words, locale: Locale) {
  if (!p.startsOn && !p.endsOn) return t.periodOpen;
  return `${p.startsOn ? formatDate(p.startsOn, locale) : "…"} – ${p.endsOn ? formatDate(p.endsOn, locale) : "…"}`;
}

export function RenewalCalls({ partnerships, t, locale }: { partnerships: DashboardPartnership[]; t: Words; locale: Locale }) {
  const due = partnerships.filter((p) => p.status === "renewal_due");
  if (!due.length) return null;
  return (
    <section aria-labelledby="renewal-heading" className="notice warning">
      <h2 id="renewal-heading">{t.renewalHeading}</h2>
      {due.map((p) => (
        <p key={p.id}>
          {fill(t.renewalText, { goal: p.goal.title, date: p.endsOn ? formatDate(p.endsOn, locale) : t.periodOpen })}{" "}
          <a className="button small" href={`/partners/join?goal=${encodeURIComponent(p.goal.slug)}&tier=${encodeURIComponent(p.tier.slug)}`}>
            {t.renewalAction}
          </a>
        </p>
      ))}
    </section>
  );
}

export function PartnershipsSection({ data, t, locale }: { data: PartnerDashboard; t: Words; locale: Locale }) {
  const status = partnershipStatusLabels(locale);
  return (
    <section aria-labelledby="partnerships-heading">
      <h2 id="partnerships-heading">{t.partnershipsHeading}</h2>
      {data.partnerships.length === 0 ? (
        <EmptyState title={t.noPartnershipsTitle} action={{ to: "/partners/join", label: t.becomePartner }}>
          <p>{t.noPartnershipsText}</p>
        </EmptyState>
      ) : (
        <ul className="card-grid" data-testid="partnerships">
          {data.partnerships.map((p) => (
            <Card as="li" goal={p.goal.number} key={p.id}>
              <h3>
                <GoalBadge number={p.goal.number} title={p.goal.title} locale={locale} />
              </h3>
              <p>
                {p.tier.name} <StatusBadge status={p.status} label={status[p.status]} />
              </p>
              <dl className="facts">
                <dt>{t.colPeriod}</dt>
                <dd>{period(p, t, locale)}</dd>
                <dt>{t.colAgreed}</dt>
                <dd>{p.agreedYearlyOre ? kr(p.agreedYearlyOre) : t.notAgreed}</dd>
                <dt>{fill(t.colPaidYear, { year: data.year })}</dt>
                <dd>{kr(p.paidThisYearOre)}</dd>
                <dt>{t.colPaidTotal}</dt>
                <dd>{kr(p.paidTotalOre)}</dd>
              </dl>
              {p.certificateYears.length ? (
                <ul className="link-list">
                  {p.certificateYears.map((year) => (
                    <li key={year}>
                      <a href={`/partner/certificates/${p.id}/${year}`} download>
                        {fill(t.certificateFor, { year })}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="hint">{t.noCertificate}</p>
              )}
            </Card>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MoneySection({ data, t }: { data: PartnerDashboard; t: Words }) {
  return (
    <section aria-labelledby="money-heading">
      <h2 id="money-heading">{t.moneyHeading}</h2>
      {data.moneyPerGoal.length === 0 ? (
        <EmptyState title={t.moneyEmptyTitle}>
          <p>{t.moneyEmptyText}</p>
        </EmptyState>
      ) : (
        data.moneyPerGoal.map((m) => (
          <StatTiles key={m.goal.slug} label={m.goal.title}>
            <StatTile goal={m.goal.number} label={<GoalBadge number={m.goal.number} title={m.goal.title} />} value={kr(m.yearOre)} hint={fill(t.statYear, { year: data.year })} />
            <StatTile label={t.statTotal} value={kr(m.totalOre)} hint={m.goal.title} />
          </StatTiles>
        ))
      )}
    </section>
  );
}

export function InvoicesSection({ data, t, locale }: { data: PartnerDashboard; t: Words; locale: Locale }) {
  const labels = invoiceStatusLabels(locale);
  return (
    <section aria-labelledby="invoices-heading">
      <h2 id="invoices-heading">{t.invoicesHeading}</h2>
      {data.invoices.length === 0 ? (
        <EmptyState title={t.invoicesEmptyTitle}>
          <p>{t.invoicesEmptyText}</p>
        </EmptyState>
      ) : (
        <DataTable
          labelledBy="invoices-heading"
          rows={data.invoices}
          rowKey={(i) => i.id}
          columns={[
            { label: t.colNumber, cell: (i) => i.number ?? "", nowrap: true },
            { label: t.colIssued, cell: (i) => formatDate(i.issueDate, locale), nowrap: true },
            { label: t.colDue, cell: (i) => formatDate(i.dueDate, locale), nowrap: true },
            { label: t.colTotal, cell: (i) => kr(i.totalOre), numeric: true },
            { label: t.colPaid, cell: (i) => kr(i.paidOre), numeric: true },
            { label: t.colStatus, cell: (i) => <StatusBadge status={i.overdue ? "overdue" : i.status} label={labels[i.overdue ? "overdue" : i.status]} /> },
            {
              label: t.colPdf,
              cell: (i) =>
                i.delivery === "bank" && i.number ? (
                  <a href={`/partner/invoices/${i.id}/pdf`} download aria-label={fill(t.downloadPdf, { number: i.number })}>
                    PDF
                  </a>
                ) : (
                  t.stripeInvoice
                ),
            },
          ]}
        />
      )}
    </section>
  );
}

/** Payroll giving (issue 13): what it is and the way to the employer's page, where its figures and settings are. */
function WorkplaceSection({ organisationId, heading }: { organisationId: number | null; heading: string }) {
  const w = workplaceProgrammeMessages(useLocale());
  return (
    <section aria-labelledby="workplace-heading">
      <h2 id="workplace-heading">{heading}</h2>
      <p>{w.sectionLead}</p>
      {organisationId !== null ? (
        <p>
          <a className="button secondary" href={`/partner/workplace?org=${organisationId}`}>
            {w.sectionOpen}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** Impact figures (issue 14), payroll giving and competitions (their issues): empty places that say what will come. */
export function LaterSections({ data, t }: { data: PartnerDashboard; t: Words }) {
  return (
    <>
      <section aria-labelledby="impact-heading">
        <h2 id="impact-heading">{t.impactHeading}</h2>
        {data.impact.length === 0 ? (
          <EmptyState title={t.impactEmptyTitle}>
            <p>{t.impactEmptyText}</p>
          </EmptyState>
        ) : (
          <StatTiles>
            {data.impact.map((f) => (
              <StatTile key={`${f.goalNumber}:${f.label}`} goal={f.goalNumber} label={f.label} value={f.value} />
            ))}
          </StatTiles>
        )}
      </section>
      <WorkplaceSection organisationId={data.organisation?.id ?? null} heading={t.workplaceHeading} />
      <section aria-labelledby="competitions-heading">
        <h2 id="competitions-heading">{t.competitionsHeading}</h2>
        <EmptyState title={t.competitionsEmptyTitle}>
          <p>{t.competitionsEmptyText}</p>
        </EmptyState>
      </section>
    </>
  );
}
