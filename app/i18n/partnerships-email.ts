import { defineMessages } from "./messages";

/** The renewal reminders' words (`{organisation}`, `{goal}`, `{tier}`, `{endsOn}` are filled in). */
export const renewalEmailTexts = defineMessages({
  sv: {
    staffSubject: "Dags att förnya: {organisation} ({goal})",
    staffHeading: "Ett partnerskap behöver förnyas",
    staffBody:
      "{organisation} är {tier} för {goal}. Perioden slutar {endsOn}.\n\nKontakta företaget om en ny period. Utan förnyelse upphör partnerskapet när perioden är slut och företaget försvinner från målets partnervägg. Den nya perioden behöver ett nytt godkännande.",
    staffAction: "Öppna partnerskapet",
    partnerSubject: "Ert partnerskap med {goal} slutar {endsOn}",
    partnerHeading: "Tack för ert stöd – dags att förnya",
    partnerBody:
      "{organisation} är {tier} för {goal} till och med {endsOn}.\n\nVill ni fortsätta? Svara på det här mejlet eller öppna er partnersida, så hör vi av oss om en ny period.",
    partnerAction: "Till partnersidan",
    huvudpartner: "huvudpartner",
    partner: "partner",
    vanforetag: "vänföretag",
  },
  en: {
    staffSubject: "Time to renew: {organisation} ({goal})",
    staffHeading: "A partnership needs renewing",
    staffBody:
      "{organisation} is {tier} of {goal}. The period ends on {endsOn}.\n\nContact the company about a new period. Without a renewal the partnership lapses when the period ends and the company leaves the goal's partner wall. The new period needs a new sign-off.",
    staffAction: "Open the partnership",
    partnerSubject: "Your partnership with {goal} ends on {endsOn}",
    partnerHeading: "Thank you for your support – time to renew",
    partnerBody:
      "{organisation} is {tier} of {goal} until {endsOn}.\n\nWould you like to continue? Reply to this email or open your partner page, and we will be in touch about a new period.",
    partnerAction: "To the partner page",
    huvudpartner: "main partner",
    partner: "partner",
    vanforetag: "friend company",
  },
});
