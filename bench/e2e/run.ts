// End-to-end load benchmark: our server under Bun and under Deno against redis-server 7.0, all
// pinned to one CPU (taskset -c 0) while the load generator runs on another (taskset -c 1);
// redis-benchmark's workloads, targets interleaved run by run so machine noise hits them alike,
// median over rounds, ops/s per target and the ratio to redis-server.
//   deno task bench [-- options]        npm run bench [-- options]
//   deno run -A bench/e2e/run.ts [options]   bun bench/e2e/run.ts [options]
// See bench/README.md, or --help.

import * as fs from "node:fs";
import * as os from "node:os";
import process from "node:process";
import { parseArgs } from "node:util";
import { type Driver, preflight, redisBenchmarkDriver, type RunSpec, tsDriver } from "./drivers.ts";
import { type Cell, cpuTable, cpuUse, fmtBytes, fmtInt, median, opsTable } from "./report.ts";
import {
  currentEngine,
  engineBinary,
  freePort,
  onInterrupt,
  startTarget,
  type Target,
  TARGET_NAMES,
  type TargetName,
  TARGETS,
  tasksetPath,
  versionOf,
  wasInterrupted,
  which,
} from "./targets.ts";
import { DEFAULT_TESTS, selectWorkloads, type Workload } from "./workloads.ts";

const HELP = `Usage: bun bench/e2e/run.ts [options]    (or: deno run -A bench/e2e/run.ts [options])

  --tests LIST        workloads, redis-benchmark -t names (default: ${DEFAULT_TESTS.join(",")})
  --requests LIST     requests per run, like redis-benchmark -n: one number for every pipeline
                      depth, or one per --pipeline entry (default: 100000 at P=1, 1000000 at
                      deeper pipelines, so pipelined runs last long enough to measure)
  --clients N         concurrent connections, like -c (default: 50)
  --pipeline LIST     pipeline depths, like -P (default: 1,16)
  --keyspace N        random keys in [0, N), like -r; 0 = one fixed key as redis-benchmark
                      does without -r (default: 0)
  --datasize N        value size in bytes, like -d (default: 3)
  --targets LIST      bun,deno,redis (default: all that are installed)
  --driver NAME       redis-benchmark | ts (default: redis-benchmark when installed)
  --loadgen-engine E  bun | deno: engine for the ts driver (default: bun when installed)
  --rounds N          repeat every run N times, report the median (default: 3)
  --warmup N          untimed requests per workload, pipeline and target before round 1
                      (default: 50000, capped at the smallest --requests; 0 = none)
  --json FILE         also write every sample and the metadata to FILE
  --port N            first port to try for the targets (default: 7300)
  --server-cpu N      CPU the servers are pinned to (default: 0)
  --client-cpu N      CPU the load generator is pinned to (default: 1)
  --no-pin            do not pin anything
  --timeout SEC       give up on a single run after SEC seconds (default: 300)
  -h, --help          this text`;

interface Options {
  workloads: Workload[];
  /** Requests per run, by pipeline depth. */
  requests: Map<number, number>;
  clients: number;
  pipelines: number[];
  keyspace: number;
  datasize: number;
  targets: TargetName[];
  driver: Driver;
  rounds: number;
  warmup: number;
  json: string | null;
  port: number;
  serverCpu: number | null;
  clientCpu: number | null;
  timeoutSec: number;
}

function fail(msg: string): never {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

function posInt(name: string, v: string | undefined, def: number, min = 1): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

function list(v: string | undefined): string[] | null {
  return v === undefined ? null : v.split(",").map((s) => s.trim()).filter(Boolean);
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        tests: { type: "string" },
        requests: { type: "string" },
        clients: { type: "string" },
        pipeline: { type: "string" },
        keyspace: { type: "string" },
        datasize: { type: "string" },
        targets: { type: "string" },
        driver: { type: "string" },
        "loadgen-engine": { type: "string" },
        rounds: { type: "string" },
        warmup: { type: "string" },
        json: { type: "string" },
        port: { type: "string" },
        "server-cpu": { type: "string" },
        "client-cpu": { type: "string" },
        "no-pin": { type: "boolean" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  let workloads: Workload[];
  try {
    workloads = selectWorkloads(list(values.tests) ?? DEFAULT_TESTS);
  } catch (e) {
    fail((e as Error).message);
  }
  if (workloads.length === 0) fail("--tests selects nothing");
  const pipelines = [
    ...new Set((list(values.pipeline) ?? ["1", "16"]).map((p) => posInt("pipeline", p, 1))),
  ];

  let targets: TargetName[];
  const asked = list(values.targets);
  if (asked) {
    for (const t of asked) {
      if (!(TARGET_NAMES as readonly string[]).includes(t)) {
        fail(`unknown target "${t}" (bun, deno, redis)`);
      }
      const why = TARGETS[t as TargetName].unavailable();
      if (why) fail(`target ${t}: ${why}`);
    }
    targets = [...new Set(asked as TargetName[])];
  } else {
    targets = TARGET_NAMES.filter((t) => {
      const why = TARGETS[t].unavailable();
      if (why) console.error(`bench: skipping target ${t}: ${why}`);
      return !why;
    });
  }
  if (targets.length === 0) fail("no target to run");
  if (values.json) {
    try {
      fs.closeSync(fs.openSync(values.json, "a")); // fail now, not after the whole run
    } catch (e) {
      fail(`--json: ${(e as Error).message}`);
    }
  }

  // Bun's sockets make the cheaper generator (fewer CPU microseconds per request): prefer it.
  const engine = values["loadgen-engine"] ?? (engineBinary("bun") ? "bun" : currentEngine());
  if (engine !== "bun" && engine !== "deno") fail(`--loadgen-engine must be bun or deno`);
  const driverName = values.driver ?? (which("redis-benchmark") ? "redis-benchmark" : "ts");
  let driver: Driver;
  if (driverName === "redis-benchmark") {
    try {
      driver = redisBenchmarkDriver();
    } catch (e) {
      fail((e as Error).message);
    }
  } else if (driverName === "ts") {
    driver = tsDriver(engine);
  } else {
    fail(`--driver must be redis-benchmark or ts, got "${driverName}"`);
  }

  const pin = !values["no-pin"] && tasksetPath() !== null;
  if (!values["no-pin"] && !pin) {
    console.error("bench: taskset or a second CPU is missing: not pinning");
  }
  const reqList = (list(values.requests) ?? []).map((r) => posInt("requests", r, 0));
  if (reqList.length > 1 && reqList.length !== pipelines.length) {
    fail(`--requests has ${reqList.length} entries but --pipeline has ${pipelines.length}`);
  }
  const requests = new Map<number, number>();
  pipelines.forEach((p, i) => {
    requests.set(
      p,
      reqList.length === 0
        ? (p === 1 ? 100_000 : 1_000_000)
        : reqList[reqList.length === 1 ? 0 : i],
    );
  });
  return {
    workloads,
    requests,
    clients: posInt("clients", values.clients, 50),
    pipelines,
    keyspace: posInt("keyspace", values.keyspace, 0, 0),
    datasize: posInt("datasize", values.datasize, 3),
    targets,
    driver,
    rounds: posInt("rounds", values.rounds, 3),
    warmup: posInt("warmup", values.warmup, Math.min(50_000, ...requests.values()), 0),
    json: values.json ?? null,
    port: posInt("port", values.port, 7300),
    serverCpu: pin ? posInt("server-cpu", values["server-cpu"], 0, 0) : null,
    clientCpu: pin ? posInt("client-cpu", values["client-cpu"], 1, 0) : null,
    timeoutSec: posInt("timeout", values.timeout, 300),
  };
}

/** Targets in a rotating order, so no target always runs first (or right after another). */
function rotate<T>(xs: readonly T[], k: number): T[] {
  const n = xs.length;
  return xs.map((_, i) => xs[(i + k) % n]);
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const names = o.workloads.map((w) => w.name);
  const desc = [
    `driver: ${o.driver.describe()}`,
    `${o.clients} clients`,
    `${o.pipelines.map((p) => `${fmtInt(o.requests.get(p)!)}`).join("/")} requests per run`,
    `pipeline ${o.pipelines.join(",")}`,
    o.keyspace > 0 ? `random keys over ${fmtInt(o.keyspace)} (-r)` : "one fixed key (no -r)",
    `${o.datasize}-byte values`,
    `${o.rounds} round${o.rounds > 1 ? "s" : ""} (median)`,
    o.serverCpu !== null
      ? `servers on CPU ${o.serverCpu}, load on CPU ${o.clientCpu}`
      : "not pinned",
  ].join(", ");
  console.error(`bench: ${desc}`);

  const started: Target[] = [];
  const startErrors = new Map<TargetName, string>();
  // Target.stop() is idempotent: the signal handler and the normal exit path may both call this.
  const stopAll = async () => {
    await Promise.all(started.map((t) => t.stop()));
  };
  onInterrupt(stopAll);

  const cells: Cell[] = [];
  const cellOf = new Map<string, Cell>();
  const key = (w: string, p: number, t: string) => `${w}|${p}|${t}`;
  for (const w of names) {
    for (const p of o.pipelines) {
      for (const t of o.targets) {
        const c: Cell = { workload: w, pipeline: p, target: t, samples: [], cpu: [], error: null };
        cells.push(c);
        cellOf.set(key(w, p, t), c);
      }
    }
  }
  const targetInfo: Record<string, unknown>[] = [];

  try {
    // ---- start every target ----
    const taken = new Set<number>();
    for (const name of o.targets) {
      const port = await freePort(o.port, o.port + 100, taken);
      try {
        const t = await startTarget(name, { port, cpu: o.serverCpu });
        started.push(t);
        if (wasInterrupted()) return 130;
        console.error(`bench: ${name} listening on ${port} (pid ${t.pid})`);
      } catch (e) {
        startErrors.set(name, (e as Error).message.split("\n")[0]);
        console.error(`bench: ${name} failed to start: ${(e as Error).message}`);
      }
    }
    const live = () =>
      o.targets.map((n) => started.find((t) => t.name === n)).filter((t): t is Target => !!t);
    for (const [name, err] of startErrors) {
      for (const c of cells) if (c.target === name) c.error = `failed to start: ${err}`;
    }

    // ---- preflight: a missing command is reported for its cells, not run ----
    for (const t of live()) {
      for (const w of o.workloads) {
        const err = await preflight(t, w, o);
        if (err === null) continue;
        console.error(`bench: ${w.name} on ${t.name}: ${err}`);
        for (const p of o.pipelines) cellOf.get(key(w.name, p, t.name))!.error = err;
      }
    }

    const spec = (w: Workload, t: Target, p: number, requests: number): RunSpec => ({
      workload: w,
      target: t,
      clients: o.clients,
      requests,
      pipeline: p,
      keyspace: o.keyspace,
      datasize: o.datasize,
      cpu: o.clientCpu,
      timeoutSec: o.timeoutSec,
    });

    // ---- warm-up (JIT tiers, table growth): untimed ----
    if (o.warmup > 0) {
      for (const t of live()) {
        for (const w of o.workloads) {
          for (const p of o.pipelines) {
            if (wasInterrupted()) return 130;
            if (cellOf.get(key(w.name, p, t.name))!.error) continue;
            const r = await o.driver.run(spec(w, t, p, o.warmup));
            if (wasInterrupted()) return 130;
            if (r.error) console.error(`bench: warm-up ${w.name} P=${p} on ${t.name}: ${r.error}`);
          }
        }
      }
    }

    // ---- timed rounds, targets interleaved run by run ----
    let k = 0;
    for (let round = 1; round <= o.rounds; round++) {
      for (const w of o.workloads) {
        for (const p of o.pipelines) {
          for (const t of rotate(live(), k++)) {
            if (wasInterrupted()) return 130;
            const c = cellOf.get(key(w.name, p, t.name))!;
            if (c.error) continue;
            if (t.exited()) {
              c.error = `${t.name} server exited: ${t.log().split("\n").slice(-3).join(" | ")}`;
              continue;
            }
            const r = await o.driver.run(spec(w, t, p, o.requests.get(p)!));
            if (wasInterrupted()) return 130; // the run failed because its server was stopped
            if (r.error) {
              c.error = r.error;
              console.error(`bench: [${round}/${o.rounds}] ${w.name} P=${p} ${t.name}: ${r.error}`);
              continue;
            }
            const u = cpuUse(r.cpu);
            c.samples.push(r.rps);
            c.cpu.push(u);
            const pct = (v: number | null) => (v === null ? "?" : `${v.toFixed(0)}%`);
            console.error(
              `bench: [${round}/${o.rounds}] ${w.name} P=${p} ${t.name}: ${fmtInt(r.rps)} ops/s` +
                ` in ${r.seconds.toFixed(2)} s (cpu: server ${pct(u.serverPct)}, driver ${
                  pct(u.driverPct)
                })`,
            );
          }
        }
      }
    }

    // ---- memory after the runs ----
    for (const t of live()) {
      const info: Record<string, unknown> = { name: t.name, port: t.port, rss: t.rss() };
      try {
        const m = await t.info("memory");
        info.usedMemory = Number(m.get("used_memory"));
      } catch (e) {
        info.infoError = (e as Error).message;
      }
      targetInfo.push(info);
    }
  } finally {
    await stopAll();
  }

  // ---- report ----
  console.log(`\n${desc}\n`);
  console.log(opsTable(cells, names, o.pipelines, o.targets));
  console.log(
    "\nCPU during the runs (medians): % of one core, and CPU microseconds per request. A server" +
      " near 100%\nwas the bottleneck. A driver with fewer us/op than the server can saturate it" +
      " on a core of its own.\n",
  );
  console.log(cpuTable(cells, names, o.pipelines, o.targets));
  if (targetInfo.length) {
    console.log(
      "\nAfter the runs: " +
        targetInfo.map((i) =>
          `${i.name} RSS ${fmtBytes(i.rss as number)}` +
          (i.usedMemory !== undefined
            ? `, used_memory ${fmtBytes(i.usedMemory as number)}`
            : " (no INFO)")
        ).join("; "),
    );
  }

  if (o.json) {
    const versions: Record<string, string | null> = {};
    for (const t of o.targets) versions[t] = TARGETS[t].version();
    if (o.driver.name === "redis-benchmark") {
      versions["redis-benchmark"] = versionOf("redis-benchmark");
    }
    const doc = {
      date: new Date().toISOString(),
      host: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, platform: os.platform() },
      harnessEngine: currentEngine(),
      versions,
      options: {
        tests: o.workloads.map((w) => w.test),
        requests: Object.fromEntries(o.requests),
        clients: o.clients,
        pipelines: o.pipelines,
        keyspace: o.keyspace,
        datasize: o.datasize,
        targets: o.targets,
        driver: o.driver.describe(),
        rounds: o.rounds,
        warmup: o.warmup,
        serverCpu: o.serverCpu,
        clientCpu: o.clientCpu,
      },
      results: cells.map((c) => ({
        ...c,
        median: c.error ? null : median(c.samples),
        ratioToRedis: c.error || c.target === "redis" ? null : (() => {
          const base = cellOf.get(key(c.workload, c.pipeline, "redis"));
          return base && !base.error ? median(c.samples) / median(base.samples) : null;
        })(),
      })),
      targets: targetInfo,
    };
    fs.writeFileSync(o.json, JSON.stringify(doc, null, 2) + "\n");
    console.error(`bench: wrote ${o.json}`);
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`bench: ${(e as Error).stack ?? e}`);
}
process.exit(code);
