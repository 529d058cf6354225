import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Honeypot } from "~/components/honeypot";
import { giveMessages } from "~/i18n/give";
import { common, fill, type Locale } from "~/i18n/messages";
import {
  GIFT_LIMITS,
  GREETING_MAX,
  PRESET_AMOUNTS_KR,
} from "~/services/payments/limits";
import { formatOre } from "~/utils/money";

export const giftLimitTexts = {
  min: formatOre(GIFT_LIMITS.minOre),
  max: formatOre(GIFT_LIMITS.maxOneOffOre),
  maxMonthly: formatOre(GIFT_LIMITS.maxMonthlyOre),
};

export type GiveFormValues = {
  frequency: string;
  goal: string;
  amount: string;
  amountOther: string;
  method?: string;
  name: string;
  email: string;
  anonymous: boolean;
  greeting: string;
  collection?: string;
  hideAmount?: boolean;
  /** The contact consent box: never ticked unless the donor ticked it (kept on a refused form). */
  consent?: boolean;
};

interface Props {
  locale: Locale;
  goals: { slug: string; number: number; title: string }[];
  /** A gift to this collection (from /give?collection=<slug>): one-off, to its goal. */
  collection?: {
    slug: string;
    title: string;
    goalTitle: string;
    goalNumber: number;
  } | null;
  defaults: { goal: string; frequency: string; amount: string; method: string };
  values?: GiveFormValues;
  errors: Record<string, string>;
  submitting: boolean;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p className="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

/**
 * The give form. Without JavaScript the server decides: a typed amount wins over the preset radio,
 * and Swish with a monthly gift is refused next to the field. With JavaScript the form shows the
 * same choice before it is sent: typing an amount selects "Annat belopp", choosing a preset clears
 * the typed amount, and choosing "Varje månad" selects card and disables Swish.
 */
export function GiveForm({
  locale,
  goals,
  collection,
  defaults,
  values: v,
  errors,
  submitting,
}: Props) {
  const t = giveMessages(locale);
  const presets = PRESET_AMOUNTS_KR.map(String);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [frequency, setFrequency] = useState(
    v?.frequency || defaults.frequency
  );
  const [amount, setAmount] = useState(
    v
      ? v.amount
      : presets.includes(defaults.amount)
      ? defaults.amount
      : defaults.amount
      ? "other"
      : "250"
  );
  const [other, setOther] = useState(
    v
      ? v.amountOther
      : defaults.amount && !presets.includes(defaults.amount)
      ? defaults.amount
      : ""
  );
  const [method, setMethod] = useState(
    v?.method ?? (frequency === "monthly" ? "card" : defaults.method)
  );
  const describedBy = (field: string, hint?: string) =>
    [hint, errors[field] ? `${field}-error` : null].filter(Boolean).join(" ") ||
    undefined;
  const chooseFrequency = (f: string) => {
    setFrequency(f);
    if (f === "monthly") setMethod("card");
  };
  return (
    // data-hydrated: lets a browser test tell the JavaScript behaviour from the server's rule.
    <Form
      method="post"
      className="stack give-form"
      noValidate
      data-hydrated={hydrated ? "" : undefined}
    >
      <Honeypot />
      {collection ? (
        <CollectionChoice collection={collection} locale={locale} />
      ) : (
        <>
          <fieldset className="choice-group">
            <legend>{t.frequency}</legend>
            {(["one_off", "monthly"] as const).map((f) => (
              <label key={f} className="choice">
                <input
                  type="radio"
                  name="frequency"
                  value={f}
                  checked={frequency === f}
                  onChange={() => chooseFrequency(f)}
                />
                {f === "one_off" ? t.oneOff : t.monthly}
              </label>
            ))}
            <FieldError id="frequency-error" message={errors.frequency} />
          </fieldset>
          <div>
            <label htmlFor="goal">{t.goal}</label>
            <select
              id="goal"
              name="goal"
              defaultValue={v?.goal ?? defaults.goal}
              aria-describedby={describedBy("goal", "goal-hint")}
              aria-invalid={!!errors.goal}
            >
              <option value="">{t.whereNeeded}</option>
              {goals.map((g) => (
                <option key={g.slug} value={g.slug}>
                  {fill(common(locale).goalNumber, { number: g.number })}:{" "}
                  {g.title}
                </option>
              ))}
            </select>
            <p className="hint" id="goal-hint">
              {t.whereNeededHint}
            </p>
            <FieldError id="goal-error" message={errors.goal} />
          </div>
        </>
      )}
      <fieldset
        className="choice-group"
        aria-describedby={describedBy("amount", "amount-hint")}
      >
        <legend>{t.amount}</legend>
        <div className="amount-options">
          {presets.map((kr) => (
            <label key={kr} className="choice amount-choice">
              <input
                type="radio"
                name="amount"
                value={kr}
                checked={amount === kr}
                onChange={() => {
                  setAmount(kr);
                  setOther("");
                }}
              />
              {formatOre(BigInt(kr) * 100n)}
            </label>
          ))}
          <label className="choice amount-choice">
            <input
              type="radio"
              name="amount"
              value="other"
              checked={amount === "other"}
              onChange={() => setAmount("other")}
            />
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
          value={other}
          onChange={(e) => {
            setOther(e.target.value);
            if (e.target.value.trim()) setAmount("other");
          }}
          aria-invalid={!!errors.amount}
          aria-describedby={describedBy("amount", "amount-hint")}
        />
        <p className="hint" id="amount-hint">
          {fill(t.amountHint, giftLimitTexts)}
        </p>
        <FieldError id="amount-error" message={errors.amount} />
      </fieldset>
      <fieldset
        className="choice-group"
        aria-describedby={describedBy("method", "method-hint")}
      >
        <legend>{t.method}</legend>
        {(["swish", "card"] as const).map((m) => (
          <label key={m} className="choice">
            <input
              type="radio"
              name="method"
              value={m}
              checked={method === m}
              onChange={() => setMethod(m)}
              // Only once JavaScript runs: a disabled Swish without it could never be enabled again.
              disabled={hydrated && m === "swish" && frequency === "monthly"}
            />
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
        <input
          id="name"
          name="name"
          type="text"
          autoComplete="name"
          required
          maxLength={200}
          defaultValue={v?.name}
          aria-invalid={!!errors.name}
          aria-describedby={describedBy("name")}
        />
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
        <label className="choice">
          <input
            type="checkbox"
            name="consent"
            defaultChecked={v?.consent ?? false}
            aria-describedby="consent-hint"
          />
          {t.consent}
        </label>
        <p className="hint" id="consent-hint">
          {t.consentHint}
        </p>
      </div>
      {collection ? (
        <label className="choice">
          <input
            type="checkbox"
            name="hideAmount"
            defaultChecked={v?.hideAmount}
          />
          {t.hideAmount}
        </label>
      ) : null}
      <div>
        <label htmlFor="greeting">{t.greeting}</label>
        <textarea
          id="greeting"
          name="greeting"
          rows={3}
          maxLength={GREETING_MAX}
          defaultValue={v?.greeting}
          aria-invalid={!!errors.greeting}
          aria-describedby={describedBy("greeting", "greeting-hint")}
        />
        <p className="hint" id="greeting-hint">
          {fill(t.greetingHint, { max: GREETING_MAX })}
        </p>
        <FieldError id="greeting-error" message={errors.greeting} />
      </div>
      <p>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t.submitting : t.submit}
        </button>
      </p>
    </Form>
  );
}

/** The collection given to, in place of the frequency and goal choices: a collection gift is one-off, to its goal. */
function CollectionChoice({
  collection,
  locale,
}: {
  collection: NonNullable<Props["collection"]>;
  locale: Locale;
}) {
  const t = giveMessages(locale);
  return (
    <div className="give-collection">
      <input type="hidden" name="collection" value={collection.slug} />
      <input type="hidden" name="frequency" value="one_off" />
      <p>
        <strong>
          {fill(t.collectionHeading, { title: collection.title })}
        </strong>
      </p>
      <p>
        {fill(t.collectionGoal, {
          goal: `${fill(common(locale).goalNumber, {
            number: collection.goalNumber,
          })}: ${collection.goalTitle}`,
        })}
      </p>
    </div>
  );
}
