// Tail-latency benchmark: redis-benchmark GET at pipeline 1 against a server holding a small
// keyspace and against the same server holding a big one (10M keys by default). A server whose
// garbage collector walks the data shows it as a fatter p99.9 with the big keyspace; the arena
// keeps keys out of the JS heap, so the two should match. Runs alternate small/big per round.
//   bun bench/e2e/latency.ts [--keys 10000000] [--small 1000] [--targets bun,deno,redis]

import * as net from "node:net";
import process from "node:process";
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { freePort, onInterrupt, pinned, startTarget, type Target, TARGET_NAMES, type TargetName, TARGETS } from "./targets.ts";

const enc = new TextEncoder();

/** Load keys "key:%012d" (redis-benchmark's -r naming) with 3-byte values, pipelined. */
function loadKeys(port: number, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ port, host: "127.0.0.1" });
    let i = 0;
    let expected = 0;
    let seen = 0;
    const batch = () => {
      if (i >= n) {
        sock.end();
        resolve();
        return;
      }
      const parts: string[] = [];
      const end = Math.min(n, i + 20000);
      for (; i < end; i++) {
        const k = `key:${String(i).padStart(12, "0")}`;
        parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$3\r\nxxx\r\n`);
      }
      expected += parts.length;
      sock.write(enc.encode(parts.join("")));
    };
    sock.on("connect", batch);
    sock.on("data", (d: Uint8Array) => {
      for (let j = 0; j < d.length; j++) if (d[j] === 10) seen++;
      if (seen === expected) batch();
    });
    sock.on("error", reject);
  });
}

/** Run redis-benchmark GET and return [ops/s, p50 ms, p99 ms, p99.9 ms]. */
function benchGet(port: number, keyspace: number, requests: number, cpu: number | null): number[] {
  const cmd = pinned([
    "redis-benchmark", "-p", String(port), "-c", "50", "-n", String(requests), "-t", "get",
    "-r", String(keyspace),
  ], cpu);
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: "utf8", maxBuffer: 64 << 20 });
  const out = r.stdout ?? "";
  const pct = (p: number) => {
    const re = /^\s*([\d.]+)% <= ([\d.]+) milliseconds/gm;
    let m: RegExpExecArray | null;
    while ((m = re.exec(out)) !== null) if (Number(m[1]) >= p) return Number(m[2]);
    return NaN;
  };
  const rps = /([\d.]+) requests per second/.exec(out);
  return [rps ? Number(rps[1]) : NaN, pct(50), pct(99), pct(99.9)];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      keys: { type: "string", default: "10000000" },
      small: { type: "string", default: "1000" },
      requests: { type: "string", default: "300000" },
      rounds: { type: "string", default: "3" },
      targets: { type: "string" },
      port: { type: "string", default: "7480" },
      "no-pin": { type: "boolean" },
    },
  });
  const big = Number(values.keys);
  const small = Number(values.small);
  const rounds = Number(values.rounds);
  const requests = Number(values.requests);
  const pin = !values["no-pin"];
  const targets = (values.targets?.split(",") ?? TARGET_NAMES).filter((n) =>
    TARGETS[n as TargetName]?.unavailable() === null
  ) as TargetName[];
  const running: Target[] = [];
  onInterrupt(async () => {
    for (const t of running) await t.stop();
  });
  const taken = new Set<number>();
  console.log(`GET p99.9 latency, pipeline 1, 50 clients: ${small} keys vs ${big} keys (median of ${rounds})`);
  for (const name of targets) {
    // two servers of the same kind: one small keyspace, one big; runs alternate
    const pa = await freePort(Number(values.port), Number(values.port) + 100, taken);
    const pb = await freePort(Number(values.port), Number(values.port) + 100, taken);
    const a = await startTarget(name, { port: pa, cpu: pin ? 0 : null });
    running.push(a);
    const b = await startTarget(name, { port: pb, cpu: pin ? 0 : null });
    running.push(b);
    try {
      await loadKeys(pa, small);
      await loadKeys(pb, big);
      const sa: number[][] = [];
      const sb: number[][] = [];
      benchGet(pa, small, 50000, pin ? 1 : null); // warm-up
      benchGet(pb, big, 50000, pin ? 1 : null);
      for (let r = 0; r < rounds; r++) {
        sa.push(benchGet(pa, small, requests, pin ? 1 : null));
        sb.push(benchGet(pb, big, requests, pin ? 1 : null));
      }
      const col = (s: number[][], i: number) => median(s.map((x) => x[i]));
      console.log(
        `${name.padEnd(6)} small: ${col(sa, 0).toFixed(0)} ops/s p50 ${col(sa, 1)} p99 ${col(sa, 2)} p99.9 ${col(sa, 3)} ms | ` +
          `big: ${col(sb, 0).toFixed(0)} ops/s p50 ${col(sb, 1)} p99 ${col(sb, 2)} p99.9 ${col(sb, 3)} ms | ` +
          `p99.9 ratio ${(col(sb, 3) / col(sa, 3)).toFixed(2)}x  rss ${(b.rss() / 1048576).toFixed(0)} MiB`,
      );
    } finally {
      await a.stop();
      await b.stop();
      running.length = 0;
    }
  }
}

await main();
