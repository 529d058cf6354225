import { Link } from "@remix-run/react";
import { collectionMessages } from "~/i18n/collections";
import type { Locale } from "~/i18n/messages";

/** 404 (unknown) or 410 (hidden by staff): a kind message and a way on. */
export function CollectionMissing({ kind, locale }: { kind: "hidden" | "missing"; locale: Locale }) {
  const t = collectionMessages(locale);
  return (
    <article aria-labelledby="collection-missing">
      <h1 id="collection-missing">{kind === "hidden" ? t.gone : t.notFound}</h1>
      <p>{kind === "hidden" ? t.goneText : t.notFoundText}</p>
      <p>
        <Link className="button" to="/">
          {t.toGoals}
        </Link>
      </p>
    </article>
  );
}
