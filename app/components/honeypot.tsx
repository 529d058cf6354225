/**
 * A field people never see (hidden off-screen, skipped by keyboard and screen readers) that bots
 * tend to fill in. Public forms include it; their actions call `honeypotTripped(form)`.
 */
export const HONEYPOT_FIELD = "website";

export function Honeypot() {
  return (
    <div className="hp-field" aria-hidden="true">
      <label htmlFor="hp-website">Website</label>
      <input id="hp-website" type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

export function honeypotTripped(form: FormData): boolean {
  const value = form.get(HONEYPOT_FIELD);
  return typeof value === "string" && value.trim() !== "";
}
