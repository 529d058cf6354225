import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge } from "~/components/ui/badge";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { accountMessages } from "~/i18n/account";
import { collectionOwnerMessages } from "~/i18n/collection-owner";
import { myCollections } from "~/services/collections/owner.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { orThrowResponse } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

/** The signed-in person's own collections (issue 12 item 4). */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: collectionOwnerMessages(data?.locale ?? "sv").listTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, collections: await orThrowResponse(() => myCollections(ctx)) };
}

export default function MyCollections() {
  const { locale, collections } = useLoaderData<typeof loader>();
  const t = collectionOwnerMessages(locale);
  return (
    <section aria-labelledby="my-collections-heading">
      <PageHeader id="my-collections-heading" title={t.listHeading} lead={t.listLead} back={{ to: "/account", label: accountMessages(locale).heading }} />
      {collections.length === 0 ? (
        <EmptyState title={t.empty} action={{ to: "/collections/new", label: t.startOne }}>
          {t.emptyNext}
        </EmptyState>
      ) : (
        <DataTable
          label={t.listHeading}
          rows={collections}
          rowKey={(c) => c.id}
          columns={[
            { label: t.title, cell: (c) => <Link to={`/account/collections/${encodeURIComponent(c.slug)}`}>{c.title}</Link> },
            { label: t.raised, numeric: true, cell: (c) => formatOre(c.raisedOre) },
            { label: t.target, numeric: true, cell: (c) => (c.targetOre === null ? t.noTarget : formatOre(c.targetOre)) },
            { label: t.gifts, numeric: true, cell: (c) => c.giftCount },
            {
              label: t.state,
              cell: (c) => (c.hidden ? <Badge tone="danger">{t.state_hidden}</Badge> : c.ended ? <Badge>{t.state_ended}</Badge> : <Badge tone="success">{t.state_open}</Badge>),
            },
          ]}
        />
      )}
    </section>
  );
}
