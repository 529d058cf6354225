import type { FormCase } from "./types";

/** A text one character over the effektrapport's 5,000 per section (EFFEKT_TEXT_MAX). */
const tooLong = "x".repeat(5001);

/**
 * Reporting (issue 14): impact, costs, effektrapport and exports forms, and the period filters of the
 * dashboard and /insyn (GET forms: the loader answers 400 with the message at the field).
 */
export const cases: FormCase[] = [
  { name: "impact figure: negative value", persona: "admin", open: "/admin/impact", field: "Värde", fill: "-5", submit: "Spara", message: "Ett resultat kan inte vara negativt." },
  { name: "impact figure: not a date", persona: "admin", open: "/admin/impact", field: "Periodens första dag", fill: "31/12", submit: "Spara", message: "Skriv ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-12-31." },
  { name: "impact figure (en): negative value", persona: "admin", open: "/admin/impact?lang=en", field: "Value", fill: "-5", submit: "Save", message: "A figure cannot be negative." },
  { name: "yearly costs: negative cost", persona: "admin", open: "/admin/reports", field: "Ändamålskostnader i kronor", fill: "-100", submit: "Spara kostnaderna", message: "En kostnad kan inte vara negativ. Skriv 0 om det inte fanns någon." },
  { name: "yearly costs (en): year out of range", persona: "admin", open: "/admin/reports?lang=en", field: "Year", fill: "1999", submit: "Save the costs", message: "Type a year between 2000 and 2100." },
  { name: "effektrapport texts: too long", persona: "admin", open: "/admin/reports/2026/effekt", field: "5. Vad har organisationen åstadkommit hittills?", fill: tooLong, submit: "Spara texterna", message: "Texten är för lång." },
  { name: "effektrapport texts (en): too long", persona: "admin", open: "/admin/reports/2026/effekt?lang=en", field: "1. What does the organisation want to achieve?", fill: tooLong, submit: "Save the texts", message: "The text is too long." },
  { name: "exports: reversed period", persona: "admin", open: "/admin/exports", field: "Till och med (ÅÅÅÅ-MM-DD)", fill: "2020-01-01", submit: "Ladda ned SIE 4I", message: "Slutdatumet ligger före startdatumet. Byt plats på dem." },
  { name: "exports (en): not a date", persona: "admin", open: "/admin/exports?lang=en", field: "From (YYYY-MM-DD)", fill: "1 March", submit: "Download SIE 4I", message: "Write a date as YYYY-MM-DD, for example 2026-11-30." },
  { name: "exports: account not four digits", persona: "admin", open: "/admin/exports/accounts", field: "Konto (fyra siffror): Bankkonto (bankgiro, överföringar)", fill: "193", submit: "Spara konton", message: "Skriv kontot som fyra siffror, till exempel 1930." },
  { name: "dashboard period: not a date", persona: "admin", open: "/admin", method: "get", form: "period", field: "Från och med", fill: "igår", submit: "Visa", message: "Skriv ett datum som ÅÅÅÅ-MM-DD (eller en månad som ÅÅÅÅ-MM)." },
  { name: "insyn period: not a month", persona: "anonymous", open: "/insyn", method: "get", form: "insyn-period", field: "Från månad", fill: "mars", submit: "Visa", message: "Skriv en månad som ÅÅÅÅ-MM, till exempel 2026-03." },
  { name: "insyn period (en): not a month", persona: "anonymous", open: "/insyn?lang=en", method: "get", form: "insyn-period", field: "From month", fill: "March", submit: "Show", message: "Enter a month as YYYY-MM, for example 2026-03." },
];
