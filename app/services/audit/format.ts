import { auditFieldMessages } from "~/i18n/audit";
import type { Locale } from "~/i18n/messages";
import { formatOre } from "~/utils/money";

/** One line of an audit entry as staff read it: "Titel (svenska): Gammal → Ny", or "Roll: administratör". */
export interface AuditChange {
  field: string;
  before?: string;
  after: string;
}

/** Names for the ids an entry refers to; an id without a name is shown as #id. */
export interface AuditNames {
  people: Map<number, string>;
  organisations: Map<number, string>;
  /** Goal titles by id and by slug, in the reader's language. */
  goals: Map<number | string, string>;
}

/** Fields that are bookkeeping, not something staff changed. */
const ignored = new Set(["id", "updatedAt", "createdAt", "before", "after"]);

/**
 * An audit entry's details as a list of readable changes, instead of raw JSON. An entry with `before`
 * and `after` (a goal, the charity's details) lists only the fields that differ; ids become names;
 * amounts in öre become kronor; known codes (roles, methods) their words in the reader's language.
 */
export function describeAuditDetails(details: unknown, names: AuditNames, locale: Locale): AuditChange[] {
  const t = auditFieldMessages(locale) as Record<string, string>;
  if (!details || typeof details !== "object" || Array.isArray(details)) return [];
  const d = details as Record<string, unknown>;
  const label = (key: string) => t[key] ?? key;

  const show = (key: string, value: unknown): string => {
    if (value === null || value === undefined || value === "") return t.none;
    if (typeof value === "boolean") return value ? t.yes : t.no;
    if (key === "targetOre" || key.endsWith("Ore")) return formatOre(String(value));
    if (key === "personId" && typeof value === "number") return names.people.get(value) ?? `#${value}`;
    if (key === "organisationId" && typeof value === "number") return names.organisations.get(value) ?? `#${value}`;
    if ((key === "goalId" || key.endsWith("GoalId")) && typeof value === "number") return names.goals.get(value) ?? `#${value}`;
    if (Array.isArray(value)) return value.length ? value.map(String).join(", ") : t.none;
    if (typeof value === "object") return JSON.stringify(value);
    const word = t[`${key}_${String(value)}`];
    return word ?? String(value);
  };
  const fieldOf = (key: string) => (key === "personId" ? t.person : key === "organisationId" ? t.organisation : key === "goalId" ? t.goal : label(key));

  const changes: AuditChange[] = [];
  // A goal is named by its title in the reader's language, not by its slug.
  if (typeof d.slug === "string" && names.goals.has(d.slug)) changes.push({ field: t.goal, after: names.goals.get(d.slug)! });
  for (const [key, value] of Object.entries(d)) {
    if (ignored.has(key) || key === "slug") continue;
    changes.push({ field: fieldOf(key), after: show(key, value) });
  }
  const before = d.before && typeof d.before === "object" ? (d.before as Record<string, unknown>) : null;
  const after = d.after && typeof d.after === "object" ? (d.after as Record<string, unknown>) : null;
  if (before || after) {
    const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => !ignored.has(k));
    for (const key of keys) {
      const was = show(key, before?.[key]);
      const now = show(key, after?.[key]);
      if (was !== now) changes.push({ field: fieldOf(key), before: was, after: now });
    }
  }
  return changes;
}
