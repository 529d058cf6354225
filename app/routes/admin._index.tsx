import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PeriodForm } from "~/components/dashboard/period-form";
import { AttentionSection, KeyFigures, MoneySection, PartnershipSection, TaskSection, TopSection } from "~/components/dashboard/sections";
import { PageHeader } from "~/components/ui/page-header";
import { dashboardMessages } from "~/i18n/dashboard";
import { useLocale } from "~/i18n/use-locale";
import { loadDashboard } from "~/services/dashboard/dashboard.server";
import { periodSentence } from "~/services/dashboard/tables";
import chartsCss from "~/styles/charts.css?url";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt } from "~/utils/http.server";

/**
 * /admin: the fundraiser dashboard (issue 14 item 1). GET ?from=&to= (YYYY-MM-DD or YYYY-MM; this
 * year without them); a period that cannot be read is a 400 with the message next to its field.
 */

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartsCss }];

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: "sv" | "en" } | undefined;
  return [{ title: dashboardMessages(root?.locale ?? "sv").title }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  const values = { from: query.get("from") ?? "", to: query.get("to") ?? "" };
  return attempt(ctx.locale, async () => ({ ok: true as const, values, dashboard: await loadDashboard(ctx, values) }), {
    messages: (locale) => dashboardMessages(locale),
    values,
  });
}

export default function AdminDashboard() {
  const result = useLoaderData<typeof loader>();
  const locale = useLocale();
  const t = dashboardMessages(locale);
  const values = { from: result.values.from ?? "", to: result.values.to ?? "" };
  return (
    <section aria-labelledby="dashboard-heading">
      <PageHeader id="dashboard-heading" title={t.heading} lead={t.lead} />
      {result.ok ? null : (
        <div role="alert" className="form-error">
          {result.message}
        </div>
      )}
      <PeriodForm locale={locale} values={values} errors={result.ok ? {} : result.fieldErrors} />
      {result.ok ? (
        <>
          <p>{periodSentence(result.dashboard, locale)}</p>
          <KeyFigures data={result.dashboard} locale={locale} />
          <MoneySection data={result.dashboard} locale={locale} />
          <PartnershipSection data={result.dashboard} locale={locale} />
          <AttentionSection data={result.dashboard} locale={locale} />
          <TaskSection data={result.dashboard} locale={locale} />
          <TopSection data={result.dashboard} locale={locale} />
        </>
      ) : null}
    </section>
  );
}
