import { defineMessages, fill, type Locale } from "~/i18n/messages";
import type { BgMaxField, BgMaxProblem } from "~/services/invoices/bgmax";
import type { UnmatchedReason } from "~/services/invoices/match";
import type { OcrProblem } from "~/services/invoices/ocr";

/** Field messages for an OCR reference someone typed (staff marking a payment, a buyer asking). */
export const ocrMessages = defineMessages({
  sv: {
    empty: "Fyll i OCR-numret.",
    not_digits: "OCR-numret får bara innehålla siffror.",
    too_short: "OCR-numret är för kort (minst 2 siffror).",
    too_long: "OCR-numret är för långt (högst 25 siffror).",
    check_digit: "OCR-numret stämmer inte: kontrollsiffran är fel. Kontrollera att alla siffror är rätt.",
    length_digit: "OCR-numret stämmer inte: längdsiffran är fel. Kontrollera att ingen siffra saknas eller är för mycket.",
  } satisfies Record<OcrProblem, string>,
  en: {
    empty: "Enter the OCR reference.",
    not_digits: "The OCR reference may contain digits only.",
    too_short: "The OCR reference is too short (at least 2 digits).",
    too_long: "The OCR reference is too long (at most 25 digits).",
    check_digit: "The OCR reference is not valid: its check digit is wrong. Check that every digit is right.",
    length_digit: "The OCR reference is not valid: its length digit is wrong. Check that no digit is missing or extra.",
  },
});

/** Why an uploaded BgMax file was refused; `{line}` is the 1-based line, `{field}` a label from bgMaxFieldLabels. */
export const bgMaxMessages = defineMessages({
  sv: {
    empty: "Filen är tom.",
    not_bgmax: "Filen är inte en BgMax-fil från Bankgirot (rad {line} ska vara en startpost, TK01 med BGMAX).",
    layout_version: "Filen har en BgMax-version vi inte kan läsa (rad {line}).",
    bad_character: "Rad {line} innehåller ett otillåtet tecken (till exempel en tabb). Använd filen som den kom från banken.",
    record_too_long: "Rad {line} är längre än 80 tecken. Filen är inte en BgMax-fil eller har ändrats.",
    record_too_short: "Rad {line} är för kort för sin posttyp. Filen är inte en BgMax-fil eller har ändrats.",
    bad_field: "Rad {line}: fältet {field} har ett ogiltigt värde.",
    unexpected_record: "Rad {line} står på fel plats i filen.",
    deposit_not_closed: "Insättningen som börjar på rad {line} avslutas aldrig (insättningspost TK15 saknas).",
    missing_end: "Filen slutar utan slutpost (TK70). Den kan vara avkortad.",
    currency: "Rad {line}: valutan är inte SEK. Vi tar bara emot betalningar i kronor.",
    deposit_count: "Rad {line}: antalet betalningar stämmer inte med insättningen.",
    deposit_sum: "Rad {line}: betalningarnas summa stämmer inte med insatt belopp.",
    end_count: "Rad {line}: slutpostens antal ({field}) stämmer inte med filens innehåll.",
  } satisfies Record<BgMaxProblem, string>,
  en: {
    empty: "The file is empty.",
    not_bgmax: "The file is not a BgMax file from Bankgirot (line {line} must be an opening record, TK01 with BGMAX).",
    layout_version: "The file has a BgMax version we cannot read (line {line}).",
    bad_character: "Line {line} contains a character that is not allowed (a tab, for example). Use the file as it came from the bank.",
    record_too_long: "Line {line} is longer than 80 characters. The file is not a BgMax file or has been changed.",
    record_too_short: "Line {line} is too short for its record type. The file is not a BgMax file or has been changed.",
    bad_field: "Line {line}: the field {field} has a value that is not valid.",
    unexpected_record: "Line {line} is in the wrong place in the file.",
    deposit_not_closed: "The deposit that starts on line {line} never ends (deposit record TK15 is missing).",
    missing_end: "The file ends without a closing record (TK70). It may have been cut short.",
    currency: "Line {line}: the currency is not SEK. We only accept payments in kronor.",
    deposit_count: "Line {line}: the number of payments does not match the deposit.",
    deposit_sum: "Line {line}: the payments do not add up to the amount deposited.",
    end_count: "Line {line}: the closing record's count ({field}) does not match the file.",
  },
});

export const bgMaxFieldLabels = defineMessages({
  sv: {
    layoutName: "layoutnamn",
    layoutVersion: "version",
    timestamp: "tidsstämpel",
    testMark: "testmarkering",
    transactionCode: "transaktionskod",
    bankgiro: "mottagarens bankgironummer",
    plusgiro: "mottagarens plusgironummer",
    senderBankgiro: "avsändarens bankgironummer",
    referenceCode: "referenskod",
    amount: "belopp",
    channel: "betalningskanal",
    bgcSerial: "BGC-löpnummer",
    imageMark: "avibildmarkering",
    deductionCode: "avdragskod",
    payerId: "organisationsnummer",
    bankAccount: "bankkonto",
    date: "betalningsdag",
    depositSerial: "insättningens löpnummer",
    paymentCount: "antal betalningar",
    depositType: "insättningstyp",
    payments: "betalningsposter",
    deductions: "avdragsposter",
    extraReferences: "extra referensnummerposter",
    deposits: "insättningsposter",
  } satisfies Record<BgMaxField, string>,
  en: {
    layoutName: "layout name",
    layoutVersion: "version",
    timestamp: "timestamp",
    testMark: "test mark",
    transactionCode: "transaction code",
    bankgiro: "payee's bankgiro number",
    plusgiro: "payee's plusgiro number",
    senderBankgiro: "sender's bankgiro number",
    referenceCode: "reference code",
    amount: "amount",
    channel: "payment channel",
    bgcSerial: "BGC serial number",
    imageMark: "image mark",
    deductionCode: "deduction code",
    payerId: "organisation number",
    bankAccount: "bank account",
    date: "payment date",
    depositSerial: "deposit serial number",
    paymentCount: "number of payments",
    depositType: "deposit type",
    payments: "payment records",
    deductions: "deduction records",
    extraReferences: "extra reference records",
    deposits: "deposit records",
  },
});

/** The sentence to show staff for a refused file, in their language. */
export function bgMaxErrorText(error: { problem: BgMaxProblem; line: number; field?: BgMaxField }, locale: Locale): string {
  return fill(bgMaxMessages(locale)[error.problem], { line: error.line, field: error.field ? bgMaxFieldLabels(locale)[error.field] : "" });
}

/** The words on a bank invoice PDF, in the buyer's language. */
export const invoicePdfMessages = defineMessages({
  sv: {
    title: "Faktura",
    invoiceNumber: "Fakturanummer",
    issueDate: "Fakturadatum",
    dueDate: "Förfallodatum",
    ocr: "OCR-nummer",
    orgNumber: "Org.nr",
    billTo: "Faktureras till",
    yourReference: "Er referens",
    description: "Beskrivning",
    goal: "Lokalt mål",
    amount: "Belopp",
    total: "Att betala",
    bankgiro: "Bankgiro",
    amountToPay: "Belopp",
    instruction: "Betala till bankgiro {bankgiro} med OCR-nummer {ocr} senast {due}. Ange bara OCR-numret som meddelande, så hittar vi din betalning.",
  },
  en: {
    title: "Invoice",
    invoiceNumber: "Invoice number",
    issueDate: "Invoice date",
    dueDate: "Due date",
    ocr: "OCR reference",
    orgNumber: "Reg. no.",
    billTo: "Bill to",
    yourReference: "Your reference",
    description: "Description",
    goal: "Local goal",
    amount: "Amount",
    total: "Amount due",
    bankgiro: "Bankgiro",
    amountToPay: "Amount",
    instruction: "Pay to bankgiro {bankgiro} with OCR reference {ocr} by {due}. Give only the OCR reference as the message, so that we can find your payment.",
  },
});

/** For staff when an invoice cannot be made: which of the charity's settings to fill in or correct. */
export const invoiceSettingsMessages = defineMessages({
  sv: {
    missing_settings: "Fakturan kan inte skapas förrän organisationens inställningar är ifyllda: {settings}.",
    invalid_settings: "Fakturan kan inte skapas: kontrollera organisationens inställningar: {settings}.",
    name: "namn",
    organisationNumber: "organisationsnummer",
    address: "postadress",
    bankgiro: "bankgironummer",
  },
  en: {
    missing_settings: "The invoice cannot be made until the organisation's settings are filled in: {settings}.",
    invalid_settings: "The invoice cannot be made: check the organisation's settings: {settings}.",
    name: "name",
    organisationNumber: "organisation number",
    address: "postal address",
    bankgiro: "bankgiro number",
  },
});

export function invoiceSettingsErrorText(error: { problem: "missing_settings" | "invalid_settings"; settings: ReadonlyArray<"name" | "organisationNumber" | "address" | "bankgiro"> }, locale: Locale): string {
  const t = invoiceSettingsMessages(locale);
  return fill(t[error.problem], { settings: error.settings.map((s) => t[s]).join(", ") });
}

/** Why a BgMax payment waits for staff, as shown in the list of payments to resolve. */
export const unmatchedPaymentMessages = defineMessages({
  sv: {
    deduction: "Avdrag: betalaren har dragit av ett belopp (till exempel en kreditfaktura).",
    multiple_references: "Betalningen anger flera referenser: fördela beloppet mellan fakturorna.",
    no_reference: "Betalningen saknar referens.",
    invalid_reference: "Referensen är inte ett giltigt OCR-nummer.",
    unknown_reference: "Ingen obetald faktura har det här OCR-numret.",
    other_payee: "Betalningen gick till ett annat bankgironummer än organisationens.",
  } satisfies Record<UnmatchedReason, string>,
  en: {
    deduction: "Deduction: the payer took an amount off (a credit note, for example).",
    multiple_references: "The payment names several references: split the amount between the invoices.",
    no_reference: "The payment has no reference.",
    invalid_reference: "The reference is not a valid OCR reference.",
    unknown_reference: "No unpaid invoice has this OCR reference.",
    other_payee: "The payment went to a bankgiro number other than the organisation's.",
  },
});
