import { describe, expect, it } from "vitest";
import { formatDate, stockholmDay, stockholmEndOf, stockholmStartOf, stockholmYear } from "~/utils/dates";

// Days are Swedish calendar days whatever the server's time zone (CI runs in UTC).
describe("Swedish calendar days", () => {
  it("reads the day and year of an instant in Stockholm, not in UTC", () => {
    expect(stockholmDay(new Date("2026-11-29T23:30:00Z"))).toBe("2026-11-30");
    expect(stockholmDay(new Date("2026-07-01T21:59:00Z"))).toBe("2026-07-01");
    expect(stockholmDay(new Date("2026-07-01T22:00:00Z"))).toBe("2026-07-02");
    expect(stockholmYear(new Date("2026-12-31T23:00:00Z"))).toBe(2027);
  });

  it("answers each instant's own day when asked again and again (it remembers the last hour's day)", () => {
    const reference = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" });
    // Instants one after another in the same UTC day and in the same UTC hour, across Stockholm's midnights
    // in winter (23:00 UTC) and summer (22:00 UTC) time and the switches to and from summer time.
    const instants = [
      "2026-11-29T22:59:59.999Z", "2026-11-29T23:00:00.000Z", "2026-11-29T23:59:59.999Z", "2026-11-29T22:00:00.000Z",
      "2026-07-01T21:00:00.000Z", "2026-07-01T21:59:59.999Z", "2026-07-01T22:00:00.000Z", "2026-07-01T22:30:00.000Z",
      "2026-03-28T22:59:00.000Z", "2026-03-28T23:00:00.000Z", "2026-03-29T21:59:00.000Z", "2026-03-29T22:00:00.000Z",
      "2026-10-24T21:59:00.000Z", "2026-10-24T22:00:00.000Z", "2026-10-25T22:59:00.000Z", "2026-10-25T23:00:00.000Z",
      "1969-12-31T22:59:59.999Z", "1969-12-31T23:00:00.000Z",
    ].map((s) => new Date(s));
    for (const at of [...instants, ...instants.reverse()]) expect(stockholmDay(at), at.toISOString()).toBe(reference.format(at));
    expect(stockholmDay()).toBe(reference.format(new Date()));
    expect(() => stockholmDay(new Date("not a date"))).toThrow(RangeError);
  });

  it("starts and ends a day at Stockholm midnight in winter and summer time", () => {
    expect(stockholmStartOf("2026-12-01").toISOString()).toBe("2026-11-30T23:00:00.000Z");
    expect(stockholmStartOf("2026-06-15").toISOString()).toBe("2026-06-14T22:00:00.000Z");
    expect(stockholmEndOf("2026-12-31").toISOString()).toBe("2026-12-31T23:00:00.000Z");
    // The day summer time begins (29 March 2026) starts in winter time and ends in summer time.
    expect(stockholmStartOf("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(stockholmEndOf("2026-03-29").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(stockholmEndOf("2026-02-28").toISOString()).toBe("2026-02-28T23:00:00.000Z");
  });

  it("formats a date in the reader's language", () => {
    expect(formatDate("2026-11-30T12:00:00Z", "sv")).toBe("30 november 2026");
    expect(formatDate("2026-11-30T12:00:00Z", "en")).toBe("30 November 2026");
  });
});
