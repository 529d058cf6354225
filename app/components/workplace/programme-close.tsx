import { ConfirmAction } from "~/components/ui/confirm-action";
import { fill, type Locale } from "~/i18n/messages";
import { workplaceProgrammeMessages } from "~/i18n/workplace-programme";
import type { ProgrammeView } from "~/services/workplace/programme.server";

/**
 * Closing the programme (status `closed`), for the employer's contact and for staff: two steps without
 * JavaScript (ConfirmAction), the second posting `intent=close` with `confirm=yes`. A refusal (already
 * closed, no confirmation) comes back as `result` and is said here. A closed programme says so instead.
 */
export function ProgrammeClose({ programme, result, locale, action }: { programme: ProgrammeView; result?: { message?: string }; locale: Locale; action?: string }) {
  const t = workplaceProgrammeMessages(locale);
  if (programme.status === "closed") {
    return (
      <p className="notice" data-testid="programme-closed">
        {t.closedNotice}
      </p>
    );
  }
  return (
    <section aria-labelledby="close-programme-heading" className="stack">
      <h2 id="close-programme-heading">{t.closeHeading}</h2>
      <p>{t.closeLead}</p>
      {result?.message ? (
        <p role="alert" className="notice error">
          {result.message}
        </p>
      ) : null}
      <ConfirmAction
        id="close-programme"
        label={t.closeButton}
        question={fill(t.closeQuestion, { company: programme.organisationName })}
        confirmLabel={t.closeConfirm}
        fields={{ intent: "close", programmeId: String(programme.id), confirm: "yes" }}
        action={action}
        locale={locale}
      />
    </section>
  );
}
