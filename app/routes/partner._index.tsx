import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InvoicesSection, LaterSections, MoneySection, OrganisationSwitcher, PartnershipsSection, RenewalCalls } from "~/components/partner/dashboard-sections";
import { Badge } from "~/components/ui/badge";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { fill } from "~/i18n/messages";
import { charitySettingLabels, partnerDashboardMessages } from "~/i18n/partner-dashboard";
import { idParamOr404 } from "~/services/auth/validation";
import { partnerDashboard } from "~/services/partners/dashboard.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: partnerDashboardMessages(data?.locale ?? "sv").title }];

/** The partner dashboard. `?org=<id>` picks one of the reader's organisations; the service checks it on every request. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const raw = new URL(request.url).searchParams.get("org");
  const organisationId = raw === null || raw === "" ? null : idParamOr404(raw);
  return { locale: ctx.locale, dashboard: await orThrowResponse(() => partnerDashboard(ctx, { organisationId })) };
}

export default function PartnerDashboardPage() {
  const { locale, dashboard } = useLoaderData<typeof loader>();
  const t = partnerDashboardMessages(locale);
  const org = dashboard.organisation;
  if (!org) {
    return (
      <section aria-labelledby="partner-heading">
        <PageHeader id="partner-heading" title={t.heading} eyebrow={t.eyebrow} />
        <EmptyState title={t.noOrganisationTitle} action={{ to: "/partners/join", label: t.becomePartner }}>
          <p>{t.noOrganisationText}</p>
        </EmptyState>
      </section>
    );
  }
  const settings = charitySettingLabels(locale);
  return (
    <section aria-labelledby="partner-heading" className="partner-dashboard">
      <PageHeader
        id="partner-heading"
        eyebrow={t.eyebrow}
        title={
          <>
            <span data-testid="partner-org-name">{org.name}</span> {org.demo ? <Badge tone="info">{t.demo}</Badge> : null}
          </>
        }
        lead={fill(t.lead, { company: org.name })}
      />
      <OrganisationSwitcher choices={dashboard.choices} selected={org.id} t={t} />
      {dashboard.missingSettings.length ? (
        <p className="notice warning" role="status">
          {fill(t.settingsWarning, { fields: dashboard.missingSettings.map((s) => settings[s]).join(", ") })}
        </p>
      ) : null}
      <RenewalCalls partnerships={dashboard.partnerships} t={t} locale={locale} />
      <PartnershipsSection data={dashboard} t={t} locale={locale} />
      <MoneySection data={dashboard} t={t} />
      <InvoicesSection data={dashboard} t={t} locale={locale} />
      <LaterSections data={dashboard} t={t} />
    </section>
  );
}
