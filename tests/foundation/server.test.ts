import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createScratchPostgresDatabase, dropScratchPostgresDatabase } from "../setup/db";
import { freePort, repoRoot, runServerExpectingExit, startServer, stopChild, tempDir, type RunningServer } from "../setup/server";

const slugs = ["ingen-hemloshet", "alla-ar-trygga", "ingen-ensamhet", "ingen-psykisk-ohalsa", "alla-kan-arbeta"];
const titles = ["Ingen hemlöshet", "Alla är trygga", "Ingen ensamhet", "Ingen psykisk ohälsa", "Alla kan arbeta"];

async function expectServesTheGoals(server: RunningServer, db: "pglite" | "postgres") {
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true, db });

  const goals = (await (await fetch(`${server.url}/api/goals`)).json()) as Array<Record<string, unknown>>;
  expect(goals.map((g) => g.slug)).toEqual(slugs);
  for (const g of goals) {
    expect(typeof g.number).toBe("number");
    expect(typeof g.title).toBe("string");
    expect(Number.isInteger(g.raisedOre)).toBe(true);
    expect("targetOre" in g).toBe(true);
  }

  for (const [i, slug] of slugs.entries()) {
    const res = await fetch(`${server.url}/goals/${slug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1 id="goal-title">${titles[i]}</h1>`);
    expect(html).toContain('<html lang="sv"');
  }
}

describe("the production server on the embedded database", () => {
  const dataDir = tempDir("data");
  let server: RunningServer | undefined;
  afterAll(() => server?.stop());

  it("`npm start` serves the app on PGlite with the five goals", async () => {
    // `npm start` itself, as a newcomer runs it (the build from `npm test` is fresh, so it only serves).
    const port = await freePort();
    const child = spawn("npm", ["start", "--silent"], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let log = "";
    // Awaited rather than polled (a request every 200 ms while it started): the line server.mjs prints once it
    // listens, or the end of npm.
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not serve within 90 s:\n${log}`)), 90_000);
      const settle = (fn: () => void) => (clearTimeout(timer), fn());
      child.stdout!.on("data", (d) => {
        log += d;
        if (log.includes("listening on http://")) settle(resolve);
      });
      child.once("exit", (code) => settle(() => reject(new Error(`npm start exited with ${code}:\n${log}`))));
    });
    child.stderr!.on("data", (d) => (log += d));
    try {
      const url = `http://127.0.0.1:${port}`;
      await listening;
      await expectServesTheGoals({ url, port, output: () => log, stop: async () => {} }, "pglite");
      expect(log).toContain("LOCAL STAND-IN");
      expect(log).toContain("demo data loaded");
    } finally {
      // npm runs node as a child: stop the whole process group.
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      await stopChild(child);
    }
    // A first start on an empty directory migrates and loads the demo data: 13 CPU-s alone, more beside CI's other files.
  }, 120_000);

  it("starts again on the same data directory without duplicating reference data", async () => {
    server = await startServer({ DATA_DIR: dataDir });
    await expectServesTheGoals(server, "pglite");
  }, 90_000);

  it("answers an unknown goal with a friendly 404 page", async () => {
    const res = await fetch(`${server!.url}/goals/finns-inte`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Sidan finns inte");
    expect(html).toContain('href="/"');
    expect((await fetch(`${server!.url}/nagot/annat`)).status).toBe(404);
  });

  it("remembers the English switch in a cookie, and works without JavaScript (plain form POST)", async () => {
    const res = await fetch(`${server!.url}/lang`, {
      method: "POST",
      body: new URLSearchParams({ lang: "en", returnTo: "/goals/alla-ar-trygga" }),
      headers: { Origin: server!.url },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/goals/alla-ar-trygga");
    const cookie = res.headers.get("set-cookie")!.split(";")[0];
    const page = await (await fetch(`${server!.url}/goals/alla-ar-trygga`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain('<html lang="en"');
    expect(page).toContain("Everyone is safe");
    // Never an open redirect.
    const evil = await fetch(`${server!.url}/lang`, {
      method: "POST",
      body: new URLSearchParams({ lang: "sv", returnTo: "//evil.example" }),
      headers: { Origin: server!.url },
      redirect: "manual",
    });
    expect(evil.headers.get("location")).toBe("/");
  });

  it("formats money in one place on the pages", async () => {
    const html = await (await fetch(`${server!.url}/`)).text();
    expect(html).toMatch(/0\u00a0kr/);
  });
});

// Registered only where a PostgreSQL server is given (CI always gives one: .ci/run).
if (process.env.TEST_DATABASE_URL) describe("the production server on PostgreSQL", () => {
  it("runs on DATABASE_URL, says postgres, and starts twice on the same database", async () => {
    const url = await createScratchPostgresDatabase();
    try {
      for (let run = 0; run < 2; run++) {
        const server = await startServer({ DATABASE_URL: url.toString() });
        try {
          await expectServesTheGoals(server, "postgres");
          expect(server.output()).not.toContain("demo data loaded");
        } finally {
          await server.stop();
        }
      }
    } finally {
      await dropScratchPostgresDatabase(url);
    }
    // Two starts, the first migrating an empty database: over 30 s beside CI's other files (stop 19's run).
  }, 120_000);
});

describe("bad configuration", () => {
  it("exits non-zero with one line naming the variable", async () => {
    const bad = await runServerExpectingExit({ PORT: "not-a-port" });
    expect(bad.code).not.toBe(0);
    expect(bad.code).not.toBeNull();
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("PORT");
  });

  it("refuses APP_ENV=production without SESSION_SECRET", async () => {
    const res = await runServerExpectingExit({
      APP_ENV: "production",
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
      APP_URL: "https://example.org",
    });
    expect(res.code).not.toBe(0);
    expect(res.code).not.toBeNull();
    expect(res.stderr).toContain("SESSION_SECRET");
  });
});
