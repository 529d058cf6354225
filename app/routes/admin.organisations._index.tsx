import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { FieldError, fieldAria } from "~/components/field-error";
import { translateFieldErrors } from "~/i18n/identity-messages";
import { getLocale } from "~/i18n/locale.server";
import { legalFormName, organisationFieldErrors, organisationsMessages as messages } from "~/i18n/organisations";
import { ServiceError } from "~/services/errors";
import { createOrganisation, listOrganisations } from "~/services/organisations/organisations.server";
import { requireStaff } from "~/utils/auth.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const locale = await getLocale(request);
  const organisations = await listOrganisations(await getDb(), user);
  return {
    locale,
    organisations: organisations.map((o) => ({ id: o.id, name: o.name, orgNumber: o.orgNumber, legalForm: legalFormName(o.legalForm, locale), demo: o.demo })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const input = Object.fromEntries([...(await readForm(request)).entries()].map(([k, v]) => [k, String(v)]));
  try {
    const org = await createOrganisation(await getDb(), user, input);
    return redirect(`/admin/organisations/${org.id}?created=1`);
  } catch (error) {
    // Bad input: 4xx, each message next to its field, what was typed kept (also without JavaScript).
    if (error instanceof ServiceError) return data({ fieldErrors: error.fieldErrors ?? {}, values: input }, { status: error.status });
    throw error;
  }
}

export default function AdminOrganisations() {
  const { locale, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const errors = translateFieldErrors(result?.fieldErrors, organisationFieldErrors(locale));
  const values: Record<string, string> = result?.values ?? {};
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
          {t.invalid}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <div>
          <label htmlFor="org-name">{t.name}</label>
          <input id="org-name" type="text" name="name" required defaultValue={values.name} {...fieldAria("org-name", errors.name)} />
          <FieldError id="org-name" message={errors.name} />
        </div>
        <div>
          <label htmlFor="org-number">{t.orgNumber}</label>
          <input id="org-number" type="text" name="orgNumber" inputMode="numeric" autoComplete="off" defaultValue={values.orgNumber} {...fieldAria("org-number", errors.orgNumber, "org-number-hint")} />
          <p className="hint" id="org-number-hint">
            {t.orgNumberHint}
          </p>
          <FieldError id="org-number" message={errors.orgNumber} />
        </div>
        <p>
          <button type="submit" className="button">
            {t.create}
          </button>
        </p>
      </Form>
    </section>
  );
}
