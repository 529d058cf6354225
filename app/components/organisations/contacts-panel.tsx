import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppForm, CheckboxField, EmailField, FieldError, TextField, useAppForm, useFieldError, type FieldMeta } from "~/components/form";
import { contactRoles } from "~db/schema/contact-roles";
import { contactRoleName, organisationFieldErrors, organisationMessages } from "~/i18n/organisations";
import type { Locale } from "~/i18n/messages";
import { memberSchema } from "~/validation/organisations";

export interface ContactView {
  personId: number;
  email: string;
  name: string | null;
  isAdmin: boolean;
  roles: string[];
}

/** The four role checkboxes (name `roles`), ticked from `checked`. */
export function RoleCheckboxes({ locale, legend, checked, meta }: { locale: Locale; legend: ReactNode; checked: string[]; meta?: FieldMeta }) {
  const error = useFieldError(meta ?? { errors: undefined });
  return (
    <fieldset className="choice-group" aria-invalid={error ? true : undefined} aria-describedby={error && meta ? meta.errorId : undefined}>
      <legend>{legend}</legend>
      {contactRoles.map((role) => (
        <label key={role} className="choice">
          <input type="checkbox" name="roles" value={role} form={meta?.formId} defaultChecked={checked.includes(role)} />
          {contactRoleName(role, locale)}
        </label>
      ))}
      {meta ? <FieldError id={meta.errorId} message={error} /> : null}
    </fieldset>
  );
}

/**
 * An organisation's contacts with their roles, for staff and the organisation's admins: change roles,
 * the administrator right, remove; and the form that adds one and sends the invitation (intent "add").
 */
export function ContactsPanel({ locale, members, result, formKey }: { locale: Locale; members: ContactView[]; result: unknown; formKey: string }) {
  const t = organisationMessages(locale);
  const mine = (result as { values?: Record<string, string> } | undefined)?.values?.intent === "add" ? result : undefined;
  const f = useAppForm({ id: "add-contact", schema: memberSchema, result: mine, messages: organisationFieldErrors });
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">{t.contacts}</h2>
      {members.length ? (
        <ul className="stack" data-testid="contacts">
          {members.map((m) => (
            <li key={m.personId}>
              <p>
                <strong>{m.email}</strong>
                {m.name ? ` (${m.name})` : ""}
                {m.isAdmin ? ` – ${t.admin}` : ""}
                {m.roles.length ? ` · ${m.roles.map((r) => contactRoleName(r, locale)).join(", ")}` : ""}
              </p>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="roles" />
                <input type="hidden" name="personId" value={m.personId} />
                <RoleCheckboxes locale={locale} legend={t.roles} checked={m.roles} />
                <button type="submit" className="link-button">
                  {t.saveRoles}
                </button>
              </Form>{" "}
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
      <h3>{t.addHeading}</h3>
      <p>{t.addText}</p>
      {/* Keyed by the contact just added, so the fields are also emptied when JavaScript follows the redirect. */}
      <AppForm of={f} className="stack" key={formKey}>
        <input type="hidden" name="intent" value="add" />
        <EmailField meta={f.fields.email} label={t.email} autoComplete="off" />
        <TextField meta={f.fields.name} label={t.name} autoComplete="off" />
        <RoleCheckboxes locale={locale} legend={t.roles} checked={[]} meta={f.fields.roles} />
        <CheckboxField meta={f.fields.isAdmin} label={t.isAdmin} />
        <p>
          <button type="submit" className="button">
            {t.add}
          </button>
        </p>
      </AppForm>
    </section>
  );
}
