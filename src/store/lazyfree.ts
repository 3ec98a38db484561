// Lazy free: values detached from the keyspace (UNLINK, FLUSH* ASYNC, lazyfree-lazy-* configs)
// are freed in small, time-bounded steps from the event loop, so no command stalls on a huge
// value. A value is freed lazily only when freeing it is worth it (more than 64 allocations).

import { valueOps } from "./values.ts";
import type { Server } from "../server/server.ts";

/** Values cheaper than this are freed at once (LAZYFREE_THRESHOLD). */
export const LAZYFREE_THRESHOLD = 64;
/** Allocations freed per step before the time budget is checked. */
const BATCH = 256;

export class LazyFree {
  private queue: { type: number; v: number; enc: number }[] = [];
  private head = 0;
  freedObjects = 0;

  constructor(private readonly server: Server) {
    server.store.hooks.lazyFree = (type, v, enc) => this.offer(type, v, enc);
  }

  /** Take a value to free later if it is big enough; false means free it now. */
  offer(type: number, v: number, enc: number): boolean {
    const ops = valueOps(type);
    if (!ops.freeSome || ops.freeEffort(this.server.heap, v, enc) <= LAZYFREE_THRESHOLD) return false;
    this.queue.push({ type, v, enc });
    return true;
  }

  /** lazyfree_pending_objects */
  pending(): number {
    return this.queue.length - this.head;
  }

  /** Free for up to `ms` milliseconds. */
  step(ms: number): void {
    if (this.pending() === 0) return;
    const start = performance.now();
    const m = this.server.heap;
    while (this.head < this.queue.length) {
      const item = this.queue[this.head];
      if (valueOps(item.type).freeSome!(m, item.v, BATCH, item.enc)) {
        this.head++;
        this.freedObjects++;
      }
      if (performance.now() - start >= ms) break;
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }

  /** Free everything now (shutdown, DEBUG). */
  drain(): void {
    while (this.pending() > 0) this.step(1000);
  }
}
