// Sorted-set algebra (zunionInterDiffGenericCommand): ZUNION, ZINTER, ZDIFF, their STORE forms
// and ZINTERCARD, with WEIGHTS and AGGREGATE SUM|MIN|MAX. Inputs may be zsets or plain sets
// (every member scores 1). Results are built in a skiplist (ordered by score, then member) and
// stored as a listpack when they fit, as Redis's zsetConvertToListpackIfNeeded does. Plain sets
// are read through the set API (set.ts), sorted sets through the zset API.

import { parseDouble } from "../../protocol/bytes.ts";
import { SYNTAX, WRONGTYPE } from "../../protocol/errors.ts";
import type { Argv } from "../../protocol/resp_parser.ts";
import type { Client } from "../../server/client.ts";
import { NOTIFY_GENERIC, NOTIFY_ZSET } from "../../config.ts";
import type { Heap } from "../../memory/allocator.ts";
import { OFF_BITS } from "../../memory/arena.ts";
import { hashBytes } from "../../encoding/dict.ts";
import {
  zslCreate,
  zslFind,
  zslFirst,
  zslFree,
  zslInsert,
  zslLength,
  zslNext,
  zslNodeMemberLen,
  zslNodeMemberOff,
  zslNodeScore,
  zslUpdateScore,
} from "../../encoding/skiplist.ts";
import { OBJ_SET, OBJ_ZSET, objAux, objEncoding, objType } from "../../store/object.ts";
import { argIs, argLong, argPositiveLong, keyModified, lookupRead, notifyKey } from "../common.ts";
import { SetIter, setMemberBytes, setTypeIsMember, setTypeSize } from "../set.ts";
import {
  type ZObj,
  ZSET_SKIPLIST,
  zsetConvertToListpackIfNeeded,
  ZsetIter,
  zsetIterInit,
  zsetIterNext,
  zsetLength,
  zsetScore,
} from "./api.ts";
import { replyScore } from "./score.ts";

export const SET_OP_UNION = 0;
export const SET_OP_INTER = 1;
export const SET_OP_DIFF = 2;

const AGGR_SUM = 1;
const AGGR_MIN = 2;
const AGGR_MAX = 3;

/** One input (zsetopsrc): a zset, a set, or a missing key (type 0). */
interface Src {
  e: number;
  type: number;
  enc: number;
  h: number;
  weight: number;
  len: number;
}

// ---- input access (zuiInitIterator & co.): zsets through the zset API, sets through the set API ----

const _zit = new ZsetIter();
const _sit = new SetIter();

/**
 * Visit the members of an input with their scores (1 for sets). `fn` returns false to stop.
 * Member bytes are valid during the call only; `fn` must not start another walk.
 */
function _each(
  m: Heap,
  src: Src,
  fn: (b: Uint8Array, off: number, len: number, score: number) => boolean,
): void {
  if (src.type === OBJ_ZSET) {
    const it = zsetIterInit(_zit, m, src.enc, src.h, false, 0);
    while (zsetIterNext(it)) if (!fn(it.buf, it.off, it.len, it.score)) return;
    return;
  }
  if (src.type !== OBJ_SET) return;
  const it = _sit;
  it.init(src.enc, src.h);
  while (it.next(m)) {
    setMemberBytes(it);
    if (!fn(it.buf, it.off, it.len, 1)) return;
  }
}

/** zuiFind: the member's score in an input (1 for set members), or NaN when absent. */
function _find(m: Heap, src: Src, b: Uint8Array, off: number, len: number): number {
  if (src.type === OBJ_ZSET) return zsetScore(m, src.enc, src.h, b, off, len);
  if (src.type !== OBJ_SET) return NaN;
  return setTypeIsMember(m, src.enc, src.h, b, off, len) ? 1 : NaN;
}

function _length(m: Heap, src: Src): number {
  if (src.type === OBJ_ZSET) return zsetLength(m, src.enc, src.h);
  return src.type === OBJ_SET ? setTypeSize(m, src.enc, src.h) : 0;
}

/** zunionInterAggregate. */
function _aggregate(target: number, val: number, aggr: number): number {
  if (aggr === AGGR_SUM) {
    const t = target + val;
    return t !== t ? 0 : t; // inf + -inf is taken as 0
  }
  if (aggr === AGGR_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

const _dst: ZObj = { enc: 0, h: 0 };

/**
 * zunionInterDiffGenericCommand. `dstIdx` is the destination argument (0 for the reply forms),
 * numkeys is at `numkeysIdx`; `cardOnly` is ZINTERCARD.
 */
function _zsetOpGeneric(
  c: Client,
  argv: Argv,
  dstIdx: number,
  numkeysIdx: number,
  op: number,
  cardOnly: boolean,
): void {
  const setnum = argLong(c, argv, numkeysIdx);
  if (setnum !== setnum) return;
  if (setnum < 1) {
    c.error(`ERR at least 1 input key is needed for '${c.cmd!.fullName}' command`);
    return;
  }
  if (setnum > argv.argc - (numkeysIdx + 1)) {
    c.error(SYNTAX);
    return;
  }
  const s = c.server;
  const m = s.heap;
  const srcs: Src[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const e = lookupRead(c, argv, j);
    const src: Src = { e, type: 0, enc: 0, h: 0, weight: 1, len: 0 };
    if (e !== 0) {
      const t = objType(m, e);
      if (t !== OBJ_ZSET && t !== OBJ_SET) {
        c.error(WRONGTYPE);
        return;
      }
      src.type = t;
      src.enc = objEncoding(m, e);
      src.h = objAux(m, e);
    }
    srcs.push(src);
  }
  let aggr = AGGR_SUM;
  let withscores = false;
  let limit = 0;
  let remaining = argv.argc - j;
  while (remaining > 0) {
    if (op !== SET_OP_DIFF && !cardOnly && remaining >= setnum + 1 && argIs(argv, j, "weights")) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseDouble(argv.buf, argv.off[j], argv.len[j]);
        if (w !== w) {
          c.error("ERR weight value is not a float");
          return;
        }
        srcs[i].weight = w;
      }
    } else if (op !== SET_OP_DIFF && !cardOnly && remaining >= 2 && argIs(argv, j, "aggregate")) {
      j++;
      remaining--;
      if (argIs(argv, j, "sum")) aggr = AGGR_SUM;
      else if (argIs(argv, j, "min")) aggr = AGGR_MIN;
      else if (argIs(argv, j, "max")) aggr = AGGR_MAX;
      else {
        c.error(SYNTAX);
        return;
      }
      j++;
      remaining--;
    } else if (remaining >= 1 && dstIdx === 0 && !cardOnly && argIs(argv, j, "withscores")) {
      j++;
      remaining--;
      withscores = true;
    } else if (cardOnly && remaining >= 2 && argIs(argv, j, "limit")) {
      j++;
      remaining--;
      limit = argPositiveLong(c, argv, j, "ERR LIMIT can't be negative");
      if (limit !== limit) return;
      j++;
      remaining--;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  for (const src of srcs) src.len = _length(m, src);
  // smallest inputs first (a stable sort, as glibc's merge-sort qsort is)
  if (op !== SET_OP_DIFF) srcs.sort((a, b) => a.len - b.len);

  let cardinality = 0;
  let maxelelen = 0;
  let totelelen = 0;
  const zs = cardOnly ? 0 : zslCreate(m);
  const add = (b: Uint8Array, off: number, len: number, score: number, hash: number) => {
    zslInsert(m, zs, b, off, len, score, hash);
    totelelen += len;
    if (len > maxelelen) maxelelen = len;
  };

  if (op === SET_OP_INTER) {
    const first = srcs[0];
    if (first.len > 0) {
      _each(m, first, (b, off, len, sc) => {
        let score = first.weight * sc;
        if (score !== score) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          const other = srcs[k];
          let value: number;
          if (other.e === first.e) value = sc * other.weight;
          else {
            value = _find(m, other, b, off, len);
            if (value !== value) break;
            value *= other.weight;
          }
          score = _aggregate(score, value, aggr);
        }
        if (k !== setnum) return true;
        if (cardOnly) {
          cardinality++;
          return !(limit && cardinality >= limit);
        }
        add(b, off, len, score, hashBytes(b, off, len));
        return true;
      });
    }
  } else if (op === SET_OP_UNION) {
    for (const src of srcs) {
      if (src.len === 0) continue;
      _each(m, src, (b, off, len, sc) => {
        let score = src.weight * sc;
        if (score !== score) score = 0;
        const hash = hashBytes(b, off, len);
        const node = zslFind(m, zs, b, off, len, hash);
        if (node === 0) add(b, off, len, score, hash);
        else {
          const cur = zslNodeScore(m, node);
          const v = _aggregate(cur, score, aggr);
          if (!Object.is(v, cur)) zslUpdateScore(m, zs, node, v);
        }
        return true;
      });
    }
  } else {
    const first = srcs[0];
    let same = false;
    for (let k = 1; k < setnum; k++) if (srcs[k].e === first.e) same = true;
    if (first.len > 0 && !same) {
      _each(m, first, (b, off, len, sc) => {
        for (let k = 1; k < setnum; k++) {
          const v = _find(m, srcs[k], b, off, len);
          if (v === v) return true; // present in a later input
        }
        add(b, off, len, sc, hashBytes(b, off, len));
        return true;
      });
    }
  }

  const r = c.reply;
  if (cardOnly) {
    r.int(cardinality);
    return;
  }
  if (dstIdx !== 0) {
    const db = c.db;
    const kb = argv.buf;
    const ko = argv.off[dstIdx];
    const kl = argv.len[dstIdx];
    const n = zslLength(m, zs);
    if (n > 0) {
      const dst = _dst;
      dst.enc = ZSET_SKIPLIST;
      dst.h = zs;
      zsetConvertToListpackIfNeeded(s, dst, maxelelen, totelelen);
      db.setValue(kb, ko, kl, OBJ_ZSET, dst.enc, dst.h, false);
      s.signalModifiedKey(db, kb, ko, kl);
      r.int(n);
      const ev = op === SET_OP_UNION
        ? "zunionstore"
        : op === SET_OP_INTER
        ? "zinterstore"
        : "zdiffstore";
      notifyKey(c, NOTIFY_ZSET, ev, kb, ko, kl);
      s.dirty++;
    } else {
      zslFree(m, zs);
      r.int(0);
      if (db.delete(kb, ko, kl, s.store.lazyServerDel)) {
        keyModified(c, kb, ko, kl, NOTIFY_GENERIC, "del", 1);
      }
    }
    return;
  }
  const n = zslLength(m, zs);
  r.arrayLen(withscores && r.resp === 2 ? n * 2 : n);
  for (let x = zslFirst(m, zs); x !== 0; x = zslNext(m, x)) {
    if (withscores && r.resp > 2) r.arrayLen(2);
    r.bulk(m.u8[x >>> OFF_BITS], zslNodeMemberOff(x), zslNodeMemberLen(m, x));
    if (withscores) replyScore(r, zslNodeScore(m, x));
  }
  zslFree(m, zs);
}

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
export function zunionstoreCommand(c: Client, argv: Argv): void {
  _zsetOpGeneric(c, argv, 1, 2, SET_OP_UNION, false);
}

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
export function zinterstoreCommand(c: Client, argv: Argv): void {
  _zsetOpGeneric(c, argv, 1, 2, SET_OP_INTER, false);
}

// ZDIFFSTORE destination numkeys key [key ...]
export function zdiffstoreCommand(c: Client, argv: Argv): void {
  _zsetOpGeneric(c, argv, 1, 2, SET_OP_DIFF, false);
}

// ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
export function zunionCommand(c: Client, argv: Argv): void {
  _zsetOpGeneric(c, argv, 0, 1, SET_OP_UNION, false);
}

// ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
export function zinterCommand(c: Client, argv: Argv): void {
  _zsetOpGeneric(c, argv, 0, 1, SET_OP_INTER, false);
}

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
export function zintercardCommand(c: Client, argv: Argv): void {
  _zsetOpGeneric(c, argv, 0, 1, SET_OP_INTER, true);
}

// ZDIFF numkeys key [key ...] [WITHSCORES]
export function zdiffCommand(c: Client, argv: Argv): void {
  _zsetOpGeneric(c, argv, 0, 1, SET_OP_DIFF, false);
}
