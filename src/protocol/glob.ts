// Glob-style matching with Redis's stringmatchlen rules: * ? [abc] [^a-z] and \ escapes,
// optionally case-insensitive. Works on bytes. Depends on nothing.

function _lower(c: number): number {
  return c >= 65 && c <= 90 ? c | 0x20 : c;
}

/**
 * Match pattern p[po..po+pl) against string s[so..so+sl). Recursion on '*' is cut off the way
 * Redis does it (skipLongerMatches), so pathological patterns stay linear-ish.
 */
export function globMatch(
  p: Uint8Array,
  po: number,
  pl: number,
  s: Uint8Array,
  so: number,
  sl: number,
  nocase = false,
): boolean {
  const skip = { v: false };
  return _match(p, po, po + pl, s, so, so + sl, nocase, skip, 0);
}

function _match(
  p: Uint8Array,
  pi: number,
  pe: number,
  s: Uint8Array,
  si: number,
  se: number,
  nocase: boolean,
  skipLonger: { v: boolean },
  nesting: number,
): boolean {
  if (nesting > 1000) return false;
  while (pi < pe && si < se) {
    const pc = p[pi];
    switch (pc) {
      case 42: { // '*'
        while (pi + 1 < pe && p[pi + 1] === 42) pi++;
        if (pi + 1 === pe) return true;
        while (si < se) {
          if (_match(p, pi + 1, pe, s, si, se, nocase, skipLonger, nesting + 1)) return true;
          if (skipLonger.v) return false;
          si++;
        }
        skipLonger.v = true;
        return false;
      }
      case 63: // '?'
        si++;
        break;
      case 91: { // '['
        pi++;
        const not = pi < pe && p[pi] === 94;
        if (not) pi++;
        let match = false;
        for (;;) {
          if (pi >= pe) {
            pi--; // pattern ended inside the class: treat as end
            break;
          }
          if (p[pi] === 92 && pi + 1 < pe) {
            pi++;
            if (p[pi] === s[si]) match = true;
          } else if (p[pi] === 93) {
            break;
          } else if (pi + 2 < pe && p[pi + 1] === 45) {
            let start = p[pi];
            let end = p[pi + 2];
            let c = s[si];
            if (start > end) {
              const t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = _lower(start);
              end = _lower(end);
              c = _lower(c);
            }
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (nocase ? _lower(p[pi]) === _lower(s[si]) : p[pi] === s[si]) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      case 92: // '\'
        if (pi + 1 < pe) pi++;
      // falls through
      default:
        if (nocase ? _lower(p[pi]) !== _lower(s[si]) : p[pi] !== s[si]) return false;
        si++;
        break;
    }
    pi++;
    if (si === se) {
      while (pi < pe && p[pi] === 42) pi++;
      break;
    }
  }
  return pi === pe && si === se;
}

/** Convenience for JS strings (latin1). */
export function globMatchStr(pattern: string, s: string, nocase = false): boolean {
  const enc = (x: string) => {
    const b = new Uint8Array(x.length);
    for (let i = 0; i < x.length; i++) b[i] = x.charCodeAt(i);
    return b;
  };
  const p = enc(pattern);
  const b = enc(s);
  return globMatch(p, 0, p.length, b, 0, b.length, nocase);
}
