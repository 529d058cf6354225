import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { Honeypot, honeypotTripped } from "~/components/honeypot";
import { fieldErrorMessages } from "~/i18n/identity-messages";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages, fill } from "~/i18n/messages";
import { RateLimited, requestSignInLink, SIGN_IN_MIN_RESPONSE_MS } from "~/services/auth/login.server";
import { safeReturnTo } from "~/services/auth/return-to";
import { devMailboxEnabled } from "~/services/email/dev-mailbox.server";
import { getCurrentUser } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/http.server";
import { rejectSubmission } from "~/utils/forms.server";
import { loginSchema } from "~/validation/login";
import { parseForm } from "~/validation/parse";
import { AppForm, EmailField, useAppForm } from "~/components/form";

const messages = defineMessages({
  sv: {
    title: "Logga in – Lokala mål",
    heading: "Logga in",
    intro: "Skriv din e-postadress så skickar vi en inloggningslänk. Är du ny hos oss skapas ditt konto när du använder länken. Har du gett en gåva? Använd adressen du gav med, så ser du dina gåvor och kvitton. Länken gäller i 15 minuter och kan bara användas en gång.",
    email: "E-postadress",
    submit: "Skicka inloggningslänk",
    sentHeading: "Kolla din e-post",
    sent: "Vi har skickat en inloggningslänk till {email}. Den gäller i 15 minuter. Hittar du den inte, titta i skräpposten eller kontrollera adressen.",
    again: "Skicka till en annan adress",
    devMailbox: "Lokalt läge: mejlen hamnar i utvecklarbrevlådan.",
    devMailboxLink: "Öppna utvecklarbrevlådan",
    rateLimited: "För många inloggningsförsök. Vänta {minutes} minuter och försök igen.",
    alreadySignedIn: "Du är redan inloggad som {email}.",
    toAccount: "Till mitt konto",
    otherAddress: "Länken i mejlet öppnar {appUrl}, men du är på {here}. Webbläsaren håller dem isär, så här skulle du fortfarande vara utloggad.",
    otherAddressLink: "Logga in på {appUrl} i stället",
  },
  en: {
    title: "Sign in – Local goals",
    heading: "Sign in",
    intro: "Enter your email address and we will send you a sign-in link. New here? Your account is made when you use the link. Have you given a gift? Use the address you gave with to see your gifts and receipts. The link is valid for 15 minutes and can be used once.",
    email: "Email address",
    submit: "Send sign-in link",
    sentHeading: "Check your email",
    sent: "We have sent a sign-in link to {email}. It is valid for 15 minutes. If you cannot find it, look in your spam folder or check the address.",
    again: "Send to another address",
    devMailbox: "Local mode: emails land in the dev mailbox.",
    devMailboxLink: "Open the dev mailbox",
    rateLimited: "Too many sign-in attempts. Wait {minutes} minutes and try again.",
    alreadySignedIn: "You are already signed in as {email}.",
    toAccount: "Go to my account",
    otherAddress: "The link in the email opens {appUrl}, but you are on {here}. Your browser keeps them apart, so here you would still be signed out.",
    otherAddressLink: "Sign in at {appUrl} instead",
  },
});

// Retry-After on a 429 answer.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const user = await getCurrentUser(request);
  const url = new URL(request.url);
  const returnTo = safeReturnTo(url.searchParams.get("returnTo"));
  // Locally the app answers on localhost and 127.0.0.1 alike, but emailed links go to APP_URL only.
  const { appUrl, production } = env();
  const elsewhere = !production && new URL(appUrl).origin !== url.origin ? { appUrl, here: url.origin } : null;
  return { locale, returnTo, signedInAs: user?.email ?? null, devMailbox: devMailboxEnabled(), elsewhere };
}

type ActionResult = { ok: true; email: string } | { ok: false; status: 429; fieldErrors: Record<string, string>; formError: string; values: { email: string } };

export async function action({ request, context }: ActionFunctionArgs) {
  const locale = await getLocale(request);
  const form = await readForm(request);
  // A bot filled the hidden field: the same answer as a real request, and nothing is sent.
  if (honeypotTripped(form)) return data<ActionResult>({ ok: true, email: String(form.get("email") ?? "").slice(0, 254) });
  const submission = parseForm(form, loginSchema);
  if (submission.status !== "success") return rejectSubmission(submission, locale, fieldErrorMessages);
  const email = submission.value.email;
  const config = env();
  try {
    await requestSignInLink(await getDb(), {
      email,
      locale,
      returnTo: submission.value.returnTo ?? "",
      clientKey: context?.clientIp ?? "unknown",
      appUrl: config.appUrl,
      adminEmails: config.adminEmails,
      minDurationMs: SIGN_IN_MIN_RESPONSE_MS,
    });
  } catch (error) {
    if (error instanceof RateLimited) {
      const minutes = Math.max(1, Math.ceil(error.retryAfterS / 60));
      return data<ActionResult>(
        { ok: false, status: 429, fieldErrors: {}, formError: fill(messages(locale).rateLimited, { minutes }), values: { email } },
        { status: 429, headers: { "Retry-After": String(error.retryAfterS) } },
      );
    }
    throw error;
  }
  return data<ActionResult>({ ok: true, email });
}

export default function Login() {
  const { locale, returnTo, signedInAs, devMailbox, elsewhere } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  if (result?.ok) {
    return (
      <section className="prose" aria-labelledby="login-heading">
        <h1 id="login-heading">{t.sentHeading}</h1>
        <p className="notice" role="status">
          {fill(t.sent, { email: result.email })}
        </p>
        {devMailbox ? (
          <p>
            {t.devMailbox} <Link to="/dev/mail">{t.devMailboxLink}</Link>
          </p>
        ) : null}
        <p>
          <Link to="/login">{t.again}</Link>
        </p>
      </section>
    );
  }
  const f = useAppForm({ id: "login", schema: loginSchema, result, messages: fieldErrorMessages });
  return (
    <section aria-labelledby="login-heading">
      <h1 id="login-heading">{t.heading}</h1>
      {signedInAs ? (
        <p className="notice">
          {fill(t.alreadySignedIn, { email: signedInAs })} <Link to="/account">{t.toAccount}</Link>
        </p>
      ) : null}
      <p>{t.intro}</p>
      {elsewhere ? (
        <p className="notice" data-testid="other-address">
          {fill(t.otherAddress, elsewhere)}{" "}
          <a href={`${elsewhere.appUrl}/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ""}`}>{fill(t.otherAddressLink, elsewhere)}</a>
        </p>
      ) : null}
      {result && !result.ok && "formError" in result ? (
        <p className="form-error" role="alert">
          {result.formError}
        </p>
      ) : null}
      <AppForm of={f} className="stack">
        <EmailField meta={f.fields.email} label={t.email} />
        {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
        <Honeypot />
        <p>
          <button type="submit" className="button">
            {t.submit}
          </button>
        </p>
      </AppForm>
    </section>
  );
}
