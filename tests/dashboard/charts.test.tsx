import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { StackedBarChart, type StackedBar } from "~/components/charts/stacked-bar-chart";
import { TargetChart } from "~/components/charts/target-chart";

/** The attributes of every `<tag …>` in the markup, in order (React's static markup is regular enough for this). */
function elements(markup: string, tag: string): Record<string, string>[] {
  return [...markup.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))].map((m) =>
    Object.fromEntries([...m[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}
const num = (v: string | undefined) => Number(v);
const kr = (ore: number) => `${ore / 100} kr`;

const series = [
  { key: "one_off_gift", label: "Engångsgåva", colour: 1 },
  { key: "monthly_gift", label: "Månadsgåva", colour: 2 },
];
const table = { caption: "Per månad", toggle: "Visa siffrorna", rowHeader: "Månad", total: "Summa" };

function chart(bars: StackedBar[]) {
  return renderToStaticMarkup(<StackedBarChart id="c1" title="Mål 1 per månad" description="Totalt 7 kr" bars={bars} series={series} format={kr} table={table} />);
}

describe("StackedBarChart", () => {
  const bars: StackedBar[] = [
    { key: "2026-01", label: "januari 2026", shortLabel: "jan", values: { one_off_gift: 100, monthly_gift: 300 } },
    { key: "2026-02", label: "februari 2026", shortLabel: "feb", values: { one_off_gift: 200 } },
  ];

  it("is an image named by its title and description", () => {
    const html = chart(bars);
    const [svg] = elements(html, "svg");
    expect(svg.role).toBe("img");
    expect(svg["aria-labelledby"]).toBe("c1-title c1-desc");
    expect(html).toContain('<title id="c1-title">Mål 1 per månad</title>');
    expect(html).toContain('<desc id="c1-desc">Totalt 7 kr</desc>');
  });

  it("draws each value as a rect whose height is proportional to it, stacked on the one below", () => {
    const rects = elements(chart(bars), "rect").filter((r) => r["data-bar"]);
    // Three non-zero values: Jan one-off, Feb one-off, Jan monthly (the empty Feb monthly draws nothing).
    expect(rects.map((r) => `${r["data-bar"]}:${r["data-value"]}`)).toEqual(["2026-01:100", "2026-02:200", "2026-01:300"]);
    const [janOneOff, febOneOff, janMonthly] = rects;
    const unit = num(janOneOff.height) / 100;
    expect(num(febOneOff.height)).toBeCloseTo(200 * unit, 0);
    expect(num(janMonthly.height)).toBeCloseTo(300 * unit, 0);
    // The monthly gift sits on top of the one-off gift in the same bar: its bottom is the other's top.
    expect(num(janMonthly.y) + num(janMonthly.height)).toBeCloseTo(num(janOneOff.y), 0);
    expect(janMonthly.x).toBe(janOneOff.x);
    expect(num(febOneOff.x)).toBeGreaterThan(num(janOneOff.x));
    // Both bars stand on the same baseline (zero).
    expect(num(janOneOff.y) + num(janOneOff.height)).toBeCloseTo(num(febOneOff.y) + num(febOneOff.height), 0);
  });

  it("puts a negative month below the zero line", () => {
    const rects = elements(
      chart([
        { key: "2026-01", label: "januari", values: { one_off_gift: 400 } },
        { key: "2026-02", label: "februari", values: { one_off_gift: -100 } },
      ]),
      "rect",
    ).filter((r) => r["data-bar"]);
    const [up, down] = rects;
    const zero = num(up.y) + num(up.height);
    expect(num(down.y)).toBeCloseTo(zero, 0);
    expect(num(down.height)).toBeCloseTo(num(up.height) / 4, 0);
  });

  it("has the same numbers in a table: a row per month, a column per channel, totals", () => {
    const html = chart(bars);
    expect(html).toMatch(/<details class="chart-table"><summary>Visa siffrorna<\/summary>/);
    const cells = (row: string) =>
      [...(html.match(new RegExp(`<tr data-row="${row}">(.*?)</tr>`))?.[1] ?? "").matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1]);
    expect(cells("2026-01")).toEqual(["januari 2026", "1 kr", "3 kr", "4 kr"]);
    expect(cells("2026-02")).toEqual(["februari 2026", "2 kr", "0 kr", "2 kr"]);
    expect(cells("total")).toEqual(["Summa", "3 kr", "3 kr", "6 kr"]);
    expect(html).toContain("<caption id=\"c1-caption\">Per månad</caption>");
  });

  it("labels the months under the bars and the amounts on the axis", () => {
    const html = chart(bars);
    expect(html).toMatch(/>jan<\/text>/);
    expect(html).toMatch(/>feb<\/text>/);
    expect(html).toMatch(/>0 kr<\/text>/);
  });
});

describe("TargetChart", () => {
  const render = (raised: number, target: number) =>
    renderToStaticMarkup(<TargetChart id="t1" title="Mål 1 mot årsmålet" description="250 kr av 1 000 kr" raised={raised} target={target} goal={1} width={200} />);

  it("fills the share of the target that came in, with a title and description", () => {
    const html = render(250, 1000);
    const [svg] = elements(html, "svg");
    expect(svg.role).toBe("img");
    expect(svg["aria-labelledby"]).toBe("t1-title t1-desc");
    expect(html).toContain("<desc id=\"t1-desc\">250 kr av 1 000 kr</desc>");
    const [track, fill] = elements(html, "rect");
    expect(num(track.width)).toBe(200);
    expect(num(fill.width)).toBe(50);
  });

  it("stops at the end of the track beyond the target and draws no fill below zero", () => {
    expect(num(elements(render(3000, 1000), "rect")[1].width)).toBe(200);
    expect(elements(render(-5, 1000), "rect")).toHaveLength(1);
  });
});
