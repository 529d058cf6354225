import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { PartnershipFields, type PartnershipFailure } from "~/components/partners/partnership-fields";
import { BenefitsPanel, RenewalPanel, SignOffPanel, StatusPanel } from "~/components/partners/partnership-panels";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { partnershipErrorMessages, partnershipMessages } from "~/i18n/partnerships";
import {
  changePartnershipStatus,
  renewPartnership,
  setBenefitDelivered,
  signOffPartnership,
  updatePartnership,
} from "~/services/partners/partnerships-admin.server";
import { getPartnershipDetail, partnershipFormOptions } from "~/services/partners/partnerships-read.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre, oreToKronorText } from "~/utils/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.detail.organisation} – ${partnershipMessages(data.locale).detailTitle}` : "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const [detail, options] = await orThrowResponse(() => Promise.all([getPartnershipDetail(ctx, params.id), partnershipFormOptions(ctx)]));
  return { locale: ctx.locale, detail, options };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const here = `/admin/partnerships/${params.id}`;
  return attempt(
    ctx.locale,
    async () => {
      switch (values.intent) {
        case "status":
          await changePartnershipStatus(ctx, params.id, values.status);
          break;
        case "signoff":
          await signOffPartnership(ctx, params.id, values);
          break;
        case "deliver":
          await setBenefitDelivered(ctx, params.id, values.benefitId, values.delivered === "1");
          break;
        case "renew":
          return redirect(`/admin/partnerships/${(await renewPartnership(ctx, params.id)).id}?done=created`);
        default:
          await updatePartnership(ctx, params.id, values);
      }
      return redirect(`${here}?done=saved`);
    },
    { messages: partnershipErrorMessages, values },
  );
}

export default function PartnershipPage() {
  const { locale, detail, options } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as PartnershipFailure;
  const t = partnershipMessages(locale);
  const editFailure = failure && !failure.values.intent ? failure : null;
  return (
    <section aria-labelledby="partnership-heading">
      <PageHeader
        id="partnership-heading"
        title={detail.organisation}
        eyebrow={`${detail.goal} · #${detail.id}`}
        back={{ to: "/admin/partnerships", label: t.back }}
        lead={
          <>
            {t.paid}: {formatOre(BigInt(detail.paidOre))}
            {detail.agreedYearlyOre ? ` / ${formatOre(BigInt(detail.agreedYearlyOre))}` : null} · {t.source}: {detail.source === "signup" ? t.source_signup : t.source_staff} ·{" "}
            <Link to={`/admin/organisations/${detail.organisationId}`}>{t.organisation}</Link>
          </>
        }
      />
      <DoneToast />
      {failure?.message && failure.values.intent !== "status" ? (
        <p className="form-error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <StatusPanel detail={detail} locale={locale} failure={failure} />
      <SignOffPanel detail={detail} locale={locale} failure={failure} />
      <BenefitsPanel detail={detail} locale={locale} />
      <RenewalPanel detail={detail} locale={locale} />
      <section aria-labelledby="terms-heading">
        <h2 id="terms-heading">{t.terms}</h2>
        <Form method="post" id="edit-partnership" className="stack" noValidate>
          <PartnershipFields
            formId="edit-partnership"
            failure={editFailure}
            options={options}
            locale={locale}
            isNew={false}
            values={{
              goalId: String(detail.goalId),
              tier: detail.tier,
              agreedYearly: detail.agreedYearlyOre ? oreToKronorText(detail.agreedYearlyOre) : "",
              startsOn: detail.startsOn ?? "",
              endsOn: detail.endsOn ?? "",
              isPublic: detail.isPublic,
              note: detail.note ?? "",
            }}
          />
          <p>
            <button type="submit" className="button">
              {t.save}
            </button>
          </p>
        </Form>
      </section>
    </section>
  );
}
