import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { OrganisationForm } from "~/components/organisations/organisation-form";
import { legalFormName, organisationFieldErrors, organisationsMessages as messages } from "~/i18n/organisations";
import { listIndustries } from "~/services/organisations/details.server";
import { createOrganisation, listOrganisations } from "~/services/organisations/organisations.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { organisationSchema } from "~/validation/organisations";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const locale = ctx.locale;
  const organisations = await listOrganisations(ctx);
  return {
    locale,
    industries: await listIndustries(ctx),
    organisations: organisations.map((o) => ({ id: o.id, name: o.name, orgNumber: o.orgNumber, legalForm: legalFormName(o.legalForm, locale), demo: o.demo })),
  };
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
  const { locale, organisations, industries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  return (
    <section aria-labelledby="orgs-heading">
      <h1 id="orgs-heading">{t.heading}</h1>
      {organisations.length ? (
        <ul>
          {organisations.map((o) => (
            <li key={o.id}>
              <Link to={`/admin/organisations/${o.id}`}>{o.name}</Link>
              {o.orgNumber ? ` (${[o.orgNumber, o.legalForm].filter(Boolean).join(", ")})` : ""} {o.demo ? <span className="tag">{t.demo}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t.empty}</p>
      )}
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
