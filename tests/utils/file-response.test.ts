import { describe, expect, it } from "vitest";
import { fileResponse } from "~/utils/http.server";

describe("fileResponse: the one way a download is answered", () => {
  it("keeps a typed name out of the header and is never cached", async () => {
    const res = fileResponse("a;b\n", { filename: 'x"; filename=evil.html\r\nSet-Cookie: a=b.csv', contentType: "text/csv; charset=utf-8" });
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="x___filename_evil.html__Set-Cookie__a_b.csv"');
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(await res.text()).toBe("a;b\n");
  });

  it("sends a Buffer's bytes as they are, and opens inline when asked", async () => {
    const res = fileResponse(Buffer.from("%PDF-1.7 åäö"), { filename: "affisch.pdf", contentType: "application/pdf", inline: true });
    expect(res.headers.get("Content-Disposition")).toBe('inline; filename="affisch.pdf"');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe("%PDF-1.7 åäö");
  });
});
