import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { is } from "drizzle-orm";
import { PgDialect, PgTable, getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "~db/client.server";
import * as schema from "~db/schema";
import { ledgerEntries, paymentChannels, payments } from "~db/schema";
import { channelLabels } from "~/i18n/channels";
import { createPendingPayment, goalId } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { brokenConstraint } from "./helpers";

describe.each(dbTargets)("the channel list drives the database checks (%s)", (target) => {
  const t = useTestDatabase(target);

  it("accepts every channel of paymentChannels on payments and on ledger entries", async () => {
    const goal = await goalId(t.db, "ingen-ensamhet");
    for (const channel of paymentChannels) {
      const payment = await createPendingPayment(t.db, { channel });
      expect(payment.channel).toBe(channel);
      // A correction has no payment, so the per-payment sum check does not apply to it.
      const [entry] = await t.db.insert(ledgerEntries).values({ goalId: goal, amountOre: 100n, channel, kind: "correction", author: "test" }).returning();
      expect(entry.channel).toBe(channel);
    }
  });

  it("refuses a channel outside the list on both tables, by the check built from the constant", async () => {
    const goal = await goalId(t.db, "ingen-ensamhet");
    expect(await brokenConstraint(createPendingPayment(t.db, { channel: "raffle" as never }))).toBe("payments_channel_check");
    expect(
      await brokenConstraint(t.db.insert(ledgerEntries).values({ goalId: goal, amountOre: 100n, channel: "raffle", kind: "correction", author: "test" })),
    ).toBe("ledger_entries_channel_check");
    // Case and spacing count: the list is exact.
    expect(await brokenConstraint(createPendingPayment(t.db, { channel: "Partner_fee" as never }))).toBe("payments_channel_check");
    expect(await brokenConstraint(createPendingPayment(t.db, { status: "refunded" as never }))).toBe("payments_status_check");
    expect(await brokenConstraint(createPendingPayment(t.db, { origin: "cash" as never }))).toBe("payments_origin_check");
  });
});

describe("the checks in the migrations are the ones the schema builds from its constants", () => {
  // The latest snapshot is what the migrations produce; a constant changed without generating a
  // migration (e.g. a channel added) shows up here as a difference.
  const snapshots = readdirSync(path.join(migrationsFolder, "meta")).filter((f) => f.endsWith("_snapshot.json")).sort();
  const latest = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", snapshots.at(-1)!), "utf8")) as {
    tables: Record<string, { checkConstraints: Record<string, { value: string }> }>;
  };
  const dialect = new PgDialect();
  const tables: PgTable[] = Object.values(schema).flatMap((v) => (is(v, PgTable) ? [v] : []));

  it("has every table's checks, with the same SQL", () => {
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const config = getTableConfig(table);
      const inMigrations = latest.tables[`public.${config.name}`]?.checkConstraints ?? {};
      const inSchema = Object.fromEntries(config.checks.map((c) => [c.name, { name: c.name, value: dialect.sqlToQuery(c.value).sql }]));
      expect({ table: config.name, checks: inSchema }).toEqual({ table: config.name, checks: inMigrations });
    }
  });

  it("holds exactly the constant's channels on payments and ledger entries", () => {
    const list = `(${paymentChannels.map((c) => `'${c}'`).join(", ")})`;
    expect(latest.tables["public.payments"].checkConstraints.payments_channel_check.value).toBe(`"payments"."channel" in ${list}`);
    expect(latest.tables["public.ledger_entries"].checkConstraints.ledger_entries_channel_check.value).toBe(`"ledger_entries"."channel" in ${list}`);
    expect(getTableConfig(payments).checks.map((c) => c.name)).toContain("payments_channel_check");
  });
});

describe("channel labels", () => {
  it("names every channel in Swedish and English, and nothing else", () => {
    const keys = paymentChannels.map((c) => `channel_${c}`).sort();
    for (const locale of ["sv", "en"] as const) {
      expect(Object.keys(channelLabels[locale]).sort()).toEqual(keys);
      for (const label of Object.values(channelLabels[locale])) expect(label.trim()).not.toBe("");
    }
  });
});
