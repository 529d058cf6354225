import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AmountField, AppForm, FileField, SelectField, TextareaField, TextField, useAppForm } from "~/components/form";
import { PageHeader } from "~/components/ui/page-header";
import { collectionMessages as messages } from "~/i18n/collections";
import { createCollection, newCollectionOptions } from "~/services/collections/create.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { collectionSchema, COLLECTION_IMAGE_MAX_BYTES, COLLECTION_IMAGE_TYPES, COLLECTION_STORY_MAX } from "~/validation/collections";
import { parseForm } from "~/validation/parse";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").newTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request); // anonymous: to /login, and back here after
  const ctx = await contextFor(request);
  const url = new URL(request.url);
  return { locale: ctx.locale, goal: url.searchParams.get("goal") ?? "", ...(await orThrowResponse(() => newCollectionOptions(ctx))) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const submission = parseForm(form, collectionSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, messages);
  const values = submittedValues(submission.payload);
  const upload = form.get("image");
  const image = upload instanceof File && upload.size > 0 ? new Uint8Array(await upload.arrayBuffer()) : null;
  return attempt(
    ctx.locale,
    async () => {
      const made = await createCollection(ctx, { fields: values, image });
      return redirect(`/c/${made.slug}?done=created`);
    },
    { messages, values },
  );
}

export default function NewCollection() {
  const { locale, goals, organisations, goal } = useLoaderData<typeof loader>();
  const t = messages(locale);
  const f = useAppForm({ id: "new-collection", schema: collectionSchema, result: useActionData<typeof action>(), messages, defaultValue: { goal } });
  return (
    <section aria-labelledby="new-collection-heading">
      <PageHeader id="new-collection-heading" title={t.newTitle} lead={t.newLead} />
      <AppForm of={f} encType="multipart/form-data" className="stack">
        <TextField meta={f.fields.title} label={t.title} />
        <TextareaField meta={f.fields.story} label={t.story} hint={t.storyHint} rows={8} max={COLLECTION_STORY_MAX} />
        <SelectField meta={f.fields.goal} label={t.goal} options={[{ value: "", label: t.chooseGoal }, ...goals.map((g) => ({ value: g.slug, label: `${g.number}. ${g.title}` }))]} />
        <AmountField meta={f.fields.target} label={t.target} hint={t.targetHint} />
        <TextField meta={f.fields.endsOn} label={t.endsOn} hint={t.endsOnHint} placeholder="2026-12-31" autoComplete="off" />
        <FileField meta={f.fields.image} label={t.image} accept={[...COLLECTION_IMAGE_TYPES]} maxBytes={COLLECTION_IMAGE_MAX_BYTES} />
        {organisations.length > 0 ? (
          <SelectField
            meta={f.fields.organisation}
            label={t.organisation}
            options={[{ value: "", label: t.noOrganisation }, ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]}
          />
        ) : null}
        <TextField meta={f.fields.slug} label={t.slug} hint={t.slugHint} autoComplete="off" />
        <p>
          <button type="submit" className="button">
            {t.create}
          </button>
        </p>
      </AppForm>
    </section>
  );
}
