import { render, toPlainText as reactEmailText } from "@react-email/render";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { templates, type TemplateName } from "~emails/index";
import { renderEmail } from "~/services/email/render.server";
import { defaultCharityIdentity } from "~/services/settings/charity";

// The receipts of a busy hour of webhooks are most of the email worker's CPU: renderEmail renders
// synchronously instead of through React Email's streaming render(). No database involved.
describe("email rendering", () => {
  const identity = { ...defaultCharityIdentity, name: 'Västerås <stadsmission> & "co"', organisationNumber: "802004-6426", address: "Box 1, 721 00 Västerås" };
  const hydrationMarker = /<!--(?: |\$|\/\$)-->/;

  it("gives every template React Email's HTML without React's hydration comments, and the same plain text, in both languages", async () => {
    for (const name of Object.keys(templates) as TemplateName[]) {
      for (const locale of ["sv", "en"] as const) {
        const def = templates[name];
        const props = def.previewProps as Record<string, unknown>;
        const theirs = await render(createElement(def.component as never, { ...props, locale, identity }));
        const ours = await renderEmail(name, locale, props, identity);
        expect(theirs).toMatch(hydrationMarker);
        expect(ours.html).not.toMatch(hydrationMarker);
        expect(ours.html).toBe(theirs.replace(new RegExp(hydrationMarker.source, "g"), ""));
        expect(ours.text).toBe(reactEmailText(theirs));
        expect(ours.html).toContain("Västerås &lt;stadsmission&gt; &amp; &quot;co&quot;");
      }
    }
  });

  it("escapes what a donor typed in a receipt", async () => {
    const r = await renderEmail(
      "gift-receipt",
      "sv",
      { paymentId: "7", amountOre: "12500", goalTitle: null, paidAt: "2026-11-30T12:00:00.000Z", method: "swish", monthly: false, donorName: "<img src=x onerror=alert(1)>" },
      identity,
    );
    expect(r.html).not.toContain("<img src=x");
    expect(r.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(r.text).toContain("<img src=x onerror=alert(1)>");
    expect(r.text).toMatch(/Belopp: 125\skr/);
  });
});
