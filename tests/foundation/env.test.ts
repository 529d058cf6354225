import { describe, expect, it } from "vitest";
import { EnvError, listeningMessage, parseEnv } from "~/utils/env.server";
import { tempDir } from "../setup/server";

const dataDir = tempDir("env");

function failure(source: Record<string, string>): EnvError {
  try {
    parseEnv({ DATA_DIR: dataDir, ...source });
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("configuration", () => {
  it("needs nothing in local mode", () => {
    const env = parseEnv({ DATA_DIR: dataDir });
    expect(env.production).toBe(false);
    expect(env.port).toBe(3000);
    expect(env.appUrl).toBe("http://localhost:3000");
    expect(env.host).toBe("127.0.0.1");
    expect(parseEnv({ DATA_DIR: dataDir, HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(env.demoData).toBe(true);
    expect(env.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    // The generated secret is kept, so sessions survive a restart.
    expect(parseEnv({ DATA_DIR: dataDir }).sessionSecret).toBe(env.sessionSecret);
  });

  it("names the variable that has a bad value", () => {
    expect(failure({ PORT: "abc" }).variable).toBe("PORT");
    expect(failure({ PORT: "70000" }).variable).toBe("PORT");
    expect(failure({ DATABASE_URL: "mysql://x" }).variable).toBe("DATABASE_URL");
    expect(failure({ APP_URL: "not a url" }).variable).toBe("APP_URL");
    expect(failure({ APP_ENV: "staging" }).variable).toBe("APP_ENV");
    expect(failure({ STRIPE_SECRET_KEY: "pk_live_x" }).variable).toBe("STRIPE_SECRET_KEY");
  });

  it("demands the real settings in production", () => {
    const base = { APP_ENV: "production", DATABASE_URL: "postgres://u@h/db", APP_URL: "https://example.org" };
    expect(failure(base).variable).toBe("SESSION_SECRET");
    expect(failure({ ...base, SESSION_SECRET: "short" }).variable).toBe("SESSION_SECRET");
    expect(failure({ APP_ENV: "production", SESSION_SECRET: "x".repeat(40), APP_URL: "https://example.org" }).variable).toBe("DATABASE_URL");
    const ok = parseEnv({ ...base, SESSION_SECRET: "x".repeat(40) });
    expect(ok.production).toBe(true);
    expect(ok.demoData).toBe(false);
    expect(ok.allowLocalStandins).toBe(false);
    expect(ok.host).toBeUndefined();
  });

  it("keeps demo data off a DATABASE_URL database unless asked", () => {
    expect(parseEnv({ DATA_DIR: dataDir, DATABASE_URL: "postgres://u@h/db" }).demoData).toBe(false);
    expect(parseEnv({ DATA_DIR: dataDir, DATABASE_URL: "postgres://u@h/db", DEMO_DATA: "1" }).demoData).toBe(true);
  });

  it("sends people to the address emailed links use: APP_URL, by default http://localhost:PORT, not the socket", () => {
    const local = parseEnv({ DATA_DIR: dataDir, PORT: "4123" });
    expect(local.appUrl).toBe("http://localhost:4123");
    expect(local.host).toBe("127.0.0.1");
    const line = listeningMessage(local);
    // The log names the socket, and tells people to open APP_URL, the address emailed links use.
    expect(line).toMatch(/^\[lokala-mal\] listening on http:\/\/127\.0\.0\.1:4123 — open http:\/\/localhost:4123 in the browser /);
    const configured = parseEnv({ DATA_DIR: dataDir, APP_URL: "http://127.0.0.1:3000/" });
    expect(configured.appUrl).toBe("http://127.0.0.1:3000");
    expect(listeningMessage(configured)).toContain("open http://127.0.0.1:3000 ");
    const production = parseEnv({ APP_ENV: "production", DATABASE_URL: "postgres://u@h/db", SESSION_SECRET: "x".repeat(40), APP_URL: "https://gavor.example.org" });
    expect(listeningMessage(production)).toBe("[lokala-mal] listening on http://*:3000 (all interfaces); public address (APP_URL) https://gavor.example.org");
  });
});
