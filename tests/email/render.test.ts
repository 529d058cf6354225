import { Text as ReactEmailText } from "@react-email/text";
import { toPlainText as reactEmailPlainText } from "@react-email/render";
import fc from "fast-check";
import { Component, createElement, useState, type CSSProperties } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { templates, type TemplateName } from "~emails/index";
import { emailStyles } from "~emails/layout";
import { Text } from "~emails/text";
import { plainTextOf, resolveComponents } from "~/services/email/plain-text.server";
import { emailHtml, renderEmail } from "~/services/email/render.server";
import { defaultCharityIdentity, type CharityIdentity } from "~/services/settings/charity";

const filledIdentity: CharityIdentity = {
  name: "Västerås stadsmission",
  organisationNumber: "802000-0000",
  address: "Box 1, 721 00 Västerås",
  email: "info@example.org",
  phone: "021-10 20 30",
  website: "https://example.org",
};

/** Props per template: the preview's, and for the receipt the other shapes it takes. */
function propVariants(name: TemplateName): Record<string, unknown>[] {
  const base = templates[name].previewProps as Record<string, unknown>;
  if (name !== "gift-receipt") return [base];
  return [
    base,
    { ...base, monthly: true, manageUrl: "https://x.example/monthly/manage?t=abc", method: "card", donorName: null, goalTitle: null },
    { ...base, method: null, amountOre: "1234567" },
  ];
}

/** What React renders from the template itself, and React Email's own text of that HTML (before this change: what was sent). */
function reference(name: TemplateName, locale: "sv" | "en", props: Record<string, unknown>, identity: CharityIdentity) {
  const html = emailHtml(createElement(templates[name].component, { ...props, locale, identity }));
  return { html, text: reactEmailPlainText(html) };
}

describe("rendering an email once, to HTML and plain text", () => {
  it("gives every template, language and identity the HTML React renders and the text React Email converts from it", async () => {
    let compared = 0;
    for (const name of Object.keys(templates) as TemplateName[]) {
      for (const locale of ["sv", "en"] as const) {
        for (const identity of [defaultCharityIdentity, filledIdentity]) {
          for (const props of propVariants(name)) {
            const rendered = await renderEmail(name, locale, props, identity);
            const expected = reference(name, locale, props, identity);
            expect(rendered.html, `${name} ${locale}`).toBe(expected.html);
            expect(rendered.text, `${name} ${locale}`).toBe(expected.text);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(Object.keys(templates).length * 2 * 2 + 2 * 2 * 2);
  });

  it("writes the text of every template without html-to-text (no template falls back to parsing its HTML)", () => {
    for (const name of Object.keys(templates) as TemplateName[]) {
      for (const locale of ["sv", "en"] as const) {
        const resolved = resolveComponents(createElement(templates[name].component, { ...templates[name].previewProps, locale, identity: filledIdentity }));
        expect(resolved, name).not.toBeNull();
        expect(plainTextOf(resolved), name).toBe(reference(name, locale, templates[name].previewProps, filledIdentity).text);
      }
    }
  });

  it("gives the same text as React Email for any text the caller puts in a notice or a receipt (whitespace, markup characters, case)", async () => {
    const chars = [" ", "  ", "\n", "\n\n", "\t", "\r\n", "\u200b", "\u00a0", "<", ">", "&", "&amp;", '"', "'", "a", "Ö", "ß", "ﬁ", "é", "-", "#", "*", "1", "http://x.example/", "mailto:a@b.se", "<!-- x -->"];
    const text = fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((parts) => parts.join(""));
    await fc.assert(
      fc.asyncProperty(text, text, text, text, async (subject, heading, body, name) => {
        const notice = { subject, heading, body, actionUrl: name.trim() ? "https://x.example/a" : undefined, actionLabel: name || undefined };
        const rendered = await renderEmail("notice", "sv", notice, { ...filledIdentity, name: name || "V" });
        expect(rendered.text).toBe(reference("notice", "sv", notice, { ...filledIdentity, name: name || "V" }).text);
        const receipt = { ...templates["gift-receipt"].previewProps, donorName: name || null, goalTitle: heading || null };
        const r = await renderEmail("gift-receipt", "en", receipt, { ...defaultCharityIdentity, address: body });
        expect(r.text).toBe(reference("gift-receipt", "en", receipt, { ...defaultCharityIdentity, address: body }).text);
        expect(r.html).toBe(reference("gift-receipt", "en", receipt, { ...defaultCharityIdentity, address: body }).html);
      }),
      // A link labelled with a zero-width and a no-break space: html-to-text counts the latter as text and writes a space
      // before the address (a random run found it; JavaScript's trim() had dropped the label).
      { numRuns: 150, examples: [["", "", "", "\u200b\u00a0"], ["", "", "x", "a\u200b\u00a0"]] },
    );
  });

  it("leaves markup it does not know to html-to-text: a list, a class component, a hook", () => {
    const list = createElement("ul", null, createElement("li", null, "one"), createElement("li", null, "two"));
    expect(plainTextOf(createElement("div", null, list))).toBeNull();
    class Old extends Component {
      render() {
        return createElement("p", null, "x");
      }
    }
    expect(resolveComponents(createElement(Old))).toBeNull();
    function WithHook() {
      const [v] = useState("x");
      return createElement("p", null, v);
    }
    expect(resolveComponents(createElement(WithHook))).toBeNull();
    expect(plainTextOf(createElement("div", { dangerouslySetInnerHTML: { __html: "<b>raw</b>" } }))).toBeNull();
    // Outlook's conditional comments (React Email's Button) are left out, as html-to-text leaves them out.
    expect(plainTextOf(createElement("p", null, "a", createElement("span", { dangerouslySetInnerHTML: { __html: "<!--[if mso]><i>&#8202;</i><![endif]-->" } }), "b"))).toBe("ab");
  });
});

describe("the emails' Text", () => {
  it("writes the same markup as React Email's Text for every style the templates use and for any other", () => {
    const same = (style: CSSProperties | undefined, children = "Hej") =>
      expect(renderToStaticMarkup(createElement(Text, { style, className: "c" }, children))).toBe(
        renderToStaticMarkup(createElement(ReactEmailText, { style, className: "c" }, children)),
      );
    for (const style of [undefined, ...Object.values(emailStyles)]) {
      same(style);
      same(style); // the second time from the worked-out style
    }
    const value = fc.constantFrom("0", "4px", "8px 0", "1px 2px 3px", "1px 2px 3px 4px", "auto", 12);
    const styleArb = fc.record(
      { margin: value, marginTop: value, marginBottom: value, marginLeft: value, marginRight: value, fontSize: fc.constantFrom("12px", "16px"), color: fc.constantFrom("#000", "red") },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(styleArb, (style) => {
        same(style as CSSProperties);
        same(style as CSSProperties);
      }),
      { numRuns: 300 },
    );
  });
});

