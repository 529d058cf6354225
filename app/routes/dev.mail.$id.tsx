import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { getDevMail, linksIn, requireDevMailbox } from "~/services/email/dev-mailbox.server";
import { devMailMessages } from "./dev.mail._index";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.mail.subject ?? "Dev mail" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireDevMailbox();
  const row = await getDevMail(await getDb(), params.id);
  return {
    locale: await getLocale(request),
    mail: { id: row.id, to: row.to, subject: row.subject, status: row.status, text: row.text, hasHtml: !!row.html, template: row.template, linkRemoved: row.linkRemoved },
    links: linksIn(row.text ?? ""),
  };
}

export default function DevMail() {
  const { locale, mail, links } = useLoaderData<typeof loader>();
  const t = devMailMessages(locale);
  return (
    <section aria-labelledby="mail-heading">
      <p>
        <Link to="/dev/mail">{t.back}</Link>
      </p>
      <h1 id="mail-heading">{mail.subject ?? `${mail.template} ${t.pending}`}</h1>
      <p>
        {t.to}: {mail.to} · {t.status}: {mail.status}
      </p>
      {mail.linkRemoved ? (
        <p className="notice" role="status">
          {t.linkRemoved}
        </p>
      ) : null}
      {links.length ? (
        <>
          <h2>{t.links}</h2>
          <ul data-testid="mail-links">
            {links.map((href) => (
              <li key={href}>
                <a href={href}>{href}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {mail.hasHtml ? (
        <>
          <h2>{t.html}</h2>
          <iframe className="mail-frame" title={t.html} sandbox="" src={`/dev/mail/${mail.id}/html`} />
        </>
      ) : null}
      {mail.text ? (
        <>
          <h2>{t.text}</h2>
          <pre className="mail-text">{mail.text}</pre>
        </>
      ) : null}
    </section>
  );
}
