import { fieldErrorMessages } from "./identity-messages";
import { defineMessages, type Locale } from "./messages";

/** The staff pages for organisations (/admin/organisations and one organisation's page). */
export const organisationsMessages = defineMessages({
  sv: {
    title: "Organisationer – Lokala mål",
    heading: "Organisationer",
    name: "Namn",
    orgNumber: "Organisationsnummer (valfritt)",
    orgNumberHint: "10 siffror, till exempel 556036-0793. Kontrollsiffran kontrolleras.",
    create: "Lägg till organisation",
    createHeading: "Ny organisation",
    empty: "Inga organisationer ännu.",
    demo: "demo",
    created: "Organisationen är tillagd.",
    invalid: "Kontrollera de markerade fälten.",
  },
  en: {
    title: "Organisations – Local goals",
    heading: "Organisations",
    name: "Name",
    orgNumber: "Organisation number (optional)",
    orgNumberHint: "10 digits, for example 556036-0793. The check digit is verified.",
    create: "Add organisation",
    createHeading: "New organisation",
    empty: "No organisations yet.",
    demo: "demo",
    created: "The organisation has been added.",
    invalid: "Check the marked fields.",
  },
});

export const organisationMessages = defineMessages({
  sv: {
    back: "Alla organisationer",
    orgNumber: "Organisationsnummer",
    unknown: "ej angivet",
    contacts: "Kontaktpersoner",
    none: "Inga kontaktpersoner ännu.",
    addHeading: "Lägg till kontaktperson",
    addText: "Kontaktpersonen får ett mejl med en inbjudan och en inloggningslänk.",
    email: "E-postadress",
    isAdmin: "Administratör för organisationen",
    add: "Lägg till och skicka inbjudan",
    remove: "Ta bort",
    makeAdmin: "Gör till administratör",
    unmakeAdmin: "Ta bort administratörsrätt",
    admin: "administratör",
    saved: "Ändringen är sparad.",
    invited: "{email} är tillagd som kontaktperson och har fått en inbjudan med en inloggningslänk.",
    alreadyMember: "{email} är redan kontaktperson. Ingen ny inbjudan skickades.",
    invalid: "Kontrollera de markerade fälten.",
    not_found: "Hittades inte.",
    ownPage: "Organisationens egen sida",
    name: "Namn (valfritt)",
    roles: "Roller",
    saveRoles: "Spara roller",
    edit: "Ändra uppgifter",
    details: "Uppgifter",
    logoSaved: "Logotypen är sparad.",
  },
  en: {
    back: "All organisations",
    orgNumber: "Organisation number",
    unknown: "not given",
    contacts: "Contacts",
    none: "No contacts yet.",
    addHeading: "Add a contact",
    addText: "The contact receives an email with an invitation and a sign-in link.",
    email: "Email address",
    isAdmin: "Administrator of the organisation",
    add: "Add and send invitation",
    remove: "Remove",
    makeAdmin: "Make administrator",
    unmakeAdmin: "Remove administrator right",
    admin: "administrator",
    saved: "The change is saved.",
    invited: "{email} has been added as a contact and has been sent an invitation with a sign-in link.",
    alreadyMember: "{email} is already a contact. No new invitation was sent.",
    invalid: "Check the marked fields.",
    not_found: "Not found.",
    ownPage: "The organisation's own page",
    name: "Name (optional)",
    roles: "Roles",
    saveRoles: "Save roles",
    edit: "Edit details",
    details: "Details",
    logoSaved: "The logo is saved.",
  },
});

const legalFormNames = defineMessages({
  sv: {
    estate: "Dödsbo",
    public: "Stat, region, kommun eller församling",
    foreign: "Utländskt företag",
    limited: "Aktiebolag",
    simple: "Enkelt bolag",
    economic: "Ekonomisk förening eller bostadsrättsförening",
    nonprofit: "Ideell förening eller stiftelse",
    partnership: "Handelsbolag eller kommanditbolag",
    sole_trader: "Enskild firma (personnummer)",
    unknown: "Okänd bolagsform",
  },
  en: {
    estate: "Estate of a deceased person",
    public: "State, region, municipality or parish",
    foreign: "Foreign company",
    limited: "Limited company (aktiebolag)",
    simple: "Simple partnership",
    economic: "Economic or housing association",
    nonprofit: "Non-profit association or foundation",
    partnership: "Trading or limited partnership",
    sole_trader: "Sole trader (personal identity number)",
    unknown: "Unknown legal form",
  },
});

export function legalFormName(form: string | null, locale: Locale): string | null {
  if (!form) return null;
  return (legalFormNames(locale) as Record<string, string>)[form] ?? null;
}

const orgNumberErrors = defineMessages({
  sv: {
    organisation_exists: "Det finns redan en organisation med det här organisationsnumret: {name}.",
    postal_code: "Skriv postnumret som fem siffror, till exempel 722 12.",
    website: "Skriv en webbadress, till exempel https://www.exempel.se.",
    contact_role: "Välj bland rollerna i listan.",
    invalid_id: "Välj ett alternativ i listan.",
    logo_required: "Välj en bildfil.",
    logo_too_large: "Bilden är för stor: högst 1 MB (1 000 000 byte).",
    logo_type: "Bilden måste vara en PNG-, JPEG- eller WebP-fil (SVG och andra format tas inte emot).",
    org_number: "Skriv organisationsnumret som 10 siffror, till exempel 556036-0793 (12 siffror går också).",
    org_number_checksum: "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna.",
  },
  en: {
    organisation_exists: "An organisation with this organisation number already exists: {name}.",
    postal_code: "Enter the postal code as five digits, for example 722 12.",
    website: "Enter a web address, for example https://www.example.se.",
    contact_role: "Choose among the roles in the list.",
    invalid_id: "Choose an option in the list.",
    logo_required: "Choose an image file.",
    logo_too_large: "The image is too large: at most 1 MB (1,000,000 bytes).",
    logo_type: "The image must be a PNG, JPEG or WebP file (SVG and other formats are not accepted).",
    org_number: "Enter the organisation number as 10 digits, for example 556036-0793 (12 digits also work).",
    org_number_checksum: "This is not a valid organisation number: the check digit (the last one) does not match the others. Check the digits.",
  },
});

/** Field error codes from the organisation services, in the reader's language. */
export function organisationFieldErrors(locale: Locale): Record<string, string> {
  return { ...fieldErrorMessages(locale), ...orgNumberErrors(locale) };
}

/** The organisation form's labels (staff: every field; contacts: the invoice details and the logo). */
export const organisationFormMessages = defineMessages({
  sv: {
    name: "Namn",
    orgNumber: "Organisationsnummer (valfritt)",
    orgNumberHint: "10 siffror, till exempel 556036-0793 (12 siffror går också). Kontrollsiffran kontrolleras och bolagsformen visas.",
    address: "Gatuadress",
    postalCode: "Postnummer",
    city: "Ort",
    website: "Webbplats",
    websiteHint: "Till exempel https://www.exempel.se",
    industry: "Bransch (SNI 2007)",
    noIndustry: "Ej angiven",
    invoiceHeading: "Fakturauppgifter",
    invoiceEmail: "E-post för fakturor",
    invoiceReference: "Er referens",
    purchaseOrder: "Inköpsordernummer (PO)",
    isPublic: "Organisationen får visas offentligt (till exempel på målets partnervägg)",
    logo: "Logotyp",
    logoHint: "PNG, JPEG eller WebP, högst 1 MB.",
    uploadLogo: "Ladda upp logotyp",
    noLogo: "Ingen logotyp ännu.",
    logoSaved: "Logotypen är sparad.",
    save: "Spara",
    saved: "Uppgifterna är sparade.",
    existing: "Öppna den befintliga organisationen",
    invalid: "Kontrollera de markerade fälten.",
    public: "Visas offentligt",
    notPublic: "Visas inte offentligt",
  },
  en: {
    name: "Name",
    orgNumber: "Organisation number (optional)",
    orgNumberHint: "10 digits, for example 556036-0793 (12 digits also work). The check digit is verified and the legal form shown.",
    address: "Street address",
    postalCode: "Postal code",
    city: "City",
    website: "Website",
    websiteHint: "For example https://www.example.se",
    industry: "Industry (SNI 2007)",
    noIndustry: "Not given",
    invoiceHeading: "Invoice details",
    invoiceEmail: "Email for invoices",
    invoiceReference: "Your reference",
    purchaseOrder: "Purchase order number (PO)",
    isPublic: "The organisation may be shown publicly (for example on the goal's partner wall)",
    logo: "Logo",
    logoHint: "PNG, JPEG or WebP, at most 1 MB.",
    uploadLogo: "Upload logo",
    noLogo: "No logo yet.",
    logoSaved: "The logo is saved.",
    save: "Save",
    saved: "The details are saved.",
    existing: "Open the existing organisation",
    invalid: "Check the marked fields.",
    public: "Shown publicly",
    notPublic: "Not shown publicly",
  },
});

const contactRoleNames = defineMessages({
  sv: { main: "Huvudkontakt", invoicing: "Fakturering", payroll: "Lön", marketing: "Marknadsföring" },
  en: { main: "Main contact", invoicing: "Invoicing", payroll: "Payroll", marketing: "Marketing" },
});

/** A contact role's name in the reader's language. */
export function contactRoleName(role: string, locale: Locale): string {
  return (contactRoleNames(locale) as Record<string, string>)[role] ?? role;
}

/** An organisation's own page (/org/<id>), for its contacts. */
export const ownOrganisationMessages = defineMessages({
  sv: {
    lead: "Era uppgifter hos Västerås stadsmission. Fakturauppgifter och logotyp kan ni ändra själva; för övriga ändringar, kontakta oss.",
    contacts: "Kontaktpersoner",
    email: "E-post",
    name: "Namn",
    roles: "Roller",
    admin: "Administratör",
    yes: "Ja",
    no: "Nej",
    demo: "Demo",
    later: "Här kommer organisationens partnerskap, gåvor och insamlingar att visas.",
  },
  en: {
    lead: "Your details with Västerås stadsmission. You can change the invoice details and the logo yourselves; for other changes, contact us.",
    contacts: "Contacts",
    email: "Email",
    name: "Name",
    roles: "Roles",
    admin: "Administrator",
    yes: "Yes",
    no: "No",
    demo: "Demo",
    later: "The organisation's partnerships, gifts and collections will be shown here.",
  },
});
