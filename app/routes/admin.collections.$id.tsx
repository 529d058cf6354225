import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TextField } from "~/components/form";
import { fieldsFrom, type InvoiceFailure } from "~/components/invoice-fields";
import { Paragraphs } from "~/components/paragraphs";
import { Badge } from "~/components/ui/badge";
import { ConfirmAction } from "~/components/ui/confirm-action";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { collectionModerationErrors, collectionModerationMessages } from "~/i18n/collection-moderation";
import { fill } from "~/i18n/messages";
import type { ServiceContext } from "~/services/context";
import { collectionForModeration, handleReport, hideCollection, hideGreeting, restoreCollection, restoreGreeting } from "~/services/collections/moderation.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

/** One collection for staff (issue 12 item 7): hide or restore it or a single greeting, with a reason; handle its reports. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: collectionModerationMessages(data?.locale ?? "sv").adminTitle }];

function collectionId(params: { id?: string }): number {
  const id = Number(params.id);
  if (!/^\d{1,10}$/.test(params.id ?? "") || !Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) throw new Response("Not Found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => collectionForModeration(ctx, collectionId(params)))) };
}

/** Each intent is one service call; the answer is this page again with `?done=<what happened>`. */
const services: Record<string, (ctx: ServiceContext, input: Record<string, string>) => Promise<string>> = {
  hide: async (ctx, input) => (await hideCollection(ctx, input), "hidden"),
  restore: async (ctx, input) => (await restoreCollection(ctx, input), "restored"),
  "hide-greeting": async (ctx, input) => (await hideGreeting(ctx, input), "greetingHidden"),
  "restore-greeting": async (ctx, input) => (await restoreGreeting(ctx, input), "greetingRestored"),
  handle: async (ctx, input) => (await handleReport(ctx, input), "handled"),
};

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const id = collectionId(params);
  const form = await readForm(request);
  const values: Record<string, string> = { ...Object.fromEntries([...form].filter(([, v]) => typeof v === "string")), collectionId: String(id) };
  const service = Object.hasOwn(services, values.intent) ? services[values.intent] : null;
  if (!service) throw new Response("unknown intent", { status: 400 });
  return attempt(ctx.locale, async () => redirect(`/admin/collections/${id}?done=${await service(ctx, values)}`), { messages: collectionModerationErrors, values });
}

export default function AdminCollection() {
  const { locale, collection, reports, greetings } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as InvoiceFailure;
  const t = collectionModerationMessages(locale);
  const hideField = fieldsFrom("hide", failure?.values.intent === "hide" ? failure : null)("reason");
  const done = Object.fromEntries(["hidden", "restored", "greetingHidden", "greetingRestored", "handled"].map((k) => [k, (t as Record<string, string>)[`done_${k}`]]));
  return (
    <section aria-labelledby="collection-heading">
      <PageHeader id="collection-heading" title={collection.title} eyebrow={collection.goalTitle} back={{ to: "/admin/collections", label: t.back }} />
      <DoneToast messages={done} />
      {failure?.message && !Object.keys(failure.fieldErrors).length ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t.state}</dt>
        <dd>{collection.hiddenAt ? <Badge tone="danger">{fill(t.hiddenBecause, { reason: collection.hiddenReason ?? "" })}</Badge> : <Badge tone="success">{t.visible}</Badge>}</dd>
        <dt>{t.owner}</dt>
        <dd>{collection.ownerEmail}</dd>
        <dt>{t.created}</dt>
        <dd>{formatDateTime(collection.createdAt, locale)}</dd>
      </dl>
      <p>
        <Link to={`/c/${encodeURIComponent(collection.slug)}`}>/c/{collection.slug}</Link>
      </p>
      <h2>{t.story}</h2>
      <Paragraphs text={collection.story} />
      {collection.hiddenAt ? (
        <ConfirmAction id="restore" label={t.restoreCollection} question={fill(t.restoreQuestion, { title: collection.title })} confirmLabel={t.restoreConfirm} fields={{ intent: "restore" }} />
      ) : (
        <Form method="post" id="hide" className="stack" aria-labelledby="hide-heading" noValidate>
          <h2 id="hide-heading">{t.hideCollection}</h2>
          <p className="hint">{t.hideCollectionHint}</p>
          <input type="hidden" name="intent" value="hide" />
          <TextField meta={hideField} label={t.hideReason} />
          <button type="submit" className="button danger">
            {t.hideCollection}
          </button>
        </Form>
      )}
      <h2 id="reports-heading">{t.reports}</h2>
      {reports.length === 0 ? (
        <EmptyState title={t.noReports} />
      ) : (
        <DataTable
          labelledBy="reports-heading"
          rows={reports}
          rowKey={(r) => r.id}
          columns={[
            { label: t.reported, nowrap: true, cell: (r) => formatDateTime(r.createdAt, locale) },
            { label: t.reason, cell: (r) => r.reason },
            { label: t.reporter, cell: (r) => r.reporterEmail ?? t.anonymousReporter },
            {
              label: t.state,
              cell: (r) =>
                r.handledAt ? (
                  <Badge>{t.handled}</Badge>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="handle" />
                    <input type="hidden" name="reportId" value={r.id} />
                    <button type="submit" className="button secondary small">
                      {t.markHandled}
                    </button>
                  </Form>
                ),
            },
          ]}
        />
      )}
      <h2 id="greetings-heading">{t.greetings}</h2>
      {greetings.length === 0 ? (
        <EmptyState title={t.noGreetings} />
      ) : (
        <DataTable
          labelledBy="greetings-heading"
          rows={greetings}
          rowKey={(g) => g.id}
          columns={[
            { label: t.donor, cell: (g) => (g.anonymous ? `${t.anonymousDonor} (${g.donorName ?? ""})` : (g.donorName ?? t.anonymousDonor)) },
            { label: t.greeting, cell: (g) => g.greeting },
            {
              label: t.state,
              cell: (g) =>
                g.greetingHiddenAt ? (
                  <>
                    <Badge tone="danger">{fill(t.hiddenBecause, { reason: g.greetingHiddenReason ?? "" })}</Badge>{" "}
                    <ConfirmAction id={`restore-greeting-${g.id}`} label={t.restoreGreeting} question={t.restoreGreetingQuestion} confirmLabel={t.restoreConfirm} fields={{ intent: "restore-greeting", paymentId: g.id }} />
                  </>
                ) : (
                  <GreetingHideForm id={g.id} failure={failure?.values.intent === "hide-greeting" && failure.values.paymentId === g.id ? failure : null} t={t} />
                ),
            },
          ]}
        />
      )}
    </section>
  );
}

function GreetingHideForm({ id, failure, t }: { id: string; failure: InvoiceFailure; t: ReturnType<typeof collectionModerationMessages> }) {
  const field = fieldsFrom(`hide-greeting-${id}`, failure)("reason");
  return (
    <Form method="post" id={`hide-greeting-${id}`} noValidate>
      <input type="hidden" name="intent" value="hide-greeting" />
      <input type="hidden" name="paymentId" value={id} />
      <TextField meta={field} label={t.hideReason} />
      <button type="submit" className="button danger-outline small">
        {t.hideGreeting}
      </button>
    </Form>
  );
}
