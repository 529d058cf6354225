import { getZodConstraint } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { addMonths, monthOf, monthsBetween, splitOre, termsInForce } from "~/services/workplace/pledge-months";
import { changePledgeFormSchema, changePledgeSchema, joinPledgeFormSchema, joinPledgeSchema, parsePerMille, pledgeMonthSchema } from "~/validation/workplace-pledge";
import { parseForm } from "~/validation/parse";

const rules = { minimumOre: "5000", perMilleOffered: true, goalIds: [1, 2, 3] };

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

function errorsOf(fields: Record<string, string>, r = rules) {
  const s = parseForm(form(fields), joinPledgeSchema(r));
  return s.status === "success" ? {} : (s.reply().error ?? {});
}

const good = { name: "Anna Andersson", kind: "fixed", amount: "150", goalMode: "one", goal: "2", firstMonth: "2027-01", consent: "on" };

describe("join form", () => {
  it("gives öre, goals and the month for a valid fixed pledge", () => {
    const s = parseForm(form({ ...good, employeeNumber: "A-17" }), joinPledgeSchema(rules));
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(s.value).toEqual({ kind: "fixed", amountOre: 15000n, rateTenths: null, goals: [{ goalId: 2, percent: 100 }], fromMonth: "2027-01-01", employeeNumber: "A-17", name: "Anna Andersson" });
  });

  it("refuses an amount under the programme's minimum, next to the amount", () => {
    expect(errorsOf({ ...good, amount: "49,99" })).toEqual({ amount: ["amount_min"] });
    expect(errorsOf({ ...good, amount: "" })).toEqual({ amount: ["amount_required"] });
    expect(errorsOf({ ...good, amount: "femtio" })).toEqual({ amount: ["amount_invalid"] });
    expect(errorsOf({ ...good, amount: "20001" })).toEqual({ amount: ["amount_max"] });
  });

  it("stores a per-mille as tenths and refuses one over 100", () => {
    const s = parseForm(form({ ...good, kind: "per_mille", amount: "", rate: "2,5" }), joinPledgeSchema(rules));
    expect(s.status === "success" && s.value).toMatchObject({ kind: "per_mille", amountOre: null, rateTenths: 25 });
    expect(errorsOf({ ...good, kind: "per_mille", rate: "100" })).toEqual({});
    expect(errorsOf({ ...good, kind: "per_mille", rate: "100,1" })).toEqual({ rate: ["rate_max"] });
    expect(errorsOf({ ...good, kind: "per_mille", rate: "0" })).toEqual({ rate: ["rate_min"] });
    expect(errorsOf({ ...good, kind: "per_mille", rate: "2,55" })).toEqual({ rate: ["rate_invalid"] });
    expect(errorsOf({ ...good, kind: "per_mille", rate: "2" }, { ...rules, perMilleOffered: false })).toEqual({ kind: ["per_mille_not_offered"] });
  });

  it("refuses a goal outside the programme, alone or in a split", () => {
    expect(errorsOf({ ...good, goal: "9" })).toEqual({ goal: ["goal_not_in_programme"] });
    expect(errorsOf({ ...good, goal: "" })).toEqual({ goal: ["goal_required"] });
    expect(errorsOf({ ...good, goalMode: "split", "share-1": "50", "share-9": "50" })).toEqual({ "share-9": ["goal_not_in_programme"] });
  });

  it("splits over several goals in whole percent that add up to 100", () => {
    const s = parseForm(form({ ...good, goalMode: "split", "share-3": "40", "share-1": "60", "share-2": "" }), joinPledgeSchema(rules));
    expect(s.status === "success" && s.value.goals).toEqual([
      { goalId: 1, percent: 60 },
      { goalId: 3, percent: 40 },
    ]);
    expect(errorsOf({ ...good, goalMode: "split", "share-1": "60", "share-3": "30" })).toEqual({ shares: ["shares_sum"] });
    expect(errorsOf({ ...good, goalMode: "split", "share-1": "12,5", "share-3": "87,5" })).toEqual({ "share-1": ["share_invalid"], "share-3": ["share_invalid"] });
  });

  it("needs consent and a month, and a sane employee number", () => {
    expect(errorsOf({ ...good, consent: "" })).toEqual({ consent: ["consent_required"] });
    expect(errorsOf({ ...good, firstMonth: "2027-13" })).toEqual({ firstMonth: ["month_invalid"] });
    expect(errorsOf({ ...good, employeeNumber: "<script>" })).toEqual({ employeeNumber: ["employee_number_invalid"] });
  });

  it("change and month forms share the rules", () => {
    const s = parseForm(form({ kind: "fixed", amount: "200", goal: "1", fromMonth: "2027-03" }), changePledgeSchema(rules));
    expect(s.status === "success" && s.value).toEqual({ kind: "fixed", amountOre: 20000n, rateTenths: null, goals: [{ goalId: 1, percent: 100 }], fromMonth: "2027-03-01" });
    expect(pledgeMonthSchema.safeParse({ fromMonth: "2027-02" }).data).toEqual({ fromMonth: "2027-02-01" });
    expect(pledgeMonthSchema.safeParse({ fromMonth: "nej" }).success).toBe(false);
  });
});

describe("pledge months", () => {
  it("parses per-mille", () => {
    expect([parsePerMille("2"), parsePerMille("2.5 ‰"), parsePerMille("0,1"), parsePerMille("-1")]).toEqual([20, 25, 1, null]);
  });

  it("counts months across years and in Swedish time", () => {
    expect(addMonths("2026-12-01", 1)).toBe("2027-01-01");
    expect(addMonths("2027-01-01", -1)).toBe("2026-12-01");
    expect(addMonths("2026-05-01", 20)).toBe("2028-01-01");
    expect(monthsBetween("2026-11-01", "2027-02-01")).toEqual(["2026-11-01", "2026-12-01", "2027-01-01", "2027-02-01"]);
    // 23:30 UTC on 31 December is already January in Stockholm.
    expect(monthOf(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
  });

  it("picks the terms with the latest start on or before the month", () => {
    const rows = [
      { fromMonth: "2027-01-01", id: "paused" },
      { fromMonth: "2026-10-01", id: "100 kr" },
      { fromMonth: "2027-04-01", id: "stopped" },
    ];
    expect(termsInForce(rows, "2026-09-01")).toBeNull();
    expect(termsInForce(rows, "2026-12-01")?.id).toBe("100 kr");
    expect(termsInForce(rows, "2027-01-01")?.id).toBe("paused");
    expect(termsInForce(rows, "2027-06-01")?.id).toBe("stopped");
  });

  it("splits öre exactly", () => {
    const sum = (parts: { amountOre: bigint }[]) => parts.reduce((s, p) => s + p.amountOre, 0n);
    const three = [
      { goalId: 1, percent: 33 },
      { goalId: 2, percent: 33 },
      { goalId: 3, percent: 34 },
    ];
    expect(splitOre(100n, three).map((p) => p.amountOre)).toEqual([33n, 33n, 34n]);
    expect(splitOre(1n, [{ goalId: 1, percent: 50 }, { goalId: 2, percent: 50 }]).map((p) => p.amountOre)).toEqual([1n, 0n]);
    for (const amount of [0n, 1n, 7n, 15000n, 12345n, 99999n]) expect(sum(splitOre(amount, three))).toBe(amount);
  });
});

describe("the pages' schemas", () => {
  // useAppForm asks Conform for the fields' constraints; a transform at the schema's root made it throw
  // "Unsupported schema", so /workplace/<code> and /workplace failed as soon as JavaScript ran.
  it("give Conform constraints, and refuse with the same codes as the services' schemas", () => {
    expect(() => getZodConstraint(joinPledgeFormSchema(rules))).not.toThrow();
    expect(() => getZodConstraint(changePledgeFormSchema(rules))).not.toThrow();
    const bad = { ...good, amount: "10", consent: "" };
    const page = parseForm(form(bad), joinPledgeFormSchema(rules));
    const service = parseForm(form(bad), joinPledgeSchema(rules));
    expect(page.status === "success" ? {} : page.reply().error).toEqual({ amount: ["amount_min"], consent: ["consent_required"] });
    expect(service.status === "success" ? {} : service.reply().error).toEqual({ amount: ["amount_min"], consent: ["consent_required"] });
    const change = parseForm(form({ kind: "fixed", amount: "", goal: "1", fromMonth: "2027-03" }), changePledgeFormSchema(rules));
    expect(change.status === "success" ? {} : change.reply().error).toEqual({ amount: ["amount_required"] });
  });
});
