import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CorrectionForm, MoveForm, ResolveForm } from "~/components/corrections-forms";
import { DataTable } from "~/components/ui/data-table";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { authorLabel } from "~/i18n/authors";
import { correctionsMessages } from "~/i18n/corrections";
import { fill } from "~/i18n/messages";
import { correctionsOverview } from "~/services/ledger/corrections-read.server";
import { moveUndesignated, postCorrection, resolveRefundFailed } from "~/services/ledger/corrections.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDateTime } from "~/utils/dates";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: correctionsMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, ...(await orThrowResponse(() => correctionsOverview(ctx))) };
}

const services = { correction: postCorrection, move: moveUndesignated, resolve: resolveRefundFailed } as const;

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const intent = values.intent as keyof typeof services;
  if (!Object.hasOwn(services, intent)) throw new Response("unknown intent", { status: 400 });
  const service = services[intent] as (c: typeof ctx, input: Record<string, string>) => Promise<unknown>;
  // `values` carries the intent back, so the page knows which form a refusal belongs to.
  return attempt(
    ctx.locale,
    async () => {
      await service(ctx, values);
      return redirect(`/admin/corrections?done=${intent}`);
    },
    { messages: correctionsMessages, values },
  );
}

export default function AdminCorrections() {
  const { locale, goals, recent, refundsFailed, channels } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as { fieldErrors: Record<string, string>; values: Record<string, string>; message?: string } | undefined;
  const t = correctionsMessages(locale);
  const kindText = t as Record<string, string>;
  const goalOptions = goals.map((g) => ({ id: g.id, title: g.title }));
  const openRefunds = refundsFailed.filter((r) => !r.resolved).map((r) => ({ id: r.id, label: `${r.objectId}${r.amountOre ? ` (${formatOre(r.amountOre)})` : ""}` }));
  return (
    <section aria-labelledby="corrections-heading">
      <PageHeader id="corrections-heading" title={t.heading} lead={t.lead} />
      <DoneToast messages={{ correction: t.posted, move: t.moved, resolve: t.resolvedDone }} />
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <h2 id="goals-heading">{t.goalsHeading}</h2>
      <DataTable
        labelledBy="goals-heading"
        rows={goals}
        rowKey={(g) => g.id}
        columns={[
          { label: t.goalCol, cell: (g) => g.title },
          { label: t.balanceCol, numeric: true, cell: (g) => formatOre(g.balanceOre) },
          { label: t.undesignatedCol, cell: (g) => (g.undesignated.length ? g.undesignated.map((u) => `${kindText[`channel_${u.channel}`] ?? u.channel}: ${formatOre(u.ore)}`).join(" · ") : t.none) },
          { label: t.historyLink, hiddenLabel: true, cell: (g) => <Link to={`/admin/goals/${g.slug}/ledger`}>{t.historyLink}</Link> },
        ]}
      />
      <h2 id="correction-heading">{t.correctionHeading}</h2>
      <p className="prose">{t.correctionHint}</p>
      <CorrectionForm t={t} goals={goalOptions} channels={channels} openRefunds={openRefunds} failure={failure ?? null} />
      <h2 id="move-heading">{t.moveHeading}</h2>
      <p className="prose">{t.moveHint}</p>
      <MoveForm t={t} goals={goalOptions} channels={channels} failure={failure ?? null} />
      <h2 id="refunds-heading">{t.refundsHeading}</h2>
      {refundsFailed.length === 0 ? (
        <p className="empty">{t.refundsEmpty}</p>
      ) : (
        <DataTable
          labelledBy="refunds-heading"
          rows={refundsFailed}
          rowKey={(r) => r.id}
          columns={[
            { label: t.flagged, nowrap: true, cell: (r) => formatDateTime(r.at, locale) },
            { label: t.payment, cell: (r) => `${r.paymentId ? `#${r.paymentId} ` : ""}${r.objectId}${r.amountOre ? ` · ${formatOre(r.amountOre)}` : ""}` },
            {
              label: t.status,
              cell: (r) =>
                r.resolved ? fill(t.resolvedBy, { when: formatDateTime(r.resolved.at, locale), who: authorLabel(r.resolved.by, locale), note: r.resolved.note }) : <ResolveForm t={t} anomalyId={r.id} failure={failure ?? null} />,
            },
          ]}
        />
      )}
      <h2 id="recent-heading">{t.recentHeading}</h2>
      {recent.length === 0 ? (
        <p className="empty">{t.recentEmpty}</p>
      ) : (
        <DataTable
          labelledBy="recent-heading"
          rows={recent}
          rowKey={(e) => e.id}
          columns={[
            { label: t.when, nowrap: true, cell: (e) => formatDateTime(e.at, locale) },
            { label: t.kind, cell: (e) => kindText[`kind_${e.kind}`] ?? e.kind },
            { label: t.goalCol, cell: (e) => e.goal },
            { label: t.amount, numeric: true, cell: (e) => formatOre(e.amountOre) },
            { label: t.channel, cell: (e) => kindText[`channel_${e.channel}`] ?? e.channel },
            { label: t.reason, cell: (e) => e.reason },
            { label: t.by, cell: (e) => authorLabel(e.author, locale) },
          ]}
        />
      )}
    </section>
  );
}
