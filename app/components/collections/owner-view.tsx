import { useActionData } from "@remix-run/react";
import { AppForm, CheckboxField, FileField, TextareaField, TextField, useAppForm } from "~/components/form";
import { ConfirmAction } from "~/components/ui/confirm-action";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { collectionOwnerErrors, collectionOwnerMessages } from "~/i18n/collection-owner";
import { fill, type Locale } from "~/i18n/messages";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";
import { thankYouSchema, collectionEditSchema, THANK_YOU_MAX } from "~/validation/collection-owner";
import { COLLECTION_IMAGE_MAX_BYTES, COLLECTION_IMAGE_TYPES, COLLECTION_STORY_MAX, COLLECTION_TITLE_MAX } from "~/validation/collections";

/** The parts of the owner's page /account/collections/<slug> (issue 12 item 4); all user text rendered as text. */

type T = ReturnType<typeof collectionOwnerMessages>;

export interface OwnerGiftRow {
  id: string;
  name: string | null;
  amountOre: bigint | string | null;
  greeting: string | null;
  greetingHidden: boolean;
  paidAt: Date | string | null;
  memberTitle: string | null;
}

export function OwnerGifts({ gifts, locale, t }: { gifts: OwnerGiftRow[]; locale: Locale; t: T }) {
  if (gifts.length === 0) return <EmptyState title={t.giftsEmpty} />;
  return (
    <DataTable
      labelledBy="gifts-heading"
      rows={gifts}
      rowKey={(g) => g.id}
      columns={[
        { label: t.date, nowrap: true, cell: (g) => (g.paidAt ? formatDate(g.paidAt, locale) : "") },
        { label: t.donor, cell: (g) => (g.memberTitle ? `${g.name ?? t.anonymous} (${fill(t.memberPage, { title: g.memberTitle })})` : (g.name ?? t.anonymous)) },
        { label: t.amount, numeric: true, cell: (g) => (g.amountOre === null ? t.amountHidden : formatOre(g.amountOre)) },
        { label: t.greeting, cell: (g) => (g.greetingHidden ? <em>{t.greetingHidden}</em> : (g.greeting ?? "")) },
      ]}
    />
  );
}

/** Which form an action's refusal belongs to (each form posts its `intent`). */
function resultFor(intent: string, result: unknown) {
  const values = (result as { values?: Record<string, string> } | undefined)?.values;
  return values?.intent === intent ? result : undefined;
}

export function ThankYouForm({ message, t }: { message: string | null; t: T }) {
  const f = useAppForm({ id: "thanks", schema: thankYouSchema, result: resultFor("thanks", useActionData()), messages: collectionOwnerErrors, defaultValue: { thankYouMessage: message ?? "" } });
  return (
    <AppForm of={f}>
      <input type="hidden" name="intent" value="thanks" />
      <TextareaField meta={f.fields.thankYouMessage} label={t.thankYouLabel} hint={t.thankYouHint} max={THANK_YOU_MAX} rows={3} />
      <button type="submit" className="button">
        {t.save}
      </button>
    </AppForm>
  );
}

export interface EditableCollection {
  title: string;
  story: string;
  targetKronor: string;
  endsOn: string;
  hasImage: boolean;
}

export function EditCollectionForm({ collection, t }: { collection: EditableCollection; t: T }) {
  const f = useAppForm({
    id: "edit",
    schema: collectionEditSchema,
    result: resultFor("edit", useActionData()),
    messages: collectionOwnerErrors,
    defaultValue: { title: collection.title, story: collection.story, target: collection.targetKronor, endsOn: collection.endsOn },
  });
  return (
    <AppForm of={f} encType="multipart/form-data">
      <input type="hidden" name="intent" value="edit" />
      <TextField meta={f.fields.title} label={t.titleLabel} maxLength={COLLECTION_TITLE_MAX * 2} />
      <TextareaField meta={f.fields.story} label={t.storyLabel} hint={t.storyHint} max={COLLECTION_STORY_MAX} rows={8} />
      <TextField meta={f.fields.target} label={t.targetLabel} hint={t.targetHint} inputMode="decimal" />
      <TextField meta={f.fields.endsOn} label={t.endsLabel} hint={t.endsHint} placeholder="2026-12-31" />
      <FileField meta={f.fields.image} label={t.imageLabel} accept={[...COLLECTION_IMAGE_TYPES]} maxBytes={COLLECTION_IMAGE_MAX_BYTES} />
      {collection.hasImage ? <CheckboxField meta={f.fields.removeImage} label={t.removeImage} /> : null}
      <button type="submit" className="button">
        {t.save}
      </button>
    </AppForm>
  );
}

export function CloseCollection({ title, t }: { title: string; t: T }) {
  return (
    <section aria-labelledby="close-heading">
      <h2 id="close-heading">{t.closeHeading}</h2>
      <p>{t.closeText}</p>
      <ConfirmAction id="close" label={t.close} question={fill(t.closeQuestion, { title })} confirmLabel={t.closeConfirm} fields={{ intent: "close" }} />
    </section>
  );
}
