// Sorted-set commands on single members and pops: ZADD/ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE,
// ZRANK/ZREVRANK, ZRANDMEMBER, ZSCAN, ZPOPMIN/ZPOPMAX, ZMPOP and the blocking BZPOPMIN/BZPOPMAX/
// BZMPOP. Ranges are in range.ts, set operations in setops.ts, the table in mod.ts.

import { NOT_FLOAT, SYNTAX } from "../../protocol/errors.ts";
import { LLONG_MAX, parseDouble } from "../../protocol/bytes.ts";
import { globMatch } from "../../protocol/glob.ts";
import type { Argv } from "../../protocol/resp_parser.ts";
import type { Client } from "../../server/client.ts";
import { parseBlockTimeout } from "../../server/blocking.ts";
import { NOTIFY_ZSET } from "../../config.ts";
import { OFF_BITS } from "../../memory/arena.ts";
import {
  lpDeleteRange,
  lpElBytes,
  lpFirst,
  lpGet,
  lpNext,
  lpPrev,
  lpSeek,
} from "../../encoding/listpack.ts";
import {
  zslByRank,
  zslDeleteNode,
  zslDict,
  zslFirst,
  zslLast,
  zslNext,
  zslNodeMemberLen,
  zslNodeMemberOff,
  zslNodeScore,
  zslPrev,
} from "../../encoding/skiplist.ts";
import { OBJ_ZSET, objType } from "../../store/object.ts";
import {
  argIs,
  argNumkeys,
  argPositiveLong,
  argRangeLong,
  argWithinHalfLong,
  deleteEmptied,
  keyModified,
  notifyKey,
  readTyped,
  writeTyped,
} from "../common.ts";
import { scanDict, scanKeyStart, scanned, scanOpts } from "../common.ts";
import {
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_LT,
  ZADD_IN_NX,
  ZADD_IN_XX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  zaddOut,
  type ZObj,
  zoLoad,
  zoStore,
  ZSET_LISTPACK,
  zsetAdd,
  zsetCreateFor,
  zsetDel,
  ZsetIter,
  zsetIterInit,
  zsetIterNext,
  zsetLength,
  zsetRank,
  zsetScore,
} from "./api.ts";
import { zzlScoreAt } from "./listpack.ts";
import { fastDecimal, fmt17g, replyScore } from "./score.ts";

/** The zset being worked on (loaded from its entry, stored back after writes). */
const _zo: ZObj = { enc: 0, h: 0 };

const NAN_ERR = "ERR resulting score is not a number (NaN)";

// ---- ZADD / ZINCRBY ----

let _scores = new Float64Array(64);

/** zaddGenericCommand: ZADD and ZINCRBY (flags = ZADD_IN_INCR). */
function zaddGeneric(c: Client, argv: Argv, inFlags: number): void {
  const argc = argv.argc;
  let flags = inFlags;
  let ch = false;
  let scoreidx = 2;
  while (scoreidx < argc) {
    if (argIs(argv, scoreidx, "nx")) flags |= ZADD_IN_NX;
    else if (argIs(argv, scoreidx, "xx")) flags |= ZADD_IN_XX;
    else if (argIs(argv, scoreidx, "ch")) ch = true;
    else if (argIs(argv, scoreidx, "incr")) flags |= ZADD_IN_INCR;
    else if (argIs(argv, scoreidx, "gt")) flags |= ZADD_IN_GT;
    else if (argIs(argv, scoreidx, "lt")) flags |= ZADD_IN_LT;
    else break;
    scoreidx++;
  }
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;
  let elements = argc - scoreidx;
  if (elements % 2 !== 0 || elements === 0) {
    c.error(SYNTAX);
    return;
  }
  elements /= 2;
  if (nx && xx) {
    c.error("ERR XX and NX options at the same time are not compatible");
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.error("ERR GT, LT, and/or NX options at the same time are not compatible");
    return;
  }
  if (incr && elements > 1) {
    c.error("ERR INCR option supports a single increment-element pair");
    return;
  }
  if (_scores.length < elements) _scores = new Float64Array(elements * 2);
  const scores = _scores;
  for (let j = 0; j < elements; j++) {
    const i = scoreidx + j * 2;
    let v = fastDecimal(argv.buf, argv.off[i], argv.len[i]);
    if (v !== v) v = parseDouble(argv.buf, argv.off[i], argv.len[i]);
    if (v !== v) {
      c.error(NOT_FLOAT);
      return;
    }
    scores[j] = v;
  }

  const s = c.server;
  const m = s.heap;
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  let e = writeTyped(c, argv, 1, OBJ_ZSET);
  if (e < 0) return;
  const zo = _zo;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (e !== 0) {
    zoLoad(m, e, zo);
  } else {
    if (xx) {
      if (incr) c.reply.nullBulk();
      else c.reply.int(0);
      return;
    }
    zsetCreateFor(s, zo, argv.len[scoreidx + 1]);
    e = c.db.setValue(kb, ko, kl, OBJ_ZSET, zo.enc, zo.h, false);
  }
  let nanErr = false;
  for (let j = 0; j < elements; j++) {
    const mi = scoreidx + 1 + j * 2;
    if (!zsetAdd(s, zo, scores[j], argv.buf, argv.off[mi], argv.len[mi], flags)) {
      nanErr = true;
      break;
    }
    const of = zaddOut.flags;
    if (of & ZADD_OUT_ADDED) added++;
    if (of & ZADD_OUT_UPDATED) updated++;
    if (!(of & ZADD_OUT_NOP)) processed++;
    score = zaddOut.newscore;
  }
  zoStore(m, e, zo);
  if (nanErr) {
    c.error(NAN_ERR);
  } else {
    s.dirty += added + updated;
    if (incr) {
      if (processed) replyScore(c.reply, score);
      else c.reply.nullBulk();
    } else {
      c.reply.int(ch ? added + updated : added);
    }
  }
  if (added || updated) {
    s.signalModifiedKey(c.db, kb, ko, kl);
    notifyKey(c, NOTIFY_ZSET, incr ? "zincr" : "zadd", kb, ko, kl);
  }
}

// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
export function zaddCommand(c: Client, argv: Argv): void {
  zaddGeneric(c, argv, 0);
}

// ZINCRBY key increment member
export function zincrbyCommand(c: Client, argv: Argv): void {
  zaddGeneric(c, argv, ZADD_IN_INCR);
}

// ---- ZREM / ZCARD / ZSCORE / ZMSCORE / ZRANK ----

// ZREM key member [member ...]
export function zremCommand(c: Client, argv: Argv): void {
  const e = writeTyped(c, argv, 1, OBJ_ZSET);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const s = c.server;
  const m = s.heap;
  const zo = zoLoad(m, e, _zo);
  let deleted = 0;
  let keyremoved = false;
  for (let j = 2; j < argv.argc; j++) {
    if (zsetDel(m, zo, argv.buf, argv.off[j], argv.len[j])) deleted++;
    if (zsetLength(m, zo.enc, zo.h) === 0) {
      keyremoved = true;
      break;
    }
  }
  zoStore(m, e, zo);
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  if (deleted) keyModified(c, kb, ko, kl, NOTIFY_ZSET, "zrem", deleted);
  if (keyremoved) deleteEmptied(c, e, kb, ko, kl);
  c.reply.int(deleted);
}

// ZCARD key
export function zcardCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_ZSET);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const zo = zoLoad(c.server.heap, e, _zo);
  c.reply.int(zsetLength(c.server.heap, zo.enc, zo.h));
}

// ZSCORE key member
export function zscoreCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_ZSET);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  const v = zsetScore(m, zo.enc, zo.h, argv.buf, argv.off[2], argv.len[2]);
  if (v !== v) c.reply.nullBulk();
  else replyScore(c.reply, v);
}

// ZMSCORE key member [member ...]
export function zmscoreCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_ZSET);
  if (e < 0) return;
  const m = c.server.heap;
  const r = c.reply;
  r.arrayLen(argv.argc - 2);
  if (e !== 0) zoLoad(m, e, _zo);
  for (let j = 2; j < argv.argc; j++) {
    const v = e === 0 ? NaN : zsetScore(m, _zo.enc, _zo.h, argv.buf, argv.off[j], argv.len[j]);
    if (v !== v) r.nullBulk();
    else replyScore(r, v);
  }
}

function _rankGeneric(c: Client, argv: Argv, reverse: boolean): void {
  const e = readTyped(c, argv, 1, OBJ_ZSET);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  const rank = zsetRank(m, zo.enc, zo.h, argv.buf, argv.off[2], argv.len[2], reverse);
  if (rank >= 0) c.reply.int(rank);
  else c.reply.nullBulk();
}

// ZRANK key member
export function zrankCommand(c: Client, argv: Argv): void {
  _rankGeneric(c, argv, false);
}

// ZREVRANK key member
export function zrevrankCommand(c: Client, argv: Argv): void {
  _rankGeneric(c, argv, true);
}

// ---- ZRANDMEMBER ----

const _it = new ZsetIter();

/** Reply the member (and score) at 0-based rank r. */
function _replyAtRank(c: Client, zo: ZObj, r: number, withscores: boolean): void {
  const m = c.server.heap;
  const rep = c.reply;
  if (withscores && rep.resp > 2) rep.arrayLen(2);
  if (zo.enc === ZSET_LISTPACK) {
    const p = lpSeek(m, zo.h, 2 * r);
    const sp = lpNext(m, zo.h, p);
    const el = lpElBytes(lpGet(m, zo.h, p));
    rep.bulk(el.buf, el.off, el.len);
    if (withscores) replyScore(rep, zzlScoreAt(m, zo.h, sp));
    return;
  }
  const x = zslByRank(m, zo.h, r);
  rep.bulk(m.u8[x >>> OFF_BITS], zslNodeMemberOff(x), zslNodeMemberLen(m, x));
  if (withscores) replyScore(rep, zslNodeScore(m, x));
}

/** zrandmemberWithCountCommand. */
function _zrandmemberWithCount(c: Client, argv: Argv, l: number, withscores: boolean): void {
  const e = readTyped(c, argv, 1, OBJ_ZSET);
  if (e <= 0) {
    if (e === 0) c.reply.arrayLen(0);
    return;
  }
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  const r = c.reply;
  const size = zsetLength(m, zo.enc, zo.h);
  const uniq = l >= 0;
  let count = uniq ? l : -l;
  if (count === 0) {
    r.arrayLen(0);
    return;
  }
  // CASE 1: negative count (repeats allowed), or a single element.
  if (!uniq || count === 1) {
    r.arrayLen(withscores && r.resp === 2 ? count * 2 : count);
    while (count-- > 0) {
      _replyAtRank(c, zo, Math.floor(Math.random() * size), withscores);
      if ((count & 1023) === 0 && c.replyOverLimit()) break;
    }
    return;
  }
  const n = count < size ? count : size;
  r.arrayLen(withscores && r.resp === 2 ? n * 2 : n);
  // CASE 2: the whole set, walked from the highest score as Redis's iterator goes.
  if (count >= size) {
    const it = zsetIterInit(_it, m, zo.enc, zo.h, true, 0);
    while (zsetIterNext(it)) {
      if (withscores && r.resp > 2) r.arrayLen(2);
      r.bulk(it.buf, it.off, it.len);
      if (withscores) replyScore(r, it.score);
    }
    return;
  }
  // CASE 3: most of the set: drop random ranks until `count` remain.
  if (count * 3 > size) {
    const ranks: number[] = [];
    for (let i = size - 1; i >= 0; i--) ranks.push(i);
    while (ranks.length > count) {
      const k = Math.floor(Math.random() * ranks.length);
      ranks[k] = ranks[ranks.length - 1];
      ranks.pop();
    }
    for (const rank of ranks) _replyAtRank(c, zo, rank, withscores);
    return;
  }
  // CASE 4: few of many: distinct random ranks (listpacks reply them in set order).
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(Math.random() * size));
  const ranks = [...picked];
  if (zo.enc === ZSET_LISTPACK) ranks.sort((a, b) => a - b);
  for (const rank of ranks) _replyAtRank(c, zo, rank, withscores);
}

// ZRANDMEMBER key [count [WITHSCORES]]
export function zrandmemberCommand(c: Client, argv: Argv): void {
  const argc = argv.argc;
  if (argc >= 3) {
    const l = argRangeLong(c, argv, 2, -LLONG_MAX, LLONG_MAX);
    if (l !== l) return;
    if (argc > 4 || (argc === 4 && !argIs(argv, 3, "withscores"))) {
      c.error(SYNTAX);
      return;
    }
    const withscores = argc === 4;
    if (withscores && !argWithinHalfLong(argv, 2, l)) {
      c.error("ERR value is out of range");
      return;
    }
    _zrandmemberWithCount(c, argv, l, withscores);
    return;
  }
  const e = readTyped(c, argv, 1, OBJ_ZSET);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  const size = zsetLength(m, zo.enc, zo.h);
  _replyAtRank(c, zo, Math.floor(Math.random() * size), false);
}

// ---- ZSCAN ----

// ZSCAN key cursor [MATCH pattern] [COUNT count]
export function zscanCommand(c: Client, argv: Argv): void {
  const e = scanKeyStart(c, argv, OBJ_ZSET);
  if (e === 0) return;
  const r = c.reply;
  const pat = scanOpts.pat;
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  if (zo.enc === ZSET_LISTPACK) {
    // Small sets come back whole, as the listpack stores them (scores in their stored text).
    const zl = zo.h;
    let n = 0;
    for (let p = lpFirst(m, zl); p !== 0; p = lpNext(m, zl, lpNext(m, zl, p))) {
      const el = lpElBytes(lpGet(m, zl, p));
      if (pat < 0 || globMatch(argv.buf, argv.off[pat], argv.len[pat], el.buf, el.off, el.len)) n++;
    }
    r.arrayLen(2);
    r.bulkStr("0");
    r.arrayLen(n * 2);
    for (let p = lpFirst(m, zl); p !== 0;) {
      const sp = lpNext(m, zl, p);
      const el = lpElBytes(lpGet(m, zl, p));
      if (pat < 0 || globMatch(argv.buf, argv.off[pat], argv.len[pat], el.buf, el.off, el.len)) {
        r.bulk(el.buf, el.off, el.len);
        const sv = lpElBytes(lpGet(m, zl, sp));
        r.bulk(sv.buf, sv.off, sv.len);
      }
      p = lpNext(m, zl, sp);
    }
    return;
  }
  const cursor = scanDict(m, zslDict(m, zo.h), scanOpts.cursor, scanOpts.count, true);
  const nodes = scanned;
  let n = 0;
  for (const x of nodes) {
    if (
      pat < 0 ||
      globMatch(
        argv.buf,
        argv.off[pat],
        argv.len[pat],
        m.u8[x >>> OFF_BITS],
        zslNodeMemberOff(x),
        zslNodeMemberLen(m, x),
      )
    ) {
      nodes[n++] = x;
    }
  }
  r.arrayLen(2);
  r.bulkStr(String(cursor));
  r.arrayLen(n * 2);
  for (let k = 0; k < n; k++) {
    const x = nodes[k];
    r.bulk(m.u8[x >>> OFF_BITS], zslNodeMemberOff(x), zslNodeMemberLen(m, x));
    r.bulkStr(fmt17g(zslNodeScore(m, x)));
  }
  nodes.length = 0;
}

// ---- pops ----

export const ZSET_MIN = 0;
export const ZSET_MAX = 1;

/**
 * genericZpopCommand's body for one existing, non-empty zset entry `e` named kb[ko, ko+kl):
 * reply the popped pairs in the shape the caller asks for, delete them, and delete the key when
 * it runs empty. count -1 is a plain single pop.
 */
function _zpopFrom(
  c: Client,
  e: number,
  kb: Uint8Array,
  ko: number,
  kl: number,
  where: number,
  emitkey: boolean,
  count: number,
  nested: boolean,
): void {
  const s = c.server;
  const m = s.heap;
  const r = c.reply;
  const zo = zoLoad(m, e, _zo);
  if (count === -1) count = 1;
  const llen = zsetLength(m, zo.enc, zo.h);
  const n = count > llen ? llen : count;
  if (!nested && !emitkey) r.arrayLen(n * 2);
  else if (nested && !emitkey) r.arrayLen(n);
  else if (!nested && emitkey) {
    r.arrayLen(n * 2 + 1);
    r.bulk(kb, ko, kl);
  } else {
    r.arrayLen(2);
    r.bulk(kb, ko, kl);
    r.arrayLen(n);
  }
  if (zo.enc === ZSET_LISTPACK) {
    const zl = zo.h;
    // Reply the n pairs from the chosen end, then cut them out in one go.
    let p = where === ZSET_MAX ? lpSeek(m, zl, -2) : lpFirst(m, zl);
    for (let k = 0; k < n; k++) {
      const sp = lpNext(m, zl, p);
      const score = zzlScoreAt(m, zl, sp);
      if (nested) r.arrayLen(2);
      const el = lpElBytes(lpGet(m, zl, p));
      r.bulk(el.buf, el.off, el.len);
      replyScore(r, score);
      if (where === ZSET_MAX) {
        const ps = lpPrev(m, zl, p);
        p = ps === 0 ? 0 : lpPrev(m, zl, ps);
      } else {
        p = lpNext(m, zl, sp);
      }
    }
    // When everything goes, the key is deleted with its listpack: no need to cut.
    if (n < llen) {
      zo.h = where === ZSET_MAX
        ? lpDeleteRange(m, zl, 2 * (llen - n), 2 * n)
        : lpDeleteRange(m, zl, 0, 2 * n);
    }
  } else {
    const zs = zo.h;
    const all = n === llen;
    let x = where === ZSET_MAX ? zslLast(m, zs) : zslFirst(m, zs);
    for (let k = 0; k < n; k++) {
      if (nested) r.arrayLen(2);
      r.bulk(m.u8[x >>> OFF_BITS], zslNodeMemberOff(x), zslNodeMemberLen(m, x));
      replyScore(r, zslNodeScore(m, x));
      if (all) {
        x = where === ZSET_MAX ? zslPrev(m, x) : zslNext(m, x);
      } else {
        zslDeleteNode(m, zs, x);
        x = where === ZSET_MAX ? zslLast(m, zs) : zslFirst(m, zs);
      }
    }
  }
  zoStore(m, e, zo);
  if (n > 0) keyModified(c, kb, ko, kl, NOTIFY_ZSET, where === ZSET_MAX ? "zpopmax" : "zpopmin", n);
  if (n === llen) deleteEmptied(c, e, kb, ko, kl);
}

// ZPOPMIN key [count] / ZPOPMAX key [count]
function _zpopMinMax(c: Client, argv: Argv, where: number): void {
  if (argv.argc > 3) {
    c.error(SYNTAX);
    return;
  }
  let count = -1;
  if (argv.argc === 3) {
    count = argPositiveLong(c, argv, 2);
    if (count !== count) return;
  }
  const nested = c.reply.resp > 2 && count !== -1;
  const e = writeTyped(c, argv, 1, OBJ_ZSET);
  if (e < 0) return;
  if (e === 0 || count === 0) {
    c.reply.arrayLen(0);
    return;
  }
  _zpopFrom(c, e, argv.buf, argv.off[1], argv.len[1], where, false, count, nested);
}

// ZPOPMIN key [count]
export function zpopminCommand(c: Client, argv: Argv): void {
  _zpopMinMax(c, argv, ZSET_MIN);
}

// ZPOPMAX key [count]
export function zpopmaxCommand(c: Client, argv: Argv): void {
  _zpopMinMax(c, argv, ZSET_MAX);
}

/**
 * genericZpopCommand over argv[first .. first+n): the first existing key is popped (WRONGTYPE
 * if it is not a zset); none: a null array when nilEmpty, else an empty array.
 */
function _zpopKeys(
  c: Client,
  argv: Argv,
  first: number,
  n: number,
  where: number,
  emitkey: boolean,
  count: number,
  nested: boolean,
  nilEmpty: boolean,
): void {
  let e = 0;
  let ki = 0;
  for (let i = first; i < first + n; i++) {
    e = writeTyped(c, argv, i, OBJ_ZSET);
    if (e < 0) return;
    if (e === 0) continue;
    ki = i;
    break;
  }
  if (e === 0) {
    if (nilEmpty) c.reply.nullArray();
    else c.reply.arrayLen(0);
    return;
  }
  if (count === 0) {
    c.reply.arrayLen(0);
    return;
  }
  _zpopFrom(c, e, argv.buf, argv.off[ki], argv.len[ki], where, emitkey, count, nested);
}

/**
 * blockingGenericZpopCommand: pop from the first non-empty zset among argv[first..first+n), or
 * block until one is filled (or act as a timeout inside MULTI and scripts).
 */
function _blockingZpop(
  c: Client,
  argv: Argv,
  first: number,
  n: number,
  where: number,
  timeoutIdx: number,
  count: number,
  nested: boolean,
): void {
  const deadline = parseBlockTimeout(c, argv, timeoutIdx);
  if (deadline === null) return;
  const m = c.server.heap;
  for (let i = first; i < first + n; i++) {
    const e = writeTyped(c, argv, i, OBJ_ZSET);
    if (e < 0) return;
    if (e === 0) continue;
    zoLoad(m, e, _zo);
    if (zsetLength(m, _zo.enc, _zo.h) === 0) continue;
    _zpopFrom(c, e, argv.buf, argv.off[i], argv.len[i], where, true, count, nested);
    return;
  }
  const bl = c.server.blocking;
  if (!bl.canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  const keys: Uint8Array[] = [];
  for (let i = first; i < first + n; i++) keys.push(argv.copy(i));
  bl.block(c, {
    keys,
    deadline,
    serve: (rc, key) => {
      const db = rc.db;
      const e = db.lookupWrite(key, 0, key.length);
      if (e === 0 || objType(rc.server.heap, e) !== OBJ_ZSET) return false;
      zoLoad(rc.server.heap, e, _zo);
      if (zsetLength(rc.server.heap, _zo.enc, _zo.h) === 0) return false;
      _zpopFrom(rc, e, key, 0, key.length, where, true, count, nested);
      return true;
    },
    timeout: (rc) => rc.reply.nullArray(),
  });
}

// BZPOPMIN key [key ...] timeout
export function bzpopminCommand(c: Client, argv: Argv): void {
  _blockingZpop(c, argv, 1, argv.argc - 2, ZSET_MIN, argv.argc - 1, -1, false);
}

// BZPOPMAX key [key ...] timeout
export function bzpopmaxCommand(c: Client, argv: Argv): void {
  _blockingZpop(c, argv, 1, argv.argc - 2, ZSET_MAX, argv.argc - 1, -1, false);
}

/** zmpopGenericCommand: ZMPOP (numkeys at 1) and BZMPOP (timeout at 1, numkeys at 2). */
function _zmpopGeneric(c: Client, argv: Argv, numkeysIdx: number, block: boolean): void {
  const numkeys = argNumkeys(c, argv, numkeysIdx);
  if (numkeys !== numkeys) return;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.argc) {
    c.error(SYNTAX);
    return;
  }
  let where: number;
  if (argIs(argv, whereIdx, "min")) where = ZSET_MIN;
  else if (argIs(argv, whereIdx, "max")) where = ZSET_MAX;
  else {
    c.error(SYNTAX);
    return;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.argc; j++) {
    const more = argv.argc - 1 - j;
    if (count === -1 && argIs(argv, j, "count") && more > 0) {
      j++;
      count = argRangeLong(c, argv, j, 1n, LLONG_MAX, "ERR count should be greater than 0");
      if (count !== count) return;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (count === -1) count = 1;
  if (block) _blockingZpop(c, argv, numkeysIdx + 1, numkeys, where, 1, count, true);
  else _zpopKeys(c, argv, numkeysIdx + 1, numkeys, where, true, count, true, true);
}

// ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
export function zmpopCommand(c: Client, argv: Argv): void {
  _zmpopGeneric(c, argv, 1, false);
}

// BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
export function bzmpopCommand(c: Client, argv: Argv): void {
  _zmpopGeneric(c, argv, 2, true);
}
