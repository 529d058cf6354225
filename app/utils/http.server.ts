import { data } from "@remix-run/node";
import { badInputMessages, type BadInputBody } from "~/i18n/bad-input";
import { formMessages } from "~/i18n/forms";
import { getLocale } from "~/i18n/locale.server";
import { defaultLocale, fill, type Locale } from "~/i18n/messages";
import { serviceErrorMessages } from "~/i18n/service-errors";
import { ServiceError } from "~/services/errors";
import { hasControlCharacters } from "~/utils/control-characters";

/** Turns a service's typed error into a 4xx response; anything else is rethrown (a real 500). */
export function toErrorResponse(error: unknown) {
  if (error instanceof ServiceError) {
    return data({ ok: false as const, error: error.message, fieldErrors: error.fieldErrors ?? {} }, { status: error.status });
  }
  throw error;
}

/** What an action returns when a service refused: the code, its text and each field's text in the reader's language. */
export interface ActionFailure {
  ok: false;
  error: string;
  message: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  /** The error's values for its texts (e.g. the id of the organisation a duplicate number belongs to, for a link). */
  params?: Record<string, string | number>;
}

/**
 * The one way an action runs its service call. A typed service error (Invalid, Forbidden, NotFound,
 * Conflict, …) becomes a 4xx with `ActionFailure`: codes are translated by the area's dictionary
 * (`messages`), else by the common refusal texts (app/i18n/service-errors.ts); `values` are what the
 * reader typed, sent back so the form keeps them without JavaScript. Anything else is rethrown (a
 * real 500), and a thrown Response (a redirect) passes through.
 *
 *   return attempt(ctx.locale, () => saveThing(ctx, input), { messages, values: input });
 */
export async function attempt<T>(
  locale: Locale,
  work: () => Promise<T>,
  opts: { messages?: (locale: Locale, error: ServiceError) => Record<string, string>; values?: Record<string, string> } = {},
): Promise<T | ReturnType<typeof data<ActionFailure>>> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const messages = opts.messages && ((l: Locale) => opts.messages!(l, error));
    return data(failureOf(error, locale, messages, opts.values), { status: error.status, headers: error.headers });
  }
}

/** A service error as the reader sees it (see `attempt`). */
export function failureOf(
  error: ServiceError,
  locale: Locale,
  messages?: (locale: Locale) => Record<string, string>,
  values: Record<string, string> = {},
): ActionFailure {
  const own = (messages?.(locale) ?? {}) as Record<string, string>;
  const common = serviceErrorMessages(locale) as Record<string, string>;
  // The shared field words ("required", "too_long", …) are every area's, as they are for the schema's refusals (formTexts).
  const shared = formMessages(locale) as Record<string, string>;
  const text = (code: string, fallback: string) => fill(own[code] ?? shared[code] ?? common[code] ?? fallback, error.params ?? {});
  const fieldErrors = Object.fromEntries(Object.entries(error.fieldErrors ?? {}).map(([field, code]) => [field, text(code, common.field_invalid)]));
  const generic = error.status === 403 ? common.forbidden : error.status === 404 ? common.not_found : error.status === 409 ? common.conflict : error.status === 429 ? common.too_many_requests : common.invalid;
  return { ok: false, error: error.message, message: text(error.message, generic), fieldErrors, values, ...(error.params ? { params: error.params } : {}) };
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

type FileBody = string | Uint8Array | Buffer | ReadableStream<Uint8Array>;

/**
 * A file to download (or, with `inline`, to open in the browser): the one place the headers are written.
 * The name is reduced to letters, digits, dot, hyphen and underscore, so nothing a person typed can break
 * out of the header; files are never cached (they hold personal or financial data).
 */
export function fileResponse(body: FileBody, file: { filename: string; contentType: string; inline?: boolean }): Response {
  const name = file.filename.replace(/[^\w.-]/g, "_");
  const bytes = body instanceof Uint8Array ? new Uint8Array(body) : body;
  return new Response(bytes, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `${file.inline ? "inline" : "attachment"}; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
