import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { Honeypot, honeypotTripped } from "~/components/honeypot";
import { getLocale } from "~/i18n/locale.server";
import { common, defineMessages, fill, type Locale } from "~/i18n/messages";
import { ServiceError } from "~/services/errors";
import { listGoals } from "~/services/goals/goals.server";
import { startGift } from "~/services/payments/give.server";
import { GIFT_LIMITS, GREETING_MAX, PRESET_AMOUNTS_KR } from "~/services/payments/limits";
import { formatOre } from "~/utils/money";
import { readForm } from "~/utils/http.server";

const giveMessages = defineMessages({
  sv: {
    title: "Ge en gåva",
    intro: "Din gåva går till det lokala mål du väljer, eller dit behovet är störst just nu. Du betalar tryggt via Stripe.",
    frequency: "Hur vill du ge?",
    oneOff: "En gång",
    monthly: "Varje månad",
    goal: "Till vilket mål?",
    whereNeeded: "Där behovet är störst",
    whereNeededHint: "Gåvor utan valt mål fördelas mellan de fem målen enligt den fördelning personalen har bestämt.",
    amount: "Belopp",
    other: "Annat belopp",
    otherLabel: "Annat belopp i kronor",
    amountHint: "Minst {min}. Högst {max} per gåva och {maxMonthly} per månad.",
    method: "Betalsätt",
    card: "Kort",
    swish: "Swish",
    methodHint: "Månadsgåvor dras alltid från kort (Swish kan inte användas för återkommande betalningar).",
    name: "Namn",
    email: "E-post",
    emailHint: "Kvittot skickas hit.",
    anonymous: "Visa mig som anonym givare",
    greeting: "Hälsning (valfri)",
    greetingHint: "Högst {max} tecken.",
    submit: "Gå vidare till betalning",
    submitting: "Skickar…",
    errorSummary: "Formuläret har fel. Rätta fälten som är markerade.",
    frequency_error: "Välj en gång eller varje månad.",
    amount_required: "Välj ett belopp eller skriv ett eget.",
    amount_invalid: "Skriv beloppet i kronor, till exempel 250 eller 125,50.",
    amount_min: "Det minsta beloppet är {min}.",
    amount_max: "Det största beloppet per gåva är {max}.",
    amount_max_monthly: "Det största beloppet per månad är {maxMonthly}.",
    method_error: "Välj kort eller Swish.",
    goal_unknown: "Välj ett av målen i listan.",
    name_required: "Skriv ditt namn.",
    name_long: "Namnet är för långt.",
    email_error: "Skriv en giltig e-postadress.",
    greeting_long: "Hälsningen får vara högst {max} tecken.",
    gateway_unavailable: "Betalningen kunde inte startas just nu. Försök igen om en stund.",
    invalid: "Kontrollera fältet.",
  },
  en: {
    title: "Give a gift",
    intro: "Your gift goes to the local goal you choose, or where the need is greatest right now. You pay securely through Stripe.",
    frequency: "How would you like to give?",
    oneOff: "Once",
    monthly: "Every month",
    goal: "To which goal?",
    whereNeeded: "Where the need is greatest",
    whereNeededHint: "Gifts without a chosen goal are shared between the five goals as staff have decided.",
    amount: "Amount",
    other: "Other amount",
    otherLabel: "Other amount in kronor",
    amountHint: "At least {min}. At most {max} per gift and {maxMonthly} per month.",
    method: "Payment method",
    card: "Card",
    swish: "Swish",
    methodHint: "Monthly gifts are always charged to a card (Swish cannot be used for recurring payments).",
    name: "Name",
    email: "Email",
    emailHint: "The receipt is sent here.",
    anonymous: "Show me as an anonymous donor",
    greeting: "Greeting (optional)",
    greetingHint: "At most {max} characters.",
    submit: "Continue to payment",
    submitting: "Sending…",
    errorSummary: "The form has errors. Please correct the marked fields.",
    frequency_error: "Choose once or every month.",
    amount_required: "Choose an amount or type your own.",
    amount_invalid: "Type the amount in kronor, for example 250 or 125.50.",
    amount_min: "The smallest amount is {min}.",
    amount_max: "The largest amount per gift is {max}.",
    amount_max_monthly: "The largest amount per month is {maxMonthly}.",
    method_error: "Choose card or Swish.",
    goal_unknown: "Choose one of the goals in the list.",
    name_required: "Please type your name.",
    name_long: "The name is too long.",
    email_error: "Please type a valid email address.",
    greeting_long: "The greeting can be at most {max} characters.",
    gateway_unavailable: "The payment could not be started right now. Please try again in a moment.",
    invalid: "Please check this field.",
  },
});

const limits = {
  min: formatOre(GIFT_LIMITS.minOre),
  max: formatOre(GIFT_LIMITS.maxOneOffOre),
  maxMonthly: formatOre(GIFT_LIMITS.maxMonthlyOre),
};

/** A field error code from the service as text in the page's language. */
function errorText(locale: Locale, code: string): string {
  const t = giveMessages(locale) as Record<string, string>;
  const key = t[`${code}_error`] ? `${code}_error` : t[code] ? code : "invalid";
  return fill(t[key], { ...limits, max: key === "greeting_long" ? GREETING_MAX : limits.max });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${giveMessages(data?.locale ?? "sv").title} – ${common(data?.locale ?? "sv").siteName}` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const goals = await listGoals(await getDb(), locale);
  const url = new URL(request.url);
  const q = (k: string) => url.searchParams.get(k) ?? "";
  const goal = goals.some((g) => g.slug === q("goal")) ? q("goal") : "";
  return {
    locale,
    goals: goals.map((g) => ({ slug: g.slug, number: g.number, title: g.title })),
    defaults: {
      goal,
      frequency: q("frequency") === "monthly" ? "monthly" : "one_off",
      amount: q("amount"),
      method: q("method") === "card" ? "card" : "swish",
    },
  };
}

function formValues(form: FormData) {
  const s = (k: string) => (typeof form.get(k) === "string" ? String(form.get(k)) : "");
  return {
    frequency: s("frequency"),
    goal: s("goal"),
    amount: s("amount"),
    amountOther: s("amountOther"),
    method: s("method") || undefined,
    name: s("name"),
    email: s("email"),
    anonymous: form.get("anonymous") === "on",
    greeting: s("greeting"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const locale = await getLocale(request);
  const form = await readForm(request);
  const values = formValues(form);
  if (honeypotTripped(form)) {
    // A field no person sees was filled in: a bot. No Checkout Session, nothing written.
    const fieldErrors: Record<string, string> = { _form: errorText(locale, "invalid") };
    return data({ ok: false as const, fieldErrors, values }, { status: 400 });
  }
  try {
    const started = await startGift(await getDb(), { input: values, locale });
    return redirect(started.redirectUrl);
  } catch (error) {
    if (error instanceof ServiceError) {
      // Bad input (or Stripe unreachable): 4xx, the message next to its field, nothing written.
      const fieldErrors = Object.fromEntries(Object.entries(error.fieldErrors ?? {}).map(([k, code]) => [k, errorText(locale, code)]));
      return data({ ok: false as const, fieldErrors, values }, { status: error.status });
    }
    throw error;
  }
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p className="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

export default function GivePage() {
  const { locale, goals, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = giveMessages(locale);
  const errors = actionData?.fieldErrors ?? {};
  const v = actionData?.values;
  const frequency = v?.frequency || defaults.frequency;
  const presetStrings = PRESET_AMOUNTS_KR.map(String);
  const amountDefault = v ? v.amount : defaults.amount && presetStrings.includes(defaults.amount) ? defaults.amount : defaults.amount ? "other" : "250";
  const otherDefault = v ? v.amountOther : defaults.amount && !presetStrings.includes(defaults.amount) ? defaults.amount : "";
  const describedBy = (field: string, hint?: string) => [hint, errors[field] ? `${field}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <article aria-labelledby="give-title">
      <h1 id="give-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {Object.keys(errors).length ? (
        <div className="form-error" role="alert">
          <p>{errors._form ?? t.errorSummary}</p>
        </div>
      ) : null}
      <Form method="post" className="stack give-form" noValidate>
        <Honeypot />
        <fieldset className="choice-group">
          <legend>{t.frequency}</legend>
          {(["one_off", "monthly"] as const).map((f) => (
            <label key={f} className="choice">
              <input type="radio" name="frequency" value={f} defaultChecked={frequency === f} />
              {f === "one_off" ? t.oneOff : t.monthly}
            </label>
          ))}
          <FieldError id="frequency-error" message={errors.frequency} />
        </fieldset>
        <div>
          <label htmlFor="goal">{t.goal}</label>
          <select id="goal" name="goal" defaultValue={v?.goal ?? defaults.goal} aria-describedby={describedBy("goal", "goal-hint")} aria-invalid={!!errors.goal}>
            <option value="">{t.whereNeeded}</option>
            {goals.map((g) => (
              <option key={g.slug} value={g.slug}>
                {fill(common(locale).goalNumber, { number: g.number })}: {g.title}
              </option>
            ))}
          </select>
          <p className="hint" id="goal-hint">
            {t.whereNeededHint}
          </p>
          <FieldError id="goal-error" message={errors.goal} />
        </div>
        <fieldset className="choice-group" aria-describedby={describedBy("amount", "amount-hint")}>
          <legend>{t.amount}</legend>
          <div className="amount-options">
            {PRESET_AMOUNTS_KR.map((kr) => (
              <label key={kr} className="choice amount-choice">
                <input type="radio" name="amount" value={String(kr)} defaultChecked={amountDefault === String(kr)} />
                {formatOre(BigInt(kr) * 100n)}
              </label>
            ))}
            <label className="choice amount-choice">
              <input type="radio" name="amount" value="other" defaultChecked={amountDefault === "other"} />
              {t.other}
            </label>
          </div>
          <label htmlFor="amountOther" className="visually-hidden">
            {t.otherLabel}
          </label>
          <input
            id="amountOther"
            name="amountOther"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            placeholder={t.otherLabel}
            defaultValue={otherDefault}
            aria-invalid={!!errors.amount}
            aria-describedby={describedBy("amount", "amount-hint")}
          />
          <p className="hint" id="amount-hint">
            {fill(t.amountHint, limits)}
          </p>
          <FieldError id="amount-error" message={errors.amount} />
        </fieldset>
        <fieldset className="choice-group" aria-describedby={describedBy("method", "method-hint")}>
          <legend>{t.method}</legend>
          {(["swish", "card"] as const).map((m) => (
            <label key={m} className="choice">
              <input type="radio" name="method" value={m} defaultChecked={(v?.method ?? defaults.method) === m} />
              {m === "card" ? t.card : t.swish}
            </label>
          ))}
          <p className="hint" id="method-hint">
            {t.methodHint}
          </p>
          <FieldError id="method-error" message={errors.method} />
        </fieldset>
        <div>
          <label htmlFor="name">{t.name}</label>
          <input id="name" name="name" type="text" autoComplete="name" required maxLength={200} defaultValue={v?.name} aria-invalid={!!errors.name} aria-describedby={describedBy("name")} />
          <FieldError id="name-error" message={errors.name} />
        </div>
        <div>
          <label htmlFor="email">{t.email}</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={v?.email}
            aria-invalid={!!errors.email}
            aria-describedby={describedBy("email", "email-hint")}
          />
          <p className="hint" id="email-hint">
            {t.emailHint}
          </p>
          <FieldError id="email-error" message={errors.email} />
        </div>
        <label className="choice">
          <input type="checkbox" name="anonymous" defaultChecked={v?.anonymous} />
          {t.anonymous}
        </label>
        <div>
          <label htmlFor="greeting">{t.greeting}</label>
          <textarea id="greeting" name="greeting" rows={3} maxLength={GREETING_MAX} defaultValue={v?.greeting} aria-invalid={!!errors.greeting} aria-describedby={describedBy("greeting", "greeting-hint")} />
          <p className="hint" id="greeting-hint">
            {fill(t.greetingHint, { max: GREETING_MAX })}
          </p>
          <FieldError id="greeting-error" message={errors.greeting} />
        </div>
        <p>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t.submitting : t.submit}
          </button>
        </p>
      </Form>
    </article>
  );
}
