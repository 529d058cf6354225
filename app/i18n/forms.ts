import { defineMessages } from "./messages";

/**
 * The words every form shares: the common field error codes (the schemas in app/validation/ use
 * them) and the texts of the shared field components (app/components/form/). An area's own
 * dictionary comes on top of these (`formTexts`), so an area can say something more precise.
 */
export const formMessages = defineMessages({
  sv: {
    form_invalid: "Kontrollera de markerade fälten.",
    field_invalid: "Kontrollera det här fältet.",
    required: "Fältet måste fyllas i.",
    too_long: "Texten är för lång.",
    invalid_characters: "Texten innehåller ett otillåtet tecken.",
    email_required: "Fyll i din e-postadress.",
    email_invalid: "Skriv en giltig e-postadress, till exempel namn@exempel.se.",
    amount_invalid: "Skriv ett belopp i kronor, till exempel 250 eller 1 000,50.",
    org_number: "Skriv organisationsnumret som 10 siffror, till exempel 556036-0793 (12 siffror går också).",
    org_number_checksum: "Det här är inte ett giltigt organisationsnummer: kontrollsiffran (den sista) stämmer inte med de andra. Kontrollera siffrorna.",
    file_required: "Välj en fil.",
    file_too_large: "Filen är för stor.",
    file_type: "Filen har en typ som inte går att använda här.",
    charCount: "{count} av högst {max} tecken",
    maxChars: "Högst {max} tecken.",
    fileHint: "Filtyp: {types}. Högst {size}.",
    legalForm: "Bolagsform: {form}.",
  },
  en: {
    form_invalid: "Check the marked fields.",
    field_invalid: "Check this field.",
    required: "This field is required.",
    too_long: "The text is too long.",
    invalid_characters: "The text contains a character that is not allowed.",
    email_required: "Enter your email address.",
    email_invalid: "Enter a valid email address, for example name@example.com.",
    amount_invalid: "Type an amount in kronor, for example 250 or 1 000,50.",
    org_number: "Enter the organisation number as 10 digits, for example 556036-0793 (12 digits also work).",
    org_number_checksum: "This is not a valid organisation number: the check digit (the last one) does not match the others. Check the digits.",
    file_required: "Choose a file.",
    file_too_large: "The file is too large.",
    file_type: "The file is of a type that cannot be used here.",
    charCount: "{count} of at most {max} characters",
    maxChars: "At most {max} characters.",
    fileHint: "File type: {types}. At most {size}.",
    legalForm: "Legal form: {form}.",
  },
});
