import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { OrganisationSearch } from "~/components/crm/organisation-search";
import { OrganisationForm } from "~/components/organisations/organisation-form";
import { organisationFieldErrors, organisationsMessages as messages } from "~/i18n/organisations";
import { organisationListPage } from "~/services/crm/organisation-search.server";
import { listIndustries } from "~/services/organisations/details.server";
import { createOrganisation } from "~/services/organisations/organisations.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { organisationSchema } from "~/validation/organisations";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const locale = ctx.locale;
  // Search, filters and export are the CRM's (app/services/crm/organisation-search.server.ts).
  const list = await orThrowResponse(() => organisationListPage(ctx, new URL(request.url).searchParams));
  return { locale, industries: await listIndustries(ctx), list };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const locale = (await contextFor(request)).locale;
  const submission = parseForm(await readForm(request), organisationSchema);
  if (submission.status !== "success") return rejectSubmission(submission, locale, organisationFieldErrors);
  const values = submittedValues(submission.payload);
  return attempt(
    locale,
    async () => {
      const org = await createOrganisation(await contextFor(request), submission.payload);
      return redirect(`/admin/organisations/${org.id}?created=1`);
    },
    { messages: organisationFieldErrors, values },
  );
}

export default function AdminOrganisations() {
  const { locale, list, industries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  return (
    <section aria-labelledby="orgs-heading">
      <h1 id="orgs-heading">{t.heading}</h1>
      <OrganisationSearch data={list} locale={locale} demoLabel={t.demo} />
      {list.organisations.length === 0 && !list.filters.q && list.filters.goal === null && !list.filters.tier && !list.filters.status ? <p className="empty">{t.empty}</p> : null}
      <h2>{t.createHeading}</h2>
      {result ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      <OrganisationForm id="new-organisation" locale={locale} industries={industries} result={result} submitLabel={t.create} />
    </section>
  );
}
