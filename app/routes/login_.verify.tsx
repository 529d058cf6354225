import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { consumeSignInLink, isSignInLinkUsable } from "~/services/auth/login.server";
import { safeReturnTo } from "~/services/auth/return-to";
import { getCurrentUser } from "~/utils/auth.server";
import { serializeSessionToken } from "~/utils/session-cookie.server";
import { readForm } from "~/utils/http.server";

const messages = defineMessages({
  sv: {
    title: "Logga in – Lokala mål",
    heading: "Logga in",
    confirm: "Klicka på knappen för att slutföra inloggningen.",
    submit: "Logga in",
    invalidHeading: "Länken fungerar inte",
    invalid: "Inloggningslänken är ogiltig, har redan använts eller har gått ut (den gäller i 15 minuter).",
    newLink: "Begär en ny länk",
  },
  en: {
    title: "Sign in – Local goals",
    heading: "Sign in",
    confirm: "Click the button to finish signing in.",
    submit: "Sign in",
    invalidHeading: "The link does not work",
    invalid: "The sign-in link is invalid, has already been used or has expired (it is valid for 15 minutes).",
    newLink: "Ask for a new link",
  },
});

// The token is in this page's address: never send it to another site as a Referer, never cache the page.
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

/**
 * Opening the link only shows a button: the sign-in happens on POST, so link scanners in mail
 * systems that fetch every URL cannot use up the link.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = await isSignInLinkUsable(await getDb(), token);
  return data({ locale, token: usable ? token : null }, { status: usable ? 200 : 400, headers: { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const locale = await getLocale(request);
  const form = await readForm(request);
  const previous = await getCurrentUser(request);
  const result = await consumeSignInLink(await getDb(), {
    token: String(form.get("token") ?? ""),
    userAgent: request.headers.get("User-Agent"),
    previousSessionId: previous?.sessionId ?? null,
    locale,
  });
  if (!result) return data({ ok: false as const, locale }, { status: 400 });
  // Checked again on the way out: a link stored before a rule was tightened must not redirect off-site.
  return redirect(safeReturnTo(result.returnTo) ?? "/account", { headers: { "Set-Cookie": await serializeSessionToken(result.sessionToken) } });
}

export default function VerifyLogin() {
  const { locale, token } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = messages(locale);
  if (!token || failed) {
    return (
      <section aria-labelledby="verify-heading">
        <h1 id="verify-heading">{t.invalidHeading}</h1>
        <p className="form-error" role="alert">
          {t.invalid}
        </p>
        <p>
          <Link to="/login" className="button">
            {t.newLink}
          </Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="verify-heading">
      <h1 id="verify-heading">{t.heading}</h1>
      <p>{t.confirm}</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="button">
          {t.submit}
        </button>
      </Form>
    </section>
  );
}
