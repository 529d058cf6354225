import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountGifts, AccountMonthlyGifts } from "~/components/account-gifts";
import { accountMessages } from "~/i18n/account";
import { fill } from "~/i18n/messages";
import { accountOverview } from "~/services/account/overview.server";
import { revokeOtherSessions, revokeSessionsOf } from "~/services/auth/sessions.server";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { clearSessionCookie } from "~/utils/session-cookie.server";
import { DataTable } from "~/components/data-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: accountMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => accountOverview(ctx))) };
}

/** Sign out on the other devices (this one stays signed in), or everywhere, this one included. */
export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "sign-out-others") {
    return attempt(ctx.locale, async () => ({ signedOutOthers: await revokeOtherSessions(ctx) }));
  }
  if (intent === "sign-out-everywhere") {
    const me = ctx.actor.kind === "person" ? ctx.actor.personId : 0;
    return attempt(ctx.locale, async () => {
      await revokeSessionsOf(ctx, me);
      return redirect("/", { headers: { "Set-Cookie": await clearSessionCookie() } });
    });
  }
  return data({ error: "unknown_intent" as const }, { status: 400 });
}

export default function Account() {
  const account = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { locale, email, name, roles, organisations, sessions } = account;
  const t = accountMessages(locale);
  return (
    <section aria-labelledby="account-heading">
      <h1 id="account-heading">{t.heading}</h1>
      <p>
        {t.signedInAs} <strong data-testid="account-email">{email}</strong>
        {name ? ` (${name})` : ""}
      </p>
      {roles.length ? (
        <>
          <h2>{t.roles}</h2>
          <p>{roles.map((r) => (r === "admin" ? t.role_admin : t.role_fundraiser)).join(", ")}</p>
          <p>
            <Link to="/admin">{t.staffArea}</Link>
          </p>
        </>
      ) : null}

      <AccountGifts locale={locale} email={email} gifts={account.gifts} recipient={account.recipient} />
      <AccountMonthlyGifts locale={locale} monthlyGifts={account.monthlyGifts} />

      <h2>{t.organisations}</h2>
      {organisations.length ? (
        <ul>
          {organisations.map((o) => (
            <li key={o.id}>
              <Link to={`/org/${o.id}`}>{o.name}</Link>
              {o.isAdmin ? ` (${t.orgAdmin})` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t.noOrganisations}</p>
      )}

      <h2 id="sessions-heading">{t.sessions}</h2>
      <p>{t.sessionsIntro}</p>
      {result && "signedOutOthers" in result ? (
        <p className="notice" role="status">
          {fill(t.signedOutOthers, { count: result.signedOutOthers })}
        </p>
      ) : null}
      {result && "error" in result ? (
        <p className="form-error" role="alert">
          {t.unknownIntent}
        </p>
      ) : null}
      <DataTable labelledBy="sessions-heading" columns={[t.device, t.signedInAt, t.lastSeen]}>
        {sessions.map((s, i) => (
          <tr key={i} data-testid={s.current ? "current-session" : "session"}>
            <td>
              {s.device}
              {s.current ? (
                <>
                  {" "}
                  <strong className="tag">{t.thisDevice}</strong>
                </>
              ) : null}
            </td>
            <td>{formatDateTime(s.createdAt, locale)}</td>
            <td>{formatDateTime(s.lastSeenAt, locale)}</td>
          </tr>
        ))}
      </DataTable>
      <div className="button-row" style={{ marginTop: "1rem" }}>
        {sessions.length > 1 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="sign-out-others" />
            <button type="submit" className="button secondary">
              {t.signOutOthers}
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-everywhere" />
          <button type="submit" className="button secondary">
            {t.signOutEverywhere}
          </button>
        </Form>
        <Form method="post" action="/logout">
          <button type="submit" className="button secondary">
            {t.signOut}
          </button>
        </Form>
      </div>
    </section>
  );
}
