// What every bench that runs the production server needs: a free port, and waiting until /healthz answers.
import { createServer } from "node:net";

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** Waits until the spawned server answers /healthz; throws if it exits first or takes over two minutes. */
export async function waitUntilUp(base, server) {
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
    if (i > 1200 || server.exitCode !== null) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}
