import type { ReactElement } from "react";
import type { Locale } from "~/i18n/messages";
import type { CharityIdentity } from "~/services/settings/charity";

/** What every template receives on top of its own props. */
export interface EmailContext {
  locale: Locale;
  identity: CharityIdentity;
}

/**
 * One template: a subject line and a React Email component, both in the message's language, and
 * preview props for `npm run email:preview`. Templates only render; sending is in app/services/email.
 */
export interface EmailTemplate<P = any> {
  subject(locale: Locale, props: P): string;
  component: (props: P & EmailContext) => ReactElement;
  previewProps: P;
}
