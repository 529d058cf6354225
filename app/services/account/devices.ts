import Bowser from "bowser";
import type { Locale } from "~/i18n/messages";
import { accountMessages } from "~/i18n/account";
import { fill } from "~/i18n/messages";

/**
 * A session's user-agent as a person would name their device: "Chrome på Android", "Safari på
 * iPhone". Parsed with bowser (a maintained parser) instead of our own patterns, which go stale as
 * browsers change their strings.
 */
export function deviceName(userAgent: string | null | undefined, locale: Locale): string {
  const t = accountMessages(locale);
  const ua = (userAgent ?? "").trim();
  if (!ua) return t.deviceUnknown;
  const parsed = Bowser.parse(ua);
  const browser = parsed.browser.name || "";
  // Apple's models are what people call their device; Android models are codes ("SM-G991B").
  const model = parsed.platform.model && /^(iPhone|iPad|iPod)/.test(parsed.platform.model) ? parsed.platform.model : "";
  const device = model || parsed.os.name || "";
  if (browser && device) return fill(t.deviceOn, { browser, device });
  if (browser) return browser;
  if (device) return fill(t.deviceOn, { browser: t.browserUnknown, device });
  return t.deviceUnknown;
}
