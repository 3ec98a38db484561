// Lazy free: values detached from the keyspace (UNLINK, lazyfree-lazy-* configs) and whole
// databases emptied with FLUSHALL/FLUSHDB ASYNC are freed in small, time-bounded steps from the
// event loop, so no command stalls on a huge value or keyspace. A value goes here only when
// freeing it is worth it (more than LAZYFREE_THRESHOLD allocations).

import type { Heap } from "../memory/allocator.ts";
import { dictReleaseSome, dictSize } from "../encoding/dict.ts";
import type { Store } from "./db.ts";
import { valueOps } from "./values.ts";
import type { Server } from "../server/server.ts";

/** Values cheaper than this are freed at once (LAZYFREE_THRESHOLD). */
export const LAZYFREE_THRESHOLD = 64;
/** Allocations freed per step before the time budget is checked. */
const BATCH = 256;

interface Job {
  /** Free up to `budget` allocations; true when everything is gone. */
  step(m: Heap, budget: number): boolean;
  /** Objects this job accounts for (1 for a value, the key count for a database). */
  objects(m: Heap): number;
  /** Bytes it will give back (an estimate, for eviction). */
  bytes: number;
  /** lazyfreed_objects credit when done. */
  credit: number;
}

export class LazyFree {
  private queue: Job[] = [];
  private head = 0;
  freedObjects = 0;
  /** Estimated bytes still to be freed (eviction counts them as already gone, as Redis does). */
  pendingBytes = 0;

  constructor(private readonly server: Server) {
    server.store.hooks.lazyFree = (type, v, enc) => this.offer(type, v, enc);
    server.store.hooks.lazyFreeDb = (dict, expV, store) => this.offerDb(dict, expV, store);
  }

  /** Take a value to free later if it is big enough; false means free it now. */
  offer(type: number, v: number, enc: number): boolean {
    const m = this.server.heap;
    const ops = valueOps(type);
    if (!ops.freeSome || ops.freeEffort(m, v, enc) <= LAZYFREE_THRESHOLD) return false;
    this._push({
      step: (hm, budget) => ops.freeSome!(hm, v, budget, enc),
      objects: () => 1,
      bytes: ops.usage(m, v, 5, enc),
      credit: this.inDbJob ? 0 : 1,
    });
    return true;
  }

  /** A database's dict and expires vector, detached by FLUSH* ASYNC: free them in steps. */
  offerDb(dict: number, expV: number, store: Store): void {
    const keys = dictSize(store.m, dict);
    this._push({
      step: (m, budget) => {
        this.inDbJob = true;
        try {
          if (!dictReleaseSome(m, dict, budget, (e) => store.freeEntry(e, true))) return false;
        } finally {
          this.inDbJob = false;
        }
        if (expV !== 0) m.free(expV);
        return true;
      },
      // only asked while queued, so the dict is still alive
      objects: (m) => dictSize(m, dict),
      bytes: 0,
      credit: keys,
    });
  }

  /** Entries freed while a database job runs are credited to that job, not counted again. */
  private inDbJob = false;

  private _push(job: Job): void {
    this.queue.push(job);
    this.pendingBytes += job.bytes;
  }

  /** lazyfree_pending_objects */
  pending(): number {
    let n = 0;
    const m = this.server.heap;
    for (let i = this.head; i < this.queue.length; i++) n += this.queue[i].objects(m);
    return n;
  }

  hasWork(): boolean {
    return this.head < this.queue.length;
  }

  /** Free for up to `ms` milliseconds. */
  step(ms: number): void {
    if (this.head >= this.queue.length) return;
    const start = performance.now();
    const m = this.server.heap;
    while (this.head < this.queue.length) {
      const job = this.queue[this.head];
      if (job.step(m, BATCH)) {
        this.queue[this.head] = undefined as unknown as Job;
        this.head++;
        this.freedObjects += job.credit;
        this.pendingBytes -= job.bytes;
      }
      if (performance.now() - start >= ms) break;
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.pendingBytes = 0;
    } else if (this.head > 1024 && this.head > this.queue.length / 2) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Free everything now (shutdown, DEBUG). */
  drain(): void {
    while (this.hasWork()) this.step(1000);
  }
}
