import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { AppForm, CheckboxField, TextField, useAppForm } from "~/components/form";
import { PageHeader } from "~/components/ui/page-header";
import { PledgeTermsFields } from "~/components/workplace/pledge-fields";
import { fill, type Locale } from "~/i18n/messages";
import { workplacePledgeErrors, workplacePledgeMessages } from "~/i18n/workplace-pledge";
import { joinProgramme } from "~/services/workplace/pledge.server";
import { joinPage } from "~/services/workplace/pledge-page.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, readForm } from "~/utils/http.server";
import { joinPledgeFormSchema } from "~/validation/workplace-pledge";

/**
 * /workplace/<code>: an employee joins their workplace's payroll giving (issue 13 item 3). The code is
 * the secret: anyone holding it sees the employer's name and goals; joining needs signing in (the
 * link to /login comes back here). An expired or rotated code is a 410 with what to do, unknown a 404.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: workplacePledgeMessages(data?.locale ?? "sv").joinTitle }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const page = await joinPage(ctx, params.code ?? "");
  const status = page.ok ? 200 : page.reason === "unknown" ? 404 : 410;
  return data({ locale: ctx.locale, code: params.code ?? "", page }, { status, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  // The service parses the form with the programme's rules; its refusal names the fields (and the minimum).
  return attempt(ctx.locale, () => joinProgramme(ctx, params.code ?? "", values).then(() => redirect("/workplace?done=joined")), {
    messages: (locale: Locale) => workplacePledgeErrors(locale),
    values,
  });
}

export default function JoinWorkplace() {
  const { locale, code, page } = useLoaderData<typeof loader>();
  const t = workplacePledgeMessages(locale);
  const errors = (l: Locale) => workplacePledgeErrors(l, { minimumOre: page.ok ? page.rules.minimumOre : "0" });
  if (!page.ok) {
    const reason = { expired: "invite_expired", revoked: "invite_revoked", closed: "programme_closed", unknown: "invite_unknown" }[page.reason];
    return (
      <section aria-labelledby="join-heading" className="stack">
        <PageHeader id="join-heading" title={t.joinTitle} />
        <p className="notice" data-testid="invite-refusal">
          {errors(locale)[reason]}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="join-heading" className="stack">
      <PageHeader id="join-heading" title={t.joinTitle} lead={fill(t.joinLead, { organisation: page.organisationName })} />
      {page.closed ? (
        <p className="notice">{errors(locale).programme_closed}</p>
      ) : page.person ? (
        <>
          {page.person.pledged ? (
            <p className="notice">
              {errors(locale).already_pledged} <Link to="/workplace">{t.goMine}</Link>
            </p>
          ) : null}
          <JoinForm page={page} locale={locale} errors={errors} />
        </>
      ) : (
        <>
          <p>{t.signInFirst}</p>
          <p>
            <Link className="button" to={`/login?returnTo=${encodeURIComponent(`/workplace/${code}`)}`}>
              {t.signInButton}
            </Link>
          </p>
        </>
      )}
      <TaxNote locale={locale} />
    </section>
  );
}

type OpenPage = Extract<ReturnType<typeof useLoaderData<typeof loader>>["page"], { ok: true }>;

function JoinForm({ page, locale, errors }: { page: OpenPage; locale: Locale; errors: (l: Locale) => Record<string, string> }) {
  const t = workplacePledgeMessages(locale);
  const schema = useMemo(() => joinPledgeFormSchema(page.rules), [page.rules]);
  const f = useAppForm({
    id: "workplace-join",
    schema,
    result: useActionData<typeof action>(),
    messages: errors,
    defaultValue: { kind: "fixed", goalMode: "one", name: page.person?.name ?? "", goal: page.goals.length === 1 ? String(page.goals[0].id) : "", firstMonth: page.months[0]?.slice(0, 7) },
  });
  const fields = f.fields as unknown as Parameters<typeof PledgeTermsFields>[0]["fields"];
  return (
    <AppForm of={f} className="stack">
      <TextField meta={f.fields.name} label={t.name} hint={t.nameHint} autoComplete="name" />
      <PledgeTermsFields
        fields={fields}
        locale={locale}
        goals={page.goals}
        months={page.months}
        minimumOre={page.rules.minimumOre}
        perMilleOffered={page.rules.perMilleOffered}
        monthField="firstMonth"
        monthLabel={t.firstMonth}
        monthHint={t.firstMonthHint}
      />
      <TextField meta={f.fields.employeeNumber} label={t.employeeNumber} hint={t.employeeNumberHint} autoComplete="off" />
      <section aria-labelledby="consent-heading" className="stack">
        <h2 id="consent-heading">{t.consentHeading}</h2>
        <p>{t.consentText}</p>
        <CheckboxField meta={f.fields.consent} label={t.consent} />
      </section>
      <p>
        <button type="submit" className="button">
          {t.join}
        </button>
      </p>
    </AppForm>
  );
}

function TaxNote({ locale }: { locale: Locale }) {
  const t = workplacePledgeMessages(locale);
  return (
    <aside aria-labelledby="tax-heading" className="notice">
      <h2 id="tax-heading">{t.taxHeading}</h2>
      <p>{t.taxNote}</p>
    </aside>
  );
}
