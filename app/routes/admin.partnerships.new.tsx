import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { PartnershipFields, type PartnershipFailure } from "~/components/partners/partnership-fields";
import { PageHeader } from "~/components/ui/page-header";
import { partnershipErrorMessages, partnershipMessages } from "~/i18n/partnerships";
import { createPartnershipAsStaff } from "~/services/partners/partnerships-admin.server";
import { partnershipFormOptions } from "~/services/partners/partnerships-read.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: partnershipMessages(data?.locale ?? "sv").newTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  return { locale: ctx.locale, options: await orThrowResponse(() => partnershipFormOptions(ctx)), organisationId: query.get("organisation") ?? undefined };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return attempt(
    ctx.locale,
    async () => {
      const created = await createPartnershipAsStaff(ctx, values);
      return redirect(`/admin/partnerships/${created.id}?done=created`);
    },
    { messages: partnershipErrorMessages, values },
  );
}

export default function NewPartnership() {
  const { locale, options, organisationId } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as PartnershipFailure;
  const t = partnershipMessages(locale);
  return (
    <section aria-labelledby="new-partnership-heading">
      <PageHeader id="new-partnership-heading" title={t.newHeading} back={{ to: "/admin/partnerships", label: t.back }} />
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <Form method="post" id="new-partnership" className="stack" noValidate>
        <PartnershipFields formId="new-partnership" failure={failure} options={options} values={{ organisationId, isPublic: true }} locale={locale} isNew />
        <p>
          <button type="submit" className="button">
            {t.create}
          </button>
        </p>
      </Form>
    </section>
  );
}
