import { describe, expect, it } from "vitest";
import { shapeOf } from "~/services/payments/deferred-writes.server";
import { PreparedStatements, SHAPES_MAX } from "~/services/payments/hot-queries.server";

// A deferred write's text is made once per shape and cut at its parameters (deferred-writes.server.ts).
// No database involved.
describe("deferred-write shapes", () => {
  it("cuts a text at its parameter markers $1 … $n, in order", () => {
    const shape = shapeOf({ sql: 'insert into "t" ("a", "b") values ($1, $2::jsonb) on conflict do nothing', params: ["x", "y"] });
    expect(shape.pieces).toEqual(['insert into "t" ("a", "b") values (', ", ", "::jsonb) on conflict do nothing"]);
    expect(shapeOf({ sql: "select 1", params: [] }).pieces).toEqual(["select 1"]);
  });

  it("refuses a text whose markers are not exactly the parameters, in order, instead of cutting it in the wrong place", () => {
    expect(() => shapeOf({ sql: "select $1, '$2 öre'", params: ["x"] })).toThrow(/1 parameters/);
    expect(() => shapeOf({ sql: "select $2, $1", params: ["x", "y"] })).toThrow(/out of order/);
    expect(() => shapeOf({ sql: "select $1", params: ["x", "y"] })).toThrow(/1 parameter markers for 2/);
  });

  it("keeps at most SHAPES_MAX shapes, the newest, and makes a dropped one again when asked", () => {
    const statements = new PreparedStatements();
    let made = 0;
    const make = (i: number) => () => (made++, { pieces: [`select ${i}`], params: [] });
    for (let i = 0; i < SHAPES_MAX + 50; i++) statements.shape(`k${i}`, make(i));
    expect(statements.shapeCount).toBe(SHAPES_MAX);
    expect(made).toBe(SHAPES_MAX + 50);
    statements.shape(`k${SHAPES_MAX + 49}`, make(-1)); // kept: not made again
    expect(made).toBe(SHAPES_MAX + 50);
    expect(statements.shape("k0", make(0)).pieces).toEqual(["select 0"]); // dropped first: made again
    expect(made).toBe(SHAPES_MAX + 51);
  });
});
