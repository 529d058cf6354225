import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { OrganisationForm, organisationFormValues } from "~/components/organisations/organisation-form";
import { PageHeader } from "~/components/ui/page-header";
import { organisationFieldErrors, organisationFormMessages, organisationMessages } from "~/i18n/organisations";
import { listIndustries, updateOrganisation } from "~/services/organisations/details.server";
import { getOrganisation } from "~/services/organisations/organisations.server";
import { idParamOr404 } from "~/services/auth/validation";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { organisationSchema } from "~/validation/organisations";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.name} – Lokala mål` : "Lokala mål" }];

/** Staff edit every detail of an organisation. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  const { organisation } = await orThrowResponse(() => getOrganisation(ctx, id));
  const industries = await orThrowResponse(() => listIndustries(ctx));
  return { locale: ctx.locale, id, name: organisation.name, values: organisationFormValues(organisation), industries };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  const submission = parseForm(await readForm(request), organisationSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, organisationFieldErrors);
  return attempt(
    ctx.locale,
    async () => {
      await updateOrganisation(ctx, id, submission.payload);
      return redirect(`/admin/organisations/${id}?saved=1`);
    },
    { messages: organisationFieldErrors, values: submittedValues(submission.payload) },
  );
}

export default function EditOrganisation() {
  const { locale, id, name, values, industries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = organisationFormMessages(locale);
  return (
    <section aria-labelledby="edit-organisation-heading">
      <PageHeader id="edit-organisation-heading" title={`${organisationMessages(locale).edit}: ${name}`} back={{ to: `/admin/organisations/${id}`, label: name }} />
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      <OrganisationForm id="edit-organisation" locale={locale} industries={industries} result={result} defaultValue={values} submitLabel={t.save} />
    </section>
  );
}
