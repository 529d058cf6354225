import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { fieldErrorMessages, translateFieldErrors } from "~/i18n/identity-messages";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { listPeople } from "~/services/people/people.server";
import { addStaffMember, changeRole, revokeSessions } from "~/services/people/staff.server";
import { requireAdmin } from "~/utils/auth.server";
import { readForm } from "~/utils/http.server";
import { DataTable } from "~/components/data-table";
import { FieldError, fieldAria } from "~/components/field-error";
import { ServiceError } from "~/services/errors";

const messages = defineMessages({
  sv: {
    title: "Personer och roller – Lokala mål",
    heading: "Personer och roller",
    addHeading: "Lägg till personal",
    email: "E-postadress",
    role: "Roll",
    role_admin: "Administratör",
    role_fundraiser: "Insamlare",
    add: "Lägg till",
    person: "Person",
    roles: "Roller",
    organisations: "Organisationer",
    actions: "Åtgärder",
    grant: "Ge roll {role}",
    revoke: "Ta bort roll {role}",
    revokeSessions: "Logga ut överallt",
    saved: "Ändringen är sparad.",
    sessionsRevoked: "Personens sessioner är avslutade.",
    last_admin: "Den sista administratören kan inte tas bort.",
    not_found: "Personen finns inte.",
    invalid_input: "Kontrollera fälten.",
    demo: "demo",
  },
  en: {
    title: "People and roles – Local goals",
    heading: "People and roles",
    addHeading: "Add a staff member",
    email: "Email address",
    role: "Role",
    role_admin: "Administrator",
    role_fundraiser: "Fundraiser",
    add: "Add",
    person: "Person",
    roles: "Roles",
    organisations: "Organisations",
    actions: "Actions",
    grant: "Give role {role}",
    revoke: "Remove role {role}",
    revokeSessions: "Sign out everywhere",
    saved: "The change is saved.",
    sessionsRevoked: "The person's sessions have been ended.",
    last_admin: "The last administrator cannot be removed.",
    not_found: "The person does not exist.",
    invalid_input: "Check the fields.",
    demo: "demo",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { locale: await getLocale(request), people: await listPeople(await getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireAdmin(request);
  const input = Object.fromEntries([...(await readForm(request)).entries()].map(([k, v]) => [k, String(v)]));
  const db = await getDb();
  try {
    switch (input.intent) {
      case "add":
        await addStaffMember(db, actor, input);
        return { ok: true as const, done: "saved" as const };
      case "grant":
      case "revoke":
        await changeRole(db, actor, input, input.intent === "grant");
        return { ok: true as const, done: "saved" as const };
      case "revoke-sessions":
        await revokeSessions(db, actor, input);
        return { ok: true as const, done: "sessionsRevoked" as const };
      default:
        return data({ ok: false as const, error: "invalid_input", fieldErrors: {} as Record<string, string>, values: input }, { status: 400 });
    }
  } catch (error) {
    // Bad input: 4xx, the message next to its field, what was typed kept (also without JavaScript).
    if (error instanceof ServiceError) return data({ ok: false as const, error: error.message, fieldErrors: error.fieldErrors ?? {}, values: input }, { status: error.status });
    throw error;
  }
}

export default function AdminPeople() {
  const { locale, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const tm = t as Record<string, string>;
  const errors = result && !result.ok ? translateFieldErrors(result.fieldErrors, fieldErrorMessages(locale)) : {};
  const values: Record<string, string> = result && !result.ok && result.values.intent === "add" ? result.values : {};
  const roleName = (r: string) => (r === "admin" ? t.role_admin : t.role_fundraiser);
  return (
    <section aria-labelledby="people-heading">
      <h1 id="people-heading">{t.heading}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t[result.done]}
        </p>
      ) : result ? (
        <p className="form-error" role="alert">
          {tm[result.error] ?? t.invalid_input}
        </p>
      ) : null}
      <h2>{t.addHeading}</h2>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="add" />
        <div>
          <label htmlFor="staff-email">{t.email}</label>
          <input id="staff-email" type="email" name="email" required autoComplete="off" defaultValue={values.email} {...fieldAria("staff-email", errors.email)} />
          <FieldError id="staff-email" message={errors.email} />
        </div>
        <div>
          <label htmlFor="staff-role">{t.role}</label>
          <select id="staff-role" name="role" defaultValue={values.role ?? "fundraiser"} {...fieldAria("staff-role", errors.role)}>
            <option value="fundraiser">{t.role_fundraiser}</option>
            <option value="admin">{t.role_admin}</option>
          </select>
          <FieldError id="staff-role" message={errors.role} />
        </div>
        <p>
          <button type="submit" className="button">
            {t.add}
          </button>
        </p>
      </Form>
      <h2>{t.person}</h2>
      <DataTable labelledBy="people-heading" columns={[t.person, t.roles, t.organisations, t.actions]}>
        {people.map((p) => (
          <tr key={p.id}>
            <td>
              {p.email}
              {p.name ? <div>{p.name}</div> : null}
              {p.demo ? <span className="tag">{t.demo}</span> : null}
            </td>
            <td>{p.roles.map(roleName).join(", ")}</td>
            <td>{p.organisations.map((o) => o.name).join(", ")}</td>
            <td>
              {(["admin", "fundraiser"] as const).map((role) => {
                const has = p.roles.includes(role);
                return (
                  <Form method="post" key={role}>
                    <input type="hidden" name="intent" value={has ? "revoke" : "grant"} />
                    <input type="hidden" name="personId" value={p.id} />
                    <input type="hidden" name="role" value={role} />
                    <button type="submit" className="link-button">
                      {(has ? t.revoke : t.grant).replace("{role}", roleName(role).toLowerCase())}
                    </button>
                  </Form>
                );
              })}
              <Form method="post">
                <input type="hidden" name="intent" value="revoke-sessions" />
                <input type="hidden" name="personId" value={p.id} />
                <button type="submit" className="link-button">
                  {t.revokeSessions}
                </button>
              </Form>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
