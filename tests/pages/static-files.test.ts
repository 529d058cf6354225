import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { existingFilesOnly } from "~/utils/static-files.server";

describe("express.static sees only requests for the build's own files (issue 10 item 6)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lokala-static-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
  writeFileSync(path.join(dir, "assets", "a b.js"), "");

  const passes = (url: string, reqPath = url.split("?")[0]) => {
    const serve = vi.fn();
    const next = vi.fn();
    existingFilesOnly(dir, serve)({ url, path: reqPath } as IncomingMessage & { path: string }, {} as ServerResponse, next);
    expect(serve.mock.calls.length + next.mock.calls.length).toBe(1);
    return serve.mock.calls.length === 1;
  };

  it("skips pages, /ping and missing files: no stat, no error object", () => {
    for (const url of ["/", "/ping", "/goals/alla-ar-trygga?x=1", "/give", "/missing.svg", "/favicon.svg/", "/assets/missing.js"]) expect(passes(url), url).toBe(false);
  });

  it("hands it the files and directories the build has, however the path is spelled, and what it refuses itself", () => {
    for (const url of ["/favicon.svg", "/favicon.svg?v=2", "/%66avicon.svg", "//favicon.svg", "/./favicon.svg", "/assets", "/assets/a%20b.js"]) expect(passes(url), url).toBe(true);
    for (const url of ["/../etc/passwd", "/%2e%2e/x", "/%E0%A4%A", "/a%00b"]) expect(passes(url), url).toBe(true);
  });
});
