/**
 * The end date as the edit form and the owner's page show it (YYYY-MM-DD, Stockholm): the day before the
 * instant it ends. Not server-only, because the owner's page renders it in the browser too.
 */
export function endDateOf(endsAt: Date | null): string {
  if (!endsAt) return "";
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(endsAt.getTime() - 1));
}
