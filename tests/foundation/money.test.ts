import { describe, expect, it } from "vitest";
import { formatOre, oreToKronorText, parseKronor, percentOf, toOre } from "~/utils/money";

const plain = (s: string) => s.replace(/\u00a0/g, " ");

describe("money", () => {
  it("formats whole kronor and öre the Swedish way", () => {
    expect(plain(formatOre(123400n))).toBe("1 234 kr");
    expect(plain(formatOre(123450n))).toBe("1 234,50 kr");
    expect(plain(formatOre(5n))).toBe("0,05 kr");
    expect(plain(formatOre(0))).toBe("0 kr");
    expect(plain(formatOre("100000000"))).toBe("1 000 000 kr");
    expect(plain(formatOre(-25000n))).toBe("−250 kr");
  });

  it("parses amounts people type into integer öre", () => {
    expect(parseKronor("250")).toBe(25000n);
    expect(parseKronor("1 234,50")).toBe(123450n);
    expect(parseKronor("99.5")).toBe(9950n);
    expect(parseKronor("100 kr")).toBe(10000n);
    expect(parseKronor("-5")).toBeNull();
    expect(parseKronor("1,234")).toBeNull();
    expect(parseKronor("abc")).toBeNull();
    expect(parseKronor("")).toBeNull();
  });

  it("writes öre back as kronor for a form field, and parses it again to the same öre", () => {
    expect(oreToKronorText(15_000_000n)).toBe("150000");
    expect(oreToKronorText(12_350n)).toBe("123,50");
    expect(oreToKronorText(5n)).toBe("0,05");
    for (const ore of [1n, 99n, 100n, 123_456_789n]) expect(parseKronor(oreToKronorText(ore))).toBe(ore);
  });

  it("refuses fractional öre", () => {
    expect(() => toOre(1.5)).toThrow(RangeError);
    expect(() => toOre("1.5")).toThrow(RangeError);
  });

  it("computes progress without floats in the money", () => {
    expect(percentOf(5000n, 10000n)).toBe(50);
    expect(percentOf(20000n, 10000n)).toBe(100);
    expect(percentOf(1n, 3n)).toBe(33.3);
    expect(percentOf(100n, null)).toBeNull();
    expect(percentOf(100n, 0n)).toBeNull();
  });
});
