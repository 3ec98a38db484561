// Intset: Redis's sorted set of integers, byte for byte, in one arena allocation (the RDB
// "intset" blob is exactly these bytes). Used by small all-integer sets. Depends on memory/ only;
// knows nothing of clients, replies or the keyspace.
//
// Layout (little-endian, Redis's struct intset):
//   +0 u32 encoding   bytes per element: INTSET_ENC_INT16 (2), _INT32 (4) or _INT64 (8)
//   +4 u32 length     element count
//   +8 contents       `length` ascending, distinct int16/int32/int64 values
// The encoding grows when a value that does not fit is added (never shrinks on removal).
//
// Handles: add and remove resize the allocation and may move it; they return the handle to keep.
// int64: 8-byte elements are handled as two 32-bit words (lo unsigned, hi signed), so every
// int64 is exact. The number API is exact for safe integers (|v| < 2^53) and throws on anything
// else; the *Big functions take and return bigints for the rest (the only path that allocates).
//
//   find / contains       O(log n), no allocation
//   add / remove          O(n) memmove; appending a new maximum is O(1) amortised
//   get / random / len    O(1)

import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";

export const INTSET_ENC_INT16 = 2; // int16_t elements
export const INTSET_ENC_INT32 = 4; // int32_t elements
export const INTSET_ENC_INT64 = 8; // int64_t elements
/** Bytes before the first element (encoding + length). */
export const INTSET_HEADER = 8;

const TWO32 = 4294967296;

// ---- value splitting: every value is handled as (hi, lo) 32-bit words internally ----

let _hi = 0; // signed high word of the value being processed
let _lo = 0; // unsigned low word
/** Set by add/remove: whether the last call changed the set (Redis's `success` out-param). */
let _changed = false;

function _split(v: number): void {
  if (v >= -2147483648 && v <= 2147483647 && (v | 0) === v) {
    _hi = v < 0 ? -1 : 0;
    _lo = v >>> 0;
    return;
  }
  if (!Number.isSafeInteger(v)) {
    throw new RangeError(`Intset value "${v}" is not a safe integer: use the *Big functions`);
  }
  const hi = Math.floor(v / TWO32);
  _hi = hi | 0;
  _lo = (v - hi * TWO32) >>> 0;
}

function _splitBig(v: bigint): void {
  if (v < -9223372036854775808n || v > 9223372036854775807n) {
    throw new RangeError(`Intset value "${v}" is outside the int64 range`);
  }
  _hi = Number(BigInt.asIntN(32, v >> 32n));
  _lo = Number(BigInt.asUintN(32, v));
}

/** Smallest encoding that holds the value (hi, lo). */
function _encFor(hi: number, lo: number): number {
  if (hi === 0) return lo <= 0x7fff ? INTSET_ENC_INT16 : lo <= 0x7fffffff ? INTSET_ENC_INT32 : 8;
  if (hi === -1) {
    return lo >= 0xffff8000 ? INTSET_ENC_INT16 : lo >= 0x80000000 ? INTSET_ENC_INT32 : 8;
  }
  return INTSET_ENC_INT64;
}

// ---- element access (o = byte offset of the allocation in its chunk) ----

function _get16(u8: Uint8Array, o: number, i: number): number {
  const p = o + INTSET_HEADER + 2 * i;
  return ((u8[p] | (u8[p + 1] << 8)) << 16) >> 16;
}

/** Element i as a number (exact when the value is a safe integer). */
function _getNum(m: Heap, is: number, enc: number, i: number): number {
  const ci = is >>> OFF_BITS;
  const o = (is & OFF_MASK) << 3;
  if (enc === INTSET_ENC_INT16) return _get16(m.u8[ci], o, i);
  const u32 = m.u32[ci];
  if (enc === INTSET_ENC_INT32) return u32[(o >> 2) + 2 + i] | 0;
  const w = (o >> 2) + 2 + 2 * i;
  return (u32[w + 1] | 0) * TWO32 + u32[w];
}

/** Write (hi, lo) as element i with encoding enc. */
function _set(m: Heap, is: number, enc: number, i: number, hi: number, lo: number): void {
  const ci = is >>> OFF_BITS;
  const o = (is & OFF_MASK) << 3;
  if (enc === INTSET_ENC_INT16) {
    const u8 = m.u8[ci];
    const p = o + INTSET_HEADER + 2 * i;
    u8[p] = lo & 0xff;
    u8[p + 1] = (lo >>> 8) & 0xff;
  } else if (enc === INTSET_ENC_INT32) {
    m.u32[ci][(o >> 2) + 2 + i] = lo;
  } else {
    const u32 = m.u32[ci];
    const w = (o >> 2) + 2 + 2 * i;
    u32[w] = lo;
    u32[w + 1] = hi >>> 0;
  }
}

function _setLen(m: Heap, is: number, len: number): void {
  m.u32[is >>> OFF_BITS][((is & OFF_MASK) << 1) + 1] = len;
}

/**
 * Binary search for (hi, lo), which must fit the set's encoding. Returns the index when found,
 * otherwise -(insertion position) - 1.
 */
function _search(m: Heap, is: number, hi: number, lo: number): number {
  const ci = is >>> OFF_BITS;
  const o = (is & OFF_MASK) << 3;
  const u32 = m.u32[ci];
  const enc = u32[o >> 2];
  const len = u32[(o >> 2) + 1];
  if (len === 0) return -1;
  let a = 0;
  let b = len - 1;
  if (enc === INTSET_ENC_INT64) {
    const base = (o >> 2) + 2;
    // new extremes are common (ascending inserts): check the ends first
    let w = base + 2 * b;
    let h = u32[w + 1] | 0;
    if (h < hi || (h === hi && u32[w] < lo)) return -len - 1;
    h = u32[base + 1] | 0;
    if (h > hi || (h === hi && u32[base] > lo)) return -1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      w = base + 2 * mid;
      h = u32[w + 1] | 0;
      if (h < hi || (h === hi && u32[w] < lo)) a = mid + 1;
      else if (h !== hi || u32[w] !== lo) b = mid - 1;
      else return mid;
    }
    return -a - 1;
  }
  const v = hi * TWO32 + lo; // small: exact
  if (enc === INTSET_ENC_INT32) {
    const base = (o >> 2) + 2;
    if ((u32[base + b] | 0) < v) return -len - 1;
    if ((u32[base] | 0) > v) return -1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      const cur = u32[base + mid] | 0;
      if (cur < v) a = mid + 1;
      else if (cur > v) b = mid - 1;
      else return mid;
    }
    return -a - 1;
  }
  const u8 = m.u8[ci];
  if (_get16(u8, o, b) < v) return -len - 1;
  if (_get16(u8, o, 0) > v) return -1;
  while (a <= b) {
    const mid = (a + b) >>> 1;
    const cur = _get16(u8, o, mid);
    if (cur < v) a = mid + 1;
    else if (cur > v) b = mid - 1;
    else return mid;
  }
  return -a - 1;
}

// ---- Intset API ----

/** A new empty intset (int16 encoding). */
export function intsetNew(m: Heap): number {
  const is = m.alloc(INTSET_HEADER);
  const u32 = m.u32[is >>> OFF_BITS];
  const w = (is & OFF_MASK) << 1;
  u32[w] = INTSET_ENC_INT16;
  u32[w + 1] = 0;
  return is;
}

export function intsetFree(m: Heap, is: number): void {
  m.free(is);
}

/** Element count. */
export function intsetLen(m: Heap, is: number): number {
  return m.u32[is >>> OFF_BITS][((is & OFF_MASK) << 1) + 1];
}

/** Bytes per element (2, 4 or 8). */
export function intsetEncoding(m: Heap, is: number): number {
  return m.u32[is >>> OFF_BITS][(is & OFF_MASK) << 1];
}

/** Size of the blob (header + elements): what RDB stores and Redis's intsetBlobLen returns. */
export function intsetBlobLen(m: Heap, is: number): number {
  const u32 = m.u32[is >>> OFF_BITS];
  const w = (is & OFF_MASK) << 1;
  return INTSET_HEADER + u32[w] * u32[w + 1];
}

/** Bytes of memory held (the allocation's usable size), for MEMORY USAGE. */
export function intsetMemUsage(m: Heap, is: number): number {
  return m.usableSize(is);
}

/** True when the last intsetAdd* added the value / the last intsetRemove* removed it. */
export function intsetChanged(): boolean {
  return _changed;
}

function _add(m: Heap, is: number, hi: number, lo: number): number {
  const u32 = m.u32[is >>> OFF_BITS];
  const w = (is & OFF_MASK) << 1;
  const enc = u32[w];
  const len = u32[w + 1];
  const venc = _encFor(hi, lo);
  if (venc > enc) {
    _changed = true;
    return _upgradeAndAdd(m, is, enc, len, venc, hi, lo);
  }
  const r = _search(m, is, hi, lo);
  if (r >= 0) {
    _changed = false;
    return is;
  }
  const pos = -r - 1;
  is = m.realloc(is, INTSET_HEADER + (len + 1) * enc);
  if (pos < len) {
    const o = ((is & OFF_MASK) << 3) + INTSET_HEADER;
    m.u8[is >>> OFF_BITS].copyWithin(o + (pos + 1) * enc, o + pos * enc, o + len * enc);
  }
  _set(m, is, enc, pos, hi, lo);
  _setLen(m, is, len + 1);
  _changed = true;
  return is;
}

/**
 * Widen every element to venc and add (hi, lo), which is out of the old range so it goes first
 * (negative) or last (positive). Elements are rewritten back to front so none is overwritten
 * before it is read.
 */
function _upgradeAndAdd(
  m: Heap,
  is: number,
  enc: number,
  len: number,
  venc: number,
  hi: number,
  lo: number,
): number {
  const prepend = hi < 0 ? 1 : 0;
  is = m.realloc(is, INTSET_HEADER + (len + 1) * venc);
  for (let i = len - 1; i >= 0; i--) {
    const v = _getNum(m, is, enc, i); // enc <= 4 here: always exact
    _set(m, is, venc, i + prepend, v < 0 ? -1 : 0, v >>> 0);
  }
  _set(m, is, venc, prepend ? 0 : len, hi, lo);
  const u32 = m.u32[is >>> OFF_BITS];
  const w = (is & OFF_MASK) << 1;
  u32[w] = venc;
  u32[w + 1] = len + 1;
  return is;
}

function _removeAt(m: Heap, is: number, pos: number): number {
  const u32 = m.u32[is >>> OFF_BITS];
  const w = (is & OFF_MASK) << 1;
  const enc = u32[w];
  const len = u32[w + 1];
  if (pos < len - 1) {
    const o = ((is & OFF_MASK) << 3) + INTSET_HEADER;
    m.u8[is >>> OFF_BITS].copyWithin(o + pos * enc, o + (pos + 1) * enc, o + len * enc);
  }
  _setLen(m, is, len - 1);
  return m.realloc(is, INTSET_HEADER + (len - 1) * enc);
}

/** Add v (a safe integer). Returns the handle to keep; intsetChanged() tells if v was new. */
export function intsetAdd(m: Heap, is: number, v: number): number {
  _split(v);
  return _add(m, is, _hi, _lo);
}

/** Add any int64 exactly. Returns the handle to keep; intsetChanged() tells if v was new. */
export function intsetAddBig(m: Heap, is: number, v: bigint): number {
  _splitBig(v);
  return _add(m, is, _hi, _lo);
}

function _remove(m: Heap, is: number, hi: number, lo: number): number {
  _changed = false;
  if (_encFor(hi, lo) > intsetEncoding(m, is)) return is;
  const r = _search(m, is, hi, lo);
  if (r < 0) return is;
  _changed = true;
  return _removeAt(m, is, r);
}

/** Remove v (a safe integer). Returns the handle to keep; intsetChanged() tells if v was there. */
export function intsetRemove(m: Heap, is: number, v: number): number {
  _split(v);
  return _remove(m, is, _hi, _lo);
}

/** Remove any int64 exactly. Returns the handle to keep; intsetChanged() tells if v was there. */
export function intsetRemoveBig(m: Heap, is: number, v: bigint): number {
  _splitBig(v);
  return _remove(m, is, _hi, _lo);
}

/** Remove the element at index i (0 <= i < len), e.g. after intsetRandomIndex (SPOP). */
export function intsetRemoveAt(m: Heap, is: number, i: number): number {
  _changed = true;
  return _removeAt(m, is, i);
}

function _find(m: Heap, is: number, hi: number, lo: number): number {
  if (_encFor(hi, lo) > intsetEncoding(m, is)) return -1;
  const r = _search(m, is, hi, lo);
  return r < 0 ? -1 : r;
}

/** Whether v (a safe integer) is a member. */
export function intsetFind(m: Heap, is: number, v: number): boolean {
  _split(v);
  return _find(m, is, _hi, _lo) >= 0;
}

/** Whether an int64 is a member. */
export function intsetFindBig(m: Heap, is: number, v: bigint): boolean {
  _splitBig(v);
  return _find(m, is, _hi, _lo) >= 0;
}

/** Index of v (a safe integer), or -1. */
export function intsetIndexOf(m: Heap, is: number, v: number): number {
  _split(v);
  return _find(m, is, _hi, _lo);
}

/**
 * Element i (0 <= i < len) as a number. Exact when the result is a safe integer; when
 * !Number.isSafeInteger(result) the stored value is beyond 2^53: read it with intsetGetBig.
 */
export function intsetGet(m: Heap, is: number, i: number): number {
  return _getNum(m, is, intsetEncoding(m, is), i);
}

/** Element i exactly, as a bigint (allocates: for values beyond 2^53 only). */
export function intsetGetBig(m: Heap, is: number, i: number): bigint {
  const enc = intsetEncoding(m, is);
  if (enc !== INTSET_ENC_INT64) return BigInt(_getNum(m, is, enc, i));
  const w = ((is & OFF_MASK) << 1) + 2 + 2 * i;
  const u32 = m.u32[is >>> OFF_BITS];
  return (BigInt(u32[w + 1] | 0) << 32n) + BigInt(u32[w]);
}

/** Whether element i is a safe integer (so intsetGet is exact). */
export function intsetGetIsSafe(m: Heap, is: number, i: number): boolean {
  if (intsetEncoding(m, is) !== INTSET_ENC_INT64) return true;
  const w = ((is & OFF_MASK) << 1) + 2 + 2 * i;
  const u32 = m.u32[is >>> OFF_BITS];
  const hi = u32[w + 1] | 0;
  // |v| < 2^53  <=>  -2^21 <= hi < 2^21, excluding hi = -2^21 with lo = 0 (v = -2^53)
  return hi >= -0x200000 && hi < 0x200000 && !(hi === -0x200000 && u32[w] === 0);
}

/** Random index in [0, len) (len > 0), for SPOP / SRANDMEMBER. */
export function intsetRandomIndex(m: Heap, is: number): number {
  return Math.floor(Math.random() * intsetLen(m, is));
}

/** A random element (len > 0), as intsetGet. */
export function intsetRandom(m: Heap, is: number): number {
  return intsetGet(m, is, intsetRandomIndex(m, is));
}

/** Smallest element (len > 0), as intsetGet. */
export function intsetMin(m: Heap, is: number): number {
  return intsetGet(m, is, 0);
}

/** Largest element (len > 0), as intsetGet. */
export function intsetMax(m: Heap, is: number): number {
  return intsetGet(m, is, intsetLen(m, is) - 1);
}

/** Deep copy (COPY, SINTERSTORE of one set). */
export function intsetDup(m: Heap, is: number): number {
  const n = intsetBlobLen(m, is);
  const d = m.alloc(n);
  const so = (is & OFF_MASK) << 3;
  m.u8[d >>> OFF_BITS].set(m.u8[is >>> OFF_BITS].subarray(so, so + n), (d & OFF_MASK) << 3);
  return d;
}

/** Byte offset of the blob inside m.u8[is >>> OFF_BITS] (RDB save copies intsetBlobLen bytes). */
export function intsetBlobOff(is: number): number {
  return (is & OFF_MASK) << 3;
}

/** A view of the blob bytes (allocates a view object: for RDB/DEBUG, not hot paths). */
export function intsetBlob(m: Heap, is: number): Uint8Array {
  const o = (is & OFF_MASK) << 3;
  return m.u8[is >>> OFF_BITS].subarray(o, o + intsetBlobLen(m, is));
}

// ---- foreign blobs (RDB) ----

function _rd32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/**
 * Redis's intsetValidateIntegrity over a blob from outside (an RDB payload): the header is
 * readable, the encoding is 2/4/8, the size matches the length exactly and the set is not
 * empty; with `deep`, elements are strictly ascending too.
 */
export function intsetValidate(b: Uint8Array, off: number, size: number, deep: boolean): boolean {
  if (size < INTSET_HEADER || off < 0 || off + size > b.length) return false;
  const enc = _rd32(b, off);
  if (enc !== INTSET_ENC_INT16 && enc !== INTSET_ENC_INT32 && enc !== INTSET_ENC_INT64) {
    return false;
  }
  const count = _rd32(b, off + 4);
  if (INTSET_HEADER + count * enc !== size) return false;
  if (count === 0) return false;
  if (!deep) return true;
  let p = off + INTSET_HEADER;
  if (enc === INTSET_ENC_INT64) {
    let plo = _rd32(b, p);
    let phi = _rd32(b, p + 4) | 0;
    for (let i = 1; i < count; i++) {
      p += 8;
      const lo = _rd32(b, p);
      const hi = _rd32(b, p + 4) | 0;
      if (hi < phi || (hi === phi && lo <= plo)) return false;
      plo = lo;
      phi = hi;
    }
    return true;
  }
  let prev = enc === INTSET_ENC_INT16 ? ((b[p] | (b[p + 1] << 8)) << 16) >> 16 : _rd32(b, p) | 0;
  for (let i = 1; i < count; i++) {
    p += enc;
    const cur = enc === INTSET_ENC_INT16 ? ((b[p] | (b[p + 1] << 8)) << 16) >> 16 : _rd32(b, p) | 0;
    if (cur <= prev) return false;
    prev = cur;
  }
  return true;
}

/** Copy a blob (validated by the caller with intsetValidate) into a new intset. */
export function intsetLoad(m: Heap, b: Uint8Array, off: number, size: number): number {
  const is = m.alloc(size);
  m.u8[is >>> OFF_BITS].set(b.subarray(off, off + size), (is & OFF_MASK) << 3);
  return is;
}
