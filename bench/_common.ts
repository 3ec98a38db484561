// Shared helpers for the micro benchmarks (bench/*_bench.ts): latin1 encoding, a seeded PRNG and
// the mitata runner with a name filter from argv. Imports nothing from src/; runs on Bun and Deno.

import process from "node:process";
import { run } from "mitata";

/** Latin1 bytes of an ASCII string. */
export function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Concatenate byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** RESP multibulk encoding of a command (what redis-benchmark and client libraries send). */
export function mbulk(args: readonly string[]): Uint8Array {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return latin1(s);
}

/** redis-benchmark's key shape for `-r`: a prefix and 12 zero-padded digits. */
export function randKey(prefix: string, n: number): string {
  return prefix + String(n).padStart(12, "0");
}

/** mulberry32: a small seeded PRNG, so every run works on the same data. Returns [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Name of the engine running the bench. */
export function runtimeName(): string {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.Bun !== "undefined") return "bun";
  if (typeof g.Deno !== "undefined") return "deno";
  return "node";
}

/**
 * Run the registered benches. The first command-line argument, if any, is a regular expression
 * that selects benches by name: `bun bench/reply_bench.ts bulk`.
 */
export async function runBenches(): Promise<void> {
  const pattern = process.argv.slice(2).find((a) => !a.startsWith("-"));
  await run({
    filter: pattern ? new RegExp(pattern) : undefined,
    colors: Boolean(process.stdout.isTTY),
  });
}
