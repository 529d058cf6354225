import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ReportCollectionLink } from "~/components/collections/collection-gone";
import { CollectionMissing } from "~/components/collections/collection-missing";
import { CollectionView } from "~/components/collections/collection-view";
import { DoneToast } from "~/components/ui/toast";
import { collectionMessages } from "~/i18n/collections";
import { common } from "~/i18n/messages";
import { collectionPage, qrSvg } from "~/services/collections/page.server";
import { contextFor } from "~/utils/context.server";
import { env } from "~/utils/env.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data && data.kind === "found" ? data.view.title : "Insamling"} – ${common(data?.locale ?? "sv").siteName}` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const found = await collectionPage(ctx, params.slug ?? "");
  if (found.kind !== "found") return data({ kind: found.kind, locale: ctx.locale }, { status: found.kind === "hidden" ? 410 : 404 });
  const shareUrl = `${env().appUrl}/c/${found.view.slug}`;
  return { kind: "found" as const, locale: ctx.locale, view: found.view, shareUrl, qrSvg: await qrSvg(shareUrl) };
}

export default function CollectionPage() {
  const d = useLoaderData<typeof loader>();
  if (d.kind !== "found") return <CollectionMissing kind={d.kind} locale={d.locale} />;
  return (
    <>
      <DoneToast messages={{ created: collectionMessages(d.locale).createdToast }} />
      <CollectionView view={d.view} locale={d.locale} shareUrl={d.shareUrl} qrSvg={d.qrSvg} />
      <ReportCollectionLink slug={d.view.slug} />
    </>
  );
}
