import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { auditLog, emailOutbox, people, settings } from "~db/schema";
import { templates, type TemplateName } from "~emails/index";
import { enqueueEmail, processOutboxOnce } from "~/services/email/outbox.server";
import { renderEmail } from "~/services/email/render.server";
import type { EmailTransport, OutgoingEmail } from "~/services/email/transport.server";
import { defaultCharityIdentity } from "~/services/settings/charity";
import { getCharityIdentity, updateCharityIdentity } from "~/services/settings/charity.server";
import { Invalid } from "~/services/errors";
import { createScratchPostgresDatabase, dbTargets, dropScratchPostgresDatabase, useTestDatabase } from "../setup/db";
import { freshDataDir, repoRoot, tempDir } from "../setup/server";
import { useIdentityEnv } from "./helpers";
import { staffContext } from "../setup/contexts";

describe("email templates", () => {
  it("render every template in Swedish and English, as HTML and plain text, on the shared layout", async () => {
    for (const name of ["sign-in-link", "notice"] as TemplateName[]) {
      const def = templates[name];
      const sv = await renderEmail(name, "sv", def.previewProps, defaultCharityIdentity);
      const en = await renderEmail(name, "en", def.previewProps, defaultCharityIdentity);
      for (const r of [sv, en]) {
        expect(r.html).toMatch(/^<!DOCTYPE html/i);
        expect(r.html).toContain("Västerås stadsmission");
        expect(r.html).toContain("rickard.salzmann@vasterasstadsmission.se");
        expect(r.text).toContain("Västerås stadsmission");
        expect(r.text).toContain("072-230 95 61");
        expect(r.text).not.toMatch(/<[a-z]/i);
        expect(r.subject.length).toBeGreaterThan(3);
      }
      expect(sv.html).toContain('lang="sv"');
      expect(en.html).toContain('lang="en"');
    }
    const sv = await renderEmail("sign-in-link", "sv", { url: "https://x.example/login/verify?token=abc", expiresMinutes: 15 }, defaultCharityIdentity);
    const en = await renderEmail("sign-in-link", "en", { url: "https://x.example/login/verify?token=abc", expiresMinutes: 15 }, defaultCharityIdentity);
    expect(sv.subject).toBe("Din inloggningslänk till Lokala mål");
    expect(en.subject).toBe("Your sign-in link for Local goals");
    expect(sv.text).toContain("https://x.example/login/verify?token=abc");
    expect(sv.text).toContain("15 minuter");
    expect(en.text).toContain("15 minutes");
  });

  it("gives every template the same plain text as React Email's own conversion (compiled once here)", async () => {
    const { toPlainText: reactEmailText } = await import("@react-email/render");
    for (const name of Object.keys(templates) as TemplateName[]) {
      for (const locale of ["sv", "en"] as const) {
        const r = await renderEmail(name, locale, templates[name].previewProps, defaultCharityIdentity);
        expect(r.text.length).toBeGreaterThan(50);
        expect(r.text).toBe(reactEmailText(r.html));
      }
    }
  });

  it("invents no organisation number or address: the footer leaves out what staff have not filled in", async () => {
    expect(defaultCharityIdentity.organisationNumber).toBe("");
    expect(defaultCharityIdentity.address).toBe("");
    const r = await renderEmail("notice", "sv", templates.notice.previewProps, defaultCharityIdentity);
    expect(r.html).not.toContain("Org.nr");
    expect(r.text).not.toMatch(/\d{6}-\d{4}/);
    const filled = await renderEmail("notice", "sv", templates.notice.previewProps, { ...defaultCharityIdentity, organisationNumber: "123456-7890", address: "Box 1, 721 00 Västerås" });
    expect(filled.text).toContain("Org.nr 123456-7890");
    expect(filled.text).toContain("Box 1, 721 00 Västerås");
  });

  it("renders caller text as text, never as HTML", async () => {
    const r = await renderEmail("notice", "en", { subject: "s", heading: "<b>bold</b>", body: "<script>alert(1)</script>\n\nsecond" }, defaultCharityIdentity);
    expect(r.html).not.toContain("<script>alert(1)</script>");
    expect(r.html).toContain("&lt;script&gt;");
    expect(r.html).not.toContain("<b>bold</b>");
  });
});

describe.each(dbTargets)("charity identity settings on %s", (target) => {
  const ctx = useTestDatabase(target);
  let staffId: number;
  beforeAll(async () => {
    useIdentityEnv();
    const [p] = await ctx.db.insert(people).values({ email: "staff@example.com" }).returning();
    staffId = p.id;
  });

  it("defaults to the seeds' name and contact, and leaves the rest empty", async () => {
    expect(await getCharityIdentity(ctx.db)).toEqual({
      name: "Västerås stadsmission",
      organisationNumber: "",
      address: "",
      email: "rickard.salzmann@vasterasstadsmission.se",
      phone: "072-230 95 61",
      website: "",
    });
  });

  it("refuses a malformed organisation number with a field error and writes nothing", async () => {
    const err = await updateCharityIdentity(staffContext(ctx.db, staffId, "fundraiser"), { ...defaultCharityIdentity, organisationNumber: "12-34" }).catch((e) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect(err.fieldErrors).toEqual({ organisationNumber: "org_number" });
    expect(await ctx.db.select().from(settings)).toHaveLength(0);
  });

  it("saves what staff enter, audits it, and the worker renders the footer with the identity at send time", async () => {
    await enqueueEmail(ctx.db, { to: "a@example.com", template: "notice", locale: "sv", props: { subject: "S", heading: "H", body: "B" } });
    await updateCharityIdentity(staffContext(ctx.db, staffId, "fundraiser"), { ...defaultCharityIdentity, organisationNumber: "802000-0000", address: "Testgatan 1" });
    const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "settings_changed"));
    expect(audits).toHaveLength(1);
    expect(audits[0].actorPersonId).toBe(staffId);
    const sent: OutgoingEmail[] = [];
    const transport: EmailTransport = { name: "test", send: async (m) => (sent.push(m), {}) };
    await processOutboxOnce({ db: ctx.db, transport });
    expect(sent[0].text).toContain("Org.nr 802000-0000");
    expect(sent[0].text).toContain("Testgatan 1");
    const [row] = await ctx.db.select().from(emailOutbox);
    expect(row.html).toContain("802000-0000");
  });
});

describe("command-line tools", () => {
  /**
   * Runs a command-line tool as its npm script does (`tsx <file>`), without blocking this worker (a blocked
   * worker misses vitest's own messages). tsx's loader is registered in the one node process (`node --import
   * tsx`): the tsx command starts a second node only to run it there, 0.7 of its 1.7 CPU-s to start.
   * --liftoff-only as for a test server (tests/setup/server.ts): PGlite's WebAssembly compiled by the baseline
   * compiler only. user:create on a copy of the template: 6.6, 6.8, 7.2 CPU-s without, 5.1, 5.3, 4.8 with
   * (interleaved, load 17-21).
   */
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--liftoff-only", "--import", "tsx", ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  /*
   * On the engine the database tests run on (tests/setup/db.ts: PostgreSQL where TEST_DATABASE_URL is set, as in
   * CI), on a copy of the run's migrated database: a PostgreSQL copy of its template, or a PGlite data directory as
   * a test server gets (tests/setup/server.ts). The command opens it with openDatabase, as a server does; PGlite
   * from DATA_DIR stays covered in CI by every test server on PGlite. Each run on PGlite boots PGlite in the child
   * (about 4 CPU-s a run, 2.3 on PostgreSQL, measured: the child's CPU, load 15).
   */
  it.each(dbTargets)("npm run user:create makes the first admin, once (%s)", async (target) => {
    const scratch = target === "postgres" ? await createScratchPostgresDatabase(inject("postgresTemplate") || undefined) : undefined;
    try {
      const databaseUrl = scratch?.toString() ?? "";
      const env = { ...process.env, DATA_DIR: freshDataDir(scratch ? { DATABASE_URL: databaseUrl } : {}), DEMO_DATA: "0", DATABASE_URL: databaseUrl };
      const first = await run(["db/user-create-cli.ts", "--email", "First@Example.org", "--role", "admin"], env);
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(first.stdout).toContain(`first@example.org: created, role admin granted (${target})`);
      const again = await run(["db/user-create-cli.ts", "--email", "first@example.org", "--role", "admin"], env);
      expect(again.stdout).toContain("already existed, role admin already held");
      const bad = await run(["db/user-create-cli.ts", "--email", "nope", "--role", "king"], env);
      expect(bad.status).toBe(2);
    } finally {
      if (scratch) await dropScratchPostgresDatabase(scratch);
    }
  }, 120_000);

  it("npm run email:preview writes every template in both languages", async () => {
    const out = tempDir("email-preview");
    const preview = await run(["emails/preview-cli.tsx", "--out", out], process.env);
    expect(preview.status, preview.stderr).toBe(0);
    for (const name of Object.keys(templates)) {
      for (const locale of ["sv", "en"]) {
        expect(existsSync(path.join(out, `${name}.${locale}.html`))).toBe(true);
        expect(readFileSync(path.join(out, `${name}.${locale}.txt`), "utf8").length).toBeGreaterThan(20);
      }
    }
    expect(readFileSync(path.join(out, "index.html"), "utf8")).toContain("sign-in-link");
  }, 60_000);
});
