import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages, fill, type Locale } from "~/i18n/messages";
import { sdgName } from "~/i18n/sdgs";
import { getGoalForStaff, updateGoal } from "~/services/goals/edit.server";
import { requireStaff } from "~/utils/auth.server";
import { ServiceError } from "~/services/errors";
import { orThrowResponse, readForm } from "~/utils/http.server";
import { oreToKronorText } from "~/utils/money";
import { FieldError, fieldAria } from "~/components/field-error";

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

type Messages = ReturnType<typeof messages>;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const locale = await getLocale(request);
  const goal = await orThrowResponse(async () => getGoalForStaff(await getDb(), user, params.slug ?? ""));
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
  const input = Object.fromEntries([...(await readForm(request)).entries()].map(([k, v]) => [k, String(v)]));
  try {
    await updateGoal(await getDb(), user, params.slug ?? "", input);
  } catch (error) {
    // Bad input: 4xx, each message next to its field, what was typed kept (also without JavaScript).
    if (error instanceof ServiceError) return data({ ok: false as const, fieldErrors: error.fieldErrors ?? {}, values: input }, { status: error.status });
    throw error;
  }
  return redirect(`/admin/goals/${params.slug}?saved=1`);
}

function Field({
  name,
  label,
  value,
  errors,
  t,
  multiline,
  lang,
}: {
  name: string;
  label: string;
  value: string;
  errors: Record<string, string>;
  t: Messages;
  multiline?: boolean;
  lang?: Locale;
}) {
  const code = errors[name];
  const message = code ? ((t as Record<string, string>)[code] ?? t.invalid) : null;
  return (
    <div>
      <label htmlFor={name}>{label}</label>
      {multiline ? (
        <textarea id={name} name={name} rows={6} defaultValue={value} lang={lang} {...fieldAria(name, message)} />
      ) : (
        <input id={name} name={name} type="text" defaultValue={value} lang={lang} {...fieldAria(name, message)} />
      )}
      <FieldError id={name} message={message} />
    </div>
  );
}

export default function AdminGoal() {
  const { locale, goal, saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const errors: Record<string, string> = result && !result.ok ? result.fieldErrors : {};
  const typed: Record<string, string> | undefined = result && !result.ok ? result.values : undefined;
  const value = (name: string, saved: string) => typed?.[name] ?? saved;
  const texts = [
    ["title", t.titleField, false],
    ["lead", t.lead, false],
    ["about", t.about, true],
    ["today", t.today, true],
    ["more", t.more, true],
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
      <Form method="post" className="stack" noValidate>
        {(["Sv", "En"] as const).map((suffix) => (
          <fieldset key={suffix} lang={suffix === "Sv" ? "sv" : "en"}>
            <legend>{suffix === "Sv" ? t.swedish : t.english}</legend>
            {texts.map(([field, label, multiline]) => {
              const name = `${field}${suffix}`;
              return <Field key={name} name={name} label={label} value={value(name, String(goal[name as keyof typeof goal] ?? ""))} errors={errors} t={t} multiline={multiline} />;
            })}
          </fieldset>
        ))}
        <Field name="target" label={t.target} value={value("target", goal.targetKr)} errors={errors} t={t} />
        <Field name="sdgs" label={t.sdgs} value={value("sdgs", goal.sdgs.join(", "))} errors={errors} t={t} />
        {goal.sdgs.length ? <p>{goal.sdgs.map((n) => `${n} ${sdgName(n, locale)}`).join(" · ")}</p> : null}
        <label className="choice">
          <input type="checkbox" name="draft" defaultChecked={typed ? typed.draft === "on" : goal.draft} /> {t.draft}
        </label>
        <p>
          <button type="submit" className="button">
            {t.save}
          </button>{" "}
          <Link to={`/goals/${goal.slug}`}>{t.view}</Link>
        </p>
      </Form>
    </section>
  );
}
