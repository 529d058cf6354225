import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "~db/schema";
import { enqueueEmail, processOutboxOnce } from "~/services/email/outbox.server";
import { resendTransport, transportFor } from "~/services/email/transport.server";
import { parseEnv } from "~/utils/env.server";
import { useTestDatabase } from "../setup/db";
import { tempDir } from "../setup/server";

/** A stand-in for Resend's HTTP API: the first `failures` sends answer 500, then 200. */
describe("the Resend adapter", () => {
  const ctx = useTestDatabase("pglite");
  const received: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  let failures = 1;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) });
        res.setHeader("Content-Type", "application/json");
        if (failures-- > 0) {
          res.statusCode = 500;
          res.end(JSON.stringify({ name: "internal_server_error", message: "down for a moment", statusCode: 500 }));
        } else {
          res.end(JSON.stringify({ id: "re_test_1" }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("is chosen when RESEND_API_KEY is set, and the dev mailbox otherwise", () => {
    const dir = tempDir("resend");
    expect(transportFor(parseEnv({ DATA_DIR: dir, RESEND_API_KEY: "re_x", MAIL_FROM: "Lokala mål <a@example.org>" })).name).toBe("resend");
    expect(transportFor(parseEnv({ DATA_DIR: dir })).name).toBe("dev-mailbox");
  });

  it("sends HTML and text with the outbox id as idempotency key, and a failed call is retried", async () => {
    await enqueueEmail(ctx.db, { to: "donor@example.com", template: "sign-in-link", locale: "en", props: { url: "https://x.example/l", expiresMinutes: 15 } });
    const transport = resendTransport("re_test_key", "Lokala mål <noreply@example.org>", base);
    const t0 = new Date("2030-01-01T00:00:00Z");
    expect(await processOutboxOnce({ db: ctx.db, transport, clock: () => t0 })).toMatchObject({ retrying: 1, sent: 0 });
    expect(await processOutboxOnce({ db: ctx.db, transport, clock: () => new Date(t0.getTime() + 3_600_000) })).toMatchObject({ sent: 1 });
    expect(received).toHaveLength(2);
    const [row] = await ctx.db.select().from(emailOutbox);
    expect(row.status).toBe("sent");
    expect(row.providerId).toBe("re_test_1");
    expect(row.transport).toBe("resend");
    for (const r of received) {
      expect(r.headers["idempotency-key"]).toBe(`outbox-${row.id}`);
      expect(r.headers.authorization).toBe("Bearer re_test_key");
    }
    const body = received[1].body;
    expect(body.from).toBe("Lokala mål <noreply@example.org>");
    expect(body.to).toBe("donor@example.com");
    expect(body.subject).toBe("Your sign-in link for Local goals");
    expect(String(body.html)).toContain("https://x.example/l");
    expect(String(body.text)).toContain("https://x.example/l");
  });
});
