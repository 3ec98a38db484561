// Sorted-set ranges: ZRANGE (rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES) and ZRANGESTORE through
// one generic walker with two consumers (the client reply, a destination zset), the deprecated
// ZRANGEBYSCORE/ZREVRANGEBYSCORE/ZRANGEBYLEX/ZREVRANGEBYLEX/ZREVRANGE forms, ZCOUNT, ZLEXCOUNT and
// ZREMRANGEBYRANK/BYSCORE/BYLEX.

import { SYNTAX } from "../../protocol/errors.ts";
import type { Argv } from "../../protocol/resp_parser.ts";
import type { Client } from "../../server/client.ts";
import { NOTIFY_GENERIC, NOTIFY_ZSET } from "../../config.ts";
import {
  zslDeleteRangeByLex,
  zslDeleteRangeByRank,
  zslDeleteRangeByScore,
  zslFirstInLexRange,
  zslFirstInRange,
  zslLastInLexRange,
  zslLastInRange,
  zslLength,
  zslLexValueGteMin,
  zslLexValueLteMax,
  zslNewLexRangeSpec,
  zslNewRangeSpec,
  zslRank,
  zslValueGteMin,
  zslValueLteMax,
} from "../../encoding/skiplist.ts";
import { OBJ_ZSET } from "../../store/object.ts";
import { argIs, argLong, deleteEmptied, keyModified, readTyped, writeTyped } from "../common.ts";
import {
  ZADD_IN_NONE,
  type ZObj,
  zoLoad,
  zoStore,
  ZSET_LISTPACK,
  zsetAdd,
  zsetFree,
  ZsetIter,
  zsetIterAt,
  zsetIterInit,
  zsetIterNext,
  zsetLength,
  zsetNewListpack,
  zsetNewSkiplist,
} from "./api.ts";
import {
  zzlDeleteRangeByLex,
  zzlDeleteRangeByRank,
  zzlDeleteRangeByScore,
  zzlFirstInLexRange,
  zzlFirstInRange,
  zzlLastInLexRange,
  zzlLastInRange,
  zzlLexValueLteMax,
  zzlNext,
  zzlOut,
  zzlScoreAt,
  zzlScorePos,
} from "./listpack.ts";
import { parseLexRange, parseScoreRange, replyScore } from "./score.ts";

const NOT_FLOAT_RANGE = "ERR min or max is not a float";
const NOT_LEX_RANGE = "ERR min or max not valid string range item";

const _zo: ZObj = { enc: 0, h: 0 };
const _range = zslNewRangeSpec();
const _lex = zslNewLexRangeSpec();
const _it = new ZsetIter();

export const ZRANGE_AUTO = 0;
export const ZRANGE_RANK = 1;
export const ZRANGE_SCORE = 2;
export const ZRANGE_LEX = 3;

export const ZRANGE_DIRECTION_AUTO = 0;
export const ZRANGE_DIRECTION_FORWARD = 1;
export const ZRANGE_DIRECTION_REVERSE = 2;

// ---- result consumers (zrange_result_handler) ----

/**
 * Where a range goes: the client (store false) or a new zset for ZRANGESTORE. One instance is
 * reused; begin() resets it.
 */
class RangeSink {
  c!: Client;
  store = false;
  withscores = false;
  /** Deferred reply header position, or -1 when the length was known up front. */
  deferred = -1;
  // store mode
  dst: ZObj = { enc: 0, h: 0 };
  dstArg = 0;
  argv!: Argv;

  begin(length: number): void {
    if (this.store) {
      const s = this.c.server;
      if (length > s.limits.zsetMaxListpackEntries) zsetNewSkiplist(s.heap, this.dst);
      else zsetNewListpack(this.c.server.heap, this.dst);
      return;
    }
    const r = this.c.reply;
    if (length > 0) {
      r.arrayLen(this.withscores && r.resp === 2 ? length * 2 : length);
      this.deferred = -1;
      return;
    }
    this.deferred = r.deferLen();
  }

  emit(buf: Uint8Array, off: number, len: number, score: number): void {
    if (this.store) {
      zsetAdd(this.c.server, this.dst, score, buf, off, len, ZADD_IN_NONE);
      return;
    }
    const r = this.c.reply;
    if (this.withscores && r.resp > 2) r.arrayLen(2);
    r.bulk(buf, off, len);
    if (this.withscores) replyScore(r, score);
  }

  finalize(count: number): void {
    const c = this.c;
    if (!this.store) {
      if (this.deferred < 0) return;
      c.reply.setDeferredLen(
        this.deferred,
        this.withscores && c.reply.resp === 2 ? count * 2 : count,
      );
      return;
    }
    const s = c.server;
    const db = c.db;
    const argv = this.argv;
    const i = this.dstArg;
    const kb = argv.buf;
    const ko = argv.off[i];
    const kl = argv.len[i];
    if (count > 0) {
      db.setValue(kb, ko, kl, OBJ_ZSET, this.dst.enc, this.dst.h, false);
      c.reply.int(count);
      keyModified(c, kb, ko, kl, NOTIFY_ZSET, "zrangestore", 1);
    } else {
      zsetFree(s.heap, this.dst.enc, this.dst.h);
      c.reply.int(0);
      if (db.delete(kb, ko, kl, s.store.lazyServerDel)) {
        keyModified(c, kb, ko, kl, NOTIFY_GENERIC, "del", 1);
      }
    }
  }
}

const _sink = new RangeSink();

// ---- the three walkers ----

/** genericZrangebyrankCommand: ranks start..end (negative from the end). */
function _rangeByRank(
  sink: RangeSink,
  zo: ZObj,
  start: number,
  end: number,
  reverse: boolean,
): void {
  const m = sink.c.server.heap;
  const llen = zsetLength(m, zo.enc, zo.h);
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    sink.begin(0);
    sink.finalize(0);
    return;
  }
  if (end >= llen) end = llen - 1;
  let n = end - start + 1;
  sink.begin(n);
  const it = zsetIterInit(_it, m, zo.enc, zo.h, reverse, start);
  while (n-- > 0 && zsetIterNext(it)) sink.emit(it.buf, it.off, it.len, it.score);
  sink.finalize(end - start + 1);
}

/** genericZrangebyscoreCommand: scores in _range, skipping `offset`, at most `limit` (< 0: all). */
function _rangeByScore(
  sink: RangeSink,
  zo: ZObj,
  offset: number,
  limit: number,
  reverse: boolean,
): void {
  const m = sink.c.server.heap;
  sink.begin(-1);
  if (offset > 0 && offset >= zsetLength(m, zo.enc, zo.h)) {
    sink.finalize(0);
    return;
  }
  let pos: number;
  if (zo.enc === ZSET_LISTPACK) {
    pos = reverse ? zzlLastInRange(m, zo.h, _range) : zzlFirstInRange(m, zo.h, _range);
  } else {
    pos = reverse ? zslLastInRange(m, zo.h, _range) : zslFirstInRange(m, zo.h, _range);
  }
  let n = 0;
  // A negative offset walks off the end in Redis: nothing is returned.
  if (pos !== 0 && offset >= 0) {
    const it = zsetIterAt(_it, m, zo.enc, zo.h, pos, reverse);
    while (offset > 0 && it.pos !== 0) {
      zsetIterNext(it);
      offset--;
    }
    let lim = limit;
    while (lim !== 0 && zsetIterNext(it)) {
      if (reverse ? !zslValueGteMin(it.score, _range) : !zslValueLteMax(it.score, _range)) break;
      sink.emit(it.buf, it.off, it.len, it.score);
      n++;
      lim--;
    }
  }
  sink.finalize(n);
}

/** genericZrangebylexCommand: members in _lex, skipping `offset`, at most `limit` (< 0: all). */
function _rangeByLex(
  sink: RangeSink,
  zo: ZObj,
  offset: number,
  limit: number,
  reverse: boolean,
): void {
  const m = sink.c.server.heap;
  sink.begin(-1);
  let pos: number;
  if (zo.enc === ZSET_LISTPACK) {
    pos = reverse ? zzlLastInLexRange(m, zo.h, _lex) : zzlFirstInLexRange(m, zo.h, _lex);
  } else {
    pos = reverse ? zslLastInLexRange(m, zo.h, _lex) : zslFirstInLexRange(m, zo.h, _lex);
  }
  let n = 0;
  if (pos !== 0 && offset >= 0) {
    const it = zsetIterAt(_it, m, zo.enc, zo.h, pos, reverse);
    while (offset > 0 && it.pos !== 0) {
      zsetIterNext(it);
      offset--;
    }
    let lim = limit;
    while (lim !== 0 && zsetIterNext(it)) {
      if (
        reverse
          ? !zslLexValueGteMin(it.buf, it.off, it.len, _lex)
          : !zslLexValueLteMax(it.buf, it.off, it.len, _lex)
      ) break;
      sink.emit(it.buf, it.off, it.len, it.score);
      n++;
      lim--;
    }
  }
  sink.finalize(n);
}

// ---- ZRANGE and friends ----

/**
 * zrangeGenericCommand: <src> <min> <max> [BYSCORE | BYLEX] [REV] [WITHSCORES] [LIMIT offset
 * count] starting at argv[argcStart]; ZRANGESTORE when `store` (its destination is argv[1]).
 */
function _zrangeGeneric(
  c: Client,
  argv: Argv,
  argcStart: number,
  store: boolean,
  rangetype: number,
  direction: number,
): void {
  let minidx = argcStart + 1;
  let maxidx = argcStart + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argcStart + 3; j < argv.argc; j++) {
    const leftargs = argv.argc - j - 1;
    if (!store && argIs(argv, j, "withscores")) withscores = true;
    else if (argIs(argv, j, "limit") && leftargs >= 2) {
      offset = argLong(c, argv, j + 1);
      if (offset !== offset) return;
      limit = argLong(c, argv, j + 2);
      if (limit !== limit) return;
      j += 2;
    } else if (direction === ZRANGE_DIRECTION_AUTO && argIs(argv, j, "rev")) {
      direction = ZRANGE_DIRECTION_REVERSE;
    } else if (rangetype === ZRANGE_AUTO && argIs(argv, j, "bylex")) {
      rangetype = ZRANGE_LEX;
    } else if (rangetype === ZRANGE_AUTO && argIs(argv, j, "byscore")) {
      rangetype = ZRANGE_SCORE;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (direction === ZRANGE_DIRECTION_AUTO) direction = ZRANGE_DIRECTION_FORWARD;
  if (rangetype === ZRANGE_AUTO) rangetype = ZRANGE_RANK;
  if (limit !== -1 && rangetype === ZRANGE_RANK) {
    c.error(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
    return;
  }
  if (withscores && rangetype === ZRANGE_LEX) {
    c.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return;
  }
  const reverse = direction === ZRANGE_DIRECTION_REVERSE;
  if (reverse && (rangetype === ZRANGE_SCORE || rangetype === ZRANGE_LEX)) {
    const t = maxidx;
    maxidx = minidx;
    minidx = t;
  }
  let start = 0;
  let end = 0;
  if (rangetype === ZRANGE_RANK) {
    start = argLong(c, argv, minidx);
    if (start !== start) return;
    end = argLong(c, argv, maxidx);
    if (end !== end) return;
  } else if (rangetype === ZRANGE_SCORE) {
    if (!parseScoreRange(argv, minidx, maxidx, _range)) {
      c.error(NOT_FLOAT_RANGE);
      return;
    }
  } else if (!parseLexRange(argv, minidx, maxidx, _lex)) {
    c.error(NOT_LEX_RANGE);
    return;
  }
  const sink = _sink;
  sink.c = c;
  sink.store = store;
  sink.withscores = withscores || store;
  sink.argv = argv;
  sink.dstArg = 1;
  sink.deferred = -1;
  const e = readTyped(c, argv, argcStart, OBJ_ZSET);
  if (e <= 0) {
    if (e < 0) return;
    if (store) {
      sink.begin(-1);
      sink.finalize(0);
    } else {
      c.reply.arrayLen(0);
    }
    return;
  }
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  if (rangetype === ZRANGE_RANK) _rangeByRank(sink, zo, start, end, reverse);
  else if (rangetype === ZRANGE_SCORE) _rangeByScore(sink, zo, offset, limit, reverse);
  else _rangeByLex(sink, zo, offset, limit, reverse);
}

// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
export function zrangeCommand(c: Client, argv: Argv): void {
  _zrangeGeneric(c, argv, 1, false, ZRANGE_AUTO, ZRANGE_DIRECTION_AUTO);
}

// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
export function zrangestoreCommand(c: Client, argv: Argv): void {
  _zrangeGeneric(c, argv, 2, true, ZRANGE_AUTO, ZRANGE_DIRECTION_AUTO);
}

// ZREVRANGE key start stop [WITHSCORES]
export function zrevrangeCommand(c: Client, argv: Argv): void {
  _zrangeGeneric(c, argv, 1, false, ZRANGE_RANK, ZRANGE_DIRECTION_REVERSE);
}

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
export function zrangebyscoreCommand(c: Client, argv: Argv): void {
  _zrangeGeneric(c, argv, 1, false, ZRANGE_SCORE, ZRANGE_DIRECTION_FORWARD);
}

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
export function zrevrangebyscoreCommand(c: Client, argv: Argv): void {
  _zrangeGeneric(c, argv, 1, false, ZRANGE_SCORE, ZRANGE_DIRECTION_REVERSE);
}

// ZRANGEBYLEX key min max [LIMIT offset count]
export function zrangebylexCommand(c: Client, argv: Argv): void {
  _zrangeGeneric(c, argv, 1, false, ZRANGE_LEX, ZRANGE_DIRECTION_FORWARD);
}

// ZREVRANGEBYLEX key max min [LIMIT offset count]
export function zrevrangebylexCommand(c: Client, argv: Argv): void {
  _zrangeGeneric(c, argv, 1, false, ZRANGE_LEX, ZRANGE_DIRECTION_REVERSE);
}

// ---- counts ----

/** Entry of argv[1] for reading; replies 0 when missing, WRONGTYPE when not a zset. */
function _countTarget(c: Client, argv: Argv): number {
  const e = readTyped(c, argv, 1, OBJ_ZSET);
  if (e === 0) c.reply.int(0);
  return e > 0 ? e : 0;
}

// ZCOUNT key min max
export function zcountCommand(c: Client, argv: Argv): void {
  if (!parseScoreRange(argv, 2, 3, _range)) {
    c.error(NOT_FLOAT_RANGE);
    return;
  }
  const e = _countTarget(c, argv);
  if (e === 0) return;
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  let count = 0;
  if (zo.enc === ZSET_LISTPACK) {
    const zl = zo.h;
    let p = zzlFirstInRange(m, zl, _range);
    while (p !== 0 && zslValueLteMax(zzlScoreAt(m, zl, zzlScorePos(m, zl, p)), _range)) {
      count++;
      p = zzlNext(m, zl, p);
    }
  } else {
    const first = zslFirstInRange(m, zo.h, _range);
    if (first !== 0) {
      const len = zslLength(m, zo.h);
      count = len - zslRank(m, zo.h, first);
      const last = zslLastInRange(m, zo.h, _range);
      if (last !== 0) count -= len - zslRank(m, zo.h, last) - 1;
    }
  }
  c.reply.int(count);
}

// ZLEXCOUNT key min max
export function zlexcountCommand(c: Client, argv: Argv): void {
  if (!parseLexRange(argv, 2, 3, _lex)) {
    c.error(NOT_LEX_RANGE);
    return;
  }
  const e = _countTarget(c, argv);
  if (e === 0) return;
  const m = c.server.heap;
  const zo = zoLoad(m, e, _zo);
  let count = 0;
  if (zo.enc === ZSET_LISTPACK) {
    const zl = zo.h;
    let p = zzlFirstInLexRange(m, zl, _lex);
    while (p !== 0 && zzlLexValueLteMax(m, zl, p, _lex)) {
      count++;
      p = zzlNext(m, zl, p);
    }
  } else {
    const first = zslFirstInLexRange(m, zo.h, _lex);
    if (first !== 0) {
      const len = zslLength(m, zo.h);
      count = len - zslRank(m, zo.h, first);
      const last = zslLastInLexRange(m, zo.h, _lex);
      if (last !== 0) count -= len - zslRank(m, zo.h, last) - 1;
    }
  }
  c.reply.int(count);
}

// ---- ZREMRANGEBY* ----

/** zremrangeGenericCommand. */
function _zremrangeGeneric(c: Client, argv: Argv, rangetype: number): void {
  let start = 0;
  let end = 0;
  let event: string;
  if (rangetype === ZRANGE_RANK) {
    event = "zremrangebyrank";
    start = argLong(c, argv, 2);
    if (start !== start) return;
    end = argLong(c, argv, 3);
    if (end !== end) return;
  } else if (rangetype === ZRANGE_SCORE) {
    event = "zremrangebyscore";
    if (!parseScoreRange(argv, 2, 3, _range)) {
      c.error(NOT_FLOAT_RANGE);
      return;
    }
  } else {
    event = "zremrangebylex";
    if (!parseLexRange(argv, 2, 3, _lex)) {
      c.error(NOT_LEX_RANGE);
      return;
    }
  }
  const e = writeTyped(c, argv, 1, OBJ_ZSET);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const s = c.server;
  const m = s.heap;
  const zo = zoLoad(m, e, _zo);
  if (rangetype === ZRANGE_RANK) {
    const llen = zsetLength(m, zo.enc, zo.h);
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
      c.reply.int(0);
      return;
    }
    if (end >= llen) end = llen - 1;
  }
  let deleted: number;
  if (zo.enc === ZSET_LISTPACK) {
    if (rangetype === ZRANGE_RANK) zo.h = zzlDeleteRangeByRank(m, zo.h, start, end);
    else if (rangetype === ZRANGE_SCORE) zo.h = zzlDeleteRangeByScore(m, zo.h, _range);
    else zo.h = zzlDeleteRangeByLex(m, zo.h, _lex);
    deleted = zzlOut.deleted;
  } else {
    if (rangetype === ZRANGE_RANK) deleted = zslDeleteRangeByRank(m, zo.h, start, end);
    else if (rangetype === ZRANGE_SCORE) deleted = zslDeleteRangeByScore(m, zo.h, _range);
    else deleted = zslDeleteRangeByLex(m, zo.h, _lex);
  }
  zoStore(m, e, zo);
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  if (deleted) keyModified(c, kb, ko, kl, NOTIFY_ZSET, event, deleted);
  if (zsetLength(m, zo.enc, zo.h) === 0) deleteEmptied(c, e, kb, ko, kl);
  c.reply.int(deleted);
}

// ZREMRANGEBYRANK key start stop
export function zremrangebyrankCommand(c: Client, argv: Argv): void {
  _zremrangeGeneric(c, argv, ZRANGE_RANK);
}

// ZREMRANGEBYSCORE key min max
export function zremrangebyscoreCommand(c: Client, argv: Argv): void {
  _zremrangeGeneric(c, argv, ZRANGE_SCORE);
}

// ZREMRANGEBYLEX key min max
export function zremrangebylexCommand(c: Client, argv: Argv): void {
  _zremrangeGeneric(c, argv, ZRANGE_LEX);
}
