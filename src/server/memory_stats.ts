// Memory accounting shared by INFO memory, MEMORY STATS and MEMORY DOCTOR: what the allocator
// holds (allocated/active/resident), what the process holds (RSS), and the overhead/dataset split
// Redis reports. Keyspace overhead is derived from the entry layout (store/object.ts).

import { dictBuckets } from "../encoding/dict.ts";
import { ENTRY_EXT, ENTRY_HEADER } from "../encoding/dict.ts";
import type { Server } from "./server.ts";

export interface DbOverhead {
  id: number;
  /** Main table: bucket array plus entry headers. */
  main: number;
  /** Expire blocks in entries plus the expires vector. */
  expires: number;
}

export interface MemoryOverview {
  usedMemory: number;
  peak: number;
  startup: number;
  rss: number;
  clientsNormal: number;
  lazyfreePending: number;
  dbs: DbOverhead[];
  overheadTotal: number;
  dataset: number;
  keys: number;
  allocated: number;
  active: number;
  resident: number;
  mapped: number;
  /** active / allocated */
  allocatorFragRatio: number;
  allocatorFragBytes: number;
  /** resident / active */
  allocatorRssRatio: number;
  allocatorRssBytes: number;
  /** process RSS / allocator resident */
  rssOverheadRatio: number;
  rssOverheadBytes: number;
  /** process RSS / used_memory */
  fragRatio: number;
  fragBytes: number;
}

export function memoryOverview(s: Server): MemoryOverview {
  const h = s.heap;
  s.refreshClientMemory();
  const used = s.usedMemory();
  const rss = s.rt.rss();
  const dbs: DbOverhead[] = [];
  let dbOverhead = 0;
  let keys = 0;
  for (const db of s.store.dbs) {
    const n = db.size();
    if (n === 0) continue;
    keys += n;
    const exp = db.expiresCount();
    const main = dictBuckets(h, db.dict) * 4 + n * ENTRY_HEADER;
    const expires = exp * (ENTRY_EXT + 4);
    dbs.push({ id: db.id, main, expires });
    dbOverhead += main + expires;
  }
  const clients = s.clientsMemory(false);
  const startup = s.startupMemory;
  const overheadTotal = startup + clients + dbOverhead + s.slowlog.memory();
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    usedMemory: used,
    peak: Math.max(s.peakMemory, used),
    startup,
    rss,
    clientsNormal: clients,
    lazyfreePending: s.lazyfree.pending(),
    dbs,
    overheadTotal,
    dataset: Math.max(0, used - overheadTotal),
    keys,
    allocated: h.allocated,
    active: h.active,
    resident: h.resident,
    mapped: h.mapped,
    allocatorFragRatio: ratio(h.active, h.allocated),
    allocatorFragBytes: h.active - h.allocated,
    allocatorRssRatio: ratio(h.resident, h.active),
    allocatorRssBytes: h.resident - h.active,
    rssOverheadRatio: ratio(rss, h.resident),
    rssOverheadBytes: rss - h.resident,
    fragRatio: ratio(rss, used),
    fragBytes: rss - used,
  };
}

/** Redis bytesToHuman: "0B", "1.50K", "2.00M" ... */
export function bytesToHuman(n: number): string {
  const units = ["B", "K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}
