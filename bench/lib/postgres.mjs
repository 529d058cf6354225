// A PostgreSQL database of its own for a bench: a fresh database on BENCH_DATABASE_URL (any server the
// bench may create databases on), or else on a throw-away cluster started with scripts/pg-cluster.sh
// (as .ci/run does). `drop()` removes the database, and the cluster if one was started.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const clusterScript = path.join(root, "scripts/pg-cluster.sh");

export async function benchDatabase(prefix = "bench") {
  let clusterDir = null;
  let serverUrl = process.env.BENCH_DATABASE_URL;
  const stopCluster = () => {
    if (!clusterDir) return;
    execFileSync(clusterScript, ["stop", path.join(clusterDir, "cluster")]);
    rmSync(clusterDir, { recursive: true, force: true });
    clusterDir = null;
  };
  if (!serverUrl) {
    clusterDir = mkdtempSync(path.join(os.tmpdir(), "lokala-bench-pg-"));
    // The cluster runs as the postgres user when we are root: it must reach its directory.
    chmodSync(clusterDir, 0o755);
    serverUrl = execFileSync(clusterScript, ["start", path.join(clusterDir, "cluster")], { encoding: "utf8" }).trim();
  }
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end();
    stopCluster();
    throw error;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    /** Whether the database lives on a cluster this bench started (nobody else's work runs on it). */
    ownCluster: clusterDir !== null,
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
      stopCluster();
    },
  };
}

/** CPU milliseconds (user + system) a process has used so far, from Linux /proc; 0 when it is gone. */
export function processCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
