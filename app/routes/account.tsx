import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { listSessionsOf, revokeSessionsOf } from "~/services/auth/sessions.server";
import { listOrganisations } from "~/services/organisations/organisations.server";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { clearSessionCookie } from "~/utils/session-cookie.server";
import { readForm } from "~/utils/http.server";

const messages = defineMessages({
  sv: {
    title: "Mitt konto – Lokala mål",
    heading: "Mitt konto",
    signedInAs: "Inloggad som",
    roles: "Roller",
    role_admin: "Administratör",
    role_fundraiser: "Insamlare",
    organisations: "Mina organisationer",
    orgAdmin: "administratör",
    noOrganisations: "Du är inte kontaktperson för någon organisation.",
    staffArea: "Till administrationen",
    signOut: "Logga ut",
    sessions: "Inloggningar",
    sessionsIntro: "Här är du inloggad just nu. En inloggning avslutas efter två timmar utan aktivitet och senast efter tolv timmar.",
    signedInAt: "Inloggad",
    lastSeen: "Senast aktiv",
    device: "Webbläsare",
    thisDevice: "den här",
    signOutEverywhere: "Logga ut överallt",
  },
  en: {
    title: "My account – Local goals",
    heading: "My account",
    signedInAs: "Signed in as",
    roles: "Roles",
    role_admin: "Administrator",
    role_fundraiser: "Fundraiser",
    organisations: "My organisations",
    orgAdmin: "administrator",
    noOrganisations: "You are not a contact of any organisation.",
    staffArea: "Go to administration",
    signOut: "Sign out",
    sessions: "Sign-ins",
    sessionsIntro: "You are signed in here right now. A sign-in ends after two hours without activity and after twelve hours at most.",
    signedInAt: "Signed in",
    lastSeen: "Last active",
    device: "Browser",
    thisDevice: "this one",
    signOutEverywhere: "Sign out everywhere",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request);
  const memberOf = new Map(user.organisations.map((m) => [m.organisationId, m.isAdmin]));
  const organisations = (await listOrganisations(await getDb(), user))
    .filter((o) => memberOf.has(o.id))
    .map((o) => ({ id: o.id, name: o.name, isAdmin: memberOf.get(o.id) ?? false }));
  const sessions = (await listSessionsOf(await getDb(), user.personId))
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
    .map((s) => ({
      current: s.id === user.sessionId,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      userAgent: (s.userAgent ?? "").slice(0, 80),
    }));
  return { locale, email: user.email, name: user.name, roles: user.roles, organisations, sessions };
}

/** "Sign out everywhere": ends every session of the signed-in person, this one included. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  if (form.get("intent") !== "sign-out-everywhere") return data({ ok: false }, { status: 400 });
  await revokeSessionsOf(await getDb(), user.personId, user.personId);
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export default function Account() {
  const { locale, email, name, roles, organisations, sessions } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <section aria-labelledby="account-heading">
      <h1 id="account-heading">{t.heading}</h1>
      <p>
        {t.signedInAs} <strong data-testid="account-email">{email}</strong>
        {name ? ` (${name})` : ""}
      </p>
      {roles.length ? (
        <>
          <h2>{t.roles}</h2>
          <p>{roles.map((r) => (r === "admin" ? t.role_admin : t.role_fundraiser)).join(", ")}</p>
          <p>
            <Link to="/admin">{t.staffArea}</Link>
          </p>
        </>
      ) : null}
      <h2>{t.organisations}</h2>
      {organisations.length ? (
        <ul>
          {organisations.map((o) => (
            <li key={o.id}>
              <Link to={`/org/${o.id}`}>{o.name}</Link>
              {o.isAdmin ? ` (${t.orgAdmin})` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t.noOrganisations}</p>
      )}
      <Form method="post" action="/logout">
        <button type="submit" className="button secondary">
          {t.signOut}
        </button>
      </Form>
      <h2>{t.sessions}</h2>
      <p>{t.sessionsIntro}</p>
      <ul>
        {sessions.map((s, i) => (
          <li key={i}>
            {t.signedInAt} {formatDateTime(s.createdAt, locale)} · {t.lastSeen} {formatDateTime(s.lastSeenAt, locale)}
            {s.userAgent ? ` · ${t.device}: ${s.userAgent}` : ""}
            {s.current ? ` (${t.thisDevice})` : ""}
          </li>
        ))}
      </ul>
      <Form method="post">
        <input type="hidden" name="intent" value="sign-out-everywhere" />
        <button type="submit" className="button secondary">
          {t.signOutEverywhere}
        </button>
      </Form>
    </section>
  );
}
