import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { thanksMessages as messages } from "~/i18n/give";
import { common, fill } from "~/i18n/messages";
import { giftStatus } from "~/services/payments/give.server";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { retryLink } from "~/services/payments/links";

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
