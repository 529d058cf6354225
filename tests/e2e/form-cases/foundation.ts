import { orgEditPage, orgPage, type FormCase } from "./types";

/** Sign-in, settings, goals, organisations, people and allocation. */
export const cases: FormCase[] = [
  { name: "login: bad address", persona: "anonymous", open: "/login", field: "E-postadress", fill: "inte-en-adress", submit: "Skicka inloggningslänk", message: "Skriv en giltig e-postadress, till exempel namn@exempel.se." },
  { name: "login (en): empty address", persona: "anonymous", open: "/login?lang=en", field: "Email address", fill: "", submit: "Send sign-in link", message: "Enter your email address." },
  { name: "settings: bad email", persona: "admin", open: "/admin/settings", field: "E-post", fill: "inte-en-adress", submit: "Spara", message: "Skriv en giltig e-postadress." },
  { name: "settings: bad website", persona: "admin", open: "/admin/settings", field: "Webbplats", fill: "inte en adress", submit: "Spara", message: "Skriv en hel webbadress som börjar med https://." },
  { name: "goal: bad yearly target", persona: "admin", open: "/admin/goals/alla-ar-trygga", field: "Årsmål i kronor (tomt om inget mål är beslutat)", fill: "-5", submit: "Spara", message: "Skriv ett belopp i kronor, större än 0 och högst 1 000 000 000." },
  { name: "goal (en): bad yearly target", persona: "admin", open: "/admin/goals/alla-ar-trygga?lang=en", field: "Yearly target in kronor (empty if no target is decided)", fill: "abc", submit: "Save", message: "Type an amount in kronor, above 0 and at most 1,000,000,000." },
  { name: "new organisation: empty name", persona: "admin", open: "/admin/organisations", field: "Namn", fill: "", submit: "Lägg till organisation", message: "Fältet måste fyllas i." },
  {
    name: "new organisation: wrong check digit",
    persona: "admin",
    open: "/admin/organisations",
    field: "Organisationsnummer (valfritt)",
    fill: "556036-0794",
    submit: "Lägg till organisation",
    message: "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna.",
  },
  {
    name: "edit organisation: personnummer-shaped number with a wrong check digit",
    persona: "admin",
    open: orgEditPage,
    field: "Organisationsnummer (valfritt)",
    fill: "121212-1213",
    submit: "Spara",
    message: "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna.",
  },
  { name: "edit organisation: bad postal code", persona: "admin", open: orgEditPage, field: "Postnummer", fill: "12", submit: "Spara", message: "Skriv postnumret som fem siffror, till exempel 722 12." },
  { name: "organisation contact: bad address", persona: "admin", open: orgPage, field: "E-postadress", fill: "inte-en-adress", submit: "Lägg till och skicka inbjudan", message: "Skriv en giltig e-postadress, till exempel namn@exempel.se." },
  { name: "staff member: bad address", persona: "admin", open: "/admin/people", field: "E-postadress", fill: "inte-en-adress", submit: "Lägg till", message: "Skriv en giltig e-postadress, till exempel namn@exempel.se." },
  { name: "allocation: bad percentage", persona: "admin", open: "/admin/allocation", field: "Andel i procent för #1 Ingen hemlöshet", fill: "abc", submit: "Spara ny fördelning", message: "Skriv en procentsats mellan 0 och 100, med högst två decimaler." },
  { name: "settings (en): empty name", persona: "admin", open: "/admin/settings?lang=en", field: "Name", fill: "", submit: "Save", message: "This field is required." },
];
