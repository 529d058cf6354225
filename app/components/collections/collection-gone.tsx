import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { collectionModerationMessages } from "~/i18n/collection-moderation";
import { common } from "~/i18n/messages";
import { useLocale } from "~/i18n/use-locale";

/**
 * The error boundary of a public collection page: a collection staff hid answers 410 (the loader's
 * service threw Gone), and the visitor gets a kind word instead of an error; anything else gets the
 * site's usual not-found or error text.
 */
export function CollectionErrorBoundary() {
  const error = useRouteError();
  const locale = useLocale();
  const t = common(locale);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 410) return <CollectionGone />;
  const [title, text] = status === 404 ? [t.notFoundTitle, t.notFoundText] : status < 500 ? [t.badRequestTitle, t.badRequestText] : [t.errorTitle, t.errorText];
  if (status >= 500) console.error(error);
  return (
    <section className="error-page">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/">{t.notFoundHome}</Link>
      </p>
    </section>
  );
}

export function CollectionGone() {
  const t = collectionModerationMessages(useLocale());
  return (
    <section className="error-page" aria-labelledby="gone-heading">
      <h1 id="gone-heading">{t.goneHeading}</h1>
      <p>{t.goneText}</p>
      <p>
        <Link to="/">{t.goneLink}</Link>
      </p>
    </section>
  );
}

/** The "report" link every collection page shows (issue 12 item 7). */
export function ReportCollectionLink({ slug }: { slug: string }) {
  const t = collectionModerationMessages(useLocale());
  return (
    <p className="report-link">
      <Link to={`/c/${encodeURIComponent(slug)}/report`} rel="nofollow">
        {t.report}
      </Link>
    </p>
  );
}
