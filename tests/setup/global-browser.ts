import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserServer } from "playwright-core";
import type { TestProject } from "vitest/node";
import { childPids, ownCpu } from "./cpu";

/*
 * One Chromium for the whole test run, shared by both workers. Vitest's globalSetup (this default export) runs in
 * Vitest's main process and starts only a small HTTP endpoint on 127.0.0.1; the first browser file to call
 * launchBrowser() (tests/setup/browser.ts) asks it, and only then is Chromium started here, with Playwright's
 * browser server (chromium.launchServer): a run without browser files starts no Chromium. Each file connects
 * (chromium.connect) and gets a Browser of its own whose contexts the others cannot see; its close() only
 * disconnects, which closes that file's contexts. The run's teardown closes Chromium. Starting Chromium and its
 * zygotes cost 3–5 CPU-s per file that launched its own (12 files did). A Chromium that crashed or was closed is
 * started again for the next file that asks (and for one that could not connect to it: `?stale=`), so it cannot
 * hang later files. Nothing here imports Vitest at run time.
 *
 * Why launchServer and not Chromium's own DevTools port (connectOverCDP): Playwright attaches to every page in
 * the browser over CDP, so two workers connected over CDP would each instrument the other's pages too. Through
 * the browser server there is one CDP connection (in this process) and each worker sees only its own contexts.
 */

const headlessShellPath = "/usr/bin/chromium-headless-shell";

/**
 * The Chromium the journeys drive: CHROMIUM_PATH if set, else Chromium's headless shell when installed
 * (Debian's chromium-headless-shell, the same version as chromium; what Playwright itself runs headless
 * tests on), else the full /usr/bin/chromium. The headless shell costs about half the CPU for the same
 * work (a new context and tab 0.78 CPU-s against 1.40, a page load 0.17 against 0.34).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync(headlessShellPath) ? headlessShellPath : "/usr/bin/chromium");

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  // Without it every new tab started two renderers (one of them a spare, warmed for a navigation that went to another
  // context or never came): 18 renderers for 8 tabs, 9 with it; 8 tabs in one context cost Chromium 6.6 CPU-s
  // against 9.4, 8 new contexts 6.0-6.7 against 7.1-8.0 (interleaved, 3 rounds). Tabs of different contexts
  // never share a renderer, so each file's pages still have their own; only one context's tabs open at once do.
  "--renderer-process-limit=1",
];

/** Where Chromium keeps its temporary profile: the repository's tmp/ (a small /tmp filled up under load). */
export function chromiumTmpDir(): string {
  const dir = process.env.TMPDIR ?? path.join(fileURLToPath(new URL("../..", import.meta.url)), "tmp");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What the endpoint answers: where to connect, and Chromium's process id (for TEST_CPU_LOG). */
export interface SharedChromium {
  wsEndpoint: string;
  pid: number | undefined;
}

/** What GET /cpu answers: the shared Chromium's CPU seconds so far, by process type (TEST_CPU_LOG only). */
export interface SharedChromiumCpu {
  byType: Record<string, number>;
}

export const sumCpu = (byType: Record<string, number>) => Object.values(byType).reduce((sum, cpu) => sum + cpu, 0);

/** "renderer 3.10, browser 1.20, …", largest first. */
export const describeCpu = (byType: Record<string, number>) =>
  Object.entries(byType)
    .filter(([, cpu]) => cpu >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([type, cpu]) => `${type} ${cpu.toFixed(2)}`)
    .join(", ");

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the run's shared Chromium's endpoint (GET /chromium, GET /cpu). */
    sharedChromiumUrl: string;
  }
}

/**
 * CPU seconds used so far by Chromium's processes (the browser, its zygotes, renderers and utilities), sampled
 * every half second while TEST_CPU_LOG is set: a renderer that has ended is not always counted in its parent's
 * children's time (tests/setup/cpu.ts), so each process's own time is kept from its last sample. A process's
 * last half second before it ends can be missed.
 */
class ChromiumCpu {
  private readonly last = new Map<string, { type: string; seconds: number }>();
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 500);
    this.timer.unref();
  }
  /** CPU seconds by Chromium's process type (its --type=, "browser" for the one without, "zygote" for both zygotes). */
  byType(): Record<string, number> {
    this.sample();
    const sums: Record<string, number> = {};
    for (const { type, seconds } of this.last.values()) sums[type] = (sums[type] ?? 0) + seconds;
    return sums;
  }
  stop() {
    clearInterval(this.timer);
  }
  private sample() {
    const stack = [this.pid];
    while (stack.length) {
      const pid = stack.pop()!;
      const own = ownCpu(pid);
      if (!own) continue; // ended between two reads
      const key = `${pid}@${own.startedAt}`;
      // A zygote's child is a zygote until it rewrites its command line: asked again until it is something else.
      const known = this.last.get(key)?.type;
      const type = known && known !== "zygote" ? known : processType(pid);
      this.last.set(key, { type, seconds: own.seconds });
      stack.push(...childPids(pid));
    }
  }
}

/**
 * A Chromium process's --type= ("browser" without one), from /proc; "?" where it is gone. A zygote's children
 * rewrite their command line as one string (spaces, not NULs), so it is searched rather than split.
 */
function processType(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const type = /(?:^| )--type=(\S+)/.exec(args)?.[1];
    if (!type) return "browser";
    const service = /(?:^| )--utility-sub-type=(\S+)/.exec(args)?.[1];
    return service ? `utility ${service.replace(/^.*\.(?=[^.]+\.[^.]+$)/, "")}` : type;
  } catch {
    return "?";
  }
}

interface Running {
  server: BrowserServer;
  cpu: ChromiumCpu | undefined;
  exited: boolean;
}

export default async function setup(project: TestProject) {
  let running: Promise<Running> | undefined;
  /** CPU by process type of the Chromiums that ended (crashed, or were replaced) before the run's end. */
  const endedCpu: Record<string, number> = {};
  const cpuByType = async (): Promise<Record<string, number>> => {
    const now = await running?.catch(() => undefined);
    const sums = { ...endedCpu };
    for (const [type, cpu] of Object.entries(now?.cpu?.byType() ?? {})) sums[type] = (sums[type] ?? 0) + cpu;
    return sums;
  };

  async function start(): Promise<Running> {
    // Imported here: a run without browser files does not load Playwright in this process.
    const { chromium } = await import("playwright-core");
    // Playwright makes Chromium's profile in this process's os.tmpdir(): TMPDIR only while it does.
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = chromiumTmpDir();
    const server = await chromium
      .launchServer({ executablePath: chromiumPath, headless: true, args: chromiumArgs, env: { ...process.env } })
      .finally(() => (tmpdir === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = tmpdir)));
    const pid = server.process().pid;
    const started: Running = { server, cpu: process.env.TEST_CPU_LOG && pid ? new ChromiumCpu(pid) : undefined, exited: false };
    server.process().once("exit", () => {
      started.exited = true;
      started.cpu?.stop();
    });
    return started;
  }

  async function current(stale: string | null): Promise<Running> {
    const asked = running;
    const now = await asked?.catch(() => undefined);
    if (now && !now.exited && now.server.wsEndpoint() !== stale) return now;
    // Not started, failed to start, ended, or not reachable: start one, unless another ask already did meanwhile.
    if (running === asked) {
      running = start();
      if (now) {
        for (const [type, cpu] of Object.entries(now.cpu?.byType() ?? {})) endedCpu[type] = (endedCpu[type] ?? 0) + cpu;
        now.cpu?.stop();
        void now.server.close().catch(() => undefined);
      }
    }
    return running!;
  }

  const endpoint = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const answer = async () => {
      if (url.pathname === "/chromium") {
        const { server } = await current(url.searchParams.get("stale"));
        return { wsEndpoint: server.wsEndpoint(), pid: server.process().pid } satisfies SharedChromium;
      }
      if (url.pathname === "/cpu") return { byType: await cpuByType() } satisfies SharedChromiumCpu;
      throw new Error(`no ${url.pathname}`);
    };
    answer().then(
      (body) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)),
      (error: unknown) => response.writeHead(500).end(String(error instanceof Error ? (error.stack ?? error.message) : error)),
    );
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  project.provide("sharedChromiumUrl", `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`);

  return async () => {
    endpoint.close();
    const now = await running?.catch(() => undefined);
    if (!now) return;
    if (process.env.TEST_CPU_LOG) {
      const byType = await cpuByType();
      appendFileSync(process.env.TEST_CPU_LOG, `chromium (shared by the run's browser files)\t${sumCpu(byType).toFixed(2)}\t${describeCpu(byType)}\n`);
    }
    now.cpu?.stop();
    await now.server.close();
  };
}
