// LZF: the byte-oriented LZ77 format of liblzf, which Redis uses for compressed RDB strings and
// for quicklist nodes beyond list-compress-depth. Our own compressor and decompressor over plain
// byte ranges (arena chunk views with offsets); no allocation per call. Depends on nothing.
//
// Stream format (a sequence of items, each starting with a control byte c):
//   c < 32                 literal run: the next c+1 bytes are copied as they are (1..32 bytes)
//   c = LLLooooo [x] oooooooo
//                          back-reference: length L+2 (L = 1..6), or when L = 7 the next byte x
//                          extends it to x+9; offset ((c & 31) << 8 | o) + 1 bytes back (1..8192)
//
//   lzfCompress    O(n), one hash probe per input byte
//   lzfDecompress  O(n)

const HLOG = 14;
const HSIZE = 1 << HLOG;
/** Longest literal run one control byte describes. */
const MAX_LIT = 32;
/** Farthest a back-reference reaches. */
const MAX_OFF = 1 << 13;
/** Longest back-reference: 7 + 255 + 2. */
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * Hash slots: the input position (relative to the range start) + 1 where a 3-byte sequence was
 * last seen. Left over from earlier calls on purpose: every candidate is range-checked and its
 * bytes compared before use, so a stale slot only costs a missed match.
 */
const htab = new Int32Array(HSIZE);

function _hash(a: number, b: number, c: number): number {
  return Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1) >>> (32 - HLOG);
}

/**
 * Compress src[sOff, sOff+sLen) into dst[dOff, dOff+dCap). Returns the compressed length, or 0
 * when the input is empty or the output would not fit in dCap bytes (nothing past dOff+dCap is
 * ever written). src and dst may be the same buffer when the ranges do not overlap.
 */
export function lzfCompress(
  src: Uint8Array,
  sOff: number,
  sLen: number,
  dst: Uint8Array,
  dOff: number,
  dCap: number,
): number {
  if (sLen === 0 || dCap === 0) return 0;
  const inEnd = sOff + sLen;
  const outEnd = dOff + dCap;
  let ip = sOff;
  let op = dOff;
  let lc = op++; // control byte of the open literal run (written when the run closes)
  let lit = 0;

  while (ip < inEnd - 2) {
    const a = src[ip];
    const b = src[ip + 1];
    const c = src[ip + 2];
    const h = _hash(a, b, c);
    const rel = ip - sOff;
    const ref = htab[h] - 1 + sOff;
    htab[h] = rel + 1;
    const off = ip - ref - 1;
    if (
      ref >= sOff && off >= 0 && off < MAX_OFF &&
      src[ref] === a && src[ref + 1] === b && src[ref + 2] === c
    ) {
      // a match of at least 3 bytes: extend it
      let maxLen = inEnd - ip;
      if (maxLen > MAX_REF) maxLen = MAX_REF;
      let len = 3;
      while (len < maxLen && src[ref + len] === src[ip + len]) len++;
      // close the literal run (or drop its unused control byte)
      if (lit > 0) dst[lc] = lit - 1;
      else op--;
      const code = len - 2;
      if (op + (code >= 7 ? 3 : 2) > outEnd) return 0;
      if (code < 7) {
        dst[op++] = (off >> 8) | (code << 5);
      } else {
        dst[op++] = (off >> 8) | (7 << 5);
        dst[op++] = code - 7;
      }
      dst[op++] = off & 0xff;
      lc = op++;
      lit = 0;
      ip += len;
      // remember the last two positions inside the match as well
      if (ip < inEnd - 2) {
        let q = ip - 2;
        htab[_hash(src[q], src[q + 1], src[q + 2])] = q - sOff + 1;
        q++;
        htab[_hash(src[q], src[q + 1], src[q + 2])] = q - sOff + 1;
      }
    } else {
      if (op >= outEnd) return 0;
      dst[op++] = src[ip++];
      if (++lit === MAX_LIT) {
        dst[lc] = MAX_LIT - 1;
        lc = op++;
        lit = 0;
      }
    }
  }
  while (ip < inEnd) {
    if (op >= outEnd) return 0;
    dst[op++] = src[ip++];
    if (++lit === MAX_LIT) {
      dst[lc] = MAX_LIT - 1;
      lc = op++;
      lit = 0;
    }
  }
  if (lit > 0) dst[lc] = lit - 1;
  else op--;
  return op - dOff;
}

/**
 * Decompress src[sOff, sOff+sLen) into dst[dOff, dOff+dCap). Returns the decompressed length, or
 * 0 when the input is corrupt (a reference before the output start, a truncated item) or the
 * output does not fit in dCap bytes. Never writes past dOff+dCap.
 */
export function lzfDecompress(
  src: Uint8Array,
  sOff: number,
  sLen: number,
  dst: Uint8Array,
  dOff: number,
  dCap: number,
): number {
  const inEnd = sOff + sLen;
  const outEnd = dOff + dCap;
  let ip = sOff;
  let op = dOff;
  while (ip < inEnd) {
    const ctrl = src[ip++];
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outEnd || ip + n > inEnd) return 0;
      for (let i = 0; i < n; i++) dst[op + i] = src[ip + i];
      op += n;
      ip += n;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= inEnd) return 0;
        len += src[ip++];
      }
      if (ip >= inEnd) return 0;
      const ref = op - ((ctrl & 0x1f) << 8) - src[ip++] - 1;
      len += 2;
      if (ref < dOff || op + len > outEnd) return 0;
      if (ref + len <= op && len > 16) {
        dst.copyWithin(op, ref, ref + len);
      } else {
        // overlapping reference: byte by byte repeats the pattern
        for (let i = 0; i < len; i++) dst[op + i] = dst[ref + i];
      }
      op += len;
    }
  }
  return op - dOff;
}
