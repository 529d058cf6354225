import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const xsd = fileURLToPath(new URL("../fixtures/paxml-2.0.xsd", import.meta.url));

/** xmllint's verdict: null when valid, else its complaint. */
export function paxmlSchemaErrors(xml: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), "paxml-"));
  const file = join(dir, "file.xml");
  writeFileSync(file, xml, "utf8");
  try {
    execFileSync("xmllint", ["--noout", "--schema", xsd, file], { stdio: "pipe" });
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

