import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Paragraphs } from "~/components/paragraphs";
import { ProgressBar } from "~/components/progress-bar";
import { GoalBadge } from "~/components/ui/badge";
import { collectionMessages } from "~/i18n/collections";
import { fill, type Locale } from "~/i18n/messages";
import type { CollectionPageView } from "~/services/collections/page.server";
import { formatDate } from "~/utils/dates";
import { formatOre } from "~/utils/money";

/** The public page of a collection (/c/<slug>): every text people wrote is rendered as text. */
export function CollectionView({ view, locale, shareUrl, qrSvg }: { view: CollectionPageView; locale: Locale; shareUrl: string; qrSvg: string }) {
  const t = collectionMessages(locale);
  return (
    <article aria-labelledby="collection-title" className="collection-page">
      <h1 id="collection-title">{view.title}</h1>
      <p>
        {t.goalLabel} <GoalBadge number={view.goal.number} locale={locale} /> <Link to={`/goals/${view.goal.slug}`}>{view.goal.title}</Link>
      </p>
      {view.hasImage ? <img className="collection-image" src={`/c/${view.slug}/image`} alt={fill(t.imageAlt, { title: view.title })} /> : null}
      <ProgressBar raisedOre={view.raisedOre} targetOre={view.targetOre} locale={locale} goal={view.goal.number} />
      <p data-testid="collection-stats">
        {view.percent !== null ? <span data-testid="collection-percent">{fill(t.percent, { percent: view.percent })} · </span> : null}
        <span data-testid="collection-gifts">{view.giftCount === 1 ? t.giftsOne : fill(t.gifts, { count: view.giftCount })}</span>
        {view.endsAt && view.status === "active" ? <> · {fill(t.endsAt, { date: formatDate(new Date(new Date(view.endsAt).getTime() - 1), locale) })}</> : null}
      </p>
      {view.status === "active" ? (
        <p>
          <Link className="button" to={`/give?collection=${view.slug}`}>
            {t.give}
          </Link>
        </p>
      ) : (
        <p className="notice" role="status">
          {t.ended}
        </p>
      )}
      <section className="prose" aria-label={view.title}>
        <Paragraphs text={view.story} />
      </section>
      {view.thankYouMessage ? (
        <section aria-labelledby="thanks-heading" className="prose">
          <h2 id="thanks-heading">{t.thankYou}</h2>
          <Paragraphs text={view.thankYouMessage} />
        </section>
      ) : null}
      <ShareBox url={shareUrl} locale={locale} qrSvg={qrSvg} slug={view.slug} />
      <section aria-labelledby="donors-heading">
        <h2 id="donors-heading">{t.donors}</h2>
        {view.donors.length === 0 ? (
          <p className="empty">{t.donorsEmpty}</p>
        ) : (
          <ul className="donor-wall" data-testid="donor-wall">
            {view.donors.map((d, i) => (
              <li key={i} className="card">
                <strong>{d.name ?? t.anonymous}</strong> · {d.amountOre !== null ? formatOre(d.amountOre) : <span className="muted">{t.amountHidden}</span>}
                {d.greeting ? <p className="greeting">{d.greeting}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

/**
 * The link to share: a plain link and field without JavaScript; with it, a copy button and the
 * phone's own share sheet where the browser has one (navigator.share).
 */
function ShareBox({ url, locale, qrSvg, slug }: { url: string; locale: Locale; qrSvg: string; slug: string }) {
  const t = collectionMessages(locale);
  const [canShare, setCanShare] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    setHydrated(true);
    setCanShare(typeof navigator !== "undefined" && typeof navigator.share === "function");
  }, []);
  return (
    <section aria-labelledby="share-heading" className="share-box">
      <h2 id="share-heading">{t.share}</h2>
      <p className="hint">{t.shareHint}</p>
      <p>
        <a href={url} data-testid="share-link">
          {url}
        </a>
      </p>
      {hydrated ? (
        <p className="button-row">
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              void navigator.clipboard?.writeText(url).then(() => setCopied(true));
            }}
          >
            {t.copy}
          </button>
          {canShare ? (
            <button type="button" className="button secondary" onClick={() => void navigator.share({ url }).catch(() => undefined)}>
              {t.nativeShare}
            </button>
          ) : null}
        </p>
      ) : null}
      <p role="status">{copied ? t.copied : ""}</p>
      {/* SVG made by the qrcode package from the page's own address (slug: a–z, 0–9, hyphens). */}
      <figure className="collection-qr" aria-label={t.qr} role="img" dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p>
        <Link to={`/c/${slug}/poster`}>{t.poster}</Link>
      </p>
    </section>
  );
}
