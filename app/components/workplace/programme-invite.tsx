import { AppForm, TextField, useAppForm } from "~/components/form";
import type { FieldMeta } from "~/components/form/field";
import { fill, type Locale } from "~/i18n/messages";
import { workplaceProgrammeErrors, workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import type { ProgrammeView } from "~/services/workplace/programme.server";
import { formatDate } from "~/utils/dates";
import { rotateInviteSchema } from "~/validation/workplace-programme";

/**
 * The join link (issue 13 item 2): the live code's address, its last day, the A4 poster, and one form
 * with two buttons: a new code (the old one stops working) or a new last day for the same code.
 */
export function ProgrammeInvite({ programme, appUrl, result, locale, action }: { programme: ProgrammeView; appUrl: string; result: unknown; locale: Locale; action?: string }) {
  const t = workplaceProgrammeMessages(locale);
  const invite = programme.invite;
  const f = useAppForm({ id: "workplace-invite", schema: rotateInviteSchema, result, messages: workplaceProgrammeErrors, defaultValue: { expiresOn: invite?.expiresOn ?? "" } });
  const url = invite ? `${appUrl}/workplace/${invite.code}` : null;
  return (
    <section aria-labelledby="invite-heading" className="stack">
      <h2 id="invite-heading">{t.inviteHeading}</h2>
      <p>{t.inviteLead}</p>
      {url && invite ? (
        <dl className="facts">
          <dt>{t.inviteLink}</dt>
          <dd>
            <a href={url} data-testid="workplace-invite-link">
              {url}
            </a>
          </dd>
          <dt>{t.colStatus}</dt>
          <dd>{invite.expiresOn ? fill(t.inviteExpires, { date: formatDate(invite.expiresOn, locale) }) : t.inviteNoExpiry}</dd>
          <dt>PDF</dt>
          <dd>
            <a href={`/workplace/${invite.code}/poster?lang=${locale}`} download>
              {t.poster}
            </a>
          </dd>
        </dl>
      ) : (
        <p className="notice warning">{t.noInvite}</p>
      )}
      <AppForm of={f} className="stack" action={action}>
        <input type="hidden" name="programmeId" value={programme.id} />
        <TextField meta={f.fields.expiresOn as unknown as FieldMeta} label={t.expiresOn} placeholder="2026-12-31" autoComplete="off" />
        <p className="button-row">
          <button type="submit" className="button" name="intent" value="rotate">
            {t.rotate}
          </button>{" "}
          {invite ? (
            <button type="submit" className="button secondary" name="intent" value="expiry">
              {t.setExpiry}
            </button>
          ) : null}
        </p>
      </AppForm>
    </section>
  );
}
