import { createStaticHandler } from "@remix-run/router";
import { createElement } from "react";
import { describe, expect, it, vi } from "vitest";
import handleRequest, { FlushBuffer } from "~/entry.server";

/** Everything the stream hands on, one array entry per chunk. */
function chunksOf(stream: FlushBuffer): Buffer[] {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return chunks;
}

describe("the rendered page on its way out (entry.server)", () => {
  it("passes React's 2 kB views on as one chunk per flush, byte for byte", async () => {
    const stream = new FlushBuffer();
    const chunks = chunksOf(stream);
    const views = Array.from({ length: 30 }, (_, i) => new Uint8Array(2048).fill(i));
    for (const view of views) stream.write(view);
    stream.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(1);
    expect(chunks[0].equals(Buffer.concat(views))).toBe(true);

    // A later flush (React's next ready moment, e.g. streamed data) is its own chunk; the end sends the rest.
    stream.write(Buffer.from("<script>late</script>"));
    stream.flush();
    stream.end(Buffer.from("</html>"));
    await new Promise((resolve) => stream.on("end", resolve));
    expect(chunks.map((c) => c.toString("latin1").slice(-7))).toEqual([Buffer.concat(views).toString("latin1").slice(-7), "script>", "</html>"]);
  });

  it("sends nothing for a flush with nothing written", async () => {
    const stream = new FlushBuffer();
    const chunks = chunksOf(stream);
    stream.flush();
    stream.end();
    await new Promise((resolve) => stream.on("end", resolve));
    expect(chunks).toEqual([]);
  });

  it("takes a second end() (React's abort when the finished stream closes) without building an error", async () => {
    const stream = new FlushBuffer();
    chunksOf(stream);
    stream.end(Buffer.from("</html>"));
    await new Promise((resolve) => stream.on("close", resolve));
    // Without the override Node hands the callback the ERR_STREAM_ALREADY_FINISHED it built.
    const answer = await new Promise((resolve) => stream.end(resolve));
    expect(answer).toBeUndefined();
  });
});

/** A request for "/" and the smallest Remix entry context whose one route renders <main>Hej</main>. */
async function onePageRender() {
  const manifest = { routes: { root: { id: "root", path: "", hasLoader: false, module: "" } }, entry: { module: "", imports: [] }, url: "", version: "" };
  const request = new Request("http://localhost/");
  const staticHandlerContext = await createStaticHandler([{ id: "root", path: "/" }]).query(request);
  const routeModules = { root: { default: () => createElement("main", null, "Hej") } };
  return { request, context: { manifest, routeModules, staticHandlerContext, future: {}, isSpaMode: false, serverHandoffString: "", renderMeta: {} } };
}

describe("a page's render (entry.server's handleRequest)", () => {
  it("is not aborted while it waits its turn: the 5-second stream limit counts from the sent shell, not from the request", async () => {
    // A burst of requests (the axe scan's first fetches right after a start) queued renders for longer than the
    // limit; the limit's timer then aborted renders whose shell was not yet sent, and whole pages went out with
    // status 500 and nothing logged. Here the limit passes before React starts on the shell.
    const { request, context } = await onePageRender();
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const rendering = handleRequest(request, 200, new Headers(), context as never, { cspNonce: "n" } as never) as Promise<Response>;
      vi.advanceTimersByTime(6_000);
      vi.useRealTimers();
      const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no response within 5 s")), 5_000).unref());
      const response = await Promise.race([rendering, late]);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("<main>Hej</main>");
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves no 5-second abort timer behind once the whole page is rendered", async () => {
    // A timer left behind kept each finished render (its tree and buffers) alive for 5 s: more for the GC to move.
    const { request, context } = await onePageRender();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const response = (await handleRequest(request, 200, new Headers(), context as never, { cspNonce: "n" } as never)) as Response;
      expect(await response.text()).toContain("<main>Hej</main>");
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
