import { env, type Env } from "~/utils/env.server";

/** Pages for developers (/dev/ui) exist only in local mode: in a deployment they are a 404. */
export function requireLocalMode(config: Env = env()): void {
  if (config.production) throw new Response("Not found", { status: 404, statusText: "Not Found" });
}
