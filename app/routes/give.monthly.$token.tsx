import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { AmountField, AppForm, useAppForm } from "~/components/form";
import { common, fill, type Locale } from "~/i18n/messages";
import { monthlyGiftMessages as messages, monthlyGiftTexts } from "~/i18n/monthly-gift";
import { GIFT_LIMITS } from "~/services/payments/limits";
import { cardUpdateUrl, changeMonthlyAmount, monthlyGiftForToken, stopMonthlyGift } from "~/services/payments/monthly.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission } from "~/utils/forms.server";
import { monthlyAmountSchema } from "~/validation/monthly-gift";
import { parseForm } from "~/validation/parse";
import { formatOre, oreToKronorText } from "~/utils/money";

const limits = { min: formatOre(GIFT_LIMITS.minOre), max: formatOre(GIFT_LIMITS.maxMonthlyOre) };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${messages(data?.locale ?? "sv").title} – ${common(data?.locale ?? "sv").siteName}` },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const { locale } = ctx;
  const gift = await orThrowResponse(() => monthlyGiftForToken(ctx, params.token ?? ""));
  const search = new URL(request.url).searchParams;
  // Stopping is asked twice: the first button only opens this confirmation state (a plain link, so
  // it works without JavaScript); the POST that stops the gift comes from the confirmation.
  const confirmStop = search.get("step") === "stop" && gift.canChange;
  // A fresh key per form render: a double-submitted form reaches Stripe once.
  return { locale, gift, done: search.get("done"), confirmStop, requestId: globalThis.crypto.randomUUID() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await contextFor(request);
  const t = monthlyGiftTexts(ctx.locale);
  const form = await readForm(request);
  const token = params.token ?? "";
  // A link that is not (any longer) a gift's is the page's 404, as for the GET.
  await orThrowResponse(() => monthlyGiftForToken(ctx, token));
  const what = String(form.get("intent") ?? "");
  const requestId = String(form.get("requestId") ?? "") || globalThis.crypto.randomUUID();
  const here = `/give/monthly/${token}`;
  const opts = {
    messages: (locale: Locale) => ({ ...(monthlyGiftTexts(locale) as Record<string, string>), gateway_unavailable: monthlyGiftTexts(locale).gateway }),
    values: { intent: what, amount: String(form.get("amount") ?? "") },
  };
  if (what === "change") {
    const submission = parseForm(form, monthlyAmountSchema);
    if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, monthlyGiftTexts);
    const amount = String(submission.payload.amount ?? "");
    return attempt(ctx.locale, () => changeMonthlyAmount(ctx, { token, amount, requestId }).then(() => redirect(`${here}?done=saved`)), opts);
  }
  if (what === "stop") return attempt(ctx.locale, () => stopMonthlyGift(ctx, { token }).then(() => redirect(`${here}?done=stopped`)), opts);
  if (what === "card") return attempt(ctx.locale, async () => redirect(await cardUpdateUrl(ctx, { token, requestId })), opts);
  return data({ ok: false as const, fieldErrors: { _form: t.gateway } as Record<string, string> }, { status: 400 });
}

type Texts = ReturnType<typeof messages> & Record<string, string>;

/** An ended gift: one notice, what it was, and the way to start a new one. */
function Stopped({ t, amount, goal, amountOre, announce }: { t: Texts; amount: string; goal: string; amountOre: string; announce: boolean }) {
  return (
    <div className="notice" data-testid="monthly-status" data-status="canceled" role={announce ? "status" : undefined}>
      <p>
        <strong>{t.status_canceled}</strong>
      </p>
      <p>{fill(t.stoppedSummary, { amount, goal })}</p>
      <p>
        <Link to={`/give?frequency=monthly&amount=${Number(amountOre) / 100}`}>{t.startNew}</Link>
      </p>
    </div>
  );
}

function ConfirmStop({ t, amount, goal, here }: { t: Texts; amount: string; goal: string; here: string }) {
  return (
    <section aria-labelledby="confirm-heading" className="confirm-box">
      <h2 id="confirm-heading">{t.confirmHeading}</h2>
      <p>{fill(t.confirmText, { amount, goal })}</p>
      <Form method="post" action={here} className="button-row">
        <input type="hidden" name="intent" value="stop" />
        <button className="button" type="submit">
          {t.confirmButton}
        </button>
        <Link className="button secondary" to={here} replace>
          {t.cancelButton}
        </Link>
      </Form>
    </section>
  );
}

export default function MonthlyGiftPage() {
  const { locale, gift, done, confirmStop, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = messages(locale) as Texts;
  // The amount form shows its own refusals; anything else (stop, card) is said above the sections.
  const forAmount = !!actionData && "values" in actionData && (actionData.values as Record<string, string> | undefined)?.intent === "change" && gift.canChange && !confirmStop;
  const errors: Record<string, string> = actionData && !forAmount ? actionData.fieldErrors : {};
  const f = useAppForm({ id: "monthly-amount", schema: monthlyAmountSchema, result: forAmount ? actionData : undefined, messages: monthlyGiftTexts, defaultValue: { amount: oreToKronorText(gift.amountOre) } });
  const amount = formatOre(gift.amountOre);
  const goal = gift.goalTitle ?? t.whereNeeded;
  const here = `/give/monthly/${useParams().token ?? ""}`;
  return (
    <article aria-labelledby="monthly-title">
      <h1 id="monthly-title">{t.title}</h1>
      {gift.status === "canceled" ? (
        <Stopped t={t} amount={amount} goal={goal} amountOre={gift.amountOre} announce={done === "stopped"} />
      ) : (
        <>
          <p>{fill(t.summary, { amount, goal })}</p>
          <p className={gift.status === "past_due" ? "form-error" : "notice"} data-testid="monthly-status" data-status={gift.status}>
            {t[`status_${gift.status}`]}
          </p>
        </>
      )}
      {done === "saved" ? <p className="notice" role="status">{t.saved}</p> : null}
      {errors._form ? (
        <p className="form-error" role="alert">
          {errors._form}
        </p>
      ) : null}
      {gift.canChange && confirmStop ? <ConfirmStop t={t} amount={amount} goal={goal} here={here} /> : null}
      {gift.canChange && !confirmStop ? (
        <>
          <section aria-labelledby="change-heading">
            <h2 id="change-heading">{t.change}</h2>
            <AppForm of={f} className="stack">
              <input type="hidden" name="intent" value="change" />
              <input type="hidden" name="requestId" value={requestId} />
              <AmountField meta={f.fields.amount} label={t.amount} hint={fill(t.amountHint, limits)} />
              <p>
                <button className="button" type="submit">
                  {t.save}
                </button>
              </p>
            </AppForm>
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
            <p>
              <Link className="button secondary" to={`${here}?step=stop`}>
                {t.stopButton}
              </Link>
            </p>
          </section>
        </>
      ) : null}
    </article>
  );
}
