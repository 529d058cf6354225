import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { fieldErrorMessages, translateFieldErrors } from "~/i18n/identity-messages";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { addMember, getOrganisation, removeMember, setMemberAdmin } from "~/services/organisations/organisations.server";
import { idParamOr404 } from "~/services/auth/validation";
import { requireStaff } from "~/utils/auth.server";
import { orThrowResponse, readForm, toErrorResponse } from "~/utils/http.server";

const messages = defineMessages({
  sv: {
    back: "Alla organisationer",
    orgNumber: "Organisationsnummer",
    unknown: "ej angivet",
    contacts: "Kontaktpersoner",
    none: "Inga kontaktpersoner ännu.",
    addHeading: "Lägg till kontaktperson",
    email: "E-postadress",
    isAdmin: "Administratör för organisationen",
    add: "Lägg till",
    remove: "Ta bort",
    makeAdmin: "Gör till administratör",
    unmakeAdmin: "Ta bort administratörsrätt",
    admin: "administratör",
    saved: "Ändringen är sparad.",
    invalid: "Kontrollera fälten.",
    not_found: "Hittades inte.",
    ownPage: "Organisationens egen sida",
  },
  en: {
    back: "All organisations",
    orgNumber: "Organisation number",
    unknown: "not given",
    contacts: "Contacts",
    none: "No contacts yet.",
    addHeading: "Add a contact",
    email: "Email address",
    isAdmin: "Administrator of the organisation",
    add: "Add",
    remove: "Remove",
    makeAdmin: "Make administrator",
    unmakeAdmin: "Remove administrator right",
    admin: "administrator",
    saved: "The change is saved.",
    invalid: "Check the fields.",
    not_found: "Not found.",
    ownPage: "The organisation's own page",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organisation.name} – Lokala mål` : "Lokala mål" }];

function organisationIdOf(params: Record<string, string | undefined>): number {
  return idParamOr404(params.organisationId);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const id = organisationIdOf(params);
  const db = await getDb();
  const { organisation, members } = await orThrowResponse(() => getOrganisation(db, user, id));
  return {
    locale: await getLocale(request),
    organisation: { id: organisation.id, name: organisation.name, orgNumber: organisation.orgNumber },
    members,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const id = organisationIdOf(params);
  const input = Object.fromEntries(await readForm(request));
  const db = await getDb();
  const personId = input.personId;
  try {
    if (input.intent === "add") await addMember(db, user, id, input);
    else if (input.intent === "remove") await removeMember(db, user, id, personId);
    else if (input.intent === "admin") await setMemberAdmin(db, user, id, personId, input.isAdmin === "true");
    else return data({ ok: false as const, error: "invalid", fieldErrors: {} as Record<string, string> }, { status: 400 });
    return { ok: true as const };
  } catch (error) {
    return toErrorResponse(error);
  }
}

export default function AdminOrganisation() {
  const { locale, organisation, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const errors = result && !result.ok ? translateFieldErrors(result.fieldErrors, fieldErrorMessages(locale)) : {};
  return (
    <section aria-labelledby="org-heading">
      <p>
        <Link to="/admin/organisations">{t.back}</Link>
      </p>
      <h1 id="org-heading">{organisation.name}</h1>
      <p>
        {t.orgNumber}: {organisation.orgNumber ?? t.unknown} · <Link to={`/org/${organisation.id}`}>{t.ownPage}</Link>
      </p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t.saved}
        </p>
      ) : result ? (
        <p className="form-error" role="alert">
          {result.error === "not_found" ? t.not_found : t.invalid}
        </p>
      ) : null}
      <h2>{t.contacts}</h2>
      {members.length ? (
        <ul>
          {members.map((m) => (
            <li key={m.personId}>
              {m.email}
              {m.name ? ` (${m.name})` : ""}
              {m.isAdmin ? ` – ${t.admin}` : ""}{" "}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="admin" />
                <input type="hidden" name="personId" value={m.personId} />
                <input type="hidden" name="isAdmin" value={m.isAdmin ? "false" : "true"} />
                <button type="submit" className="link-button">
                  {m.isAdmin ? t.unmakeAdmin : t.makeAdmin}
                </button>
              </Form>{" "}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="personId" value={m.personId} />
                <button type="submit" className="link-button">
                  {t.remove}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t.none}</p>
      )}
      <h2>{t.addHeading}</h2>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="add" />
        <div>
          <label htmlFor="member-email">{t.email}</label>
          <input id="member-email" type="email" name="email" required aria-describedby={errors.email ? "member-email-error" : undefined} />
          {errors.email ? (
            <p id="member-email-error" className="field-error">
              {errors.email}
            </p>
          ) : null}
        </div>
        <div>
          <input id="member-admin" type="checkbox" name="isAdmin" />{" "}
          <label htmlFor="member-admin" style={{ display: "inline" }}>
            {t.isAdmin}
          </label>
        </div>
        <p>
          <button type="submit" className="button">
            {t.add}
          </button>
        </p>
      </Form>
    </section>
  );
}
