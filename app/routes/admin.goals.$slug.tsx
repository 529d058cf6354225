import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages, fill } from "~/i18n/messages";
import { sdgName } from "~/i18n/sdgs";
import { getGoalForStaff, updateGoal } from "~/services/goals/edit.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { goalEditSchema } from "~/validation/goals";
import { parseForm } from "~/validation/parse";
import { oreToKronorText } from "~/utils/money";
import { AmountField, AppForm, CheckboxField, TextareaField, TextField, useAppForm, type FieldMeta } from "~/components/form";

const messages = defineMessages({
  sv: {
    title: "Redigera mål – Lokala mål",
    back: "Alla mål",
    heading: "Mål #{number}",
    intro: "Texterna visas på målets sida, på svenska och engelska. Skriv stycken med en tom rad emellan.",
    swedish: "Svenska",
    english: "Engelska",
    titleField: "Rubrik",
    lead: "Ingress (en mening)",
    about: "Om målet",
    today: "Det här gör vi idag",
    more: "Det här vill vi göra mer av",
    target: "Årsmål i kronor (tomt om inget mål är beslutat)",
    sdgs: "Globala mål (nummer 1–17, med kommatecken emellan)",
    draft: "Texten är ett utkast (visas med en utkastmarkering på sidan)",
    save: "Spara",
    saved: "Målet är sparat.",
    invalid: "Kontrollera de markerade fälten.",
    required: "Fältet måste fyllas i.",
    too_long: "Texten är för lång.",
    invalid_characters: "Texten innehåller otillåtna tecken.",
    target_invalid: "Skriv ett belopp i kronor, större än 0 och högst 1 000 000 000.",
    sdgs_invalid: "Skriv nummer mellan 1 och 17, till exempel 3, 5.",
    view: "Visa målets sida",
  },
  en: {
    title: "Edit goal – Local goals",
    back: "All goals",
    heading: "Goal #{number}",
    intro: "The texts are shown on the goal's page, in Swedish and English. Separate paragraphs with a blank line.",
    swedish: "Swedish",
    english: "English",
    titleField: "Title",
    lead: "Lead (one sentence)",
    about: "About the goal",
    today: "What we do today",
    more: "What we want to do more of",
    target: "Yearly target in kronor (empty if no target is decided)",
    sdgs: "Global Goals (numbers 1–17, separated by commas)",
    draft: "The text is a draft (shown with a draft note on the page)",
    save: "Save",
    saved: "The goal is saved.",
    invalid: "Check the marked fields.",
    required: "This field is required.",
    too_long: "The text is too long.",
    invalid_characters: "The text contains characters that are not allowed.",
    target_invalid: "Type an amount in kronor, above 0 and at most 1,000,000,000.",
    sdgs_invalid: "Type numbers between 1 and 17, for example 3, 5.",
    view: "View the goal's page",
  },
});

const goalTextFields = ["titleSv", "titleEn", "leadSv", "leadEn", "aboutSv", "aboutEn", "todaySv", "todayEn", "moreSv", "moreEn"] as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const locale = await getLocale(request);
  const goal = await orThrowResponse(async () => getGoalForStaff(await contextFor(request), params.slug ?? ""));
  return {
    locale,
    saved: new URL(request.url).searchParams.get("saved") === "1",
    goal: {
      ...goal,
      targetOre: undefined,
      targetKr: goal.targetOre === null ? "" : oreToKronorText(goal.targetOre),
      updatedAt: goal.updatedAt.toISOString(),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const locale = await getLocale(request);
  const submission = parseForm(await readForm(request), goalEditSchema);
  if (submission.status !== "success") return rejectSubmission(submission, locale, messages);
  const values = submittedValues(submission.payload);
  return attempt(
    locale,
    async () => {
      await updateGoal(await contextFor(request), params.slug ?? "", submission.payload);
      return redirect(`/admin/goals/${params.slug}?saved=1`);
    },
    { messages, values },
  );
}

export default function AdminGoal() {
  const { locale, goal, saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const defaultValue: Record<string, string | undefined> = { target: goal.targetKr, sdgs: goal.sdgs.join(", "), draft: goal.draft ? "on" : undefined };
  for (const name of goalTextFields) defaultValue[name] = String(goal[name] ?? "");
  const f = useAppForm({ id: "goal", schema: goalEditSchema, result, messages, defaultValue });
  const fields = f.fields as unknown as Record<string, FieldMeta>;
  const texts = [
    ["title", t.titleField, 0],
    ["lead", t.lead, 0],
    ["about", t.about, 5000],
    ["today", t.today, 5000],
    ["more", t.more, 5000],
  ] as const;
  return (
    <section aria-labelledby="goal-heading">
      <p>
        <Link to="/admin/goals">← {t.back}</Link>
      </p>
      <h1 id="goal-heading">
        {fill(t.heading, { number: goal.number })}: {locale === "en" ? goal.titleEn : goal.titleSv}
      </h1>
      <p>{t.intro}</p>
      {saved && !result ? (
        <p className="notice" role="status">
          {t.saved}
        </p>
      ) : null}
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {t.invalid}
        </p>
      ) : null}
      <AppForm of={f} className="stack">
        {(["Sv", "En"] as const).map((suffix) => (
          <fieldset key={suffix} lang={suffix === "Sv" ? "sv" : "en"}>
            <legend>{suffix === "Sv" ? t.swedish : t.english}</legend>
            {texts.map(([field, label, max]) =>
              max ? (
                <TextareaField key={field} meta={fields[`${field}${suffix}`]} label={label} rows={6} max={max} />
              ) : (
                <TextField key={field} meta={fields[`${field}${suffix}`]} label={label} />
              ),
            )}
          </fieldset>
        ))}
        <AmountField meta={f.fields.target} label={t.target} />
        <TextField meta={f.fields.sdgs} label={t.sdgs} hint={goal.sdgs.length ? goal.sdgs.map((n) => `${n} ${sdgName(n, locale)}`).join(" · ") : undefined} />
        <CheckboxField meta={f.fields.draft} label={t.draft} />
        <p>
          <button type="submit" className="button">
            {t.save}
          </button>{" "}
          <Link to={`/goals/${goal.slug}`}>{t.view}</Link>
        </p>
      </AppForm>
    </section>
  );
}
