import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FrameLink } from "~/components/ui/nav-link";
import { getDb } from "~db/client.server";
import { Paragraphs } from "~/components/paragraphs";
import { ProgressBar } from "~/components/progress-bar";
import { getLocale } from "~/i18n/locale.server";
import { common, defineMessages, fill } from "~/i18n/messages";
import { sdgName } from "~/i18n/sdgs";
import { goalPage } from "~/services/goals/goal-page.server";
import { PartnerWall } from "~/components/partners/partner-wall";
import { orThrowResponse } from "~/utils/http.server";
import { GoalCollections } from "~/components/collections/goal-collections";
import { GoalImpact } from "~/components/impact/goal-impact";
import { GoalCompetitions } from "~/components/competitions/goal-competitions";

const messages = defineMessages({
  sv: {
    about: "Om målet",
    today: "Det här gör vi idag",
    more: "Det här vill vi göra mer av",
    sdgs: "Koppling till de globala målen",
    sdgNumber: "Mål {number}",
    give: "Ge en gåva till det här målet",
    draft: "Utkast: texten är sammanställd ur Västerås stadsmissions verksamhetsbeskrivning och granskas av personalen.",
    back: "Alla lokala mål",
  },
  en: {
    about: "About the goal",
    today: "What we do today",
    more: "What we want to do more of",
    sdgs: "Link to the Global Goals",
    sdgNumber: "Goal {number}",
    give: "Give to this goal",
    draft: "Draft: this text is drawn from Västerås stadsmission's description of its work and is being reviewed by staff.",
    back: "All local goals",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.goal.title} – ${common(data.locale).siteName}` }, { name: "description", content: data.goal.lead }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const db = await getDb();
  const page = await orThrowResponse(() => goalPage(db, params.slug ?? "", locale));
  return { locale, ...page };
}

export default function GoalPage() {
  const { locale, goal, wall, collections, impact, competitions } = useLoaderData<typeof loader>();
  const t = messages(locale);
  const c = common(locale);
  return (
    <article aria-labelledby="goal-title">
      <p>
        <FrameLink to="/">← {t.back}</FrameLink>
      </p>
      <p className="eyebrow">{fill(c.goalNumber, { number: goal.number })}</p>
      <h1 id="goal-title">{goal.title}</h1>
      <p className="lead">{goal.lead}</p>
      <ProgressBar raisedOre={goal.raisedOre} targetOre={goal.targetOre} locale={locale} />
      <p>
        <FrameLink className="button" to={`/give?goal=${goal.slug}`}>
          {t.give}
        </FrameLink>
      </p>
      {goal.draft ? <p className="draft-note">{t.draft}</p> : null}
      <section aria-labelledby="about-heading" className="prose">
        <h2 id="about-heading">{t.about}</h2>
        <Paragraphs text={goal.about} />
      </section>
      <section aria-labelledby="today-heading" className="prose">
        <h2 id="today-heading">{t.today}</h2>
        <Paragraphs text={goal.today} />
      </section>
      <section aria-labelledby="more-heading" className="prose">
        <h2 id="more-heading">{t.more}</h2>
        <Paragraphs text={goal.more} />
      </section>
      {goal.sdgs.length > 0 ? (
        <section aria-labelledby="sdg-heading">
          <h2 id="sdg-heading">{t.sdgs}</h2>
          <ul className="sdg-list">
            {goal.sdgs.map((n) => (
              <li key={n}>
                {fill(t.sdgNumber, { number: n })}: {sdgName(n, locale)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <GoalImpact figures={impact} locale={locale} />
      <PartnerWall wall={wall} goalSlug={goal.slug} locale={locale} />
      <GoalCollections goal={goal} collections={collections} locale={locale} />
      <GoalCompetitions goal={goal} competitions={competitions} locale={locale} />
    </article>
  );
}
