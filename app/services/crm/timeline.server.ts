import { and, desc, eq, inArray, or } from "drizzle-orm";
import { crmInteractions, goals, invoices, organisationMembers, organisations, partnerships, partnerTiers, payments, people, type InteractionKind } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { requireStaffActor, type ServiceContext } from "~/services/context";
import { fieldErrorCodes, Invalid, NotFound } from "~/services/errors";
import { parseId } from "~/services/auth/validation";
import { interactionSchema } from "~/validation/crm";
import { stockholmDay } from "~/utils/dates";

/**
 * An organisation's CRM timeline (issue 11 item 2): what staff noted (interactions) beside what the
 * platform knows happened (partnerships, invoices, payments, contacts), newest first. Staff only.
 */

/** One line of the timeline. `day` is the Swedish calendar day it happened; `at` orders events of one day. */
export type TimelineEvent = { key: string; day: string; at: string } & (
  | { type: "interaction"; kind: InteractionKind; text: string; author: string | null }
  | { type: "partnership"; goal: string; tier: string; status: string; startsOn: string | null; endsOn: string | null }
  | { type: "invoice"; invoiceId: number; number: string | null; totalOre: string; status: string }
  | { type: "payment"; paymentId: string; amountOre: string; channel: string; status: string }
  | { type: "contact"; personId: number; email: string; name: string | null }
);

/** Staff note a call, meeting, email or note on an organisation (audited). */
export async function addInteraction(ctx: ServiceContext, organisationId: number, input: Record<string, unknown>) {
  const actor = requireStaffActor(ctx);
  if (parseId(organisationId) === null) throw new NotFound();
  const parsed = interactionSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_interaction", fieldErrorCodes(parsed.error));
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId));
    if (!org) throw new NotFound();
    const [row] = await tx
      .insert(crmInteractions)
      .values({ organisationId, kind: parsed.data.kind, occurredOn: parsed.data.occurredOn, text: parsed.data.text, authorPersonId: actor.personId })
      .returning();
    await recordAudit(tx, { actorPersonId: actor.personId, action: "crm_interaction_added", organisationId, details: { interactionId: row.id, kind: row.kind, occurredOn: row.occurredOn } });
    return row;
  });
}

/** The organisation's timeline, newest day first (within a day, the latest recorded first). */
export async function organisationTimeline(ctx: ServiceContext, organisationId: number): Promise<TimelineEvent[]> {
  requireStaffActor(ctx);
  if (parseId(organisationId) === null) throw new NotFound();
  const { db } = ctx;
  const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, organisationId));
  if (!org) throw new NotFound();
  const en = ctx.locale === "en";

  const [notes, deals, bills, members] = await Promise.all([
    db
      .select({ i: crmInteractions, authorName: people.name, authorEmail: people.email })
      .from(crmInteractions)
      .leftJoin(people, eq(people.id, crmInteractions.authorPersonId))
      .where(eq(crmInteractions.organisationId, organisationId)),
    db
      .select({ p: partnerships, goalSv: goals.titleSv, goalEn: goals.titleEn, tierSv: partnerTiers.nameSv, tierEn: partnerTiers.nameEn })
      .from(partnerships)
      .innerJoin(goals, eq(goals.id, partnerships.goalId))
      .innerJoin(partnerTiers, eq(partnerTiers.slug, partnerships.tier))
      .where(eq(partnerships.organisationId, organisationId)),
    db.select().from(invoices).where(eq(invoices.organisationId, organisationId)),
    db
      .select({ personId: people.id, email: people.email, name: people.name, at: organisationMembers.createdAt })
      .from(organisationMembers)
      .innerJoin(people, eq(people.id, organisationMembers.personId))
      .where(eq(organisationMembers.organisationId, organisationId)),
  ]);
  // Its money: paid by it, or a fee of its partnership, or a payment of its invoice. Started card
  // payments that never completed are not events of the relationship.
  const dealIds = deals.map((d) => d.p.id);
  const billIds = bills.map((b) => b.id);
  const money = await db
    .select()
    .from(payments)
    .where(
      and(
        inArray(payments.status, ["paid", "held"]),
        or(
          eq(payments.organisationId, organisationId),
          dealIds.length ? inArray(payments.partnershipId, dealIds) : undefined,
          billIds.length ? inArray(payments.companyInvoiceId, billIds) : undefined,
        ),
      ),
    )
    .orderBy(desc(payments.id));

  const at = (d: Date) => ({ day: stockholmDay(d), at: d.toISOString() });
  const events: TimelineEvent[] = [
    ...notes.map(({ i, authorName, authorEmail }): TimelineEvent => ({
      key: `interaction:${i.id}`,
      type: "interaction",
      // Staff may write a call down days later: the day it happened orders it, not when it was typed.
      day: i.occurredOn,
      at: i.createdAt.toISOString(),
      kind: i.kind,
      text: i.text,
      author: authorName ?? authorEmail ?? null,
    })),
    ...deals.map(({ p, goalSv, goalEn, tierSv, tierEn }): TimelineEvent => ({
      key: `partnership:${p.id}`,
      type: "partnership",
      ...at(p.createdAt),
      goal: en ? goalEn : goalSv,
      tier: en ? tierEn : tierSv,
      status: p.status,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
    })),
    ...bills.map((b): TimelineEvent => ({
      key: `invoice:${b.id}`,
      type: "invoice",
      ...at(b.sentAt ?? b.createdAt),
      invoiceId: b.id,
      number: b.number === null ? null : String(b.number),
      totalOre: b.totalOre.toString(),
      status: b.status,
    })),
    ...money.map((p): TimelineEvent => ({
      key: `payment:${p.id}`,
      type: "payment",
      ...at(p.paidAt ?? p.createdAt),
      paymentId: p.id.toString(),
      amountOre: p.amountOre.toString(),
      channel: p.channel,
      status: p.status,
    })),
    ...members.map((m): TimelineEvent => ({ key: `contact:${m.personId}`, type: "contact", ...at(m.at), personId: m.personId, email: m.email, name: m.name })),
  ];
  return events.sort(newestFirst);
}

function newestFirst(a: TimelineEvent, b: TimelineEvent): number {
  if (a.day !== b.day) return a.day < b.day ? 1 : -1;
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  return a.key < b.key ? 1 : -1;
}
