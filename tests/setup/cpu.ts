import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU seconds of a process and its ended, waited-for children (a server's; this worker's servers and
 * Chromium), from /proc: user, system and the children's user and system time, the 12th–15th fields after
 * the command's ")". Undefined where there is no /proc (not Linux) or the process is gone.
 */
export function cpuSeconds(pid: number | "self"): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100; // USER_HZ
  } catch {
    return undefined;
  }
}

/** The live children of a process (every thread's), from /proc; [] where there is none. */
export function childPids(pid: number | "self"): number[] {
  const pids: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      pids.push(...readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number));
    }
  } catch {
    // gone, or no /proc
  }
  return pids;
}

/**
 * CPU seconds of a process and all its live descendants (each with its ended children). Chromium's
 * renderers are children of its zygote, and a renderer that ended is not always counted in the zygote's
 * children's time, so once Chromium is closed much of its CPU is nowhere: this is read before it is.
 */
export function treeCpuSeconds(pid: number): number | undefined {
  const own = cpuSeconds(pid);
  if (own === undefined) return undefined;
  return childPids(pid).reduce((sum, child) => sum + (treeCpuSeconds(child) ?? 0), own);
}
