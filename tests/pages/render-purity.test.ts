import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * entry.server keeps a page's HTML by its URL, status and loader data (app/utils/render-memo.server.ts), so a
 * render must read nothing else: no clock, no randomness. This reads the source of every route and component
 * and finds each place that asks for the time or a random value; each must be in a loader or action (run per
 * request) or in an effect or event handler (the browser only), as listed here with where it is.
 */
const root = path.resolve(__dirname, "../..");
const impure = /Date\.now\(\)|new Date\(\)|Math\.random\(|performance\.now\(|crypto\.random/;

/** file: the text of each allowed line, and why it cannot reach a render. */
const allowed: Record<string, { line: string; why: string }[]> = {
  "app/components/competitions/leaderboard.tsx": [{ line: "setRefreshedAt(new Date()", why: "inside the polling effect (browser only)" }],
  "app/routes/workplace._index.tsx": [{ line: "year: new Date().getUTCFullYear()", why: "in the loader" }],
  "app/routes/give.monthly.$token.tsx": [
    { line: "confirmStop, requestId: globalThis.crypto.randomUUID()", why: "in the loader (so the page is never kept: a new key each time)" },
    { line: '|| globalThis.crypto.randomUUID();', why: "in the action" },
  ],
};

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !/\.server\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe("a page's render reads no clock and no randomness (the render memo's rule)", () => {
  it("every such read in routes, components and root is a known one in a loader, an action or an effect", () => {
    const found: string[] = [];
    for (const file of [...sources("app/routes"), ...sources("app/components"), "app/root.tsx"]) {
      readFileSync(path.join(root, file), "utf8")
        .split("\n")
        .forEach((text, i) => {
          if (!impure.test(text)) return;
          const known = (allowed[file] ?? []).some((a) => text.includes(a.line));
          if (!known) found.push(`${file}:${i + 1}: ${text.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it("each allowed read is still there (an entry for a line that has gone is removed, not left to excuse a new one)", () => {
    for (const [file, lines] of Object.entries(allowed)) {
      const text = readFileSync(path.join(root, file), "utf8");
      for (const { line } of lines) expect(text, file).toContain(line);
    }
  });
});
