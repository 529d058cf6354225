import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collections, type Payment } from "~db/schema";
import { loader as apiLoader } from "~/routes/api.collections.$slug";
import { loader as imageLoader } from "~/routes/c.$slug.image";
import { loader as pageLoader } from "~/routes/c.$slug._index";
import { action as newAction } from "~/routes/collections.new";
import { loader as goalLoader } from "~/routes/goals.$slug";
import type { CollectionPageView } from "~/services/collections/page.server";
import { markPaymentPaid, recordPayment, reversePayment } from "~/services/payments/core.server";
import { setEnvForTests } from "~/utils/env.server";
import { createPerson } from "../factories";
import { cookieFor, useIdentityEnv } from "../identity/helpers";
import { dbTargets, useTestDatabase } from "../setup/db";

const base = "http://127.0.0.1:3999";
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const evil = `"><img src=x onerror=alert(1)><script>alert(2)</script>`;

type Failure = { init: { status: number }; data: { fieldErrors: Record<string, string> } };

describe.each(dbTargets)("collection routes (%s)", (target) => {
  const t = useTestDatabase(target);
  beforeAll(() => void useIdentityEnv());
  afterAll(() => setEnvForTests(undefined));

  async function post(cookie: string, fields: Record<string, string>, image?: { bytes: Uint8Array; type: string }) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("image", image ? new File([Buffer.from(image.bytes)], "bild.png", { type: image.type }) : new File([], ""));
    const request = new Request(`${base}/collections/new`, { method: "POST", body: form, headers: { Cookie: cookie, Origin: base } });
    return (await newAction({ request, params: {}, context: {} })) as unknown;
  }
  const fields = { title: "Springet", story: "Jag springer.", goal: "ingen-psykisk-ohalsa", target: "5000", endsOn: "", slug: "" };
  const rows = async () => (await t.db.select({ n: count() }).from(collections))[0].n;

  it("starts a collection from the form, and answers bad input with 400 next to the field, writing nothing", async () => {
    const person = await createPerson(t.db);
    const cookie = await cookieFor(t.db, person.id);
    const before = await rows();
    const bad = (await post(cookie, { ...fields, target: "50", title: "" }, { bytes: new TextEncoder().encode("<svg onload=alert(1)>"), type: "image/png" })) as Failure;
    expect(bad.init.status).toBe(400);
    expect(bad.data.fieldErrors.target).toBe("Insamlingsmålet måste vara minst 100 kr.");
    expect(bad.data.fieldErrors.title).toBe("Fältet måste fyllas i.");
    // The image is checked by the service once the fields are right.
    const badImage = (await post(cookie, fields, { bytes: new TextEncoder().encode("<svg onload=alert(1)>"), type: "image/png" })) as Failure;
    expect(badImage.init.status).toBe(400);
    expect(badImage.data.fieldErrors.image).toBe("Bilden måste vara PNG, JPEG eller WebP.");
    expect(await rows()).toBe(before);

    const ok = (await post(cookie, { ...fields, title: `Vårruset ${evil}` }, { bytes: PNG, type: "image/jpeg" })) as Response;
    expect(ok.status).toBe(302);
    const slug = ok.headers.get("Location")!.match(/^\/c\/([a-z0-9-]+)\?done=created$/)![1];
    // The image: the type its bytes are, whatever the upload claimed, and never sniffed.
    const image = (await imageLoader({ request: new Request(`${base}/c/${slug}/image`), params: { slug }, context: {} })) as Response;
    expect(image.headers.get("Content-Type")).toBe("image/png");
    expect(image.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
  });

  it("shows raised, target, %, gifts and the donor wall as each donor chose; JSON per DESIGN.md; 410 when hidden", async () => {
    const owner = await createPerson(t.db);
    const goalId = (await t.db.query.goals.findFirst({ where: (g, { eq }) => eq(g.slug, "ingen-psykisk-ohalsa") }))!.id;
    const [c] = await t.db.insert(collections).values({ slug: "springet-for-alla", title: "Springet", goalId, ownerPersonId: owner.id, targetOre: 5_000_00n }).returning();
    const give = async (amountOre: bigint, donor: Partial<Payment>) =>
      t.db.transaction(async (tx) => {
        const row = await recordPayment(tx, { channel: "collection", goalId, origin: "app", amountOre, source: { collectionId: c.id } });
        const [withDonor] = await tx.update((await import("~db/schema")).payments).set(donor).where(eq((await import("~db/schema")).payments.id, row.id)).returning();
        return markPaymentPaid(tx, withDonor, { paidAt: new Date(), author: "test" });
      });
    await give(300_00n, { donorName: "Karin", greeting: evil });
    await give(200_00n, { donorName: "Hemlig Person", anonymous: true, showAmount: false });
    const refunded = await give(100_00n, { donorName: "Ångrad" });
    await t.db.transaction((tx) => reversePayment(tx, refunded, { amountOre: 100_00n, reason: "refund", author: "test" }));

    const page = (await pageLoader({ request: new Request(`${base}/c/${c.slug}`), params: { slug: c.slug }, context: {} })) as { kind: string; view: CollectionPageView; qrSvg: string; shareUrl: string };
    expect(page.view).toMatchObject({ raisedOre: "50000", targetOre: "500000", percent: 10, giftCount: 2, status: "active" });
    expect(page.view.donors).toEqual([
      expect.objectContaining({ name: null, amountOre: null, greeting: null }),
      expect.objectContaining({ name: "Karin", amountOre: "30000", greeting: evil }),
    ]);
    expect(page.shareUrl).toBe(`${base}/c/${c.slug}`);
    expect(page.qrSvg).toMatch(/^<svg[^>]*>/);

    const json = (await apiLoader({ request: new Request(`${base}/api/collections/${c.slug}`), params: { slug: c.slug }, context: {} })) as Response;
    expect(await json.json()).toEqual({ slug: c.slug, title: "Springet", goal: "ingen-psykisk-ohalsa", raisedOre: 50_000, targetOre: 500_000, giftCount: 2, endsAt: null, status: "active" });

    const goal = (await goalLoader({ request: new Request(`${base}/goals/ingen-psykisk-ohalsa`), params: { slug: "ingen-psykisk-ohalsa" }, context: {} })) as { collections: { slug: string; raisedOre: string }[] };
    expect(goal.collections).toContainEqual({ slug: c.slug, title: "Springet", raisedOre: "50000", targetOre: "500000" });

    await t.db.update(collections).set({ hiddenAt: new Date(), hiddenReason: "test" }).where(eq(collections.id, c.id));
    const gone = (await apiLoader({ request: new Request(`${base}/api/collections/${c.slug}`), params: { slug: c.slug }, context: {} })) as Response;
    expect(gone.status).toBe(410);
    const gonePage = (await pageLoader({ request: new Request(`${base}/c/${c.slug}`), params: { slug: c.slug }, context: {} })) as unknown as { init: { status: number } };
    expect(gonePage.init.status).toBe(410);
    const goalAfter = (await goalLoader({ request: new Request(`${base}/goals/ingen-psykisk-ohalsa`), params: { slug: "ingen-psykisk-ohalsa" }, context: {} })) as { collections: { slug: string }[] };
    expect(goalAfter.collections.map((x) => x.slug)).not.toContain(c.slug);
    const missing = (await apiLoader({ request: new Request(`${base}/api/collections/finns-inte`), params: { slug: "finns-inte" }, context: {} })) as Response;
    expect(missing.status).toBe(404);
  });
});
