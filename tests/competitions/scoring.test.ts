import { describe, expect, it } from "vitest";
import { computeStandings, type TeamFigures } from "~/services/competitions/scoring";

const team = (teamId: number, name: string, raisedKr: number, participants: number, statedHeadcount: number | null = null, invitedCount: number | null = null): TeamFigures => ({
  teamId,
  name,
  raisedOre: BigInt(raisedKr * 100),
  giftCount: participants,
  participants,
  statedHeadcount,
  invitedCount,
});

// A big company that raises most, a small one that raises most per person, one in between.
const teams = [team(1, "Stora AB", 10_000, 20, 200, 100), team(2, "Lilla HB", 3_000, 3, 5, 4), team(3, "Mellan AB", 6_000, 12, 40, 40)];
const summary = (s: ReturnType<typeof computeStandings>) => s.map((x) => [x.name, x.rank, x.score]);

describe("competition scoring per mode", () => {
  it("total: most raised first, score in öre", () => {
    expect(summary(computeStandings("total", teams))).toEqual([
      ["Stora AB", 1, 1_000_000],
      ["Mellan AB", 2, 600_000],
      ["Lilla HB", 3, 300_000],
    ]);
  });

  it("per_participant: raised divided by those who gave or collected (floor öre); equal ratios share a rank", () => {
    expect(summary(computeStandings("per_participant", teams))).toEqual([
      ["Lilla HB", 1, 100_000],
      ["Mellan AB", 2, 50_000],
      ["Stora AB", 2, 50_000],
    ]);
  });

  it("per_headcount: raised divided by the stated headcount, so size does not decide", () => {
    expect(summary(computeStandings("per_headcount", teams))).toEqual([
      ["Lilla HB", 1, 60_000],
      ["Mellan AB", 2, 15_000],
      ["Stora AB", 3, 5_000],
    ]);
  });

  it("participation: share of the invited who took part, per cent with one decimal", () => {
    expect(summary(computeStandings("participation", teams))).toEqual([
      ["Lilla HB", 1, 75],
      ["Mellan AB", 2, 30],
      ["Stora AB", 3, 20],
    ]);
  });

  it("together: no ranks at all, listed by name (not by amount)", () => {
    const s = computeStandings("together", teams);
    expect(s.map((x) => x.rank)).toEqual([null, null, null]);
    expect(s.map((x) => x.name)).toEqual(["Lilla HB", "Mellan AB", "Stora AB"]);
  });

  it("ties share a rank and the next rank skips; equal ratios tie however they are written", () => {
    // 1000/3 and 2000/6 are the same ratio: a float might differ in the last bit, the exact comparison does not.
    const tied = [team(1, "A", 1_000, 3), team(2, "B", 2_000, 6), team(3, "C", 100, 1), team(4, "D", 5_000, 1)];
    expect(summary(computeStandings("per_participant", tied)).map(([n, r]) => [n, r])).toEqual([
      ["D", 1],
      ["A", 2],
      ["B", 2],
      ["C", 4],
    ]);
    expect(computeStandings("total", [team(1, "X", 10, 1), team(2, "Y", 10, 1)]).map((x) => x.rank)).toEqual([1, 1]);
  });

  it("a team the mode cannot score (no headcount stated) is listed last without a rank; no participants is a score of 0", () => {
    const s = computeStandings("per_headcount", [team(1, "Utan", 9_000, 3, null), team(2, "Med", 100, 1, 10)]);
    expect(summary(s)).toEqual([
      ["Med", 1, 1_000],
      ["Utan", null, null],
    ]);
    expect(computeStandings("per_participant", [team(1, "Tom", 0, 0)])[0]).toMatchObject({ score: 0, rank: 1 });
  });

  it("a net negative balance (refunds after the period) floors downwards", () => {
    const s = computeStandings("per_participant", [{ ...team(1, "N", 0, 3), raisedOre: -100n }]);
    expect(s[0].score).toBe(-34);
  });
});
