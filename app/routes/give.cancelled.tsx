import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { cancelledMessages as messages } from "~/i18n/give";
import { getLocale } from "~/i18n/locale.server";
import { common, fill } from "~/i18n/messages";
import { cancelGift } from "~/services/payments/give.server";
import { retryLink } from "~/services/payments/links";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${messages(data?.locale ?? "sv").title} – ${common(data?.locale ?? "sv").siteName}` },
];

// Checkout's cancel_url: arriving here is the donor's "cancel", so the loader ends the session.
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const url = new URL(request.url);
  const ref = url.searchParams.get("ref") ?? "";
  const db = await getDb();
  const gift = await orThrowResponse(() => cancelGift(db, ref, locale));
  return { locale, ref, gift, swishTimeout: url.searchParams.get("reason") === "swish_timeout" };
}

export default function Cancelled() {
  const { locale, ref, gift, swishTimeout } = useLoaderData<typeof loader>();
  const t = messages(locale);
  return (
    <article aria-labelledby="cancel-title">
      <h1 id="cancel-title">{t.title}</h1>
      {gift.status === "paid" ? (
        <p className="notice">{t.paid}</p>
      ) : gift.status === "pending" ? (
        // Not cancellable (a Swish payment waiting for approval): money may still come.
        <>
          <p className="notice" data-testid="gift-pending">
            {t.stillPending}
          </p>
          <p>
            <Link to={`/give/thanks?ref=${encodeURIComponent(ref)}`}>{t.statusLink}</Link>
          </p>
        </>
      ) : (
        <>
          {swishTimeout ? (
            <p className="form-error" data-testid="swish-timeout">
              {t.swishTimeout}
            </p>
          ) : null}
          <p data-testid="no-gift">
            {t.noGift} {fill(t.retry, { amount: formatOre(gift.amountOre), goal: gift.goalTitle ?? t.whereNeeded })}
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
