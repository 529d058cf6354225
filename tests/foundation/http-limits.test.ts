import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { englishCookie } from "../identity/http-client";
import { NO_DEMO_DATA, startServer, type RunningServer } from "../setup/server";

function rawPost(url: string, path: string, headers: Record<string, string>, body: string | Buffer): Promise<number> {
  return rawPostText(url, path, headers, body).then((r) => r.status);
}

function rawPostText(url: string, path: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; text: string; language: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      const done = () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), language: res.headers["content-language"] });
      res.on("end", done);
      // A connection closed right after the answer still resolves with what was read.
      res.on("close", done);
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
    server = await startServer(NO_DEMO_DATA);
  });
  afterAll(() => server?.stop());

  it("refuses a body over 1 MB with 413 before any action reads it", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, "a");
    const status = await rawPost(server.url, "/login", { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(big.length) }, big);
    expect(status).toBe(413);
  });

  it("says in the reader's language why: an image over the upload limit on /collections/new, any body over 1 MB elsewhere", async () => {
    const huge = Buffer.alloc(4 * 1024 * 1024, "a");
    const headers = { Origin: server.url, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(huge.length) };
    const sv = await rawPostText(server.url, "/collections/new", headers, huge);
    expect(sv.status).toBe(413);
    expect(sv.language).toBe("sv");
    expect(sv.text.split("\n")[0]).toBe("Bilden är för stor: en bild får vara högst 2 MB. Gå tillbaka och välj en mindre bild. Inget har sparats.");
    const en = await rawPostText(server.url, "/collections/new", { ...headers, Cookie: englishCookie }, huge);
    expect(en.status).toBe(413);
    expect(en.text.split("\n")[0]).toBe("The image is too large: an image may be at most 2 MB. Go back and choose a smaller image. Nothing was saved.");
    const form = await rawPostText(server.url, "/login", { ...headers, "Content-Type": "application/x-www-form-urlencoded", Cookie: englishCookie }, huge);
    expect(form.status).toBe(413);
    expect(form.text.split("\n")[0]).toBe("What you sent is too large (at most 1 MB). Go back and try again with less. Nothing was saved.");
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
