import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ContactsPanel } from "~/components/organisations/contacts-panel";
import { LogoForm } from "~/components/organisations/logo-form";
import { OrganisationFacts, organisationView } from "~/components/organisations/organisation-facts";
import { OrganisationCrm } from "~/components/crm/organisation-crm";
import { PageHeader } from "~/components/ui/page-header";
import { fill } from "~/i18n/messages";
import { organisationFieldErrors, organisationMessages as messages, organisationsMessages } from "~/i18n/organisations";
import { Invalid } from "~/services/errors";
import { setMemberRoles } from "~/services/organisations/details.server";
import { setOrganisationLogo } from "~/services/organisations/logos.server";
import { addMember, getOrganisation, removeMember, setMemberAdmin } from "~/services/organisations/organisations.server";
import { idParamOr404 } from "~/services/auth/validation";
import { organisationCrmPanel } from "~/services/crm/panel.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { memberSchema } from "~/validation/organisations";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organisation.name} – Lokala mål` : "Lokala mål" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  const { organisation, members } = await orThrowResponse(() => getOrganisation(ctx, id));
  const search = new URL(request.url).searchParams;
  // After adding a contact the page is loaded afresh (?added=<person id>): the fields are empty again.
  const added = members.find((m) => String(m.personId) === (search.get("added") ?? search.get("existing")));
  return {
    locale: ctx.locale,
    organisation: organisationView(organisation, ctx.locale),
    members,
    created: search.has("created"),
    saved: search.has("saved"),
    added: added ? { email: added.email, invited: search.has("added") } : null,
    formKey: search.get("added") ?? search.get("existing") ?? "",
    crm: await orThrowResponse(() => organisationCrmPanel(ctx, id)),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "add") {
    const submission = parseForm(form, memberSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, organisationFieldErrors);
    return attempt(
      ctx.locale,
      async () => {
        const member = await addMember(ctx, id, submission.payload);
        return redirect(`/admin/organisations/${id}?${member.added ? "added" : "existing"}=${member.personId}`);
      },
      { messages: organisationFieldErrors, values: submittedValues(submission.payload) },
    );
  }
  if (intent === "logo") {
    const upload = form.get("logo");
    const bytes = upload instanceof File && upload.size > 0 ? new Uint8Array(await upload.arrayBuffer()) : null;
    return attempt(ctx.locale, async () => (await setOrganisationLogo(ctx, id, bytes), { ok: true as const, logo: true }), { messages: organisationFieldErrors, values: { intent } });
  }
  const input = { personId: String(form.get("personId") ?? ""), roles: form.getAll("roles").map(String) };
  return attempt(
    ctx.locale,
    async () => {
      if (intent === "remove") await removeMember(ctx, id, input.personId);
      else if (intent === "admin") await setMemberAdmin(ctx, id, input.personId, form.get("isAdmin") === "true");
      else if (intent === "roles") await setMemberRoles(ctx, id, input);
      else throw new Invalid("invalid");
      return { ok: true as const, logo: false };
    },
    { messages: organisationFieldErrors, values: { intent } },
  );
}

/**
 * One organisation for staff: a composition of panels. Other areas add theirs here with one line each
 * (the CRM's timeline and tasks from app/components/crm, the partnerships list).
 */
export default function AdminOrganisation() {
  const { locale, organisation, members, created, saved, added, formKey, crm } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const failure = result && !result.ok ? result : null;
  const notice = result?.ok
    ? result.logo
      ? t.logoSaved
      : t.saved
    : added
      ? fill(added.invited ? t.invited : t.alreadyMember, { email: added.email })
      : created
        ? organisationsMessages(locale).created
        : saved
          ? t.saved
          : null;
  return (
    <section aria-labelledby="org-heading">
      <PageHeader
        id="org-heading"
        title={organisation.name}
        back={{ to: "/admin/organisations", label: t.back }}
        actions={
          <>
            <Link to={`/admin/organisations/${organisation.id}/edit`} className="button">
              {t.edit}
            </Link>{" "}
            <Link to={`/org/${organisation.id}`}>{t.ownPage}</Link>
          </>
        }
      />
      {failure ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t.details}</h2>
        <OrganisationFacts organisation={organisation} locale={locale} />
        <LogoForm locale={locale} result={result} />
      </section>
      <ContactsPanel locale={locale} members={members} result={result} formKey={formKey} />
      <OrganisationCrm data={crm} locale={locale} />
    </section>
  );
}
