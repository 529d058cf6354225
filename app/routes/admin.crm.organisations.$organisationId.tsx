import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { OrganisationCrm } from "~/components/crm/organisation-crm";
import { PageHeader } from "~/components/ui/page-header";
import { crmMessages } from "~/i18n/crm";
import { idParamOr404 } from "~/services/auth/validation";
import { organisationCrmPanel } from "~/services/crm/panel.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { crmAction } from "~/utils/crm-actions.server";
import { orThrowResponse, readForm } from "~/utils/http.server";

/**
 * An organisation's CRM (timeline and tasks) on a page of its own. The organisation's staff page
 * shows the same panel; its forms post here, and a refused form is answered on this page.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.crm.organisation.name} – ${crmMessages(data.locale).timelineHeading}` : "Lokala mål" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, crm: await orThrowResponse(() => organisationCrmPanel(ctx, id)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const id = idParamOr404(params.organisationId);
  const ctx = await contextFor(request);
  return crmAction(ctx, await readForm(request), `/admin/organisations/${id}`, id);
}

export default function OrganisationCrmPage() {
  const { locale, crm } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="crm-heading">
      <PageHeader id="crm-heading" title={crm.organisation.name} back={{ to: `/admin/organisations/${crm.organisation.id}`, label: crm.organisation.name }} />
      <OrganisationCrm data={crm} locale={locale} result={result} />
    </section>
  );
}
