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

/**
 * A process's own CPU seconds (user and system, without its children's) and its start time (clock ticks
 * after boot: with the pid, it tells a reused pid apart); undefined where it is gone or there is no /proc.
 * For a process tree whose ended members are not all counted in their parent's children's time (Chromium's
 * renderers are children of a zygote that is not the browser's waiting parent): sample each one's own time.
 */
export function ownCpu(pid: number): { seconds: number; startedAt: string } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return { seconds: (Number(fields[11]) + Number(fields[12])) / 100, startedAt: fields[19] }; // USER_HZ
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
