import { describe, expect, it } from "vitest";
import { authorLabel } from "~/i18n/authors";

// Staff pages show the authors that ledger entries, corrections and resolved flags store (authorOf in
// app/services/context.ts, and each payment source's own prefix) through one function, so a person reads
// the same on /admin/payments, /admin/corrections, a goal's ledger and the payroll flags.
describe("authorLabel: a stored author as staff read it", () => {
  it.each([
    ["staff:eva@example.org", "eva@example.org", "eva@example.org"],
    ["person:42", "person nr 42", "person no. 42"],
    ["stripe:evt_123", "Stripe (evt_123)", "Stripe (evt_123)"],
    ["simulator:evt_sim_9", "betalsimulatorn (evt_sim_9)", "the payment simulator (evt_sim_9)"],
    ["bgmax:2026-11-30.txt", "BgMax-fil 2026-11-30.txt", "BgMax file 2026-11-30.txt"],
    ["system:payroll-carry:7", "systemet (payroll-carry:7)", "the system (payroll-carry:7)"],
    ["job:competition-end:3", "systemet (job:competition-end:3)", "the system (job:competition-end:3)"],
    ["partners:join", "systemet (partners:join)", "the system (partners:join)"],
    ["anonymous", "en anonym besökare", "an anonymous visitor"],
    ["staff:", "systemet (staff:)", "the system (staff:)"],
    ["", "–", "–"],
  ])("%s → sv %s, en %s", (stored, sv, en) => {
    expect(authorLabel(stored, "sv")).toBe(sv);
    expect(authorLabel(stored, "en")).toBe(en);
  });

  it("says nothing is known when there is no author", () => {
    expect(authorLabel(null, "sv")).toBe("–");
    expect(authorLabel(undefined, "en")).toBe("–");
  });
});
