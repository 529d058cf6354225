import { defineMessages } from "./messages";

/**
 * The workplace payroll run (issue 13 items 5–6): the payroll files' words, the run pages in
 * /partner/workplace/runs and /admin/workplace/runs, and the refusals of the run services. Swedish first.
 */

export const payrollFileMessages = defineMessages({
  sv: {
    label: "Gåva via lön (nettolöneavdrag)",
    changeNew: "Ny",
    changeChanged: "Ändrad",
    changeUnchanged: "Oförändrad",
    changePaused: "Pausad – inget avdrag denna månad",
    changeStopped: "Avslutad – inget avdrag från denna månad",
    kindFixed: "Fast belopp",
    kindPerMille: "Promille av lönen",
    perMilleComment: "{rate} av lönen, beräknas av lönesystemet",
    monthComment: "Löneavdrag {month}",
    csvRow: "Rad",
    csvEmployeeNumber: "Anställningsnummer",
    csvName: "Namn",
    csvPayCode: "Löneart",
    csvChange: "Ändring",
    csvKind: "Typ",
    csvRate: "Promille",
    csvAmount: "Belopp (kr)",
    csvDate: "Datum",
    csvComment: "Kommentar",
  },
  en: {
    label: "Payroll giving (net-pay deduction)",
    changeNew: "New",
    changeChanged: "Changed",
    changeUnchanged: "Unchanged",
    changePaused: "Paused – no deduction this month",
    changeStopped: "Stopped – no deduction from this month",
    kindFixed: "Fixed amount",
    kindPerMille: "Per mille of salary",
    perMilleComment: "{rate} of salary, computed by payroll",
    monthComment: "Deduction {month}",
    csvRow: "Row",
    csvEmployeeNumber: "Employee number",
    csvName: "Name",
    csvPayCode: "Pay code",
    csvChange: "Change",
    csvKind: "Kind",
    csvRate: "Per mille",
    csvAmount: "Amount (SEK)",
    csvDate: "Date",
    csvComment: "Comment",
  },
});

/** Refusal codes of the payroll run services, for `attempt(…, { messages })`. */
export const payrollErrorMessages = defineMessages({
  sv: {
    run_not_found: "Lönekörningen finns inte.",
    run_confirmed: "Månaden är redan bekräftad och fakturerad. Den kan inte ändras.",
    programme_not_found: "Organisationen har inget program för gåva via lön.",
    programme_closed: "Programmet är avslutat.",
    pay_code_missing: "Programmet saknar löneart. Ange lönearten i programmets inställningar först.",
    reported_missing: "Fyll i det belopp som faktiskt drogs för varje promillelöfte.",
    reported_not_listed: "Beloppet gäller någon som inte har avdrag denna månad.",
    reported_invalid: "Skriv ett belopp i kronor, 0 eller mer, till exempel 250 eller 187,50.",
    invalid_month: "Skriv månaden som ÅÅÅÅ-MM, till exempel 2026-12.",
    invalid_format: "Välj PAXml eller CSV.",
    confirmation_required: "Kryssa i att beloppen stämmer med lönekörningen.",
  },
  en: {
    run_not_found: "The payroll run does not exist.",
    run_confirmed: "The month is already confirmed and invoiced. It cannot be changed.",
    programme_not_found: "The organisation has no payroll giving programme.",
    programme_closed: "The programme is closed.",
    pay_code_missing: "The programme has no pay code. Set the pay code in the programme's settings first.",
    reported_missing: "Enter the amount actually deducted for every per-mille pledge.",
    reported_not_listed: "The amount is for someone with no deduction this month.",
    reported_invalid: "Enter an amount in kronor, 0 or more, for example 250 or 187.50.",
    invalid_month: "Enter the month as YYYY-MM, for example 2026-12.",
    invalid_format: "Choose PAXml or CSV.",
    confirmation_required: "Tick the box to say the amounts match the payroll.",
  },
});
