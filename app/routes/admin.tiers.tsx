import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TierCard } from "~/components/partners/tier-card";
import type { PartnershipFailure } from "~/components/partners/partnership-fields";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { partnershipErrorMessages, tierMessages } from "~/i18n/partnerships";
import { addTierBenefit, moveTierBenefit, retireTierBenefit, setTierMinimum, tierSettings, updateTierBenefit } from "~/services/partners/tiers.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: tierMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, tiers: await orThrowResponse(() => tierSettings(ctx)) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return attempt(
    ctx.locale,
    async () => {
      switch (values.intent) {
        case "minimum":
          await setTierMinimum(ctx, values);
          break;
        case "add":
          await addTierBenefit(ctx, values);
          break;
        case "edit":
          await updateTierBenefit(ctx, values.benefitId, values);
          break;
        case "remove":
          await retireTierBenefit(ctx, values.benefitId);
          break;
        case "up":
        case "down":
          await moveTierBenefit(ctx, values.benefitId, values.intent);
          break;
        default:
          return new Response(null, { status: 400 });
      }
      return redirect(`/admin/tiers?done=saved#tier-${values.tier ?? ""}`);
    },
    { messages: partnershipErrorMessages, values },
  );
}

export default function AdminTiers() {
  const { locale, tiers } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as PartnershipFailure;
  const t = tierMessages(locale);
  return (
    <section aria-labelledby="tiers-heading">
      <PageHeader id="tiers-heading" title={t.heading} lead={t.intro} back={{ to: "/admin/partnerships", label: t.back }} />
      <DoneToast />
      {failure?.message ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      {tiers.map((tier) => (
        <TierCard key={tier.slug} tier={tier} locale={locale} failure={failure?.values.tier === tier.slug ? failure : null} />
      ))}
    </section>
  );
}
