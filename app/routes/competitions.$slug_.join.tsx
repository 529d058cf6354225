import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { SelectField, TextField } from "~/components/form";
import { fieldsFrom, type InvoiceFailure } from "~/components/invoice-fields";
import { PageHeader } from "~/components/ui/page-header";
import { competitionErrorMessages, competitionMessages } from "~/i18n/competitions";
import { fill } from "~/i18n/messages";
import { competitionJoinView, joinCompetition } from "~/services/competitions/competitions.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

/** Another team joins a competition with its invite link (/competitions/<slug>/join?code=…), signed in. */
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: fill(competitionMessages(data.locale).joinTitle, { title: data.view.title }) }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const code = new URL(request.url).searchParams.get("code") ?? "";
  return { locale: ctx.locale, code, view: await orThrowResponse(() => competitionJoinView(ctx, params.slug ?? "", code)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const code = new URL(request.url).searchParams.get("code") ?? "";
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return attempt(
    ctx.locale,
    async () => {
      const joined = await joinCompetition(ctx, params.slug ?? "", code, values);
      return redirect(`/c/${joined.teamSlug}`);
    },
    { messages: competitionErrorMessages, values },
  );
}

export default function JoinCompetition() {
  const { locale, view } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as InvoiceFailure;
  const t = competitionMessages(locale);
  const field = fieldsFrom("join-competition", failure);
  return (
    <section aria-labelledby="join-competition-heading" className="stack">
      <PageHeader id="join-competition-heading" title={fill(t.joinTitle, { title: view.title })} />
      {view.ended ? (
        <p>{t.joinedEnded}</p>
      ) : (
        <>
          <p>{t.joinIntro}</p>
          {failure?.message ? (
            <p className="form-error" role="alert">
              {failure.message}
            </p>
          ) : null}
          <Form method="post" id="join-competition" className="stack" noValidate>
            <TextField meta={field("name")} label={t.teamName} />
            <SelectField meta={field("goal", view.goals[0]?.slug)} label={t.goal} options={view.goals.map((g) => ({ value: g.slug, label: g.title }))} />
            {view.needs === "headcount" ? <TextField meta={field("headcount")} label={t.headcount} inputMode="numeric" /> : null}
            {view.needs === "invited" ? <TextField meta={field("invited")} label={t.invited} inputMode="numeric" /> : null}
            <p>
              <button type="submit" className="button">
                {t.join}
              </button>
            </p>
          </Form>
        </>
      )}
    </section>
  );
}
