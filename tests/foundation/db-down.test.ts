import { describe, expect, it } from "vitest";
import { freePort, runServerExpectingExit } from "../setup/server";

/** Started while PostgreSQL is down: plain lines, a few attempts with backoff, then exit 1; no stack, no password. */
describe("a server started while its database cannot be reached", () => {
  it("says so in one line per attempt (without the password), waits with backoff, then exits with status 1", async () => {
    const closed = await freePort(); // nothing listens there
    const started = Date.now();
    const { code, stdout, stderr } = await runServerExpectingExit({
      DATABASE_URL: `postgres://lokala:hemligt-losen@127.0.0.1:${closed}/lokala`,
      DATABASE_WAIT_SECONDS: "2",
    });
    const output = `${stdout}\n${stderr}`;
    expect(code).toBe(1);
    const lines = output.split("\n").filter((line) => line.includes("cannot be reached"));
    // 0.5 s, then 1 s, then the 2 s are up: at least three attempts, the last one giving up.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.slice(0, -1).every((line) => /trying again in \d/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/giving up/);
    expect(lines[0]).toContain(`the database at postgres://lokala:***@127.0.0.1:${closed}/lokala cannot be reached (ECONNREFUSED)`);
    expect(output).not.toContain("hemligt-losen");
    // No stack trace, no unhandled error.
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/Error:|node:internal|triggerUncaughtException/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });
});
