// A PostgreSQL database of its own for a bench: a fresh database on BENCH_DATABASE_URL (any server the
// bench may create databases on), or else on a throw-away cluster started with scripts/pg-cluster.sh
// (as .ci/run does). `drop()` removes the database, and the cluster if one was started.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

/**
 * CPU milliseconds the PostgreSQL server behind `url` has used so far, when it runs on this machine: on a
 * cluster the bench started, all its processes (postmaster, backends, WAL writer, autovacuum: what the
 * bench causes there); on a server others use too (BENCH_DATABASE_URL), only the backends connected to
 * this database, so other people's work on a shared machine is not counted. Backends that connect later
 * are found on each call; the server's processes are read from Linux /proc.
 */
export async function postgresCpuMeter(url, { ownCluster }) {
  const sqlc = postgres(url, { max: 1, onnotice: () => {} });
  const ppidOf = (pid) => {
    try {
      return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
    } catch {
      return 0;
    }
  };
  const [{ pid }] = await sqlc`select pg_backend_pid() as pid`;
  const postmaster = ppidOf(pid);
  const seen = new Map(); // pid → its CPU ms at the first call (0 for a process that appeared later)
  let started = false;
  const pids = async () => {
    if (ownCluster) {
      const all = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
      return [postmaster, ...all.filter((p) => ppidOf(p) === postmaster)];
    }
    return (await sqlc`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r) => r.pid);
  };
  return {
    scope: ownCluster ? "all processes of the bench's own cluster" : "backends of the bench database only",
    /** CPU used since the first call (which returns 0); processes that ended in between are not counted. */
    async cpuMs() {
      let ms = 0;
      for (const p of await pids()) {
        const now = processCpuMs(p);
        if (!seen.has(p)) seen.set(p, started ? 0 : now);
        ms += now - seen.get(p);
      }
      started = true;
      return ms;
    },
    end: () => sqlc.end(),
  };
}

/** pg_stat_statements of the server behind `url`, if it is loaded there; otherwise undefined. */
export async function pgStatStatements(url) {
  const sqlc = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sqlc`create extension if not exists pg_stat_statements`;
    await sqlc`select count(*) from pg_stat_statements`;
  } catch {
    await sqlc.end();
    return undefined;
  }
  return {
    // Only this database's entries (other databases on the server keep theirs).
    reset: () => sqlc`select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)`,
    /**
     * Top-level statements and their execution time in this database since the reset (this meter's own
     * left out), and the most frequent statements (also those run inside functions and triggers when the
     * server tracks them: pg_stat_statements.track = all).
     */
    async read() {
      const rows = await sqlc`
        select calls::int, total_exec_time as ms, mean_exec_time as mean, toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) as query
        from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
        order by calls desc`;
      await sqlc.end();
      const top = rows.filter((r) => r.toplevel);
      return { calls: top.reduce((s, r) => s + r.calls, 0), ms: top.reduce((s, r) => s + r.ms, 0), top: rows.slice(0, 25) };
    },
  };
}

/**
 * Counts what this process sends to the PostgreSQL server on `port` while `on` is true: statements
 * (extended-protocol Execute and simple Query messages) and round trips. A round trip is a flight of
 * writes on one connection after it has heard from the server: statements pipelined together (sent
 * before any answer came back) count once, as the wait they cost is one. Patches net.Socket's write,
 * so call it before the connections are opened.
 */
export async function wireCounter(port) {
  const net = await import("node:net");
  const counter = { on: false, statements: 0, roundTrips: 0 };
  const heard = new WeakMap();
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function (chunk, ...rest) {
    if (counter.on && this.remotePort === port && chunk && typeof chunk !== "string") {
      if (!heard.has(this)) this.on("data", () => heard.set(this, true));
      if (heard.get(this) !== false) counter.roundTrips++;
      heard.set(this, false);
      // Frontend messages: a type byte, then a 4-byte length that counts itself.
      for (let i = 0; i + 5 <= chunk.length; i += 1 + chunk.readInt32BE(i + 1)) {
        if (chunk[i] === 0x45 || chunk[i] === 0x51) counter.statements++;
      }
    }
    return write.call(this, chunk, ...rest);
  };
  return counter;
}
