// Listpack: Redis 7.0's compact sequence of strings and integers, byte for byte the layout Redis
// writes (so RDB files carry it unchanged), in one arena allocation. A pure structure over
// memory/: it must not import clients, replies or the store.
//
// Layout (little endian):  +0 u32 total bytes  +4 u16 element count (65535: unknown, count them)
//                          entries...  0xFF terminator
// Entry: <encoding + data> <backlen>. backlen is the size of <encoding + data> in 1..5 bytes of 7
// bits, most significant first, every byte but the first with the high bit set, so it reads
// right to left from the byte before the next entry.
//   0xxxxxxx                     7-bit uint 0..127                   1 byte
//   10LLLLLL <data>              string, len < 64                    1 + len
//   110xxxxx xxxxxxxx            13-bit int -4096..4095              2
//   1110LLLL LLLLLLLL <data>     string, len < 4096                  2 + len
//   0xF0 <u32 len> <data>        string                              5 + len
//   0xF1 / 0xF2 / 0xF3 / 0xF4    16 / 24 / 32 / 64-bit int           3 / 4 / 5 / 9
//   0xFF                         end of listpack
// A value that is a canonical int64 decimal (string2ll rules) is always stored as an integer.
//
// Handles and positions: a listpack is a heap handle; every mutating function returns the
// (possibly moved) handle, which the caller must store. An element position `p` is a byte offset
// from the listpack start (>= LP_HDR_SIZE); 0 means "no element". Positions stay valid until the
// next write to the same listpack.
//
// Reading never allocates: lpGet/lpGetBytes fill the module register `lpEl` (see LpEntry), which
// stays valid until the next listpack or quicklist call or the next write to that memory.
//
//   append / pop at the tail         O(1) amortised (realloc stays in place within a size class)
//   prepend / insert / delete        O(n) bytes moved
//   seek / find / length (65535+)    O(n)

import type { Heap } from "../memory/allocator.ts";
import { copyBytes, OFF_BITS, OFF_MASK } from "../memory/arena.ts";

export const LP_HDR_SIZE = 6;
export const LP_HDR_NUMELE_UNKNOWN = 65535;
export const LP_EOF = 0xff;
/** lpInsert: put the new element before / after the one at the position. */
export const LP_BEFORE = 0;
export const LP_AFTER = 1;
/** Longest decimal form of an int64 ("-9223372036854775808") plus one. */
export const LP_INTBUF_SIZE = 21;
/** No listpack grows beyond 1 GiB (keeps the u32 total-bytes field safe). */
export const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

const TWO32 = 4294967296;
const EMPTY = new Uint8Array(0);

/**
 * The element register. After lpGet:
 * - a string element: isInt = false and buf[off, off+len) are its bytes, inside arena memory;
 * - an integer element: isInt = true and `int` is its value. When the value is beyond ±(2^53-1)
 *   `exact` is false, `int` is only the nearest double, and buf/off/len already hold its exact
 *   decimal text; `hi`/`lo` are its two's complement halves (hi signed, lo unsigned).
 * lpGetBytes / lpElBytes always leave the decimal text of an integer in buf/off/len (in a
 * module scratch buffer). Valid until the next listpack/quicklist call or write.
 */
export class LpEntry {
  isInt = false;
  int = 0;
  exact = true;
  hi = 0;
  lo = 0;
  buf: Uint8Array = EMPTY;
  off = 0;
  len = 0;
}

/** The shared element register filled by every read. */
export const lpEl: LpEntry = new LpEntry();

/**
 * Second result of some writes: lpInsert/lpReplace leave the new element's position in
 * `lpOut.pos`; lpDelete/lpDeleteRangeWithEntry leave the position of the element that followed
 * the deleted ones (0 when they were the last).
 */
export const lpOut = { pos: 0 };

/** Scratch for decimal renderings of integers (register contract above). */
const INTBUF = new Uint8Array(24);

// ---- Low-level byte helpers ----

function _u32(u8: Uint8Array, q: number): number {
  return (u8[q] | (u8[q + 1] << 8) | (u8[q + 2] << 16) | (u8[q + 3] << 24)) >>> 0;
}

function _setU32(u8: Uint8Array, q: number, v: number): void {
  u8[q] = v & 0xff;
  u8[q + 1] = (v >>> 8) & 0xff;
  u8[q + 2] = (v >>> 16) & 0xff;
  u8[q + 3] = (v >>> 24) & 0xff;
}

/** Bytes of the backlen that describes an entry of `l` bytes (Redis's exact thresholds). */
function _backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function _writeBacklen(u8: Uint8Array, q: number, l: number): number {
  if (l <= 127) {
    u8[q] = l;
    return 1;
  }
  if (l < 16383) {
    u8[q] = l >>> 7;
    u8[q + 1] = (l & 127) | 128;
    return 2;
  }
  if (l < 2097151) {
    u8[q] = l >>> 14;
    u8[q + 1] = ((l >>> 7) & 127) | 128;
    u8[q + 2] = (l & 127) | 128;
    return 3;
  }
  if (l < 268435455) {
    u8[q] = l >>> 21;
    u8[q + 1] = ((l >>> 14) & 127) | 128;
    u8[q + 2] = ((l >>> 7) & 127) | 128;
    u8[q + 3] = (l & 127) | 128;
    return 4;
  }
  u8[q] = l >>> 28;
  u8[q + 1] = ((l >>> 21) & 127) | 128;
  u8[q + 2] = ((l >>> 14) & 127) | 128;
  u8[q + 3] = ((l >>> 7) & 127) | 128;
  u8[q + 4] = (l & 127) | 128;
  return 5;
}

/** Decode a backlen whose last byte is at q; -1 when it runs over 5 bytes. */
function _readBacklen(u8: Uint8Array, q: number): number {
  let v = 0;
  let mul = 1;
  for (;;) {
    const c = u8[q];
    v += (c & 127) * mul;
    if (!(c & 128)) return v;
    mul *= 128;
    q--;
    if (mul > 268435456) return -1;
  }
}

/** Size of the encoding + data of the entry at q (0 for an invalid encoding byte). */
function _encSize(u8: Uint8Array, q: number): number {
  const b = u8[q];
  if (b < 0x80) return 1;
  if (b < 0xc0) return 1 + (b & 0x3f);
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 2 + (((b & 0x0f) << 8) | u8[q + 1]);
  switch (b) {
    case 0xf0:
      return 5 + _u32(u8, q + 1);
    case 0xf1:
      return 3;
    case 0xf2:
      return 4;
    case 0xf3:
      return 5;
    case 0xf4:
      return 9;
    case 0xff:
      return 1;
  }
  return 0;
}

/** Bytes of the encoding header (type + length) of the entry at q; 0 when invalid. */
function _encHeaderSize(b: number): number {
  if (b < 0xe0) return 1;
  if (b < 0xf0) return 2;
  if (b === 0xf0) return 5;
  if (b <= 0xf4 || b === 0xff) return 1;
  return 0;
}

/** Absolute offset of the entry after the one at q. */
function _skip(u8: Uint8Array, q: number): number {
  const l = _encSize(u8, q);
  return q + l + _backlenSize(l);
}

const _copy = copyBytes;

function _bytesEq(a: Uint8Array, ao: number, b: Uint8Array, bo: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

// ---- Decoding ----

/** Render the exact decimal of a 64-bit two's complement (hi signed, lo unsigned) in INTBUF. */
function _render64(el: LpEntry, hi: number, lo: number): void {
  const neg = hi < 0;
  let h = hi >>> 0;
  let l = lo;
  if (neg) {
    if (l === 0) h = (-h) >>> 0;
    else {
      l = TWO32 - l;
      h = (~h) >>> 0;
    }
  }
  let p = INTBUF.length;
  do {
    const rh = h % 10;
    h = (h - rh) / 10;
    const cur = rh * TWO32 + l;
    const rl = cur % 10;
    l = (cur - rl) / 10;
    INTBUF[--p] = 48 + rl;
  } while (h !== 0 || l !== 0);
  if (neg) INTBUF[--p] = 45;
  el.buf = INTBUF;
  el.off = p;
  el.len = INTBUF.length - p;
}

/** Render a safe integer's decimal in INTBUF. */
function _renderNum(el: LpEntry, v: number): void {
  const neg = v < 0;
  if (neg) v = -v;
  let p = INTBUF.length;
  do {
    const r = v % 10;
    INTBUF[--p] = 48 + r;
    v = (v - r) / 10;
  } while (v !== 0);
  if (neg) INTBUF[--p] = 45;
  el.buf = INTBUF;
  el.off = p;
  el.len = INTBUF.length - p;
}

/** Decode the entry at absolute offset q into el; returns its encoding + data size. */
function _decode(el: LpEntry, u8: Uint8Array, q: number): number {
  const b = u8[q];
  if (b < 0x80) {
    el.isInt = true;
    el.exact = true;
    el.int = b;
    return 1;
  }
  if (b < 0xc0) {
    el.isInt = false;
    el.buf = u8;
    el.off = q + 1;
    el.len = b & 0x3f;
    return 1 + el.len;
  }
  if (b < 0xe0) {
    const v = ((b & 0x1f) << 8) | u8[q + 1];
    el.isInt = true;
    el.exact = true;
    el.int = v >= 4096 ? v - 8192 : v;
    return 2;
  }
  if (b < 0xf0) {
    el.isInt = false;
    el.buf = u8;
    el.off = q + 2;
    el.len = ((b & 0x0f) << 8) | u8[q + 1];
    return 2 + el.len;
  }
  switch (b) {
    case 0xf0: {
      el.isInt = false;
      el.buf = u8;
      el.off = q + 5;
      el.len = _u32(u8, q + 1);
      return 5 + el.len;
    }
    case 0xf1: {
      const v = u8[q + 1] | (u8[q + 2] << 8);
      el.isInt = true;
      el.exact = true;
      el.int = v >= 0x8000 ? v - 0x10000 : v;
      return 3;
    }
    case 0xf2: {
      const v = u8[q + 1] | (u8[q + 2] << 8) | (u8[q + 3] << 16);
      el.isInt = true;
      el.exact = true;
      el.int = v >= 0x800000 ? v - 0x1000000 : v;
      return 4;
    }
    case 0xf3: {
      el.isInt = true;
      el.exact = true;
      el.int = u8[q + 1] | (u8[q + 2] << 8) | (u8[q + 3] << 16) | (u8[q + 4] << 24);
      return 5;
    }
    case 0xf4: {
      const lo = _u32(u8, q + 1);
      const hi = _u32(u8, q + 5) | 0;
      const v = hi * TWO32 + lo;
      el.isInt = true;
      el.hi = hi;
      el.lo = lo;
      el.int = v;
      el.exact = Number.isSafeInteger(v);
      if (!el.exact) _render64(el, hi, lo);
      return 9;
    }
  }
  // Not a valid encoding (corrupt data): Redis reports 12345678900000000 + byte; so do we.
  el.isInt = true;
  el.exact = true;
  el.int = 12345678900000000 + b;
  return 1;
}

// ---- Encoding a new element ----

// The element being written, prepared by _prepBytes/_prepInt before the memory is moved.
let _pKind = 0; // 0 string, 1 integer held in _pInt, 2 int64 held in _pHi/_pLo
let _pEnc = 0; // encoding + data size
let _pInt = 0;
let _pHi = 0;
let _pLo = 0;

function _intEncSize(v: number): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/**
 * string2ll on b[off, off+len): on success leaves the value prepared (_pKind 1 or 2) and returns
 * true. Rejects "", "-", "-0", leading zeros, spaces, "+", and anything outside int64.
 */
function _parseInt(b: Uint8Array, off: number, len: number): boolean {
  if (len === 0 || len > 20) return false;
  const end = off + len;
  let i = off;
  let c = b[i];
  let neg = false;
  if (c === 45) {
    if (len === 1) return false;
    neg = true;
    c = b[++i];
  }
  if (c < 49 || c > 57) {
    if (c === 48 && len === 1) {
      _pKind = 1;
      _pInt = 0;
      _pEnc = 1;
      return true;
    }
    return false;
  }
  const nd = end - i;
  if (nd <= 15) {
    let v = c - 48;
    for (i++; i < end; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) return false;
      v = v * 10 + d;
    }
    if (neg) v = -v;
    _pKind = 1;
    _pInt = v;
    _pEnc = _intEncSize(v);
    return true;
  }
  if (nd > 19) return false;
  // 16..19 digits: accumulate the magnitude exactly in two 32-bit limbs
  let hi = 0;
  let lo = c - 48;
  for (i++; i < end; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return false;
    lo = lo * 10 + d;
    const carry = Math.floor(lo / TWO32);
    lo -= carry * TWO32;
    hi = hi * 10 + carry;
  }
  if (hi >= 0x80000000 && !(neg && hi === 0x80000000 && lo === 0)) return false;
  const mag = hi * TWO32 + lo;
  _pEnc = 9;
  if (mag <= Number.MAX_SAFE_INTEGER) {
    _pKind = 1;
    _pInt = neg ? -mag : mag;
    return true;
  }
  if (neg) {
    if (lo === 0) hi = (-hi) >>> 0;
    else {
      lo = TWO32 - lo;
      hi = (~hi) >>> 0;
    }
  }
  _pKind = 2;
  _pHi = hi | 0;
  _pLo = lo;
  return true;
}

function _prepBytes(b: Uint8Array, off: number, len: number): void {
  if (len <= 20 && _parseInt(b, off, len)) return;
  _pKind = 0;
  _pEnc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
}

function _prepInt(v: number): void {
  if (!Number.isSafeInteger(v)) {
    throw new RangeError(`Listpack integer "${v}" is not a safe integer`);
  }
  _pKind = 1;
  _pInt = v;
  _pEnc = _intEncSize(v);
}

function _write64(u8: Uint8Array, q: number, hi: number, lo: number): void {
  u8[q] = 0xf4;
  _setU32(u8, q + 1, lo);
  _setU32(u8, q + 5, hi);
}

function _writeInt(u8: Uint8Array, q: number, v: number): void {
  if (v >= 0 && v <= 127) {
    u8[q] = v;
  } else if (v >= -4096 && v <= 4095) {
    const x = v < 0 ? v + 8192 : v;
    u8[q] = 0xc0 | (x >>> 8);
    u8[q + 1] = x & 0xff;
  } else if (v >= -32768 && v <= 32767) {
    u8[q] = 0xf1;
    u8[q + 1] = v & 0xff;
    u8[q + 2] = (v >> 8) & 0xff;
  } else if (v >= -8388608 && v <= 8388607) {
    u8[q] = 0xf2;
    u8[q + 1] = v & 0xff;
    u8[q + 2] = (v >> 8) & 0xff;
    u8[q + 3] = (v >> 16) & 0xff;
  } else if (v >= -2147483648 && v <= 2147483647) {
    u8[q] = 0xf3;
    _setU32(u8, q + 1, v >>> 0);
  } else {
    const hi = Math.floor(v / TWO32); // floor keeps lo in [0, 2^32) for negatives too
    _write64(u8, q, hi, v - hi * TWO32);
  }
}

/** Write the prepared element (and its backlen) at q. */
function _writePrepared(u8: Uint8Array, q: number, b: Uint8Array, off: number, len: number): void {
  if (_pKind === 0) {
    let d: number;
    if (len < 64) {
      u8[q] = 0x80 | len;
      d = q + 1;
    } else if (len < 4096) {
      u8[q] = 0xe0 | (len >>> 8);
      u8[q + 1] = len & 0xff;
      d = q + 2;
    } else {
      u8[q] = 0xf0;
      _setU32(u8, q + 1, len);
      d = q + 5;
    }
    _copy(b, off, u8, d, len);
  } else if (_pKind === 1) {
    _writeInt(u8, q, _pInt);
  } else {
    _write64(u8, q, _pHi, _pLo);
  }
  _writeBacklen(u8, q + _pEnc, _pEnc);
}

// ---- Creation, size, freeing ----

/**
 * Bytes an element b[off, off+len) takes in a listpack (encoding, data and backlen), e.g. to
 * size lpNew's capacity for a first element.
 */
export function lpEncodedSize(b: Uint8Array, off: number, len: number): number {
  _prepBytes(b, off, len);
  return _pEnc + _backlenSize(_pEnc);
}

/** A new empty listpack with room for at least `capacity` bytes. */
export function lpNew(m: Heap, capacity = 0): number {
  const lp = m.alloc(capacity > LP_HDR_SIZE + 1 ? capacity : LP_HDR_SIZE + 1);
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  _setU32(u8, base, LP_HDR_SIZE + 1);
  u8[base + 4] = 0;
  u8[base + 5] = 0;
  u8[base + LP_HDR_SIZE] = LP_EOF;
  return lp;
}

export function lpFree(m: Heap, lp: number): void {
  m.free(lp);
}

/** Total bytes (header, entries and terminator). */
export function lpBytes(m: Heap, lp: number): number {
  return _u32(m.u8[lp >>> OFF_BITS], (lp & OFF_MASK) << 3);
}

/**
 * Number of elements. The header caches counts below 65535; past that the listpack is scanned
 * (and the header refreshed when the count fits again).
 */
export function lpLength(m: Heap, lp: number): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  const n = u8[base + 4] | (u8[base + 5] << 8);
  if (n !== LP_HDR_NUMELE_UNKNOWN) return n;
  let count = 0;
  let q = base + LP_HDR_SIZE;
  while (u8[q] !== LP_EOF) {
    count++;
    q = _skip(u8, q);
  }
  if (count < LP_HDR_NUMELE_UNKNOWN) {
    u8[base + 4] = count & 0xff;
    u8[base + 5] = count >>> 8;
  }
  return count;
}

/** Would adding `add` bytes keep the listpack under LISTPACK_MAX_SAFETY_SIZE? (lp may be 0) */
export function lpSafeToAdd(m: Heap, lp: number, add: number): boolean {
  const len = lp === 0 ? 0 : lpBytes(m, lp);
  return len + add <= LISTPACK_MAX_SAFETY_SIZE;
}

/** Give back the allocation's slack when a smaller size class fits; returns the handle. */
export function lpShrinkToFit(m: Heap, lp: number): number {
  const size = lpBytes(m, lp);
  return size < m.usableSize(lp) ? m.realloc(lp, size) : lp;
}

/** A copy in a new allocation of exactly lpBytes. */
export function lpDup(m: Heap, lp: number): number {
  const size = lpBytes(m, lp);
  const nh = m.alloc(size);
  _copy(
    m.u8[lp >>> OFF_BITS],
    (lp & OFF_MASK) << 3,
    m.u8[nh >>> OFF_BITS],
    (nh & OFF_MASK) << 3,
    size,
  );
  return nh;
}

/** Copy a (validated) listpack image into a new allocation. */
export function lpFromBytes(m: Heap, buf: Uint8Array, off: number, len: number): number {
  const lp = m.alloc(len);
  _copy(buf, off, m.u8[lp >>> OFF_BITS], (lp & OFF_MASK) << 3, len);
  return lp;
}

// ---- Navigation ----

/** Position of the first element, 0 when empty. */
export function lpFirst(m: Heap, lp: number): number {
  return m.u8[lp >>> OFF_BITS][((lp & OFF_MASK) << 3) + LP_HDR_SIZE] === LP_EOF ? 0 : LP_HDR_SIZE;
}

/** Position of the last element, 0 when empty. */
export function lpLast(m: Heap, lp: number): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  return _prevPos(u8, base, _u32(u8, base) - 1);
}

/** Position of the element after p, 0 when p is the last. */
export function lpNext(m: Heap, lp: number, p: number): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  const q = _skip(u8, base + p);
  return u8[q] === LP_EOF ? 0 : q - base;
}

/** Position of the element before p (p may be the terminator), 0 when p is the first. */
export function lpPrev(m: Heap, lp: number, p: number): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  return _prevPos(u8, (lp & OFF_MASK) << 3, p);
}

function _prevPos(u8: Uint8Array, base: number, p: number): number {
  if (p <= LP_HDR_SIZE) return 0;
  const l = _readBacklen(u8, base + p - 1);
  return p - l - _backlenSize(l);
}

/**
 * Position of element `index` (negative counts from the tail, -1 is the last); 0 when out of
 * range. Walks from whichever end is nearer when the count is known.
 */
export function lpSeek(m: Heap, lp: number, index: number): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  const n = u8[base + 4] | (u8[base + 5] << 8);
  let forward = true;
  if (n !== LP_HDR_NUMELE_UNKNOWN) {
    if (index < 0) index += n;
    if (index < 0 || index >= n) return 0;
    if (index > (n >> 1)) {
      forward = false;
      index -= n;
    }
  } else if (index < 0) {
    forward = false;
  }
  if (forward) {
    let q = base + LP_HDR_SIZE;
    if (u8[q] === LP_EOF) return 0;
    while (index > 0) {
      q = _skip(u8, q);
      if (u8[q] === LP_EOF) return 0;
      index--;
    }
    return q - base;
  }
  let p = _prevPos(u8, base, _u32(u8, base) - 1);
  while (index < -1 && p !== 0) {
    p = _prevPos(u8, base, p);
    index++;
  }
  return p;
}

// ---- Reading ----

/** Decode the element at p into the register `lpEl` (see LpEntry). HOT PATH: no allocation. */
export function lpGet(m: Heap, lp: number, p: number): LpEntry {
  _decode(lpEl, m.u8[lp >>> OFF_BITS], ((lp & OFF_MASK) << 3) + p);
  return lpEl;
}

/** Like lpGet, but integers also get their decimal text in buf/off/len (scratch buffer). */
export function lpGetBytes(m: Heap, lp: number, p: number): LpEntry {
  _decode(lpEl, m.u8[lp >>> OFF_BITS], ((lp & OFF_MASK) << 3) + p);
  if (lpEl.isInt && lpEl.exact) _renderNum(lpEl, lpEl.int);
  return lpEl;
}

/** Make buf/off/len of a register filled by lpGet hold the element's bytes. */
export function lpElBytes(el: LpEntry = lpEl): LpEntry {
  if (el.isInt) {
    if (el.exact) _renderNum(el, el.int);
    else _render64(el, el.hi, el.lo);
  }
  return el;
}

/**
 * Copy the decimal text of the register's integer into out at 0 (lpElBytes renders into a
 * shared scratch that the next render overwrites); returns its length. No allocation.
 */
export function lpElIntText(el: LpEntry, out: Uint8Array): number {
  lpElBytes(el);
  const b = el.buf;
  const o = el.off;
  const n = el.len;
  for (let i = 0; i < n; i++) out[i] = b[o + i];
  return n;
}

/** The register's value as an exact bigint (integers only; allocates). */
export function lpElBigInt(el: LpEntry = lpEl): bigint {
  if (el.exact) return BigInt(el.int);
  return (BigInt(el.hi) << 32n) + BigInt(el.lo);
}

/** The element at p as a latin1 JS string (allocates: tests, debugging, rare paths). */
export function lpGetString(m: Heap, lp: number, p: number): string {
  const el = lpGetBytes(m, lp, p);
  let s = "";
  for (let i = 0; i < el.len; i += 8192) {
    const n = Math.min(8192, el.len - i);
    s += String.fromCharCode.apply(
      null,
      el.buf.subarray(el.off + i, el.off + i + n) as unknown as number[],
    );
  }
  return s;
}

/**
 * Decode the entry at absolute offset q of any buffer (a validated image not yet copied into
 * the arena, e.g. an RDB payload) into lpEl; returns the offset of the next entry.
 */
export function lpDecodeAt(buf: Uint8Array, q: number): number {
  const l = _decode(lpEl, buf, q);
  return q + l + _backlenSize(l);
}

// Search value state for _matches (the search bytes are parsed as an integer at most once).
let _sState = 0; // 0 not parsed yet, 1 integer (_sKind/_sInt/_sHi/_sLo), 2 not an integer
let _sKind = 0;
let _sInt = 0;
let _sHi = 0;
let _sLo = 0;

/** Does the decoded register equal the bytes b[off, off+len)? */
function _matches(el: LpEntry, b: Uint8Array, off: number, len: number): boolean {
  if (!el.isInt) return el.len === len && _bytesEq(el.buf, el.off, b, off, len);
  if (_sState === 0) {
    if (len < 32 && _parseInt(b, off, len)) {
      _sState = 1;
      _sKind = _pKind;
      _sInt = _pInt;
      _sHi = _pHi;
      _sLo = _pLo;
    } else {
      _sState = 2;
    }
  }
  if (_sState !== 1) return false;
  if (el.exact) return _sKind === 1 && el.int === _sInt;
  return _sKind === 2 && el.hi === _sHi && el.lo === _sLo;
}

/** Is the element at p equal to the bytes b[off, off+len)? (integers compare by value) */
export function lpCompare(
  m: Heap,
  lp: number,
  p: number,
  b: Uint8Array,
  off: number,
  len: number,
): boolean {
  const u8 = m.u8[lp >>> OFF_BITS];
  const q = ((lp & OFF_MASK) << 3) + p;
  if (u8[q] === LP_EOF) return false;
  _decode(lpEl, u8, q);
  _sState = 0;
  return _matches(lpEl, b, off, len);
}

/**
 * Find the first element equal to b[off, off+len) starting at position p, comparing one element
 * and then skipping `skip` (skip = 1 visits the fields of field,value pairs). Returns its
 * position or 0.
 */
export function lpFind(
  m: Heap,
  lp: number,
  p: number,
  b: Uint8Array,
  off: number,
  len: number,
  skip: number,
): number {
  if (p === 0) return 0;
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  const el = lpEl;
  _sState = 0;
  let q = base + p;
  let skipcnt = 0;
  while (u8[q] !== LP_EOF) {
    if (skipcnt === 0) {
      const l = _decode(el, u8, q);
      if (_matches(el, b, off, len)) return q - base;
      skipcnt = skip;
      q += l + _backlenSize(l);
    } else {
      skipcnt--;
      q = _skip(u8, q);
    }
  }
  return 0;
}

// ---- Writing ----

/**
 * Make room at poff: replace `replaced` bytes by the prepared element (or by nothing when
 * `del`), growing the allocation before moving memory and shrinking it after, as Redis does.
 */
function _insert(
  m: Heap,
  lp: number,
  poff: number,
  replaced: number,
  del: boolean,
  countDelta: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  let u8 = m.u8[lp >>> OFF_BITS];
  let base = (lp & OFF_MASK) << 3;
  const old = _u32(u8, base);
  const add = del ? 0 : _pEnc + _backlenSize(_pEnc);
  const nb = old + add - replaced;
  if (nb > 0xffffffff) throw new RangeError("Listpack would exceed 4 GiB");
  if (nb > old && nb > m.usableSize(lp)) {
    lp = m.realloc(lp, nb);
    u8 = m.u8[lp >>> OFF_BITS];
    base = (lp & OFF_MASK) << 3;
  }
  const q = base + poff;
  if (add !== replaced) u8.copyWithin(q + add, q + replaced, base + old);
  if (nb < old) {
    lp = m.realloc(lp, nb);
    u8 = m.u8[lp >>> OFF_BITS];
    base = (lp & OFF_MASK) << 3;
  }
  const d = base + poff;
  if (!del) _writePrepared(u8, d, b, off, len);
  if (countDelta !== 0) {
    const n = u8[base + 4] | (u8[base + 5] << 8);
    if (n !== LP_HDR_NUMELE_UNKNOWN) {
      const nn = n + countDelta;
      u8[base + 4] = nn & 0xff;
      u8[base + 5] = nn >>> 8;
    }
  }
  _setU32(u8, base, nb);
  lpOut.pos = del && u8[d] === LP_EOF ? 0 : poff;
  return lp;
}

function _endPos(m: Heap, lp: number): number {
  return lpBytes(m, lp) - 1;
}

/**
 * Append b[off, off+len) (stored as an integer when it is a canonical int64). Returns the
 * handle. The source bytes must not lie inside this listpack.
 */
export function lpAppend(m: Heap, lp: number, b: Uint8Array, off: number, len: number): number {
  _prepBytes(b, off, len);
  return _insert(m, lp, _endPos(m, lp), 0, false, 1, b, off, len);
}

/** Prepend b[off, off+len). Returns the handle. */
export function lpPrepend(m: Heap, lp: number, b: Uint8Array, off: number, len: number): number {
  _prepBytes(b, off, len);
  return _insert(m, lp, LP_HDR_SIZE, 0, false, 1, b, off, len);
}

/** Append a safe integer. Returns the handle. */
export function lpAppendInt(m: Heap, lp: number, v: number): number {
  _prepInt(v);
  return _insert(m, lp, _endPos(m, lp), 0, false, 1, EMPTY, 0, 0);
}

/** Prepend a safe integer. Returns the handle. */
export function lpPrependInt(m: Heap, lp: number, v: number): number {
  _prepInt(v);
  return _insert(m, lp, LP_HDR_SIZE, 0, false, 1, EMPTY, 0, 0);
}

/**
 * Insert b[off, off+len) before or after (LP_BEFORE / LP_AFTER) the element at p. Returns the
 * handle; lpOut.pos is the new element's position.
 */
export function lpInsert(
  m: Heap,
  lp: number,
  p: number,
  where: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  if (where === LP_AFTER) {
    p = _skip(m.u8[lp >>> OFF_BITS], ((lp & OFF_MASK) << 3) + p) - ((lp & OFF_MASK) << 3);
  }
  _prepBytes(b, off, len);
  return _insert(m, lp, p, 0, false, 1, b, off, len);
}

/** lpInsert for a safe integer. */
export function lpInsertInt(m: Heap, lp: number, p: number, where: number, v: number): number {
  if (where === LP_AFTER) {
    p = _skip(m.u8[lp >>> OFF_BITS], ((lp & OFF_MASK) << 3) + p) - ((lp & OFF_MASK) << 3);
  }
  _prepInt(v);
  return _insert(m, lp, p, 0, false, 1, EMPTY, 0, 0);
}

/** Replace the element at p by b[off, off+len). Returns the handle; lpOut.pos = p. */
export function lpReplace(
  m: Heap,
  lp: number,
  p: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  const replaced = _skip(u8, ((lp & OFF_MASK) << 3) + p) - ((lp & OFF_MASK) << 3) - p;
  _prepBytes(b, off, len);
  return _insert(m, lp, p, replaced, false, 0, b, off, len);
}

/** Replace the element at p by a safe integer. Returns the handle; lpOut.pos = p. */
export function lpReplaceInt(m: Heap, lp: number, p: number, v: number): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  const replaced = _skip(u8, ((lp & OFF_MASK) << 3) + p) - ((lp & OFF_MASK) << 3) - p;
  _prepInt(v);
  return _insert(m, lp, p, replaced, false, 0, EMPTY, 0, 0);
}

/**
 * Delete the element at p. Returns the handle; lpOut.pos is the position of the element that
 * followed (now at p), or 0 when the deleted one was the last.
 */
export function lpDelete(m: Heap, lp: number, p: number): number {
  const u8 = m.u8[lp >>> OFF_BITS];
  const replaced = _skip(u8, ((lp & OFF_MASK) << 3) + p) - ((lp & OFF_MASK) << 3) - p;
  return _insert(m, lp, p, replaced, true, -1, EMPTY, 0, 0);
}

/**
 * Delete `num` elements starting with the one at p (num < 0: to the end). Returns the handle;
 * lpOut.pos is the position of the first element left after them, or 0.
 */
export function lpDeleteRangeWithEntry(m: Heap, lp: number, p: number, num: number): number {
  if (num === 0) {
    lpOut.pos = p;
    return lp;
  }
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  const bytes = _u32(u8, base);
  const first = base + p;
  let tail = first;
  let deleted = 0;
  if (num < 0) num = Infinity;
  while (num-- > 0) {
    deleted++;
    tail = _skip(u8, tail);
    if (u8[tail] === LP_EOF) break;
  }
  u8.copyWithin(first, tail, base + bytes);
  _setU32(u8, base, bytes - (tail - first));
  const n = u8[base + 4] | (u8[base + 5] << 8);
  if (n !== LP_HDR_NUMELE_UNKNOWN) {
    const nn = n - deleted;
    u8[base + 4] = nn & 0xff;
    u8[base + 5] = nn >>> 8;
  }
  const nlp = lpShrinkToFit(m, lp);
  lpOut.pos = m.u8[nlp >>> OFF_BITS][((nlp & OFF_MASK) << 3) + p] === LP_EOF ? 0 : p;
  return nlp;
}

/**
 * Delete `num` elements starting at element `index` (negative from the tail; num < 0 means
 * to the end). Nothing happens when index is out of range. Returns the handle.
 */
export function lpDeleteRange(m: Heap, lp: number, index: number, num: number): number {
  if (num === 0) return lp;
  const p = lpSeek(m, lp, index);
  if (p === 0) return lp;
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  const n = u8[base + 4] | (u8[base + 5] << 8);
  if (n !== LP_HDR_NUMELE_UNKNOWN && index < 0) index += n;
  if (n !== LP_HDR_NUMELE_UNKNOWN && (num < 0 || n - index <= num)) {
    // everything from p to the end goes: just move the terminator
    u8[base + p] = LP_EOF;
    _setU32(u8, base, p + 1);
    u8[base + 4] = index & 0xff;
    u8[base + 5] = index >>> 8;
    return lpShrinkToFit(m, lp);
  }
  return lpDeleteRangeWithEntry(m, lp, p, num);
}

/**
 * Append the elements of `second` to `first`. The larger of the two allocations is kept (and
 * grown), the other is freed. Returns the merged listpack's handle.
 */
export function lpMerge(m: Heap, first: number, second: number): number {
  const fb = lpBytes(m, first);
  const sb = lpBytes(m, second);
  let count = lpLength(m, first) + lpLength(m, second);
  if (count > LP_HDR_NUMELE_UNKNOWN) count = LP_HDR_NUMELE_UNKNOWN;
  const nb = fb + sb - LP_HDR_SIZE - 1;
  let target: number;
  if (fb >= sb) {
    target = m.realloc(first, nb);
    const tu = m.u8[target >>> OFF_BITS];
    const tb = (target & OFF_MASK) << 3;
    _copy(
      m.u8[second >>> OFF_BITS],
      ((second & OFF_MASK) << 3) + LP_HDR_SIZE,
      tu,
      tb + fb - 1,
      sb - LP_HDR_SIZE,
    );
    m.free(second);
  } else {
    target = m.realloc(second, nb);
    const tu = m.u8[target >>> OFF_BITS];
    const tb = (target & OFF_MASK) << 3;
    tu.copyWithin(tb + fb - 1, tb + LP_HDR_SIZE, tb + sb);
    _copy(m.u8[first >>> OFF_BITS], (first & OFF_MASK) << 3, tu, tb, fb - 1);
    m.free(first);
  }
  const tu = m.u8[target >>> OFF_BITS];
  const tb = (target & OFF_MASK) << 3;
  _setU32(tu, tb, nb);
  tu[tb + 4] = count & 0xff;
  tu[tb + 5] = count >>> 8;
  return target;
}

// ---- Validation of foreign data ----

/**
 * Check a listpack image buf[off, off+size) (e.g. from an RDB file) before trusting it. Shallow:
 * header total equals size and the terminator is in place. Deep: also every entry's encoding,
 * bounds and backlen, the terminator position and the header count. `entryCb` (deep only) sees
 * each entry's position relative to off (decode it with lpDecodeAt(buf, off + pos)) and may
 * reject it by returning false.
 */
export function lpValidateIntegrity(
  buf: Uint8Array,
  off: number,
  size: number,
  deep: boolean,
  entryCb?: (pos: number) => boolean,
): boolean {
  if (size < LP_HDR_SIZE + 1 || off + size > buf.length) return false;
  if (_u32(buf, off) !== size) return false;
  const last = off + size - 1;
  if (buf[last] !== LP_EOF) return false;
  if (!deep) return true;
  const numele = buf[off + 4] | (buf[off + 5] << 8);
  let count = 0;
  let p = off + LP_HDR_SIZE;
  while (buf[p] !== LP_EOF) {
    const start = p;
    const hdr = _encHeaderSize(buf[p]);
    if (hdr === 0 || p + hdr > last) return false;
    const l = _encSize(buf, p);
    const bl = _backlenSize(l);
    const entryLen = l + bl;
    if (p + entryLen > last) return false;
    p += entryLen;
    const prevLen = _readBacklen(buf, p - 1);
    if (prevLen < 0 || prevLen + bl !== entryLen) return false;
    if (entryCb && !entryCb(start - off)) return false;
    count++;
  }
  if (p !== last) return false;
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele !== count) return false;
  return true;
}

// ---- Debugging ----

/** A human-readable dump of the listpack (DEBUG LISTPACK prints this). */
export function lpRepr(m: Heap, lp: number): string {
  const u8 = m.u8[lp >>> OFF_BITS];
  const base = (lp & OFF_MASK) << 3;
  const lines = [`{total bytes ${lpBytes(m, lp)}} {num entries ${lpLength(m, lp)}}`];
  let q = base + LP_HDR_SIZE;
  let index = 0;
  while (u8[q] !== LP_EOF) {
    const l = _encSize(u8, q);
    const bl = _backlenSize(l);
    const hdr = _encHeaderSize(u8[q]);
    const bytes: string[] = [];
    for (let i = 0; i < l + bl; i++) bytes.push(u8[q + i].toString(16).padStart(2, "0"));
    const s = lpGetString(m, lp, q - base);
    lines.push(
      `{\n\tindex: ${index},\n\toffset: ${q - base},\n\thdr+entrylen+backlen: ${l + bl},\n` +
        `\thdrlen: ${hdr},\n\tbacklen: ${bl},\n\tpayload: ${l - hdr}\n\tbytes: ${
          bytes.join("|")
        }|\n` +
        `\t[str]${s.length > 40 ? s.slice(0, 40) + "..." : s}\n}`,
    );
    q += l + bl;
    index++;
  }
  lines.push("{end}");
  return lines.join("\n") + "\n";
}
