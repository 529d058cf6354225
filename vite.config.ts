/// <reference types="vitest/config" />
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig, type PluginOption } from "vite";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

const alias = {
  "~": fileURLToPath(new URL("./app", import.meta.url)),
  "~db": fileURLToPath(new URL("./db", import.meta.url)),
  "~emails": fileURLToPath(new URL("./emails", import.meta.url)),
};

/**
 * The build's and the dev server's plugins. Imported only when used: the Remix plugin breaks Vitest ("can't detect
 * preamble"; tests import modules directly), and importing @remix-run/dev (express, npm's and vanilla-extract's
 * packages with it) cost Vitest's main process 1.3-1.7 CPU-s at every run for plugins it never used.
 */
async function appPlugins(): Promise<PluginOption[]> {
  const [{ vitePlugin: remix }, { precompressAssets }] = await Promise.all([import("@remix-run/dev"), import("./scripts/precompress-assets")]);
  return [remix(remixConfig), precompressAssets()];
}

export default defineConfig(async () => ({
  plugins: process.env.VITEST ? [] : await appPlugins(),
  resolve: { alias },
  server: { port: Number(process.env.PORT ?? 3000) },
  ssr: {
    // PGlite ships WASM and data files it loads relative to its own module: keep it external.
    external: ["@electric-sql/pglite"],
  },
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Migrates one database per target per run; each test file copies it (tests/setup/global-db.ts). And one
    // Chromium for the run, started when a browser file first asks (tests/setup/global-browser.ts).
    globalSetup: ["./tests/setup/global-db.ts", "./tests/setup/global-browser.ts"],
    setupFiles: ["./tests/setup/per-file-state.ts"],
    // Some files that start no server first, while `npm test`'s build and the PGlite templates are made
    // (files that start one wait for both: tests/setup/run-order.ts).
    // Imported only under Vitest: the sequencer brings vitest/node, about 1 CPU-s that the build and the dev server
    // would pay at every start for nothing.
    sequence: process.env.VITEST ? { sequencer: (await import("./tests/setup/sequencer")).default } : {},
    // Forks, not threads: PGlite's WASM heap and the files' child processes (server, Chromium) go with
    // the process, and a crash in one file cannot take the others down.
    pool: "forks",
    // Files share a worker process and its loaded modules: starting a process and loading the app's
    // modules for every file cost about 6 CPU-seconds a file (8 service files, measured under load:
    // 152 CPU-s isolated, 101 shared). The app's process-wide state is put back before each file by
    // tests/setup/per-file-state.ts; caches that depend on the database are keyed by its handle.
    isolate: false,
    // Vitest's default is cores - 1, which is one worker on 2 cores: every file in series while the work
    // is mostly waiting on PostgreSQL, a server or Chromium in other processes. Two keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    fileParallelism: true,
    reporters: ["default", "./tests/setup/summary-reporter.ts"],
    env: { TZ: "UTC" },
  },
}));
