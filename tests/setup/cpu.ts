import { readFileSync } from "node:fs";

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
