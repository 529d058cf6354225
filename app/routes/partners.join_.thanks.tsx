import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui/page-header";
import { partnerSignupMessages } from "~/i18n/partner-signup";
import { fill } from "~/i18n/messages";
import { signupStatus } from "~/services/partners/signup.server";
import { contextFor } from "~/utils/context.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const tags = [{ title: partnerSignupMessages(data?.locale ?? "sv").thanksTitle }];
  // While a card payment waits for its confirmation the page looks again by itself, without JavaScript too.
  return data?.status?.paymentStatus === "pending" ? [...tags, { httpEquiv: "refresh", content: "3" }] : tags;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await contextFor(request);
  const status = await signupStatus(ctx, new URL(request.url).searchParams.get("ref") ?? "");
  if (!status) throw new Response("Not found", { status: 404 });
  return { locale: ctx.locale, status };
}

export default function PartnersJoinThanks() {
  const { locale, status } = useLoaderData<typeof loader>();
  const t = partnerSignupMessages(locale);
  const paid = status.paymentStatus === "paid" || status.invoiceStatus === "paid";
  const text = paid
    ? t.thanksPaid
    : status.paymentMethod === "card"
      ? status.paymentStatus === "pending"
        ? t.thanksPending
        : t.thanksFailed
      : fill(t.thanksInvoice, { email: status.invoiceEmail ?? "" });
  return (
    <section aria-labelledby="thanks-heading" className="stack">
      <PageHeader id="thanks-heading" title={t.thanksHeading} />
      <p role="status">{text}</p>
      <p>{t.thanksContact}</p>
    </section>
  );
}
