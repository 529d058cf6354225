import { FrameLink } from "~/components/ui/nav-link";
import { ProgressBar } from "~/components/progress-bar";
import { competitionMessages } from "~/i18n/competitions";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

const messages = defineMessages({
  sv: { heading: "Tävlingar för målet", empty: "Inga pågående tävlingar just nu.", start: "Starta en tävling", raised: "Alla lag tillsammans: {raised}" },
  en: { heading: "Competitions for the goal", empty: "No competitions running right now.", start: "Start a competition", raised: "All teams together: {raised}" },
});

export interface GoalCompetitionItem {
  slug: string;
  title: string;
  mode: string;
  status: "upcoming" | "running";
  startsAt: string;
  endsAt: string;
  raisedOre: string;
  targetOre: string | null;
}

/**
 * A goal's running and upcoming competitions, most raised first (goalCompetitionItems), and a way to start one.
 * The last day shown is the day before the end instant, as on the competition's own page.
 */
export function GoalCompetitions({ goal, competitions, locale }: { goal: { slug: string; number: number }; competitions: GoalCompetitionItem[]; locale: Locale }) {
  const t = messages(locale);
  const c = competitionMessages(locale);
  return (
    <section aria-labelledby="competitions-heading">
      <h2 id="competitions-heading">{t.heading}</h2>
      {competitions.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <ul className="card-grid" data-testid="goal-competitions">
          {competitions.map((k) => (
            <li key={k.slug} className="card">
              <h3>
                <FrameLink to={`/competitions/${k.slug}`}>{k.title}</FrameLink>
              </h3>
              <p className="muted">
                {k.status === "upcoming" ? fill(c.upcoming, { date: formatDate(k.startsAt, locale) }) : fill(c.running, { date: formatDate(new Date(new Date(k.endsAt).getTime() - 1), locale) })}
                {" · "}
                {(c as Record<string, string>)[`mode_${k.mode}`] ?? k.mode}
              </p>
              {k.targetOre === null ? (
                <p>{fill(t.raised, { raised: formatOre(k.raisedOre) })}</p>
              ) : (
                <ProgressBar raisedOre={k.raisedOre} targetOre={k.targetOre} locale={locale} goal={goal.number} />
              )}
            </li>
          ))}
        </ul>
      )}
      <p>
        <FrameLink className="button secondary" to="/competitions/new">
          {t.start}
        </FrameLink>
      </p>
    </section>
  );
}
