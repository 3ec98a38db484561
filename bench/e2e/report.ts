// Result tables for the end-to-end benchmarks: medians over rounds, ops/s per target, the
// ratio of each target to redis-server, and the CPU each server used. Pure functions.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length & 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Thousands-separated integer ("123,456"). */
export function fmtInt(n: number): string {
  if (!Number.isFinite(n)) return "-";
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function fmtBytes(n: number): string {
  if (n < 0 || !Number.isFinite(n)) return "-";
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Render rows as an aligned text table; the first column is left-aligned, others right. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ").trimEnd();
  return [line(header), line(w.map((n) => "-".repeat(n))), ...rows.map(line)].join("\n");
}

/** CPU use of one run: % of one core and CPU microseconds per request (null when unknown). */
export interface CpuUse {
  serverPct: number | null;
  serverUsPerOp: number | null;
  driverPct: number | null;
  driverUsPerOp: number | null;
}

/** CpuUse from CPU seconds used over `seconds` of load serving `requests` requests. */
export function cpuUse(
  c: { seconds: number; requests: number; server: number | null; driver: number | null },
): CpuUse {
  const pct = (v: number | null) => (v === null || c.seconds <= 0 ? null : (v / c.seconds) * 100);
  const us = (v: number | null) => (v === null || c.requests <= 0 ? null : (v / c.requests) * 1e6);
  return {
    serverPct: pct(c.server),
    serverUsPerOp: us(c.server),
    driverPct: pct(c.driver),
    driverUsPerOp: us(c.driver),
  };
}

/** One measured cell: a workload at a pipeline depth against a target. */
export interface Cell {
  workload: string;
  pipeline: number;
  target: string;
  /** ops/s of each round. */
  samples: number[];
  /** CPU use in each round. */
  cpu: CpuUse[];
  error: string | null;
}

export function cellMedian(c: Cell | undefined): number {
  return c && !c.error ? median(c.samples) : NaN;
}

function cpuMedian(c: Cell, f: keyof CpuUse): number {
  return median(c.cpu.map((u) => u[f]).filter((x): x is number => x !== null));
}

/**
 * The ops/s table: one row per workload and pipeline, one column per target, then the ratio
 * of every other target to `baseline` (redis) when it ran. Errors show as "error [n]" with the
 * messages listed below the table.
 */
export function opsTable(
  cells: readonly Cell[],
  workloads: readonly string[],
  pipelines: readonly number[],
  targets: readonly string[],
  baseline = "redis",
): string {
  const errors: string[] = [];
  const errRef = (msg: string) => {
    let i = errors.indexOf(msg);
    if (i < 0) i = errors.push(msg) - 1;
    return `error [${i + 1}]`;
  };
  const others = targets.includes(baseline) ? targets.filter((t) => t !== baseline) : [];
  const header = [
    "test",
    "P",
    ...targets.map((t) => `${t} ops/s`),
    ...others.map((t) => `${t}/${baseline}`),
  ];
  const rows: string[][] = [];
  const find = (w: string, p: number, t: string) =>
    cells.find((c) => c.workload === w && c.pipeline === p && c.target === t);
  for (const w of workloads) {
    for (const p of pipelines) {
      const row = [w, String(p)];
      for (const t of targets) {
        const c = find(w, p, t);
        row.push(!c ? "-" : c.error ? errRef(c.error) : fmtInt(cellMedian(c)));
      }
      const base = cellMedian(find(w, p, baseline));
      for (const t of others) {
        const v = cellMedian(find(w, p, t));
        row.push(
          Number.isFinite(v) && Number.isFinite(base) && base > 0 ? (v / base).toFixed(2) : "-",
        );
      }
      rows.push(row);
    }
  }
  let out = table(header, rows);
  if (errors.length) out += "\n\n" + errors.map((e, i) => `[${i + 1}] ${e}`).join("\n");
  return out;
}

/**
 * CPU per cell (medians over rounds): the server's and the load driver's share of a core during
 * the runs, and the CPU microseconds each spent per request. A server near 100% was the
 * bottleneck; per-request costs do not depend on how busy the machine was, so a driver
 * cheaper per request than the server can saturate it when each has a core of its own.
 */
export function cpuTable(
  cells: readonly Cell[],
  workloads: readonly string[],
  pipelines: readonly number[],
  targets: readonly string[],
): string {
  const header = [
    "test",
    "P",
    "target",
    "ops/s",
    "server cpu%",
    "server us/op",
    "driver cpu%",
    "driver us/op",
  ];
  const rows: string[][] = [];
  const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "-");
  const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "-");
  for (const w of workloads) {
    for (const p of pipelines) {
      for (const t of targets) {
        const c = cells.find((c) => c.workload === w && c.pipeline === p && c.target === t);
        if (!c || c.error) continue;
        rows.push([
          w,
          String(p),
          t,
          fmtInt(cellMedian(c)),
          f0(cpuMedian(c, "serverPct")),
          f2(cpuMedian(c, "serverUsPerOp")),
          f0(cpuMedian(c, "driverPct")),
          f2(cpuMedian(c, "driverUsPerOp")),
        ]);
      }
    }
  }
  return table(header, rows);
}
