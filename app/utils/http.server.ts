import { data } from "@remix-run/node";
import { ServiceError } from "~/services/errors";

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
 * The request's form. A body that is not a form (JSON, a broken multipart body) is bad input:
 * a 400 answered by the error page, never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("Formuläret kunde inte läsas / The form could not be read", { status: 400, statusText: "bad_form" });
  }
}
