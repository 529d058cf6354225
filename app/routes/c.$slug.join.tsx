import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { TextareaField, TextField } from "~/components/form";
import { fieldsFrom, type InvoiceFailure } from "~/components/invoice-fields";
import { PageHeader } from "~/components/ui/page-header";
import { competitionErrorMessages, competitionMessages } from "~/i18n/competitions";
import { fill } from "~/i18n/messages";
import { joinTeam, rotateTeamInvite, teamForInvite, teamInviteForOwner } from "~/services/competitions/teams.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { env } from "~/utils/env.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

/**
 * A team's invite (issue 12, item 5). With ?code=…: anyone signed in starts a member page under the
 * team. Without: the team's owner sees the invite link, and turns the collection into a team or
 * changes the link (the old one stops working).
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const slug = params.slug ?? "";
  const code = new URL(request.url).searchParams.get("code");
  const t = competitionMessages(ctx.locale);
  if (code !== null) {
    const team = await orThrowResponse(() => teamForInvite(ctx, slug, code));
    return { locale: ctx.locale, slug, mode: "join" as const, title: fill(t.teamJoinTitle, { title: team.title }), closed: team.closed, invite: null, owner: null };
  }
  const owner = await orThrowResponse(() => teamInviteForOwner(ctx, slug));
  const invite = owner.inviteCode ? `${env().appUrl}/c/${slug}/join?code=${owner.inviteCode}` : null;
  return { locale: ctx.locale, slug, mode: "owner" as const, title: fill(t.teamInviteTitle, { title: owner.title }), closed: false, invite, owner };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const slug = params.slug ?? "";
  const code = new URL(request.url).searchParams.get("code");
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return attempt(
    ctx.locale,
    async () => {
      if (code === null) {
        await rotateTeamInvite(ctx, slug);
        return redirect(`/c/${slug}/join`);
      }
      const page = await joinTeam(ctx, slug, code, values);
      return redirect(`/c/${page.slug}`);
    },
    { messages: competitionErrorMessages, values },
  );
}

export default function TeamJoin() {
  const { locale, mode, title, closed, invite, owner } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as InvoiceFailure;
  const t = competitionMessages(locale);
  const field = fieldsFrom("team-join", failure);
  return (
    <section aria-labelledby="team-join-heading" className="stack">
      <PageHeader id="team-join-heading" title={title} />
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      {mode === "join" ? (
        closed ? (
          <p>{t.teamClosed}</p>
        ) : (
          <>
            <p>{t.teamJoinIntro}</p>
            <Form method="post" id="team-join" className="stack" noValidate>
              <TextField meta={field("title")} label={t.memberTitle} />
              <TextareaField meta={field("story")} label={t.memberStory} rows={4} max={2000} />
              <p>
                <button type="submit" className="button">
                  {t.createMember}
                </button>
              </p>
            </Form>
          </>
        )
      ) : owner?.isMemberPage ? (
        <p>{t.memberPageNoTeam}</p>
      ) : (
        <>
          <p>{invite ? t.teamInviteText : t.makeTeamText}</p>
          {invite ? (
            <p>
              <code data-testid="team-invite">{invite}</code>
            </p>
          ) : null}
          <Form method="post">
            <button type="submit" className="button">
              {invite ? t.rotate : t.makeTeam}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
