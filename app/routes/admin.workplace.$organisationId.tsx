import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { ProgrammeClose } from "~/components/workplace/programme-close";
import { ProgrammeForm } from "~/components/workplace/programme-form";
import { ProgrammeInvite } from "~/components/workplace/programme-invite";
import { ProgrammeOverview } from "~/components/workplace/programme-overview";
import { UnderpaidFlags } from "~/components/workplace/underpaid-flags";
import { underpaidFlagMessages } from "~/i18n/workplace-payroll";
import { workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import { idParamOr404 } from "~/services/auth/validation";
import { workplaceProgrammePage } from "~/services/workplace/programme-page.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { env } from "~/utils/env.server";
import { orThrowResponse } from "~/utils/http.server";
import { workplaceProgrammeAction } from "~/utils/workplace-programme-action.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.page.organisation?.name ?? ""} – ${workplaceProgrammeMessages(data?.locale ?? "sv").adminTitle}` }];

/** Staff set up or change a company's programme, including the minimum pledge (issue 13 item 1). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const page = await orThrowResponse(() => workplaceProgrammePage(ctx, { organisationId: idParamOr404(params.organisationId) }));
  return { locale: ctx.locale, appUrl: env().appUrl, page };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const organisationId = idParamOr404(params.organisationId);
  return workplaceProgrammeAction(request, ctx, organisationId, `/admin/workplace/${organisationId}?`);
}

export default function AdminWorkplaceProgramme() {
  const { locale, appUrl, page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> } | undefined;
  const t = workplaceProgrammeMessages(locale);
  const resultFor = (intents: string[]) => (result && intents.includes(result.values?.intent ?? "") ? result : undefined);
  return (
    <section aria-labelledby="admin-programme-heading" className="stack">
      <PageHeader id="admin-programme-heading" eyebrow={t.adminHeading} title={page.organisation?.name ?? ""} back={{ to: "/admin/workplace", label: t.adminBack }} />
      <DoneToast messages={{ saved: t.saved, rotated: t.rotated, expiry: t.expirySaved, closed: t.closed, resolved: underpaidFlagMessages(locale).resolved }} />
      {page.overview ? <ProgrammeOverview overview={page.overview} locale={locale} runHref={(id) => `/partner/workplace/runs/${id}`} /> : null}
      {page.flags ? <UnderpaidFlags flags={page.flags} result={resultFor(["resolve"])} locale={locale} /> : null}
      {page.programme?.status === "active" ? <ProgrammeInvite programme={page.programme} appUrl={appUrl} result={resultFor(["rotate", "expiry"])} locale={locale} /> : null}
      <section aria-labelledby="admin-programme-settings" className="stack">
        <h2 id="admin-programme-settings">{t.settingsHeading}</h2>
        <ProgrammeForm setup={page} result={resultFor(["save"])} locale={locale} />
      </section>
      {page.programme ? <ProgrammeClose programme={page.programme} result={resultFor(["close"])} locale={locale} /> : null}
    </section>
  );
}
