import { defineMessages, isLocale, type Locale } from "./messages";

/**
 * What the shared input rules answer (readForm, and the request guards in server.mjs): texts that
 * cannot be stored or routed are refused with a 400 before anything is written.
 */
export const badInputMessages = defineMessages({
  sv: {
    badForm: "Formuläret kunde inte läsas. Gå tillbaka, ladda om sidan och försök igen.",
    controlCharacters:
      "Formuläret innehåller ett otillåtet tecken (ett osynligt styrtecken, till exempel NUL). Ta bort det ur fältet och försök igen. Inget har sparats.",
    badAddress: "Adressen innehåller ett otillåtet tecken (ett osynligt styrtecken, till exempel NUL). Kontrollera adressen och försök igen.",
    wrongHost: "Den här servern svarar inte för det värdnamnet. Öppna sidan via sin vanliga adress.",
    noLength: "Förfrågan saknar längd. Inget har sparats.",
    tooLarge: "Det du skickade är för stort (högst 1 MB). Gå tillbaka och försök igen med mindre innehåll. Inget har sparats.",
    tooLargeUpload: "Bilden är för stor: en bild får vara högst 2 MB. Gå tillbaka och välj en mindre bild. Inget har sparats.",
  },
  en: {
    badForm: "The form could not be read. Go back, reload the page and try again.",
    controlCharacters:
      "The form contains a character that is not allowed (an invisible control character such as NUL). Remove it from the field and try again. Nothing was saved.",
    badAddress: "The address contains a character that is not allowed (an invisible control character such as NUL). Check the address and try again.",
    wrongHost: "This server does not answer for that host name. Open the page at its usual address.",
    noLength: "The request has no declared length. Nothing was saved.",
    tooLarge: "What you sent is too large (at most 1 MB). Go back and try again with less. Nothing was saved.",
    tooLargeUpload: "The image is too large: an image may be at most 2 MB. Go back and choose a smaller image. Nothing was saved.",
  },
});

/** The body of a 400 that readForm throws. It carries the reader's language because the root loader does not run when an action fails. */
export interface BadInputBody {
  error: "bad_form" | "control_characters";
  locale: Locale;
  message: string;
}

export function badInputOf(data: unknown): BadInputBody | undefined {
  if (!data || typeof data !== "object") return undefined;
  const body = data as Partial<BadInputBody>;
  if ((body.error === "bad_form" || body.error === "control_characters") && isLocale(body.locale) && typeof body.message === "string") {
    return body as BadInputBody;
  }
  return undefined;
}
