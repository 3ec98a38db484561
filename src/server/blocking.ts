// Blocking commands (BLPOP & co.): clients blocked on keys, served in Redis's order when data
// arrives, with timeouts checked from cron. Families register how to serve a blocked client.

import type { Client } from "./client.ts";
import type { Server } from "./server.ts";

export class Blocking {
  constructor(private readonly server: Server) {}

  hasReadyKeys(): boolean {
    return false;
  }

  handleReadyKeys(): void {}

  cron(_now: number): void {}

  unblock(_c: Client, _timedOut: boolean): void {}

  /** CLIENT UNBLOCK: reply as on timeout, or with an -UNBLOCKED error. */
  unblockByClient(_c: Client, _asError: boolean): void {}

  close(): void {}

  /** FLUSHALL/FLUSHDB emptied db `dbid` (-1: all). */
  onFlush(_dbid: number): void {}

  /** SWAPDB exchanged two dbs: clients blocked on keys there may now be served. */
  onSwapDb(_a: number, _b: number): void {}

  blockedCount(): number {
    return 0;
  }
}
