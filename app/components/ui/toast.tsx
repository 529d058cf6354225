import { useSearchParams } from "@remix-run/react";
import type { Tone } from "./badge";
import { uiMessages } from "~/i18n/ui";
import { useLocale } from "~/i18n/use-locale";

/**
 * The message after a redirect ("saved", "created"). The live region is always rendered, so a
 * message that appears when JavaScript follows the redirect is announced; without JavaScript the
 * message is simply part of the new page, near its top.
 */
export function Toast({ message, tone = "success" }: { message: string | null | undefined; tone?: Tone }) {
  return (
    <div role="status" className="toast-region">
      {message ? <p className={`toast toast-${tone}`}>{message}</p> : null}
    </div>
  );
}

type DoneKey = "saved" | "created" | "removed" | "sent";

/**
 * The message a redirect asked for with `?done=<key>`: an action answers
 * `redirect(\`${here}?done=saved\`)` and the page shows "Ändringarna är sparade." in the reader's
 * language. `messages` adds or overrides keys for one page.
 */
export function useDoneMessage(messages: Record<string, string> = {}): string | null {
  const [search] = useSearchParams();
  const t: Record<string, string> = uiMessages(useLocale());
  const key = search.get("done");
  if (!key) return null;
  return messages[key] ?? t[`done_${key as DoneKey}`] ?? null;
}

/** A Toast for `?done=<key>` (see useDoneMessage). */
export function DoneToast({ messages }: { messages?: Record<string, string> }) {
  return <Toast message={useDoneMessage(messages)} />;
}
