// Active expiry: Redis's adaptive cycle. Each cron tick samples keys that have a TTL (20 per
// loop, more with active-expire-effort), deletes the expired ones, and repeats while more than
// 10% of a sample was stale, within a time budget (25% of the tick). Lazy expiry lives in db.ts.

import type { Store } from "./db.ts";

const KEYS_PER_LOOP = 20;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;
const FAST_DURATION_US = 1000;

export interface ExpireStats {
  staleRatio: number;
  timeCapReached: number;
  cpuMs: number;
}

export class ActiveExpire {
  private dbCursor = 0;
  /** Last slow cycle stopped on its time limit: beforeSleep runs fast cycles. */
  timedOut = false;
  private lastFastStart = 0;
  readonly stats: ExpireStats = { staleRatio: 0, timeCapReached: 0, cpuMs: 0 };

  constructor(private readonly store: Store) {}

  /** Cheap test before a fast cycle: could one be due (at any effort)? */
  mayRunFast(): boolean {
    return this.timedOut || this.stats.staleRatio >= (ACCEPTABLE_STALE - 9) / 100;
  }

  /**
   * Run one cycle. `slow` cycles run from cron with 25% of a tick; fast ones from the event
   * loop with about 1 ms, and only when the previous slow cycle ran out of time.
   */
  cycle(slow: boolean, hz: number, effort: number): void {
    const e = effort - 1;
    const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * e;
    const fastUs = FAST_DURATION_US + (FAST_DURATION_US / 4) * e;
    const slowPerc = SLOW_TIME_PERC + 2 * e;
    const stalePerc = ACCEPTABLE_STALE - e;
    // a fast cycle is worth it only when the last cycle hit its time limit or many sampled
    // keys were stale
    if (!slow && !this.timedOut && this.stats.staleRatio < stalePerc / 100) return;
    const start = performance.now();
    if (!slow) {
      if (start < this.lastFastStart + (fastUs / 1000) * 2) return;
      this.lastFastStart = start;
    }
    const limitMs = slow ? (slowPerc * 1000) / (hz || 1) / 100 : fastUs / 1000;
    const dbs = this.store.dbs;
    let totalSampled = 0;
    let totalExpired = 0;
    this.timedOut = false;
    let iteration = 0;
    for (let n = 0; n < dbs.length && !this.timedOut; n++) {
      const db = dbs[this.dbCursor % dbs.length];
      this.dbCursor++;
      for (;;) {
        const count = db.expiresCount();
        if (count === 0) {
          db.avgTtl = 0;
          break;
        }
        iteration++;
        const now = this.store.now;
        let sampled = 0;
        let expired = 0;
        let ttlSum = 0;
        let ttlSamples = 0;
        let checks = Math.min(keysPerLoop, count);
        let cursor = db.expireCursor;
        while (checks-- > 0 && db.expiresCount() > 0) {
          if (cursor >= db.expiresCount()) cursor = 0;
          const ent = db.expireAt(cursor);
          sampled++;
          if (db.expireIfNeeded(ent)) {
            expired++;
            // the vector's last entry moved into this slot: look at it next
          } else {
            const ttl = db.getExpire(ent) - now;
            if (ttl > 0) {
              ttlSum += ttl;
              ttlSamples++;
            }
            cursor++;
          }
        }
        db.expireCursor = cursor;
        totalSampled += sampled;
        totalExpired += expired;
        if (ttlSamples > 0) {
          const avg = ttlSum / ttlSamples;
          db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
        }
        if ((iteration & 0xf) === 0 && performance.now() - start > limitMs) {
          this.timedOut = true;
          this.stats.timeCapReached++;
          break;
        }
        if (sampled === 0 || (expired * 100) / sampled <= stalePerc) break;
      }
    }
    this.stats.cpuMs += performance.now() - start;
    const current = totalSampled ? totalExpired / totalSampled : 0;
    this.stats.staleRatio = current * 0.05 + this.stats.staleRatio * 0.95;
  }
}
