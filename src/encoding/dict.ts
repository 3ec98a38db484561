// Dict: Redis's chained hash table, living entirely in arena memory. Two tables during an
// incremental rehash, growth at load 1 (forced at 5 when resizing is disallowed), shrink under
// 10% fill, and the reverse-binary SCAN cursor that returns every element present for a whole
// scan at least once even across resizes. Depends on memory/ only.
//
// Header (48-byte allocation, u32 words):
//   [0] table0  [1] size0  [2] used0  [3] table1  [4] size1  [5] used1
//   [6] rehashidx (-1 when not rehashing)  [7] pauserehash (safe iterators / scans)
// Tables are arrays of u32 entry handles (0 = empty bucket).
// Entries (any allocation at least 16 bytes, 8-aligned) share one layout:
//   +0 u32 next   +4 u32 meta (owner's)   +8 u32 klen | EXT flag (bit 31)   +12 u32 aux (owner's)
//   +16 [16 bytes of owner data when EXT is set]   then the key bytes.
//
//   find / add / delete  O(1) average, plus one rehash step while rehashing
//   scan                 O(1) per bucket; a full scan is O(n)

import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";

export const ENTRY_HEADER = 16;
export const ENTRY_EXT = 16;
export const EXT_FLAG = 0x80000000;
export const KLEN_MASK = 0x7fffffff;

const INITIAL_SIZE = 4;
const FORCE_RESIZE_RATIO = 5;
const MIN_FILL_PERCENT = 10;

const W_T0 = 0;
const W_S0 = 1;
const W_U0 = 2;
const W_T1 = 3;
const W_S1 = 4;
const W_U1 = 5;
const W_REHASH = 6;
const W_PAUSE = 7;

/** Global switch, off while a snapshot holds a consistent view (Redis's dict_can_resize). */
export const dictResizePolicy = { canResize: true };

let _seed = (Math.random() * 0x100000000) >>> 0;
/** Fix the hash seed (tests that want reproducible SCAN orders). */
export function setHashSeed(seed: number): void {
  _seed = seed >>> 0;
}

/** Seeded MurmurHash3 (x86, 32-bit) of a byte range. */
export function hashBytes(b: Uint8Array, off: number, len: number): number {
  let h = _seed;
  const end4 = off + (len & ~3);
  let i = off;
  for (; i < end4; i += 4) {
    let k = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (len & 3) {
    case 3:
      k ^= b[i + 2] << 16;
    // falls through
    case 2:
      k ^= b[i + 1] << 8;
    // falls through
    case 1:
      k ^= b[i];
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Byte offset (from the entry start) of an entry's key. */
export function entryKeyOffset(m: Heap, e: number): number {
  return (m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG) ? 32 : 16;
}

function _entryHash(m: Heap, e: number): number {
  const u32 = m.u32[e >>> OFF_BITS];
  const o = (e & OFF_MASK) << 3;
  const w = u32[(o >> 2) + 2];
  const ko = o + ((w & EXT_FLAG) ? 32 : 16);
  return hashBytes(m.u8[e >>> OFF_BITS], ko, w & KLEN_MASK);
}

export function dictCreate(m: Heap): number {
  const d = m.alloc(32);
  const u = m.u32[d >>> OFF_BITS];
  const b = (d & OFF_MASK) << 1;
  u.fill(0, b, b + 8);
  u[b + W_REHASH] = 0xffffffff;
  return d;
}

function _hw(m: Heap, d: number): Uint32Array {
  return m.u32[d >>> OFF_BITS];
}

export function dictSize(m: Heap, d: number): number {
  const u = _hw(m, d);
  const b = (d & OFF_MASK) << 1;
  return u[b + W_U0] + u[b + W_U1];
}

/** Number of buckets (both tables). */
export function dictBuckets(m: Heap, d: number): number {
  const u = _hw(m, d);
  const b = (d & OFF_MASK) << 1;
  return u[b + W_S0] + u[b + W_S1];
}

export function dictIsRehashing(m: Heap, d: number): boolean {
  return _hw(m, d)[((d & OFF_MASK) << 1) + W_REHASH] !== 0xffffffff;
}

/** Sizes for INFO/DEBUG: [size0, used0, size1, used1]. */
export function dictTableStats(m: Heap, d: number): number[] {
  const u = _hw(m, d);
  const b = (d & OFF_MASK) << 1;
  return [u[b + W_S0], u[b + W_U0], u[b + W_S1], u[b + W_U1]];
}

// ---- lookup state left by dictFind for dictReplaceFound / dictUnlinkFound ----
let _fPrev = 0; // entry whose next points at the found one, or 0 when it heads its bucket
let _fTable = 0; // table handle holding the bucket
let _fIdx = 0; // bucket index
let _fTableWord = W_U0; // which used counter to adjust

function _keyEq(m: Heap, e: number, b: Uint8Array, off: number, len: number): boolean {
  const ci = e >>> OFF_BITS;
  const o = (e & OFF_MASK) << 3;
  const w = m.u32[ci][(o >> 2) + 2];
  if ((w & KLEN_MASK) !== len) return false;
  const u8 = m.u8[ci];
  let ko = o + ((w & EXT_FLAG) ? 32 : 16);
  for (let i = 0; i < len; i++) if (u8[ko++] !== b[off + i]) return false;
  return true;
}

/**
 * Find the entry whose key equals b[off..off+len). `hash` is hashBytes of the key. Returns the
 * entry handle or 0. After a hit, dictReplaceFound / dictUnlinkFound act on that entry.
 */
export function dictFind(
  m: Heap,
  d: number,
  b: Uint8Array,
  off: number,
  len: number,
  hash: number,
): number {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  if (hu[hb + W_U0] + hu[hb + W_U1] === 0) return 0;
  if (hu[hb + W_REHASH] !== 0xffffffff && hu[hb + W_PAUSE] === 0) _rehash(m, d, 1);
  for (let t = 0; t < 2; t++) {
    const size = hu[hb + (t === 0 ? W_S0 : W_S1)];
    if (size === 0) break;
    const table = hu[hb + (t === 0 ? W_T0 : W_T1)];
    const idx = hash & (size - 1);
    const tu = m.u32[table >>> OFF_BITS];
    let e = tu[((table & OFF_MASK) << 1) + idx];
    let prev = 0;
    while (e !== 0) {
      if (_keyEq(m, e, b, off, len)) {
        _fPrev = prev;
        _fTable = table;
        _fIdx = idx;
        _fTableWord = t === 0 ? W_U0 : W_U1;
        return e;
      }
      prev = e;
      e = m.u32[e >>> OFF_BITS][(e & OFF_MASK) << 1];
    }
    if (hu[hb + W_REHASH] === 0xffffffff) break;
  }
  return 0;
}

/** Put `ne` in place of the entry dictFind just returned (same key; it may have moved). */
export function dictReplaceFound(m: Heap, old: number, ne: number): void {
  const next = m.u32[old >>> OFF_BITS][(old & OFF_MASK) << 1];
  m.u32[ne >>> OFF_BITS][(ne & OFF_MASK) << 1] = next;
  if (_fPrev === 0) m.u32[_fTable >>> OFF_BITS][((_fTable & OFF_MASK) << 1) + _fIdx] = ne;
  else m.u32[_fPrev >>> OFF_BITS][(_fPrev & OFF_MASK) << 1] = ne;
}

/** Unlink the entry dictFind just returned (the caller frees it). */
export function dictUnlinkFound(m: Heap, d: number, e: number): void {
  const next = m.u32[e >>> OFF_BITS][(e & OFF_MASK) << 1];
  if (_fPrev === 0) m.u32[_fTable >>> OFF_BITS][((_fTable & OFF_MASK) << 1) + _fIdx] = next;
  else m.u32[_fPrev >>> OFF_BITS][(_fPrev & OFF_MASK) << 1] = next;
  _hw(m, d)[((d & OFF_MASK) << 1) + _fTableWord]--;
}

/** Add an entry whose key is not present. */
export function dictAdd(m: Heap, d: number, e: number, hash: number): void {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  if (hu[hb + W_REHASH] !== 0xffffffff) {
    if (hu[hb + W_PAUSE] === 0) _rehash(m, d, 1);
  } else {
    _expandIfNeeded(m, d);
  }
  // re-read: expansion may have started a rehash
  const hu2 = _hw(m, d);
  const rehashing = hu2[hb + W_REHASH] !== 0xffffffff;
  const table = hu2[hb + (rehashing ? W_T1 : W_T0)];
  const size = hu2[hb + (rehashing ? W_S1 : W_S0)];
  const tu = m.u32[table >>> OFF_BITS];
  const slot = ((table & OFF_MASK) << 1) + (hash & (size - 1));
  m.u32[e >>> OFF_BITS][(e & OFF_MASK) << 1] = tu[slot];
  tu[slot] = e;
  hu2[hb + (rehashing ? W_U1 : W_U0)]++;
}

function _expandIfNeeded(m: Heap, d: number): void {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  const size = hu[hb + W_S0];
  const used = hu[hb + W_U0];
  if (size === 0) {
    _expand(m, d, INITIAL_SIZE);
    return;
  }
  if (used >= size && (dictResizePolicy.canResize || used / size > FORCE_RESIZE_RATIO)) {
    _expand(m, d, used + 1);
  }
}

function _nextPow(n: number): number {
  let s = INITIAL_SIZE;
  while (s < n) s *= 2;
  return s;
}

/** Create a table of at least `want` buckets: the first table, or table1 plus a rehash. */
function _expand(m: Heap, d: number, want: number): boolean {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  if (hu[hb + W_REHASH] !== 0xffffffff || hu[hb + W_U0] > want) return false;
  const size = _nextPow(want);
  if (size === hu[hb + W_S0]) return false;
  const t = m.calloc(size * 4);
  const hu2 = _hw(m, d); // allocation never moves the header, but views may be re-read
  if (hu2[hb + W_S0] === 0) {
    hu2[hb + W_T0] = t;
    hu2[hb + W_S0] = size;
    return true;
  }
  hu2[hb + W_T1] = t;
  hu2[hb + W_S1] = size;
  hu2[hb + W_U1] = 0;
  hu2[hb + W_REHASH] = 0;
  return true;
}

/**
 * Presize for `size` elements before a bulk insert (dictExpand): a table of the next power of
 * two, or a rehash towards it. False when rehashing or already holding more than `size`.
 */
export function dictExpand(m: Heap, d: number, size: number): boolean {
  return _expand(m, d, size);
}

/** Shrink (or grow) to fit the element count, as dictResize. */
export function dictResize(m: Heap, d: number): boolean {
  if (!dictResizePolicy.canResize) return false;
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  if (hu[hb + W_REHASH] !== 0xffffffff) return false;
  let minimal = hu[hb + W_U0];
  if (minimal < INITIAL_SIZE) minimal = INITIAL_SIZE;
  return _expand(m, d, minimal);
}

/** Redis htNeedsResize: more than 4 buckets and under 10% full. */
export function dictNeedsShrink(m: Heap, d: number): boolean {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  const size = hu[hb + W_S0] + hu[hb + W_S1];
  const used = hu[hb + W_U0] + hu[hb + W_U1];
  return size > INITIAL_SIZE && (used * 100) / size < MIN_FILL_PERCENT;
}

/** Shrink if under 10% full (called after deletions and from cron). */
export function dictShrinkIfNeeded(m: Heap, d: number): void {
  if (dictNeedsShrink(m, d)) dictResize(m, d);
}

/** Move up to n buckets from table0 to table1. Returns true while rehashing remains. */
function _rehash(m: Heap, d: number, n: number): boolean {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  let emptyVisits = n * 10;
  const t0 = hu[hb + W_T0];
  const t1 = hu[hb + W_T1];
  const s1 = hu[hb + W_S1];
  const t0u = m.u32[t0 >>> OFF_BITS];
  const t0b = (t0 & OFF_MASK) << 1;
  const t1u = m.u32[t1 >>> OFF_BITS];
  const t1b = (t1 & OFF_MASK) << 1;
  let idx = hu[hb + W_REHASH];
  while (n-- > 0 && hu[hb + W_U0] !== 0) {
    while (t0u[t0b + idx] === 0) {
      idx++;
      if (--emptyVisits === 0) {
        hu[hb + W_REHASH] = idx;
        return true;
      }
    }
    let e = t0u[t0b + idx];
    while (e !== 0) {
      const eu = m.u32[e >>> OFF_BITS];
      const eo = (e & OFF_MASK) << 1;
      const next = eu[eo];
      const slot = t1b + (_entryHash(m, e) & (s1 - 1));
      eu[eo] = t1u[slot];
      t1u[slot] = e;
      hu[hb + W_U0]--;
      hu[hb + W_U1]++;
      e = next;
    }
    t0u[t0b + idx] = 0;
    idx++;
  }
  if (hu[hb + W_U0] === 0) {
    m.free(t0);
    hu[hb + W_T0] = t1;
    hu[hb + W_S0] = s1;
    hu[hb + W_U0] = hu[hb + W_U1];
    hu[hb + W_T1] = 0;
    hu[hb + W_S1] = 0;
    hu[hb + W_U1] = 0;
    hu[hb + W_REHASH] = 0xffffffff;
    return false;
  }
  hu[hb + W_REHASH] = idx;
  return true;
}

/** Rehash for about `ms` milliseconds (cron). Returns buckets-steps done (100 per round). */
export function dictRehashMs(m: Heap, d: number, ms: number): number {
  if (!dictIsRehashing(m, d) || _hw(m, d)[((d & OFF_MASK) << 1) + W_PAUSE] !== 0) return 0;
  const start = performance.now();
  let rounds = 0;
  while (_rehash(m, d, 100)) {
    rounds += 100;
    if (performance.now() - start > ms) break;
  }
  return rounds;
}

export function dictPause(m: Heap, d: number): void {
  _hw(m, d)[((d & OFF_MASK) << 1) + W_PAUSE]++;
}

export function dictResume(m: Heap, d: number): void {
  _hw(m, d)[((d & OFF_MASK) << 1) + W_PAUSE]--;
}

// ---- scanning and iteration ----

function _rev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  v = (v >>> 16) | (v << 16);
  return v >>> 0;
}

function _emitBucket(m: Heap, table: number, idx: number, fn: (e: number) => void): void {
  let e = m.u32[table >>> OFF_BITS][((table & OFF_MASK) << 1) + idx];
  while (e !== 0) {
    const next = m.u32[e >>> OFF_BITS][(e & OFF_MASK) << 1];
    fn(e);
    e = next;
  }
}

/**
 * One SCAN step from cursor v (the low 32 bits of the client's cursor): emits the entries of
 * the bucket(s) at v and returns the next cursor (0 when the scan is complete).
 */
export function dictScan(m: Heap, d: number, v: number, fn: (e: number) => void): number {
  if (dictSize(m, d) === 0) return 0;
  dictPause(m, d);
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  v = v >>> 0;
  if (hu[hb + W_REHASH] === 0xffffffff) {
    const m0 = hu[hb + W_S0] - 1;
    _emitBucket(m, hu[hb + W_T0], v & m0, fn);
    v = (v | ~m0) >>> 0;
    v = _rev32(v);
    v = (v + 1) >>> 0;
    v = _rev32(v);
  } else {
    let t0 = hu[hb + W_T0];
    let t1 = hu[hb + W_T1];
    let s0 = hu[hb + W_S0];
    let s1 = hu[hb + W_S1];
    if (s0 > s1) {
      [t0, t1] = [t1, t0];
      [s0, s1] = [s1, s0];
    }
    const m0 = s0 - 1;
    const m1 = s1 - 1;
    _emitBucket(m, t0, v & m0, fn);
    do {
      _emitBucket(m, t1, v & m1, fn);
      v = (v | ~m1) >>> 0;
      v = _rev32(v);
      v = (v + 1) >>> 0;
      v = _rev32(v);
    } while ((v & (m0 ^ m1)) !== 0);
  }
  dictResume(m, d);
  return v;
}

/** Visit every entry. `fn` may delete the entry it is given (rehashing is paused meanwhile). */
export function dictForEach(m: Heap, d: number, fn: (e: number) => void): void {
  dictPause(m, d);
  try {
    for (let t = 0; t < 2; t++) {
      const hu = _hw(m, d);
      const hb = (d & OFF_MASK) << 1;
      const table = hu[hb + (t === 0 ? W_T0 : W_T1)];
      const size = hu[hb + (t === 0 ? W_S0 : W_S1)];
      for (let i = 0; i < size; i++) _emitBucket(m, table, i, fn);
    }
  } finally {
    dictResume(m, d);
  }
}

/** A uniformly chosen bucket's random entry, as dictGetRandomKey. 0 when empty. */
export function dictRandom(m: Heap, d: number): number {
  if (dictSize(m, d) === 0) return 0;
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  if (hu[hb + W_REHASH] !== 0xffffffff && hu[hb + W_PAUSE] === 0) _rehash(m, d, 1);
  const rehashing = hu[hb + W_REHASH] !== 0xffffffff;
  const s0 = hu[hb + W_S0];
  const s1 = hu[hb + W_S1];
  let head = 0;
  if (rehashing) {
    const from = hu[hb + W_REHASH];
    const span = s0 + s1 - from;
    while (head === 0) {
      const i = from + Math.floor(Math.random() * span);
      head = i >= s0 ? _bucket(m, hu[hb + W_T1], i - s0) : _bucket(m, hu[hb + W_T0], i);
    }
  } else {
    const t0 = hu[hb + W_T0];
    while (head === 0) head = _bucket(m, t0, Math.floor(Math.random() * s0));
  }
  let len = 0;
  for (let e = head; e !== 0; e = _next(m, e)) len++;
  let pick = Math.floor(Math.random() * len);
  let e = head;
  while (pick-- > 0) e = _next(m, e);
  return e;
}

/** dictGetFairRandomKey samples this many entries and picks one of them. */
const GETFAIR_NUM_ENTRIES = 15;
const _fair: number[] = [];

/**
 * A random entry chosen more fairly than dictRandom (dictGetFairRandomKey): sample up to 15
 * entries with dictSample and pick one of them, falling back to dictRandom when the sample is
 * empty. 0 when the dict is empty.
 */
export function dictGetFairRandomKey(m: Heap, d: number): number {
  const n = dictSample(m, d, GETFAIR_NUM_ENTRIES, _fair);
  if (n === 0) return dictRandom(m, d);
  return _fair[Math.floor(Math.random() * n)];
}

/**
 * Sample up to `count` entries from consecutive buckets at a random place (dictGetSomeKeys):
 * fast, not uniform. Returns how many were written to `out`.
 */
export function dictSample(m: Heap, d: number, count: number, out: number[]): number {
  const size = dictSize(m, d);
  if (count > size) count = size;
  if (count === 0) return 0;
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  for (let j = 0; j < count && hu[hb + W_REHASH] !== 0xffffffff && hu[hb + W_PAUSE] === 0; j++) {
    _rehash(m, d, 1);
  }
  const rehashing = hu[hb + W_REHASH] !== 0xffffffff;
  const tables = rehashing ? 2 : 1;
  const s0 = hu[hb + W_S0];
  const s1 = hu[hb + W_S1];
  let maxsize = s0;
  if (tables > 1 && s1 > maxsize) maxsize = s1;
  const maxmask = maxsize - 1;
  let i = Math.floor(Math.random() * maxsize);
  let stored = 0;
  let emptylen = 0;
  let maxsteps = count * 10;
  while (stored < count && maxsteps-- > 0) {
    for (let t = 0; t < tables; t++) {
      const rehashidx = hu[hb + W_REHASH];
      if (tables === 2 && t === 0 && i < rehashidx) {
        // already moved to table1: skip, or jump to a valid index
        if (i >= s1) i = rehashidx;
        else continue;
      }
      const ts = t === 0 ? s0 : s1;
      if (i >= ts) continue;
      let e = _bucket(m, hu[hb + (t === 0 ? W_T0 : W_T1)], i);
      if (e === 0) {
        emptylen++;
        if (emptylen >= 5 && emptylen > count) {
          i = Math.floor(Math.random() * maxsize);
          emptylen = 0;
        }
      } else {
        emptylen = 0;
        while (e !== 0) {
          out[stored++] = e;
          if (stored === count) return stored;
          e = _next(m, e);
        }
      }
    }
    i = (i + 1) & maxmask;
  }
  return stored;
}

function _bucket(m: Heap, table: number, i: number): number {
  return m.u32[table >>> OFF_BITS][((table & OFF_MASK) << 1) + i];
}

function _next(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][(e & OFF_MASK) << 1];
}

/**
 * Unlink up to `budget` entries, calling `free` on each (lazy free in steps). Returns true when
 * the dict is empty and its header and tables were freed. Only for a detached dict: the pause
 * word then holds the bucket to resume from, so each call continues where the last stopped.
 */
export function dictReleaseSome(
  m: Heap,
  d: number,
  budget: number,
  free: (e: number) => void,
): boolean {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  while (budget > 0) {
    const t = hu[hb + W_U0] > 0 ? 0 : hu[hb + W_U1] > 0 ? 1 : -1;
    if (t < 0) break;
    const table = hu[hb + (t === 0 ? W_T0 : W_T1)];
    const size = hu[hb + (t === 0 ? W_S0 : W_S1)];
    const usedW = t === 0 ? W_U0 : W_U1;
    const tu = m.u32[table >>> OFF_BITS];
    const tb = (table & OFF_MASK) << 1;
    let i = hu[hb + W_PAUSE];
    // buckets of table0 below rehashidx were already moved to table1
    if (t === 0 && hu[hb + W_REHASH] !== 0xffffffff && i < hu[hb + W_REHASH]) i = hu[hb + W_REHASH];
    for (; i < size && budget > 0 && hu[hb + usedW] > 0; i++) {
      let e = tu[tb + i];
      while (e !== 0 && budget > 0) {
        const next = _next(m, e);
        tu[tb + i] = next;
        hu[hb + usedW]--;
        free(e);
        budget--;
        e = next;
      }
      if (e !== 0) break; // budget ran out inside this chain: resume here
    }
    hu[hb + W_PAUSE] = hu[hb + usedW] === 0 ? 0 : i;
  }
  if (hu[hb + W_U0] + hu[hb + W_U1] > 0) return false;
  if (hu[hb + W_T0] !== 0) m.free(hu[hb + W_T0]);
  if (hu[hb + W_T1] !== 0) m.free(hu[hb + W_T1]);
  m.free(d);
  return true;
}

/** Empty the dict (freeing entries through `free`) but keep it usable. */
export function dictClear(m: Heap, d: number, free: (e: number) => void): void {
  const hu = _hw(m, d);
  const hb = (d & OFF_MASK) << 1;
  for (let t = 0; t < 2; t++) {
    const table = hu[hb + (t === 0 ? W_T0 : W_T1)];
    const size = hu[hb + (t === 0 ? W_S0 : W_S1)];
    if (table === 0) continue;
    for (let i = 0; i < size; i++) {
      let e = _bucket(m, table, i);
      while (e !== 0) {
        const next = _next(m, e);
        free(e);
        e = next;
      }
    }
    m.free(table);
  }
  hu.fill(0, hb, hb + 8);
  hu[hb + W_REHASH] = 0xffffffff;
}
