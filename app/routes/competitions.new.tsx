import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AmountField, TextareaField, TextField } from "~/components/form";
import { fieldsFrom, type InvoiceFailure } from "~/components/invoice-fields";
import { PageHeader } from "~/components/ui/page-header";
import { competitionErrorMessages, competitionMessages } from "~/i18n/competitions";
import { common, fill } from "~/i18n/messages";
import { createCompetition, newCompetitionOptions } from "~/services/competitions/competitions.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { TEAM_ROWS } from "~/validation/competitions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${competitionMessages(data?.locale ?? "sv").newTitle} – ${common(data?.locale ?? "sv").siteName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => newCompetitionOptions(ctx))) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const goals = form.getAll("goals").map(String);
  const teams = Array.from({ length: TEAM_ROWS }, (_, i) => ({ name: values[`teams[${i}].name`], headcount: values[`teams[${i}].headcount`], invited: values[`teams[${i}].invited`] }));
  return attempt(
    ctx.locale,
    async () => {
      const created = await createCompetition(ctx, { fields: { ...values, goals }, teams });
      return redirect(`/competitions/${created.slug}`);
    },
    { messages: competitionErrorMessages, values: { ...values, goals: goals.join(",") } },
  );
}

export default function NewCompetition() {
  const { locale, goals, modes } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as InvoiceFailure;
  const t = competitionMessages(locale);
  const field = fieldsFrom("new-competition", failure);
  const chosenGoals = new Set((failure?.values.goals ?? "").split(",").filter(Boolean));
  const goalsError = failure?.fieldErrors.goals;
  const modeError = failure?.fieldErrors.mode;
  const chosenMode = failure?.values.mode ?? "total";
  return (
    <section aria-labelledby="new-competition-heading" className="stack">
      <PageHeader id="new-competition-heading" title={t.newTitle} />
      <p>{t.newIntro}</p>
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <Form method="post" id="new-competition" className="stack" noValidate>
        <TextField meta={field("title")} label={t.title} />
        <TextareaField meta={field("description")} label={t.description} rows={4} max={2000} />
        <fieldset aria-describedby={goalsError ? "new-competition-goals-error" : undefined} aria-invalid={goalsError ? true : undefined}>
          <legend>{t.goals}</legend>
          {goals.map((g) => (
            <label key={g.slug} className="choice">
              <input type="checkbox" name="goals" value={g.slug} defaultChecked={chosenGoals.has(g.slug)} /> {g.title}
            </label>
          ))}
          {goalsError ? (
            <p className="field-error" id="new-competition-goals-error">
              {goalsError}
            </p>
          ) : null}
        </fieldset>
        <TextField meta={field("startsOn")} label={t.startsOn} placeholder={t.datePlaceholder} autoComplete="off" />
        <TextField meta={field("endsOn")} label={t.endsOn} placeholder={t.datePlaceholder} autoComplete="off" />
        <fieldset aria-describedby={modeError ? "new-competition-mode-error" : undefined} aria-invalid={modeError ? true : undefined}>
          <legend>{t.mode}</legend>
          {modes.map((mode) => (
            <label key={mode} className="choice">
              <input type="radio" name="mode" value={mode} defaultChecked={mode === chosenMode} /> {(t as Record<string, string>)[`mode_${mode}`]}
            </label>
          ))}
          {modeError ? (
            <p className="field-error" id="new-competition-mode-error">
              {modeError}
            </p>
          ) : null}
        </fieldset>
        <AmountField meta={field("target")} label={t.target} />
        <AmountField meta={field("matchPot")} label={t.matchPot} />
        <TextField meta={field("matchSponsor")} label={t.matchSponsor} />
        <fieldset>
          <legend>{t.teams}</legend>
          {Array.from({ length: TEAM_ROWS }, (_, i) => (
            <fieldset key={i} className="invoice-line">
              <legend>{fill(t.teamN, { n: i + 1 })}</legend>
              <TextField meta={field(`teams[${i}].name`)} label={t.teamName} />
              <TextField meta={field(`teams[${i}].headcount`)} label={t.headcount} inputMode="numeric" />
              <TextField meta={field(`teams[${i}].invited`)} label={t.invited} inputMode="numeric" />
            </fieldset>
          ))}
        </fieldset>
        <p>
          <button type="submit" className="button">
            {t.create}
          </button>
        </p>
      </Form>
    </section>
  );
}
