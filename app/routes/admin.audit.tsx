import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { defineMessages } from "~/i18n/messages";
import { listAudit } from "~/services/audit/audit.server";
import { requireAdmin } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";
import { formatDateTime } from "~/utils/dates";
import { DataTable } from "~/components/data-table";

const messages = defineMessages({
  sv: {
    title: "Händelselogg – Lokala mål",
    heading: "Händelselogg",
    intro: "Inloggningar, utloggningar och ändringar av roller, medlemskap och inställningar. De senaste 200.",
    when: "När",
    what: "Händelse",
    who: "Vem",
    subject: "Gäller",
    org: "Organisation",
    details: "Detaljer",
    system: "systemet",
    empty: "Inga händelser ännu.",
    sign_in: "Inloggning",
    sign_out: "Utloggning",
    session_revoked: "Sessioner avslutade",
    person_created: "Person skapad",
    role_granted: "Roll given",
    role_revoked: "Roll borttagen",
    member_added: "Kontaktperson tillagd",
    member_removed: "Kontaktperson borttagen",
    member_admin_changed: "Administratörsrätt ändrad",
    organisation_created: "Organisation skapad",
    settings_changed: "Inställningar ändrade",
    goal_changed: "Mål ändrat",
    ledger_correction: "Rättelse i målens bokföring",
    ledger_reallocation: "Pengar utan valt mål flyttade",
    anomaly_resolved: "Flaggad betalning åtgärdad",
  },
  en: {
    title: "Audit log – Local goals",
    heading: "Audit log",
    intro: "Sign-ins, sign-outs and changes to roles, memberships and settings. The latest 200.",
    when: "When",
    what: "Event",
    who: "Who",
    subject: "Concerns",
    org: "Organisation",
    details: "Details",
    system: "the system",
    empty: "No events yet.",
    sign_in: "Sign-in",
    sign_out: "Sign-out",
    session_revoked: "Sessions ended",
    person_created: "Person created",
    role_granted: "Role given",
    role_revoked: "Role removed",
    member_added: "Contact added",
    member_removed: "Contact removed",
    member_admin_changed: "Administrator right changed",
    organisation_created: "Organisation created",
    settings_changed: "Settings changed",
    goal_changed: "Goal changed",
    ledger_correction: "Correction in the goal ledger",
    ledger_reallocation: "Undesignated money moved",
    anomaly_resolved: "Flagged payment resolved",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const ctx = await contextFor(request);
  const entries = await orThrowResponse(() => listAudit(ctx));
  return { locale: ctx.locale, entries };
}

export default function AuditLog() {
  const { locale, entries } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      {entries.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <DataTable labelledBy="audit-heading" columns={[t.when, t.what, t.who, t.subject, t.org, t.details]}>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at, locale)}</td>
              <td>{(t as Record<string, string>)[e.action] ?? e.action}</td>
              <td>{e.actor ?? t.system}</td>
              <td>{e.subject ?? ""}</td>
              <td>{e.organisationId ?? ""}</td>
              <td>
                <code>{JSON.stringify(e.details)}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
