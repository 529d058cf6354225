import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { fieldErrorMessages } from "~/i18n/identity-messages";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages, type Locale } from "~/i18n/messages";
import { listPeople } from "~/services/people/people.server";
import { addStaffMember, changeRole, revokeSessions } from "~/services/people/staff.server";
import { requireAdmin } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { staffMemberSchema } from "~/validation/people";
import { parseForm } from "~/validation/parse";
import { DataTable } from "~/components/data-table";
import { AppForm, EmailField, SelectField, useAppForm } from "~/components/form";
import { Invalid } from "~/services/errors";

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
  return { locale: await getLocale(request), people: await listPeople(await contextFor(request)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireAdmin(request);
  const locale = await getLocale(request);
  const form = await readForm(request);
  const input = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const texts = (l: Locale) => ({ ...fieldErrorMessages(l), ...messages(l) });
  const db = await getDb();
  if (input.intent === "add") {
    const submission = parseForm(form, staffMemberSchema);
    if (submission.status !== "success") return rejectSubmission(submission, locale, texts);
    return attempt(
      locale,
      async () => {
        await addStaffMember(await contextFor(request), submission.payload);
        return { ok: true as const, done: "saved" as const };
      },
      { messages: texts, values: submittedValues(submission.payload) },
    );
  }
  return attempt(
    locale,
    async () => {
      if (input.intent === "grant" || input.intent === "revoke") {
        await changeRole(await contextFor(request), input, input.intent === "grant");
        return { ok: true as const, done: "saved" as const };
      }
      if (input.intent === "revoke-sessions") {
        await revokeSessions(await contextFor(request), input);
        return { ok: true as const, done: "sessionsRevoked" as const };
      }
      throw new Invalid("invalid_input");
    },
    { messages: texts, values: input },
  );
}

export default function AdminPeople() {
  const { locale, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const tm = t as Record<string, string>;
  const f = useAppForm({ id: "add-staff", schema: staffMemberSchema, result: result && !result.ok && result.values.intent === "add" ? result : undefined, messages: fieldErrorMessages, defaultValue: { role: "fundraiser" } });
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
      <AppForm of={f} className="stack">
        <input type="hidden" name="intent" value="add" />
        <EmailField meta={f.fields.email} label={t.email} autoComplete="off" />
        <SelectField
          meta={f.fields.role}
          label={t.role}
          options={[
            { value: "fundraiser", label: t.role_fundraiser },
            { value: "admin", label: t.role_admin },
          ]}
        />
        <p>
          <button type="submit" className="button">
            {t.add}
          </button>
        </p>
      </AppForm>
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
