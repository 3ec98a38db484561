// Software x87 80-bit extended precision ("long double" as Redis gets it on x86-64 Linux), for
// INCRBYFLOAT and HINCRBYFLOAT: exact strtold-style parsing (decimal, hex, inf), addition with
// round-to-nearest-even, and exact "%.17Lf" printing. Depends on nothing.
//
// A finite value is mant * 2^exp with mant a bigint:
//   normal:    2^63 <= mant < 2^64, LD_MIN_EXP <= exp, top bit exponent (exp + 63) <= 16383
//   subnormal: 0 < mant < 2^63, exp = LD_MIN_EXP
//   zero:      mant = 0 (neg keeps the sign of -0)

/** Significand bits, integer bit included (x87 extended format). */
export const LD_MANT_BITS = 64;
/** Exponent of the least significant bit of the smallest subnormal: 2^-16445. */
export const LD_MIN_EXP = -16445;
/** Largest exponent of the most significant bit (the format's emax). */
export const LD_MAX_TOP = 16383;
/** Longest text string2ld accepts is one less than this (MAX_LONG_DOUBLE_CHARS). */
export const LD_MAX_CHARS = 5 * 1024;

export const LD_FINITE = 0;
export const LD_INF = 1;
export const LD_NAN = 2;

export interface LongDouble {
  neg: boolean;
  /** LD_FINITE, LD_INF or LD_NAN. */
  kind: number;
  mant: bigint;
  exp: number;
}

const ZERO = 0n;
const ONE = 1n;
const MANT_LIMIT = 1n << 64n;
const TEN17 = 10n ** 17n;

/** 10^k for the exponents ordinary inputs need, computed once. */
const POW10: bigint[] = [];
for (let k = 0, p = 1n; k <= 64; k++, p *= 10n) POW10.push(p);

function _pow10(k: number): bigint {
  return k < POW10.length ? POW10[k] : 10n ** BigInt(k);
}

function _make(neg: boolean, kind: number, mant: bigint, exp: number): LongDouble {
  return { neg, kind, mant, exp };
}

export function ldZero(neg = false): LongDouble {
  return _make(neg, LD_FINITE, ZERO, 0);
}

export function ldInf(neg: boolean): LongDouble {
  return _make(neg, LD_INF, ZERO, 0);
}

export function ldNaN(): LongDouble {
  return _make(false, LD_NAN, ZERO, 0);
}

export function ldIsFinite(x: LongDouble): boolean {
  return x.kind === LD_FINITE;
}

export function ldIsZero(x: LongDouble): boolean {
  return x.kind === LD_FINITE && x.mant === ZERO;
}

/** Number of significant bits of a positive bigint (0 for 0). */
export function bitLength(v: bigint): number {
  if (v === ZERO) return 0;
  if (v < 0x20000000000000n) {
    const n = Number(v);
    return n < 0x100000000 ? 32 - Math.clz32(n) : 64 - Math.clz32(Math.floor(n / 0x100000000));
  }
  const h = v.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}

/**
 * Round the exact value (-1)^neg * (q + s) * 2^e, where 0 <= s < 1 is nonzero iff `sticky`,
 * to the nearest long double (ties to even), with overflow to infinity and gradual underflow.
 */
export function ldRound(neg: boolean, q: bigint, e: number, sticky: boolean): LongDouble {
  if (q === ZERO) return ldZero(neg); // sticky alone is below half of any representable step
  const bl = bitLength(q);
  const top = bl - 1 + e;
  if (top > LD_MAX_TOP) return ldInf(neg);
  let lsb = top - (LD_MANT_BITS - 1);
  if (lsb < LD_MIN_EXP) lsb = LD_MIN_EXP;
  const shift = lsb - e;
  if (shift <= 0) return _make(neg, LD_FINITE, q << BigInt(-shift), lsb);
  if (shift > bl) return ldZero(neg); // below half of the smallest step
  const bs = BigInt(shift);
  let mant = q >> bs;
  const rem = q - (mant << bs);
  const half = ONE << (bs - ONE);
  if (rem > half || (rem === half && (sticky || (mant & ONE) === ONE))) {
    mant += ONE;
    if (mant === MANT_LIMIT) {
      mant = MANT_LIMIT >> ONE;
      lsb++;
      if (lsb + LD_MANT_BITS - 1 > LD_MAX_TOP) return ldInf(neg);
    }
  }
  if (mant === ZERO) return ldZero(neg);
  return _make(neg, LD_FINITE, mant, lsb);
}

/** A long double holding an integer exactly (any int64 fits in 64 bits of significand). */
export function ldFromBigInt(v: bigint): LongDouble {
  const neg = v < ZERO;
  return ldRound(neg, neg ? -v : v, 0, false);
}

// ---- parsing (strtold over a whole string, as Redis's string2ld uses it) ----

const C_PLUS = 43;
const C_MINUS = 45;
const C_DOT = 46;

function _isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function _hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

function _matchLower(b: Uint8Array, i: number, end: number, lit: string): boolean {
  if (end - i !== lit.length) return false;
  for (let k = 0; k < lit.length; k++) if ((b[i + k] | 0x20) !== lit.charCodeAt(k)) return false;
  return true;
}

/**
 * Parse an exponent's digits at b[i..end) with an optional sign, saturating far beyond any
 * meaningful range. Returns null when there are no digits or trailing junk.
 */
function _parseExp(b: Uint8Array, i: number, end: number): number | null {
  let neg = false;
  if (i < end && (b[i] === C_PLUS || b[i] === C_MINUS)) {
    neg = b[i] === C_MINUS;
    i++;
  }
  if (i >= end) return null;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (!_isDigit(c)) return null;
    if (v < 1e9) v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

/**
 * Parse text the way Redis's string2ld does: strtold over the whole string (decimal, hex
 * "0x1.8p3", "inf"/"infinity"), rejecting empty input, texts of LD_MAX_CHARS bytes or more,
 * leading whitespace, trailing junk, NaN, overflow to ±inf and underflow to zero. Returns null
 * when rejected. "inf" itself is accepted (strtold returns it without a range error).
 */
export function parseLongDouble(b: Uint8Array, off: number, len: number): LongDouble | null {
  if (len === 0 || len >= LD_MAX_CHARS) return null;
  let i = off;
  const end = off + len;
  let neg = false;
  if (b[i] === C_PLUS || b[i] === C_MINUS) {
    neg = b[i] === C_MINUS;
    i++;
  }
  if (i >= end) return null;
  const c0 = b[i] | 0x20;
  if (c0 === 105 /* i */) {
    return _matchLower(b, i, end, "inf") || _matchLower(b, i, end, "infinity") ? ldInf(neg) : null;
  }
  if (b[i] === 48 && i + 1 < end && (b[i + 1] | 0x20) === 120 /* x */) {
    return _parseHex(b, i + 2, end, neg);
  }
  return _parseDec(b, i, end, neg);
}

function _parseDec(b: Uint8Array, i: number, end: number, neg: boolean): LongDouble | null {
  let digits = "";
  let nd = 0; // significant digits kept (leading zeros dropped)
  let fracDigits = 0;
  let seenDot = false;
  let any = false;
  for (; i < end; i++) {
    const c = b[i];
    if (_isDigit(c)) {
      any = true;
      if (seenDot) fracDigits++;
      if (nd === 0 && c === 48) continue;
      digits += String.fromCharCode(c);
      nd++;
    } else if (c === C_DOT && !seenDot) {
      seenDot = true;
    } else break;
  }
  if (!any) return null;
  let e10 = 0;
  if (i < end) {
    if ((b[i] | 0x20) !== 101 /* e */) return null;
    const e = _parseExp(b, i + 1, end);
    if (e === null) return null;
    e10 = e;
  }
  if (nd === 0) return ldZero(neg);
  const k = e10 - fracDigits; // value = digits * 10^k
  // value lies in [10^(nd-1+k), 10^(nd+k)): settle far-out magnitudes without big powers.
  if (nd - 1 + k >= 4933) return null; // overflow (ERANGE, HUGE_VAL)
  if (nd + k <= -4951) return null; // underflow to zero (ERANGE)
  const d = BigInt(digits);
  let r: LongDouble;
  if (k >= 0) {
    r = ldRound(neg, d * _pow10(k), 0, false);
  } else {
    const den = _pow10(-k);
    let s = LD_MANT_BITS + 3 + bitLength(den) - bitLength(d);
    if (s < 0) s = 0;
    const num = d << BigInt(s);
    const q = num / den;
    r = ldRound(neg, q, -s, q * den !== num);
  }
  if (r.kind !== LD_FINITE || r.mant === ZERO) return null; // ERANGE either way
  return r;
}

function _parseHex(b: Uint8Array, i: number, end: number, neg: boolean): LongDouble | null {
  let hex = "";
  let fracDigits = 0;
  let seenDot = false;
  let any = false;
  let nonzero = false;
  for (; i < end; i++) {
    const c = b[i];
    const v = _hexVal(c);
    if (v >= 0) {
      any = true;
      if (seenDot) fracDigits++;
      if (!nonzero && v === 0) continue;
      nonzero = true;
      hex += String.fromCharCode(c);
    } else if (c === C_DOT && !seenDot) {
      seenDot = true;
    } else break;
  }
  if (!any) return null;
  let e2 = 0;
  if (i < end) {
    if ((b[i] | 0x20) !== 112 /* p */) return null;
    const e = _parseExp(b, i + 1, end);
    if (e === null) return null;
    e2 = e;
  }
  if (!nonzero) return ldZero(neg);
  const r = ldRound(neg, BigInt("0x" + hex), e2 - 4 * fracDigits, false);
  if (r.kind !== LD_FINITE || r.mant === ZERO) return null;
  return r;
}

/** parseLongDouble over a latin1 JS string. */
export function parseLongDoubleStr(s: string): LongDouble | null {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return parseLongDouble(b, 0, b.length);
}

// ---- arithmetic ----

/** a + b, correctly rounded (IEEE semantics: inf - inf is NaN, x - x is +0). */
export function ldAdd(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === LD_NAN || b.kind === LD_NAN) return ldNaN();
  if (a.kind === LD_INF || b.kind === LD_INF) {
    if (a.kind === LD_INF && b.kind === LD_INF) return a.neg === b.neg ? a : ldNaN();
    return a.kind === LD_INF ? a : b;
  }
  if (a.mant === ZERO) return b.mant === ZERO ? ldZero(a.neg && b.neg) : b;
  if (b.mant === ZERO) return a;
  const e = a.exp < b.exp ? a.exp : b.exp;
  const av = a.mant << BigInt(a.exp - e);
  const bv = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -av : av) + (b.neg ? -bv : bv);
  if (sum === ZERO) return ldZero(false);
  return sum < ZERO ? ldRound(true, -sum, e, false) : ldRound(false, sum, e, false);
}

// ---- formatting ----

/**
 * printf("%.17Lf") of a finite value: exact decimal expansion rounded to 17 fraction digits,
 * ties to even (glibc). Negative values keep their "-" even when they round to zero.
 */
export function ldFormatFixed17(x: LongDouble): string {
  const sign = x.neg ? "-" : "";
  if (x.mant === ZERO) return sign + "0.00000000000000000";
  let q: bigint;
  if (x.exp >= 0) {
    q = (x.mant << BigInt(x.exp)) * TEN17;
  } else {
    const sh = BigInt(-x.exp);
    const scaled = x.mant * TEN17;
    q = scaled >> sh;
    const rem = scaled - (q << sh);
    const half = ONE << (sh - ONE);
    if (rem > half || (rem === half && (q & ONE) === ONE)) q += ONE;
  }
  let s = q.toString();
  if (s.length < 18) s = "0".repeat(18 - s.length) + s;
  return sign + s.slice(0, s.length - 17) + "." + s.slice(s.length - 17);
}

/**
 * Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf" with trailing fraction zeros (and a bare
 * ".") removed, and "-0" printed as "0". Infinities print as "inf"/"-inf".
 */
export function ldFormatHuman(x: LongDouble): string {
  if (x.kind === LD_INF) return x.neg ? "-inf" : "inf";
  if (x.kind === LD_NAN) return x.neg ? "-nan" : "nan";
  let s = ldFormatFixed17(x);
  let l = s.length;
  while (s.charCodeAt(l - 1) === 48) l--;
  if (s.charCodeAt(l - 1) === C_DOT) l--;
  s = s.slice(0, l);
  return s === "-0" ? "0" : s;
}

/** Nearest double (for tests and diagnostics). */
export function ldToNumber(x: LongDouble): number {
  if (x.kind === LD_NAN) return NaN;
  if (x.kind === LD_INF) return x.neg ? -Infinity : Infinity;
  if (x.mant === ZERO) return x.neg ? -0 : 0;
  // 64 -> 53 bits; Number() of a bigint rounds to nearest even, then the scale is exact
  // unless it leaves the double range.
  let v = Number(x.mant);
  let e = x.exp;
  while (e > 0) {
    const step = e > 1000 ? 1000 : e;
    v *= 2 ** step;
    e -= step;
  }
  while (e < 0) {
    const step = e < -1000 ? 1000 : -e;
    v /= 2 ** step;
    e += step;
  }
  return x.neg ? -v : v;
}

// ---- INCRBYFLOAT / HINCRBYFLOAT ----

/**
 * value + incr as INCRBYFLOAT and HINCRBYFLOAT compute it: long double addition, then the
 * LD_STR_HUMAN text stored and replied. Returns null when the sum is NaN or infinite
 * ("increment would produce NaN or Infinity").
 */
export function ldIncrHuman(value: LongDouble, incr: LongDouble): string | null {
  const r = ldAdd(value, incr);
  if (r.kind !== LD_FINITE) return null;
  return ldFormatHuman(r);
}
