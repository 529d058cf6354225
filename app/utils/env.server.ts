import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Configuration, parsed once with zod (DESIGN.md, "Environment").
 * In local mode every variable is optional; APP_ENV=production demands the real ones.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const urlString = (what: string) =>
  optionalString.refine((v) => v === undefined || URL.canParse(v), { message: `must be a URL (${what})` });

export const envSchema = z
  .object({
    APP_ENV: z.enum(["production", "local"]).optional(),
    DATABASE_URL: optionalString.refine(
      (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
      { message: "must start with postgres:// or postgresql://" },
    ),
    DATA_DIR: optionalString,
    PORT: optionalString.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535), {
      message: "must be a port number (1–65535)",
    }),
    HOST: optionalString,
    APP_URL: urlString("public base URL"),
    SESSION_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: "must be at least 32 characters",
    }),
    STRIPE_SECRET_KEY: optionalString.refine((v) => v === undefined || /^(sk|rk)_/.test(v), {
      message: "must start with sk_ or rk_",
    }),
    STRIPE_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || v.startsWith("whsec_"), {
      message: "must start with whsec_",
    }),
    STRIPE_API_URL: urlString("e.g. http://127.0.0.1:12111"),
    RESEND_API_KEY: optionalString,
    MAIL_FROM: optionalString,
    ADMIN_EMAILS: optionalString,
    ALLOW_LOCAL_STANDINS: optionalString,
    DEMO_DATA: z.enum(["0", "1"]).optional(),
    SESSION_CACHE_MS: optionalString.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 60_000), {
      message: "must be a number of milliseconds from 0 to 60000",
    }),
    PUBLIC_READS_MS: optionalString.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 60_000), {
      message: "must be a number of milliseconds from 0 to 60000",
    }),
    // Read by server.mjs (Express "trust proxy"): a hop count, or loopback / an address list.
    // Not "true": that trusts every X-Forwarded-For, so any client could pick its own address (and
    // dodge the per-client sign-in limit); server.mjs does not accept it either.
    TRUST_PROXY: optionalString.refine((v) => v === undefined || /^(\d+|loopback|linklocal|uniquelocal|[0-9a-fA-F.:/, ]+)$/.test(v), {
      message: "must be a hop count (e.g. 1), loopback, or a list of proxy addresses (not true: it would trust any X-Forwarded-For)",
    }),
  })
  .superRefine((env, ctx) => {
    if (env.APP_ENV !== "production") return;
    const required = ["DATABASE_URL", "SESSION_SECRET", "APP_URL"] as const;
    for (const key of required) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when APP_ENV=production" });
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["STRIPE_WEBHOOK_SECRET"], message: "is required when STRIPE_SECRET_KEY is set" });
    }
    if (env.RESEND_API_KEY && !env.MAIL_FROM) {
      ctx.addIssue({ code: "custom", path: ["MAIL_FROM"], message: "is required when RESEND_API_KEY is set" });
    }
  });

export type RawEnv = z.infer<typeof envSchema>;

export interface Env {
  production: boolean;
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host?: string;
  appUrl: string;
  sessionSecret: string;
  stripeSecretKey?: string;
  stripeWebhookSecret?: string;
  stripeApiUrl?: string;
  resendApiKey?: string;
  mailFrom?: string;
  adminEmails: string[];
  /** Local stand-ins (payment simulator, dev mailbox) in production only when explicitly allowed. */
  allowLocalStandins: boolean;
  /** Load demo data at start: on by default on the embedded database, off on DATABASE_URL. */
  demoData: boolean;
  /** How long a process keeps a session it looked up (services/auth/session-cache.server.ts); 0: not at all. */
  sessionCacheMs: number;
  /** How long a process keeps the public facts pages read (app/utils/public-reads.server.ts); 0: never. */
  publicReadsMs: number;
}

export class EnvError extends Error {
  constructor(public variable: string, public reason: string) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

/** Parses an environment; throws EnvError naming the first bad variable. Pure apart from the session secret file. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue.path[0] ?? "environment");
    throw new EnvError(variable, issue.message);
  }
  const raw = result.data;
  const production = raw.APP_ENV === "production";
  const dataDir = path.resolve(raw.DATA_DIR ?? "./data");
  const port = raw.PORT ? Number(raw.PORT) : 3000;
  return {
    production,
    databaseUrl: raw.DATABASE_URL,
    dataDir,
    port,
    // Local mode listens on loopback only: the dev mailbox shows everyone's sign-in links.
    host: raw.HOST ?? (production ? undefined : "127.0.0.1"),
    // Unset: http://localhost:PORT, also in local mode where the socket is 127.0.0.1 (localhost reaches it);
    // the start log says to browse this address (listeningMessage).
    appUrl: (raw.APP_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
    sessionSecret: raw.SESSION_SECRET ?? localSessionSecret(dataDir),
    stripeSecretKey: raw.STRIPE_SECRET_KEY,
    stripeWebhookSecret: raw.STRIPE_WEBHOOK_SECRET,
    stripeApiUrl: raw.STRIPE_API_URL,
    resendApiKey: raw.RESEND_API_KEY,
    mailFrom: raw.MAIL_FROM,
    adminEmails: (raw.ADMIN_EMAILS ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
    allowLocalStandins: !production || raw.ALLOW_LOCAL_STANDINS === "1",
    demoData: raw.DEMO_DATA ? raw.DEMO_DATA === "1" : !raw.DATABASE_URL,
    sessionCacheMs: raw.SESSION_CACHE_MS === undefined ? 2000 : Number(raw.SESSION_CACHE_MS),
    publicReadsMs: raw.PUBLIC_READS_MS === undefined ? 1000 : Number(raw.PUBLIC_READS_MS),
  };
}

/**
 * The start log's line: where the server listens, and the address to browse. Emailed links (sign-in,
 * receipts) use APP_URL; a browser keeps separate cookies for localhost and 127.0.0.1, so someone who
 * browses the listening address and signs in from an emailed localhost link would still look signed
 * out. So the line names APP_URL as the address to open, not the socket.
 */
export function listeningMessage(config: Env): string {
  // "listening on http://…" is the line tests/setup/server.ts waits for.
  const socket = config.host ? `http://${config.host}:${config.port}` : `http://*:${config.port} (all interfaces)`;
  if (config.production) return `[lokala-mal] listening on ${socket}; public address (APP_URL) ${config.appUrl}`;
  return `[lokala-mal] listening on ${socket} — open ${config.appUrl} in the browser (emailed links use this address, APP_URL; under another name, such as 127.0.0.1, the browser keeps other cookies and you stay signed out)`;
}

/** In local mode the cookie secret is generated once and kept in $DATA_DIR, so sessions survive restarts. */
function localSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let cached: Env | undefined;

/** The process's configuration. On a bad value: one line naming the variable, exit code 1. */
export function env(): Env {
  if (cached) return cached;
  try {
    cached = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  return cached;
}

/** For tests: use this configuration instead of process.env. */
export function setEnvForTests(next: Env | undefined) {
  cached = next;
}
