// `npm test`: the type check, the production build and the suite (`vitest run`), with the type check beside
// the other two. The suite needs the build (its servers run build/server) but not the type check, and the
// type check (about 40 CPU-s, one core) needs neither, so: the build and the type check start together; when
// the build has passed, the suite starts while the type check goes on. The type check runs at a lower
// priority (nice 10), so it takes the CPU the suite leaves idle (its start, waits on servers and Chromium)
// rather than slowing it. Each command is its package.json script ("typecheck", "build", and vitest run with
// this script's arguments). The build's and the type check's output is printed in one piece when each ends,
// the suite's as it goes. Exits 1 if any of the three failed (a failed build: no suite), after all have ended.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setPriority } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const env = { ...process.env, PATH: `${path.join(root, "node_modules/.bin")}${path.delimiter}${process.env.PATH}` };

/** Runs a command; its output goes to ours at once (`live`) or in one piece when it ends. Resolves true if it passed. */
function run(name, command, { live = false, nice = 0 } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: root, env, shell: true, stdio: ["ignore", live ? "inherit" : "pipe", live ? "inherit" : "pipe"] });
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
const suite = run("build", scripts.build).then((built) =>
  built ? run("vitest", ["vitest run", ...process.argv.slice(2).map(quote)].join(" "), { live: true }) : false,
);
const [typed, tested] = await Promise.all([typecheck, suite]);
// The type check's verdict may have been printed in the middle of the suite's output: say both again last.
process.stdout.write(`\nnpm test: type check ${typed ? "passed" : "FAILED"}; build and suite ${tested ? "passed" : "FAILED"}\n`);
process.exit(typed && tested ? 0 : 1);
