import { Form, Link } from "@remix-run/react";
import { TextareaField } from "~/components/form";
import { fieldsFrom } from "~/components/invoice-fields";
import { StatusBadge } from "~/components/ui/badge";
import { fill, type Locale } from "~/i18n/messages";
import { partnershipMessages, statusLabel } from "~/i18n/partnerships";
import { formatDate, formatDateTime } from "~/utils/dates";
import type { PartnershipFailure } from "./partnership-fields";

/** The staff partnership page's panels (status, screening and sign-off, benefits, renewal). Plain POST forms with an `intent`. */

interface Detail {
  status: string;
  nextStatuses: readonly string[];
  screening: { excluded: boolean; industry: string | null };
  signOff: { at: string; by: string | null; note: string | null; expiresOn: string | null; valid: boolean } | null;
  benefits: { id: number; text: string; retired: boolean; deliveredAt: string | null; by: string | null }[];
  renewsPartnershipId: number | null;
  renewals: { id: number; status: string }[];
}

export function StatusPanel({ detail, locale, failure }: { detail: Detail; locale: Locale; failure: PartnershipFailure }) {
  const t = partnershipMessages(locale);
  const error = failure?.values.intent === "status" ? failure.fieldErrors.status : undefined;
  return (
    <section aria-labelledby="status-heading" className="card">
      <h2 id="status-heading">{t.changeStatus}</h2>
      <p>
        <StatusBadge status={detail.status} label={statusLabel(locale, detail.status)} />
      </p>
      {error ? (
        <p className="form-error" role="alert" id="status-error">
          {error}
        </p>
      ) : null}
      {detail.nextStatuses.length ? (
        <Form method="post" className="inline-actions" aria-describedby={error ? "status-error" : undefined}>
          <input type="hidden" name="intent" value="status" />
          {detail.nextStatuses.map((s) => (
            <button key={s} type="submit" name="status" value={s} className="button secondary small">
              {t.moveTo}: {statusLabel(locale, s)}
            </button>
          ))}
        </Form>
      ) : (
        <p>{t.noMoves}</p>
      )}
    </section>
  );
}

export function SignOffPanel({ detail, locale, failure }: { detail: Detail; locale: Locale; failure: PartnershipFailure }) {
  const t = partnershipMessages(locale);
  const field = fieldsFrom("sign-off", failure?.values.intent === "signoff" ? failure : null);
  const s = detail.signOff;
  const closed = ["renewed", "lapsed", "declined"].includes(detail.status);
  return (
    <section aria-labelledby="signoff-heading" className="card">
      <h2 id="signoff-heading">{t.signOffHeading}</h2>
      {detail.screening.excluded ? (
        <p className="notice warning" role="note">
          {fill(t.screeningWarning, { industry: detail.screening.industry ?? "" })}
        </p>
      ) : detail.screening.industry === null ? (
        <p>{t.noIndustry}</p>
      ) : null}
      {!s ? <p>{t.signOffNone}</p> : s.valid ? <p>{fill(t.signOffBy, { at: formatDateTime(s.at, locale), by: s.by ?? "–", expiresOn: formatDate(s.expiresOn!, locale) })}</p> : <p className="notice warning">{fill(t.signOffExpired, { expiresOn: formatDate(s.expiresOn!, locale) })}</p>}
      {s?.note ? <p>{fill(t.signOffNote, { note: s.note })}</p> : null}
      {closed || s?.valid ? null : (
        <Form method="post" id="sign-off" className="stack" noValidate>
          <input type="hidden" name="intent" value="signoff" />
          <TextareaField meta={field("note")} label={t.signOffNoteLabel} rows={3} max={2000} />
          <p>
            <button type="submit" className="button">
              {s ? t.signOffAgain : t.signOffSubmit}
            </button>
          </p>
        </Form>
      )}
    </section>
  );
}

export function BenefitsPanel({ detail, locale }: { detail: Detail; locale: Locale }) {
  const t = partnershipMessages(locale);
  return (
    <section aria-labelledby="benefits-heading" className="card">
      <h2 id="benefits-heading">{t.benefits}</h2>
      {detail.benefits.length === 0 ? (
        <p>
          {t.benefitsEmpty} <Link to="/admin/tiers">{t.tiersLink}</Link>
        </p>
      ) : (
        <ul className="checklist">
          {detail.benefits.map((b) => (
            <li key={b.id}>
              <Form method="post" className="inline-actions">
                <input type="hidden" name="intent" value="deliver" />
                <input type="hidden" name="benefitId" value={b.id} />
                <input type="hidden" name="delivered" value={b.deliveredAt ? "0" : "1"} />
                <span aria-hidden="true">{b.deliveredAt ? "☑" : "☐"}</span> {b.text} {b.retired ? t.retired : null}{" "}
                <small>{b.deliveredAt ? fill(t.delivered, { at: formatDateTime(b.deliveredAt, locale), by: b.by ?? "–" }) : t.notDelivered}</small>{" "}
                <button type="submit" className="button secondary small">
                  {b.deliveredAt ? t.unmarkDelivered : t.markDelivered}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function RenewalPanel({ detail, locale }: { detail: Detail; locale: Locale }) {
  const t = partnershipMessages(locale);
  const canRenew = ["active", "renewal_due"].includes(detail.status) && !detail.renewals.some((r) => r.status !== "declined");
  return (
    <section aria-labelledby="renewal-heading" className="card">
      <h2 id="renewal-heading">{t.renewal}</h2>
      {detail.renewsPartnershipId ? (
        <p>
          <Link to={`/admin/partnerships/${detail.renewsPartnershipId}`}>{fill(t.renewalOf, { id: detail.renewsPartnershipId })}</Link>
        </p>
      ) : null}
      {detail.renewals.map((r) => (
        <p key={r.id}>
          <Link to={`/admin/partnerships/${r.id}`}>{fill(t.renewedBy, { id: r.id, status: statusLabel(locale, r.status) })}</Link>
        </p>
      ))}
      {canRenew ? (
        <Form method="post">
          <input type="hidden" name="intent" value="renew" />
          <p>{t.renewHint}</p>
          <button type="submit" className="button secondary">
            {t.renew}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
