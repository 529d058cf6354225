import { legalFormName, organisationFormMessages, organisationMessages } from "~/i18n/organisations";
import type { Locale } from "~/i18n/messages";

/** What the organisation pages show of an organisation (serialisable loader data). */
export interface OrganisationView {
  id: number;
  name: string;
  orgNumber: string | null;
  /** The legal form's name in the reader's language (organisationView translates the service's code). */
  legalForm: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  website: string | null;
  industry: { nameSv: string; nameEn: string } | null;
  invoiceEmail: string | null;
  invoiceReference: string | null;
  purchaseOrder: string | null;
  isPublic: boolean;
  logoUrl: string | null;
  demo: boolean;
}

/** An organisation's details as a list of facts; the same on the staff page and on the contacts' own page. */
export function OrganisationFacts({ organisation: o, locale }: { organisation: OrganisationView; locale: Locale }) {
  const t = organisationFormMessages(locale);
  const u = organisationMessages(locale);
  const address = [o.address, [o.postalCode, o.city].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return (
    <dl className="facts" data-testid="organisation-facts">
      <dt>{u.orgNumber}</dt>
      <dd data-testid="org-number">{o.orgNumber ? [o.orgNumber, o.legalForm].filter(Boolean).join(", ") : u.unknown}</dd>
      <dt>{t.address}</dt>
      <dd>{address || u.unknown}</dd>
      <dt>{t.website}</dt>
      <dd>
        {o.website ? (
          <a href={o.website} rel="noopener noreferrer">
            {o.website}
          </a>
        ) : (
          u.unknown
        )}
      </dd>
      <dt>{t.industry}</dt>
      <dd>{o.industry ? (locale === "en" ? o.industry.nameEn : o.industry.nameSv) : u.unknown}</dd>
      <dt>{t.invoiceEmail}</dt>
      <dd>{o.invoiceEmail ?? u.unknown}</dd>
      <dt>{t.invoiceReference}</dt>
      <dd>{o.invoiceReference ?? u.unknown}</dd>
      <dt>{t.purchaseOrder}</dt>
      <dd>{o.purchaseOrder ?? u.unknown}</dd>
      <dt>{t.logo}</dt>
      <dd>{o.logoUrl ? <img src={o.logoUrl} alt={o.name} className="organisation-logo" style={{ maxWidth: "12rem", maxHeight: "6rem" }} /> : t.noLogo}</dd>
      <dt>{t.isPublic}</dt>
      <dd>{o.isPublic ? t.public : t.notPublic}</dd>
    </dl>
  );
}

/** The loader's shape of an organisation from `getOrganisation`: the legal form named, dates left out. */
export function organisationView(o: OrganisationView & Record<string, unknown>, locale: Locale): OrganisationView {
  return {
    id: o.id,
    name: o.name,
    orgNumber: o.orgNumber,
    legalForm: legalFormName(o.legalForm, locale),
    address: o.address,
    postalCode: o.postalCode,
    city: o.city,
    website: o.website,
    industry: o.industry,
    invoiceEmail: o.invoiceEmail,
    invoiceReference: o.invoiceReference,
    purchaseOrder: o.purchaseOrder,
    isPublic: o.isPublic,
    logoUrl: o.logoUrl,
    demo: o.demo,
  };
}
