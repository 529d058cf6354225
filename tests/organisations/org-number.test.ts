import { describe, expect, it } from "vitest";
import { legalFormName } from "~/i18n/organisations";
import { checkOrgNumber, normaliseOrgNumber } from "~/services/organisations/org-number";
import { organisationSchema } from "~/validation/organisations";

/**
 * Organisationsnummer as ../shared/research/formats.md §4 describes them: 10 digits NNNNNN-NNNN with a
 * Luhn check digit, the third digit ≥ 2 for juridical persons, the first digit the legal form, a
 * 12-digit form with "16" in front, and a sole trader's personnummer (third digit < 2) accepted but
 * flagged as a person. Numbers: 802005-1952 and 556016-0680 from formats.md (verified there),
 * 556036-0793 and 202100-5489 from the earlier tests, 121212-1212 and 811218-9876 Skatteverket-style
 * test personnummer (formats.md §1.6, §4.1), never real people's.
 */
const valid: [typed: string, stored: string, legalForm: string][] = [
  // hyphenated
  ["556036-0793", "556036-0793", "limited"],
  ["802005-1952", "802005-1952", "nonprofit"],
  ["202100-5489", "202100-5489", "public"],
  // 10 digits without the hyphen, spaces around ignored
  ["5560160680", "556016-0680", "limited"],
  [" 8020051952 ", "802005-1952", "nonprofit"],
  // 12 digits: "16" + the number, with or without the hyphen
  ["165560160680", "556016-0680", "limited"],
  ["16556016-0680", "556016-0680", "limited"],
  ["168020051952", "802005-1952", "nonprofit"],
  // personnummer-shaped: a sole trader's number, flagged as a person (never as a company)
  ["121212-1212", "121212-1212", "sole_trader"],
  ["191212121212", "121212-1212", "sole_trader"],
  ["121212+1212", "121212-1212", "sole_trader"],
  ["198112189876", "811218-9876", "sole_trader"],
];

const invalid: [typed: string, code: "org_number" | "org_number_checksum"][] = [
  // wrong check digit (the last one changed)
  ["556016-0681", "org_number_checksum"],
  ["5560160681", "org_number_checksum"],
  ["165560160681", "org_number_checksum"],
  ["802005-1953", "org_number_checksum"],
  ["556036-0794", "org_number_checksum"],
  // personnummer-shaped with a wrong check digit, or no real date
  ["121212-1213", "org_number_checksum"],
  ["811318-9876", "org_number_checksum"],
  // not the shape of a number at all
  ["55601606", "org_number"],
  ["556016-06801", "org_number"],
  ["556016 0680", "org_number"],
  ["5560-160680", "org_number"],
  ["abcdef-ghij", "org_number"],
  ["SE556016068001", "org_number"],
];

describe("organisationsnummer (formats.md §4)", () => {
  it.each(valid)("%s is valid, stored as %s, legal form %s", (typed, stored, legalForm) => {
    expect(checkOrgNumber(typed)).toEqual({ ok: true, number: stored, legalForm });
    expect(normaliseOrgNumber(typed)).toBe(stored);
    // The stored form is accepted as typed again (an edit form shows it), unchanged.
    expect(normaliseOrgNumber(stored)).toBe(stored);
  });

  it.each(invalid)("%s is refused (%s)", (typed, code) => {
    expect(checkOrgNumber(typed)).toEqual({ ok: false, code });
    expect(normaliseOrgNumber(typed)).toBeNull();
  });

  it("names the legal form, and says a personnummer is a person's", () => {
    expect(legalFormName("limited", "sv")).toBe("Aktiebolag");
    expect(legalFormName("nonprofit", "en")).toBe("Non-profit association or foundation");
    expect(legalFormName("sole_trader", "sv")).toBe("Enskild firma (personnummer)");
    expect(legalFormName("sole_trader", "en")).toBe("Sole trader (personal identity number)");
  });

  it("the organisation form's schema stores the normalised number and refuses a bad one on the field", () => {
    const ok = organisationSchema.safeParse({ name: "Exempel AB", orgNumber: "165560160680" });
    expect(ok.success && ok.data.orgNumber).toBe("556016-0680");
    const bad = organisationSchema.safeParse({ name: "Exempel AB", orgNumber: "556016-0681" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["orgNumber", "org_number_checksum"]]);
  });
});
