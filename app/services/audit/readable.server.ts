import { inArray, or } from "drizzle-orm";
import type { Db } from "~db/client.server";
import { goals, organisations, people } from "~db/schema";
import { requireAdminActor, type ServiceContext } from "~/services/context";
import { listAudit } from "./audit.server";
import { describeAuditDetails, type AuditNames } from "./format";

/**
 * The audit log as staff read it: who, what, the organisation by name, and each entry's details as a
 * list of changes (field: before → after) with names instead of ids. Admins only.
 */
export async function listAuditReadable(ctx: ServiceContext, opts: { limit?: number } = {}) {
  requireAdminActor(ctx);
  const entries = await listAudit(ctx, opts);
  const names = await namesFor(ctx.db, ctx.locale, entries);
  return entries.map((e) => ({
    id: e.id,
    at: e.at,
    action: e.action,
    actor: e.actor,
    subject: e.subject,
    organisation: e.organisationId ? (names.organisations.get(e.organisationId) ?? `#${e.organisationId}`) : null,
    changes: describeAuditDetails(e.details, names, ctx.locale),
  }));
}

/** One query per kind of name, for every id and goal slug the entries mention. */
async function namesFor(db: Db, locale: "sv" | "en", entries: { organisationId: number | null; details: unknown }[]): Promise<AuditNames> {
  const personIds = new Set<number>();
  const organisationIds = new Set<number>();
  const goalIds = new Set<number>();
  const goalSlugs = new Set<string>();
  for (const e of entries) {
    if (e.organisationId) organisationIds.add(e.organisationId);
    const d = (e.details ?? {}) as Record<string, unknown>;
    if (typeof d.personId === "number") personIds.add(d.personId);
    if (typeof d.organisationId === "number") organisationIds.add(d.organisationId);
    for (const key of ["goalId", "fromGoalId", "toGoalId"]) if (typeof d[key] === "number") goalIds.add(d[key] as number);
    if (typeof d.slug === "string") goalSlugs.add(d.slug);
  }
  const names: AuditNames = { people: new Map(), organisations: new Map(), goals: new Map() };
  if (personIds.size) {
    for (const p of await db.select({ id: people.id, email: people.email }).from(people).where(inArray(people.id, [...personIds]))) names.people.set(p.id, p.email);
  }
  if (organisationIds.size) {
    for (const o of await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [...organisationIds]))) {
      names.organisations.set(o.id, o.name);
    }
  }
  if (goalIds.size || goalSlugs.size) {
    const conditions = [goalIds.size ? inArray(goals.id, [...goalIds]) : undefined, goalSlugs.size ? inArray(goals.slug, [...goalSlugs]) : undefined].filter((c) => c !== undefined);
    for (const g of await db.select({ id: goals.id, slug: goals.slug, titleSv: goals.titleSv, titleEn: goals.titleEn }).from(goals).where(or(...conditions))) {
      const title = locale === "en" ? g.titleEn : g.titleSv;
      names.goals.set(g.id, title);
      names.goals.set(g.slug, title);
    }
  }
  return names;
}
