import { Form } from "@remix-run/react";
import { AmountField, TextField } from "~/components/form";
import { fieldsFrom } from "~/components/invoice-fields";
import type { Locale } from "~/i18n/messages";
import { tierMessages } from "~/i18n/partnerships";
import { formatOre, oreToKronorText } from "~/utils/money";
import type { PartnershipFailure } from "./partnership-fields";

interface Tier {
  slug: string;
  name: string;
  minYearlyOre: string | null;
  benefits: { id: number; textSv: string; textEn: string }[];
}

/** One tier on /admin/tiers: its minimum yearly amount and its benefits (reword, move, remove, add). */
export function TierCard({ tier, locale, failure }: { tier: Tier; locale: Locale; failure: PartnershipFailure }) {
  const t = tierMessages(locale);
  const intent = failure?.values.intent;
  const minField = fieldsFrom(`min-${tier.slug}`, intent === "minimum" ? failure : null);
  const addField = fieldsFrom(`add-${tier.slug}`, intent === "add" ? failure : null);
  return (
    <section aria-labelledby={`tier-${tier.slug}`} className="card">
      <h2 id={`tier-${tier.slug}`}>{tier.name}</h2>
      <p>{tier.minYearlyOre ? formatOre(BigInt(tier.minYearlyOre)) : t.minMissing}</p>
      <Form method="post" id={`min-${tier.slug}`} className="stack" noValidate>
        <input type="hidden" name="intent" value="minimum" />
        <input type="hidden" name="tier" value={tier.slug} />
        <AmountField meta={minField("minYearly", tier.minYearlyOre ? oreToKronorText(tier.minYearlyOre) : "")} label={t.minYearly} />
        <p>
          <button type="submit" className="button secondary">
            {t.saveMin}
          </button>
        </p>
      </Form>
      <h3>{t.benefits}</h3>
      {tier.benefits.length === 0 ? <p>{t.benefitsEmpty}</p> : null}
      <ol className="benefit-list">
        {tier.benefits.map((b, i) => {
          const editField = fieldsFrom(`benefit-${b.id}`, intent === "edit" && failure?.values.benefitId === String(b.id) ? failure : null);
          return (
            <li key={b.id}>
              <Form method="post" id={`benefit-${b.id}`} className="stack" noValidate>
                <input type="hidden" name="tier" value={tier.slug} />
                <input type="hidden" name="benefitId" value={b.id} />
                <TextField meta={editField("textSv", b.textSv)} label={t.textSv} />
                <TextField meta={editField("textEn", b.textEn)} label={t.textEn} />
                <p className="inline-actions">
                  <button type="submit" name="intent" value="edit" className="button secondary small">
                    {t.saveBenefit}
                  </button>{" "}
                  {i > 0 ? (
                    <button type="submit" name="intent" value="up" className="button secondary small">
                      {t.up}
                    </button>
                  ) : null}{" "}
                  {i < tier.benefits.length - 1 ? (
                    <button type="submit" name="intent" value="down" className="button secondary small">
                      {t.down}
                    </button>
                  ) : null}{" "}
                  <button type="submit" name="intent" value="remove" className="button secondary small">
                    {t.remove}
                  </button>
                </p>
              </Form>
            </li>
          );
        })}
      </ol>
      <Form method="post" id={`add-${tier.slug}`} className="stack" noValidate>
        <input type="hidden" name="intent" value="add" />
        <input type="hidden" name="tier" value={tier.slug} />
        <TextField meta={addField("textSv")} label={t.textSv} />
        <TextField meta={addField("textEn")} label={t.textEn} />
        <p>
          <button type="submit" className="button secondary">
            {t.add}
          </button>
        </p>
      </Form>
    </section>
  );
}
