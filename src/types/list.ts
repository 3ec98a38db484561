// Lists: every list is a quicklist in arena memory (OBJECT ENCODING reports "quicklist", as Redis
// 7.0 does), created with list-max-listpack-size and list-compress-depth as they are when the key
// is made. List API first, then the commands (blocking ones last), then the table.
// Must not import other type families.

import { LLONG_MAX } from "../protocol/bytes.ts";
import { arityError, NO_SUCH_KEY, OUT_OF_RANGE, SYNTAX, WRONGTYPE } from "../protocol/errors.ts";
import { R_EMPTY_ARRAY, R_ZERO, type Reply } from "../protocol/reply.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import { NOTIFY_LIST, parseMemory } from "../config.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import type { Heap } from "../memory/allocator.ts";
import {
  LP_HDR_SIZE,
  lpEl,
  lpElBytes,
  lpElIntText,
  type LpEntry,
  lpGet,
  lpSeek,
} from "../encoding/listpack.ts";
import {
  AL_START_HEAD,
  AL_START_TAIL,
  qlCompressDepth,
  qlCount,
  qlCreate,
  qlDefrag,
  qlDelRange,
  qlDup,
  qlFree,
  qlFreeEffort,
  qlFreeSome,
  qlIndex,
  QlIter,
  qlIterAtIndex,
  qlIterCompare,
  qlIterDelete,
  qlIterInsert,
  qlIterRelease,
  qlIterStart,
  qlMemoryUsage,
  qlNext,
  qlNodeData,
  qlNodeElements,
  qlNodeIsPlain,
  qlNodeNext,
  qlNodeSize,
  qlPop,
  qlPushHead,
  qlPushTail,
  qlReplaceAtIndex,
  qlRepr,
  qlSetPackedThreshold,
  qlStats,
  QUICKLIST_HEAD,
  QUICKLIST_TAIL,
} from "../encoding/quicklist.ts";
import type { Client } from "../server/client.ts";
import {
  BLOCKING,
  type CommandDef,
  defineCommands,
  DENYOOM,
  FAST,
  type KeySpecDef,
  NOSCRIPT,
  READONLY,
  WRITE,
} from "../server/command.ts";
import { parseBlockTimeout } from "../server/blocking.ts";
import { debugState, registerDebugObjectExtra, registerDebugSubcommand } from "../server/debug.ts";
import type { Server } from "../server/server.ts";
import type { Db } from "../store/db.ts";
import { OBJ_ENCODING_QUICKLIST, OBJ_LIST, objType } from "../store/object.ts";
import { registerValueType } from "../store/values.ts";
import {
  argIs,
  argLong,
  argNumkeys,
  argPositiveLong,
  argRangeLong,
  deleteEmptied,
  keyModified,
  notifyKey,
  numkeysGetKeys,
  readTyped,
  writeTyped,
} from "./common.ts";

/** Ends of a list (Redis LIST_HEAD / LIST_TAIL). */
export const LIST_HEAD = 0;
export const LIST_TAIL = 1;

// ---- List API ----

/**
 * A new empty quicklist with the server's current list-max-listpack-size and
 * list-compress-depth (quicklistCreate + quicklistSetOptions).
 */
export function listCreate(s: Server): number {
  return qlCreate(s.heap, s.limits.listMaxListpackSize, s.limits.listCompressDepth);
}

/** Create an empty list under a missing key; returns the quicklist handle (dbAdd). */
export function listCreateKey(s: Server, db: Db, b: Uint8Array, off: number, len: number): number {
  const ql = listCreate(s);
  db.setValue(b, off, len, OBJ_LIST, OBJ_ENCODING_QUICKLIST, ql, false);
  return ql;
}

/** The quicklist of a list entry. */
export function listOf(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3];
}

/** Push b[off, off+len) at LIST_HEAD or LIST_TAIL. */
export function listPush(
  m: Heap,
  ql: number,
  where: number,
  b: Uint8Array,
  off: number,
  len: number,
): void {
  if (where === LIST_HEAD) qlPushHead(m, ql, b, off, len);
  else qlPushTail(m, ql, b, off, len);
}

/**
 * Visit every element from the head (SORT, RDB, digests). The element is in the register
 * (lpElBytes gives its bytes); the callback must not modify the list.
 */
export function listForEach(m: Heap, ql: number, fn: (el: LpEntry) => void): void {
  const it = qlIterStart(m, ql, AL_START_HEAD, new QlIter());
  while (qlNext(m, it)) fn(lpEl);
  qlIterRelease(m, it);
}

/** Write the element in `el` as a bulk string. HOT PATH: no allocation for short elements. */
export function replyListElement(r: Reply, el: LpEntry): void {
  if (el.isInt) {
    if (el.exact) {
      r.bulkInt(el.int);
      return;
    }
    lpElBytes(el);
  }
  r.bulk(el.buf, el.off, el.len);
}

const _it = new QlIter();

/**
 * Reply with elements start..end (inclusive, negative from the tail, clipped) as an array,
 * reversed (from end to start) when `reverse` (addListRangeReply). Elements go straight from
 * the quicklist into the reply buffer.
 */
function _replyRange(
  r: Reply,
  m: Heap,
  ql: number,
  start: number,
  end: number,
  reverse: boolean,
): void {
  const llen = qlCount(m, ql);
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    r.raw(R_EMPTY_ARRAY);
    return;
  }
  if (end >= llen) end = llen - 1;
  let n = end - start + 1;
  r.arrayLen(n);
  if (!reverse && qlCompressDepth(m, ql) === 0) {
    _replyForward(r, m, ql, start, n);
    return;
  }
  const it = qlIterAtIndex(
    m,
    ql,
    reverse ? AL_START_TAIL : AL_START_HEAD,
    reverse ? end : start,
    _it,
  );
  if (it === null) return;
  while (n-- > 0 && qlNext(m, it)) replyListElement(r, lpEl);
  qlIterRelease(m, it);
}

/**
 * Reply with n elements from index `start` towards the tail, decoding the listpack bytes of each
 * node in place (the common LRANGE path). Only for lists without compression: every node is raw.
 * HOT PATH: no allocation, one decode per element.
 */
function _replyForward(r: Reply, m: Heap, ql: number, start: number, n: number): void {
  const it = qlIterAtIndex(m, ql, AL_START_HEAD, start, _it);
  if (it === null) return;
  let node = it.cur;
  let offset = it.offset;
  it.cur = 0;
  it.pos = 0;
  while (n > 0 && node !== 0) {
    const cnt = qlNodeElements(m, node);
    if (offset < 0) offset += cnt;
    const data = qlNodeData(m, node);
    const u8 = m.u8[data >>> OFF_BITS];
    const base = (data & OFF_MASK) << 3;
    if (qlNodeIsPlain(m, node)) {
      r.bulk(u8, base, qlNodeSize(m, node));
      n--;
    } else {
      let q = offset === 0 ? base + LP_HDR_SIZE : base + lpSeek(m, data, offset);
      let k = cnt - offset;
      if (k > n) k = n;
      n -= k;
      while (k-- > 0) {
        const b = u8[q];
        let l: number; // encoded size without the backlen
        if (b < 0x80) {
          r.bulkInt(b);
          l = 1;
        } else if (b < 0xc0) {
          l = b & 0x3f;
          r.bulk(u8, q + 1, l);
          l += 1;
        } else if (b < 0xe0) {
          const v = ((b & 0x1f) << 8) | u8[q + 1];
          r.bulkInt(v >= 4096 ? v - 8192 : v);
          l = 2;
        } else if (b < 0xf0) {
          l = ((b & 0x0f) << 8) | u8[q + 1];
          r.bulk(u8, q + 2, l);
          l += 2;
        } else {
          // 32-bit string lengths and 16..64-bit integers: the register does the decoding
          lpGet(m, data, q - base);
          replyListElement(r, lpEl);
          l = lpEl.isInt ? (b === 0xf1 ? 3 : b === 0xf2 ? 4 : b === 0xf3 ? 5 : 9) : 5 + lpEl.len;
        }
        q += l + (l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5);
      }
    }
    node = qlNodeNext(m, node);
    offset = 0;
  }
}

/** Decimal text of an integer element, away from the listpack scratch (LMOVE's push). */
const _intText = new Uint8Array(24);

// ---- Value ops (free, COPY, MEMORY USAGE, lazy free, defrag, DEBUG DIGEST) ----

const _digestIter = new QlIter();

registerValueType(OBJ_LIST, {
  free: (m, v) => qlFree(m, v),
  dup: (m, v) => qlDup(m, v),
  usage: (m, v, samples) => qlMemoryUsage(m, v, samples),
  freeEffort: (m, v) => qlFreeEffort(m, v),
  freeSome: (m, v, budget) => qlFreeSome(m, v, budget),
  defrag: (m, v) => qlDefrag(m, v),
  digest: (m, v, d, ops) => {
    // each element in order, as its string form
    const it = qlIterStart(m, v, AL_START_HEAD, _digestIter);
    while (qlNext(m, it)) {
      const el = lpElBytes(lpEl);
      ops.mix(d, el.buf.subarray(el.off, el.off + el.len));
    }
    qlIterRelease(m, it);
  },
});

// ---- Shared command helpers ----

/**
 * After popping `count` elements from the list entry e (key kb[ko, ko+kl)): the pop event, the
 * deletion of an emptied key with its "del" event, WATCH invalidation and dirty
 * (listElementsRemoved). `serving`: a BLPOP/BRPOP served when another client pushed, which
 * neither signals the key (the push did) nor counts a change (serveClientBlockedOnList).
 */
function _elementsRemoved(
  c: Client,
  e: number,
  kb: Uint8Array,
  ko: number,
  kl: number,
  where: number,
  count: number,
  serving: boolean,
): void {
  const s = c.server;
  notifyKey(c, NOTIFY_LIST, where === LIST_HEAD ? "lpop" : "rpop", kb, ko, kl);
  if (qlCount(s.heap, listOf(s.heap, e)) === 0) deleteEmptied(c, e, kb, ko, kl);
  if (serving) return;
  s.signalModifiedKey(c.db, kb, ko, kl);
  s.dirty += count;
}

/**
 * Pop up to `count` elements from one end of the list entry e and reply [key, [elements]]
 * (LMPOP, BLMPOP): listPopRangeAndReplyWithKey.
 */
function _popRangeWithKey(
  c: Client,
  e: number,
  kb: Uint8Array,
  ko: number,
  kl: number,
  where: number,
  count: number,
): void {
  const r = c.reply;
  r.arrayLen(2);
  r.bulk(kb, ko, kl);
  const n = _popRange(c, e, where, count);
  _elementsRemoved(c, e, kb, ko, kl, where, n, false);
}

/** Reply and delete up to `count` elements from one end of the list entry e; returns how many. */
function _popRange(c: Client, e: number, where: number, count: number): number {
  const m = c.server.heap;
  const ql = listOf(m, e);
  const llen = qlCount(m, ql);
  const n = count > llen ? llen : count;
  if (where === LIST_HEAD) {
    _replyRange(c.reply, m, ql, 0, n - 1, false);
    qlDelRange(m, ql, 0, n);
  } else {
    _replyRange(c.reply, m, ql, -n, -1, true);
    qlDelRange(m, ql, -n, n);
  }
  return n;
}

/** LEFT / RIGHT argument (getListPositionFromObjectOrReply); -1 after a syntax error. */
function _position(c: Client, argv: Argv, i: number): number {
  if (argIs(argv, i, "right")) return LIST_TAIL;
  if (argIs(argv, i, "left")) return LIST_HEAD;
  c.error(SYNTAX);
  return -1;
}

// ---- Push commands ----

/** LPUSH/RPUSH/LPUSHX/RPUSHX. `xx`: only when the key exists. HOT PATH. */
function _pushGeneric(c: Client, argv: Argv, where: number, xx: boolean): void {
  const s = c.server;
  const m = s.heap;
  const buf = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  const e = writeTyped(c, argv, 1, OBJ_LIST);
  if (e < 0) return;
  let ql: number;
  if (e === 0) {
    if (xx) {
      c.reply.raw(R_ZERO);
      return;
    }
    ql = listCreateKey(s, c.db, buf, ko, kl);
  } else {
    ql = listOf(m, e);
  }
  const argc = argv.argc;
  if (where === LIST_HEAD) {
    for (let j = 2; j < argc; j++) qlPushHead(m, ql, buf, argv.off[j], argv.len[j]);
  } else {
    for (let j = 2; j < argc; j++) qlPushTail(m, ql, buf, argv.off[j], argv.len[j]);
  }
  c.reply.int(qlCount(m, ql));
  keyModified(c, buf, ko, kl, NOTIFY_LIST, where === LIST_HEAD ? "lpush" : "rpush", argc - 2);
}

// LPUSH key element [element ...]
function lpushCommand(c: Client, argv: Argv): void {
  _pushGeneric(c, argv, LIST_HEAD, false);
}

// RPUSH key element [element ...]
function rpushCommand(c: Client, argv: Argv): void {
  _pushGeneric(c, argv, LIST_TAIL, false);
}

// LPUSHX key element [element ...]
function lpushxCommand(c: Client, argv: Argv): void {
  _pushGeneric(c, argv, LIST_HEAD, true);
}

// RPUSHX key element [element ...]
function rpushxCommand(c: Client, argv: Argv): void {
  _pushGeneric(c, argv, LIST_TAIL, true);
}

// LINSERT key BEFORE|AFTER pivot element
function linsertCommand(c: Client, argv: Argv): void {
  let after: boolean;
  if (argIs(argv, 2, "after")) after = true;
  else if (argIs(argv, 2, "before")) after = false;
  else {
    c.error(SYNTAX);
    return;
  }
  const e = writeTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e === 0) c.reply.raw(R_ZERO);
    return;
  }
  const m = c.server.heap;
  const ql = listOf(m, e);
  const it = qlIterStart(m, ql, AL_START_HEAD, _it);
  let inserted = false;
  const po = argv.off[3];
  const pl = argv.len[3];
  while (qlNext(m, it)) {
    if (qlIterCompare(m, it, argv.buf, po, pl)) {
      qlIterInsert(m, it, after, argv.buf, argv.off[4], argv.len[4]);
      inserted = true;
      break;
    }
  }
  qlIterRelease(m, it);
  if (!inserted) {
    c.reply.int(-1);
    return;
  }
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_LIST, "linsert", 1);
  c.reply.int(qlCount(m, ql));
}

// ---- Read commands ----

// LLEN key
function llenCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e === 0) c.reply.raw(R_ZERO);
    return;
  }
  const m = c.server.heap;
  c.reply.int(qlCount(m, listOf(m, e)));
}

// LINDEX key index
function lindexCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  const index = argLong(c, argv, 2);
  if (index !== index) return;
  const m = c.server.heap;
  if (qlIndex(m, listOf(m, e), index)) replyListElement(c.reply, lpEl);
  else c.reply.nullBulk();
}

// The start and end arguments of LRANGE / LTRIM, as _argStartEnd parsed them.
let _start = 0;
let _end = 0;

/** Parse argv[2] and argv[3] as longs into _start / _end; false after the error reply. */
function _argStartEnd(c: Client, argv: Argv): boolean {
  _start = argLong(c, argv, 2);
  if (_start !== _start) return false;
  _end = argLong(c, argv, 3);
  return _end === _end;
}

// LRANGE key start stop
function lrangeCommand(c: Client, argv: Argv): void {
  if (!_argStartEnd(c, argv)) return;
  const e = readTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e === 0) c.reply.raw(R_EMPTY_ARRAY);
    return;
  }
  const m = c.server.heap;
  _replyRange(c.reply, m, listOf(m, e), _start, _end, false);
}

const RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use " +
  "negative to start from the end of the list";

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
function lposCommand(c: Client, argv: Argv): void {
  let rank = 1;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  const argc = argv.argc;
  for (let j = 3; j < argc; j++) {
    const more = argc - 1 - j;
    if (more > 0 && argIs(argv, j, "rank")) {
      j++;
      const v = argLong(c, argv, j);
      if (v !== v) return;
      if (v === 0) {
        c.error(RANK_ZERO);
        return;
      }
      rank = v;
    } else if (more > 0 && argIs(argv, j, "count")) {
      j++;
      const v = argPositiveLong(c, argv, j, "ERR COUNT can't be negative");
      if (v !== v) return;
      count = v;
    } else if (more > 0 && argIs(argv, j, "maxlen")) {
      j++;
      const v = argPositiveLong(c, argv, j, "ERR MAXLEN can't be negative");
      if (v !== v) return;
      maxlen = v;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  let fromTail = false;
  // RANK -2^63 cannot be negated in C: it stays negative, so every match qualifies and COUNT
  // never stops the scan. Keep that.
  const rankWraps = rank === -(2 ** 63);
  if (rank < 0) {
    rank = rankWraps ? -Infinity : -rank;
    fromTail = true;
  }
  const r = c.reply;
  const e = readTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e < 0) return;
    if (count !== -1) r.raw(R_EMPTY_ARRAY);
    else r.nullBulk();
    return;
  }
  const m = c.server.heap;
  const ql = listOf(m, e);
  const llen = qlCount(m, ql);
  const mark = count !== -1 ? r.deferLen() : -1;
  const it = qlIterStart(m, ql, fromTail ? AL_START_TAIL : AL_START_HEAD, _it);
  const eo = argv.off[2];
  const el = argv.len[2];
  let index = 0;
  let matches = 0;
  let matchIndex = -1;
  let arrayLen = 0;
  while ((maxlen === 0 || index < maxlen) && qlNext(m, it)) {
    if (qlIterCompare(m, it, argv.buf, eo, el)) {
      matches++;
      matchIndex = fromTail ? llen - index - 1 : index;
      if (matches >= rank) {
        if (mark >= 0) {
          arrayLen++;
          r.int(matchIndex);
          if (count !== 0 && !rankWraps && matches - rank + 1 >= count) break;
        } else {
          break;
        }
      }
    }
    index++;
    matchIndex = -1;
  }
  qlIterRelease(m, it);
  if (mark >= 0) r.setDeferredLen(mark, arrayLen);
  else if (matchIndex !== -1) r.int(matchIndex);
  else r.nullBulk();
}

// ---- Write commands ----

// LSET key index element
function lsetCommand(c: Client, argv: Argv): void {
  const e = writeTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e === 0) c.error(NO_SUCH_KEY);
    return;
  }
  const index = argLong(c, argv, 2);
  if (index !== index) return;
  const m = c.server.heap;
  if (!qlReplaceAtIndex(m, listOf(m, e), index, argv.buf, argv.off[3], argv.len[3])) {
    c.error(OUT_OF_RANGE);
    return;
  }
  c.reply.ok();
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_LIST, "lset", 1);
}

/** LPOP/RPOP key [count]. HOT PATH (without count). */
function _popGeneric(c: Client, argv: Argv, where: number): void {
  const hasCount = argv.argc === 3;
  if (argv.argc > 3) {
    c.error(arityError(c.cmd!.fullName));
    return;
  }
  let count = 0;
  if (hasCount) {
    count = argPositiveLong(c, argv, 2);
    if (count !== count) return;
  }
  const e = writeTyped(c, argv, 1, OBJ_LIST);
  const r = c.reply;
  if (e <= 0) {
    if (e < 0) return;
    if (hasCount) r.nullArray();
    else r.nullBulk();
    return;
  }
  if (hasCount && count === 0) {
    r.raw(R_EMPTY_ARRAY);
    return;
  }
  const buf = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  if (!hasCount) {
    const m = c.server.heap;
    qlPop(m, listOf(m, e), where === LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL);
    replyListElement(r, lpEl);
    _elementsRemoved(c, e, buf, ko, kl, where, 1, false);
    return;
  }
  const n = _popRange(c, e, where, count);
  _elementsRemoved(c, e, buf, ko, kl, where, n, false);
}

// LPOP key [count]
function lpopCommand(c: Client, argv: Argv): void {
  _popGeneric(c, argv, LIST_HEAD);
}

// RPOP key [count]
function rpopCommand(c: Client, argv: Argv): void {
  _popGeneric(c, argv, LIST_TAIL);
}

// LTRIM key start stop
function ltrimCommand(c: Client, argv: Argv): void {
  if (!_argStartEnd(c, argv)) return;
  let start = _start;
  let end = _end;
  const e = writeTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e === 0) c.reply.ok();
    return;
  }
  const s = c.server;
  const m = s.heap;
  const ql = listOf(m, e);
  const llen = qlCount(m, ql);
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  qlDelRange(m, ql, 0, ltrim);
  qlDelRange(m, ql, -rtrim, rtrim);
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  notifyKey(c, NOTIFY_LIST, "ltrim", kb, ko, kl);
  if (qlCount(m, ql) === 0) deleteEmptied(c, e, kb, ko, kl);
  s.signalModifiedKey(c.db, kb, ko, kl);
  s.dirty += ltrim + rtrim;
  c.reply.ok();
}

// LREM key count element
function lremCommand(c: Client, argv: Argv): void {
  let toRemove = argLong(c, argv, 2);
  if (toRemove !== toRemove) return;
  const e = writeTyped(c, argv, 1, OBJ_LIST);
  if (e <= 0) {
    if (e === 0) c.reply.raw(R_ZERO);
    return;
  }
  const m = c.server.heap;
  const ql = listOf(m, e);
  let it: QlIter;
  if (toRemove < 0) {
    toRemove = -toRemove;
    it = qlIterStart(m, ql, AL_START_TAIL, _it);
  } else {
    it = qlIterStart(m, ql, AL_START_HEAD, _it);
  }
  const eo = argv.off[3];
  const el = argv.len[3];
  let removed = 0;
  while (qlNext(m, it)) {
    if (qlIterCompare(m, it, argv.buf, eo, el)) {
      qlIterDelete(m, it);
      removed++;
      if (toRemove !== 0 && removed === toRemove) break;
    }
  }
  qlIterRelease(m, it);
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  if (removed > 0) keyModified(c, kb, ko, kl, NOTIFY_LIST, "lrem", removed);
  if (qlCount(m, ql) === 0) deleteEmptied(c, e, kb, ko, kl);
  c.reply.int(removed);
}

/**
 * The push side of LMOVE (lmoveHandlePush): create the destination when missing, push the
 * popped element (in the register) and reply with it.
 */
function _movePush(
  c: Client,
  db: Db,
  dstE: number,
  dkb: Uint8Array,
  dko: number,
  dkl: number,
  whereTo: number,
): void {
  const s = c.server;
  const m = s.heap;
  // The register holds the popped element (a string sits in the quicklist's pop scratch, which
  // pushes leave alone): reply first, then push its bytes.
  const el = lpEl;
  replyListElement(c.reply, el);
  let vb = el.buf;
  let vo = el.off;
  let vl = el.len;
  if (el.isInt) {
    vl = lpElIntText(el, _intText);
    vb = _intText;
    vo = 0;
  }
  const dql = dstE === 0 ? listCreateKey(s, db, dkb, dko, dkl) : listOf(m, dstE);
  s.signalModifiedKey(db, dkb, dko, dkl);
  listPush(m, dql, whereTo, vb, vo, vl);
  notifyKey(c, NOTIFY_LIST, whereTo === LIST_HEAD ? "lpush" : "rpush", dkb, dko, dkl);
}

/**
 * LMOVE / RPOPLPUSH: pop from the source (key at argv[si]) and push on the destination
 * (argv[di]). Replies null when the source is missing.
 */
function _lmoveGeneric(c: Client, argv: Argv, whereFrom: number, whereTo: number): void {
  const se = writeTyped(c, argv, 1, OBJ_LIST);
  if (se <= 0) {
    if (se === 0) c.reply.nullBulk();
    return;
  }
  const b = argv.buf;
  _moveFrom(
    c,
    se,
    b,
    argv.off[1],
    argv.len[1],
    b,
    argv.off[2],
    argv.len[2],
    whereFrom,
    whereTo,
    false,
  );
}

/**
 * Move one element from the list entry `se` (key sb[sko..]) to the destination key: checks the
 * destination type (WRONGTYPE, nothing moved), pops, pushes, replies, and handles the source's
 * events and deletion. `serving`: a blocked BLMOVE/BRPOPLPUSH served after another client's
 * push, which neither signals the source (the push did) nor counts a change
 * (serveClientBlockedOnList). Returns false after a WRONGTYPE reply.
 */
function _moveFrom(
  c: Client,
  se: number,
  sb: Uint8Array,
  sko: number,
  skl: number,
  dbuf: Uint8Array,
  dko: number,
  dkl: number,
  whereFrom: number,
  whereTo: number,
  serving: boolean,
): boolean {
  const s = c.server;
  const m = s.heap;
  const db = c.db;
  const sql = listOf(m, se);
  const de = db.lookupWrite(dbuf, dko, dkl);
  if (de !== 0 && objType(m, de) !== OBJ_LIST) {
    c.error(WRONGTYPE);
    return false;
  }
  qlPop(m, sql, whereFrom === LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL);
  _movePush(c, db, de, dbuf, dko, dkl, whereTo);
  _elementsRemoved(c, se, sb, sko, skl, whereFrom, 1, serving);
  return true;
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
function lmoveCommand(c: Client, argv: Argv): void {
  const from = _position(c, argv, 3);
  if (from < 0) return;
  const to = _position(c, argv, 4);
  if (to < 0) return;
  _lmoveGeneric(c, argv, from, to);
}

// RPOPLPUSH source destination
function rpoplpushCommand(c: Client, argv: Argv): void {
  _lmoveGeneric(c, argv, LIST_TAIL, LIST_HEAD);
}

// ---- LMPOP and the blocking commands ----

/** Parsed LMPOP/BLMPOP arguments: keys at argv[first .. first+numkeys-1]. */
interface MpopArgs {
  first: number;
  numkeys: number;
  where: number;
  count: number;
}

/** Parse numkeys, the keys, LEFT|RIGHT and COUNT (lmpopGenericCommand); null after an error. */
function _parseMpop(c: Client, argv: Argv, numkeysIdx: number): MpopArgs | null {
  const numkeys = argNumkeys(c, argv, numkeysIdx);
  if (numkeys !== numkeys) return null;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.argc) {
    c.error(SYNTAX);
    return null;
  }
  const where = _position(c, argv, whereIdx);
  if (where < 0) return null;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.argc; j++) {
    const more = argv.argc - 1 - j;
    if (count === -1 && more > 0 && argIs(argv, j, "count")) {
      j++;
      count = argRangeLong(c, argv, j, 1n, LLONG_MAX, "ERR count should be greater than 0");
      if (count !== count) return null;
    } else {
      c.error(SYNTAX);
      return null;
    }
  }
  return { first: numkeysIdx + 1, numkeys, where, count: count === -1 ? 1 : count };
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
function lmpopCommand(c: Client, argv: Argv): void {
  const a = _parseMpop(c, argv, 1);
  if (a === null) return;
  const m = c.server.heap;
  for (let j = 0; j < a.numkeys; j++) {
    const i = a.first + j;
    const e = writeTyped(c, argv, i, OBJ_LIST);
    if (e < 0) return;
    if (e === 0 || qlCount(m, listOf(m, e)) === 0) continue;
    _popRangeWithKey(c, e, argv.buf, argv.off[i], argv.len[i], a.where, a.count);
    return;
  }
  c.reply.nullArray();
}

/** Copies of argv[first .. first+n-1] (blocked clients keep their keys past the argv). */
function _keyCopies(argv: Argv, first: number, n: number): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (let i = 0; i < n; i++) keys.push(argv.copy(first + i));
  return keys;
}

function _timeoutReply(c: Client): void {
  c.reply.nullArray();
}

/**
 * BLPOP/BRPOP/BLMPOP (blockingPopGenericCommand): pop from the first non-empty key, or block.
 * count -1: single element replied as [key, element]; otherwise [key, [elements]].
 */
function _blockingPop(
  c: Client,
  argv: Argv,
  first: number,
  numkeys: number,
  where: number,
  timeoutIdx: number,
  count: number,
): void {
  const deadline = parseBlockTimeout(c, argv, timeoutIdx);
  if (deadline === null) return;
  const m = c.server.heap;
  for (let j = 0; j < numkeys; j++) {
    const i = first + j;
    const e = writeTyped(c, argv, i, OBJ_LIST);
    if (e < 0) return;
    if (e === 0 || qlCount(m, listOf(m, e)) === 0) continue;
    if (count !== -1) _popRangeWithKey(c, e, argv.buf, argv.off[i], argv.len[i], where, count);
    else _popOneWithKey(c, e, argv.buf, argv.off[i], argv.len[i], where, false);
    return;
  }
  const s = c.server;
  if (!s.blocking.canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  s.blocking.block(c, {
    keys: _keyCopies(argv, first, numkeys),
    deadline,
    serve: (rc, key) => {
      const e = _readyList(rc, key);
      if (e === 0) return false;
      if (count !== -1) _popRangeWithKey(rc, e, key, 0, key.length, where, count);
      else _popOneWithKey(rc, e, key, 0, key.length, where, true);
      return true;
    },
    timeout: _timeoutReply,
  });
}

/**
 * The list a blocked client waits on, once its key is signalled ready: the entry when it holds
 * a non-empty list, else 0 (the client stays blocked).
 */
function _readyList(c: Client, key: Uint8Array): number {
  const m = c.server.heap;
  const e = c.db.lookupWrite(key, 0, key.length);
  if (e === 0 || objType(m, e) !== OBJ_LIST || qlCount(m, listOf(m, e)) === 0) return 0;
  return e;
}

/**
 * Pop one element from the list entry e and reply [key, element] (BLPOP/BRPOP). `serving`: a
 * blocked client served after another client's push (serveClientBlockedOnList), else the
 * command itself (listElementsRemoved).
 */
function _popOneWithKey(
  c: Client,
  e: number,
  kb: Uint8Array,
  ko: number,
  kl: number,
  where: number,
  serving: boolean,
): void {
  const m = c.server.heap;
  qlPop(m, listOf(m, e), where === LIST_HEAD ? QUICKLIST_HEAD : QUICKLIST_TAIL);
  const r = c.reply;
  r.arrayLen(2);
  r.bulk(kb, ko, kl);
  replyListElement(r, lpEl);
  _elementsRemoved(c, e, kb, ko, kl, where, 1, serving);
}

// BLPOP key [key ...] timeout
function blpopCommand(c: Client, argv: Argv): void {
  _blockingPop(c, argv, 1, argv.argc - 2, LIST_HEAD, argv.argc - 1, -1);
}

// BRPOP key [key ...] timeout
function brpopCommand(c: Client, argv: Argv): void {
  _blockingPop(c, argv, 1, argv.argc - 2, LIST_TAIL, argv.argc - 1, -1);
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
function blmpopCommand(c: Client, argv: Argv): void {
  const a = _parseMpop(c, argv, 2);
  if (a === null) return;
  _blockingPop(c, argv, a.first, a.numkeys, a.where, 1, a.count);
}

/** BLMOVE / BRPOPLPUSH once the timeout is parsed (blmoveGenericCommand). */
function _blmoveGeneric(
  c: Client,
  argv: Argv,
  whereFrom: number,
  whereTo: number,
  deadline: number,
): void {
  const s = c.server;
  const e = writeTyped(c, argv, 1, OBJ_LIST);
  if (e < 0) return;
  if (e !== 0) {
    _lmoveGeneric(c, argv, whereFrom, whereTo);
    return;
  }
  if (!s.blocking.canBlock(c)) {
    c.reply.nullBulk();
    return;
  }
  const dst = argv.copy(2);
  s.blocking.block(c, {
    keys: [argv.copy(1)],
    deadline,
    serve: (rc, key) => {
      const se = _readyList(rc, key);
      if (se === 0) return false;
      // A destination of the wrong type answers WRONGTYPE and releases the client.
      _moveFrom(rc, se, key, 0, key.length, dst, 0, dst.length, whereFrom, whereTo, true);
      return true;
    },
    timeout: _timeoutReply,
  });
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
function blmoveCommand(c: Client, argv: Argv): void {
  const from = _position(c, argv, 3);
  if (from < 0) return;
  const to = _position(c, argv, 4);
  if (to < 0) return;
  const deadline = parseBlockTimeout(c, argv, 5);
  if (deadline === null) return;
  _blmoveGeneric(c, argv, from, to, deadline);
}

// BRPOPLPUSH source destination timeout
function brpoplpushCommand(c: Client, argv: Argv): void {
  const deadline = parseBlockTimeout(c, argv, 3);
  if (deadline === null) return;
  _blmoveGeneric(c, argv, LIST_TAIL, LIST_HEAD, deadline);
}

// ---- DEBUG subcommands for lists ----

// DEBUG QUICKLIST-PACKED-THRESHOLD <size>: elements of at least this size get plain nodes
registerDebugSubcommand("quicklist-packed-threshold", (n) => n === 3, (c, argv) => {
  const sz = parseMemory(argv.str(2));
  if (Number.isNaN(sz) || sz < 0 || !qlSetPackedThreshold(sz)) {
    c.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
    return;
  }
  debugState(c.server).quicklistPackedThreshold = sz === 0 ? 1 << 30 : sz;
  c.reply.ok();
});

// DEBUG QUICKLIST <key> [<0|1>]: the node structure goes to the log
registerDebugSubcommand("quicklist", (n) => n === 3 || n === 4, (c, argv) => {
  const e = c.db.find(argv.buf, argv.off[2], argv.len[2]);
  if (e === 0) {
    c.error(NO_SUCH_KEY);
    return;
  }
  const m = c.server.heap;
  if (objType(m, e) !== OBJ_LIST) {
    c.error("ERR Not a quicklist encoded object.");
    return;
  }
  c.server.log("notice", qlRepr(m, listOf(m, e)));
  c.reply.simple("Quicklist structure printed on stdout");
});

/** The quicklist fields DEBUG OBJECT appends for a list (" ql_nodes:... ql_uncompressed_size:..."). */
export function debugObjectListFields(m: Heap, e: number): string {
  const st = qlStats(m, listOf(m, e));
  return ` ql_nodes:${st.nodes} ql_avg_node:${
    st.avgNode.toFixed(2)
  } ql_listpack_max:${st.listpackMax}` +
    ` ql_compressed:${st.compressed} ql_uncompressed_size:${st.uncompressedSize}`;
}

registerDebugObjectExtra(OBJ_LIST, debugObjectListFields);

// ---- Command table ----

const KEY1 = { first: 1, last: 1, step: 1 };

/** Key specs of the two-key move commands: the source is popped, the destination pushed. */
const MOVE_SPECS: KeySpecDef[] = [
  { flags: ["RW", "access", "delete"], bs: { index: 1 }, fk: { lastkey: 0, keystep: 1, limit: 0 } },
  { flags: ["RW", "insert"], bs: { index: 2 }, fk: { lastkey: 0, keystep: 1, limit: 0 } },
];

/** Keys of LMPOP (numkeys at 1) / BLMPOP (numkeys at 2); none when numkeys is unusable. */
function _mpopKeys(numkeysIdx: number): (argv: Argv) => number[] {
  return (argv) => numkeysGetKeys(argv, 0, numkeysIdx, numkeysIdx + 1);
}

const PUSH_COMPLEXITY =
  "O(1) for each element added, so O(N) to add N elements when the command is called with " +
  "multiple arguments.";

const defs: CommandDef[] = [
  {
    name: "lpush",
    arity: -3,
    flags: WRITE | DENYOOM | FAST,
    handler: lpushCommand,
    keys: KEY1,
    keyFlags: ["RW", "insert"],
    summary: "Adds elements at the head of a list, creating the key when missing",
    since: "1.0.0",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element ...",
  },
  {
    name: "rpush",
    arity: -3,
    flags: WRITE | DENYOOM | FAST,
    handler: rpushCommand,
    keys: KEY1,
    keyFlags: ["RW", "insert"],
    summary: "Adds elements at the tail of a list, creating the key when missing",
    since: "1.0.0",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element ...",
  },
  {
    name: "lpushx",
    arity: -3,
    flags: WRITE | DENYOOM | FAST,
    handler: lpushxCommand,
    keys: KEY1,
    keyFlags: ["RW", "insert"],
    summary: "Adds elements at the head of a list, only when the list already exists",
    since: "2.2.0",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element ...",
  },
  {
    name: "rpushx",
    arity: -3,
    flags: WRITE | DENYOOM | FAST,
    handler: rpushxCommand,
    keys: KEY1,
    keyFlags: ["RW", "insert"],
    summary: "Adds elements at the tail of a list, only when the list already exists",
    since: "2.2.0",
    complexity: PUSH_COMPLEXITY,
    syntax: "key element ...",
  },
  {
    name: "lpop",
    arity: -2,
    flags: WRITE | FAST,
    handler: lpopCommand,
    keys: KEY1,
    keyFlags: ["RW", "access", "delete"],
    summary: "Removes and returns the first elements of a list, deleting it when emptied",
    since: "1.0.0",
    complexity: "O(N) where N is the number of elements returned",
    syntax: "key [count:integer]",
  },
  {
    name: "rpop",
    arity: -2,
    flags: WRITE | FAST,
    handler: rpopCommand,
    keys: KEY1,
    keyFlags: ["RW", "access", "delete"],
    summary: "Removes and returns the last elements of a list, deleting it when emptied",
    since: "1.0.0",
    complexity: "O(N) where N is the number of elements returned",
    syntax: "key [count:integer]",
  },
  {
    name: "llen",
    arity: 2,
    flags: READONLY | FAST,
    handler: llenCommand,
    keys: KEY1,
    keyFlags: ["RO"],
    summary: "Returns how many elements a list holds",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "lrange",
    arity: 4,
    flags: READONLY,
    handler: lrangeCommand,
    keys: KEY1,
    keyFlags: ["RO", "access"],
    summary: "Returns the elements of a list between two indexes (negative from the tail)",
    since: "1.0.0",
    complexity:
      "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest " +
      "end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
    syntax: "key start:integer stop:integer",
  },
  {
    name: "lindex",
    arity: 3,
    flags: READONLY,
    handler: lindexCommand,
    keys: KEY1,
    keyFlags: ["RO", "access"],
    summary: "Returns the element at an index of a list (negative from the tail)",
    since: "1.0.0",
    complexity:
      "O(N) where N is the number of elements to traverse to get to the element at index. This " +
      "makes asking for the first or the last element of the list O(1).",
    syntax: "key index:integer",
  },
  {
    name: "lset",
    arity: 4,
    flags: WRITE | DENYOOM,
    handler: lsetCommand,
    keys: KEY1,
    keyFlags: ["RW", "update"],
    summary: "Replaces the element at an index of a list",
    since: "1.0.0",
    complexity:
      "O(N) where N is the length of the list. Setting either the first or the last element of " +
      "the list is O(1).",
    syntax: "key index:integer element",
  },
  {
    name: "linsert",
    arity: 5,
    flags: WRITE | DENYOOM,
    handler: linsertCommand,
    keys: KEY1,
    keyFlags: ["RW", "insert"],
    summary: "Inserts an element before or after the first occurrence of a pivot element",
    since: "2.2.0",
    complexity:
      "O(N) where N is the number of elements to traverse before seeing the value pivot. This " +
      "means that inserting somewhere on the left end on the list (head) can be considered O(1) " +
      "and inserting somewhere on the right end (tail) is O(N).",
    syntax: "key where=(BEFORE | AFTER) pivot element",
  },
  {
    name: "lrem",
    arity: 4,
    flags: WRITE,
    handler: lremCommand,
    keys: KEY1,
    keyFlags: ["RW", "delete"],
    summary: "Removes occurrences of an element from a list, from the head or from the tail",
    since: "1.0.0",
    complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
    syntax: "key count:integer element",
  },
  {
    name: "ltrim",
    arity: 4,
    flags: WRITE,
    handler: ltrimCommand,
    keys: KEY1,
    keyFlags: ["RW", "delete"],
    summary: "Keeps only the elements of a list between two indexes and removes the rest",
    since: "1.0.0",
    complexity: "O(N) where N is the number of elements to be removed by the operation.",
    syntax: "key start:integer stop:integer",
  },
  {
    name: "lpos",
    arity: -3,
    flags: READONLY,
    handler: lposCommand,
    keys: KEY1,
    keyFlags: ["RO", "access"],
    summary: "Returns the indexes where an element occurs in a list",
    since: "6.0.6",
    complexity:
      "O(N) where N is the number of elements in the list, for the average case. When searching " +
      "for elements near the head or the tail of the list, or when the MAXLEN option is " +
      "provided, the command may run in constant time.",
    syntax: "key element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]",
  },
  {
    name: "lmove",
    arity: 5,
    flags: WRITE | DENYOOM,
    handler: lmoveCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: MOVE_SPECS,
    summary: "Pops an element from one end of a list and pushes it on an end of another list",
    since: "6.2.0",
    complexity: "O(1)",
    syntax: "source:key destination:key wherefrom=(LEFT | RIGHT) whereto=(LEFT | RIGHT)",
  },
  {
    name: "rpoplpush",
    arity: 3,
    flags: WRITE | DENYOOM,
    handler: rpoplpushCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: MOVE_SPECS,
    summary: "Pops the last element of a list and pushes it at the head of another list",
    since: "1.2.0",
    complexity: "O(1)",
    syntax: "source:key destination:key",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`LMOVE` with the `RIGHT` and `LEFT` arguments",
  },
  {
    name: "lmpop",
    arity: -4,
    flags: WRITE,
    handler: lmpopCommand,
    getKeys: _mpopKeys(1),
    keySpecs: [{
      flags: ["RW", "access", "delete"],
      bs: { index: 1 },
      fk: { keynumidx: 0, firstkey: 1, keystep: 1 },
    }],
    summary: "Pops elements from the first non-empty list among several keys",
    since: "7.0.0",
    complexity:
      "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    syntax: "numkeys:integer key:key ... where=(LEFT | RIGHT) [COUNT count:integer]",
  },
  {
    name: "blpop",
    arity: -3,
    flags: WRITE | NOSCRIPT | BLOCKING,
    handler: blpopCommand,
    keys: { first: 1, last: -2, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    summary:
      "Pops the first element of the first non-empty list, waiting for one if they are all empty",
    since: "2.0.0",
    complexity: "O(N) where N is the number of provided keys.",
    syntax: "key:key ... timeout:double",
  },
  {
    name: "brpop",
    arity: -3,
    flags: WRITE | NOSCRIPT | BLOCKING,
    handler: brpopCommand,
    keys: { first: 1, last: -2, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    summary:
      "Pops the last element of the first non-empty list, waiting for one if they are all empty",
    since: "2.0.0",
    complexity: "O(N) where N is the number of provided keys.",
    syntax: "key:key ... timeout:double",
  },
  {
    name: "blmove",
    arity: 6,
    flags: WRITE | DENYOOM | NOSCRIPT | BLOCKING,
    handler: blmoveCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: MOVE_SPECS,
    summary:
      "Moves an element from one list to another like LMOVE, waiting while the source is empty",
    since: "6.2.0",
    complexity: "O(1)",
    syntax:
      "source:key destination:key wherefrom=(LEFT | RIGHT) whereto=(LEFT | RIGHT) timeout:double",
  },
  {
    name: "brpoplpush",
    arity: 4,
    flags: WRITE | DENYOOM | NOSCRIPT | BLOCKING,
    handler: brpoplpushCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: MOVE_SPECS,
    summary: "Like RPOPLPUSH, waiting while the source list is empty",
    since: "2.2.0",
    complexity: "O(1)",
    syntax: "source:key destination:key timeout:double",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
  },
  {
    name: "blmpop",
    arity: -5,
    flags: WRITE | BLOCKING,
    handler: blmpopCommand,
    getKeys: _mpopKeys(2),
    keySpecs: [{
      flags: ["RW", "access", "delete"],
      bs: { index: 2 },
      fk: { keynumidx: 0, firstkey: 1, keystep: 1 },
    }],
    summary: "Like LMPOP, waiting while every list is empty",
    since: "7.0.0",
    complexity:
      "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    syntax: "timeout:double numkeys:integer key:key ... where=(LEFT | RIGHT) [COUNT count:integer]",
  },
];

export const listCommands = defineCommands("list", defs);
