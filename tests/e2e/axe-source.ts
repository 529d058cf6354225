import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/*
 * axe-core for tests/e2e/axe.test.ts's tabs: the minified build that @axe-core/playwright depends on, with three
 * changes that make its rules cheaper to run and give the same results (compared when they were made, on every page
 * of the matrix as one persona that may see it, at 390 and 1280 px: every rule of the file's tags, minor and moderate
 * too, violations, incomplete and passes, each node's checks and their data, identical). Each change is made on the
 * source text and throws when the text it expects is not there: with a new axe-core, look again (and compare again).
 *
 * 1. memoize: axe-core caches the answers of its per-element helpers (is this node hidden, visible on screen, its
 *    scroll, its selector…) with memoizee, which looks an object argument up by scanning an array of every argument
 *    seen so far (indexOf): on a staff page of 1,700 elements each lookup walks hundreds of entries. Here a Map per
 *    argument position: the same answers for the same arguments (strict equality, NaN equal to NaN, as memoizee),
 *    cleared when axe-core clears memoizee's (after each run).
 * 2. Color's private fields: axe-core's Color (color-contrast makes one for every background of every text and
 *    for every blend of two colours) is compiled from a class with six private fields and a private method, as
 *    six WeakMaps and a WeakSet per program: each new colour is seven inserts into tables the garbage collector
 *    has to treat as ephemerons. Here each "private" field is a property under a Symbol of its own: the same
 *    values through the same getters and setters.
 * 3. Colour parsing: color-contrast parses the CSS colour of every element behind every text through colorjs.io,
 *    the same few strings again and again; each string's result is kept (an unparsable one still throws).
 */

const require = createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright"));
/** axe-core as @axe-core/playwright resolves it (its own dependency), minified: half the source to parse per page. */
export const axeMinSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Replaces the one occurrence of `pattern` in `source`, or throws. */
function replaceOnce(source: string, pattern: RegExp, replacement: (...groups: string[]) => string, what: string): string {
  const found = [...source.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))];
  if (found.length !== 1) throw new Error(`axe-source: expected one ${what} in axe-core ${version(source)}, found ${found.length}`);
  return source.replace(pattern, (...args) => replacement(...(args.slice(0, -2) as string[])));
}

function version(source: string) {
  return source.match(/axe v([\d.]+)/)?.[1] ?? "?";
}

/** The helpers, declared at the top of axe-core's own function (nothing is added to the page's window). */
const prelude = String.raw`
var __axeFastMemoize = function (fn) {
  var length = fn.length, root = new Map(), none = {}, single = none;
  var memoized = function () {
    if (length === 0) {
      if (single === none) single = fn.apply(this, arguments);
      return single;
    }
    var map = root;
    for (var i = 0; i < length - 1; i++) {
      var next = map.get(arguments[i]);
      if (!next) map.set(arguments[i], (next = new Map()));
      map = next;
    }
    var key = arguments[length - 1];
    if (map.has(key)) return map.get(key);
    var value = fn.apply(this, arguments);
    map.set(key, value);
    return value;
  };
  memoized.clear = function () {
    root = new Map();
    single = none;
  };
  return memoized;
};
var __AxeSlot = function () {
  this.key = Symbol();
};
__AxeSlot.prototype.has = function (o) { return this.key in o; };
__AxeSlot.prototype.get = function (o) { return o[this.key]; };
__AxeSlot.prototype.set = function (o, v) { o[this.key] = v; return this; };
__AxeSlot.prototype.add = function (o) { o[this.key] = true; return this; };
`;

/** After axe-core has loaded: colour parsing keeps what each string parsed to. */
const epilogue = String.raw`
;(function () {
  var color = window.axe && window.axe.commons.color.Color.prototype;
  if (!color || color.__parsedMemo) return;
  var parse = color.parseString;
  var parsed = new Map();
  color.parseString = function (text) {
    var known = parsed.get(text);
    if (!known) {
      parse.call(this, text);
      parsed.set(text, { r: this.r, g: this.g, b: this.b, alpha: this.alpha });
      return this;
    }
    this.r = known.r;
    this.g = known.g;
    this.b = known.b;
    this.alpha = known.alpha;
    return this;
  };
  color.__parsedMemo = true;
})();
`;

/** axe-core with the three changes above. */
export function fasterAxe(source: string): string {
  let out = replaceOnce(source, /^!function (\w+)\(window\)\{/m, (whole) => `${whole}${prelude}`, "opening of axe-core's function");
  out = replaceOnce(out, /axe\._memoizedFns=\[\],function\((\w)\)\{return \1=\(0,\w+\.default\)\(\1\),/, (whole) => whole.replace(/\(0,\w+\.default\)/, "__axeFastMemoize"), "memoizee call");
  out = replaceOnce(
    out,
    /(\w+)=new WeakMap,(\w+)=new WeakMap,(\w+)=new WeakMap,(\w+)=new WeakMap,(\w+)=new WeakMap,(\w+)=new WeakMap,(\w+)=new WeakSet,(\w+\(function \w+\(\w+,\w+,\w+\)\{var \w+,\w+,\w+,\w+=3<arguments\.length)/,
    (_whole, ...names) => `${names.slice(0, 7).map((n) => `${n}=new __AxeSlot`).join(",")},${names[7]}`,
    "Color's private fields",
  );
  return out + epilogue;
}

export const axeSource = fasterAxe(axeMinSource);
