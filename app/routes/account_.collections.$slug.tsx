import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CloseCollection, EditCollectionForm, OwnerGifts, ThankYouForm } from "~/components/collections/owner-view";
import { ProgressBar } from "~/components/progress-bar";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { collectionOwnerErrors, collectionOwnerMessages } from "~/i18n/collection-owner";
import { fill } from "~/i18n/messages";
import { endDateOf } from "~/services/collections/end-date";
import { closeCollection, ownerCollection, setThankYouMessage, updateCollection } from "~/services/collections/owner.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { formatDate } from "~/utils/dates";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { collectionEditSchema, thankYouSchema } from "~/validation/collection-owner";
import { parseForm } from "~/validation/parse";

/** The owner's view of one collection (issue 12 item 4): totals, gifts, thank-you, edit, close early. Owner and staff only (the service checks). */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? fill(collectionOwnerMessages(data.locale).pageTitle, { title: data.collection.title }) : "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const view = await orThrowResponse(() => ownerCollection(ctx, params.slug ?? ""));
  return { locale: ctx.locale, ...view };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const slug = params.slug ?? "";
  const here = `/account/collections/${encodeURIComponent(slug)}`;
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const opts = { messages: collectionOwnerErrors };
  if (intent === "thanks") {
    const submission = parseForm(form, thankYouSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, collectionOwnerErrors);
    const values = submittedValues(submission.payload);
    return attempt(ctx.locale, async () => (await setThankYouMessage(ctx, slug, values), redirect(`${here}?done=thanks`)), { ...opts, values });
  }
  if (intent === "edit") {
    const submission = parseForm(form, collectionEditSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, collectionOwnerErrors);
    const values = submittedValues(submission.payload);
    const file = form.get("image");
    const image = file && typeof file !== "string" ? new Uint8Array(await file.arrayBuffer()) : null;
    return attempt(ctx.locale, async () => (await updateCollection(ctx, slug, { fields: values, image }), redirect(`${here}?done=saved`)), { ...opts, values });
  }
  if (intent === "close") return attempt(ctx.locale, async () => (await closeCollection(ctx, slug), redirect(`${here}?done=closed`)), { ...opts, values: { intent } });
  throw new Response("unknown intent", { status: 400 });
}

export default function OwnerCollection() {
  const { locale, collection: c, raisedOre, giftCount, gifts, milestones, summarySentAt } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as { values?: Record<string, string>; message?: string } | undefined;
  const t = collectionOwnerMessages(locale);
  const target = c.targetOre === null ? null : BigInt(c.targetOre);
  const percent = target ? Number((BigInt(raisedOre) * 100n) / target) : null;
  const editable = !c.ended && !c.hiddenAt;
  return (
    <section aria-labelledby="owner-heading">
      <PageHeader id="owner-heading" title={c.title} eyebrow={`${t.goal}: ${c.goalTitle}`} back={{ to: "/account/collections", label: t.back }} />
      <DoneToast messages={{ saved: t.done_saved, thanks: t.done_thanks, closed: t.done_closed }} />
      {failure?.values?.intent === "close" && failure.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      {c.hiddenAt ? <p className="notice warning">{t.hiddenNotice}</p> : c.ended ? <p className="notice">{t.endedNotice}</p> : null}
      <dl className="facts">
        <dt>{t.raised}</dt>
        <dd data-testid="owner-raised">{target ? fill(t.ofTarget, { raised: formatOre(raisedOre), target: formatOre(target), percent: percent ?? 0 }) : formatOre(raisedOre)}</dd>
        <dt>{t.gifts}</dt>
        <dd>{fill(t.giftCount, { count: giftCount })}</dd>
        <dt>{t.ends}</dt>
        <dd>{c.endsAt ? formatDate(endDateOf(new Date(c.endsAt)), locale) : t.noEnd}</dd>
      </dl>
      {target ? <ProgressBar raisedOre={String(raisedOre)} targetOre={String(target)} locale={locale} /> : null}
      {c.hiddenAt ? null : (
        <p>
          <Link to={`/c/${encodeURIComponent(c.slug)}`}>{t.openPage}</Link>
        </p>
      )}
      <h2>{t.milestones}</h2>
      <p>{milestones.length ? milestones.map((m) => `${m.percent} %`).join(", ") : t.milestonesNone}</p>
      {summarySentAt ? <p>{fill(t.summarySent, { date: formatDate(summarySentAt, locale) })}</p> : null}
      <h2 id="gifts-heading">{t.giftsHeading}</h2>
      <OwnerGifts gifts={gifts} locale={locale} t={t} />
      <h2>{t.thankYouHeading}</h2>
      <ThankYouForm message={c.thankYouMessage} t={t} />
      {editable ? (
        <>
          <h2>{t.editHeading}</h2>
          <EditCollectionForm
            collection={{ title: c.title, story: c.story, targetKronor: target ? (target / 100n).toString() : "", endsOn: endDateOf(c.endsAt ? new Date(c.endsAt) : null), hasImage: c.hasImage }}
            t={t}
          />
          <CloseCollection title={c.title} t={t} />
        </>
      ) : null}
    </section>
  );
}
