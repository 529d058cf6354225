import { describe, expect, it } from "vitest";
import { newNonce } from "~/utils/http-guards.server";

describe("the CSP nonce (securityHeaders)", () => {
  it("is 16 random bytes in base64, a new one for every request, also when the drawn bytes run out and are drawn again", () => {
    // The bytes are drawn 256 nonces at a time: 1,000 cross three draws.
    const nonces = Array.from({ length: 1000 }, () => newNonce());
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
    // Not a counter or a pattern: the bytes are spread over all values (1,000 × 16 bytes: each byte value
    // about 62 times; an all-zero or repeating pool would fail this).
    const counts = new Array<number>(256).fill(0);
    for (const nonce of nonces) for (const byte of Buffer.from(nonce, "base64")) counts[byte]++;
    expect(Math.min(...counts)).toBeGreaterThan(20);
    expect(Math.max(...counts)).toBeLessThan(120);
  });
});
