import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { precompressAssets } from "../../scripts/precompress-assets";

type Hook = (...args: unknown[]) => unknown;

describe("precompressed assets (vite build)", () => {
  let root = "";
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("also compress the route manifest Remix writes into the client build while it builds the server", () => {
    root = mkdtempSync(path.join(os.tmpdir(), "lokala-precompress-"));
    const assets = path.join(root, "build/client/assets");
    mkdirSync(assets, { recursive: true });
    // The client build has run: its files are compressed already (and must not be rewritten).
    writeFileSync(path.join(assets, "entry.js"), "x".repeat(4096));
    writeFileSync(path.join(assets, "entry.js.br"), "from the client build");
    // Then the server build writes the manifest.
    const manifest = `window.__remixManifest=${JSON.stringify({ routes: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`routes/r${i}`, { id: `routes/r${i}`, path: `r${i}` }])) })};`;
    writeFileSync(path.join(assets, "manifest-0123abcd.js"), manifest);

    const plugin = precompressAssets();
    expect((plugin.apply as Hook)({}, { command: "build", isSsrBuild: true, mode: "production" })).toBe(true);
    (plugin.configResolved as Hook)({ root, build: { outDir: "build/server", ssr: true } });
    (plugin.closeBundle as Hook)();

    expect(brotliDecompressSync(readFileSync(path.join(assets, "manifest-0123abcd.js.br"))).toString()).toBe(manifest);
    expect(existsSync(path.join(assets, "manifest-0123abcd.js.gz"))).toBe(true);
    expect(readFileSync(path.join(assets, "entry.js.br"), "utf8")).toBe("from the client build");
  });
});
