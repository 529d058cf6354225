/**
 * The Swedish calendar day of an instant, as YYYY-MM-DD: due dates and "today" are days in
 * Västerås, whatever the server's time zone (a task due Monday is due from Monday 00:00 Swedish time).
 */
export function swedishDay(at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}
