// `npm start`: build the app when the production build is missing or older than the sources, then serve it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

const built = "build/server/index.js";
const sources = Math.max(
  ...["app", "db", "emails", "public"].map(newestMtime),
  ...["vite.config.ts", "remix.config.js", "package.json"].map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)),
);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log("[lokala-mal] building the app (first start or changed sources)…");
  const result = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import(path.join(root, "server.mjs"));
