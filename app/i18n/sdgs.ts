import type { Locale } from "./messages";

/** The UN Sustainable Development Goals' short names (Globala målen), by number. */
const names: Record<number, { sv: string; en: string }> = {
  1: { sv: "Ingen fattigdom", en: "No poverty" },
  2: { sv: "Ingen hunger", en: "Zero hunger" },
  3: { sv: "Hälsa och välbefinnande", en: "Good health and well-being" },
  4: { sv: "God utbildning för alla", en: "Quality education" },
  5: { sv: "Jämställdhet", en: "Gender equality" },
  6: { sv: "Rent vatten och sanitet för alla", en: "Clean water and sanitation" },
  7: { sv: "Hållbar energi för alla", en: "Affordable and clean energy" },
  8: { sv: "Anständiga arbetsvillkor och ekonomisk tillväxt", en: "Decent work and economic growth" },
  9: { sv: "Hållbar industri, innovationer och infrastruktur", en: "Industry, innovation and infrastructure" },
  10: { sv: "Minskad ojämlikhet", en: "Reduced inequalities" },
  11: { sv: "Hållbara städer och samhällen", en: "Sustainable cities and communities" },
  12: { sv: "Hållbar konsumtion och produktion", en: "Responsible consumption and production" },
  13: { sv: "Bekämpa klimatförändringarna", en: "Climate action" },
  14: { sv: "Hav och marina resurser", en: "Life below water" },
  15: { sv: "Ekosystem och biologisk mångfald", en: "Life on land" },
  16: { sv: "Fredliga och inkluderande samhällen", en: "Peace, justice and strong institutions" },
  17: { sv: "Genomförande och globalt partnerskap", en: "Partnerships for the goals" },
};

export function sdgName(number: number, locale: Locale): string {
  return names[number]?.[locale] ?? String(number);
}
