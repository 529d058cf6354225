import { redirect } from "@remix-run/node";
import { payrollErrorMessages } from "~/i18n/workplace-payroll";
import { workplaceProgrammeErrors } from "~/i18n/workplace-programme";
import { idParamOr404 } from "~/services/auth/validation";
import { requireOrganisationActor, type ServiceContext } from "~/services/context";
import { rotateInvite, setInviteExpiry } from "~/services/workplace/invite.server";
import { closeProgramme } from "~/services/workplace/programme-close.server";
import { saveProgramme } from "~/services/workplace/programme.server";
import { resolveUnderpaidFlag } from "~/services/workplace/underpaid-flags.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { programmeSchema, staffProgrammeSchema } from "~/validation/workplace-programme";
import { parseForm } from "~/validation/parse";

/**
 * The one action of the programme pages (the contact's /partner/workplace and staff's
 * /admin/workplace/<organisation>): `intent` save | rotate | expiry | close, and for staff resolve (an
 * invoice flagged as paid short, underpaid-flags.server.ts). Each refusal is a 4xx with the
 * messages next to the fields and `values.intent`, so the page shows it on the form that was sent.
 */
export async function workplaceProgrammeAction(request: Request, ctx: ServiceContext, organisationId: number, back: string) {
  // Refuse someone else's organisation before reading the form, so they learn nothing from its messages.
  await orThrowResponse(async () => requireOrganisationActor(ctx, organisationId));
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const staff = ctx.actor.kind === "person" && ctx.actor.roles.length > 0;
  if (intent === "save") {
    const submission = parseForm(form, staff ? staffProgrammeSchema : programmeSchema);
    // Every ticked goal comes back with a refusal (not only the first), so a form without JavaScript keeps them.
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, workplaceProgrammeErrors, 400, ["goalIds"]);
    return attempt(ctx.locale, async () => (await saveProgramme(ctx, organisationId, submission.payload), redirect(`${back}done=saved`)), {
      messages: workplaceProgrammeErrors,
      values: submittedValues(submission.payload, ["goalIds"]),
    });
  }
  if (intent === "resolve") {
    const input = { anomalyId: String(form.get("anomalyId") ?? ""), note: String(form.get("note") ?? "") };
    return attempt(ctx.locale, async () => (await resolveUnderpaidFlag(ctx, input), redirect(`${back}done=resolved`)), { messages: payrollErrorMessages, values: { intent, ...input } });
  }
  const values = { intent, expiresOn: String(form.get("expiresOn") ?? "") };
  const programmeId = idParamOr404(String(form.get("programmeId") ?? ""));
  if (intent === "rotate") return attempt(ctx.locale, async () => (await rotateInvite(ctx, programmeId, values), redirect(`${back}done=rotated`)), { messages: workplaceProgrammeErrors, values });
  if (intent === "close") {
    const confirm = { confirm: String(form.get("confirm") ?? "") };
    return attempt(ctx.locale, async () => (await closeProgramme(ctx, programmeId, confirm), redirect(`${back}done=closed`)), { messages: workplaceProgrammeErrors, values: { intent } });
  }
  if (intent === "expiry") return attempt(ctx.locale, async () => (await setInviteExpiry(ctx, programmeId, values), redirect(`${back}done=expiry`)), { messages: workplaceProgrammeErrors, values });
  throw new Response("unknown intent", { status: 400 });
}
