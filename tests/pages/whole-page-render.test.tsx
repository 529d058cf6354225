import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequestHandler, data, type EntryContext, type ServerBuild } from "@remix-run/node";
import { Scripts, useLoaderData } from "@remix-run/react";
import { Suspense } from "react";
import { afterEach, describe, expect, it } from "vitest";
import handleRequest from "~/entry.server";
import { documentHtml, htmlResponse, sendDocument } from "~/utils/documents.server";

/**
 * Remix's request handler (single fetch, as the app runs) over one root route whose page is `Page` and
 * whose loader returns `data`, rendered by the app's entry.server. Only the entry is the app's: this
 * holds what entry.server does with the page, whatever the pages are.
 */
function oneRouteApp(loader: () => unknown, Page: () => JSX.Element, entry: typeof handleRequest = handleRequest) {
  const Root = () => (
    <html lang="sv">
      <body>
        <Page />
        <Scripts />
      </body>
    </html>
  );
  const build = {
    mode: "production",
    entry: { module: { default: entry } },
    routes: { root: { id: "root", parentId: undefined, path: "", index: undefined, caseSensitive: undefined, module: { loader, default: Root } } },
    assets: {
      url: "/manifest.js",
      version: "1",
      entry: { module: "/entry.js", imports: [] },
      routes: { root: { id: "root", path: "", module: "/root.js", hasAction: false, hasLoader: true, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false } },
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    basename: undefined,
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_routeConfig: false, v3_singleFetch: true, v3_lazyRouteDiscovery: false, unstable_optimizeDeps: false },
    isSpaMode: false,
  };
  const handler = createRequestHandler(build as unknown as ServerBuild, "production");
  return (path = "/", cspNonce = "bm9uY2U=") => handler(new Request(`http://localhost${path}`), { cspNonce });
}

function Word() {
  const { word } = useLoaderData<{ word: string }>();
  return <main>{word}</main>;
}

describe("a page whose loader data is all there (entry.server)", () => {
  it("is rendered whole to one string, with its loader data and the end of the data stream in it", async () => {
    const response = await oneRouteApp(() => ({ word: "Hej" }), Word)();
    expect(response.status).toBe(200);
    const html = documentHtml(response);
    // Without the whole-page render the page is a stream of React's chunks: no string to send as it is.
    expect(html).toBeDefined();
    expect(await response.text()).toBe(html);
    expect(html!.startsWith("<!DOCTYPE html><html lang=\"sv\"><body><main>Hej</main>")).toBe(true);
    // The loader data (turbo-stream) for the browser, and the stream's end, each a script with the page's nonce.
    expect(html).toMatch(/<script nonce="bm9uY2U=">window\.__remixContext\.streamController\.enqueue\(".*\\"word\\",\\"Hej\\".*"\);<\/script>/);
    expect(html).toContain('<script nonce="bm9uY2U=">window.__remixContext.streamController.close();</script>');
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("streams when loader data waits for a promise (deferred data), and the promise's value still arrives", async () => {
    let resolve: (value: string) => void = () => {};
    const later = new Promise<string>((r) => (resolve = r));
    const response = await oneRouteApp(() => ({ word: "Hej", later }), Word)();
    expect(documentHtml(response)).toBeUndefined();
    resolve("Sen");
    const html = await response.text();
    expect(html).toContain("<main>Hej</main>");
    // The promise's chunk (turbo-stream "P<id>:") is streamed after it resolves, then the end.
    expect(html).toMatch(/enqueue\("P\d+:\[\\"Sen\\"\]\\n"\)/);
    expect(html.indexOf("streamController.close()")).toBeGreaterThan(html.indexOf("Sen"));
  });

  it("streams when a component suspends after all, so its content is rendered on the server and not left to the browser", async () => {
    let ready = false;
    const waiting = new Promise<void>((r) => setTimeout(() => ((ready = true), r()), 10));
    function Later(): JSX.Element {
      if (!ready) throw waiting;
      return <p>Sen</p>;
    }
    const Page = () => (
      <main>
        <Suspense fallback={<p>Väntar</p>}>
          <Later />
        </Suspense>
      </main>
    );
    const response = await oneRouteApp(() => ({}), Page)();
    const html = await response.text();
    // A whole-page render (renderToString) would have sent the fallback and left the boundary to the browser.
    expect(documentHtml(response)).toBeUndefined();
    expect(html).toContain("<p>Sen</p>");
    expect(html).not.toContain("<!--$!-->");
  });
});

describe("a page rendered before for the same URL, status and loader data (render-memo.server.ts)", () => {
  let renders = 0;
  function Counted() {
    renders++;
    const { word } = useLoaderData<{ word: string }>();
    return <main>{word}</main>;
  }

  it("is rendered twice at most, then served again as it was, with each response's own nonce", async () => {
    renders = 0;
    const app = oneRouteApp(() => ({ word: "Hej" }), Counted);
    const pages: string[] = [];
    const nonces = ["Zmlyc3Q=", "c2Vjb25k", "dGhpcmQ=", "Zm91cnRo"];
    for (const nonce of nonces) {
      const response = await app("/", nonce);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      pages.push(documentHtml(response)!);
    }
    // Kept the second time its key is seen; the third and fourth come from the memo.
    expect(renders).toBe(2);
    pages.forEach((html, i) => {
      expect(html).toContain("<main>Hej</main>");
      expect(html).toContain(`<script nonce="${nonces[i]}">window.__remixContext.streamController.close();</script>`);
      expect(nonces.filter((other) => html.includes(other))).toEqual([nonces[i]]);
      expect(html.split(nonces[i]).join("NONCE")).toBe(pages[0].split(nonces[0]).join("NONCE"));
    });
  });

  it("is rendered anew when its loader data or its URL differ, and shows the new data", async () => {
    renders = 0;
    let word = "Hej";
    const app = oneRouteApp(() => ({ word }), Counted);
    for (let i = 0; i < 3; i++) await app();
    expect(renders).toBe(2);
    word = "Då";
    const changed = documentHtml(await app())!;
    expect(changed).toContain("<main>Då</main>");
    expect(changed).toContain('\\"word\\",\\"Då\\"');
    expect(renders).toBe(3);
    expect(documentHtml(await app("/?lang=sv"))).toContain("<main>Då</main>");
    expect(renders).toBe(4);
    // Back to the first data: the page kept for it.
    word = "Hej";
    expect(documentHtml(await app())).toContain("<main>Hej</main>");
    expect(renders).toBe(4);
  });

  it("is not kept when its status is not 200, or when its data holds what the handoff cannot show (a class instance)", async () => {
    renders = 0;
    const created = oneRouteApp(() => data({ word: "Hej" }, { status: 201 }), Counted);
    for (let i = 0; i < 3; i++) expect((await created()).status).toBe(201);
    expect(renders).toBe(3);
    class Word {
      constructor(private readonly secret: string) {}
      get word() {
        return this.secret;
      }
    }
    renders = 0;
    let secret = "Hej";
    const instance = oneRouteApp(() => new Word(secret), Counted);
    for (let i = 0; i < 3; i++) await instance();
    expect(renders).toBe(3);
    secret = "Då";
    expect(documentHtml(await instance())).toContain("<main>Då</main>");
  });
});

describe("loader data with nothing deferred (the server-runtime and turbo-stream patches)", () => {
  it("is in StreamTransfer's cache, to its end, before the page is rendered: no stream is read for it", async () => {
    type Cache = NonNullable<NonNullable<EntryContext["renderMeta"]>["streamCache"]>;
    let cached: { id: string; result: unknown }[] = [];
    let handoff: ReadableStream<Uint8Array> | undefined;
    const page = oneRouteApp(() => ({ word: "Hej" }), Word, (request, status, headers, context, load) => {
      const cache: Cache = context.renderMeta?.streamCache ?? {};
      cached = Object.entries(cache).map(([id, entry]) => ({ id, result: entry.result }));
      handoff = context.serverHandoffStream;
      return handleRequest(request, status, headers, context, load);
    });
    const html = documentHtml(await page());
    expect(cached).toHaveLength(2);
    const [chunk, end] = cached;
    expect(end).toEqual({ id: "1", result: { done: true, value: "" } });
    expect(chunk.result).toMatchObject({ done: false, value: expect.stringContaining('"word","Hej"') });
    const text = (chunk.result as { value: string }).value;
    expect(html).toContain(JSON.stringify(text).replace(/</g, "\\u003c"));
    // Whoever reads the stream after all gets the same bytes, then its end.
    const reader = handoff!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(text);
    expect((await reader.read()).done).toBe(true);
  });

  it("leaves no timer running after a page or a data request (Remix's 4.95 s stream timeout)", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const app = oneRouteApp(() => ({ word: "Hej" }), Word);
    const before = timers();
    for (const path of ["/", "/", "/_root.data", "/_root.data"]) {
      const response = await app(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Hej");
    }
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe("sendDocument (server.mjs)", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(response: () => Response): Promise<{ sent: boolean[]; answer: Response; body: string }> {
    const sent: boolean[] = [];
    server = createServer((_req, res) => {
      const ok = sendDocument(res, response());
      sent.push(ok);
      if (!ok) res.end("not ours");
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { "accept-encoding": "identity" } });
    return { sent, answer, body: await answer.text() };
  }

  it("sends a whole page with its status, its headers (each Set-Cookie) and its length", async () => {
    const headers = new Headers({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    headers.append("set-cookie", "a=1; Path=/");
    headers.append("set-cookie", "b=2; Path=/");
    const { sent, answer, body } = await serve(() => htmlResponse("<!DOCTYPE html><p>Hej å</p>", { headers, status: 404 }));
    expect(sent).toEqual([true]);
    expect(answer.status).toBe(404);
    expect(body).toBe("<!DOCTYPE html><p>Hej å</p>");
    expect(answer.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(answer.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  it("hands out a Response like any other: its body, a clone and text() give the HTML; once its body is read it is not sent as the string", async () => {
    const html = "<!DOCTYPE html><p>Hej å</p>";
    const make = () => htmlResponse(html, { headers: { "content-type": "text/html; charset=utf-8" }, status: 201 });
    const page = make();
    expect(page).toBeInstanceOf(Response);
    expect(page.bodyUsed).toBe(false);
    const copy = page.clone();
    expect(await new Response(page.body).text()).toBe(html);
    expect(page.bodyUsed).toBe(true);
    // Its body was read (someone else sends it): sendDocument must not send it a second time.
    expect(documentHtml(page)).toBeUndefined();
    expect(documentHtml(copy)).toBe(html);
    expect(copy.status).toBe(201);
    expect(copy.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await copy.text()).toBe(html);
    await expect(copy.text()).rejects.toThrow();
    const bytes = make();
    expect(new TextDecoder().decode(await bytes.arrayBuffer())).toBe(html);
    const { sent, body } = await serve(() => {
      const read = make();
      void read.body!.getReader().read();
      return read;
    });
    expect(sent).toEqual([false]);
    expect(body).toBe("not ours");
  });

  it("leaves any other Response to Remix's own sending", async () => {
    const { sent, body } = await serve(() => new Response("<p>Hej</p>", { headers: { "content-type": "text/html" } }));
    expect(sent).toEqual([false]);
    expect(body).toBe("not ours");
  });
});
