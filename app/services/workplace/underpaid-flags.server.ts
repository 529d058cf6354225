import { and, desc, eq, sql } from "drizzle-orm";
import { invoices, paymentAnomalies, paymentAnomalyResolutions, payrollRuns } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { authorOf, personIdOf, requireStaffActor, type ServiceContext } from "~/services/context";
import { Conflict, fieldErrorCodes, Invalid } from "~/services/errors";
import { resolveFlagSchema } from "~/validation/workplace-run";

/**
 * Payroll invoices paid short under the difference rule `ask_staff` (issue 13 item 6): the flags
 * (payment anomalies `invoice_underpaid`, reconcile.server.ts) of one organisation's invoices, and staff
 * marking one resolved with a note. A resolution is a row of its own (payment_anomaly_resolutions, as for a
 * failed refund), never edited, and audited; the flag itself stays as the fact it is. Staff only.
 */

export interface UnderpaidFlag {
  id: string;
  at: string;
  invoiceId: number;
  invoiceNumber: string | null;
  paidOre: string;
  shortOre: string;
  resolved: { at: string; by: string; note: string } | null;
}

const flagInvoiceId = sql`(${paymentAnomalies.details}->>'invoiceId')::int`;

export async function underpaidFlags(ctx: ServiceContext, organisationId: number): Promise<UnderpaidFlag[]> {
  requireStaffActor(ctx);
  const rows = await ctx.db
    .select({
      id: paymentAnomalies.id,
      at: paymentAnomalies.createdAt,
      details: paymentAnomalies.details,
      invoiceId: invoices.id,
      number: invoices.number,
      resolvedAt: paymentAnomalyResolutions.createdAt,
      resolvedBy: paymentAnomalyResolutions.author,
      note: paymentAnomalyResolutions.note,
    })
    .from(paymentAnomalies)
    .innerJoin(invoices, eq(invoices.id, flagInvoiceId))
    .leftJoin(paymentAnomalyResolutions, eq(paymentAnomalyResolutions.anomalyId, paymentAnomalies.id))
    .where(and(eq(paymentAnomalies.kind, "invoice_underpaid"), eq(invoices.organisationId, organisationId)))
    .orderBy(desc(paymentAnomalies.id))
    .limit(100);
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    invoiceId: r.invoiceId,
    invoiceNumber: r.number?.toString() ?? null,
    paidOre: String(r.details.paidOre ?? "0"),
    shortOre: String(r.details.shortOre ?? "0"),
    resolved: r.resolvedAt ? { at: r.resolvedAt.toISOString(), by: r.resolvedBy ?? "", note: r.note ?? "" } : null,
  }));
}

/** Marks an `invoice_underpaid` flag resolved with a note; a second resolution is refused (409), nothing written. */
export async function resolveUnderpaidFlag(ctx: ServiceContext, input: { anomalyId?: unknown; note?: unknown }): Promise<void> {
  const actor = requireStaffActor(ctx);
  const parsed = resolveFlagSchema.safeParse(input);
  if (!parsed.success) throw new Invalid("invalid_input", fieldErrorCodes(parsed.error));
  const { anomalyId, note } = parsed.data;
  await ctx.db.transaction(async (tx) => {
    const [flag] = await tx
      .select({ id: paymentAnomalies.id, details: paymentAnomalies.details, organisationId: invoices.organisationId, runId: payrollRuns.id })
      .from(paymentAnomalies)
      .innerJoin(invoices, eq(invoices.id, flagInvoiceId))
      .innerJoin(payrollRuns, eq(payrollRuns.id, invoices.payrollRunId))
      .where(and(eq(paymentAnomalies.id, BigInt(anomalyId)), eq(paymentAnomalies.kind, "invoice_underpaid")))
      .for("update", { of: paymentAnomalies });
    if (!flag) throw new Invalid("flag_not_found", { anomalyId: "flag_not_found" });
    const inserted = await tx
      .insert(paymentAnomalyResolutions)
      .values({ anomalyId: flag.id, note, author: authorOf(actor), personId: personIdOf(actor), correctionGroup: null })
      .onConflictDoNothing({ target: paymentAnomalyResolutions.anomalyId })
      .returning({ id: paymentAnomalyResolutions.id });
    if (!inserted.length) throw new Conflict("already_resolved");
    await recordAudit(tx, {
      actorPersonId: personIdOf(actor),
      action: "anomaly_resolved",
      organisationId: flag.organisationId,
      details: { anomalyId: String(anomalyId), kind: "invoice_underpaid", invoiceId: flag.details.invoiceId, runId: flag.runId, shortOre: flag.details.shortOre, note },
    });
  });
}
