import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AppForm, TextareaField, useAppForm } from "~/components/form";
import { TermsText } from "~/components/partners/terms-text";
import { Badge } from "~/components/ui/badge";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { partnerSignupErrors, partnerTermsMessages } from "~/i18n/partner-signup";
import { fill } from "~/i18n/messages";
import { listPartnerTerms, publishPartnerTerms } from "~/services/partners/signup-terms.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { partnerTermsSchema } from "~/validation/partner-terms";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: partnerTermsMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const versions = await orThrowResponse(() => listPartnerTerms(ctx));
  return { locale: ctx.locale, versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const submission = parseForm(await readForm(request), partnerTermsSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, partnerSignupErrors);
  return attempt(ctx.locale, async () => (await publishPartnerTerms(ctx, submission.payload), redirect("/admin/partner-terms?done=published")), {
    messages: partnerSignupErrors,
    values: submittedValues(submission.payload),
  });
}

export default function AdminPartnerTerms() {
  const { locale, versions } = useLoaderData<typeof loader>();
  const t = partnerTermsMessages(locale);
  const [current, ...older] = versions;
  // A new version starts from the one in force: staff change what differs.
  const f = useAppForm({ id: "partner-terms", schema: partnerTermsSchema, result: useActionData<typeof action>(), messages: partnerSignupErrors, defaultValue: current ? { bodySv: current.bodySv, bodyEn: current.bodyEn } : undefined });
  return (
    <section aria-labelledby="terms-heading">
      <PageHeader id="terms-heading" title={t.heading} lead={t.lead} />
      <DoneToast messages={{ published: current ? fill(t.published_done, { version: current.version }) : "" }} />
      {current ? (
        <article aria-labelledby="terms-current" className="stack">
          <h2 id="terms-current">
            {fill(t.current, { version: current.version, date: formatDateTime(current.publishedAt, locale) })} {current.demo ? <Badge>{t.demo}</Badge> : null}
          </h2>
          <TermsText body={locale === "en" ? current.bodyEn : current.bodySv} />
        </article>
      ) : (
        <p className="notice warning" role="status">
          {t.none}
        </p>
      )}
      <h2>{t.publishHeading}</h2>
      <AppForm of={f} className="stack">
        <TextareaField meta={f.fields.bodySv} label={t.bodySv} rows={12} max={20_000} />
        <TextareaField meta={f.fields.bodyEn} label={t.bodyEn} rows={12} max={20_000} />
        <p>
          <button type="submit" className="button">
            {t.publish}
          </button>
        </p>
      </AppForm>
      {older.length ? (
        <>
          <h2>{t.history}</h2>
          <ul>
            {older.map((v) => (
              <li key={v.version}>
                {t.version} {v.version} · {formatDateTime(v.publishedAt, locale)} · {t.publishedBy} {v.publishedBy ?? "–"} {v.demo ? <Badge>{t.demo}</Badge> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
