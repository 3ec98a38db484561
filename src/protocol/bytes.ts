// Byte helpers shared by every layer: latin1 "binary strings", case-insensitive compares and
// Redis's exact number parsing (string2ll, strtod as getDoubleFromObject uses it). Depends on
// nothing. Client data that must become a JS string (rare, never on the hot path) is decoded
// as latin1, one char per byte, so it round-trips exactly.

export const EMPTY = new Uint8Array(0);

/** Latin1-encode a JS string (each char code taken modulo 256). */
export function fromLatin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Decode bytes as latin1 (one char per byte). */
export function toLatin1(b: Uint8Array, off = 0, len = b.length - off): string {
  if (len <= 64) {
    let s = "";
    for (let i = 0; i < len; i++) s += String.fromCharCode(b[off + i]);
    return s;
  }
  let s = "";
  for (let i = 0; i < len; i += 8192) {
    const n = Math.min(8192, len - i);
    s += String.fromCharCode.apply(null, b.subarray(off + i, off + i + n) as unknown as number[]);
  }
  return s;
}

const UTF8 = new TextEncoder();
/** UTF-8 encode text meant for humans (INFO, HELP, docs). */
export function utf8(s: string): Uint8Array {
  return UTF8.encode(s);
}

/** True if b[off..off+len) equals the lowercase ASCII literal `lit`, ignoring ASCII case. */
export function eqLower(b: Uint8Array, off: number, len: number, lit: Uint8Array): boolean {
  if (len !== lit.length) return false;
  for (let i = 0; i < len; i++) {
    let c = b[off + i];
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lit[i]) return false;
  }
  return true;
}

export function bytesEqual(
  a: Uint8Array,
  aoff: number,
  alen: number,
  b: Uint8Array,
  boff: number,
  blen: number,
): boolean {
  if (alen !== blen) return false;
  for (let i = 0; i < alen; i++) if (a[aoff + i] !== b[boff + i]) return false;
  return true;
}

/** memcmp-style compare: negative, zero or positive; shorter prefix sorts first. */
export function bytesCompare(
  a: Uint8Array,
  aoff: number,
  alen: number,
  b: Uint8Array,
  boff: number,
  blen: number,
): number {
  const n = alen < blen ? alen : blen;
  for (let i = 0; i < n; i++) {
    const d = a[aoff + i] - b[boff + i];
    if (d !== 0) return d;
  }
  return alen - blen;
}

// ---- Integers (string2ll) ----

/** int64 limits (LLONG_MAX / LLONG_MIN, also LONG_MAX / LONG_MIN on 64-bit builds). */
export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/**
 * Redis string2ll: optional '-', no leading zeros, no spaces or '+', within int64.
 * Returns the value as a number (exact when Number.isSafeInteger), or NaN when invalid.
 * Values beyond 2^53 come back rounded; callers needing them exactly use parseLLBig.
 */
export function parseLL(b: Uint8Array, off: number, len: number): number {
  if (len === 0 || len > 20) return NaN;
  let i = off;
  const end = off + len;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
    if (i === end) return NaN;
  }
  const first = b[i];
  if (first === 48) return len === 1 ? 0 : NaN; // "0" only; "-0", "01" are rejected
  if (first < 49 || first > 57) return NaN;
  if (end - i <= 15) {
    let v = 0;
    for (; i < end; i++) {
      const c = b[i] - 48;
      if (c < 0 || c > 9) return NaN;
      v = v * 10 + c;
    }
    return neg ? -v : v;
  }
  const big = parseLLBig(b, off, len);
  return big === null ? NaN : Number(big);
}

/** Exact string2ll as a bigint, or null when invalid / out of int64 range. */
export function parseLLBig(b: Uint8Array, off: number, len: number): bigint | null {
  if (len === 0 || len > 20) return null;
  let i = off;
  const end = off + len;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  if (b[i] === 48) return len === 1 ? 0n : null;
  if (b[i] < 49 || b[i] > 57) return null;
  for (let j = i; j < end; j++) if (b[j] < 48 || b[j] > 57) return null;
  let v = BigInt(toLatin1(b, i, end - i));
  if (neg) v = -v;
  if (v > LLONG_MAX || v < LLONG_MIN) return null;
  return v;
}

/**
 * string2ll as an exact value: a number while it is a safe integer, a bigint beyond 2^53, null
 * when the bytes are not a valid int64.
 */
export function parseLLExact(b: Uint8Array, off: number, len: number): number | bigint | null {
  const v = parseLL(b, off, len);
  if (v !== v) return null;
  return Number.isSafeInteger(v) ? v : parseLLBig(b, off, len);
}

export function isInt64(v: bigint): boolean {
  return v <= LLONG_MAX && v >= LLONG_MIN;
}

/** Parse a JS string with string2ll rules (for config values and inline text). */
export function parseLLStr(s: string): number {
  const b = fromLatin1(s);
  return parseLL(b, 0, b.length);
}

/** Write the decimal digits of a safe integer; returns the new write position. */
export function writeInt(out: Uint8Array, pos: number, v: number): number {
  if (v < 0) {
    out[pos++] = 45;
    v = -v;
  }
  if (v < 10) {
    out[pos++] = 48 + v;
    return pos;
  }
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  let p = pos + digits - 1;
  while (v >= 10) {
    const q = Math.floor(v / 10);
    out[p--] = 48 + (v - q * 10);
    v = q;
  }
  out[p] = 48 + v;
  return pos + digits;
}

/**
 * Write the decimal digits of an int64 given as a safe number or a bigint (ll2string); returns
 * the new write position. Numbers go through writeInt (no allocation).
 */
export function writeInt64(out: Uint8Array, pos: number, v: number | bigint): number {
  if (typeof v === "number") return writeInt(out, pos, v);
  const s = v.toString();
  for (let i = 0; i < s.length; i++) out[pos + i] = s.charCodeAt(i);
  return pos + s.length;
}

/** Number of bytes writeInt produces. */
export function intLength(v: number): number {
  let n = v < 0 ? 2 : 1;
  if (v < 0) v = -v;
  while (v >= 10) {
    v = Math.floor(v / 10);
    n++;
  }
  return n;
}

// ---- Floats (strtod as Redis's getDoubleFromObject uses it) ----

const HEX_FLOAT = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?$/;
const DEC_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_FLOAT = /^[+-]?(?:inf|infinity)$/i;

/**
 * Parse a double the way strtod does for a whole string, with Redis's extra rules: no leading
 * space, nothing left over, NaN rejected, overflow (±HUGE_VAL) rejected, underflow to zero
 * rejected. Returns NaN when the text is not a valid float.
 */
export function parseDoubleStr(s: string): number {
  if (s.length === 0 || s.length > 5000) return NaN;
  if (DEC_FLOAT.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return NaN; // ERANGE overflow
    if (v === 0 && _hasNonZeroDigit(s)) return NaN; // ERANGE underflow to zero
    return v;
  }
  if (INF_FLOAT.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  if (HEX_FLOAT.test(s)) {
    const v = _parseHexFloat(s);
    if (!Number.isFinite(v)) return NaN;
    return v;
  }
  return NaN;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Exact fast path for plain decimals: "-?digits[.digits]" with at most 15 digits, which a single
 * division of two exact doubles rounds correctly. NaN when the text has any other shape (the
 * caller then takes the general path). HOT PATH: no allocation.
 */
export function fastDecimal(b: Uint8Array, off: number, len: number): number {
  if (len === 0 || len > 17) return NaN;
  let i = off;
  const end = off + len;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  }
  let v = 0;
  let digits = 0;
  let frac = -1;
  for (; i < end; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) {
      frac = 0;
    } else return NaN;
  }
  if (digits === 0 || digits > 15 || frac === 0) return NaN;
  if (frac > 0) v /= POW10[frac];
  return neg ? -v : v;
}

export function parseDouble(b: Uint8Array, off: number, len: number): number {
  if (len === 0 || len > 5000) return NaN;
  const v = fastDecimal(b, off, len);
  if (v === v) return v;
  return parseDoubleStr(toLatin1(b, off, len));
}

function _hasNonZeroDigit(s: string): boolean {
  const e = s.search(/[eE]/);
  const mant = e < 0 ? s : s.slice(0, e);
  return /[1-9]/.test(mant);
}

function _parseHexFloat(s: string): number {
  let i = 0;
  let sign = 1;
  if (s[0] === "+" || s[0] === "-") {
    if (s[0] === "-") sign = -1;
    i = 1;
  }
  i += 2; // 0x
  let mant = 0;
  let exp = 0;
  let seenDot = false;
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === ".") {
      seenDot = true;
      continue;
    }
    if (ch === "p" || ch === "P") break;
    const d = parseInt(ch, 16);
    if (mant < 2 ** 60) {
      mant = mant * 16 + d;
      if (seenDot) exp -= 4;
    } else if (!seenDot) exp += 4;
  }
  if (i < s.length) exp += parseInt(s.slice(i + 1), 10);
  return sign * mant * Math.pow(2, exp);
}

/** A random 40-character hex id (run_id, replication ids). */
export function randomHex40(): string {
  let s = "";
  for (let i = 0; i < 40; i++) s += "0123456789abcdef"[Math.floor(Math.random() * 16)];
  return s;
}
