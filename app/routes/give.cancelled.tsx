import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { common, defineMessages, fill } from "~/i18n/messages";
import { giftStatus } from "~/services/payments/give.server";
import { retryLink } from "~/services/payments/links";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

const messages = defineMessages({
  sv: {
    title: "Betalningen avbröts",
    text: "Ingen gåva har dragits. Vill du försöka igen? Formuläret är ifyllt med samma gåva: {amount} till {goal}.",
    swishTimeout: "Swish-betalningen hann inte godkännas. En Swish-betalning måste godkännas i appen inom ungefär tre minuter. Ingen gåva har dragits.",
    paid: "Den här gåvan är redan betald. Tack!",
    tryAgain: "Försök igen",
    whereNeeded: "där behovet är störst",
  },
  en: {
    title: "The payment was cancelled",
    text: "No gift has been taken. Would you like to try again? The form is filled in with the same gift: {amount} to {goal}.",
    swishTimeout: "The Swish payment was not approved in time. A Swish payment must be approved in the app within about three minutes. No gift has been taken.",
    paid: "This gift has already been paid. Thank you!",
    tryAgain: "Try again",
    whereNeeded: "where the need is greatest",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${messages(data?.locale ?? "sv").title} – ${common(data?.locale ?? "sv").siteName}` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const url = new URL(request.url);
  const db = await getDb();
  const gift = await orThrowResponse(() => giftStatus(db, url.searchParams.get("ref") ?? "", locale));
  return { locale, gift, swishTimeout: url.searchParams.get("reason") === "swish_timeout" };
}

export default function Cancelled() {
  const { locale, gift, swishTimeout } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <article aria-labelledby="cancel-title">
      <h1 id="cancel-title">{t.title}</h1>
      {gift.status === "paid" ? (
        <p className="notice">{t.paid}</p>
      ) : (
        <>
          {swishTimeout ? (
            <p className="form-error" data-testid="swish-timeout">
              {t.swishTimeout}
            </p>
          ) : null}
          <p>{fill(t.text, { amount: formatOre(gift.amountOre), goal: gift.goalTitle ?? t.whereNeeded })}</p>
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
