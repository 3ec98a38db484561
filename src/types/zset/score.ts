// Sorted-set numbers: C strtod as ZRANGEBYSCORE's bounds use it (leading spaces, "", prefixes
// ending at a NUL byte, hex, inf, overflow to inf), score and lex range parsing from arguments,
// and score replies formatted as Redis's addReplyDouble ("%.17g", RESP3 doubles). Depends on
// protocol/ and encoding/skiplist.ts only.

import { fastDecimal, writeInt } from "../../protocol/bytes.ts";
import { fmt17g } from "../../protocol/format.ts";

export { fastDecimal, fmt17g };
import type { Reply } from "../../protocol/reply.ts";
import type { Argv } from "../../protocol/resp_parser.ts";
import {
  ZLEX_EXCL,
  ZLEX_INCL,
  ZLEX_MAX,
  ZLEX_MIN,
  type ZLexRangeSpec,
  type ZRangeSpec,
} from "../../encoding/skiplist.ts";

// ---- strtod ----

/** Where the last strtod call stopped (absolute index; the start when nothing converted). */
export let strtodEnd = 0;

function _isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function _isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function _hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Case-insensitive match of b[i..] with a lowercase ASCII word, within end. */
function _word(b: Uint8Array, i: number, end: number, w: string): boolean {
  if (i + w.length > end) return false;
  for (let k = 0; k < w.length; k++) if ((b[i + k] | 0x20) !== w.charCodeAt(k)) return false;
  return true;
}

/** Correctly rounded value of hex digits `mant` (a bigint) times 2^exp. */
function _hexToDouble(mant: bigint, exp: number): number {
  if (mant === 0n) return 0;
  // Normalise to 64 significant bits plus a sticky bit, then let one Number() rounding happen
  // on an exact binary string: mantissa bits (at most 64) scaled by a power of two.
  let bits = mant.toString(2).length;
  let sticky = 0n;
  if (bits > 64) {
    const drop = BigInt(bits - 64);
    sticky = (mant & ((1n << drop) - 1n)) !== 0n ? 1n : 0n;
    mant >>= drop;
    exp += bits - 64;
    bits = 64;
  }
  // Round to 53 bits by hand (round half to even, with the sticky bit).
  const e2 = exp + bits - 1; // exponent of the leading bit
  let keep = 53;
  if (e2 < -1022) keep = 53 - (-1022 - e2); // subnormal: fewer bits survive
  if (keep < 1) return 0; // below the smallest subnormal (rounding detail ignored: hex input)
  if (bits > keep) {
    const drop = BigInt(bits - keep);
    const rem = mant & ((1n << drop) - 1n);
    const halfway = 1n << (drop - 1n);
    mant >>= drop;
    exp += bits - keep;
    if (rem > halfway || (rem === halfway && (sticky !== 0n || (mant & 1n) === 1n))) mant += 1n;
  }
  let v = Number(mant);
  // scale by 2^exp in steps that stay exact
  while (exp > 0) {
    const s = exp > 1000 ? 1000 : exp;
    v *= 2 ** s;
    exp -= s;
    if (!Number.isFinite(v)) return v;
  }
  while (exp < 0) {
    const s = exp < -1000 ? 1000 : -exp;
    v /= 2 ** s;
    exp += s;
  }
  return v;
}

/**
 * C strtod on the NUL-terminated string b[off, off+len) (it ends at the first NUL byte): leading
 * white space, a sign, "inf"/"infinity", "nan[(...)]", hex floats, decimals with an exponent.
 * Overflow gives +-inf, underflow 0 or a subnormal. Returns the value (NaN for "nan") and sets
 * strtodEnd; when nothing converts it returns 0 with strtodEnd = off.
 */
export function strtod(b: Uint8Array, off: number, len: number): number {
  const fast = fastDecimal(b, off, len);
  if (fast === fast) {
    strtodEnd = off + len;
    return fast;
  }
  let end = off + len;
  for (let k = off; k < end; k++) {
    if (b[k] === 0) {
      end = k;
      break;
    }
  }
  let i = off;
  while (i < end && _isSpace(b[i])) i++;
  let neg = false;
  if (i < end && (b[i] === 43 || b[i] === 45)) {
    neg = b[i] === 45;
    i++;
  }
  if (i < end && (b[i] | 0x20) === 0x69) {
    if (!_word(b, i, end, "inf")) {
      strtodEnd = off;
      return 0;
    }
    i += 3;
    if (_word(b, i, end, "inity")) i += 5;
    strtodEnd = i;
    return neg ? -Infinity : Infinity;
  }
  if (i < end && (b[i] | 0x20) === 0x6e) {
    if (!_word(b, i, end, "nan")) {
      strtodEnd = off;
      return 0;
    }
    i += 3;
    if (i < end && b[i] === 40) {
      let j = i + 1;
      while (
        j < end &&
        (_isDigit(b[j]) || _hexVal(b[j]) >= 0 || ((b[j] | 0x20) >= 97 && (b[j] | 0x20) <= 122) ||
          b[j] === 95)
      ) j++;
      if (j < end && b[j] === 41) i = j + 1;
    }
    strtodEnd = i;
    return NaN;
  }
  if (i + 1 < end && b[i] === 48 && (b[i + 1] | 0x20) === 0x78) {
    let j = i + 2;
    let mant = 0n;
    let digits = 0;
    let exp = 0;
    let dot = false;
    for (; j < end; j++) {
      const c = b[j];
      if (c === 46 && !dot) {
        dot = true;
        continue;
      }
      const h = _hexVal(c);
      if (h < 0) break;
      mant = (mant << 4n) | BigInt(h);
      if (dot) exp -= 4;
      digits++;
    }
    if (digits === 0) {
      // only "0" converts; the "x" is left over
      strtodEnd = i + 1;
      return neg ? -0 : 0;
    }
    if (j < end && (b[j] | 0x20) === 0x70) {
      let k = j + 1;
      let eneg = false;
      if (k < end && (b[k] === 43 || b[k] === 45)) {
        eneg = b[k] === 45;
        k++;
      }
      if (k < end && _isDigit(b[k])) {
        let e = 0;
        while (k < end && _isDigit(b[k])) {
          if (e < 100000) e = e * 10 + (b[k] - 48);
          k++;
        }
        exp += eneg ? -e : e;
        j = k;
      }
    }
    strtodEnd = j;
    const v = _hexToDouble(mant, exp);
    return neg ? -v : v;
  }
  const start = i;
  let digits = 0;
  while (i < end && _isDigit(b[i])) {
    i++;
    digits++;
  }
  if (i < end && b[i] === 46) {
    i++;
    while (i < end && _isDigit(b[i])) {
      i++;
      digits++;
    }
  }
  if (digits === 0) {
    strtodEnd = off;
    return 0;
  }
  if (i < end && (b[i] | 0x20) === 0x65) {
    let k = i + 1;
    if (k < end && (b[k] === 43 || b[k] === 45)) k++;
    if (k < end && _isDigit(b[k])) {
      while (k < end && _isDigit(b[k])) k++;
      i = k;
    }
  }
  strtodEnd = i;
  let s = "";
  for (let k = start; k < i; k++) s += String.fromCharCode(b[k]);
  const v = Number(s);
  return neg ? -v : v;
}

/** strtod of a whole score bound: true when it ends at the end of the argument or at a NUL. */
function _parseBound(b: Uint8Array, off: number, len: number): number {
  const v = strtod(b, off, len);
  const e = strtodEnd;
  if (e !== off + len && b[e] !== 0) return NaN;
  return v;
}

/**
 * zslParseRange: fill `spec` from the min/max arguments ("(" prefix = exclusive, strtod rules,
 * NaN refused). False when either bound is invalid (reply "min or max is not a float").
 */
export function parseScoreRange(argv: Argv, iMin: number, iMax: number, spec: ZRangeSpec): boolean {
  const b = argv.buf;
  let o = argv.off[iMin];
  let l = argv.len[iMin];
  spec.minex = false;
  spec.maxex = false;
  if (l > 0 && b[o] === 40) {
    spec.minex = true;
    o++;
    l--;
  }
  const min = _parseBound(b, o, l);
  if (Number.isNaN(min)) return false;
  o = argv.off[iMax];
  l = argv.len[iMax];
  if (l > 0 && b[o] === 40) {
    spec.maxex = true;
    o++;
    l--;
  }
  const max = _parseBound(b, o, l);
  if (Number.isNaN(max)) return false;
  spec.min = min;
  spec.max = max;
  return true;
}

function _lexItem(
  spec: ZLexRangeSpec,
  isMax: boolean,
  b: Uint8Array,
  off: number,
  len: number,
): boolean {
  if (len === 0) return false;
  const c = b[off];
  let kind: number;
  if (c === 43 || c === 45) {
    // "+" / "-" must be the whole C string: a NUL right after also ends it
    if (len > 1 && b[off + 1] !== 0) return false;
    kind = c === 43 ? ZLEX_MAX : ZLEX_MIN;
  } else if (c === 40) kind = ZLEX_EXCL;
  else if (c === 91) kind = ZLEX_INCL;
  else return false;
  if (isMax) {
    spec.maxKind = kind;
    spec.maxBuf = b;
    spec.maxOff = off + 1;
    spec.maxLen = len - 1;
  } else {
    spec.minKind = kind;
    spec.minBuf = b;
    spec.minOff = off + 1;
    spec.minLen = len - 1;
  }
  return true;
}

/**
 * zslParseLexRange: fill `spec` from the min/max arguments ("[x", "(x", "-", "+"). The spec
 * points into argv's buffer. False on an invalid item ("min or max not valid string range item").
 */
export function parseLexRange(
  argv: Argv,
  iMin: number,
  iMax: number,
  spec: ZLexRangeSpec,
): boolean {
  return _lexItem(spec, false, argv.buf, argv.off[iMin], argv.len[iMin]) &&
    _lexItem(spec, true, argv.buf, argv.off[iMax], argv.len[iMax]);
}

// ---- score formatting ----

const MAX_SAFE = 9007199254740991;

/**
 * addReplyDouble: a score as "%.17g" (bulk string in RESP2, `,` double in RESP3); infinities
 * as "inf"/"-inf". HOT PATH: no allocation for integral scores within 2^53.
 */
export function replyScore(r: Reply, d: number): void {
  if (Number.isInteger(d) && d >= -MAX_SAFE && d <= MAX_SAFE && !(d === 0 && 1 / d < 0)) {
    if (r.resp === 2) {
      r.bulkInt(d);
      return;
    }
    r.ensure(24);
    const b = r.buf;
    b[r.len++] = 44;
    r.len = writeInt(b, r.len, d);
    b[r.len++] = 13;
    b[r.len++] = 10;
    return;
  }
  r.doubleStr(fmt17g(d));
}
