import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FrameLink } from "~/components/ui/nav-link";
import { getDb } from "~db/client.server";
import { ProgressBar } from "~/components/progress-bar";
import { getLocale } from "~/i18n/locale.server";
import { common, defineMessages, fill } from "~/i18n/messages";
import { listGoals } from "~/services/goals/goals.server";

const messages = defineMessages({
  sv: {
    title: "Lokala mål – Västerås stadsmission",
    heading: "Ett mänskligare Västerås för alla",
    intro:
      "Västerås stadsmission arbetar utifrån fem lokala mål. Välj det mål du brinner för och var med och bygg en hållbar stad – som privatperson, som kollega eller som företag.",
    goalsHeading: "De fem lokala målen",
    waysHeading: "Så kan du stödja",
    wayGiveTitle: "Ge en gåva",
    wayGiveText: "Ge en gång eller varje månad till ett mål, eller där behovet är störst.",
    wayGiveCta: "Ge en gåva",
    wayCompanyTitle: "Bli partner",
    wayCompanyText: "Bli huvudpartner, partner eller vänföretag i något av de lokala målen.",
    wayCompanyCta: "Kontakta oss",
    wayWorkTitle: "Genom jobbet",
    wayWorkText: "Skapa en insamling bland kollegorna, utmana företaget vägg i vägg eller ge en del av lönen varje månad.",
    wayWorkCta: "Läs mer",
  },
  en: {
    title: "Local goals – Västerås stadsmission",
    heading: "A more humane Västerås for everyone",
    intro:
      "Västerås stadsmission works towards five local goals. Choose the goal you care about and help build a sustainable city – as an individual, with your colleagues or as a company.",
    goalsHeading: "The five local goals",
    waysHeading: "How you can support",
    wayGiveTitle: "Give a gift",
    wayGiveText: "Give once or every month to a goal, or where the need is greatest.",
    wayGiveCta: "Give a gift",
    wayCompanyTitle: "Become a partner",
    wayCompanyText: "Become a main partner, partner or friend company of one of the local goals.",
    wayCompanyCta: "Contact us",
    wayWorkTitle: "Through work",
    wayWorkText: "Start a collection among colleagues, challenge the company next door, or give part of your salary each month.",
    wayWorkCta: "Read more",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const goals = await listGoals(await getDb(), locale);
  return { locale, goals };
}

export default function Home() {
  const { locale, goals } = useLoaderData<typeof loader>();
  const t = messages(locale);
  const c = common(locale);
  return (
    <>
      <section className="hero" aria-labelledby="hero-heading">
        <h1 id="hero-heading">{t.heading}</h1>
        <p>{t.intro}</p>
      </section>
      <section aria-labelledby="goals-heading">
        <h2 id="goals-heading">{t.goalsHeading}</h2>
        <ul className="goal-grid">
          {goals.map((goal) => (
            <li key={goal.slug} className="card">
              <p className="eyebrow">{fill(c.goalNumber, { number: goal.number })}</p>
              <h3>
                <FrameLink to={`/goals/${goal.slug}`} className="stretched">
                  {goal.title}
                </FrameLink>
              </h3>
              <p>{goal.lead}</p>
              <ProgressBar raisedOre={goal.raisedOre} targetOre={goal.targetOre} locale={locale} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="ways-heading">
        <h2 id="ways-heading">{t.waysHeading}</h2>
        <ul className="ways">
          <li className="card">
            <h3>{t.wayGiveTitle}</h3>
            <p>{t.wayGiveText}</p>
            <p>
              <FrameLink className="button" to="/give">
                {t.wayGiveCta}
              </FrameLink>
            </p>
          </li>
          <li className="card">
            <h3>{t.wayCompanyTitle}</h3>
            <p>{t.wayCompanyText}</p>
            <p>
              <FrameLink className="button secondary" to="/partners/join">
                {t.wayCompanyCta}
              </FrameLink>
            </p>
          </li>
          <li className="card">
            <h3>{t.wayWorkTitle}</h3>
            <p>{t.wayWorkText}</p>
            <p>
              <FrameLink className="button secondary" to="/about#stod">
                {t.wayWorkCta}
              </FrameLink>
            </p>
          </li>
        </ul>
      </section>
    </>
  );
}
