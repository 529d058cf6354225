import { defineMessages } from "./messages";

/**
 * What a reader is told when a service refuses and the area's own dictionary has no word for the
 * code: one message per kind of refusal. Areas give their own codes (`sum_not_100`, `ocr_check_digit`)
 * their own text; these are the fallback (app/utils/http.server.ts, `attempt`).
 */
export const serviceErrorMessages = defineMessages({
  sv: {
    sign_in_required: "Logga in för att fortsätta.",
    forbidden: "Du har inte behörighet att göra det här.",
    staff_only: "Bara personal på stadsmissionen kan göra det här.",
    admin_only: "Bara administratörer kan göra det här.",
    system_only: "Det här görs bara av systemet.",
    not_found: "Det du letar efter finns inte (längre).",
    conflict: "Det går inte just nu: något har ändrats. Ladda om sidan och försök igen.",
    invalid: "Något av det du fyllde i behöver rättas. Se meddelandena vid fälten.",
    too_many_requests: "För många försök på kort tid. Vänta en stund och försök igen.",
    field_invalid: "Kontrollera det här fältet.",
  },
  en: {
    sign_in_required: "Sign in to continue.",
    forbidden: "You are not allowed to do this.",
    staff_only: "Only the city mission's staff can do this.",
    admin_only: "Only administrators can do this.",
    system_only: "Only the system does this.",
    not_found: "What you are looking for does not exist (any more).",
    conflict: "That is not possible right now: something has changed. Reload the page and try again.",
    invalid: "Something you filled in needs correcting. See the messages next to the fields.",
    too_many_requests: "Too many attempts in a short time. Wait a while and try again.",
    field_invalid: "Check this field.",
  },
});
