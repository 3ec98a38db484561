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

  blockedCount(): number {
    return 0;
  }
}
