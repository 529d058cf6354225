import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { listDevMailbox, requireDevMailbox } from "~/services/email/dev-mailbox.server";
import { formatDateTime } from "~/utils/dates";
import { DataTable } from "~/components/data-table";

export const devMailMessages = defineMessages({
  sv: {
    title: "Utvecklarbrevlåda – Lokala mål",
    heading: "Utvecklarbrevlåda",
    intro: "Lokalt läge: inga mejl skickas. Här visas alla mejl som appen har lagt i sin utkorg. Sidan finns inte i drift.",
    to: "Till",
    subject: "Ämne",
    status: "Status",
    created: "Skapat",
    empty: "Inga mejl ännu.",
    pending: "(renderas när det skickas)",
    back: "Alla mejl",
    links: "Länkar i mejlet",
    html: "HTML",
    text: "Text",
    linkRemoved: "Inloggningslänken har tagits bort ur utkorgen (mejlet gick ut via en riktig e-posttjänst, eller sändningen gav upp). Bara länkens hash sparas, så länken, HTML och text visas inte här.",
  },
  en: {
    title: "Dev mailbox – Local goals",
    heading: "Dev mailbox",
    intro: "Local mode: no email is sent. This lists every email the app has put in its outbox. The page does not exist in a deployment.",
    to: "To",
    subject: "Subject",
    status: "Status",
    created: "Created",
    empty: "No emails yet.",
    pending: "(rendered when sent)",
    back: "All emails",
    links: "Links in the email",
    html: "HTML",
    text: "Text",
    linkRemoved: "The sign-in link has been removed from the outbox (the email went out through a real email service, or sending gave up). Only the link's hash is kept, so the link, HTML and text are not shown here.",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: devMailMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  requireDevMailbox();
  return { locale: await getLocale(request), messages: await listDevMailbox(await getDb()) };
}

export default function DevMailbox() {
  const { locale, messages } = useLoaderData<typeof loader>();
  const t = devMailMessages(locale);
  return (
    <section aria-labelledby="mail-heading">
      <h1 id="mail-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      {messages.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <DataTable labelledBy="mail-heading" columns={[t.created, t.to, t.subject, t.status]}>
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{formatDateTime(m.createdAt, locale)}</td>
              <td>{m.to}</td>
              <td>
                <Link to={`/dev/mail/${m.id}`}>{m.subject ?? `${m.template} ${t.pending}`}</Link>
              </td>
              <td>{m.status}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
