import type { CompetitionScoringMode } from "~db/schema";

/**
 * Standings of a competition (issue 12, item 6), pure: the figures come from the ledger (see
 * standings.server.ts), the rules live here. Ratios are compared exactly (cross-multiplied bigints),
 * never as floats, so two teams with the same ratio share a rank whatever the rounding of the shown
 * score. Ties share a rank and the next rank skips (1, 1, 3). `together` ranks nobody: its order is
 * the teams' names, so the list itself does not rank them either.
 */

export interface TeamFigures {
  teamId: number;
  name: string;
  /** Net of refunds, from the ledger. */
  raisedOre: bigint;
  /** Gifts still standing. */
  giftCount: number;
  /** Distinct people who gave or collected for the team. */
  participants: number;
  statedHeadcount: number | null;
  invitedCount: number | null;
}

export interface Standing extends TeamFigures {
  /**
   * What the mode ranks by, as shown: total and together öre; per_participant and per_headcount öre
   * per person (rounded down); participation per cent of the invited (one decimal). Null when the
   * mode cannot score the team (no stated headcount or invited count).
   */
  score: number | null;
  /** 1 is best; null in `together` and for a team the mode cannot score. */
  rank: number | null;
}

/** The exact score as a fraction num/den (den > 0), or null when the team cannot be scored. */
export function exactScore(mode: CompetitionScoringMode, t: TeamFigures): { num: bigint; den: bigint } | null {
  switch (mode) {
    case "total":
    case "together":
      return { num: t.raisedOre, den: 1n };
    case "per_participant":
      // Nobody took part: nothing raised either; 0 rather than a division by zero.
      return t.participants > 0 ? { num: t.raisedOre, den: BigInt(t.participants) } : { num: 0n, den: 1n };
    case "per_headcount":
      return t.statedHeadcount && t.statedHeadcount > 0 ? { num: t.raisedOre, den: BigInt(t.statedHeadcount) } : null;
    case "participation":
      return t.invitedCount && t.invitedCount > 0 ? { num: BigInt(t.participants), den: BigInt(t.invitedCount) } : null;
  }
}

function shown(mode: CompetitionScoringMode, exact: { num: bigint; den: bigint } | null): number | null {
  if (!exact) return null;
  if (mode === "participation") return Number((exact.num * 1000n) / exact.den) / 10;
  const q = exact.num / exact.den;
  // Floor, also for a negative balance (a refund after the period's gifts); bigint division truncates.
  return Number(exact.num < 0n && q * exact.den !== exact.num ? q - 1n : q);
}

/** -1 when a ranks before b (higher score), 0 for a tie, 1 after. */
function compareExact(a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left === right ? 0 : left > right ? -1 : 1;
}

const byName = (a: { name: string; teamId: number }, b: { name: string; teamId: number }) => a.name.localeCompare(b.name, "sv") || a.teamId - b.teamId;

export function computeStandings(mode: CompetitionScoringMode, teams: readonly TeamFigures[]): Standing[] {
  const scored = teams.map((t) => ({ t, exact: exactScore(mode, t) }));
  if (mode === "together") return scored.sort((a, b) => byName(a.t, b.t)).map(({ t, exact }) => ({ ...t, score: shown(mode, exact), rank: null }));
  const ranked = scored.filter((s) => s.exact !== null).sort((a, b) => compareExact(a.exact!, b.exact!) || byName(a.t, b.t));
  const out: Standing[] = [];
  ranked.forEach((s, i) => {
    const prev = ranked[i - 1];
    const tie = prev && compareExact(prev.exact!, s.exact!) === 0;
    out.push({ ...s.t, score: shown(mode, s.exact), rank: tie ? out[i - 1].rank : i + 1 });
  });
  const unscored = scored.filter((s) => s.exact === null).sort((a, b) => byName(a.t, b.t));
  for (const s of unscored) out.push({ ...s.t, score: null, rank: null });
  return out;
}

/** Whether a mode needs each team's stated headcount or invited count (the form asks for it). */
export function modeNeeds(mode: CompetitionScoringMode): "headcount" | "invited" | null {
  return mode === "per_headcount" ? "headcount" : mode === "participation" ? "invited" : null;
}
