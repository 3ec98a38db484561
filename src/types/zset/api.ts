// The common sorted-set API (Redis's zset* functions) over both encodings: listpack (small sets,
// see listpack.ts) and skiplist (encoding/skiplist.ts: skiplist + member dict). A sorted set is
// an (encoding, handle) pair held in a ZObj; callers load it from a keyspace entry and store it
// back after writes (zoLoad / zoStore). Also the readers other families use (SORT, GEO), the
// value ops (free, dup, MEMORY USAGE, lazy free, defrag, DEBUG DIGEST) and conversions at
// Redis's exact points. Knows nothing of clients or replies.

import type { Heap } from "../../memory/allocator.ts";
import { OFF_BITS } from "../../memory/arena.ts";
import {
  LISTPACK_MAX_SAFETY_SIZE,
  lpDup,
  lpElBytes,
  lpElIntText,
  lpFirst,
  lpFree,
  lpGet,
  lpNew,
  lpNext,
  lpPrev,
  lpSafeToAdd,
  lpSeek,
} from "../../encoding/listpack.ts";
import {
  zslAppend,
  zslByRank,
  zslCreate,
  zslDelete,
  zslDict,
  zslDup,
  zslFind,
  zslFirst,
  zslFree,
  zslFreeEffort,
  zslFreeSome,
  zslInsert,
  zslLast,
  zslLength,
  zslMemUsage,
  zslNext,
  zslNodeMemberLen,
  zslNodeMemberOff,
  zslNodeScore,
  zslPrev,
  zslRankOf,
  zslUpdateScore,
} from "../../encoding/skiplist.ts";
import { dictForEach, hashBytes } from "../../encoding/dict.ts";
import { EMPTY, fromLatin1 } from "../../protocol/bytes.ts";
import {
  OBJ_ENCODING_LISTPACK,
  OBJ_ENCODING_SKIPLIST,
  OBJ_ZSET,
  objAux,
  objEncoding,
  setObjAux,
  setObjEncoding,
} from "../../store/object.ts";
import { type DigestOps, registerValueType } from "../../store/values.ts";
import type { Server } from "../../server/server.ts";
import {
  zzlDelete,
  zzlFind,
  zzlInsert,
  zzlInsertAt,
  zzlLength,
  zzlOut,
  zzlScoreAt,
} from "./listpack.ts";
import { fmt17g } from "./score.ts";

export const ZSET_LISTPACK = OBJ_ENCODING_LISTPACK;
export const ZSET_SKIPLIST = OBJ_ENCODING_SKIPLIST;

/** A sorted set value: its encoding and the handle of its structure. */
export interface ZObj {
  enc: number;
  h: number;
}

/** Load a zset entry's value into zo. */
export function zoLoad(m: Heap, e: number, zo: ZObj): ZObj {
  zo.enc = objEncoding(m, e);
  zo.h = objAux(m, e);
  return zo;
}

/** Store zo back into its entry (a write may have moved or converted the structure). */
export function zoStore(m: Heap, e: number, zo: ZObj): void {
  setObjAux(m, e, zo.h);
  setObjEncoding(m, e, zo.enc);
}

// ---- basics ----

export function zsetLength(m: Heap, enc: number, h: number): number {
  return enc === ZSET_LISTPACK ? zzlLength(m, h) : zslLength(m, h);
}

/** A new empty listpack-encoded set in zo. */
export function zsetNewListpack(m: Heap, zo: ZObj): ZObj {
  zo.enc = ZSET_LISTPACK;
  zo.h = lpNew(m, 0);
  return zo;
}

/** A new empty skiplist-encoded set in zo. */
export function zsetNewSkiplist(m: Heap, zo: ZObj): ZObj {
  zo.enc = ZSET_SKIPLIST;
  zo.h = zslCreate(m);
  return zo;
}

/**
 * zsetTypeCreate as 7.0's ZADD does it: skiplist when listpacks are disabled or the first
 * member is longer than zset-max-listpack-value, else listpack.
 */
export function zsetCreateFor(s: Server, zo: ZObj, firstLen: number): ZObj {
  if (s.limits.zsetMaxListpackEntries === 0 || s.limits.zsetMaxListpackValue < firstLen) {
    return zsetNewSkiplist(s.heap, zo);
  }
  return zsetNewListpack(s.heap, zo);
}

export function zsetFree(m: Heap, enc: number, h: number): void {
  if (enc === ZSET_LISTPACK) lpFree(m, h);
  else zslFree(m, h);
}

/** Convert zo to `enc` (listpack <-> skiplist), freeing the old structure. */
export function zsetConvert(m: Heap, zo: ZObj, enc: number): void {
  if (zo.enc === enc) return;
  if (zo.enc === ZSET_LISTPACK) {
    const zl = zo.h;
    const zs = zslCreate(m);
    let p = lpFirst(m, zl);
    while (p !== 0) {
      const sp = lpNext(m, zl, p);
      const score = zzlScoreAt(m, zl, sp);
      const el = lpElBytes(lpGet(m, zl, p));
      zslAppend(m, zs, el.buf, el.off, el.len, score);
      p = lpNext(m, zl, sp);
    }
    lpFree(m, zl);
    zo.enc = ZSET_SKIPLIST;
    zo.h = zs;
  } else {
    const zs = zo.h;
    let zl = lpNew(m, 0);
    for (let x = zslFirst(m, zs); x !== 0; x = zslNext(m, x)) {
      zl = zzlInsertAt(
        m,
        zl,
        0,
        m.u8[x >>> OFF_BITS],
        zslNodeMemberOff(x),
        zslNodeMemberLen(m, x),
        zslNodeScore(m, x),
      );
    }
    zslFree(m, zs);
    zo.enc = ZSET_LISTPACK;
    zo.h = zl;
  }
}

/**
 * zsetConvertToListpackIfNeeded: a skiplist result (ZUNIONSTORE & co.) becomes a listpack when
 * its length, longest member and total member bytes fit the listpack limits.
 */
export function zsetConvertToListpackIfNeeded(
  s: Server,
  zo: ZObj,
  maxelelen: number,
  totelelen: number,
): void {
  if (zo.enc === ZSET_LISTPACK) return;
  if (
    zslLength(s.heap, zo.h) <= s.limits.zsetMaxListpackEntries &&
    maxelelen <= s.limits.zsetMaxListpackValue &&
    totelelen <= LISTPACK_MAX_SAFETY_SIZE
  ) {
    zsetConvert(s.heap, zo, ZSET_LISTPACK);
  }
}

// ---- add / delete / lookups ----

export const ZADD_IN_NONE = 0;
export const ZADD_IN_INCR = 1;
export const ZADD_IN_NX = 2;
export const ZADD_IN_XX = 4;
export const ZADD_IN_GT = 8;
export const ZADD_IN_LT = 16;

export const ZADD_OUT_NOP = 1;
export const ZADD_OUT_NAN = 2;
export const ZADD_OUT_ADDED = 4;
export const ZADD_OUT_UPDATED = 8;

/** Second results of zsetAdd: ZADD_OUT_* flags and the member's new score. */
export const zaddOut = { flags: 0, newscore: 0 };

/**
 * zsetAdd: add a member or update its score, honouring ZADD_IN_* flags; a listpack converts to
 * a skiplist when the new member would break the limits. Returns false (ZADD_OUT_NAN) when the
 * score is NaN or the increment makes it NaN. Results in zaddOut.
 */
export function zsetAdd(
  s: Server,
  zo: ZObj,
  score: number,
  b: Uint8Array,
  off: number,
  len: number,
  inFlags: number,
): boolean {
  const m = s.heap;
  zaddOut.flags = 0;
  if (score !== score) {
    zaddOut.flags = ZADD_OUT_NAN;
    return false;
  }
  // Look the member up in either encoding; the update rules below are the same for both.
  let pos = 0; // listpack position or skiplist node
  let cur = 0;
  let hash = 0;
  if (zo.enc === ZSET_LISTPACK) {
    pos = zzlFind(m, zo.h, b, off, len);
    if (pos !== 0) cur = zzlOut.score;
  } else {
    hash = hashBytes(b, off, len);
    pos = zslFind(m, zo.h, b, off, len, hash);
    if (pos !== 0) cur = zslNodeScore(m, pos);
  }
  if (pos !== 0) {
    if (inFlags & ZADD_IN_NX) {
      zaddOut.flags = ZADD_OUT_NOP;
      return true;
    }
    if (inFlags & ZADD_IN_INCR) {
      score += cur;
      if (score !== score) {
        zaddOut.flags = ZADD_OUT_NAN;
        return false;
      }
    }
    if ((inFlags & ZADD_IN_LT && score >= cur) || (inFlags & ZADD_IN_GT && score <= cur)) {
      zaddOut.flags = ZADD_OUT_NOP;
      return true;
    }
    zaddOut.newscore = score;
    if (score !== cur) {
      if (zo.enc === ZSET_LISTPACK) {
        zo.h = zzlInsert(m, zzlDelete(m, zo.h, pos), b, off, len, score);
      } else zslUpdateScore(m, zo.h, pos, score);
      zaddOut.flags = ZADD_OUT_UPDATED;
    }
    return true;
  }
  if (inFlags & ZADD_IN_XX) {
    zaddOut.flags = ZADD_OUT_NOP;
    return true;
  }
  if (zo.enc === ZSET_LISTPACK) {
    const zl = zo.h;
    if (
      zzlLength(m, zl) + 1 <= s.limits.zsetMaxListpackEntries &&
      len <= s.limits.zsetMaxListpackValue &&
      lpSafeToAdd(m, zl, len)
    ) {
      zo.h = zzlInsert(m, zl, b, off, len, score);
      zaddOut.newscore = score;
      zaddOut.flags = ZADD_OUT_ADDED;
      return true;
    }
    zsetConvert(m, zo, ZSET_SKIPLIST);
    hash = hashBytes(b, off, len);
  }
  zslInsert(m, zo.h, b, off, len, score, hash);
  zaddOut.flags = ZADD_OUT_ADDED;
  zaddOut.newscore = score;
  return true;
}

/** zsetDel: remove a member; false when absent. */
export function zsetDel(m: Heap, zo: ZObj, b: Uint8Array, off: number, len: number): boolean {
  if (zo.enc === ZSET_LISTPACK) {
    const eptr = zzlFind(m, zo.h, b, off, len);
    if (eptr === 0) return false;
    zo.h = zzlDelete(m, zo.h, eptr);
    return true;
  }
  return zslDelete(m, zo.h, b, off, len);
}

/** A member's score, or NaN when it is absent. */
export function zsetScore(
  m: Heap,
  enc: number,
  h: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  if (enc === ZSET_LISTPACK) {
    return zzlFind(m, h, b, off, len) === 0 ? NaN : zzlOut.score;
  }
  const node = zslFind(m, h, b, off, len);
  return node === 0 ? NaN : zslNodeScore(m, node);
}

/** zsetRank: 0-based rank (reverse: from the highest), or -1 when absent. */
export function zsetRank(
  m: Heap,
  enc: number,
  h: number,
  b: Uint8Array,
  off: number,
  len: number,
  reverse: boolean,
): number {
  if (enc === ZSET_LISTPACK) {
    const llen = zzlLength(m, h);
    const eptr = zzlFind(m, h, b, off, len);
    if (eptr === 0) return -1;
    let rank = 0;
    for (let p = lpFirst(m, h); p !== eptr; p = lpNext(m, h, lpNext(m, h, p))) rank++;
    return reverse ? llen - 1 - rank : rank;
  }
  return zslRankOf(m, h, b, off, len, reverse);
}

/** zsetDup: a deep copy in the same encoding (COPY). */
export function zsetDup(m: Heap, enc: number, h: number): number {
  return enc === ZSET_LISTPACK ? lpDup(m, h) : zslDup(m, h);
}

// ---- iteration (ZRANGE, set operations, SORT): no allocation per element ----

/**
 * A cursor over a sorted set in ascending (or descending) order. After zsetIterNext returns
 * true, buf[off, off+len) is the member (valid until the set is written or the next step) and
 * `score` its score.
 */
export class ZsetIter {
  m!: Heap;
  enc = 0;
  h = 0;
  reverse = false;
  /** Listpack position or skiplist node of the next element (0 = done). */
  pos = 0;
  buf: Uint8Array = EMPTY;
  off = 0;
  len = 0;
  score = 0;
  /** Own scratch for listpack integers rendered as text. */
  readonly ibuf = new Uint8Array(24);
}

/** Start `it` at 0-based rank `rank` (counted from the end when reverse). */
export function zsetIterInit(
  it: ZsetIter,
  m: Heap,
  enc: number,
  h: number,
  reverse = false,
  rank = 0,
): ZsetIter {
  it.m = m;
  it.enc = enc;
  it.h = h;
  it.reverse = reverse;
  if (enc === ZSET_LISTPACK) {
    it.pos = rank === 0
      ? (reverse ? lpSeek(m, h, -2) : lpFirst(m, h))
      : lpSeek(m, h, reverse ? -2 - 2 * rank : 2 * rank);
  } else if (rank === 0) {
    it.pos = reverse ? zslLast(m, h) : zslFirst(m, h);
  } else {
    it.pos = zslByRank(m, h, reverse ? zslLength(m, h) - 1 - rank : rank);
  }
  return it;
}

/** Start `it` at a known element (listpack member position or skiplist node). */
export function zsetIterAt(
  it: ZsetIter,
  m: Heap,
  enc: number,
  h: number,
  pos: number,
  reverse: boolean,
): ZsetIter {
  it.m = m;
  it.enc = enc;
  it.h = h;
  it.reverse = reverse;
  it.pos = pos;
  return it;
}

/** Step: fill buf/off/len/score with the next element; false at the end. */
export function zsetIterNext(it: ZsetIter): boolean {
  const p = it.pos;
  if (p === 0) return false;
  const m = it.m;
  if (it.enc === ZSET_LISTPACK) {
    const zl = it.h;
    const sp = lpNext(m, zl, p);
    it.score = zzlScoreAt(m, zl, sp);
    const el = lpGet(m, zl, p);
    if (el.isInt) {
      it.buf = it.ibuf;
      it.off = 0;
      it.len = lpElIntText(el, it.ibuf);
    } else {
      it.buf = el.buf;
      it.off = el.off;
      it.len = el.len;
    }
    if (it.reverse) {
      const ps = lpPrev(m, zl, p);
      it.pos = ps === 0 ? 0 : lpPrev(m, zl, ps);
    } else {
      it.pos = lpNext(m, zl, sp);
    }
    return true;
  }
  it.buf = m.u8[p >>> OFF_BITS];
  it.off = zslNodeMemberOff(p);
  it.len = zslNodeMemberLen(m, p);
  it.score = zslNodeScore(m, p);
  it.pos = it.reverse ? zslPrev(m, p) : zslNext(m, p);
  return true;
}

/**
 * Visit every member of a zset entry's value in ascending order (SORT): fn gets the member
 * bytes (valid during the call only) and the score. Allocation-free apart from the callback.
 */
export function zsetForEach(
  m: Heap,
  enc: number,
  h: number,
  fn: (buf: Uint8Array, off: number, len: number, score: number) => void,
  reverse = false,
): void {
  const it = _eachIter;
  zsetIterInit(it, m, enc, h, reverse, 0);
  while (zsetIterNext(it)) fn(it.buf, it.off, it.len, it.score);
}

const _eachIter = new ZsetIter();

// ---- value ops ----

/** Bytes used by the structure (MEMORY USAGE; skiplists sample `samples` nodes when > 0). */
export function zsetMemUsage(m: Heap, enc: number, h: number, samples: number): number {
  if (enc === ZSET_LISTPACK) return m.usableSize(h);
  return zslMemUsage(m, h, samples);
}

const _edig = new Uint8Array(20);

/**
 * DEBUG DIGEST of a sorted set (xorObjectDigest): for each member, a fresh 20-byte digest mixed
 * with the member and its "%.17g" score, xored into d. Order-independent.
 */
export function zsetDigest(m: Heap, enc: number, h: number, d: Uint8Array, ops: DigestOps): void {
  const one = (buf: Uint8Array, off: number, len: number, score: number) => {
    _edig.fill(0);
    ops.mix(_edig, buf.subarray(off, off + len));
    ops.mix(_edig, fromLatin1(fmt17g(score)));
    ops.xor(d, _edig);
  };
  if (enc === ZSET_LISTPACK) {
    zsetForEach(m, enc, h, one);
    return;
  }
  dictForEach(m, zslDict(m, h), (x) => {
    one(m.u8[x >>> OFF_BITS], zslNodeMemberOff(x), zslNodeMemberLen(m, x), zslNodeScore(m, x));
  });
}

registerValueType(OBJ_ZSET, {
  free(m, v, enc) {
    zsetFree(m, enc, v);
  },
  dup(m, v, enc) {
    return zsetDup(m, enc, v);
  },
  usage(m, v, samples, enc) {
    return zsetMemUsage(m, enc, v, samples);
  },
  freeEffort(m, v, enc) {
    return enc === ZSET_LISTPACK ? 1 : zslFreeEffort(m, v);
  },
  freeSome(m, v, budget, enc) {
    if (enc === ZSET_LISTPACK) {
      lpFree(m, v);
      return true;
    }
    return zslFreeSome(m, v, budget);
  },
  defrag(m, v, enc) {
    if (enc === ZSET_LISTPACK && m.defragHint(v)) return m.move(v);
    return v;
  },
  digest(m, v, d, ops, enc) {
    zsetDigest(m, enc, v, d, ops);
  },
});
