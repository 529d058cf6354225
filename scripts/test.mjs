// `npm test`: the type check, the production build and the suite (`vitest run`), all three at once. The suite
// needs the build only for the files that start a server (`node server.mjs` runs build/server) or drive Chromium,
// and not the type check: so they start together, and those files wait for the build (the file named by
// LOKALA_BUILD_STATUS, which this script writes "passed" or "failed" to when the build ends; tests/setup/run-order.ts)
// while the others run. The first files the suite starts need no server (tests/setup/sequencer.ts). The type check
// runs at a lower priority (nice 10), so it takes the CPU the suite leaves idle (its waits on servers and
// Chromium) rather than slowing it. Each command is its package.json script ("typecheck", "build", and vitest run
// with this script's arguments). The build's and the type check's output is printed in one piece when each ends,
// the suite's as it goes. Exits 1 if any of the three failed (a failed build fails every file that needs it).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const env = { ...process.env, PATH: `${path.join(root, "node_modules/.bin")}${path.delimiter}${process.env.PATH}` };

/** Runs a command; its output goes to ours at once (`live`) or in one piece when it ends. Resolves true if it passed. */
function run(name, command, { live = false, nice = 0, extraEnv = {} } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: root, env: { ...env, ...extraEnv }, shell: true, stdio: ["ignore", live ? "inherit" : "pipe", live ? "inherit" : "pipe"] });
    if (nice && child.pid) {
      try {
        setPriority(child.pid, nice);
      } catch {
        // Not allowed here: it runs at normal priority.
      }
    }
    const output = [];
    child.stdout?.on("data", (chunk) => output.push(chunk));
    child.stderr?.on("data", (chunk) => output.push(chunk));
    let ended = false;
    const finish = (code, error) => {
      if (ended) return;
      ended = true;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const printed = live ? "" : `\n> ${name}: ${command}\n${Buffer.concat(output).toString()}`;
      process.stdout.write(`${printed}${error ? `${error.message}\n` : ""}> ${name} ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${seconds} s\n`);
      resolve(code === 0);
    };
    child.on("error", (error) => finish(-1, error));
    child.on("close", (code, signal) => finish(code ?? `signal ${signal}`));
  });
}

const quote = (arg) => `'${arg.replaceAll("'", `'\\''`)}'`;
// `exec`: the shell becomes tsc, so the priority set on the child's process id is tsc's whenever it is set.
// Only for a simple command: with `;` or `&&` in it, exec would end the script at its first command.
const simple = process.platform !== "win32" && /^[\w./= -]+$/.test(scripts.typecheck);
const typecheck = run("typecheck", simple ? `exec ${scripts.typecheck}` : scripts.typecheck, { nice: simple ? 10 : 0 });
const statusDir = mkdtempSync(path.join(tmpdir(), "lokala-build-"));
const buildStatus = path.join(statusDir, "status");
const built = run("build", scripts.build).then((passed) => {
  writeFileSync(buildStatus, passed ? "passed" : "failed");
  return passed;
});
const suite = run("vitest", ["vitest run", ...process.argv.slice(2).map(quote)].join(" "), { live: true, extraEnv: { LOKALA_BUILD_STATUS: buildStatus } });
const [typed, builtOk, tested] = await Promise.all([typecheck, built, suite]);
rmSync(statusDir, { recursive: true, force: true });
// The other verdicts may have been printed in the middle of the suite's output: say all three again last.
const verdict = (passed) => (passed ? "passed" : "FAILED");
process.stdout.write(`\nnpm test: type check ${verdict(typed)}; build ${verdict(builtOk)}; suite ${verdict(tested)}\n`);
process.exit(typed && builtOk && tested ? 0 : 1);
