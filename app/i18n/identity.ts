import { defineMessages } from "./messages";

/** Navigation and error texts of the identity area, used by the root layout. */
export const identityNav = defineMessages({
  sv: {
    navLogin: "Logga in",
    navAccount: "Mitt konto",
    navAdmin: "Administration",
    forbiddenTitle: "Ingen behörighet",
    forbiddenText: "Du är inloggad men har inte behörighet till den här sidan.",
  },
  en: {
    navLogin: "Sign in",
    navAccount: "My account",
    navAdmin: "Administration",
    forbiddenTitle: "Not allowed",
    forbiddenText: "You are signed in but do not have access to this page.",
  },
});
