import type { Tx } from "~db/client.server";
import { emailOutbox, type MonthlyGift, type Payment } from "~db/schema";
import type { GoalDirectory } from "./goal-directory.server";
import { outboxOnConflict, outboxRow, wakeOutbox, type EmailMessage } from "~/services/email/outbox.server";
import { deferInsert, type WriteBatch } from "./deferred-writes.server";
import { manageUrl } from "./manage-link.server";

/**
 * Emails about payments go through the outbox inside the payment's own transaction: the receipt is
 * queued exactly when the payment is recorded as paid, and once (dedupe key per payment).
 */
export async function notifyReceipt(tx: Tx, payment: Payment, goals: GoalDirectory, batch?: WriteBatch): Promise<void> {
  // Demo payments (fictional donors) get no email.
  // A partner fee is no gift: the partner sign-up's own "paid" email says it was received (signup-fee.server.ts).
  if (!payment.donorEmail || payment.origin === "demo" || payment.channel === "partner_fee") return;
  const locale = payment.locale === "en" ? "en" : "sv";
  let goalTitle: string | null = null;
  if (payment.goalId !== null) {
    const g = goals.byId.get(payment.goalId);
    goalTitle = g ? (locale === "en" ? g.titleEn : g.titleSv) : null;
  }
  await queue(tx, batch, {
    to: payment.donorEmail,
    template: "gift-receipt",
    locale,
    dedupeKey: `receipt:${payment.id}`,
    props: {
      paymentId: payment.id.toString(),
      amountOre: payment.amountOre.toString(),
      goalTitle,
      paidAt: (payment.paidAt ?? new Date()).toISOString(),
      method: payment.method === "card" || payment.method === "swish" ? payment.method : null,
      monthly: payment.channel === "monthly_gift",
      donorName: payment.donorName,
      manageUrl: payment.monthlyGiftId !== null && payment.origin === "app" ? manageUrl(payment.monthlyGiftId) : null,
    },
  });
}

/**
 * Into the outbox with the payment's other writes. In a batch the Stripe path wakes the worker once
 * the transaction commits; written at once, the worker is woken now (it finds the row after the commit).
 */
async function queue(tx: Tx, batch: WriteBatch | undefined, msg: EmailMessage) {
  const row = outboxRow(msg);
  if (!(await deferInsert(tx, batch, "email_outbox", "outbox", emailOutbox, [row], (q) => outboxOnConflict(q as never)))) wakeOutbox();
}

/** A month could not be charged: tell the donor, with the link to update the card. Once per invoice attempt. */
export async function notifyMonthlyGiftFailed(tx: Tx, gift: MonthlyGift, attemptKey: string, batch?: WriteBatch): Promise<void> {
  if (!gift.donorEmail) return;
  await queue(tx, batch, {
    to: gift.donorEmail,
    template: "monthly-gift-failed",
    locale: gift.locale === "en" ? "en" : "sv",
    dedupeKey: `monthly-failed:${attemptKey}`,
    props: { amountOre: gift.amountOre.toString(), donorName: gift.donorName || null, manageUrl: manageUrl(gift.id) },
  });
}
