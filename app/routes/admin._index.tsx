import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { isAdmin, requireStaff } from "~/utils/auth.server";

const messages = defineMessages({
  sv: {
    title: "Administration – Lokala mål",
    heading: "Administration",
    intro: "Här arbetar Västerås stadsmissions personal.",
    goals: "Målen: texter, årsmål och globala mål",
    payments: "Betalningar, avvikelser och saldo per mål",
    allocation: "Fördelning av gåvor utan valt mål",
    organisations: "Organisationer och kontaktpersoner",
    people: "Personer och roller",
    settings: "Organisationens uppgifter i mejl",
    audit: "Händelselogg",
    email: "Utgående mejl",
  },
  en: {
    title: "Administration – Local goals",
    heading: "Administration",
    intro: "The staff area of Västerås stadsmission.",
    goals: "The goals: texts, yearly targets and Global Goals",
    payments: "Payments, anomalies and each goal's balance",
    allocation: "Split of gifts without a chosen goal",
    organisations: "Organisations and contacts",
    people: "People and roles",
    settings: "The charity's details in emails",
    audit: "Audit log",
    email: "Outgoing email",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return { locale: await getLocale(request), admin: isAdmin(user) };
}

export default function AdminHome() {
  const { locale, admin } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <section aria-labelledby="admin-heading">
      <h1 id="admin-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      <ul>
        <li>
          <Link to="/admin/goals">{t.goals}</Link>
        </li>
        <li>
          <Link to="/admin/payments">{t.payments}</Link>
        </li>
        <li>
          <Link to="/admin/allocation">{t.allocation}</Link>
        </li>
        <li>
          <Link to="/admin/organisations">{t.organisations}</Link>
        </li>
        <li>
          <Link to="/admin/settings">{t.settings}</Link>
        </li>
        {admin ? (
          <>
            <li>
              <Link to="/admin/people">{t.people}</Link>
            </li>
            <li>
              <Link to="/admin/audit">{t.audit}</Link>
            </li>
            <li>
              <Link to="/admin/email">{t.email}</Link>
            </li>
          </>
        ) : null}
      </ul>
    </section>
  );
}
