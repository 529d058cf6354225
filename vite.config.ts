/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
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

export default defineConfig({
  // The Remix plugin breaks Vitest ("can't detect preamble"); tests import modules directly.
  plugins: process.env.VITEST ? [] : [remix(remixConfig)],
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
    pool: "forks",
    reporters: ["default", "./tests/setup/summary-reporter.ts"],
    env: { TZ: "UTC" },
  },
});
