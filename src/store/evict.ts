// maxmemory eviction with Redis's approximations: sample maxmemory-samples keys per db into a
// 16-entry pool ordered by idle time (LRU), inverse frequency (LFU) or nearest expire (TTL), and
// evict from the pool's best end; random policies pick uniformly. Eviction stops after a time
// budget set by maxmemory-eviction-tenacity and continues from a timer, as Redis does.

import { NOTIFY_EVICTED } from "../config.ts";
import type { Server } from "../server/server.ts";
import { objExpire, objHasExpire, objKeyLen, objKeyOff, objLru } from "./object.ts";
import { OFF_BITS } from "../memory/arena.ts";

const EVPOOL_SIZE = 16;

interface PoolEntry {
  idle: number;
  key: Uint8Array;
  db: number;
}

export class Evictor {
  evictedKeys = 0;
  /** Time spent evicting (INFO total_eviction_exceeded_time / current_eviction_exceeded_time). */
  exceededSince = 0;
  exceededTotalMs = 0;
  private pool: PoolEntry[] = [];
  private randomDb = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly server: Server) {}

  resetStats(): void {
    this.evictedKeys = 0;
    this.exceededTotalMs = 0;
  }

  /** Reused sample buffer (eviction runs before commands while over maxmemory). */
  private readonly scratch: number[] = [];

  /** Memory counted against maxmemory: what lazy free will give back counts as gone already. */
  private used(): number {
    return this.server.usedMemory() - this.server.lazyfree.pendingBytes;
  }

  /** Microseconds eviction may run per call (maxmemory-eviction-tenacity). */
  private timeLimitUs(): number {
    const t = this.server.config.num("maxmemory-eviction-tenacity");
    if (t <= 10) return 50 * t;
    if (t < 100) return Math.floor(500 * Math.pow(1.15, t - 10));
    return Infinity;
  }

  /**
   * Evict until used memory is under maxmemory. Returns false when it could not get there
   * (noeviction, or nothing left to evict); a time-limited run that is still making progress
   * returns true and continues from a timer.
   */
  perform(): boolean {
    const s = this.server;
    const max = s.maxmemory;
    if (max === 0) return true;
    if (s.pauseType !== 0) return true;
    let used = this.used();
    if (used <= max) {
      this._stopExceeded();
      return true;
    }
    if (this.exceededSince === 0) this.exceededSince = Date.now();
    const policy = s.evictPolicy;
    if (policy === "noeviction") return false;
    const start = performance.now();
    const limitMs = this.timeLimitUs() / 1000;
    let keys = 0;
    while (used > max) {
      const best = this._pickKey(policy);
      if (best === null) return false;
      const db = s.store.dbs[best.db];
      if (db.delete(best.key, 0, best.key.length, s.lazyEviction)) {
        this.evictedKeys++;
        s.signalModifiedKey(db, best.key, 0, best.key.length);
        s.notify(NOTIFY_EVICTED, "evicted", best.key, db.id);
        s.onPropagateDelete?.(db, best.key);
        keys++;
        used = this.used();
        if ((keys & 15) === 0 && performance.now() - start > limitMs) {
          this._continueLater();
          return true;
        }
      }
    }
    this._stopExceeded();
    return true;
  }

  private _stopExceeded(): void {
    if (this.exceededSince !== 0) {
      this.exceededTotalMs += Date.now() - this.exceededSince;
      this.exceededSince = 0;
    }
  }

  private _continueLater(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.perform();
      this.server.afterEvent();
    }, 0);
  }

  private _pickKey(policy: string): { key: Uint8Array; db: number } | null {
    const s = this.server;
    const dbs = s.store.dbs;
    const volatile = policy.startsWith("volatile");
    if (policy.endsWith("random")) {
      for (let i = 0; i < dbs.length; i++) {
        const db = dbs[this.randomDb++ % dbs.length];
        const e = volatile ? db.randomVolatile() : (db.size() > 0 ? db.randomKey() : 0);
        if (e !== 0) return { key: db.keyOf(e), db: db.id };
      }
      return null;
    }
    const m = s.heap;
    const samples = s.config.num("maxmemory-samples");
    for (;;) {
      let total = 0;
      for (const db of dbs) {
        const n = volatile ? db.expiresCount() : db.size();
        if (n === 0) continue;
        total += n;
        const sample = this.scratch;
        sample.length = 0;
        if (volatile) {
          for (let i = 0; i < Math.min(samples, n); i++) sample.push(db.randomVolatile());
        } else {
          db.sample(samples, sample);
        }
        for (const e of sample) {
          let idle: number;
          if (policy.endsWith("lru")) idle = s.store.idleMs(objLru(m, e));
          else if (policy.endsWith("lfu")) idle = 255 - s.store.lfuDecr(objLru(m, e));
          else idle = objHasExpire(m, e) ? Number.MAX_SAFE_INTEGER - objExpire(m, e) : 0;
          this._poolInsert(idle, m.u8[e >>> OFF_BITS], objKeyOff(m, e), objKeyLen(m, e), db.id);
        }
      }
      if (total === 0) return null;
      // Best candidate is at the end (highest idle); skip entries whose key is gone.
      while (this.pool.length > 0) {
        const cand = this.pool.pop()!;
        const db = dbs[cand.db];
        const e = db.find(cand.key, 0, cand.key.length);
        if (e === 0) continue;
        if (volatile && !objHasExpire(m, e)) continue;
        return { key: cand.key, db: cand.db };
      }
    }
  }

  private _poolInsert(idle: number, b: Uint8Array, off: number, len: number, db: number): void {
    const pool = this.pool;
    let k = 0;
    while (k < pool.length && pool[k].idle < idle) k++;
    if (k === 0 && pool.length === EVPOOL_SIZE) return; // worse than everything in a full pool
    for (const p of pool) {
      if (p.db === db && p.key.length === len) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (p.key[i] !== b[off + i]) {
            same = false;
            break;
          }
        }
        if (same) return;
      }
    }
    const entry = { idle, key: b.slice(off, off + len), db };
    if (pool.length < EVPOOL_SIZE) pool.splice(k, 0, entry);
    else {
      pool.shift();
      pool.splice(k - 1, 0, entry);
    }
  }
}
