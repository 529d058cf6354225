import { describe, expect, it } from "vitest";
import { goals, organisations, people } from "~db/schema";
import { recordAudit } from "~/services/audit/audit.server";
import { describeAuditDetails, type AuditNames } from "~/services/audit/format";
import { listAuditReadable } from "~/services/audit/readable.server";
import { anonymousActor, type Actor, type ServiceContext } from "~/services/context";
import { ServiceError } from "~/services/errors";
import { formatOre } from "~/utils/money";
import { dbTargets, useTestDatabase } from "../setup/db";

const names: AuditNames = {
  people: new Map([[7, "anna@example.com"]]),
  organisations: new Map([[3, "Bygg AB"]]),
  goals: new Map<number | string, string>([
    [2, "Alla är trygga"],
    ["alla-ar-trygga", "Alla är trygga"],
  ]),
};

describe("describeAuditDetails: an audit entry's details as readable changes", () => {
  it("lists only the fields of a goal that changed, with labels, kronor and the goal's title", () => {
    const details = {
      slug: "alla-ar-trygga",
      before: { id: 2, slug: "alla-ar-trygga", titleSv: "Trygga", targetOre: "100000000", draft: true, sdgs: [1], updatedAt: "x" },
      after: { id: 2, slug: "alla-ar-trygga", titleSv: "Alla är trygga", targetOre: "150000000", draft: true, sdgs: [1, 10], updatedAt: "y" },
    };
    expect(describeAuditDetails(details, names, "sv")).toEqual([
      { field: "Mål", after: "Alla är trygga" },
      { field: "Titel (svenska)", before: "Trygga", after: "Alla är trygga" },
      { field: "Årsmål", before: formatOre("100000000"), after: formatOre("150000000") },
      { field: "Globala mål", before: "1", after: "1, 10" },
    ]);
    expect(describeAuditDetails(details, names, "en")[1]).toEqual({ field: "Title (Swedish)", before: "Trygga", after: "Alla är trygga" });
  });

  it("shows an emptied field as (tomt) and a setting's key by its name", () => {
    const details = { key: "charity_identity", before: { name: "VSM", website: "https://a.se" }, after: { name: "VSM", website: "" } };
    expect(describeAuditDetails(details, names, "sv")).toEqual([
      { field: "Inställning", after: "organisationens uppgifter" },
      { field: "Webbplats", before: "https://a.se", after: "(tomt)" },
    ]);
  });

  it("turns codes, booleans and ids into words and names", () => {
    expect(describeAuditDetails({ role: "admin" }, names, "sv")).toEqual([{ field: "Roll", after: "administratör" }]);
    expect(describeAuditDetails({ isAdmin: false }, names, "en")).toEqual([{ field: "Administrator", after: "no" }]);
    expect(describeAuditDetails({ method: "magic_link" }, names, "sv")).toEqual([{ field: "Sätt", after: "inloggningslänk" }]);
    expect(describeAuditDetails({ personId: 7, organisationId: 3, goalId: 2 }, names, "sv")).toEqual([
      { field: "Person", after: "anna@example.com" },
      { field: "Organisation", after: "Bygg AB" },
      { field: "Mål", after: "Alla är trygga" },
    ]);
    expect(describeAuditDetails({ personId: 99 }, names, "sv")).toEqual([{ field: "Person", after: "#99" }]);
    expect(describeAuditDetails({ fromGoalId: 2, channel: "one_off_gift", amountOre: "50000" }, names, "sv")).toEqual([
      { field: "Från mål", after: "Alla är trygga" },
      { field: "Kanal", after: "Engångsgåva" },
      { field: "Belopp", after: formatOre("50000") },
    ]);
    expect(describeAuditDetails(null, names, "sv")).toEqual([]);
  });
});

describe.each(dbTargets)("listAuditReadable on %s", (target) => {
  const t = useTestDatabase(target);

  it("names people, organisations and goals, and is for admins only", async () => {
    const [admin] = await t.db.insert(people).values({ email: "boss@example.com" }).returning();
    const [anna] = await t.db.insert(people).values({ email: "anna@example.com" }).returning();
    const [org] = await t.db.insert(organisations).values({ name: "Bygg AB (test)" }).returning();
    const [goal] = await t.db.select().from(goals).limit(1);
    await recordAudit(t.db, { actorPersonId: admin.id, action: "member_added", subjectPersonId: anna.id, organisationId: org.id, details: { isAdmin: true } });
    await recordAudit(t.db, {
      actorPersonId: admin.id,
      action: "goal_changed",
      details: { slug: goal.slug, before: { ...goal, targetOre: null, draft: false }, after: { ...goal, targetOre: "2500000", draft: false } },
    });
    const actor = (roles: ("admin" | "fundraiser")[]): Actor => ({ kind: "person", personId: admin.id, email: admin.email, name: null, roles, organisations: [] });
    const ctx: ServiceContext = { db: t.db, actor: actor(["admin"]), locale: "sv" };

    const [goalEntry, memberEntry] = await listAuditReadable(ctx);
    expect(memberEntry).toMatchObject({ action: "member_added", actor: "boss@example.com", subject: "anna@example.com", organisation: "Bygg AB (test)" });
    expect(memberEntry.changes).toEqual([{ field: "Administratör", after: "ja" }]);
    expect(goalEntry.changes).toEqual([
      { field: "Mål", after: goal.titleSv },
      { field: "Årsmål", before: "(tomt)", after: formatOre("2500000") },
    ]);
    const [goalEntryEn] = await listAuditReadable({ ...ctx, locale: "en" });
    expect(goalEntryEn.changes[0]).toEqual({ field: "Goal", after: goal.titleEn });

    for (const wrong of [anonymousActor, actor(["fundraiser"]), actor([])]) {
      const refused = await listAuditReadable({ ...ctx, actor: wrong }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused, JSON.stringify(wrong)).toBeInstanceOf(ServiceError);
      expect((refused as ServiceError).status).toBeGreaterThanOrEqual(401);
    }
  });
});
