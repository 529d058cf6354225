// Readings of a route taken in several rounds, and their summary: the median and the spread of requests/s, and
// the medians of latency and CPU per request. One reading is one autocannon run of BENCH_DURATION seconds.
import os from "node:os";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The summary of one route's readings (at least one). `pg` is null when there is no PostgreSQL to meter. */
export function summarise(readings) {
  const rps = readings.map((r) => r.rps);
  const med = median(rps);
  const pgs = readings.map((r) => r.pg).filter((p) => p !== null);
  return {
    name: readings[0].name,
    path: readings[0].path,
    rps: med,
    min: Math.min(...rps),
    max: Math.max(...rps),
    /** (max − min) / median, in per cent: how far apart the rounds were. */
    spread: med > 0 ? ((Math.max(...rps) - Math.min(...rps)) / med) * 100 : 0,
    p50: median(readings.map((r) => r.p50)),
    p99: median(readings.map((r) => r.p99)),
    cpu: median(readings.map((r) => r.cpu)),
    pg: pgs.length ? median(pgs) : null,
    /** The bench process's own CPU (autocannon's load generation), per cent of one core, median. */
    loader: median(readings.map((r) => r.loader)),
    loaderMax: Math.max(...readings.map((r) => r.loader)),
    /** The loader's CPU ms per request, median. */
    loaderCpu: median(readings.map((r) => r.loaderCpu)),
    rounds: readings.length,
  };
}

/** The 1-, 5- and 15-minute load averages, as printed. */
export function loadAverage() {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
}
