// Memory benchmark: load the same data set into redis-server and into our server under Bun and
// under Deno, and report bytes per key (or per element) from RSS and from INFO used_memory,
// with the allocator fragmentation ratios and load time. Datasets:
//   strings  N keys "key:%010d" with 16-byte values (the arena memory issue's benchmark)
//   hashes   100k hashes of 10 small fields          sets   1M small integers, 512 per set
//   zsets    100k sorted sets of 100 members
//   bun bench/e2e/memory.ts --dataset strings --keys 1000000,10000000
//   deno run -A bench/e2e/memory.ts --dataset hashes,sets,zsets

import * as net from "node:net";
import process from "node:process";
import { parseArgs } from "node:util";
import { fmtBytes, fmtInt } from "./report.ts";
import { Control } from "./resp.ts";
import { freePort, onInterrupt, startTarget, type Target, TARGET_NAMES, type TargetName, TARGETS } from "./targets.ts";

const HELP = `Usage: bun bench/e2e/memory.ts [options]    (or: deno run -A bench/e2e/memory.ts)

  --dataset LIST   strings,hashes,sets,zsets (default: strings)
  --keys LIST      key counts for the strings dataset (default: 1000000)
  --targets LIST   bun,deno,redis (default: all installed)
  --port N         first port to try (default: 7380)
  --purge          send MEMORY PURGE to every target before reading RSS (releases retained
                   allocator pages; on our server it also runs a full GC)
  --cold           measure "empty" on a fresh server; by default every target first runs the
                   data set's first batch and FLUSHALLs it, so code warm-up (JIT compiled
                   code, first pools) is in the baseline and the difference is the data
  --warm-full      warm up with the whole data set (load, FLUSHALL) instead of its first
                   batch: optimising JIT compilers run only after many commands and keep a
                   few MB of code and compiler memory, a one-time cost that otherwise lands
                   in the "per element" figure of a small data set (Deno runs with a fixed
                   glibc mmap threshold, see targets.ts, or its freed chunks would be reused
                   and the second load would add ~0 RSS)
  --scale N        multiply the collection datasets by N (default 1: the sizes above); the
                   sets dataset is only ~5 MB, so at 1 the runtimes' heap noise (a few MB of
                   JS heap grown or returned during the load) weighs in its RSS figure
  --json FILE      write the results as JSON
  -h, --help`;

/** One RESP command per element of a dataset; `units` is what "per" counts. */
interface Dataset {
  name: string;
  units: number;
  unitName: string;
  /** Commands in batches; every command gets exactly one single-line reply. */
  batches(): Generator<Uint8Array>;
}

const enc = new TextEncoder();

function mbulk(parts: string[], out: string[]): void {
  out.push(`*${parts.length}\r\n`);
  for (const p of parts) out.push(`$${p.length}\r\n${p}\r\n`);
}

function* batched(count: number, perBatch: number, make: (i: number, out: string[]) => void): Generator<Uint8Array> {
  for (let i = 0; i < count; i += perBatch) {
    const out: string[] = [];
    for (let j = i; j < Math.min(count, i + perBatch); j++) make(j, out);
    yield enc.encode(out.join(""));
  }
}

const VALUE16 = "v".repeat(16);

function datasets(keys: number): Dataset[] {
  return [
    {
      name: `strings-${keys}`,
      units: keys,
      unitName: "key",
      batches: () =>
        batched(keys, 10000, (i, out) => mbulk(["SET", `key:${String(i).padStart(10, "0")}`, VALUE16], out)),
    },
  ];
}

/** A count for a dataset name: 100k, 1M, 2.5M. */
function countName(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}

/**
 * The collection datasets; `scale` multiplies the number of hashes, set members and zsets (the
 * shapes stay the same), so the data can outweigh the runtimes' own heap movements.
 */
function collections(scale: number): Record<string, Dataset> {
  const hashes = 100_000 * scale;
  const members = 1_000_000 * scale;
  const zsets = 100_000 * scale;
  return {
    hashes: {
      name: `hashes-${countName(hashes)}-x10`,
      units: hashes,
      unitName: "hash",
      batches: () =>
        batched(hashes, 2000, (i, out) => {
          const args = ["HSET", `hash:${String(i).padStart(8, "0")}`];
          for (let f = 0; f < 10; f++) args.push(`field${f}`, `value${f}-${i % 1000}`);
          mbulk(args, out);
        }),
    },
    sets: {
      name: `sets-${countName(members)}-ints-x512`,
      units: members,
      unitName: "member",
      batches: () =>
        batched(Math.ceil(members / 512), 50, (i, out) => {
          const args = ["SADD", `set:${String(i).padStart(6, "0")}`];
          for (let k = i * 512; k < Math.min(members, (i + 1) * 512); k++) args.push(String(k));
          mbulk(args, out);
        }),
    },
    zsets: {
      name: `zsets-${countName(zsets)}-x100`,
      units: zsets,
      unitName: "zset",
      batches: () =>
        batched(zsets, 500, (i, out) => {
          const args = ["ZADD", `zset:${String(i).padStart(8, "0")}`];
          for (let k = 0; k < 100; k++) args.push(String(k * 3 + (i % 7)), `member:${k}`);
          mbulk(args, out);
        }),
    },
  };
}

/** Send every batch (or only the first `limit`), waiting for its replies before the next. */
function load(port: number, ds: Dataset, limit = Infinity): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ port, host: "127.0.0.1" });
    const it = ds.batches();
    let sent = 0;
    let expected = 0;
    let seen = 0;
    let errors = "";
    const next = () => {
      const r = sent++ < limit ? it.next() : { done: true as const, value: undefined };
      if (r.done) {
        sock.end();
        if (errors) reject(new Error(`Server errors while loading: ${errors.slice(0, 300)}`));
        else resolve();
        return;
      }
      // every command in a batch starts with '*'
      let n = 0;
      for (let i = 0; i < r.value.length; i++) {
        if (r.value[i] === 42 && (i === 0 || r.value[i - 1] === 10)) n++;
      }
      expected += n;
      sock.write(r.value);
    };
    sock.on("connect", next);
    sock.on("data", (d: Uint8Array) => {
      for (let i = 0; i < d.length; i++) {
        if (d[i] === 10) seen++;
        if (d[i] === 45 && errors.length < 300) errors += String.fromCharCode(...d.subarray(i, Math.min(d.length, i + 80)));
      }
      if (seen === expected) next();
    });
    sock.on("error", reject);
  });
}

interface Row {
  target: TargetName;
  dataset: string;
  units: number;
  unitName: string;
  rssEmpty: number;
  rssLoaded: number;
  anonEmpty: number;
  anonLoaded: number;
  usedEmpty: number;
  usedLoaded: number;
  loadSeconds: number;
  fragRatio: string;
  allocFrag: string;
  allocRss: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function purge(t: Target): Promise<void> {
  return command(t, "MEMORY", "PURGE");
}

async function command(t: Target, ...args: string[]): Promise<void> {
  const c = await Control.connect(t.port);
  try {
    await c.call(...args);
  } finally {
    c.close();
  }
}

async function measure(
  t: Target,
  ds: Dataset,
  doPurge: boolean,
  warm: "none" | "batch" | "full",
): Promise<Row> {
  if (warm !== "none") {
    await load(t.port, ds, warm === "full" ? Infinity : 1);
    await command(t, "FLUSHALL", "SYNC");
  }
  await sleep(1000);
  if (doPurge) await purge(t);
  const rssEmpty = t.rss();
  const anonEmpty = t.rssAnon();
  const used0 = Number((await t.info("memory")).get("used_memory") ?? 0);
  const t0 = performance.now();
  await load(t.port, ds);
  const loadSeconds = (performance.now() - t0) / 1000;
  await sleep(2000);
  if (doPurge) {
    await purge(t);
    await sleep(500);
  }
  const mem = await t.info("memory");
  return {
    target: t.name,
    dataset: ds.name,
    units: ds.units,
    unitName: ds.unitName,
    rssEmpty,
    rssLoaded: t.rss(),
    anonEmpty,
    anonLoaded: t.rssAnon(),
    usedEmpty: used0,
    usedLoaded: Number(mem.get("used_memory") ?? 0),
    loadSeconds,
    fragRatio: mem.get("mem_fragmentation_ratio") ?? "-",
    allocFrag: mem.get("allocator_frag_ratio") ?? "-",
    allocRss: mem.get("allocator_rss_ratio") ?? "-",
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      dataset: { type: "string", default: "strings" },
      keys: { type: "string", default: "1000000" },
      targets: { type: "string" },
      port: { type: "string", default: "7380" },
      json: { type: "string" },
      purge: { type: "boolean" },
      cold: { type: "boolean" },
      "warm-full": { type: "boolean" },
      scale: { type: "string", default: "1" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const targets = (values.targets?.split(",") ?? TARGET_NAMES).filter((n) =>
    TARGETS[n as TargetName]?.unavailable() === null
  ) as TargetName[];
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`--scale must be a positive integer`);
  const COLLECTIONS = collections(scale);
  const sets: Dataset[] = [];
  for (const d of values.dataset!.split(",")) {
    if (d === "strings") for (const k of values.keys!.split(",")) sets.push(...datasets(Number(k)));
    else if (COLLECTIONS[d]) sets.push(COLLECTIONS[d]);
    else throw new Error(`Unknown dataset "${d}"`);
  }
  const running: Target[] = [];
  onInterrupt(async () => {
    for (const t of running) await t.stop();
  });
  const rows: Row[] = [];
  const taken = new Set<number>();
  for (const ds of sets) {
    for (const name of targets) {
      const port = await freePort(Number(values.port), Number(values.port) + 100, taken);
      const t = await startTarget(name, { port, cpu: null });
      running.push(t);
      try {
        const warm = values.cold ? "none" : values["warm-full"] ? "full" : "batch";
        const row = await measure(t, ds, values.purge === true, warm);
        rows.push(row);
        const per = (row.rssLoaded - row.rssEmpty) / row.units;
        console.log(
          `${ds.name.padEnd(20)} ${name.padEnd(6)} rss/${row.unitName} ${per.toFixed(1).padStart(8)}  ` +
            `anon/${row.unitName} ${((row.anonLoaded - row.anonEmpty) / row.units).toFixed(1).padStart(8)}  ` +
            `used_memory/${row.unitName} ${((row.usedLoaded - row.usedEmpty) / row.units).toFixed(1).padStart(8)}  ` +
            `rss ${fmtBytes(row.rssLoaded)}  load ${row.loadSeconds.toFixed(1)}s  ` +
            `frag ${row.fragRatio} alloc_frag ${row.allocFrag} alloc_rss ${row.allocRss}`,
        );
      } finally {
        await t.stop();
        running.splice(running.indexOf(t), 1);
      }
    }
  }
  console.log("\nratio to redis (RSS bytes per unit; in brackets RssAnon, without file-backed pages):");
  for (const ds of sets) {
    const r = rows.find((x) => x.dataset === ds.name && x.target === "redis");
    for (const x of rows.filter((x) => x.dataset === ds.name && x.target !== "redis")) {
      const mine = (x.rssLoaded - x.rssEmpty) / x.units;
      const ref = r ? (r.rssLoaded - r.rssEmpty) / r.units : NaN;
      const anon = (x.anonLoaded - x.anonEmpty) / x.units;
      const refAnon = r ? (r.anonLoaded - r.anonEmpty) / r.units : NaN;
      console.log(
        `${ds.name.padEnd(20)} ${x.target.padEnd(6)} ${(mine / ref).toFixed(2)}x  ` +
          `(${fmtInt(Math.round(mine))} vs ${fmtInt(Math.round(ref))} bytes)  ` +
          `[anon ${(anon / refAnon).toFixed(2)}x]`,
      );
    }
  }
  if (values.json) {
    const fs = await import("node:fs");
    fs.writeFileSync(values.json, JSON.stringify(rows, null, 2));
  }
}

await main();
