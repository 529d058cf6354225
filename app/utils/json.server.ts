import type { Locale } from "~/i18n/messages";
import { ServiceError } from "~/services/errors";
import { failureOf } from "./http.server";

/**
 * `attempt` for public JSON endpoints: the service's value as JSON, or its typed refusal as a 4xx JSON
 * body `{ ok: false, error, message, fieldErrors }` in the reader's language (never a 500, never HTML).
 */
export async function attemptJson<T>(
  locale: Locale,
  work: () => Promise<T>,
  opts: { messages?: (locale: Locale) => Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Response> {
  try {
    return Response.json(await work(), { headers: opts.headers });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const { ok, error: code, message, fieldErrors } = failureOf(error, locale, opts.messages);
    return Response.json({ ok, error: code, message, fieldErrors }, { status: error.status, headers: { ...opts.headers, ...error.headers } });
  }
}
