import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../setup/server";

/** The colour tokens of app/styles/tokens.css, by name without the leading `--color-`. */
function colourTokens(): Record<string, string> {
  const css = readFileSync(path.join(repoRoot, "app/styles/tokens.css"), "utf8");
  const tokens: Record<string, string> = {};
  for (const m of css.matchAll(/--color-([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) tokens[m[1]] = m[2].toLowerCase();
  return tokens;
}

/** WCAG 2.x relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const TEXT = 4.5;
const NON_TEXT = 3;

/** Every foreground/background pair the stylesheets use, with the ratio WCAG AA asks of it. */
const pairs: [fg: string, bg: string, min: number, where: string][] = [
  ["ink", "bg", TEXT, "body text"],
  ["ink", "bg-soft", TEXT, "text in the hero, footer, soft cards"],
  ["ink", "bg-sunken", TEXT, "table headers, code"],
  ["muted", "bg", TEXT, "hints, eyebrows, empty states"],
  ["muted", "bg-soft", TEXT, "footer text"],
  ["muted", "bg-sunken", TEXT, "hints on sunken surfaces"],
  ["brand", "bg", TEXT, "links"],
  ["brand", "bg-soft", TEXT, "links in soft surfaces"],
  ["brand-dark", "bg", TEXT, "hovered links"],
  ["on-brand", "brand", TEXT, "the header, buttons"],
  ["on-brand", "brand-dark", TEXT, "hovered buttons, active staff navigation"],
  ["on-brand", "accent", TEXT, "accent buttons"],
  ["accent", "bg-sunken", NON_TEXT, "the progress bar's fill on its track"],
  ["focus", "bg", NON_TEXT, "focus outline on white"],
  ["focus", "bg-soft", NON_TEXT, "focus outline on soft surfaces"],
  ["control-border", "bg", NON_TEXT, "border of inputs"],
  ["success", "success-bg", TEXT, "success badge, toast"],
  ["success", "bg", TEXT, "success text"],
  ["warning", "warning-bg", TEXT, "warning badge, local-mode banner"],
  ["danger", "danger-bg", TEXT, "danger badge, form error box, toast"],
  ["danger", "bg", TEXT, "field error text, outlined destructive button"],
  ["ink", "danger-bg", TEXT, "the question in a confirmation step"],
  ["on-brand", "danger", TEXT, "the final destructive button"],
  ["on-brand", "neutral", TEXT, "a number badge without a goal colour"],
  ["info", "info-bg", TEXT, "info badge, notes"],
  ["info", "bg", TEXT, "info text"],
  ["neutral", "neutral-bg", TEXT, "neutral badge"],
  ...[1, 2, 3, 4, 5].map((n): [string, string, number, string] => ["on-brand", `goal-${n}`, TEXT, `goal ${n}'s number badge`]),
  ...[1, 2, 3, 4, 5].map((n): [string, string, number, string] => [`goal-${n}`, "bg-sunken", NON_TEXT, `goal ${n}'s bar on its track (and so its stripe on white)`]),
  ...[1, 2, 3, 4, 5, 6].map((n): [string, string, number, string] => [`chart-${n}`, "bg", NON_TEXT, `chart series ${n}'s bars and legend swatch on white (the dashboard)`]),
];

/** Tokens used only where contrast is not required (WCAG 1.4.11 exempts decorative lines). */
const decorative = ["border"];

describe("colour tokens pass WCAG AA", () => {
  const tokens = colourTokens();

  it("reads the tokens from app/styles/tokens.css", () => {
    expect(Object.keys(tokens).length).toBeGreaterThan(20);
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it.each(pairs)("%s on %s is at least %s:1 (%s)", (fg, bg, min) => {
    expect(tokens[fg], `--color-${fg}`).toBeDefined();
    expect(tokens[bg], `--color-${bg}`).toBeDefined();
    expect(contrastRatio(tokens[fg], tokens[bg])).toBeGreaterThanOrEqual(min);
  });

  it("checks every colour token in at least one pair (or lists it as decorative)", () => {
    const used = new Set([...pairs.flatMap(([fg, bg]) => [fg, bg]), ...decorative]);
    expect(Object.keys(tokens).filter((t) => !used.has(t))).toEqual([]);
  });
});
