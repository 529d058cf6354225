import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { listOrganisations } from "~/services/organisations/organisations.server";
import { requireUser } from "~/utils/auth.server";

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
  return { locale, email: user.email, name: user.name, roles: user.roles, organisations };
}

export default function Account() {
  const { locale, email, name, roles, organisations } = useLoaderData<typeof loader>();
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
    </section>
  );
}
