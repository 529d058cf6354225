import { data } from "@remix-run/node";
import { badInputMessages, type BadInputBody } from "~/i18n/bad-input";
import { getLocale } from "~/i18n/locale.server";
import { defaultLocale } from "~/i18n/messages";
import { ServiceError } from "~/services/errors";
import { hasControlCharacters } from "~/utils/control-characters";

/** Turns a service's typed error into a 4xx response; anything else is rethrown (a real 500). */
export function toErrorResponse(error: unknown) {
  if (error instanceof ServiceError) {
    return data({ ok: false as const, error: error.message, fieldErrors: error.fieldErrors ?? {} }, { status: error.status });
  }
  throw error;
}

/** Runs a service call; typed errors become 4xx responses thrown to the route's error boundary. */
export async function orThrowResponse<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServiceError) {
      throw new Response(error.message, { status: error.status, statusText: error.message });
    }
    throw error;
  }
}


/**
 * The request's form, checked by the one rule for text input: a body that is not a form (JSON, a
 * broken multipart body) or a field (name, value or file name) with a control character
 * (`hasControlCharacters`: NUL and the other C0 characters but tab, line feed and carriage return)
 * is bad input. Every action reads its form here before it writes anything, so such a request gets a
 * 400 with a message in the reader's language (the error page shows it) and nothing is written.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw await badInput(request, "bad_form");
  }
  for (const [name, value] of form) {
    if (hasControlCharacters(name) || hasControlCharacters(typeof value === "string" ? value : value.name)) {
      throw await badInput(request, "control_characters");
    }
  }
  return form;
}

async function badInput(request: Request, error: BadInputBody["error"]): Promise<Response> {
  const locale = await getLocale(request).catch(() => defaultLocale);
  const t = badInputMessages(locale);
  const body: BadInputBody = { error, locale, message: error === "bad_form" ? t.badForm : t.controlCharacters };
  return Response.json(body, { status: 400, statusText: error, headers: { "Cache-Control": "no-store" } });
}
