import type { NewIndustry } from "./schema";

/**
 * SCB's SNI 2007 (Svensk näringsgrensindelning), the 21 sections A–U with their Swedish headings and the
 * English headings of NACE Rev. 2, on which SNI 2007 is built. Public reference data; staff only choose
 * which are excluded.
 */
const sections: [letter: string, nameSv: string, nameEn: string][] = [
  ["a", "Jordbruk, skogsbruk och fiske", "Agriculture, forestry and fishing"],
  ["b", "Utvinning av mineral", "Mining and quarrying"],
  ["c", "Tillverkning", "Manufacturing"],
  ["d", "Försörjning av el, gas, värme och kyla", "Electricity, gas, steam and air conditioning supply"],
  ["e", "Vattenförsörjning; avloppsrening, avfallshantering och sanering", "Water supply; sewerage, waste management and remediation activities"],
  ["f", "Byggverksamhet", "Construction"],
  ["g", "Handel; reparation av motorfordon och motorcyklar", "Wholesale and retail trade; repair of motor vehicles and motorcycles"],
  ["h", "Transport och magasinering", "Transportation and storage"],
  ["i", "Hotell- och restaurangverksamhet", "Accommodation and food service activities"],
  ["j", "Informations- och kommunikationsverksamhet", "Information and communication"],
  ["k", "Finans- och försäkringsverksamhet", "Financial and insurance activities"],
  ["l", "Fastighetsverksamhet", "Real estate activities"],
  ["m", "Verksamhet inom juridik, ekonomi, vetenskap och teknik", "Professional, scientific and technical activities"],
  ["n", "Uthyrning, fastighetsservice, resetjänster och andra stödtjänster", "Administrative and support service activities"],
  ["o", "Offentlig förvaltning och försvar; obligatorisk socialförsäkring", "Public administration and defence; compulsory social security"],
  ["p", "Utbildning", "Education"],
  ["q", "Vård och omsorg; sociala tjänster", "Human health and social work activities"],
  ["r", "Kultur, nöje och fritid", "Arts, entertainment and recreation"],
  ["s", "Annan serviceverksamhet", "Other service activities"],
  [
    "t",
    "Förvärvsarbete i hushåll; hushållens produktion av diverse varor och tjänster för eget bruk",
    "Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use",
  ],
  ["u", "Verksamhet vid internationella organisationer, utländska ambassader o.d.", "Activities of extraterritorial organisations and bodies"],
];

export const referenceIndustries: NewIndustry[] = sections.map(([letter, nameSv, nameEn]) => ({
  slug: `sni2007-${letter}`,
  nameSv: `${letter.toUpperCase()} ${nameSv}`,
  nameEn: `${letter.toUpperCase()} ${nameEn}`,
}));
