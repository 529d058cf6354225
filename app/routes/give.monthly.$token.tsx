import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { common, defineMessages, fill } from "~/i18n/messages";
import { ServiceError } from "~/services/errors";
import { GIFT_LIMITS } from "~/services/payments/limits";
import { cardUpdateUrl, changeMonthlyAmount, monthlyGiftForToken, stopMonthlyGift } from "~/services/payments/monthly.server";
import { orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

const messages = defineMessages({
  sv: {
    title: "Din månadsgåva",
    summary: "Du ger {amount} i månaden till {goal}. Tack!",
    whereNeeded: "där behovet är störst",
    status_pending: "Månadsgåvan är inte startad än: betalningen är inte bekräftad.",
    status_active: "Månadsgåvan är aktiv.",
    status_past_due: "Den senaste dragningen misslyckades. Uppdatera kortet så fortsätter gåvan.",
    status_canceled: "Månadsgåvan är avslutad. Tack för allt du har gett!",
    change: "Ändra belopp",
    amount: "Nytt belopp i kronor per månad",
    amountHint: "Minst {min}, högst {max} i månaden. Ändringen gäller från nästa dragning.",
    save: "Spara nytt belopp",
    card: "Uppdatera kort",
    cardText: "Byt det kort som gåvan dras från.",
    stop: "Avsluta månadsgåvan",
    stopText: "Inga fler dragningar görs. Det du redan har gett påverkas inte.",
    stopButton: "Avsluta gåvan",
    saved: "Beloppet är ändrat.",
    stopped: "Månadsgåvan är avslutad.",
    amount_invalid: "Skriv beloppet i kronor, till exempel 200.",
    amount_min: "Det minsta beloppet är {min}.",
    amount_max_monthly: "Det största beloppet per månad är {max}.",
    monthly_gift_not_active: "Gåvan är inte aktiv och kan inte ändras.",
    gateway: "Ändringen kunde inte göras just nu. Försök igen om en stund.",
  },
  en: {
    title: "Your monthly gift",
    summary: "You give {amount} a month to {goal}. Thank you!",
    whereNeeded: "where the need is greatest",
    status_pending: "The monthly gift has not started yet: the payment is not confirmed.",
    status_active: "The monthly gift is active.",
    status_past_due: "The latest charge failed. Update the card and the gift continues.",
    status_canceled: "The monthly gift has ended. Thank you for everything you have given!",
    change: "Change the amount",
    amount: "New amount in kronor per month",
    amountHint: "At least {min}, at most {max} a month. The change applies from the next charge.",
    save: "Save the new amount",
    card: "Update card",
    cardText: "Change the card the gift is charged to.",
    stop: "Stop the monthly gift",
    stopText: "No further charges are made. What you have already given is not affected.",
    stopButton: "Stop the gift",
    saved: "The amount has been changed.",
    stopped: "The monthly gift has been stopped.",
    amount_invalid: "Type the amount in kronor, for example 200.",
    amount_min: "The smallest amount is {min}.",
    amount_max_monthly: "The largest amount per month is {max}.",
    monthly_gift_not_active: "The gift is not active and cannot be changed.",
    gateway: "The change could not be made right now. Please try again in a moment.",
  },
});

const limits = { min: formatOre(GIFT_LIMITS.minOre), max: formatOre(GIFT_LIMITS.maxMonthlyOre) };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${messages(data?.locale ?? "sv").title} – ${common(data?.locale ?? "sv").siteName}` },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const db = await getDb();
  const gift = await orThrowResponse(() => monthlyGiftForToken(db, params.token ?? "", locale));
  const done = new URL(request.url).searchParams.get("done");
  // A fresh key per form render: a double-submitted form reaches Stripe once.
  return { locale, gift, done, requestId: globalThis.crypto.randomUUID() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const locale = await getLocale(request);
  const t = messages(locale) as Record<string, string>;
  const form = await readForm(request);
  const token = params.token ?? "";
  const what = String(form.get("intent") ?? "");
  const requestId = String(form.get("requestId") ?? "") || globalThis.crypto.randomUUID();
  const db = await getDb();
  const here = `/give/monthly/${token}`;
  try {
    if (what === "change") {
      await changeMonthlyAmount(db, { token, amount: String(form.get("amount") ?? ""), requestId });
      return redirect(`${here}?done=saved`);
    }
    if (what === "stop") {
      await stopMonthlyGift(db, { token });
      return redirect(`${here}?done=stopped`);
    }
    if (what === "card") return redirect(await cardUpdateUrl(db, { token, requestId }));
    return data({ fieldErrors: { _form: t.gateway } as Record<string, string> }, { status: 400 });
  } catch (error) {
    if (error instanceof ServiceError) {
      if (error.status === 404) throw new Response("Not found", { status: 404 });
      const code = error.fieldErrors?.amount ?? error.message;
      const message = fill(t[code] ?? t.gateway, limits);
      return data({ fieldErrors: (error.fieldErrors?.amount ? { amount: message } : { _form: message }) as Record<string, string> }, { status: error.status });
    }
    console.error("[payments] monthly gift change failed:", error instanceof Error ? error.message : error);
    return data({ fieldErrors: { _form: t.gateway } as Record<string, string> }, { status: 502 });
  }
}

export default function MonthlyGiftPage() {
  const { locale, gift, done, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = messages(locale) as ReturnType<typeof messages> & Record<string, string>;
  const errors = actionData?.fieldErrors ?? {};
  return (
    <article aria-labelledby="monthly-title">
      <h1 id="monthly-title">{t.title}</h1>
      <p>{fill(t.summary, { amount: formatOre(gift.amountOre), goal: gift.goalTitle ?? t.whereNeeded })}</p>
      <p className={gift.status === "past_due" ? "form-error" : "notice"} data-testid="monthly-status" data-status={gift.status}>
        {t[`status_${gift.status}`]}
      </p>
      {done === "saved" ? <p className="notice" role="status">{t.saved}</p> : null}
      {done === "stopped" ? <p className="notice" role="status">{t.stopped}</p> : null}
      {errors._form ? (
        <p className="form-error" role="alert">
          {errors._form}
        </p>
      ) : null}
      {gift.canChange ? (
        <>
          <section aria-labelledby="change-heading">
            <h2 id="change-heading">{t.change}</h2>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="change" />
              <input type="hidden" name="requestId" value={requestId} />
              <div>
                <label htmlFor="amount">{t.amount}</label>
                <input
                  id="amount"
                  name="amount"
                  type="text"
                  inputMode="decimal"
                  defaultValue={String(Number(gift.amountOre) / 100)}
                  aria-invalid={!!errors.amount}
                  aria-describedby={errors.amount ? "amount-hint amount-error" : "amount-hint"}
                />
                <p className="hint" id="amount-hint">
                  {fill(t.amountHint, limits)}
                </p>
                {errors.amount ? (
                  <p className="field-error" id="amount-error">
                    {errors.amount}
                  </p>
                ) : null}
              </div>
              <p>
                <button className="button" type="submit">
                  {t.save}
                </button>
              </p>
            </Form>
          </section>
          <section aria-labelledby="card-heading">
            <h2 id="card-heading">{t.card}</h2>
            <p>{t.cardText}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="card" />
              <input type="hidden" name="requestId" value={requestId} />
              <button className="button secondary" type="submit">
                {t.card}
              </button>
            </Form>
          </section>
          <section aria-labelledby="stop-heading">
            <h2 id="stop-heading">{t.stop}</h2>
            <p>{t.stopText}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="stop" />
              <button className="button secondary" type="submit">
                {t.stopButton}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </article>
  );
}
