// Listpack-backed sorted sets (Redis's zzl* functions): member,score pairs in one listpack,
// ordered by score then member bytes. Scores that are integers within +-2^62 are stored as
// listpack integers (so -0 reads back as 0), others as their "%.17g" text. Positions are byte
// offsets from the listpack start (0 = none); writes return the possibly moved handle.
// Depends on encoding/ and score.ts; knows nothing of clients.
//
//   find / insert / delete / rank   O(n)
//   first/last in range             O(n)

import type { Heap } from "../../memory/allocator.ts";
import {
  LP_AFTER,
  LP_BEFORE,
  lpAppend,
  lpAppendInt,
  lpDeleteRange,
  lpDeleteRangeWithEntry,
  lpFind,
  lpFirst,
  lpGet,
  lpGetBytes,
  lpInsert,
  lpInsertInt,
  lpLength,
  lpNext,
  lpOut,
  lpPrev,
  lpSeek,
} from "../../encoding/listpack.ts";
import {
  type ZLexRangeSpec,
  type ZRangeSpec,
  zslLexRangeIsEmpty,
  zslLexValueGteMin,
  zslLexValueLteMax,
  zslRangeIsEmpty,
  zslValueGteMin,
  zslValueLteMax,
} from "../../encoding/skiplist.ts";
import { fmt17g, strtod } from "./score.ts";

/** Second results: the score zzlFind found, the count a range delete removed. */
export const zzlOut = { score: 0, deleted: 0 };

/** Integers within this magnitude are stored as listpack integers (double2ll's range). */
const LL_HALF = 4611686018427387904; // 2^62
const MAX_SAFE = 9007199254740991;

/** Number of member,score pairs. */
export function zzlLength(m: Heap, zl: number): number {
  return lpLength(m, zl) >>> 1;
}

/** zzlStrtod: strtod of a stored score's text (at most 127 bytes are looked at). */
export function zzlStrtod(b: Uint8Array, off: number, len: number): number {
  return strtod(b, off, len > 127 ? 127 : len);
}

/** The score stored at position sp. */
export function zzlScoreAt(m: Heap, zl: number, sp: number): number {
  const el = lpGet(m, zl, sp);
  if (el.isInt) return el.int;
  return zzlStrtod(el.buf, el.off, el.len);
}

/** Position of the score of the member at eptr. */
export function zzlScorePos(m: Heap, zl: number, eptr: number): number {
  return lpNext(m, zl, eptr);
}

/** Position of the member after the one at eptr, or 0. */
export function zzlNext(m: Heap, zl: number, eptr: number): number {
  const sp = lpNext(m, zl, eptr);
  return sp === 0 ? 0 : lpNext(m, zl, sp);
}

/** Position of the member before the one at eptr, or 0. */
export function zzlPrev(m: Heap, zl: number, eptr: number): number {
  const sp = lpPrev(m, zl, eptr);
  return sp === 0 ? 0 : lpPrev(m, zl, sp);
}

/** memcmp of the member at eptr (integers as their decimal text) with b[off, off+len). */
export function zzlCompareElements(
  m: Heap,
  zl: number,
  eptr: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  const el = lpGetBytes(m, zl, eptr);
  const vb = el.buf;
  const vo = el.off;
  const vl = el.len;
  const n = vl < len ? vl : len;
  for (let i = 0; i < n; i++) {
    const d = vb[vo + i] - b[off + i];
    if (d !== 0) return d;
  }
  return vl - len;
}

/** Position of a member, or 0; its score goes to zzlOut.score. */
export function zzlFind(m: Heap, zl: number, b: Uint8Array, off: number, len: number): number {
  const first = lpFirst(m, zl);
  if (first === 0) return 0;
  const p = lpFind(m, zl, first, b, off, len, 1);
  if (p === 0) return 0;
  zzlOut.score = zzlScoreAt(m, zl, lpNext(m, zl, p));
  return p;
}

// ---- writes ----

const SBUF = new Uint8Array(32);
let _sInt = 0;

/**
 * Prepare a score for storage: -1 when it goes in as the safe integer _sInt, else the length of
 * its text in SBUF (big integers as decimal, which the listpack stores as int64; the rest as
 * "%.17g", "inf", "-inf").
 */
function _scoreBytes(score: number): number {
  if (Number.isInteger(score) && score >= -LL_HALF && score <= LL_HALF) {
    if (score >= -MAX_SAFE && score <= MAX_SAFE) {
      _sInt = score === 0 ? 0 : score;
      return -1;
    }
    const s = BigInt(score).toString();
    for (let i = 0; i < s.length; i++) SBUF[i] = s.charCodeAt(i);
    return s.length;
  }
  const s = fmt17g(score);
  for (let i = 0; i < s.length; i++) SBUF[i] = s.charCodeAt(i);
  return s.length;
}

/**
 * Insert (member, score) before the member at eptr, or at the end when eptr is 0. The member
 * bytes must not lie inside this listpack. Returns the handle.
 */
export function zzlInsertAt(
  m: Heap,
  zl: number,
  eptr: number,
  b: Uint8Array,
  off: number,
  len: number,
  score: number,
): number {
  const sl = _scoreBytes(score);
  if (eptr === 0) {
    zl = lpAppend(m, zl, b, off, len);
    return sl < 0 ? lpAppendInt(m, zl, _sInt) : lpAppend(m, zl, SBUF, 0, sl);
  }
  zl = lpInsert(m, zl, eptr, LP_BEFORE, b, off, len);
  const sp = lpOut.pos;
  return sl < 0
    ? lpInsertInt(m, zl, sp, LP_AFTER, _sInt)
    : lpInsert(m, zl, sp, LP_AFTER, SBUF, 0, sl);
}

/** Insert a member that is not present at its place in the order. Returns the handle. */
export function zzlInsert(
  m: Heap,
  zl: number,
  b: Uint8Array,
  off: number,
  len: number,
  score: number,
): number {
  let eptr = lpFirst(m, zl);
  while (eptr !== 0) {
    const sp = lpNext(m, zl, eptr);
    const s = zzlScoreAt(m, zl, sp);
    if (s > score) break;
    if (s === score && zzlCompareElements(m, zl, eptr, b, off, len) > 0) break;
    eptr = lpNext(m, zl, sp);
  }
  return zzlInsertAt(m, zl, eptr, b, off, len, score);
}

/** Delete the pair whose member is at eptr. Returns the handle (lpOut.pos: next member). */
export function zzlDelete(m: Heap, zl: number, eptr: number): number {
  return lpDeleteRangeWithEntry(m, zl, eptr, 2);
}

// ---- score ranges ----

/** Can any score of the listpack be in the interval? */
function _isInRange(m: Heap, zl: number, spec: ZRangeSpec): boolean {
  if (zslRangeIsEmpty(spec)) return false;
  const last = lpSeek(m, zl, -1);
  if (last === 0) return false;
  if (!zslValueGteMin(zzlScoreAt(m, zl, last), spec)) return false;
  return zslValueLteMax(zzlScoreAt(m, zl, lpSeek(m, zl, 1)), spec);
}

/** Position of the first member with a score in the interval, or 0. */
export function zzlFirstInRange(m: Heap, zl: number, spec: ZRangeSpec): number {
  if (!_isInRange(m, zl, spec)) return 0;
  let eptr = lpFirst(m, zl);
  while (eptr !== 0) {
    const sp = lpNext(m, zl, eptr);
    const s = zzlScoreAt(m, zl, sp);
    if (zslValueGteMin(s, spec)) return zslValueLteMax(s, spec) ? eptr : 0;
    eptr = lpNext(m, zl, sp);
  }
  return 0;
}

/** Position of the last member with a score in the interval, or 0. */
export function zzlLastInRange(m: Heap, zl: number, spec: ZRangeSpec): number {
  if (!_isInRange(m, zl, spec)) return 0;
  let eptr = lpSeek(m, zl, -2);
  while (eptr !== 0) {
    const s = zzlScoreAt(m, zl, lpNext(m, zl, eptr));
    if (zslValueLteMax(s, spec)) return zslValueGteMin(s, spec) ? eptr : 0;
    eptr = zzlPrev(m, zl, eptr);
  }
  return 0;
}

// ---- lex ranges ----

/** The member at p is >= the spec's min. */
export function zzlLexValueGteMin(m: Heap, zl: number, p: number, spec: ZLexRangeSpec): boolean {
  const el = lpGetBytes(m, zl, p);
  return zslLexValueGteMin(el.buf, el.off, el.len, spec);
}

/** The member at p is <= the spec's max. */
export function zzlLexValueLteMax(m: Heap, zl: number, p: number, spec: ZLexRangeSpec): boolean {
  const el = lpGetBytes(m, zl, p);
  return zslLexValueLteMax(el.buf, el.off, el.len, spec);
}

function _isInLexRange(m: Heap, zl: number, spec: ZLexRangeSpec): boolean {
  if (zslLexRangeIsEmpty(spec)) return false;
  const last = lpSeek(m, zl, -2);
  if (last === 0) return false;
  if (!zzlLexValueGteMin(m, zl, last, spec)) return false;
  return zzlLexValueLteMax(m, zl, lpFirst(m, zl), spec);
}

/** Position of the first member in the lex interval, or 0 (Redis's walk, whatever the scores). */
export function zzlFirstInLexRange(m: Heap, zl: number, spec: ZLexRangeSpec): number {
  if (!_isInLexRange(m, zl, spec)) return 0;
  let eptr = lpFirst(m, zl);
  while (eptr !== 0) {
    if (zzlLexValueGteMin(m, zl, eptr, spec)) {
      return zzlLexValueLteMax(m, zl, eptr, spec) ? eptr : 0;
    }
    eptr = zzlNext(m, zl, eptr);
  }
  return 0;
}

/** Position of the last member in the lex interval, or 0. */
export function zzlLastInLexRange(m: Heap, zl: number, spec: ZLexRangeSpec): number {
  if (!_isInLexRange(m, zl, spec)) return 0;
  let eptr = lpSeek(m, zl, -2);
  while (eptr !== 0) {
    if (zzlLexValueLteMax(m, zl, eptr, spec)) {
      return zzlLexValueGteMin(m, zl, eptr, spec) ? eptr : 0;
    }
    eptr = zzlPrev(m, zl, eptr);
  }
  return 0;
}

// ---- range deletion (the count goes to zzlOut.deleted) ----

/** Delete the pairs with a score in the interval. Returns the handle. */
export function zzlDeleteRangeByScore(m: Heap, zl: number, spec: ZRangeSpec): number {
  let num = 0;
  let eptr = zzlFirstInRange(m, zl, spec);
  while (eptr !== 0) {
    const sp = lpNext(m, zl, eptr);
    if (sp === 0 || !zslValueLteMax(zzlScoreAt(m, zl, sp), spec)) break;
    zl = lpDeleteRangeWithEntry(m, zl, eptr, 2);
    eptr = lpOut.pos;
    num++;
  }
  zzlOut.deleted = num;
  return zl;
}

/** Delete the pairs whose member is in the lex interval. Returns the handle. */
export function zzlDeleteRangeByLex(m: Heap, zl: number, spec: ZLexRangeSpec): number {
  let num = 0;
  let eptr = zzlFirstInLexRange(m, zl, spec);
  while (eptr !== 0) {
    if (lpNext(m, zl, eptr) === 0 || !zzlLexValueLteMax(m, zl, eptr, spec)) break;
    zl = lpDeleteRangeWithEntry(m, zl, eptr, 2);
    eptr = lpOut.pos;
    num++;
  }
  zzlOut.deleted = num;
  return zl;
}

/** Delete the pairs of 0-based ranks start..end (inclusive, already within range). */
export function zzlDeleteRangeByRank(m: Heap, zl: number, start: number, end: number): number {
  const num = end - start + 1;
  zzlOut.deleted = num;
  return lpDeleteRange(m, zl, 2 * start, 2 * num);
}
