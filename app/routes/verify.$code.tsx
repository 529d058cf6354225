import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GoalBadge } from "~/components/ui/badge";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { certificateMessages } from "~/i18n/partner-dashboard";
import { sdgName } from "~/i18n/sdgs";
import { verifyCertificate } from "~/services/partners/certificate.server";
import { certificatePeriod } from "~/services/partners/certificate-pdf.server";
import { contextFor } from "~/utils/context.server";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: certificateMessages(data?.locale ?? "sv").verifyTitle }, { name: "robots", content: "noindex" }];

/** A partner certificate's public check: the facts it states, as issued (no personal data). Anyone with the code. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const certificate = await verifyCertificate(ctx, params.code ?? "");
  if (!certificate) return data({ locale: ctx.locale, certificate: null, period: "" }, { status: 404 });
  return { locale: ctx.locale, certificate, period: certificatePeriod(certificate.facts, ctx.locale) };
}

export default function VerifyCertificatePage() {
  const { locale, certificate, period } = useLoaderData<typeof loader>();
  const t = certificateMessages(locale);
  if (!certificate) {
    return (
      <section aria-labelledby="verify-heading">
        <PageHeader id="verify-heading" title={t.notFoundTitle} />
        <EmptyState title={t.notFoundTitle}>
          <p>{t.notFoundText}</p>
        </EmptyState>
      </section>
    );
  }
  const f = certificate.facts;
  const en = locale === "en";
  const missing = (value: string) => value || t.missingSetting;
  return (
    <section aria-labelledby="verify-heading">
      <PageHeader id="verify-heading" eyebrow={`${t.title} ${f.year}`} title={t.verifyHeading} lead={t.verifyLead} />
      {certificate.superseded ? (
        <p className="notice warning" role="status">
          {t.superseded}
        </p>
      ) : null}
      <dl className="facts" data-testid="certificate-facts">
        <dt>{t.company}</dt>
        <dd>{f.company}</dd>
        {f.orgNumber ? (
          <>
            <dt>{t.orgNumber}</dt>
            <dd>{f.orgNumber}</dd>
          </>
        ) : null}
        <dt>{t.goal}</dt>
        <dd>
          <GoalBadge number={f.goal.number} title={en ? f.goal.titleEn : f.goal.titleSv} />
        </dd>
        <dt>{t.tier}</dt>
        <dd>{en ? f.tier.nameEn : f.tier.nameSv}</dd>
        <dt>{t.year}</dt>
        <dd>{f.year}</dd>
        <dt>{t.amount}</dt>
        <dd>{formatOre(BigInt(f.amountOre))}</dd>
        <dt>{t.period}</dt>
        <dd>{period}</dd>
        <dt>{t.sdgs}</dt>
        <dd>{f.goal.sdgs.length ? f.goal.sdgs.map((n) => `${n}. ${sdgName(n, locale)}`).join(", ") : t.noSdgs}</dd>
        <dt>{t.issuedBy}</dt>
        <dd>
          {missing(f.charity.name)}, {t.charityOrgNumber} {missing(f.charity.organisationNumber)}
        </dd>
        <dt>{t.issued}</dt>
        <dd>{formatDate(certificate.issuedAt, locale)}</dd>
        <dt>{t.code}</dt>
        <dd>
          <code>{certificate.code}</code>
        </dd>
      </dl>
      <p className="hint">{t.amountNote}</p>
    </section>
  );
}
