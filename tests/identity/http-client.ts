import http from "node:http";
import { expect } from "vitest";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase, type DbTarget } from "../setup/db";
import { startServer, type RunningServer } from "../setup/server";

/**
 * Over-HTTP helpers for the guard tests: raw requests (fetch would resolve `..` and set its own
 * Host), signing in through the dev mailbox, and a production server on PGlite or on a scratch
 * PostgreSQL database.
 */

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly this target and these headers (Host included), nothing normalised. */
export function raw(
  base: string,
  options: { method?: string; target: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["Content-Length"] ??= String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: options.method ?? "GET", path: options.target, headers, setHost: !("Host" in headers) }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const formHeaders = { "Content-Type": "application/x-www-form-urlencoded" };

/** The lang cookie as the app writes it (Remix createCookie: base64 of the JSON string). */
export const englishCookie = `lang=${encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64"))}`;

/** The messages in the dev mailbox (ids), to see that nothing was queued. */
export async function mailIds(base: string): Promise<number[]> {
  const html = await (await fetch(`${base}/dev/mail`)).text();
  return [...html.matchAll(/href="\/dev\/mail\/(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

async function newestMailId(base: string): Promise<number> {
  return Math.max(0, ...(await mailIds(base)));
}

/** Signs `email` in through the emailed link (dev mailbox) and returns the session cookie. */
export async function signIn(base: string, email: string): Promise<string> {
  const before = await newestMailId(base);
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${base}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { ...formHeaders, Origin: base }, redirect: "manual" });
  expect((await post("/login", { email })).status).toBe(200);
  for (let i = 0; i < 200; i++) {
    const id = await newestMailId(base);
    if (id > before) {
      const html = await (await fetch(`${base}/dev/mail/${id}`)).text();
      const link = /<a href="(https?:\/\/[^"]+\/login\/verify\?token=[^"]+)"/.exec(html)?.[1];
      if (link) {
        const token = new URL(link.replace(/&amp;/g, "&")).searchParams.get("token")!;
        const res = await post("/login/verify", { token });
        expect(res.status).toBe(302);
        return res.headers.get("set-cookie")!.split(";")[0];
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no sign-in link for ${email}`);
}

/** Starting takes long on a busy machine (migrations and demo data on PGlite). */
const START_TIMEOUT_MS = 150_000;

/** The production server in local mode with the demo people, on PGlite or on a fresh PostgreSQL database. */
export async function startOn(target: DbTarget, extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  if (target === "pglite") return startServer(extraEnv, START_TIMEOUT_MS);
  const url = await createScratchPostgresDatabase();
  const server = await startServer({ DATABASE_URL: url.toString(), DEMO_DATA: "1", ...extraEnv }, START_TIMEOUT_MS).catch(async (error) => {
    await dropScratchPostgresDatabase(url);
    throw error;
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await dropScratchPostgresDatabase(url);
    },
  };
}
