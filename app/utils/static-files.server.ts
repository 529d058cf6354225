import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { posix } from "node:path";

type Middleware = (req: IncomingMessage & { path?: string }, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * `express.static` looks a request's path up on disk for every request it sees: /ping and every page
 * paid a stat of a file that is not there, and the error object that reports it (about a fifth of
 * /ping's CPU, issue 10 item 6). The build's public files do not change while the server runs, so
 * they are listed once and only a request for one of them (or for one of their directories) reaches
 * `serve`. A path it would refuse or cannot read itself (`..`, a bad escape, NUL) still goes to it, so
 * its answers stay its own.
 */
export function existingFilesOnly(dir: string, serve: Middleware): Middleware {
  const files = new Set(readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => `/${f.split("\\").join("/")}`));
  return (req, res, next) => {
    const raw = req.path ?? new URL(req.url ?? "/", "http://x").pathname;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return serve(req, res, next);
    }
    if (decoded.includes("\0") || /(?:^|[\\/])\.\.(?:[\\/]|$)/.test(decoded)) return serve(req, res, next);
    return files.has(posix.normalize(decoded)) ? serve(req, res, next) : next();
  };
}
