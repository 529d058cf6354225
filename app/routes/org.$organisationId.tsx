import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/data-table";
import { InvoiceDetailsForm } from "~/components/organisations/invoice-details-form";
import { LogoForm } from "~/components/organisations/logo-form";
import { OrganisationFacts, organisationView } from "~/components/organisations/organisation-facts";
import { PageHeader } from "~/components/ui/page-header";
import { contactRoleName, organisationFieldErrors, organisationFormMessages, ownOrganisationMessages as messages } from "~/i18n/organisations";
import { Invalid } from "~/services/errors";
import { updateInvoiceDetails } from "~/services/organisations/details.server";
import { setOrganisationLogo } from "~/services/organisations/logos.server";
import { getOrganisation } from "~/services/organisations/organisations.server";
import { idParamOr404 } from "~/services/auth/validation";
import { requireOrgMember } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { invoiceDetailsSchema } from "~/validation/organisations";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organisation.name} – Lokala mål` : "Lokala mål" }];

/** An organisation's own page: its contacts and staff only (others get 403 from the service). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrgMember(request, params.organisationId);
  const organisationId = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  const { organisation, members } = await orThrowResponse(() => getOrganisation(ctx, organisationId));
  return {
    locale: ctx.locale,
    organisation: organisationView(organisation, ctx.locale),
    members: members.map((m) => ({ email: m.email, name: m.name, isAdmin: m.isAdmin, roles: m.roles })),
  };
}

/** Its contacts change the invoice details and the logo; the rest is the staff's (app/routes/admin.organisations.*). */
export async function action({ request, params }: ActionFunctionArgs) {
  await requireOrgMember(request, params.organisationId);
  const organisationId = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "invoice") {
    const submission = parseForm(form, invoiceDetailsSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, organisationFieldErrors);
    const values = submittedValues(submission.payload);
    return attempt(ctx.locale, async () => (await updateInvoiceDetails(ctx, organisationId, submission.payload), { ok: true as const, intent }), { messages: organisationFieldErrors, values });
  }
  const upload = form.get("logo");
  const bytes = upload instanceof File && upload.size > 0 ? new Uint8Array(await upload.arrayBuffer()) : null;
  return attempt(
    ctx.locale,
    async () => {
      if (intent !== "logo") throw new Invalid("invalid");
      await setOrganisationLogo(ctx, organisationId, bytes);
      return { ok: true as const, intent };
    },
    { messages: organisationFieldErrors, values: { intent } },
  );
}

export default function OrganisationPage() {
  const { locale, organisation, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const f = organisationFormMessages(locale);
  const invoiceValues = { invoiceEmail: organisation.invoiceEmail ?? "", invoiceReference: organisation.invoiceReference ?? "", purchaseOrder: organisation.purchaseOrder ?? "" };
  return (
    <section aria-labelledby="org-heading">
      <PageHeader id="org-heading" title={<span data-testid="org-name">{organisation.name}</span>} eyebrow={organisation.demo ? t.demo : undefined} lead={t.lead} />
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : result?.ok ? (
        <p className="notice" role="status">
          {result.intent === "logo" ? f.logoSaved : f.saved}
        </p>
      ) : null}
      <OrganisationFacts organisation={organisation} locale={locale} />
      <h2>{f.invoiceHeading}</h2>
      {/* Keyed by the saved values, so the fields show what was stored once a save has gone through. */}
      <InvoiceDetailsForm key={JSON.stringify(invoiceValues)} locale={locale} result={result} defaultValue={invoiceValues} />
      <h2>{f.logo}</h2>
      <LogoForm locale={locale} result={result} />
      <h2 id="contacts-heading">{t.contacts}</h2>
      <DataTable labelledBy="contacts-heading" columns={[t.email, t.name, t.roles, t.admin]}>
        {members.map((m) => (
          <tr key={m.email}>
            <td>{m.email}</td>
            <td>{m.name ?? ""}</td>
            <td>{m.roles.map((r) => contactRoleName(r, locale)).join(", ")}</td>
            <td>{m.isAdmin ? t.yes : t.no}</td>
          </tr>
        ))}
      </DataTable>
      <p>{t.later}</p>
    </section>
  );
}
