import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { common, defineMessages, fill } from "~/i18n/messages";
import { giftStatus } from "~/services/payments/give.server";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { retryLink } from "~/services/payments/links";

const messages = defineMessages({
  sv: {
    title: "Tack för din gåva",
    paidHeading: "Tack! Din gåva är mottagen.",
    paid: "Vi har tagit emot din gåva på {amount} till {goal}.",
    paidMonthly: "Din månadsgåva på {amount} till {goal} är startad. Första månaden är betald.",
    receipt: "Ett kvitto skickas till {email}.",
    pendingHeading: "Vi väntar på bekräftelse av betalningen",
    pending: "Betalningen är inte bekräftad ännu. Sidan uppdateras av sig själv; det brukar ta några sekunder. Har du betalat med Swish, godkänn betalningen i appen.",
    refresh: "Uppdatera nu",
    failedHeading: "Betalningen gick inte igenom",
    failed: "Ingen gåva har dragits. Du kan försöka igen.",
    tryAgain: "Försök igen",
    whereNeeded: "där behovet är störst",
    goalLink: "Tillbaka till målet",
  },
  en: {
    title: "Thank you for your gift",
    paidHeading: "Thank you! Your gift has been received.",
    paid: "We have received your gift of {amount} to {goal}.",
    paidMonthly: "Your monthly gift of {amount} to {goal} has started. The first month is paid.",
    receipt: "A receipt is being sent to {email}.",
    pendingHeading: "Waiting for the payment to be confirmed",
    pending: "The payment is not confirmed yet. This page refreshes by itself; it usually takes a few seconds. If you paid with Swish, approve the payment in the app.",
    refresh: "Refresh now",
    failedHeading: "The payment did not go through",
    failed: "No gift has been taken. You can try again.",
    tryAgain: "Try again",
    whereNeeded: "where the need is greatest",
    goalLink: "Back to the goal",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const locale = data?.locale ?? "sv";
  const tags: ReturnType<MetaFunction> = [{ title: `${messages(locale).title} – ${common(locale).siteName}` }];
  // Without JavaScript too: the page reloads itself while the payment is pending.
  if (data?.gift.status === "pending") tags.push({ httpEquiv: "refresh", content: "3" });
  return tags;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const ref = new URL(request.url).searchParams.get("ref") ?? "";
  const db = await getDb();
  const gift = await orThrowResponse(() => giftStatus(db, ref, locale, { confirm: true }));
  return { locale, ref, gift };
}

export default function Thanks() {
  const { locale, ref, gift } = useLoaderData<typeof loader>();
  const t = messages(locale);
  const goal = gift.goalTitle ?? t.whereNeeded;
  const amount = formatOre(gift.amountOre);
  return (
    <article aria-labelledby="thanks-title" aria-live="polite">
      {gift.status === "paid" ? (
        <>
          <h1 id="thanks-title">{t.paidHeading}</h1>
          <p className="notice" data-testid="gift-status" data-status="paid">
            {fill(gift.monthly ? t.paidMonthly : t.paid, { amount, goal })}
          </p>
          {gift.donorEmail ? <p>{fill(t.receipt, { email: gift.donorEmail })}</p> : null}
          {gift.goalSlug ? (
            <p>
              <Link to={`/goals/${gift.goalSlug}`}>{t.goalLink}</Link>
            </p>
          ) : null}
        </>
      ) : gift.status === "pending" ? (
        <>
          <h1 id="thanks-title">{t.pendingHeading}</h1>
          <p className="status-pending" data-testid="gift-status" data-status="pending">
            {t.pending}
          </p>
          <p>
            <Link to={`/give/thanks?ref=${encodeURIComponent(ref)}`}>{t.refresh}</Link>
          </p>
        </>
      ) : (
        <>
          <h1 id="thanks-title">{t.failedHeading}</h1>
          <p className="form-error" data-testid="gift-status" data-status={gift.status}>
            {t.failed}
          </p>
          <p>
            <Link className="button" to={retryLink(gift)}>
              {t.tryAgain}
            </Link>
          </p>
        </>
      )}
    </article>
  );
}
