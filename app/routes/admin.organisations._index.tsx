import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { fieldErrorMessages, translateFieldErrors } from "~/i18n/identity-messages";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { createOrganisation, listOrganisations } from "~/services/organisations/organisations.server";
import { requireStaff } from "~/utils/auth.server";
import { readForm, toErrorResponse } from "~/utils/http.server";

const messages = defineMessages({
  sv: {
    title: "Organisationer – Lokala mål",
    heading: "Organisationer",
    name: "Namn",
    orgNumber: "Organisationsnummer (valfritt)",
    create: "Lägg till organisation",
    createHeading: "Ny organisation",
    empty: "Inga organisationer ännu.",
    demo: "demo",
  },
  en: {
    title: "Organisations – Local goals",
    heading: "Organisations",
    name: "Name",
    orgNumber: "Organisation number (optional)",
    create: "Add organisation",
    createHeading: "New organisation",
    empty: "No organisations yet.",
    demo: "demo",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const organisations = await listOrganisations(await getDb(), user);
  return { locale: await getLocale(request), organisations: organisations.map((o) => ({ id: o.id, name: o.name, orgNumber: o.orgNumber, demo: o.demo })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const input = Object.fromEntries(await readForm(request));
  try {
    const org = await createOrganisation(await getDb(), user, input);
    return redirect(`/admin/organisations/${org.id}`);
  } catch (error) {
    return toErrorResponse(error);
  }
}

export default function AdminOrganisations() {
  const { locale, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const errors = result && !result.ok ? translateFieldErrors(result.fieldErrors, fieldErrorMessages(locale)) : {};
  return (
    <section aria-labelledby="orgs-heading">
      <h1 id="orgs-heading">{t.heading}</h1>
      {organisations.length ? (
        <ul>
          {organisations.map((o) => (
            <li key={o.id}>
              <Link to={`/admin/organisations/${o.id}`}>{o.name}</Link>
              {o.orgNumber ? ` (${o.orgNumber})` : ""} {o.demo ? <span className="tag">{t.demo}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t.empty}</p>
      )}
      <h2>{t.createHeading}</h2>
      <Form method="post" className="stack">
        <div>
          <label htmlFor="org-name">{t.name}</label>
          <input id="org-name" type="text" name="name" required aria-describedby={errors.name ? "org-name-error" : undefined} />
          {errors.name ? (
            <p id="org-name-error" className="field-error">
              {errors.name}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="org-number">{t.orgNumber}</label>
          <input id="org-number" type="text" name="orgNumber" inputMode="numeric" aria-describedby={errors.orgNumber ? "org-number-error" : undefined} />
          {errors.orgNumber ? (
            <p id="org-number-error" className="field-error">
              {errors.orgNumber}
            </p>
          ) : null}
        </div>
        <p>
          <button type="submit" className="button">
            {t.create}
          </button>
        </p>
      </Form>
    </section>
  );
}
