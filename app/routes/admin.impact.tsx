import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ImpactForm, ImpactTable } from "~/components/impact/impact-admin";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { impactAdminMessages, impactErrorMessages } from "~/i18n/impact";
import { createImpactFigure, deleteImpactFigure, impactAdminPage, updateImpactFigure } from "~/services/impact/impact.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { impactFigureSchema, impactIdSchema } from "~/validation/impact";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: impactAdminMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const page = await orThrowResponse(() => impactAdminPage(ctx));
  const edit = new URL(request.url).searchParams.get("edit");
  const editing = page.figures.find((f) => String(f.id) === edit)?.raw ?? null;
  return { locale: ctx.locale, ...page, editing };
}

/** intent=save (a new figure, or the one whose id is sent) or intent=delete (after ConfirmAction's second step). */
export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    const submission = parseForm(form, impactIdSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, impactErrorMessages);
    const { id } = submission.value;
    return attempt(ctx.locale, async () => (await deleteImpactFigure(ctx, id), redirect("/admin/impact?done=removed")), { messages: impactErrorMessages });
  }
  const submission = parseForm(form, impactFigureSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, impactErrorMessages);
  const values = submittedValues(submission.payload);
  const id = parseForm(form, impactIdSchema);
  return attempt(
    ctx.locale,
    async () => (await (id.status === "success" ? updateImpactFigure(ctx, id.value.id, values) : createImpactFigure(ctx, values)), redirect("/admin/impact?done=saved")),
    { messages: impactErrorMessages, values },
  );
}

export default function AdminImpact() {
  const { locale, goals, figures, editing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = impactAdminMessages(locale);
  return (
    <section aria-labelledby="impact-admin-heading">
      <PageHeader id="impact-admin-heading" title={t.heading} lead={t.lead} />
      <DoneToast messages={{ saved: t.saved, removed: t.removed }} />
      {result && Object.keys(result.fieldErrors ?? {}).length === 0 ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      {figures.length === 0 ? (
        <EmptyState title={t.empty}>
          <p>{t.emptyNext}</p>
        </EmptyState>
      ) : (
        <ImpactTable figures={figures} goals={goals} locale={locale} />
      )}
      <h2 id="impact-form-heading">{editing ? t.editHeading : t.newHeading}</h2>
      <ImpactForm key={editing?.id ?? "new"} locale={locale} goals={goals} result={result} editing={editing} />
    </section>
  );
}
