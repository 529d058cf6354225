import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PartnerSignupForm } from "~/components/partners/signup-form";
import { PageHeader } from "~/components/ui/page-header";
import { partnerSignupErrors, partnerSignupMessages } from "~/i18n/partner-signup";
import { isStaffActor } from "~/services/context";
import { signupFormOptions, startPartnerSignup } from "~/services/partners/signup.server";
import { contextFor } from "~/utils/context.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, readForm } from "~/utils/http.server";
import { partnerSignupSchema } from "~/validation/partner-signup";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: partnerSignupMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const query = new URL(request.url).searchParams;
  // Prefilled from the goal page's links (?goal=<slug>&tier=<slug>); anything else starts empty.
  const slug = (name: string) => (/^[a-z0-9-]{1,100}$/.test(query.get(name) ?? "") ? query.get(name) : null);
  return { locale: ctx.locale, staff: isStaffActor(ctx.actor), prefill: { goal: slug("goal"), tier: slug("tier") }, options: await signupFormOptions(ctx) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await contextFor(request);
  const submission = parseForm(await readForm(request), partnerSignupSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, partnerSignupErrors);
  const clientKey = (context as { clientIp?: string } | undefined)?.clientIp ?? "unknown";
  return attempt(ctx.locale, async () => redirect((await startPartnerSignup(ctx, submission.payload, { clientKey })).redirectUrl), {
    messages: partnerSignupErrors,
    values: submittedValues(submission.payload),
  });
}

export default function PartnersJoin() {
  const { locale, staff, prefill, options } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = partnerSignupMessages(locale);
  return (
    <section aria-labelledby="join-heading" className="stack">
      <PageHeader id="join-heading" title={t.heading} lead={t.lead} />
      {options.terms ? (
        <PartnerSignupForm locale={locale} options={{ ...options, terms: options.terms }} result={result} prefill={prefill} />
      ) : (
        <div className="notice warning" role="status">
          <p>{t.termsMissing}</p>
          {staff ? (
            <p>
              {t.termsMissingStaff} <Link to="/admin/partner-terms">{t.termsMissingStaffLink}</Link>
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}
