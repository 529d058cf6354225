import { FrameLink } from "~/components/ui/nav-link";
import { ProgressBar } from "~/components/progress-bar";
import { defineMessages, type Locale } from "~/i18n/messages";

const messages = defineMessages({
  sv: { heading: "Insamlingar för målet", empty: "Inga pågående insamlingar just nu.", start: "Starta en insamling" },
  en: { heading: "Collections for the goal", empty: "No active collections right now.", start: "Start a collection" },
});

export interface GoalCollectionItem {
  slug: string;
  title: string;
  raisedOre: string;
  targetOre: string | null;
}

/** A goal's active collections, most raised first (goalCollectionItems), and a way to start one. */
export function GoalCollections({ goal, collections, locale }: { goal: { slug: string; number: number }; collections: GoalCollectionItem[]; locale: Locale }) {
  const t = messages(locale);
  return (
    <section aria-labelledby="collections-heading">
      <h2 id="collections-heading">{t.heading}</h2>
      {collections.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <ul className="card-grid" data-testid="goal-collections">
          {collections.map((c) => (
            <li key={c.slug} className="card">
              <h3>
                <FrameLink to={`/c/${c.slug}`}>{c.title}</FrameLink>
              </h3>
              <ProgressBar raisedOre={c.raisedOre} targetOre={c.targetOre} locale={locale} goal={goal.number} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <FrameLink className="button secondary" to={`/collections/new?goal=${goal.slug}`}>
          {t.start}
        </FrameLink>
      </p>
    </section>
  );
}
