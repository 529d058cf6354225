// `npm run email:preview`: renders every template in Swedish and English, HTML and plain text, with
// its preview props and the default charity identity, into tmp/email-preview/ (index.html lists them).
// `-- --serve` also serves that folder on http://localhost:3001 (or --port N).
import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { templates, type TemplateName } from "~emails/index";
import { locales } from "~/i18n/messages";
import { renderEmail } from "~/services/email/render.server";
import { defaultCharityIdentity } from "~/services/settings/charity";

const { values } = parseArgs({ options: { out: { type: "string" }, serve: { type: "boolean" }, port: { type: "string" } } });
const outDir = path.resolve(values.out ?? "tmp/email-preview");
mkdirSync(outDir, { recursive: true });

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const rows: string[] = [];
for (const name of Object.keys(templates) as TemplateName[]) {
  for (const locale of locales) {
    const rendered = await renderEmail(name, locale, templates[name].previewProps as Record<string, unknown>, defaultCharityIdentity);
    writeFileSync(path.join(outDir, `${name}.${locale}.html`), rendered.html);
    writeFileSync(path.join(outDir, `${name}.${locale}.txt`), rendered.text);
    rows.push(
      `<tr><td>${escape(name)}</td><td>${locale}</td><td>${escape(rendered.subject)}</td>` +
        `<td><a href="${name}.${locale}.html">HTML</a> · <a href="${name}.${locale}.txt">text</a></td></tr>`,
    );
  }
}
writeFileSync(
  path.join(outDir, "index.html"),
  `<!doctype html><meta charset="utf-8"><title>Email preview</title><h1>Email templates</h1>` +
    `<table border="1" cellpadding="6"><tr><th>template</th><th>locale</th><th>subject</th><th></th></tr>${rows.join("")}</table>`,
);
console.log(`${rows.length} previews written to ${path.join(outDir, "index.html")}`);

if (values.serve) {
  const port = Number(values.port ?? 3001);
  createServer((req, res) => {
    const file = path.join(outDir, path.normalize(decodeURIComponent((req.url ?? "/").split("?")[0])).replace(/^(\.\.[/\\])+/, ""));
    const target = file.endsWith(path.sep) || file === outDir ? path.join(outDir, "index.html") : file;
    try {
      const body = readFileSync(target);
      res.setHeader("Content-Type", target.endsWith(".txt") ? "text/plain; charset=utf-8" : "text/html; charset=utf-8");
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.end("not found");
    }
  }).listen(port, "127.0.0.1", () => console.log(`serving on http://localhost:${port}/ (Ctrl-C to stop)`));
}
