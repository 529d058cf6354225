import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CollectionMissing } from "~/components/collections/collection-missing";
import { ProgressBar } from "~/components/progress-bar";
import { GoalBadge } from "~/components/ui/badge";
import { collectionMessages } from "~/i18n/collections";
import { collectionPage, qrSvg } from "~/services/collections/page.server";
import { contextFor } from "~/utils/context.server";
import { env } from "~/utils/env.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data && data.kind === "found" ? data.view.title : "Insamling" }];

/** A printable poster: title, goal, the QR code and the address; print CSS hides the site around it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const found = await collectionPage(ctx, params.slug ?? "");
  if (found.kind !== "found") return data({ kind: found.kind, locale: ctx.locale }, { status: found.kind === "hidden" ? 410 : 404 });
  const url = `${env().appUrl}/c/${found.view.slug}`;
  return { kind: "found" as const, locale: ctx.locale, view: found.view, url, qrSvg: await qrSvg(url) };
}

export default function CollectionPoster() {
  const d = useLoaderData<typeof loader>();
  if (d.kind !== "found") return <CollectionMissing kind={d.kind} locale={d.locale} />;
  const t = collectionMessages(d.locale);
  return (
    <article className="collection-poster" aria-labelledby="poster-title">
      <h1 id="poster-title">{d.view.title}</h1>
      <p>
        {t.goalLabel} <GoalBadge number={d.view.goal.number} locale={d.locale} /> {d.view.goal.title}
      </p>
      <ProgressBar raisedOre={d.view.raisedOre} targetOre={d.view.targetOre} locale={d.locale} goal={d.view.goal.number} />
      <p>
        <strong>{t.posterCta}</strong>
      </p>
      {/* SVG made by the qrcode package from the page's own address. */}
      <figure className="collection-qr" aria-label={t.qr} role="img" dangerouslySetInnerHTML={{ __html: d.qrSvg }} />
      <p className="poster-url">{d.url}</p>
      <p className="no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          {t.print}
        </button>
      </p>
    </article>
  );
}
