// Number formatting exactly as Redis prints numbers: d2string ("%.17g" with integer fast path,
// "-0", "inf", "nan") and the "%.17g" printf emulation it relies on. Depends on nothing.

/** C printf "%.<p>g" for a finite double. */
export function formatG(v: number, p = 17): string {
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  let s = v.toExponential(p - 1); // d.ddddde±x, correctly rounded
  const ei = s.indexOf("e");
  const exp = parseInt(s.slice(ei + 1), 10);
  if (exp < -4 || exp >= p) {
    let mant = s.slice(0, ei);
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    const ae = Math.abs(exp);
    return `${mant}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" + ae : ae}`;
  }
  s = v.toFixed(Math.max(0, p - 1 - exp));
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
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
  return formatG(v, 17);
}
