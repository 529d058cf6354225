import { signIn } from "../../setup/dev-mailbox";
import { openFollowed, visit, orgEditPage, orgPage, type FormCase } from "./types";

/** The demo monthly gift's page (/give/monthly/<token>), as linked from its donor's account page; once per server. */
const monthlyGiftPaths = new Map<string, Promise<string>>();
function monthlyGiftPath(base: string): Promise<string> {
  if (!monthlyGiftPaths.has(base)) {
    monthlyGiftPaths.set(
      base,
      (async () => {
        // The demo's monthly donor (db/demo/payments.ts).
        const donor = await signIn(base, "demo.manadsgivare@example.com");
        const account = await (await fetch(`${base}/account`, { headers: { Cookie: donor } })).text();
        const path = /href="(\/give\/monthly\/[^"]+)"/.exec(account)?.[1];
        if (!path) throw new Error("the demo monthly donor's account page links to no monthly gift");
        return path;
      })(),
    );
  }
  return monthlyGiftPaths.get(base)!;
}

/** Sign-in, settings, goals, organisations, people, allocation and corrections. */
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
  {
    name: "own organisation page: bad invoice email",
    // /org/<id> is the organisation's contacts' page; staff may open it too.
    persona: "admin",
    open: (page, base) =>
      openFollowed(page, base, "own organisation page", async (page) => {
        await orgPage(page, base);
        await visit(page, `${base}/org/${new URL(page.url()).pathname.split("/").pop()}`);
      }),
    form: "invoice-details",
    field: "E-post för fakturor",
    fill: "inte-en-adress",
    submit: "Spara",
    message: "Skriv en giltig e-postadress, till exempel namn@exempel.se.",
  },
  { name: "staff member: bad address", persona: "admin", open: "/admin/people", field: "E-postadress", fill: "inte-en-adress", submit: "Lägg till", message: "Skriv en giltig e-postadress, till exempel namn@exempel.se." },
  { name: "allocation: bad percentage", persona: "admin", open: "/admin/allocation", field: "Andel i procent för #1 Ingen hemlöshet", fill: "abc", submit: "Spara ny fördelning", message: "Skriv en procentsats mellan 0 och 100, med högst två decimaler." },
  { name: "settings: bad bankgiro number", persona: "admin", open: "/admin/settings", field: "Bankgironummer", fill: "123-4568", submit: "Spara bankgironummer", message: "Det här är inte ett giltigt bankgironummer (7 eller 8 siffror med rätt kontrollsiffra, till exempel 123-4567)." },
  {
    name: "organisation logo: not an image",
    persona: "admin",
    open: orgPage,
    field: "Logotyp",
    act: (page) => page.getByLabel("Logotyp", { exact: true }).setInputFiles({ name: "logo.txt", mimeType: "text/plain", buffer: Buffer.from("not an image") }),
    submit: "Ladda upp logotyp",
    message: "Bilden måste vara en PNG-, JPEG- eller WebP-fil (SVG och andra format tas inte emot).",
  },
  { name: "correction: bad amount", persona: "admin", open: "/admin/corrections", field: "Belopp i kronor", fill: "abc", submit: "Bokför rättelsen", message: "Skriv ett belopp större än 0, till exempel 150 eller 150,50 (högst 1 000 000 kr)." },
  { name: "move money: empty reason", persona: "admin", open: "/admin/corrections", field: "Orsak till flytten", fill: "", submit: "Flytta pengarna", message: "Skriv en orsak (minst 3 tecken)." },
  { name: "settings (en): empty name", persona: "admin", open: "/admin/settings?lang=en", field: "Name", fill: "", submit: "Save", message: "This field is required." },
  { name: "give: bad email", persona: "anonymous", open: "/give", field: "E-post", fill: "inte-en-adress", submit: "Gå vidare till betalning", message: "Skriv en giltig e-postadress." },
  {
    name: "monthly gift: amount not in kronor",
    // The gift's page needs no session, only the signed token in its address: the donor's account page links to it.
    persona: "anonymous",
    open: async (page, base) => void (await visit(page, `${base}${await monthlyGiftPath(base)}`)),
    field: "Nytt belopp i kronor per månad",
    fill: "abc",
    submit: "Spara nytt belopp",
    message: "Skriv beloppet i kronor, till exempel 200.",
  },
];
