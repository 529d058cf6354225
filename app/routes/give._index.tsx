import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GiveForm, giftLimitTexts, type GiveFormValues } from "~/components/give-form";
import { honeypotTripped } from "~/components/honeypot";
import { giveMessages } from "~/i18n/give";
import { common, fill, type Locale } from "~/i18n/messages";
import { collectionToGive } from "~/services/collections/collections.server";
import { listGoalChoices } from "~/services/goals/goals.server";
import { startGift, TooManyGifts } from "~/services/payments/give.server";
import { GREETING_MAX } from "~/services/payments/limits";
import { contextFor } from "~/utils/context.server";
import { attempt, readForm } from "~/utils/http.server";

/** A field error code from the service as text in the page's language. */
function errorText(locale: Locale, code: string, extra: Record<string, string | number> = {}): string {
  const t = giveMessages(locale) as Record<string, string>;
  const key = t[`${code}_error`] ? `${code}_error` : t[code] ? code : "invalid";
  return fill(t[key], { ...giftLimitTexts, ...extra, max: key === "greeting_long" ? GREETING_MAX : giftLimitTexts.max });
}

/** Every code the give service can answer with, as text (the wait filled in after too many starts). */
function refusals(locale: Locale, error: { retryAfterS?: number }): Record<string, string> {
  const minutes = error.retryAfterS ? Math.max(1, Math.ceil(error.retryAfterS / 60)) : 0;
  const codes = Object.keys(giveMessages(locale)).map((k) => k.replace(/_error$/, ""));
  return Object.fromEntries(codes.map((code) => [code, errorText(locale, code, { minutes })]));
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${giveMessages(data?.locale ?? "sv").title} – ${common(data?.locale ?? "sv").siteName}` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const { locale } = ctx;
  const goals = await listGoalChoices(ctx.db, locale);
  const url = new URL(request.url);
  const q = (k: string) => url.searchParams.get(k) ?? "";
  const goal = goals.some((g) => g.slug === q("goal")) ? q("goal") : "";
  // /give?collection=<slug>: the collection chosen (its goal fixed), from its page's button.
  const collection = q("collection") ? await collectionToGive(ctx.db, q("collection"), locale) : null;
  return {
    locale,
    collection,
    goals,
    defaults: {
      goal,
      frequency: q("frequency") === "monthly" ? "monthly" : "one_off",
      amount: q("amount"),
      // A monthly gift is paid by card: never preselect Swish for one.
      method: q("method") === "card" || q("frequency") === "monthly" ? "card" : "swish",
    },
  };
}

function formValues(form: FormData): GiveFormValues {
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
    collection: s("collection"),
    hideAmount: form.get("hideAmount") === "on",
    consent: form.get("consent") === "on",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = formValues(form);
  if (honeypotTripped(form)) {
    // A field no person sees was filled in: a bot. No Checkout Session, nothing written.
    const fieldErrors: Record<string, string> = { _form: errorText(ctx.locale, "invalid") };
    return data({ ok: false as const, fieldErrors, values }, { status: 400 });
  }
  // Bad input, too many starts, or Stripe unreachable: 4xx, the message next to its field, nothing written.
  const started = await attempt(ctx.locale, () => startGift(ctx.db, { input: values, locale: ctx.locale, clientKey: context?.clientIp ?? "unknown" }), {
    messages: (locale, error) => refusals(locale, error as Partial<TooManyGifts>),
  });
  if (!("redirectUrl" in started)) return data({ ...started.data, values }, started.init ?? undefined);
  return redirect(started.redirectUrl);
}

export default function GivePage() {
  const { locale, goals, defaults, collection } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = giveMessages(locale);
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  return (
    <article aria-labelledby="give-title">
      <h1 id="give-title">{t.title}</h1>
      <p className="lead">{t.intro}</p>
      {collection && !collection.active ? (
        <p className="form-error" role="status">
          {t.collectionClosedNotice}
        </p>
      ) : null}
      {Object.keys(errors).length ? (
        <div className="form-error" role="alert">
          <p>{errors._form ?? t.errorSummary}</p>
        </div>
      ) : null}
      {/* Keyed on the prefill, so a link with another gift (e.g. "Försök igen") starts a fresh form. */}
      <GiveForm
        key={JSON.stringify(defaults)}
        locale={locale}
        goals={goals}
        collection={collection}
        defaults={defaults}
        values={actionData?.values}
        errors={errors}
        submitting={navigation.state === "submitting"}
      />
    </article>
  );
}
