// Number formatting exactly as Redis prints numbers: "%.17g" as glibc's printf does it (ties to
// even on the exact binary value, which JS's toPrecision does not do) and d2string ("%.17g" with
// the integer fast path). Depends on nothing.

/**
 * True when |d|'s exact decimal expansion stops right after an 18th significant digit 5, so
 * rounding to 17 digits is a tie (JS rounds ties away from zero, printf to even).
 */
function _isTie(exact: string): boolean {
  let k = 0;
  let n = 0;
  for (; k < exact.length; k++) {
    const c = exact.charCodeAt(k);
    if (c === 101) break; // 'e'
    if (c < 48 || c > 57) continue;
    if (n === 0 && c === 48) continue; // leading zeros
    n++;
    if (n === 18 && c !== 53) return false;
    if (n > 18 && c !== 48) return false;
  }
  return n >= 18;
}

/** Drop trailing fraction zeros (and a bare dot) from a fixed or mantissa string. */
function _trimZeros(s: string): string {
  if (s.indexOf(".") < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Whether the last digit before position `end` of s (skipping a dot) is even. */
function _evenBefore(s: string, end: number): boolean {
  let k = end - 1;
  if (s.charCodeAt(k) === 46) k--;
  return ((s.charCodeAt(k) - 48) & 1) === 0;
}

/** "%.17g" of a double as C prints it (inf, -inf, nan, -0 included): a latin1 string. */
export function fmt17g(d: number): string {
  if (d === Infinity) return "inf";
  if (d === -Infinity) return "-inf";
  if (d !== d) return "nan";
  if (d === 0) return 1 / d < 0 ? "-0" : "0";
  const a = d < 0 ? -d : d;
  // Short binary fractions (1.5, 0.25, ...) below 1e4 have at most 14 significant digits: their
  // exact expansion is both what %.17g prints and the shortest round-trip text.
  if (a < 1e4 && Number.isInteger(d * 1024)) return String(d);
  if (a >= 1e-4 && a < 1e17) {
    // %g picks fixed notation here, as toPrecision does.
    let s = d.toPrecision(17);
    const s18 = d.toPrecision(18);
    if (
      s18.charCodeAt(s18.length - 1) === 53 && _isTie(d.toPrecision(100)) &&
      _evenBefore(s18, s18.length - 1)
    ) {
      s = s18.slice(0, -1);
    }
    return _trimZeros(s);
  }
  let m = d.toExponential(16);
  const m18 = d.toExponential(17);
  const e18 = m18.indexOf("e");
  if (m18.charCodeAt(e18 - 1) === 53 && _isTie(d.toExponential(100)) && _evenBefore(m18, e18 - 1)) {
    m = m18.slice(0, e18 - 1) + m18.slice(e18);
  }
  const ei = m.indexOf("e");
  const mant = _trimZeros(m.slice(0, ei));
  const sign = m.charCodeAt(ei + 1) === 45 ? "-" : "+";
  const exp = m.slice(ei + 2);
  return `${mant}e${sign}${exp.length < 2 ? "0" + exp : exp}`;
}


/** Redis d2string: how scores and float replies are written in RESP2. */
export function d2string(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  // double2ll fast path: integral values within ±LLONG_MAX/2 (2^62 as a double) print as
  // integers, so 1e18 is "1000000000000000000", not "1e+18".
  if (Number.isInteger(v) && v >= -4611686018427387904 && v <= 4611686018427387904) {
    return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }
  return fmt17g(v);
}
