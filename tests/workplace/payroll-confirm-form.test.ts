import { getZodConstraint } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { confirmRunInput, confirmRunSchema } from "~/validation/workplace-run";

const lines = [
  { pledgeId: 7, required: false },
  { pledgeId: 8, required: true },
];

describe("the payroll confirm form's schema", () => {
  it("can be read by Conform, as the run page does when it renders (a transform at the root cannot)", () => {
    expect(() => getZodConstraint(confirmRunSchema(lines))).not.toThrow();
  });

  it("gives the page and the service the same field messages", () => {
    const bad = { reported: { "7": "12,345", "8": "" } };
    const page = confirmRunSchema(lines).safeParse(bad);
    const service = confirmRunInput(lines).safeParse(bad);
    const codes = (r: typeof page | typeof service) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}:${i.message}`).sort());
    expect(codes(page)).toEqual(["confirm:confirmation_required", "reported.7:reported_invalid", "reported.8:reported_missing"]);
    expect(codes(service)).toEqual(codes(page));
  });

  it("reads the amounts in öre for the service", () => {
    const read = confirmRunInput(lines).parse({ reported: { "7": "", "8": "187,50" }, confirm: "yes" });
    expect(read.reported).toEqual({ "7": null, "8": 18750n });
  });
});
