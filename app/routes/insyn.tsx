import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  AllocationSection,
  CorrectionsSection,
  GoalMoney,
  HowItWorks,
  MonthsChart,
  MonthsTable,
  PeriodForm,
} from "~/components/transparency/transparency-sections";
import { PageHeader } from "~/components/ui/page-header";
import { StatTile, StatTiles } from "~/components/ui/stat-tile";
import { common } from "~/i18n/messages";
import { periodMessages, transparencyMessages } from "~/i18n/transparency";
import { useLocale } from "~/i18n/use-locale";
import { transparencyPage } from "~/services/reporting/transparency.server";
import { contextFor } from "~/utils/context.server";
import { attempt } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction = ({ location }) => {
  const en = new URLSearchParams(location.search).get("lang") === "en";
  const t = transparencyMessages(en ? "en" : "sv");
  return [{ title: `${t.title} – ${common(en ? "en" : "sv").siteName}` }, { name: "description", content: t.lead }];
};

/**
 * /insyn — public transparency (issue 14 item 2): money in per goal, channel and month, the split of
 * undesignated gifts and its history, corrections and moves with their reasons. A bad period or an
 * unknown goal is answered 400/404 with the message next to the field.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const q = new URL(request.url).searchParams;
  const values = { from: q.get("from") ?? "", to: q.get("to") ?? "", goal: q.get("goal") ?? "" };
  return attempt(ctx.locale, async () => ({ ok: true as const, values, page: await transparencyPage(ctx, values) }), { messages: periodMessages, values });
}

export default function Insyn() {
  const data = useLoaderData<typeof loader>();
  const locale = useLocale();
  const t = transparencyMessages(locale);
  const page = data.ok ? data.page : null;
  const values = data.ok ? data.values : { from: data.values.from ?? "", to: data.values.to ?? "", goal: data.values.goal ?? "" };
  const apiHref = `/api/transparency${values.from || values.to ? `?${new URLSearchParams({ ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) })}` : ""}`;
  return (
    <section aria-labelledby="insyn-heading">
      <PageHeader id="insyn-heading" title={t.title} lead={t.lead} />
      <PeriodForm locale={locale} values={values} fieldErrors={data.ok ? {} : data.fieldErrors} goals={page?.allGoals ?? []} />
      {!data.ok ? (
        <p role="alert" className="field-error">
          {data.message}
        </p>
      ) : null}
      {page ? (
        <>
          <section aria-labelledby="insyn-total">
            <h2 id="insyn-total">{page.goals.length === 1 ? `${page.goals[0].number}. ${locale === "en" ? page.goals[0].titleEn : page.goals[0].titleSv}` : t.totalTitle}</h2>
            <StatTiles>
              <StatTile label={page.period.from || page.period.to ? t.inPeriod : t.inPeriodAll} value={formatOre(page.total.periodOre)} />
              <StatTile label={t.balance} value={formatOre(page.total.balanceOre)} />
            </StatTiles>
            <MonthsChart id="insyn-chart-total" name={t.totalTitle} months={page.total.months} channels={page.channels} locale={locale} />
            <MonthsTable months={page.total.months} channels={page.channels} locale={locale} labelledBy="insyn-total" />
          </section>
          {page.goals.length > 1 ? (
            <section aria-labelledby="insyn-goals" className="card-grid">
              <h2 id="insyn-goals" className="visually-hidden">
                {t.goal}
              </h2>
              {page.goals.map((g) => (
                <GoalMoney key={g.slug} goal={g} channels={page.channels} locale={locale} />
              ))}
            </section>
          ) : null}
          <AllocationSection page={page} locale={locale} />
          <CorrectionsSection page={page} locale={locale} />
        </>
      ) : null}
      <HowItWorks locale={locale} />
      <p>
        {t.apiNote}{" "}
        <Link to={apiHref} reloadDocument>
          {apiHref}
        </Link>
      </p>
    </section>
  );
}
