/** Typed errors thrown by services and turned into 4xx responses in one place (app/utils/http.server.ts). */
export class ServiceError extends Error {
  /** Values for `{name}` placeholders in the message's and field messages' texts (e.g. when and by whom). */
  params?: Record<string, string | number>;
  constructor(
    public status: 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429,
    message: string,
    public fieldErrors?: Record<string, string>,
    /** Headers the 4xx carries (a 429's Retry-After). */
    public headers?: Record<string, string>,
  ) {
    super(message);
  }
}
export class NotFound extends ServiceError {
  constructor(message = "not_found") {
    super(404, message);
  }
}
export class Forbidden extends ServiceError {
  constructor(message = "forbidden") {
    super(403, message);
  }
}
/** It existed and was taken down (a collection staff hid): 410 to the public. */
export class Gone extends ServiceError {
  constructor(message = "gone") {
    super(410, message);
  }
}
export class Conflict extends ServiceError {
  constructor(message = "conflict") {
    super(409, message);
  }
}
export class Invalid extends ServiceError {
  constructor(message: string, fieldErrors?: Record<string, string>) {
    super(400, message, fieldErrors);
  }
}

/** zod issues as field error codes: the first issue's message per field (`_form` when it names none). */
export function fieldErrorCodes(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "_form")] ??= issue.message;
  return out;
}

/** The error with values for its texts' placeholders (see `failureOf`). */
export function withParams<E extends ServiceError>(error: E, params: Record<string, string | number>): E {
  error.params = params;
  return error;
}
