import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { ProgrammeClose } from "~/components/workplace/programme-close";
import { ProgrammeForm } from "~/components/workplace/programme-form";
import { ProgrammeInvite } from "~/components/workplace/programme-invite";
import { ProgrammeOverview } from "~/components/workplace/programme-overview";
import { workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import { idParamOr404 } from "~/services/auth/validation";
import { workplaceProgrammePage } from "~/services/workplace/programme-page.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { env } from "~/utils/env.server";
import { orThrowResponse } from "~/utils/http.server";
import { workplaceProgrammeAction } from "~/utils/workplace-programme-action.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: workplaceProgrammeMessages(data?.locale ?? "sv").title }];

function organisationParam(request: Request): number | null {
  const raw = new URL(request.url).searchParams.get("org");
  return raw === null || raw === "" ? null : idParamOr404(raw);
}

/** The employer's payroll giving (issue 13 items 1, 2, 7). `?org=<id>` picks one of the reader's organisations; the services check it. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const page = await orThrowResponse(() => workplaceProgrammePage(ctx, { organisationId: organisationParam(request) }));
  return { locale: ctx.locale, appUrl: env().appUrl, page };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const organisationId = idParamOr404(new URL(request.url).searchParams.get("org") ?? "");
  return workplaceProgrammeAction(request, ctx, organisationId, `/partner/workplace?org=${organisationId}&`);
}

export default function PartnerWorkplace() {
  const { locale, appUrl, page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string; values?: Record<string, string> } | undefined;
  const t = workplaceProgrammeMessages(locale);
  const org = page.organisation;
  // An index route's action needs ?index; the organisation goes in the URL the action reads it from.
  const formAction = org ? `?index&org=${org.id}` : undefined;
  const resultFor = (intents: string[]) => (result && intents.includes(result.values?.intent ?? "") ? result : undefined);
  return (
    <section aria-labelledby="workplace-heading" className="stack">
      <PageHeader id="workplace-heading" eyebrow={org?.name ?? t.eyebrow} title={t.heading} lead={t.lead} back={{ to: org ? `/partner?org=${org.id}` : "/partner", label: t.back }} />
      <DoneToast messages={{ saved: t.saved, rotated: t.rotated, expiry: t.expirySaved, closed: t.closed }} />
      {!org ? (
        <EmptyState title={t.noOrganisationTitle} action={{ to: "/partners/join", label: t.becomePartner }}>
          <p>{t.noOrganisationText}</p>
        </EmptyState>
      ) : (
        <>
          {page.choices.length > 1 ? (
            <Form method="get" className="org-switcher">
              <label htmlFor="org-switch">{t.colOrganisation}</label>{" "}
              <select id="org-switch" name="org" defaultValue={String(org.id)}>
                {page.choices.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>{" "}
              <button type="submit" className="button secondary small">
                {t.show}
              </button>
            </Form>
          ) : null}
          {page.overview ? <ProgrammeOverview overview={page.overview} locale={locale} runHref={(id) => `/partner/workplace/runs/${id}`} /> : null}
          {page.programme?.status === "active" ? <ProgrammeInvite programme={page.programme} appUrl={appUrl} result={resultFor(["rotate", "expiry"])} locale={locale} action={formAction} /> : null}
          <section aria-labelledby="workplace-settings-heading" className="stack">
            <h2 id="workplace-settings-heading">{t.settingsHeading}</h2>
            {!page.programme ? (
              <EmptyState title={t.noProgrammeTitle}>
                <p>{t.noProgrammeText}</p>
              </EmptyState>
            ) : null}
            <ProgrammeForm setup={page} result={resultFor(["save"])} locale={locale} action={formAction} />
          </section>
          {page.programme ? <ProgrammeClose programme={page.programme} result={resultFor(["close"])} locale={locale} action={formAction} /> : null}
        </>
      )}
    </section>
  );
}
