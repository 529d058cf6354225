import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { defineMessages } from "~/i18n/messages";
import { listOutboxForStaff, retryFailedEmail } from "~/services/email/outbox.server";
import { parseId } from "~/services/auth/validation";
import { requireAdmin } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { DataTable } from "~/components/data-table";

const messages = defineMessages({
  sv: {
    title: "Utgående mejl – Lokala mål",
    heading: "Utgående mejl",
    intro: "Köns läge, utan innehåll (ett inloggningsmejl får bara mottagaren läsa). Misslyckade försök görs om automatiskt; ett mejl som gett upp kan försökas igen.",
    created: "Skapat",
    to: "Till",
    template: "Mall",
    status: "Status",
    attempts: "Försök",
    error: "Senaste fel",
    retry: "Försök igen",
    retried: "Mejlet ligger i kön igen.",
    notRetried: "Mejlet kan inte köas om: det har inte misslyckats slutgiltigt, eller det är en inloggningslänk som har tagits bort (personen får begära en ny).",
    empty: "Inga mejl ännu.",
  },
  en: {
    title: "Outgoing email – Local goals",
    heading: "Outgoing email",
    intro: "The queue's state, without contents (only the recipient may read a sign-in email). Failed attempts are retried automatically; a message that gave up can be tried again.",
    created: "Created",
    to: "To",
    template: "Template",
    status: "Status",
    attempts: "Attempts",
    error: "Last error",
    retry: "Try again",
    retried: "The email is back in the queue.",
    notRetried: "The email cannot be queued again: it has not failed for good, or it is a sign-in link that has been removed (the person can ask for a new one).",
    empty: "No emails yet.",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const ctx = await contextFor(request);
  const rows = await orThrowResponse(() => listOutboxForStaff(ctx));
  return {
    locale: ctx.locale,
    rows: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), sentAt: r.sentAt?.toISOString() ?? null, nextAttemptAt: r.nextAttemptAt.toISOString() })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const ctx = await contextFor(request);
  const id = parseId((await readForm(request)).get("id"));
  if (id === null) return data({ ok: false as const }, { status: 400 });
  return attempt(ctx.locale, async () => {
    const ok = await retryFailedEmail(ctx, id);
    return data({ ok }, { status: ok ? 200 : 409 });
  });
}

export default function AdminEmail() {
  const { locale, rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  return (
    <section aria-labelledby="email-heading">
      <h1 id="email-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      {result ? (
        <p className={result.ok ? "notice" : "form-error"} role="status">
          {result.ok ? t.retried : t.notRetried}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <DataTable labelledBy="email-heading" columns={[t.created, t.to, t.template, t.status, t.attempts, t.error]}>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{formatDateTime(r.createdAt, locale)}</td>
              <td>{r.to}</td>
              <td>{r.template}</td>
              <td>{r.status}</td>
              <td>{r.attempts}</td>
              <td>
                {r.lastError ?? ""}
                {r.status === "failed" ? (
                  <Form method="post">
                    <input type="hidden" name="id" value={r.id} />
                    <button type="submit" className="link-button">
                      {t.retry}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
