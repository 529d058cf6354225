import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { defineMessages } from "~/i18n/messages";
import { listGoalsForStaff } from "~/services/goals/edit.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { DataTable } from "~/components/data-table";

const messages = defineMessages({
  sv: {
    title: "Målen – Lokala mål",
    heading: "De lokala målen",
    intro: "Texter, årsmål och kopplingen till de globala målen. Fyll bara i uppgifter som är kontrollerade.",
    goal: "Mål",
    target: "Årsmål",
    noTarget: "Inte satt",
    status: "Text",
    draft: "Utkast",
    reviewed: "Granskad",
    edit: "Redigera {title}",
  },
  en: {
    title: "The goals – Local goals",
    heading: "The local goals",
    intro: "Texts, yearly targets and the link to the Global Goals. Only enter details that have been checked.",
    goal: "Goal",
    target: "Yearly target",
    noTarget: "Not set",
    status: "Text",
    draft: "Draft",
    reviewed: "Reviewed",
    edit: "Edit {title}",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const { locale } = ctx;
  const rows = await orThrowResponse(() => listGoalsForStaff(ctx));
  return {
    locale,
    goals: rows.map((g) => ({
      slug: g.slug,
      number: g.number,
      title: locale === "en" ? g.titleEn : g.titleSv,
      targetOre: g.targetOre?.toString() ?? null,
      draft: g.draft,
    })),
  };
}

export default function AdminGoals() {
  const { locale, goals } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <section aria-labelledby="goals-heading">
      <h1 id="goals-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      <DataTable labelledBy="goals-heading" columns={[t.goal, t.target, t.status]}>
        {goals.map((g) => (
          <tr key={g.slug}>
            <td>
              <Link to={`/admin/goals/${g.slug}`}>
                #{g.number} {g.title}
              </Link>
            </td>
            <td>{g.targetOre ? formatOre(g.targetOre) : t.noTarget}</td>
            <td>{g.draft ? t.draft : t.reviewed}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
