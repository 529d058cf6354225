import { describe, expect, it } from "vitest";
import { FlushBuffer } from "~/entry.server";

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
});
