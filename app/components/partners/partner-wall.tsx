import { FrameLink } from "~/components/ui/nav-link";
import { fill, type Locale } from "~/i18n/messages";
import { wallMessages } from "~/i18n/partnerships";
import { formatOre } from "~/utils/money";

type Wall = Array<{ slug: string; name: string; minYearlyOre: string | null; partners: Array<{ name: string; website: string | null; logoUrl: string | null }> }>;

/**
 * The goal page's partner wall (issue 11 item 7): each tier, highest first, with its partners' logo
 * or name linking to their website; a tier without partners invites companies to /partners/join.
 */
export function PartnerWall({ wall, goalSlug, locale }: { wall: Wall; goalSlug: string; locale: Locale }) {
  const t = wallMessages(locale);
  return (
    <section aria-labelledby="partners-heading" className="partner-wall">
      <h2 id="partners-heading">{t.heading}</h2>
      <ul className="tier-list">
        {wall.map((tier) => (
          <li key={tier.slug} className="card" data-tier={tier.slug}>
            <h3>
              {tier.name}
              {tier.minYearlyOre ? <small> · {fill(t.tierMin, { amount: formatOre(BigInt(tier.minYearlyOre)) })}</small> : null}
            </h3>
            {tier.partners.length ? (
              <ul className="partner-list">
                {tier.partners.map((p) => (
                  <li key={p.name}>
                    <PartnerName partner={p} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">
                {fill(t.emptyTier, { tier: tier.name.toLowerCase() })}{" "}
                <FrameLink to={`/partners/join?goal=${encodeURIComponent(goalSlug)}&tier=${tier.slug}`}>{fill(t.joinTier, { tier: tier.name.toLowerCase() })}</FrameLink>
              </p>
            )}
          </li>
        ))}
      </ul>
      <p>
        <FrameLink className="button secondary" to={`/partners/join?goal=${encodeURIComponent(goalSlug)}`}>
          {t.join}
        </FrameLink>
      </p>
    </section>
  );
}

function PartnerName({ partner }: { partner: { name: string; website: string | null; logoUrl: string | null } }) {
  const face = partner.logoUrl ? <img src={partner.logoUrl} alt={partner.name} className="partner-logo" loading="lazy" /> : <span>{partner.name}</span>;
  if (!partner.website) return face;
  return (
    <a href={partner.website} rel="noopener noreferrer">
      {face}
    </a>
  );
}
