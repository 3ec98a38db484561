// Stream entry IDs and 64-bit counters without BigInt on the hot paths. An ID is two unsigned
// 64-bit halves (ms, seq), each held as two u32 words (hi, lo), so the whole ID is four words
// that compare as a 128-bit big-endian number. Parsing follows Redis's rules (string2ull over a
// C string, "-" / "+", "<ms>-*"); formatting writes decimal digits without allocating unless a
// half exceeds 2^53. Pure helpers: no clients, no store.

import { writeInt } from "../../protocol/bytes.ts";
import type { Reply } from "../../protocol/reply.ts";

const TWO32 = 4294967296;
/** hi words below this keep hi * 2^32 + lo within the exact double range (2^53). */
const SAFE_HI = 0x200000;

/** A mutable stream ID: ms = msHi:msLo, seq = seqHi:seqLo (all u32). */
export class StreamID {
  msHi = 0;
  msLo = 0;
  seqHi = 0;
  seqLo = 0;
}

export function idSet(dst: StreamID, src: StreamID): void {
  dst.msHi = src.msHi;
  dst.msLo = src.msLo;
  dst.seqHi = src.seqHi;
  dst.seqLo = src.seqLo;
}

export function idZero(a: StreamID): void {
  a.msHi =
    a.msLo =
    a.seqHi =
    a.seqLo =
      0;
}

export function idMax(a: StreamID): void {
  a.msHi =
    a.msLo =
    a.seqHi =
    a.seqLo =
      0xffffffff;
}

export function idIsZero(a: StreamID): boolean {
  return a.msHi === 0 && a.msLo === 0 && a.seqHi === 0 && a.seqLo === 0;
}

export function idIsMax(a: StreamID): boolean {
  return a.msHi === 0xffffffff && a.msLo === 0xffffffff && a.seqHi === 0xffffffff &&
    a.seqLo === 0xffffffff;
}

/** -1, 0 or 1 as a <, =, > b. */
export function idCmp(a: StreamID, b: StreamID): number {
  if (a.msHi !== b.msHi) return a.msHi < b.msHi ? -1 : 1;
  if (a.msLo !== b.msLo) return a.msLo < b.msLo ? -1 : 1;
  if (a.seqHi !== b.seqHi) return a.seqHi < b.seqHi ? -1 : 1;
  if (a.seqLo !== b.seqLo) return a.seqLo < b.seqLo ? -1 : 1;
  return 0;
}

/** Compare a with the four-word ID at u[w]. */
export function idCmpWords(a: StreamID, u: Uint32Array, w: number): number {
  let x = u[w];
  if (a.msHi !== x) return a.msHi < x ? -1 : 1;
  x = u[w + 1];
  if (a.msLo !== x) return a.msLo < x ? -1 : 1;
  x = u[w + 2];
  if (a.seqHi !== x) return a.seqHi < x ? -1 : 1;
  x = u[w + 3];
  if (a.seqLo !== x) return a.seqLo < x ? -1 : 1;
  return 0;
}

export function idRead(a: StreamID, u: Uint32Array, w: number): StreamID {
  a.msHi = u[w];
  a.msLo = u[w + 1];
  a.seqHi = u[w + 2];
  a.seqLo = u[w + 3];
  return a;
}

export function idWrite(a: StreamID, u: Uint32Array, w: number): void {
  u[w] = a.msHi;
  u[w + 1] = a.msLo;
  u[w + 2] = a.seqHi;
  u[w + 3] = a.seqLo;
}

/** The successor of a (streamIncrID). False when a was the maximum: it wraps to 0-0. */
export function idIncr(a: StreamID): boolean {
  if (a.seqLo !== 0xffffffff) {
    a.seqLo++;
    return true;
  }
  if (a.seqHi !== 0xffffffff) {
    a.seqHi++;
    a.seqLo = 0;
    return true;
  }
  a.seqHi = a.seqLo = 0;
  if (a.msLo !== 0xffffffff) {
    a.msLo++;
    return true;
  }
  if (a.msHi !== 0xffffffff) {
    a.msHi++;
    a.msLo = 0;
    return true;
  }
  a.msHi = a.msLo = 0;
  return false;
}

/** The predecessor of a (streamDecrID). False when a was 0-0: it becomes the maximum. */
export function idDecr(a: StreamID): boolean {
  if (a.seqLo !== 0) {
    a.seqLo--;
    return true;
  }
  if (a.seqHi !== 0) {
    a.seqHi--;
    a.seqLo = 0xffffffff;
    return true;
  }
  a.seqHi = a.seqLo = 0xffffffff;
  if (a.msLo !== 0) {
    a.msLo--;
    return true;
  }
  if (a.msHi !== 0) {
    a.msHi--;
    a.msLo = 0xffffffff;
    return true;
  }
  a.msHi = a.msLo = 0xffffffff;
  return false;
}

/** Set the ms half from a non-negative safe integer (a clock) and zero the sequence. */
export function idFromMs(a: StreamID, ms: number): void {
  a.msHi = Math.floor(ms / TWO32) >>> 0;
  a.msLo = ms >>> 0;
  a.seqHi = 0;
  a.seqLo = 0;
}

// ---- 64-bit words ----

/** An unsigned 64-bit hi:lo as a number when exact, else a bigint. */
export function u64Value(hi: number, lo: number): number | bigint {
  if (hi < SAFE_HI) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** A signed (two's complement) 64-bit hi:lo as a number when exact, else a bigint. */
export function i64Value(hi: number, lo: number): number | bigint {
  if (hi < SAFE_HI) return hi * TWO32 + lo;
  if (hi >= 0xffe00000) return (hi - TWO32) * TWO32 + lo;
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

/** Split an integer (number or bigint, any sign) into two's complement 64-bit words. */
export function splitI64(v: number | bigint, out: { hi: number; lo: number }): void {
  if (typeof v === "number") {
    out.hi = Math.floor(v / TWO32) >>> 0;
    out.lo = v >>> 0;
    return;
  }
  const u = BigInt.asUintN(64, v);
  out.hi = Number(u >> 32n);
  out.lo = Number(u & 0xffffffffn);
}

/** Decimal digits of an unsigned hi:lo written at pos; returns the end position. */
export function writeU64(buf: Uint8Array, pos: number, hi: number, lo: number): number {
  if (hi < SAFE_HI) return writeInt(buf, pos, hi * TWO32 + lo);
  const s = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/** Scratch for rendering IDs ("<20 digits>-<20 digits>"). */
const IDBUF = new Uint8Array(48);

/** Render "ms-seq" into IDBUF; returns its length. */
export function idRender(a: StreamID): number {
  let p = writeU64(IDBUF, 0, a.msHi, a.msLo);
  IDBUF[p++] = 45;
  p = writeU64(IDBUF, p, a.seqHi, a.seqLo);
  return p;
}

/** Reply an ID as a bulk string (addReplyStreamID). */
export function replyId(r: Reply, a: StreamID): void {
  r.bulk(IDBUF, 0, idRender(a));
}

/** Reply the ID stored as four words at u[w]. */
export function replyIdWords(r: Reply, u: Uint32Array, w: number): void {
  let p = writeU64(IDBUF, 0, u[w], u[w + 1]);
  IDBUF[p++] = 45;
  p = writeU64(IDBUF, p, u[w + 2], u[w + 3]);
  r.bulk(IDBUF, 0, p);
}

/** "ms-seq" as a JS string (slow paths, tests). */
export function idString(a: StreamID): string {
  const n = idRender(a);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(IDBUF[i]);
  return s;
}

/** "ms.seq" bytes, the form DEBUG DIGEST mixes in for each stream entry. */
export function idDigestBytes(a: StreamID): Uint8Array {
  let p = writeU64(IDBUF, 0, a.msHi, a.msLo);
  IDBUF[p++] = 46;
  p = writeU64(IDBUF, p, a.seqHi, a.seqLo);
  return IDBUF.slice(0, p);
}

// ---- parsing ----

/** Result of the last parseU64 (two u32 words). */
let _hi = 0;
let _lo = 0;

const U64_MAX = 0xffffffffffffffffn;

function _isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Redis's string2ull over b[s, e): a canonical int64 (string2ll) must not be negative; anything
 * else goes through strtoull(base 10): leading spaces, an optional sign ("-n" wraps modulo
 * 2^64), at least one digit, nothing after, no overflow. Leaves the value in _hi/_lo.
 */
function parseU64(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len === 0) return false;
  // Fast path: plain digits without a leading zero, exact as a double.
  if (len <= 15 && (b[s] !== 48 || len === 1)) {
    let v = 0;
    let ok = true;
    for (let i = s; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) {
        ok = false;
        break;
      }
      v = v * 10 + d;
    }
    if (ok) {
      _hi = Math.floor(v / TWO32);
      _lo = v >>> 0;
      return true;
    }
  }
  // string2ll succeeded on a negative number: out of range for string2ull.
  if (b[s] === 45 && len > 1 && b[s + 1] >= 49 && b[s + 1] <= 57 && len <= 20) {
    let digits = true;
    for (let i = s + 1; i < e; i++) {
      if (b[i] < 48 || b[i] > 57) {
        digits = false;
        break;
      }
    }
    if (digits) {
      let t = "";
      for (let i = s + 1; i < e; i++) t += String.fromCharCode(b[i]);
      if (BigInt(t) <= 9223372036854775808n) return false;
    }
  }
  // strtoull
  let i = s;
  while (i < e && _isSpace(b[i])) i++;
  let neg = false;
  if (i < e && (b[i] === 43 || b[i] === 45)) {
    neg = b[i] === 45;
    i++;
  }
  const d0 = i;
  while (i < e && b[i] >= 48 && b[i] <= 57) i++;
  if (i === d0 || i !== e) return false;
  let t = "";
  for (let j = d0; j < e; j++) t += String.fromCharCode(b[j]);
  let v = BigInt(t);
  if (v > U64_MAX) return false;
  if (neg) v = BigInt.asUintN(64, -v);
  _hi = Number(v >> 32n);
  _lo = Number(v & 0xffffffffn);
  return true;
}

/** parseId results. */
export const ID_INVALID = -1;
/** Parsed, the sequence was given (or implied). */
export const ID_OK = 1;
/** Parsed in the "<ms>-*" form: the sequence is to be generated. */
export const ID_SEQ_AUTO = 0;

/**
 * Parse a stream ID argument (streamGenericParseIDOrReply). The text is a C string: it ends at
 * its first NUL byte, and more than 127 bytes is invalid. "-" and "+" are the minimum and
 * maximum ID unless `strict`; a missing sequence takes `missingSeqMax` ? 2^64-1 : 0; "<ms>-*" is
 * accepted only with `seqAuto`. Returns ID_INVALID, ID_OK or ID_SEQ_AUTO.
 */
export function parseId(
  b: Uint8Array,
  off: number,
  len: number,
  out: StreamID,
  missingSeqMax: boolean,
  strict: boolean,
  seqAuto: boolean,
): number {
  if (len > 127) return ID_INVALID;
  let e = off;
  const end = off + len;
  while (e < end && b[e] !== 0) e++;
  const clen = e - off;
  if (clen === 1 && (b[off] === 45 || b[off] === 43)) {
    if (strict) return ID_INVALID;
    if (b[off] === 45) idZero(out);
    else idMax(out);
    return ID_OK;
  }
  let dash = off;
  while (dash < e && b[dash] !== 45) dash++;
  if (!parseU64(b, off, dash)) return ID_INVALID;
  const msHi = _hi;
  const msLo = _lo;
  let res = ID_OK;
  if (dash < e) {
    if (seqAuto && e - dash === 2 && b[dash + 1] === 42) {
      out.seqHi = out.seqLo = 0;
      res = ID_SEQ_AUTO;
    } else {
      if (!parseU64(b, dash + 1, e)) return ID_INVALID;
      out.seqHi = _hi;
      out.seqLo = _lo;
    }
  } else if (missingSeqMax) {
    out.seqHi = out.seqLo = 0xffffffff;
  } else {
    out.seqHi = out.seqLo = 0;
  }
  out.msHi = msHi;
  out.msLo = msLo;
  return res;
}
