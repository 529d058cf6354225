import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Leaderboard } from "~/components/competitions/leaderboard";
import { RadioGroupField } from "~/components/form";
import { fieldsFrom } from "~/components/invoice-fields";
import { Paragraphs } from "~/components/paragraphs";
import { competitionErrorMessages, competitionMessages } from "~/i18n/competitions";
import { common, fill } from "~/i18n/messages";
import { competitionPage } from "~/services/competitions/board.server";
import { changeScoringMode, organiserLinks } from "~/services/competitions/competitions.server";
import { requireUser } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { env } from "~/utils/env.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.json.title} – ${common(data.locale).siteName}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const slug = params.slug ?? "";
  const page = await orThrowResponse(() => competitionPage(ctx, slug));
  const links = page.organiser ? await orThrowResponse(() => organiserLinks(ctx, slug)) : null;
  const { board: _board, ...rest } = page;
  return { locale: ctx.locale, appUrl: env().appUrl, ...rest, links };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const mode = String(form.get("mode") ?? "");
  return attempt(
    ctx.locale,
    async () => {
      await changeScoringMode(ctx, params.slug ?? "", mode);
      return { ok: true as const };
    },
    { messages: competitionErrorMessages, values: { mode } },
  );
}

const dateText = (iso: string, locale: "sv" | "en") => formatDate(iso, locale);

export default function CompetitionPage() {
  const { locale, appUrl, json, description, goals, teamPages, links, modes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = competitionMessages(locale);
  // The last day shown is the day before the end instant (the competition ends when its last day does).
  const lastDay = new Date(new Date(json.endsAt).getTime() - 1).toISOString();
  const status = json.status === "upcoming" ? fill(t.upcoming, { date: dateText(json.startsAt, locale) }) : json.status === "running" ? fill(t.running, { date: dateText(lastDay, locale) }) : t.ended;
  const failure = result && !result.ok ? result : null;
  // The mode's message sits in its group (aria-describedby, aria-invalid), as every form field's does.
  const modeField = fieldsFrom("competition-mode", failure);
  return (
    <article className="stack">
      <header className="stack">
        <h1>{json.title}</h1>
        <p>
          {fill(t.period, { starts: dateText(json.startsAt, locale), ends: dateText(lastDay, locale) })} · <strong>{status}</strong> ·{" "}
          {(t as Record<string, string>)[`mode_${json.mode}`]}
        </p>
        <p>
          {goals.map((g, i) => (
            <span key={g.slug}>
              {i > 0 ? ", " : null}
              <Link to={`/goals/${g.slug}`}>{g.title}</Link>
            </span>
          ))}
        </p>
        {description ? <Paragraphs text={description} /> : null}
      </header>
      <Leaderboard initial={json} locale={locale} />
      {json.status !== "ended" ? (
        <ul className="stack" aria-label={t.team}>
          {teamPages.map((team) =>
            team.slug ? (
              <li key={team.slug}>
                <Link className="button" to={`/c/${team.slug}`}>
                  {fill(t.give, { team: team.name })}
                </Link>
              </li>
            ) : null,
          )}
        </ul>
      ) : null}
      {links ? (
        <section aria-labelledby="organiser-heading" className="stack card">
          <h2 id="organiser-heading">{t.organiser}</h2>
          <p>{t.inviteTeams}</p>
          <p>
            <code data-testid="competition-invite">{`${appUrl}/competitions/${json.slug}/join?code=${links.competitionInvite}`}</code>
          </p>
          <p>{t.inviteMembers}</p>
          <ul>
            {links.teams.map((team) => (
              <li key={team.slug}>
                {team.name}: <code>{`${appUrl}/c/${team.slug}/join?code=${team.inviteCode ?? ""}`}</code>
              </li>
            ))}
          </ul>
          {json.status === "upcoming" ? (
            <Form method="post" id="competition-mode" className="stack" noValidate>
              <RadioGroupField meta={modeField("mode", json.mode)} legend={t.changeMode} options={modes.map((mode) => ({ value: mode, label: (t as Record<string, string>)[`mode_${mode}`] }))} />
              {failure && !failure.fieldErrors.mode ? (
                <p className="form-error" role="alert">
                  {failure.message}
                </p>
              ) : result?.ok ? (
                <p role="status">{t.modeSaved}</p>
              ) : null}
              <p>
                <button type="submit" className="button">
                  {t.saveMode}
                </button>
              </p>
            </Form>
          ) : null}
        </section>
      ) : null}
    </article>
  );
}
