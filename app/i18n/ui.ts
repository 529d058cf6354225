import { defineMessages } from "./messages";

/** Words of the shared components in app/components/ui (menus, confirmation steps, toasts). */
export const uiMessages = defineMessages({
  sv: {
    menu: "Meny",
    staffMenu: "Personalmeny",
    staffNav: "Administration",
    goalBadge: "Lokalt mål {number}",
    cancel: "Avbryt",
    confirmTitle: "Är du säker?",
    done_saved: "Ändringarna är sparade.",
    done_created: "Skapat.",
    done_removed: "Borttaget.",
    done_sent: "Skickat.",
  },
  en: {
    menu: "Menu",
    staffMenu: "Staff menu",
    staffNav: "Administration",
    goalBadge: "Local goal {number}",
    cancel: "Cancel",
    confirmTitle: "Are you sure?",
    done_saved: "Your changes are saved.",
    done_created: "Created.",
    done_removed: "Removed.",
    done_sent: "Sent.",
  },
});

/** The staff side navigation's entries. */
export const staffNavMessages = defineMessages({
  sv: {
    overview: "Översikt",
    goals: "Mål",
    payments: "Betalningar",
    allocation: "Fördelning",
    corrections: "Rättelser",
    invoices: "Fakturor",
    organisations: "Organisationer",
    tasks: "Uppgifter",
    partnerships: "Partnerskap",
    tiers: "Partnernivåer",
    partnerTerms: "Partnervillkor",
    collections: "Insamlingar",
    settings: "Inställningar",
    people: "Personer och roller",
    audit: "Händelselogg",
    email: "Utgående mejl",
  },
  en: {
    overview: "Overview",
    goals: "Goals",
    payments: "Payments",
    allocation: "Allocation",
    corrections: "Corrections",
    invoices: "Invoices",
    organisations: "Organisations",
    tasks: "Tasks",
    partnerships: "Partnerships",
    tiers: "Partner tiers",
    partnerTerms: "Partner terms",
    collections: "Collections",
    settings: "Settings",
    people: "People and roles",
    audit: "Audit log",
    email: "Outgoing email",
  },
});
