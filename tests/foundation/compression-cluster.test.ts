import { readdirSync } from "node:fs";
import path from "node:path";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../setup/db";
import { NO_DEMO_DATA, repoRoot, startServer, type RunningServer } from "../setup/server";

/** One GET with exactly these headers; the body as the bytes that came over the wire (not decoded). */
function get(base: string, target: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const { hostname, port } = new URL(base);
    http
      .get({ host: hostname, port, path: target, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

/**
 * One server for the file. Where a PostgreSQL server is given (CI always gives one: .ci/run) it is the
 * cluster of two processes that the last describe is about, and the compression checks go to it as well:
 * each of its processes serves with the same server.mjs as a single one. A PGlite server of their own
 * cost the file a start, 3.7-4.0 CPU-s. Without PostgreSQL: one process on PGlite.
 */
const onPostgres = !!process.env.TEST_DATABASE_URL;
let server: RunningServer;
let scratch: URL | undefined;
beforeAll(async () => {
  if (onPostgres) {
    scratch = await createScratchPostgresDatabase();
    server = await startServer({ DATABASE_URL: scratch.toString(), WEB_CONCURRENCY: "2" }, 120_000);
  } else {
    server = await startServer(NO_DEMO_DATA);
  }
}, 180_000);
afterAll(async () => {
  await server?.stop();
  if (scratch) await dropScratchPostgresDatabase(scratch);
});

describe("compressed responses (production server)", () => {

  it("compresses pages and JSON as the browser prefers, and sends nothing compressed to a client that did not ask", async () => {
    const br = await get(server.url, "/", { "Accept-Encoding": "br, gzip" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(br.body).toString()).toContain("Västerås stadsmission");
    const gz = await get(server.url, "/api/goals", { "Accept-Encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(gz.body).toString())).toBeTruthy();
    const plain = await get(server.url, "/");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toContain("Västerås stadsmission");
  });

  it("sends the assets compressed at build time, with long-lived cache headers", async () => {
    const dir = path.join(repoRoot, "build/client/assets");
    const asset = readdirSync(dir).find((f) => f.endsWith(".js.br"))!.replace(/\.br$/, "");
    const br = await get(server.url, `/assets/${asset}`, { "Accept-Encoding": "gzip, deflate, br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const original = await get(server.url, `/assets/${asset}`);
    expect(original.headers["content-encoding"]).toBeUndefined();
    expect(brotliDecompressSync(br.body).equals(original.body)).toBe(true);
    expect(br.body.length).toBeLessThan(original.body.length);
  });
});

describe.runIf(onPostgres)("serving from every core (cluster on PostgreSQL)", () => {
  const processes = () => [...server.output().matchAll(/\(process (\d+)\)/g)].map((m) => Number(m[1]));

  it("prepares the database once and serves from two processes; a process that dies is replaced", async () => {
    await vi.waitFor(() => expect(new Set(processes()).size).toBe(2), { timeout: 60_000, interval: 100 });
    expect(server.output()).toContain("serving from 2 processes");
    expect(server.output().match(/email worker: /g)).toHaveLength(2);
    const [first] = processes();
    process.kill(first, "SIGKILL");
    await vi.waitFor(() => expect(new Set(processes()).size).toBe(3), { timeout: 60_000, interval: 100 });
    expect(server.output()).toContain(`server process ${first} ended (SIGKILL); starting another`);
    for (let i = 0; i < 10; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
