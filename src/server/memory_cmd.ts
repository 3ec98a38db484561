// MEMORY USAGE/STATS/DOCTOR/PURGE/MALLOC-STATS/HELP: the allocator's own accounting, reported
// in Redis's shapes. Also DEBUG POPULATE's loader (benchmarks and tests load N keys fast).

import { SYNTAX } from "../protocol/errors.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import { fromLatin1 } from "../protocol/bytes.ts";
import { OBJ_ENCODING_EMBSTR, OBJ_ENCODING_RAW, EMBSTR_SIZE_LIMIT, OBJ_STRING, objType } from "../store/object.ts";
import { valueOps } from "../store/values.ts";
import type { Db } from "../store/db.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import type { Client } from "./client.ts";
import { defineCommands, LOADING, READONLY, STALE } from "./command.ts";
import { bytesToHuman, memoryOverview } from "./memory_stats.ts";
import type { Server } from "./server.ts";

/** Bytes a key and its value use: the entry allocation plus the value's structures. */
export function keyMemoryUsage(s: Server, e: number, samples: number): number {
  const m = s.heap;
  let n = m.usableSize(e) + 4; // + its bucket slot share, as Redis counts the dictEntry
  const type = objType(m, e);
  if (type !== OBJ_STRING) {
    const v = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3];
    n += valueOps(type).usage(m, v, samples, m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 1] >>> 28);
  }
  return n;
}

// MEMORY USAGE key [SAMPLES count]
function memoryUsage(c: Client, argv: Argv): void {
  let samples = 5;
  for (let j = 3; j < argv.argc; j++) {
    if (argv.lower(j) === "samples" && j + 1 < argv.argc) {
      const v = argv.int(j + 1);
      if (Number.isNaN(v)) {
        c.error("ERR value is not an integer or out of range");
        return;
      }
      if (v < 0) {
        c.error(SYNTAX);
        return;
      }
      samples = v;
      j++;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  const e = c.db.find(argv.buf, argv.off[2], argv.len[2]);
  if (e === 0) {
    c.reply.nullBulk();
    return;
  }
  c.reply.int(keyMemoryUsage(c.server, e, samples));
}

// MEMORY STATS
function memoryStats(c: Client): void {
  const o = memoryOverview(c.server);
  const r = c.reply;
  const net = o.usedMemory - o.startup;
  r.mapLen(27 + o.dbs.length);
  const kv = (k: string, v: number) => {
    r.bulkStr(k);
    r.int(Math.round(v));
  };
  const kd = (k: string, v: number) => {
    r.bulkStr(k);
    r.double(v);
  };
  kv("peak.allocated", o.peak);
  kv("total.allocated", o.usedMemory);
  kv("startup.allocated", o.startup);
  kv("replication.backlog", 0);
  kv("clients.slaves", 0);
  kv("clients.normal", o.clientsNormal);
  kv("cluster.links", 0);
  kv("aof.buffer", 0);
  kv("lua.caches", 0);
  kv("functions.caches", 0);
  for (const d of o.dbs) {
    r.bulkStr(`db.${d.id}`);
    r.mapLen(3);
    kv("overhead.hashtable.main", d.main);
    kv("overhead.hashtable.expires", d.expires);
    kv("overhead.hashtable.slot-to-keys", 0);
  }
  kv("overhead.total", o.overheadTotal);
  kv("keys.count", o.keys);
  kv("keys.bytes-per-key", o.keys ? Math.floor(net / o.keys) : 0);
  kv("dataset.bytes", o.dataset);
  kd("dataset.percentage", net > 0 ? (o.dataset * 100) / net : 0);
  kd("peak.percentage", o.peak > 0 ? (o.usedMemory * 100) / o.peak : 0);
  kv("allocator.allocated", o.allocated);
  kv("allocator.active", o.active);
  kv("allocator.resident", o.resident);
  kd("allocator-fragmentation.ratio", o.allocatorFragRatio);
  kv("allocator-fragmentation.bytes", o.allocatorFragBytes);
  kd("allocator-rss.ratio", o.allocatorRssRatio);
  kv("allocator-rss.bytes", o.allocatorRssBytes);
  kd("rss-overhead.ratio", o.rssOverheadRatio);
  kv("rss-overhead.bytes", o.rssOverheadBytes);
  kd("fragmentation", o.fragRatio);
  kv("fragmentation.bytes", o.fragBytes);
}

// MEMORY DOCTOR
function memoryDoctor(c: Client): void {
  const s = c.server;
  const o = memoryOverview(s);
  const issues: string[] = [];
  if (o.usedMemory < 5 * 1024 * 1024) {
    c.reply.verbatim(
      "Memory use is under 5MB: too little data to say anything useful about its health.\n",
    );
    return;
  }
  if (o.peak / o.usedMemory > 1.5) {
    issues.push(
      `* Peak memory: at some point ${bytesToHuman(o.peak)} were in use, now ${
        bytesToHuman(o.usedMemory)
      }. Fragmentation figures may be inflated by that peak.`,
    );
  }
  if (o.allocatorFragRatio > 1.1 && o.allocatorFragBytes > 10 * 1024 * 1024) {
    issues.push(
      `* Allocator fragmentation: slabs hold ${
        bytesToHuman(o.allocatorFragBytes)
      } more than live data (ratio ${o.allocatorFragRatio.toFixed(2)}). 'CONFIG SET activedefrag yes' moves values out of sparse slabs.`,
    );
  }
  if (o.allocatorRssRatio > 1.1 && o.allocatorRssBytes > 10 * 1024 * 1024) {
    issues.push(
      `* Retained pages: ${
        bytesToHuman(o.allocatorRssBytes)
      } of free pages are still held; MEMORY PURGE returns empty chunks to the runtime.`,
    );
  }
  if (o.rssOverheadRatio > 1.4 && o.rssOverheadBytes > 10 * 1024 * 1024) {
    issues.push(
      `* Process overhead: the process uses ${
        bytesToHuman(o.rssOverheadBytes)
      } beyond the arena (JS engine heap, code, buffers).`,
    );
  }
  if (o.clientsNormal > 200 * 1024) {
    issues.push(
      `* Client buffers: clients use ${bytesToHuman(o.clientsNormal)} in query and reply buffers.`,
    );
  }
  const text = issues.length === 0
    ? "No memory problems found: allocator, fragmentation and client buffers look healthy.\n"
    : `Memory report (${issues.length} finding${issues.length > 1 ? "s" : ""}):\n\n${issues.join("\n\n")}\n`;
  c.reply.verbatim(text);
}

// MEMORY PURGE
function memoryPurge(c: Client): void {
  c.server.heap.purge();
  c.server.collectGarbage();
  c.reply.ok();
}

// MEMORY MALLOC-STATS
function memoryMallocStats(c: Client): void {
  const h = c.server.heap;
  const lines: string[] = [];
  lines.push("___ Arena allocator statistics ___");
  lines.push(
    `allocated: ${h.allocated}, active: ${h.active}, resident: ${h.resident}, mapped: ${h.mapped}`,
  );
  lines.push(`chunks: ${h.chunksHeld} x 1048576 bytes, huge: ${h.hugeCount} (${h.hugeBytes} bytes)`);
  lines.push("bins:        size    regs/slab  pages/slab     curregs    curslabs      nmalloc      ndalloc  util");
  for (const st of h.classStats()) {
    if (st.nmalloc === 0 && st.curregs === 0) continue;
    const util = st.curslabs > 0 ? (st.curregs / (st.curslabs * st.regsPerSlab)).toFixed(3) : "-";
    lines.push(
      `            ${String(st.size).padStart(6)} ${String(st.regsPerSlab).padStart(11)} ${
        String(st.pagesPerSlab).padStart(11)
      } ${String(st.curregs).padStart(11)} ${String(st.curslabs).padStart(11)} ${
        String(st.nmalloc).padStart(12)
      } ${String(st.ndalloc).padStart(12)}  ${util}`,
    );
  }
  lines.push("--- End arena allocator statistics ---");
  c.reply.verbatim(lines.join("\n") + "\n");
}

// MEMORY HELP
function memoryHelp(c: Client): void {
  c.replyHelp([
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
  ]);
}

/**
 * DEBUG POPULATE: add keys prefix:0..count-1 with values "value:N" (padded with zero bytes or
 * cut to `size` when given); existing keys are left alone. Returns keys added.
 */
export function populate(s: Server, db: Db, count: number, prefix: string, size: number): number {
  let added = 0;
  const kbuf = new Uint8Array(prefix.length + 24);
  kbuf.set(fromLatin1(prefix + ":"));
  const vbuf = new Uint8Array(Math.max(size, 32));
  for (let j = 0; j < count; j++) {
    const digits = String(j);
    let kl = prefix.length + 1;
    for (let i = 0; i < digits.length; i++) kbuf[kl++] = digits.charCodeAt(i);
    if (db.find(kbuf, 0, kl) !== 0) continue;
    const v = "value:" + digits;
    let vl: number;
    if (size > 0) {
      vbuf.fill(0, 0, size);
      for (let i = 0; i < v.length && i < size; i++) vbuf[i] = v.charCodeAt(i);
      vl = size;
    } else {
      for (let i = 0; i < v.length; i++) vbuf[i] = v.charCodeAt(i);
      vl = v.length;
    }
    db.setString(kbuf, 0, kl, vbuf, 0, vl, vl <= EMBSTR_SIZE_LIMIT ? OBJ_ENCODING_EMBSTR : OBJ_ENCODING_RAW, false);
    added++;
  }
  s.dirty += added;
  return added;
}

export const memoryCommands = defineCommands("server", [
  {
    name: "memory",
    arity: -2,
    flags: 0,
    summary: "A container for memory diagnostics commands",
    since: "4.0.0",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "usage",
        arity: -3,
        flags: READONLY,
        handler: memoryUsage,
        keys: { first: 2, last: 2, step: 1 },
        keyFlags: ["RO"],
        summary: "Estimates the memory usage of a key",
        since: "4.0.0",
        complexity: "O(N) where N is the number of samples.",
        syntax: "key [SAMPLES count:integer]",
      },
      {
        name: "stats",
        arity: 2,
        flags: 0,
        handler: memoryStats,
        summary: "Returns details about memory usage",
        since: "4.0.0",
        complexity: "O(1)",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
      },
      {
        name: "doctor",
        arity: 2,
        flags: 0,
        handler: memoryDoctor,
        summary: "Outputs a memory problems report",
        since: "4.0.0",
        complexity: "O(1)",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
      },
      {
        name: "purge",
        arity: 2,
        flags: 0,
        handler: memoryPurge,
        summary: "Asks the allocator to release memory",
        since: "4.0.0",
        complexity: "Depends on how much memory is allocated, could be slow",
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
      },
      {
        name: "malloc-stats",
        arity: 2,
        flags: 0,
        handler: memoryMallocStats,
        summary: "Returns the allocator statistics",
        since: "4.0.0",
        complexity: "Depends on how much memory is allocated, could be slow",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
      },
      {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        handler: memoryHelp,
        summary: "Returns helpful text about the different subcommands",
        since: "4.0.0",
        complexity: "O(1)",
      },
    ],
  },
]);
