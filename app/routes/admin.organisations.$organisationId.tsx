import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { AppForm, CheckboxField, EmailField, useAppForm } from "~/components/form";
import { getLocale } from "~/i18n/locale.server";
import { fill } from "~/i18n/messages";
import { legalFormName, organisationFieldErrors, organisationMessages as messages, organisationsMessages } from "~/i18n/organisations";
import { Invalid } from "~/services/errors";
import { addMember, getOrganisation, removeMember, setMemberAdmin } from "~/services/organisations/organisations.server";
import { idParamOr404 } from "~/services/auth/validation";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { memberSchema } from "~/validation/organisations";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organisation.name} – Lokala mål` : "Lokala mål" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const locale = await getLocale(request);
  const { organisation, members } = await orThrowResponse(async () => getOrganisation(await contextFor(request), id));
  const search = new URL(request.url).searchParams;
  // After adding a contact the page is loaded afresh (?added=<person id>): the field is empty again.
  const added = members.find((m) => String(m.personId) === (search.get("added") ?? search.get("existing")));
  return {
    locale,
    organisation: { id: organisation.id, name: organisation.name, orgNumber: organisation.orgNumber, legalForm: legalFormName(organisation.legalForm, locale) },
    members,
    created: search.has("created"),
    added: added ? { email: added.email, invited: search.has("added") } : null,
    formKey: search.get("added") ?? search.get("existing") ?? "",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const locale = await getLocale(request);
  const form = await readForm(request);
  const input = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const db = await getDb();
  if (input.intent === "add") {
    const submission = parseForm(form, memberSchema);
    if (submission.status !== "success") return rejectSubmission(submission, locale, organisationFieldErrors);
    return attempt(
      locale,
      async () => {
        const member = await addMember(await contextFor(request), id, submission.payload);
        return redirect(`/admin/organisations/${id}?${member.added ? "added" : "existing"}=${member.personId}`);
      },
      { messages: organisationFieldErrors, values: submittedValues(submission.payload) },
    );
  }
  return attempt(
    locale,
    async () => {
      if (input.intent === "remove") await removeMember(await contextFor(request), id, input.personId);
      else if (input.intent === "admin") await setMemberAdmin(await contextFor(request), id, input.personId, input.isAdmin === "true");
      else throw new Invalid("invalid");
      return { ok: true as const };
    },
    { messages: organisationFieldErrors, values: input },
  );
}

export default function AdminOrganisation() {
  const { locale, organisation, members, created, added, formKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const f = useAppForm({ id: "add-contact", schema: memberSchema, result: result && !result.ok && result.values.intent === "add" ? result : undefined, messages: organisationFieldErrors });
  const notice = result?.ok ? t.saved : added ? fill(added.invited ? t.invited : t.alreadyMember, { email: added.email }) : created ? organisationsMessages(locale).created : null;
  return (
    <section aria-labelledby="org-heading">
      <p>
        <Link to="/admin/organisations">{t.back}</Link>
      </p>
      <h1 id="org-heading">{organisation.name}</h1>
      <p>
        {t.orgNumber}: {organisation.orgNumber ? [organisation.orgNumber, organisation.legalForm].filter(Boolean).join(", ") : t.unknown} ·{" "}
        <Link to={`/org/${organisation.id}`}>{t.ownPage}</Link>
      </p>
      {notice && !(result && !result.ok) ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : result && !result.ok ? (
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
      <p>{t.addText}</p>
      {/* Keyed by the contact just added, so the field is also emptied when JavaScript follows the redirect. */}
      <AppForm of={f} className="stack" key={formKey}>
        <input type="hidden" name="intent" value="add" />
        <EmailField meta={f.fields.email} label={t.email} autoComplete="off" />
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
