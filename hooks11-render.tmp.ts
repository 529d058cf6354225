import { createElement } from "react";
import { emailHtml, toPlainText } from "~/services/email/render.server";
import { templates } from "~emails/index";
const identity = { name: "Västerås stadsmission", organisationNumber: "802000-0000", address: "Storgatan 1, Västerås", phone: "021-123", email: "info@example.se", website: "https://example.se" } as any;
const props = (i: number) => ({ paymentId: String(i), amountOre: String(10000 + i), goalTitle: i % 3 ? "Ingen hemlöshet" : null, paidAt: new Date().toISOString(), method: "card", monthly: false, donorName: "Bench Givare", locale: "sv", identity });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const N = 4000;
let html = "";
for (let round = 0; round < 3; round++) {
  let t0 = cpu();
  for (let i = 0; i < N; i++) html = emailHtml(createElement(templates["gift-receipt"].component as any, props(i)));
  const h = (cpu() - t0) / N;
  t0 = cpu();
  for (let i = 0; i < N; i++) toPlainText(html);
  const t = (cpu() - t0) / N;
  console.log(`html ${h.toFixed(3)} ms, text ${t.toFixed(3)} ms`);
}
