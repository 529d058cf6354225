import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailAttachments, emailOutbox, invoiceLines, invoices } from "~db/schema";
import { createOrganisation } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";

// The database's own guards on invoices: they hold even against code that skips the service's checks.
describe.each(dbTargets)("invoices schema (%s)", (target) => {
  const t = useTestDatabase(target);

  async function draft(overrides: Partial<typeof invoices.$inferInsert> = {}) {
    const org = await createOrganisation(t.db);
    return t.db
      .insert(invoices)
      .values({ organisationId: org.id, issueDate: "2026-11-01", dueDate: "2026-11-30", buyerName: org.name, buyerEmail: "faktura@example.com", totalOre: 10_000n, ...overrides })
      .returning();
  }

  it("keeps a draft, and refuses a due date before the issue date, a total of zero and an unknown status", async () => {
    const [row] = await draft();
    expect(row.status).toBe("draft");
    expect(row.number).toBeNull();
    await expect(draft({ dueDate: "2026-10-31" })).rejects.toThrow();
    await expect(draft({ totalOre: 0n })).rejects.toThrow();
    await expect(draft({ status: "lost" as never })).rejects.toThrow();
  });

  it("refuses an issued invoice without a number and OCR reference, and a line of zero", async () => {
    await expect(draft({ status: "sent" })).rejects.toThrow();
    const [row] = await draft();
    await expect(t.db.insert(invoiceLines).values({ invoiceId: row.id, position: 1, text: "x", amountOre: 0n })).rejects.toThrow();
  });

  it("drops an outbox row's attachments with it", async () => {
    const [mail] = await t.db.insert(emailOutbox).values({ to: "a@example.com", template: "notice", locale: "sv" }).returning();
    await t.db.insert(emailAttachments).values({ outboxId: mail.id, filename: "f.pdf", contentType: "application/pdf", contentBase64: "JVBERg==" });
    await t.db.delete(emailOutbox).where(eq(emailOutbox.id, mail.id));
    expect(await t.db.select().from(emailAttachments).where(eq(emailAttachments.outboxId, mail.id))).toEqual([]);
  });
});
