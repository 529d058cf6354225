import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { TextField } from "~/components/form";
import { fieldsFrom } from "~/components/invoice-fields";
import type { PartnershipFailure } from "~/components/partners/partnership-fields";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { partnershipErrorMessages, partnershipMessages } from "~/i18n/partnerships";
import { getPartnershipSettingsForStaff, updatePartnershipSettings } from "~/services/partners/partnership-settings.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: partnershipMessages(data?.locale ?? "sv").settingsTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, settings: await orThrowResponse(() => getPartnershipSettingsForStaff(ctx)) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return attempt(ctx.locale, async () => (await updatePartnershipSettings(ctx, values), redirect("/admin/partnerships/settings?done=saved")), {
    messages: partnershipErrorMessages,
    values,
  });
}

export default function PartnershipSettingsPage() {
  const { locale, settings } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as PartnershipFailure;
  const t = partnershipMessages(locale);
  const field = fieldsFrom("partnership-settings", failure);
  return (
    <section aria-labelledby="partnership-settings-heading">
      <PageHeader id="partnership-settings-heading" title={t.settingsHeading} back={{ to: "/admin/partnerships", label: t.back }} />
      <DoneToast />
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <Form method="post" id="partnership-settings" className="stack" noValidate>
        <TextField meta={field("renewalNoticeDays", String(settings.renewalNoticeDays))} label={t.renewalNoticeDays} hint={t.renewalNoticeHint} inputMode="numeric" />
        <TextField meta={field("signOffValidMonths", String(settings.signOffValidMonths))} label={t.signOffValidMonths} inputMode="numeric" />
        <p>
          <button type="submit" className="button">
            {t.saveSettings}
          </button>
        </p>
      </Form>
    </section>
  );
}
