import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin } from "vite";

/**
 * Writes `<file>.br` and `<file>.gz` beside each text asset of the browser build, so the server sends
 * them as they are (server.mjs, express-static-gzip) instead of compressing them on every request.
 * Files under 1 KB, or that would not get smaller, are left alone. Written here because
 * vite-plugin-compression2 fails under the Remix plugin (it looks for a build plugin in the dev server
 * Remix starts while resolving its config).
 */
export function precompressAssets(): Plugin {
  let outDir = "";
  let ssr = false;
  return {
    name: "lokala-precompress-assets",
    apply: (_config, env) => env.command === "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      ssr = !!config.build.ssr;
    },
    closeBundle() {
      if (!outDir) return;
      // Remix writes the browser's route manifest (assets/manifest-<hash>.js, loaded by every first
      // page view since lazy route discovery is off) into the client build while it builds the server:
      // after that build, what is not compressed yet in build/client is compressed.
      if (ssr) precompressDirectory(path.resolve(outDir, "../client"), { missingOnly: true });
      else precompressDirectory(outDir);
    },
  };
}

export function precompressDirectory(dir: string, options: { missingOnly?: boolean } = {}): number {
  let written = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      written += precompressDirectory(full, options);
      continue;
    }
    if (!/\.(js|css|svg|json|txt|webmanifest|map)$/.test(entry.name) || statSync(full).size < 1024) continue;
    if (options.missingOnly && (existsSync(`${full}.br`) || existsSync(`${full}.gz`))) continue;
    const source = readFileSync(full);
    const brotli = brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } });
    const gzip = gzipSync(source, { level: 9 });
    if (brotli.length < source.length) writeFileSync(`${full}.br`, brotli), written++;
    if (gzip.length < source.length) writeFileSync(`${full}.gz`, gzip), written++;
  }
  return written;
}
