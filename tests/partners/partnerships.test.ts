import { eq } from "drizzle-orm";
import { describe, expect, it, onTestFinished } from "vitest";
import { auditLog, partnerships } from "~db/schema";
import { activateIfReady, createPartnership, partnerWall } from "~/services/partners/partnerships.server";
import { ServiceError } from "~/services/errors";
import { createOrganisation } from "../factories";
import { dbTargets, useTestDatabase } from "../setup/db";
import { goalId, negotiating, payFee, reload, setTierMinimum, systemActor } from "./helpers";

const NOW = new Date("2026-06-15T10:00:00Z");

describe.each(dbTargets)("partnerships core on %s", (target) => {
  const ctx = useTestDatabase(target);

  it("refuses an amount under the tier's minimum next to the amount field, and writes nothing", async () => {
    const { db } = ctx;
    await setTierMinimum(db, "partner", 5_000_000n);
    onTestFinished(() => setTierMinimum(db, "partner", null));
    const org = await createOrganisation(db);
    const before = await db.select().from(partnerships).where(eq(partnerships.organisationId, org.id));
    const error = await db
      .transaction((tx) =>
        createPartnership(
          tx,
          { organisationId: org.id, goalId: 1, tier: "partner", agreedYearlyOre: 4_999_999n, startsOn: "2026-01-01", endsOn: "2026-12-31", status: "negotiating" },
          systemActor,
        ),
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({ agreedYearly: "under_tier_minimum" });
    expect(String(error.params.min).replace(/\s/g, " ")).toBe("50 000 kr");
    expect(before).toEqual([]);
    expect(await db.select().from(partnerships).where(eq(partnerships.organisationId, org.id))).toEqual([]);
    expect(await db.select().from(auditLog).where(eq(auditLog.organisationId, org.id))).toEqual([]);
    // At the minimum it is accepted, and audited.
    const ok = await negotiating(db, { organisationId: org.id, tier: "partner", agreedYearlyOre: 5_000_000n });
    expect(ok.status).toBe("negotiating");
    expect((await db.select().from(auditLog).where(eq(auditLog.organisationId, org.id))).map((a) => a.action)).toEqual(["partnership_created"]);
  });

  it("becomes active only when paid in full and signed off", async () => {
    const { db } = ctx;
    const p = await negotiating(db);
    await payFee(db, p, 400_000n);
    expect(await db.transaction((tx) => activateIfReady(tx, p.id, systemActor, NOW))).toBe(false);
    await db.update(partnerships).set({ signedOffAt: NOW, signOffExpiresOn: "2027-06-14" }).where(eq(partnerships.id, p.id));
    expect(await db.transaction((tx) => activateIfReady(tx, p.id, systemActor, NOW))).toBe(false);
    await payFee(db, p, 600_000n);
    expect(await db.transaction((tx) => activateIfReady(tx, p.id, systemActor, NOW))).toBe(true);
    expect((await reload(db, p.id)).status).toBe("active");
    // Once: a second call changes nothing.
    expect(await db.transaction((tx) => activateIfReady(tx, p.id, systemActor, NOW))).toBe(false);
  });

  it("the wall lists running, signed-off, public partners, highest tier first, each organisation once", async () => {
    const { db } = ctx;
    const goal = await goalId(db, "ingen-ensamhet");
    const make = async (name: string, tier: "huvudpartner" | "partner" | "vanforetag", set: Partial<typeof partnerships.$inferInsert>) => {
      const org = await createOrganisation(db, { name, isPublic: name !== "Anonym AB", website: name === "Bäst Huvud AB" ? "https://bast.example.se" : null });
      const p = await negotiating(db, { organisationId: org.id, goal: "ingen-ensamhet", tier });
      await db.update(partnerships).set({ status: "active", signedOffAt: NOW, signOffExpiresOn: "2027-01-01", ...set }).where(eq(partnerships.id, p.id));
      return org;
    };
    await make("Östra Bygg AB", "vanforetag", {});
    await make("Alfa Vän AB", "vanforetag", {});
    await make("Bäst Huvud AB", "huvudpartner", {});
    await make("Mitt Partner AB", "partner", { status: "renewal_due" });
    await make("Förfallen AB", "partner", { status: "lapsed" });
    await make("Osignerad AB", "huvudpartner", { signedOffAt: null, signOffExpiresOn: null });
    await make("Utgången AB", "huvudpartner", { signOffExpiresOn: "2026-06-14" });
    await make("Hemlig AB", "partner", { isPublic: false });
    await make("Slut AB", "partner", { endsOn: "2026-06-14" });
    await make("Förhandlar AB", "partner", { status: "negotiating" });
    await make("Anonym AB", "huvudpartner", {});
    const wall = await partnerWall(db, goal, NOW);
    expect(wall.map((w) => [w.name, w.tier, w.website])).toEqual([
      ["Bäst Huvud AB", "huvudpartner", "https://bast.example.se"],
      ["Mitt Partner AB", "partner", null],
      ["Alfa Vän AB", "vanforetag", null],
      ["Östra Bygg AB", "vanforetag", null],
    ]);
  });
});
