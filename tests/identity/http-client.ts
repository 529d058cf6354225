import http from "node:http";
import { inject } from "vitest";
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

/** The lang cookie as the app writes it (Remix createCookie: base64 of the JSON string). */
export const englishCookie = `lang=${encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64"))}`;

export { formHeaders, mailIds, signIn } from "../setup/dev-mailbox";

/** Starting takes long on a busy machine (migrations and demo data on PGlite). */
const START_TIMEOUT_MS = 150_000;

/**
 * The production server in local mode with the demo people, on PGlite or on a fresh PostgreSQL database
 * (a copy of the run's template, with the demo data unless DEMO_DATA=0, as freshDataDir does on PGlite).
 */
export async function startOn(target: DbTarget, extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  if (target === "pglite") return startServer(extraEnv, START_TIMEOUT_MS);
  const template = inject(extraEnv.DEMO_DATA === "0" ? "postgresTemplate" : "postgresDemoTemplate");
  // A copy of the run's demo template, seeded by this code: the server skips its seeders (tests/setup/server.ts).
  const preloaded: Record<string, string> = template && extraEnv.DEMO_DATA !== "0" ? { DEMO_DATA_PRELOADED: "1" } : {};
  const env = { DEMO_DATA: "1", ...preloaded, ...extraEnv };
  const url = await createScratchPostgresDatabase(template || undefined);
  const server = await startServer({ DATABASE_URL: url.toString(), ...env }, START_TIMEOUT_MS).catch(async (error) => {
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
