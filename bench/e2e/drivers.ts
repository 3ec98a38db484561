// Load drivers: redis-benchmark (parsing its --csv output) or the TypeScript load generator
// (loadgen.ts, run as its own process). Both run pinned to the client CPU, one workload and
// one pipeline depth per invocation, so the harness can interleave targets finely.

import * as path from "node:path";
import type { LoadResult, LoadSpec } from "./loadgen.ts";
import { Control, ReplyError } from "./resp.ts";
import {
  engineCommand,
  pinned,
  readChildrenCpuSeconds,
  ROOT,
  runTracked,
  type Target,
  which,
} from "./targets.ts";
import { commandArgs, csvTitle, RAND, type Workload, type WorkloadOptions } from "./workloads.ts";

export interface RunSpec extends WorkloadOptions {
  workload: Workload;
  target: Target;
  clients: number;
  requests: number;
  pipeline: number;
  /** CPU for the load generator, or null for no pinning. */
  cpu: number | null;
  timeoutSec: number;
}

export interface RunResult {
  /** Requests per second of the workload's timed phase (0 on error). */
  rps: number;
  /** Seconds of the timed phase. */
  seconds: number;
  /**
   * CPU accounting of the run: wall seconds under load, requests served in them, and CPU
   * seconds the server and the driver process used meanwhile (null when unknown).
   */
  cpu: { seconds: number; requests: number; server: number | null; driver: number | null };
  error?: string;
}

export interface Driver {
  name: "redis-benchmark" | "ts";
  describe(): string;
  run(spec: RunSpec): Promise<RunResult>;
}

const failed = (error: string): RunResult => ({
  rps: 0,
  seconds: 0,
  cpu: { seconds: 0, requests: 0, server: null, driver: null },
  error,
});

/** b - a, or null when either reading failed. */
const delta = (a: number, b: number) => (a >= 0 && b >= 0 ? b - a : null);

/**
 * Send a workload's command once and return the server's error text, or null when it worked.
 * Catches missing commands cleanly before a load run (redis-benchmark would just exit).
 */
export async function preflight(
  target: Target,
  w: Workload,
  o: WorkloadOptions,
): Promise<string | null> {
  let c: Control;
  try {
    c = await Control.connect(target.port);
  } catch (e) {
    return `cannot connect: ${(e as Error).message}`;
  }
  try {
    // With -r the placeholder becomes 12 digits (a valid ZADD score, say); without, it stays.
    const sample = (a: string[] | null) =>
      a && o.keyspace > 0 ? a.map((x) => x.split(RAND).join("000000000000")) : a;
    const args = sample(commandArgs(w, o));
    const probe = async (a: string[] | null) => {
      const v = a ? await c.call(...a) : await c.raw(new TextEncoder().encode(`${w.inline}\r\n`));
      return v instanceof ReplyError ? v.message : null;
    };
    if (w.prepare) {
      const err = await probe(sample(commandArgs({ ...w, command: w.prepare }, o)));
      if (err) return err;
    }
    return await probe(args);
  } catch (e) {
    return (e as Error).message;
  } finally {
    c.close();
  }
}

// ---- redis-benchmark ----

/** Parse redis-benchmark --csv output into title -> requests per second. */
export function parseBenchmarkCsv(out: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of out.split("\n")) {
    const m = /^"([^"]*)","([0-9.]+)"/.exec(line.trim());
    if (m && m[1] !== "test") rows.set(m[1], Number(m[2]));
  }
  return rows;
}

export function redisBenchmarkDriver(): Driver {
  const bin = which("redis-benchmark");
  if (!bin) throw new Error("redis-benchmark is not installed (use --driver ts)");
  return {
    name: "redis-benchmark",
    describe: () => "redis-benchmark",
    async run(s: RunSpec): Promise<RunResult> {
      const args = [
        bin,
        "-h",
        "127.0.0.1",
        "-p",
        String(s.target.port),
        "-c",
        String(s.clients),
        "-n",
        String(s.requests),
        "-P",
        String(s.pipeline),
        "-d",
        String(s.datasize),
        "-t",
        s.workload.test,
        "--csv",
      ];
      if (s.keyspace > 0) args.push("-r", String(s.keyspace));
      const cpu0 = s.target.cpuSeconds();
      const drv0 = readChildrenCpuSeconds();
      const r = await runTracked(pinned(args, s.cpu), s.timeoutSec * 1000);
      const cpu1 = s.target.cpuSeconds();
      const drv1 = readChildrenCpuSeconds();
      if (r.timedOut) return failed(`redis-benchmark timed out after ${s.timeoutSec} s`);
      if (r.signal) return failed(`redis-benchmark was killed by ${r.signal}`);
      if (r.code !== 0) {
        const msg = (r.stderr.trim() || r.stdout.trim()).split("\n").filter((l) => l.trim()).pop();
        return failed(msg ?? `redis-benchmark exited with code ${r.code}`);
      }
      const rows = parseBenchmarkCsv(r.stdout);
      const rps = rows.get(csvTitle(s.workload));
      if (!rps) return failed(`no "${csvTitle(s.workload)}" row in redis-benchmark output`);
      // Every row (a prepare step included) kept the server busy: account for all of them.
      let seconds = 0;
      for (const v of rows.values()) seconds += s.requests / v;
      return {
        rps,
        seconds: s.requests / rps,
        cpu: {
          seconds,
          requests: s.requests * rows.size,
          server: delta(cpu0, cpu1),
          driver: delta(drv0, drv1),
        },
      };
    },
  };
}

// ---- the TypeScript load generator ----

const LOADGEN = path.join(ROOT, "bench", "e2e", "loadgen.ts");

export function tsDriver(engine: "bun" | "deno"): Driver {
  const base = engineCommand(engine, LOADGEN);
  const once = async (s: RunSpec, spec: LoadSpec): Promise<LoadResult | { fatal: string }> => {
    const r = await runTracked(
      pinned([...base, JSON.stringify(spec)], s.cpu),
      (s.timeoutSec + 30) * 1000,
    );
    if (r.timedOut) return { fatal: `load generator timed out after ${s.timeoutSec} s` };
    const last = r.stdout.trim().split("\n").pop() ?? "";
    try {
      return JSON.parse(last);
    } catch {
      return {
        fatal: `load generator failed (code ${r.code}): ${
          (r.stderr || r.stdout).trim().slice(-500)
        }`,
      };
    }
  };
  return {
    name: "ts",
    describe: () => `TypeScript load generator on ${engine}`,
    async run(s: RunSpec): Promise<RunResult> {
      const w = s.workload;
      const spec: LoadSpec = {
        port: s.target.port,
        clients: s.clients,
        requests: s.requests,
        pipeline: s.pipeline,
        keyspace: s.keyspace,
        timeoutSec: s.timeoutSec,
        serverPid: s.target.pid,
      };
      if (w.prepare) {
        const prep = await once(s, {
          ...spec,
          command: commandArgs({ ...w, command: w.prepare }, s)!,
        });
        if ("fatal" in prep) return failed(prep.fatal);
        if (prep.firstError) return failed(prep.firstError);
      }
      const args = commandArgs(w, s);
      const r = await once(s, args ? { ...spec, command: args } : { ...spec, inline: w.inline });
      if ("fatal" in r) return failed(r.fatal);
      if (r.firstError) return failed(r.firstError);
      // The generator measured both CPUs over its timed phase only (start-up excluded).
      return {
        rps: r.rps,
        seconds: r.seconds,
        cpu: {
          seconds: r.seconds,
          requests: r.requests,
          server: r.serverCpu === null ? null : (r.serverCpu / 100) * r.seconds,
          driver: (r.loadgenCpu / 100) * r.seconds,
        },
      };
    },
  };
}
