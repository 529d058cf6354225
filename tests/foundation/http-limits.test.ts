import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../setup/server";

function rawPost(url: string, path: string, headers: Record<string, string>, body: string | Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error) => {
      // The server may close the connection after answering; the status was read already.
      if ((error as NodeJS.ErrnoException).code === "ECONNRESET" || (error as NodeJS.ErrnoException).code === "EPIPE") return;
      reject(error);
    });
    req.end(body);
  });
}

describe("request body limits on the production server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("refuses a body over 1 MB with 413 before any action reads it", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, "a");
    const status = await rawPost(server.url, "/login", { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(big.length) }, big);
    expect(status).toBe(413);
  });

  it("refuses a body of undeclared length (chunked) with 411", async () => {
    const status = await rawPost(server.url, "/lang", { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, "lang=en");
    expect(status).toBe(411);
  });

  it("lets an ordinary form through", async () => {
    const body = "lang=en&returnTo=%2F";
    const status = await rawPost(server.url, "/lang", { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) }, body);
    expect(status).toBe(302);
  });
});
