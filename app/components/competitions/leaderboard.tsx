import { useEffect, useState } from "react";
import { competitionMessages } from "~/i18n/competitions";
import { fill, type Locale } from "~/i18n/messages";
import type { BoardJson } from "~/services/competitions/standings.server";
import { formatOre } from "~/utils/money";

/** How often the page asks GET /api/competitions/<slug> for new standings (with JavaScript only). */
const POLL_MS = 5000;

function scoreText(board: BoardJson, score: number | null, locale: Locale) {
  const t = competitionMessages(locale);
  if (score === null) return t.noScore;
  if (board.mode === "participation") return fill(t.scorePercent, { percent: score.toLocaleString(locale === "en" ? "en-GB" : "sv-SE") });
  if (board.mode === "per_participant" || board.mode === "per_headcount") return fill(t.scorePerPerson, { amount: formatOre(score) });
  return formatOre(score);
}

/**
 * The leaderboard as the server rendered it (works without JavaScript); with JavaScript it polls
 * the JSON and re-renders. In `together` there is no rank column and the list is by name.
 */
export function Leaderboard({ initial, locale }: { initial: BoardJson; locale: Locale }) {
  const [board, setBoard] = useState(initial);
  const [refreshedAt, setRefreshedAt] = useState<string | null>(null);
  useEffect(() => setBoard(initial), [initial]);
  useEffect(() => {
    if (board.status === "ended") return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/competitions/${encodeURIComponent(initial.slug)}`, { headers: { accept: "application/json" } });
        if (!response.ok || stopped) return;
        setBoard((await response.json()) as BoardJson);
        setRefreshedAt(new Date().toLocaleTimeString(locale === "en" ? "en-GB" : "sv-SE"));
      } catch {
        // Offline for a moment: the next poll tries again; the shown standings stay.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [initial.slug, board.status, locale]);
  const t = competitionMessages(locale);
  const together = board.mode === "together";
  const ranked = !together;
  const perPerson = board.mode === "per_participant" || board.mode === "participation" || board.mode === "per_headcount";
  return (
    <section aria-labelledby="leaderboard-heading" className="stack" data-testid="leaderboard">
      <h2 id="leaderboard-heading">{t.leaderboard}</h2>
      {together ? <p>{t.together}</p> : null}
      <p data-testid="combined">
        {board.targetOre !== null
          ? fill(t.combinedOf, { raised: formatOre(board.combinedOre), target: formatOre(board.targetOre) })
          : fill(t.combined, { raised: formatOre(board.combinedOre) })}
      </p>
      {board.matchPot ? (
        <p className="notice" data-testid="match-pot" data-state={board.matchPot.state}>
          {fill(board.matchPot.state === "unlocked" ? t.matchUnlocked : t.matchPromised, { sponsor: board.matchPot.sponsor ?? "", amount: formatOre(board.matchPot.amountOre) })}{" "}
          {t.matchNote}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              {ranked ? <th scope="col">{t.rank}</th> : null}
              <th scope="col">{t.team}</th>
              <th scope="col">{t.raised}</th>
              <th scope="col">{t.gifts}</th>
              {perPerson ? <th scope="col">{t.participants}</th> : null}
              {ranked && board.mode !== "total" ? <th scope="col">{t.score}</th> : null}
            </tr>
          </thead>
          <tbody>
            {board.standings.map((s) => (
              <tr key={s.team} data-testid="standing">
                {ranked ? <td data-testid="rank">{s.rank ?? t.noScore}</td> : null}
                <th scope="row">{s.team}</th>
                <td data-testid="team-raised">{formatOre(s.raisedOre)}</td>
                <td>{s.giftCount}</td>
                {perPerson ? <td>{s.participants}</td> : null}
                {ranked && board.mode !== "total" ? <td>{scoreText(board, s.score, locale)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {board.status !== "ended" ? (
        <p className="muted" aria-live="polite">
          {refreshedAt ? fill(t.refreshed, { time: refreshedAt }) : t.live}
        </p>
      ) : null}
    </section>
  );
}
