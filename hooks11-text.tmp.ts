import { createElement } from "react";
import { emailHtml, toPlainText } from "~/services/email/render.server";
import { templates } from "~emails/index";
const identity = { name: "Västerås stadsmission", organisationNumber: "802000-0000", address: "Storgatan 1, Västerås", phone: "021-123", email: "info@example.se", website: "https://example.se" } as any;
const props = (i: number) => ({ paymentId: String(i), amountOre: String(10000 + i), goalTitle: i % 3 ? "Ingen hemlöshet" : null, paidAt: new Date().toISOString(), method: "card", monthly: false, donorName: "Bench Givare", locale: "sv", identity });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const N = 4000;
const htmls = Array.from({ length: N }, (_, i) => emailHtml(createElement(templates["gift-receipt"].component as any, props(i))));
const strip = (h: string) => h.replace(/ style="[^"]*"/g, "");
console.log("bytes", htmls[0].length, strip(htmls[0]).length, toPlainText(strip(htmls[0])) === toPlainText(htmls[0]));
for (let round = 0; round < 4; round++) {
  let t0 = cpu();
  for (const h of htmls) toPlainText(h);
  const a = (cpu() - t0) / N;
  t0 = cpu();
  for (const h of htmls) toPlainText(strip(h));
  const b = (cpu() - t0) / N;
  console.log(`full ${a.toFixed(3)} ms, stripped ${b.toFixed(3)} ms`);
}
