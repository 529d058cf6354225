import { defineMessages } from "~/i18n/messages";
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
