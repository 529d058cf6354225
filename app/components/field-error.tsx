/**
 * The app's own message for a field, next to it, instead of the browser's bubbles (forms that use
 * it set `noValidate`). The input points at the message with `aria-describedby` and says it is
 * invalid with `aria-invalid`, so a screen reader reads the message with the field.
 */
export function errorIdFor(id: string): string {
  return `${id}-error`;
}

/** Props for the input: `aria-invalid` and `aria-describedby` (a hint first, then the message). */
export function fieldAria(id: string, message: string | null | undefined, hintId?: string) {
  const describedBy = [hintId, message ? errorIdFor(id) : null].filter(Boolean).join(" ");
  return { "aria-invalid": message ? true : undefined, "aria-describedby": describedBy || undefined } as const;
}

export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={errorIdFor(id)}>
      {message}
    </p>
  );
}
