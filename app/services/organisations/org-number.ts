import Organisationsnummer from "organisationsnummer";

/**
 * Swedish organisation numbers, checked with the `organisationsnummer` package (Luhn checksum,
 * the third digit ≥ 2 rule, sole traders' personnummer). Input may be 10 or 12 digits, with or
 * without the hyphen; it is stored as NNNNNN-NNNN.
 */
export type LegalForm = "estate" | "public" | "foreign" | "limited" | "simple" | "economic" | "nonprofit" | "partnership" | "sole_trader" | "unknown";

const legalForms: Record<string, LegalForm> = {
  "1": "estate",
  "2": "public",
  "3": "foreign",
  "5": "limited",
  "6": "simple",
  "7": "economic",
  "8": "nonprofit",
  "9": "partnership",
};

export type OrgNumberCheck = { ok: true; number: string; legalForm: LegalForm } | { ok: false; code: "org_number" | "org_number_checksum" };

/** Checks one typed organisation number; spaces around it are ignored. */
export function checkOrgNumber(raw: string): OrgNumberCheck {
  const typed = raw.trim();
  // The shape first, so the message can say "10 digits" or "the check digit is wrong" precisely.
  // "+" is a personnummer's separator from the year its holder turns 100 (a sole trader's number).
  if (!/^(\d{2})?\d{6}[-+]?\d{4}$/.test(typed)) return { ok: false, code: "org_number" };
  let parsed: Organisationsnummer;
  try {
    parsed = Organisationsnummer.parse(typed);
  } catch {
    return { ok: false, code: "org_number_checksum" };
  }
  // Always NNNNNN-NNNN, a sole trader's personnummer too: its "+" would change the stored form (and
  // the duplicate check) on the holder's 100th birthday, and the form could not be typed back.
  const digits = parsed.format(false);
  const number = `${digits.slice(0, 6)}-${digits.slice(6)}`;
  const legalForm = parsed.isPersonnummer() ? "sole_trader" : (legalForms[number[0]] ?? "unknown");
  return { ok: true, number, legalForm };
}

/** The legal form of a stored number, or null for one that does not pass (stored before the check). */
export function legalFormOf(stored: string | null): LegalForm | null {
  if (!stored) return null;
  const checked = checkOrgNumber(stored);
  return checked.ok ? checked.legalForm : null;
}

/**
 * The stored form of a typed organisation number (NNNNNN-NNNN; a sole trader's personnummer keeps its
 * own separator), or null when it is not a valid number. 10 or 12 digits, with or without the hyphen.
 */
export function normaliseOrgNumber(raw: string): string | null {
  const checked = checkOrgNumber(raw);
  return checked.ok ? checked.number : null;
}
