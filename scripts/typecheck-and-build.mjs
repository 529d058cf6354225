// `npm test`'s first step: the type check and the production build side by side. They are independent
// (tsc writes nothing, the build does not type-check) and each is mostly one core's work, so in series
// on 2 cores one core sat idle for both. Each runs the command of its own package.json script
// ("typecheck", "build"); its output is printed in one piece when it ends, so the two do not interleave.
// Exits 1 if either failed, after both have ended.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const env = { ...process.env, PATH: `${path.join(root, "node_modules/.bin")}${path.delimiter}${process.env.PATH}` };

function run(name) {
  const command = scripts[name];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: root, env, shell: true, stdio: ["ignore", "pipe", "pipe"] });
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    let ended = false;
    const finish = (code, error) => {
      if (ended) return;
      ended = true;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n> ${name}: ${command}\n${Buffer.concat(output).toString()}${error ? `${error.message}\n` : ""}`);
      process.stdout.write(`> ${name} ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${seconds} s\n`);
      resolve(code === 0);
    };
    child.on("error", (error) => finish(-1, error));
    child.on("close", (code, signal) => finish(code ?? `signal ${signal}`));
  });
}

const results = await Promise.all(["typecheck", "build"].map(run));
process.exit(results.every(Boolean) ? 0 : 1);
