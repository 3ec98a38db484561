// The keyspace: databases of arena-resident entries (object.ts) in arena dicts, with expires,
// lazy expiry on lookup, LRU/LFU touch and keyspace hit/miss counters. This narrow API is all
// that command families see of how keys are held. Depends on memory/, encoding/dict.ts and
// object.ts; never on clients or replies.

import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import {
  dictAdd,
  dictClear,
  dictCreate,
  dictFind,
  dictForEach,
  dictRandom,
  dictReplaceFound,
  dictSample,
  dictScan,
  dictShrinkIfNeeded,
  dictSize,
  dictUnlinkFound,
  ENTRY_EXT,
  ENTRY_HEADER,
  EXT_FLAG,
  hashBytes,
  KLEN_MASK,
} from "../encoding/dict.ts";
import {
  entrySize,
  LRU_CLOCK_MAX,
  newEntry,
  OBJ_STREAM,
  OBJ_STRING,
  objExpire,
  objKeyLen,
  objKeyOff,
  objLru,
  objType,
  setObjExpire,
  setObjExpirePos,
  setObjLru,
} from "./object.ts";
import { valueOps } from "./values.ts";

/** Lookup flags (Redis LOOKUP_*). */
export const LOOKUP_NONE = 0;
export const LOOKUP_NOTOUCH = 1;
export const LOOKUP_NOSTATS = 2;
/** Report expired keys as missing but do not delete them (replicas, paused writes). */
export const LOOKUP_NOEXPIRE = 4;

const LFU_INIT_VAL = 5;

export interface StoreHooks {
  /** A key was deleted because its TTL passed (lazy or active expiry). */
  expired(db: Db, key: Uint8Array): void;
  /**
   * A key was created (dbAdd): keyspace "new" notification, and clients blocked on it may now be
   * served. Not called when an existing key is overwritten.
   */
  added?(db: Db, b: Uint8Array, off: number, len: number, type: number): void;
  /** Free a detached value later (lazy free); return false to have it freed now. */
  lazyFree?(type: number, value: number, enc: number): boolean;
  /**
   * A database is about to be emptied in one go (FLUSH* ASYNC): report the keys clients wait
   * on (the per-entry hooks are not called on that path).
   */
  flushing?(db: Db): void;
  /** Free a detached database (dict + expires vector) later, in steps (FLUSH* ASYNC). */
  lazyFreeDb?(dict: number, expV: number, store: Store): void;
  /**
   * A stream key left the keyspace (deleted, expired, overwritten, renamed or moved away,
   * flushed): clients blocked in XREADGROUP on it must be told, as Redis signals such keys.
   */
  unlinkedStream?(db: Db, b: Uint8Array, off: number, len: number): void;
}

/** State shared by all databases of one server. */
export class Store {
  readonly dbs: Db[] = [];
  /** Command time in unix ms: every TTL check inside one command (or EXEC) uses this. */
  now = Date.now();
  /** LRU clock (seconds, 24 bits), refreshed by cron. */
  lruClock = 0;
  /** maxmemory-policy is an LFU one: entries keep LFU counters instead of LRU times. */
  lfu = false;
  lfuLogFactor = 10;
  lfuDecayTime = 1;
  /** Expired keys are reported missing but not deleted (replica, CLIENT PAUSE WRITE). */
  expireDeletesPaused = false;
  /** Disables LRU/LFU updates (a snapshot is running, as Redis skips them with a child). */
  noTouch = false;

  // INFO stats
  hits = 0;
  misses = 0;
  expiredKeys = 0;

  hooks: StoreHooks = { expired: () => {} };

  constructor(readonly m: Heap, dbnum: number) {
    for (let i = 0; i < dbnum; i++) this.dbs.push(new Db(this, i));
  }

  /** Initial LRU/LFU field for a new object. */
  newLru(): number {
    if (this.lfu) return ((this.lfuMinutes() << 8) | LFU_INIT_VAL) >>> 0;
    return this.lruClock;
  }

  /** Minutes clock for LFU decay (16 bits). */
  lfuMinutes(): number {
    return Math.floor(this.now / 60000) & 65535;
  }

  updateLruClock(nowMs: number): void {
    this.lruClock = Math.floor(nowMs / 1000) & LRU_CLOCK_MAX;
  }

  /** LFU counter after time decay (LFUDecrAndReturn). */
  lfuDecr(lru: number): number {
    const ldt = lru >>> 8;
    let counter = lru & 255;
    if (this.lfuDecayTime > 0) {
      const now = this.lfuMinutes();
      const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
      const periods = Math.floor(elapsed / this.lfuDecayTime);
      if (periods > 0) counter = periods > counter ? 0 : counter - periods;
    }
    return counter;
  }

  /** Logarithmic LFU increment (LFULogIncr). */
  lfuIncr(counter: number): number {
    if (counter === 255) return 255;
    const base = counter - LFU_INIT_VAL < 0 ? 0 : counter - LFU_INIT_VAL;
    const p = 1.0 / (base * this.lfuLogFactor + 1);
    if (Math.random() < p) counter++;
    return counter;
  }

  /** Touch an object's LRU/LFU field on access. */
  touch(e: number): void {
    if (this.noTouch) return;
    const u = this.m.u32[e >>> OFF_BITS];
    const i = ((e & OFF_MASK) << 1) + 1;
    let v: number;
    if (this.lfu) {
      const c = this.lfuIncr(this.lfuDecr(u[i] & LRU_CLOCK_MAX));
      v = ((this.lfuMinutes() << 8) | c) & LRU_CLOCK_MAX;
    } else {
      v = this.lruClock;
    }
    u[i] = ((u[i] & 0xff000000) | v) >>> 0;
  }

  /** Idle milliseconds of an object (estimateObjectIdleTime). */
  idleMs(lru: number): number {
    const c = this.lruClock;
    if (c >= lru) return (c - lru) * 1000;
    return (c + (LRU_CLOCK_MAX - lru)) * 1000;
  }

  /**
   * Free an entry and its value (the entry must already be unlinked). With `lazy`, a big value
   * goes to the lazy-free job instead (UNLINK, lazyfree-lazy-* configs).
   */
  freeEntry(e: number, lazy = false): void {
    const m = this.m;
    const type = objType(m, e);
    if (type !== OBJ_STRING) {
      const v = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3];
      const enc = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 1] >>> 28;
      if (!lazy || !this.hooks.lazyFree || !this.hooks.lazyFree(type, v, enc)) {
        valueOps(type).free(m, v, enc);
      }
    }
    m.free(e);
  }

  /** lazyfree-lazy-expire / lazyfree-lazy-server-del, mirrored from config. */
  lazyExpire = false;
  lazyServerDel = false;
}

/** One database: a dict of entries plus a dense vector of the entries that have a TTL. */
export class Db {
  dict: number;
  /** Vector of entry handles with a TTL (arena allocation of u32), its length and capacity. */
  private expV = 0;
  private expLen = 0;
  private expCap = 0;
  /** Active expiry state (avg_ttl for INFO keyspace, sampling cursor). */
  avgTtl = 0;
  expireCursor = 0;
  private readonly m: Heap;

  constructor(readonly store: Store, public id: number) {
    this.m = store.m;
    this.dict = dictCreate(this.m);
  }

  size(): number {
    return dictSize(this.m, this.dict);
  }

  expiresCount(): number {
    return this.expLen;
  }

  /** Raw lookup: no expiry check, no touch, no stats. */
  find(b: Uint8Array, off: number, len: number): number {
    return dictFind(this.m, this.dict, b, off, len, hashBytes(b, off, len));
  }

  /** True if the entry has a TTL in the past (as of store.now). */
  isExpired(e: number): boolean {
    const m = this.m;
    const u = m.u32[e >>> OFF_BITS];
    if (!(u[((e & OFF_MASK) << 1) + 2] & EXT_FLAG)) return false;
    return m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2] < this.store.now;
  }

  /**
   * Lookup with lazy expiry. An expired key is deleted (unless deletes are paused or NOEXPIRE)
   * and reported missing. Updates LRU/LFU unless NOTOUCH; counts hits/misses unless NOSTATS.
   */
  lookup(b: Uint8Array, off: number, len: number, flags: number): number {
    const m = this.m;
    let e = dictFind(m, this.dict, b, off, len, hashBytes(b, off, len));
    if (e !== 0 && (m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG) &&
      m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2] < this.store.now) {
      if (!(flags & LOOKUP_NOEXPIRE) && !this.store.expireDeletesPaused) {
        this.deleteExpired(e);
      }
      e = 0;
    }
    if (e === 0) {
      if (!(flags & LOOKUP_NOSTATS)) this.store.misses++;
      return 0;
    }
    if (!(flags & LOOKUP_NOSTATS)) this.store.hits++;
    if (!(flags & LOOKUP_NOTOUCH)) this.store.touch(e);
    return e;
  }

  /** lookupKeyRead: expiry, touch, hit/miss stats. */
  lookupRead(b: Uint8Array, off: number, len: number): number {
    return this.lookup(b, off, len, LOOKUP_NONE);
  }

  /** lookupKeyWrite: expiry and touch, no stats. */
  lookupWrite(b: Uint8Array, off: number, len: number): number {
    return this.lookup(b, off, len, LOOKUP_NOSTATS);
  }

  /** Delete an expired entry found by the last dictFind, and report it. */
  private deleteExpired(e: number): void {
    const key = this._keyCopy(e);
    dictUnlinkFound(this.m, this.dict, e);
    this._expRemove(e);
    this._unlinked(e);
    this.store.freeEntry(e, this.store.lazyExpire);
    this.store.expiredKeys++;
    this.store.hooks.expired(this, key);
  }

  /** Delete the key if its TTL passed; true if it was expired (active expiry). */
  expireIfNeeded(e: number): boolean {
    if (!this.isExpired(e)) return false;
    if (this.store.expireDeletesPaused) return true;
    const m = this.m;
    const ci = e >>> OFF_BITS;
    const ko = objKeyOff(m, e);
    const found = dictFind(m, this.dict, m.u8[ci], ko, objKeyLen(m, e), hashBytes(m.u8[ci], ko, objKeyLen(m, e)));
    if (found !== e) return false;
    this.deleteExpired(e);
    return true;
  }

  private _keyCopy(e: number): Uint8Array {
    const m = this.m;
    const o = objKeyOff(m, e);
    return m.u8[e >>> OFF_BITS].slice(o, o + objKeyLen(m, e));
  }

  /** Re-find an entry by its own key bytes (sets the dict's found state for it). */
  private _refind(e: number): void {
    const m = this.m;
    const u8 = m.u8[e >>> OFF_BITS];
    const ko = objKeyOff(m, e);
    const kl = objKeyLen(m, e);
    const f = dictFind(m, this.dict, u8, ko, kl, hashBytes(u8, ko, kl));
    if (f !== e) throw new Error("Keyspace entry is not linked where its key hashes");
  }

  // ---- adding and replacing ----

  /**
   * Set a string value: create the key or overwrite whatever it held (any type). The TTL is
   * dropped unless keepTtl; expireAt >= 0 sets a new one (unix ms). Returns the entry handle.
   */
  setString(
    kb: Uint8Array,
    koff: number,
    klen: number,
    vb: Uint8Array,
    voff: number,
    vlen: number,
    enc: number,
    keepTtl: boolean,
    expireAt = -1,
  ): number {
    const m = this.m;
    const st = this.store;
    const hash = hashBytes(kb, koff, klen);
    let old = dictFind(m, this.dict, kb, koff, klen, hash);
    if (old !== 0 && this.isExpired(old) && !st.expireDeletesPaused) {
      this.deleteExpired(old); // as lookupKeyWrite would: the old value is gone, not replaced
      old = 0;
    }
    if (old === 0) {
      const withExp = expireAt >= 0;
      const e = newEntry(m, OBJ_STRING, enc, st.newLru(), kb, koff, klen, vb, voff, vlen, withExp);
      dictAdd(m, this.dict, e, hash);
      if (withExp) {
        m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2] = expireAt;
        this._expAdd(e);
      }
      st.hooks.added?.(this, kb, koff, klen, OBJ_STRING);
      return e;
    }
    const ou = m.u32[old >>> OFF_BITS];
    const ow = (old & OFF_MASK) << 1;
    const hasExp = (ou[ow + 2] & EXT_FLAG) !== 0;
    const withExp = expireAt >= 0 || (hasExp && keepTtl);
    const oldType = (ou[ow + 1] >>> 24) & 15;
    // Overwrite in place when the entry is a string with the same layout and the size class fits.
    if (oldType === OBJ_STRING && withExp === hasExp) {
      const need = entrySize(klen, vlen, withExp);
      const have = m.usableSize(old);
      if (need <= have && need * 2 > have) {
        const lru = st.lfu ? ou[ow + 1] & 0x00ffffff : st.lruClock;
        ou[ow + 1] = ((enc << 28) | lru) >>> 0;
        ou[ow + 3] = vlen;
        const vo = (ow << 2) + ENTRY_HEADER + (withExp ? ENTRY_EXT : 0) + klen;
        const u8 = m.u8[old >>> OFF_BITS];
        if (vlen <= 32) for (let i = 0; i < vlen; i++) u8[vo + i] = vb[voff + i];
        else u8.set(vb.subarray(voff, voff + vlen), vo);
        if (expireAt >= 0) m.f64[old >>> OFF_BITS][(old & OFF_MASK) + 2] = expireAt;
        return old;
      }
    }
    const e = newEntry(m, OBJ_STRING, enc, st.newLru(), kb, koff, klen, vb, voff, vlen, withExp);
    if (st.lfu) setObjLru(m, e, objLru(m, old));
    dictReplaceFound(m, old, e);
    if (withExp) {
      setObjExpire(m, e, expireAt >= 0 ? expireAt : objExpire(m, old));
      if (hasExp) this._expReplace(old, e);
      else this._expAdd(e);
    } else if (hasExp) {
      this._expRemove(old);
    }
    this._unlinked(old);
    st.freeEntry(old, st.lazyServerDel);
    return e;
  }

  /**
   * Store a non-string value (handle of its structure) under a key, replacing any old value.
   * keepTtl keeps an existing TTL. Returns the entry handle.
   */
  setValue(
    kb: Uint8Array,
    koff: number,
    klen: number,
    type: number,
    enc: number,
    value: number,
    keepTtl: boolean,
  ): number {
    const m = this.m;
    const st = this.store;
    const hash = hashBytes(kb, koff, klen);
    let old = dictFind(m, this.dict, kb, koff, klen, hash);
    if (old !== 0 && this.isExpired(old) && !st.expireDeletesPaused) {
      this.deleteExpired(old);
      old = 0;
    }
    const hasExp = old !== 0 && (m.u32[old >>> OFF_BITS][((old & OFF_MASK) << 1) + 2] & EXT_FLAG) !== 0;
    const withExp = hasExp && keepTtl;
    const e = newEntry(m, type, enc, st.newLru(), kb, koff, klen, null, 0, 0, withExp);
    m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3] = value;
    if (old !== 0 && st.lfu) setObjLru(m, e, objLru(m, old));
    if (old === 0) {
      dictAdd(m, this.dict, e, hash);
      st.hooks.added?.(this, kb, koff, klen, type);
      return e;
    }
    dictReplaceFound(m, old, e);
    if (withExp) {
      setObjExpire(m, e, objExpire(m, old));
      this._expReplace(old, e);
    } else if (hasExp) {
      this._expRemove(old);
    }
    this._unlinked(old);
    st.freeEntry(old, st.lazyServerDel);
    return e;
  }

  /**
   * Resize a string entry to hold vlen value bytes (APPEND, SETRANGE, SETBIT). Keeps its TTL
   * and the old contents; bytes past the old length read as zero. Returns the (possibly moved)
   * entry.
   */
  resizeString(e: number, vlen: number): number {
    const m = this.m;
    const u = m.u32[e >>> OFF_BITS];
    const w = (e & OFF_MASK) << 1;
    const klen = u[w + 2] & KLEN_MASK;
    const withExp = (u[w + 2] & EXT_FLAG) !== 0;
    const oldV = u[w + 3];
    const valOff = ENTRY_HEADER + (withExp ? ENTRY_EXT : 0) + klen;
    const need = valOff + vlen;
    if (need <= m.usableSize(e)) {
      u[w + 3] = vlen;
      if (vlen > oldV) m.u8[e >>> OFF_BITS].fill(0, (w << 2) + valOff + oldV, (w << 2) + need);
      return e;
    }
    // Grow with slack like sdsMakeRoomFor: double below 1 MiB, +1 MiB above.
    const want = need < 1024 * 1024 ? need * 2 : need + 1024 * 1024;
    this._refind(e);
    const ne = m.alloc(want);
    const so = w << 2;
    const no = (ne & OFF_MASK) << 3;
    const nb = m.u8[ne >>> OFF_BITS];
    nb.set(m.u8[e >>> OFF_BITS].subarray(so, so + valOff + oldV), no);
    nb.fill(0, no + valOff + oldV, no + need);
    dictReplaceFound(m, e, ne);
    if (withExp) this._expReplace(e, ne);
    m.free(e);
    m.u32[ne >>> OFF_BITS][((ne & OFF_MASK) << 1) + 3] = vlen;
    return ne;
  }

  /** Add an entry built elsewhere (RENAME/MOVE/COPY/restore); the key must be absent. */
  addEntry(e: number): void {
    const m = this.m;
    const u8 = m.u8[e >>> OFF_BITS];
    const ko = objKeyOff(m, e);
    const kl = objKeyLen(m, e);
    dictAdd(m, this.dict, e, hashBytes(u8, ko, kl));
    if (m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG) this._expAdd(e);
    this.store.hooks.added?.(this, u8, ko, kl, objType(m, e));
  }

  /**
   * Unlink an entry from this db without freeing it (RENAME/MOVE hand it to addEntry).
   * Its TTL travels with it.
   */
  detach(e: number): void {
    this._unlinked(e);
    this._refind(e);
    dictUnlinkFound(this.m, this.dict, e);
    if (this.m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG) this._expRemove(e);
  }

  /** Delete a key (no expiry check). Returns true if it existed. `lazy`: free big values later. */
  delete(b: Uint8Array, off: number, len: number, lazy = false): boolean {
    const m = this.m;
    const e = dictFind(m, this.dict, b, off, len, hashBytes(b, off, len));
    if (e === 0) return false;
    dictUnlinkFound(m, this.dict, e);
    if (m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG) this._expRemove(e);
    this._unlinked(e);
    this.store.freeEntry(e, lazy);
    return true;
  }

  /** Delete a known entry. */
  deleteEntry(e: number, lazy = false): void {
    this._refind(e);
    dictUnlinkFound(this.m, this.dict, e);
    if (this.m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG) this._expRemove(e);
    this._unlinked(e);
    this.store.freeEntry(e, lazy);
  }

  /** Move an entry to a fresh allocation of the same size (active defrag). Returns it. */
  moveEntry(e: number): number {
    const m = this.m;
    this._refind(e);
    const size = m.usableSize(e);
    const ne = m.alloc(size);
    const so = (e & OFF_MASK) << 3;
    m.u8[ne >>> OFF_BITS].set(m.u8[e >>> OFF_BITS].subarray(so, so + size), (ne & OFF_MASK) << 3);
    dictReplaceFound(m, e, ne);
    if (m.u32[ne >>> OFF_BITS][((ne & OFF_MASK) << 1) + 2] & EXT_FLAG) this._expReplace(e, ne);
    m.free(e);
    return ne;
  }

  /** Replace an entry's value handle (an encoding conversion moved the structure). */
  setValueHandle(e: number, v: number): void {
    this.m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3] = v;
  }

  // ---- expires ----

  /** Expire time in unix ms, or -1 when the key has no TTL. */
  getExpire(e: number): number {
    const m = this.m;
    if (!(m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG)) return -1;
    return m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2];
  }

  /** Set the TTL (unix ms). Returns the entry, which moves if it had no expire block. */
  setExpire(e: number, when: number): number {
    const m = this.m;
    const u = m.u32[e >>> OFF_BITS];
    const w = (e & OFF_MASK) << 1;
    if (u[w + 2] & EXT_FLAG) {
      m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2] = when;
      return e;
    }
    const klen = u[w + 2] & KLEN_MASK;
    const isStr = ((u[w + 1] >>> 24) & 15) === OBJ_STRING;
    const vlen = isStr ? u[w + 3] : 0;
    this._refind(e);
    const ne = m.alloc(entrySize(klen, vlen, true));
    const nu = m.u32[ne >>> OFF_BITS];
    const nw = (ne & OFF_MASK) << 1;
    nu[nw + 1] = u[w + 1];
    nu[nw + 2] = (klen | EXT_FLAG) >>> 0;
    nu[nw + 3] = u[w + 3];
    nu[nw + 7] = 0;
    const so = (w << 2) + ENTRY_HEADER;
    m.u8[ne >>> OFF_BITS].set(
      m.u8[e >>> OFF_BITS].subarray(so, so + klen + vlen),
      (nw << 2) + ENTRY_HEADER + ENTRY_EXT,
    );
    m.f64[ne >>> OFF_BITS][(ne & OFF_MASK) + 2] = when;
    dictReplaceFound(m, e, ne);
    m.free(e);
    this._expAdd(ne);
    return ne;
  }

  /** Remove the TTL. Returns the entry (moved: the expire block is dropped). */
  persist(e: number): number {
    const m = this.m;
    const u = m.u32[e >>> OFF_BITS];
    const w = (e & OFF_MASK) << 1;
    if (!(u[w + 2] & EXT_FLAG)) return e;
    const klen = u[w + 2] & KLEN_MASK;
    const isStr = ((u[w + 1] >>> 24) & 15) === OBJ_STRING;
    const vlen = isStr ? u[w + 3] : 0;
    this._refind(e);
    const ne = m.alloc(entrySize(klen, vlen, false));
    const nu = m.u32[ne >>> OFF_BITS];
    const nw = (ne & OFF_MASK) << 1;
    nu[nw + 1] = u[w + 1];
    nu[nw + 2] = klen;
    nu[nw + 3] = u[w + 3];
    const so = (w << 2) + ENTRY_HEADER + ENTRY_EXT;
    m.u8[ne >>> OFF_BITS].set(
      m.u8[e >>> OFF_BITS].subarray(so, so + klen + vlen),
      (nw << 2) + ENTRY_HEADER,
    );
    dictReplaceFound(m, e, ne);
    this._expRemove(e);
    m.free(e);
    return ne;
  }

  private _expAdd(e: number): void {
    const m = this.m;
    if (this.expLen === this.expCap) {
      const cap = this.expCap === 0 ? 16 : this.expCap * 2;
      this.expV = this.expV === 0 ? m.alloc(cap * 4) : m.realloc(this.expV, cap * 4);
      this.expCap = cap;
    }
    const pos = this.expLen++;
    m.u32[this.expV >>> OFF_BITS][((this.expV & OFF_MASK) << 1) + pos] = e;
    setObjExpirePos(m, e, pos);
  }

  private _expRemove(e: number): void {
    const m = this.m;
    const pos = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 6];
    const vu = m.u32[this.expV >>> OFF_BITS];
    const vb = (this.expV & OFF_MASK) << 1;
    const last = --this.expLen;
    if (pos !== last) {
      const moved = vu[vb + last];
      vu[vb + pos] = moved;
      setObjExpirePos(m, moved, pos);
    }
    if (this.expLen === 0 && this.expCap > 1024) {
      m.free(this.expV);
      this.expV = 0;
      this.expCap = 0;
    } else if (this.expCap > 64 && this.expLen * 8 < this.expCap) {
      this.expCap = this.expCap / 2;
      this.expV = m.realloc(this.expV, this.expCap * 4);
    }
  }

  private _expReplace(old: number, ne: number): void {
    const m = this.m;
    const pos = m.u32[old >>> OFF_BITS][((old & OFF_MASK) << 1) + 6];
    m.u32[this.expV >>> OFF_BITS][((this.expV & OFF_MASK) << 1) + pos] = ne;
    setObjExpirePos(m, ne, pos);
  }

  /** Entry with a TTL at index i of the expires vector (active expiry sampling). */
  expireAt(i: number): number {
    return this.m.u32[this.expV >>> OFF_BITS][((this.expV & OFF_MASK) << 1) + i];
  }

  /** Entry handles with a TTL, copied (volatile eviction sampling picks from these). */
  randomVolatile(): number {
    if (this.expLen === 0) return 0;
    return this.expireAt(Math.floor(Math.random() * this.expLen));
  }

  // ---- iteration ----

  scan(cursor: number, fn: (e: number) => void): number {
    return dictScan(this.m, this.dict, cursor, fn);
  }

  forEach(fn: (e: number) => void): void {
    dictForEach(this.m, this.dict, fn);
  }

  /** A random key's entry, skipping (and deleting) expired ones, as dbRandomKey. */
  randomKey(): number {
    for (;;) {
      let e = 0;
      const sample: number[] = [];
      const n = dictSample(this.m, this.dict, 15, sample);
      if (n > 0) e = sample[Math.floor(Math.random() * n)];
      else e = dictRandom(this.m, this.dict);
      if (e === 0) return 0;
      if (this.isExpired(e)) {
        if (this.store.expireDeletesPaused) return e;
        this.expireIfNeeded(e);
        continue;
      }
      return e;
    }
  }

  /** Sample entries for eviction (dictGetSomeKeys). */
  sample(count: number, out: number[]): number {
    return dictSample(this.m, this.dict, count, out);
  }

  /**
   * Remove every key. With `lazy` (FLUSH* ASYNC) the whole dict and expires vector are swapped
   * for empty ones and freed in steps by the lazy-free job, so the command returns at once.
   */
  clear(lazy = false): number {
    const n = this.size();
    const m = this.m;
    const hook = this.store.hooks.lazyFreeDb;
    if (lazy && hook && n > 0) {
      this.store.hooks.flushing?.(this);
      const old = this.dict;
      const oldExp = this.expV;
      this.dict = dictCreate(m);
      this._resetExpires();
      hook(old, oldExp, this.store);
      return n;
    }
    dictClear(m, this.dict, (e) => {
      this._unlinked(e);
      this.store.freeEntry(e, lazy);
    });
    if (this.expV !== 0) m.free(this.expV);
    this._resetExpires();
    return n;
  }

  private _resetExpires(): void {
    this.expV = 0;
    this.expLen = 0;
    this.expCap = 0;
    this.avgTtl = 0;
    this.expireCursor = 0;
  }

  /** Exchange contents with another db (SWAPDB). */
  swapWith(other: Db): void {
    const t = [this.dict, this.expV, this.expLen, this.expCap, this.avgTtl, this.expireCursor];
    this.dict = other.dict;
    this.expV = other.expV;
    this.expLen = other.expLen;
    this.expCap = other.expCap;
    this.avgTtl = other.avgTtl;
    this.expireCursor = other.expireCursor;
    [other.dict, other.expV, other.expLen, other.expCap, other.avgTtl, other.expireCursor] = t;
  }

  /** Shrink the tables if mostly empty (cron). */
  shrinkIfNeeded(): void {
    dictShrinkIfNeeded(this.m, this.dict);
  }

  /** Report a stream key leaving the keyspace (unlinkedStream hook), by key bytes. */
  unlinkedKey(b: Uint8Array, off: number, len: number): void {
    const e = this.find(b, off, len);
    if (e !== 0) this._unlinked(e);
  }

  /** Report a stream entry leaving the keyspace to the unlinkedStream hook. */
  private _unlinked(e: number): void {
    const hook = this.store.hooks.unlinkedStream;
    if (hook === undefined || objType(this.m, e) !== OBJ_STREAM) return;
    hook(this, this.m.u8[e >>> OFF_BITS], objKeyOff(this.m, e), objKeyLen(this.m, e));
  }

  /** The entry's key as a fresh copy. */
  keyOf(e: number): Uint8Array {
    return this._keyCopy(e);
  }
}
