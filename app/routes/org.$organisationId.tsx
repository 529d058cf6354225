import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { defineMessages } from "~/i18n/messages";
import { getOrganisation } from "~/services/organisations/organisations.server";
import { idParamOr404 } from "~/services/auth/validation";
import { requireOrgMember } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";
import { DataTable } from "~/components/data-table";

const messages = defineMessages({
  sv: {
    orgNumber: "Organisationsnummer",
    unknown: "ej angivet",
    contacts: "Kontaktpersoner",
    email: "E-post",
    name: "Namn",
    admin: "Administratör",
    yes: "Ja",
    no: "Nej",
    demo: "Demo",
    later: "Här kommer organisationens partnerskap, gåvor och insamlingar att visas.",
  },
  en: {
    orgNumber: "Organisation number",
    unknown: "not given",
    contacts: "Contacts",
    email: "Email",
    name: "Name",
    admin: "Administrator",
    yes: "Yes",
    no: "No",
    demo: "Demo",
    later: "The organisation's partnership, gifts and collections will be shown here.",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organisation.name} – Lokala mål` : "Lokala mål" }];

/** An organisation's own page: its contacts and staff only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrgMember(request, params.organisationId);
  const organisationId = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  const { organisation, members } = await orThrowResponse(() => getOrganisation(ctx, organisationId));
  return {
    locale: ctx.locale,
    organisation: { id: organisation.id, name: organisation.name, orgNumber: organisation.orgNumber, demo: organisation.demo },
    members: members.map((m) => ({ email: m.email, name: m.name, isAdmin: m.isAdmin })),
  };
}

export default function OrganisationPage() {
  const { locale, organisation, members } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <section aria-labelledby="org-heading">
      <h1 id="org-heading" data-testid="org-name">
        {organisation.name} {organisation.demo ? <span className="tag">{t.demo}</span> : null}
      </h1>
      <p>
        {t.orgNumber}: {organisation.orgNumber ?? t.unknown}
      </p>
      <p>{t.later}</p>
      <h2>{t.contacts}</h2>
      <DataTable labelledBy="org-heading" columns={[t.email, t.name, t.admin]}>
        {members.map((m) => (
          <tr key={m.email}>
            <td>{m.email}</td>
            <td>{m.name ?? ""}</td>
            <td>{m.isAdmin ? t.yes : t.no}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
