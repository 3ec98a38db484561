// SORT and SORT_RO: sort a list, set or sorted set numerically or ALPHA, optionally by external
// keys (BY pattern, hash fields with ->), fetch GET patterns, LIMIT, and STORE the result as a
// list. Follows Redis 7.0's sort.c semantics (BY without '*' means "don't sort", sets are still
// sorted when stored, ties compare the elements bytewise).

import { bytesCompare, fromLatin1, parseDoubleStr, parseLL, toLatin1 } from "../protocol/bytes.ts";
import { SYNTAX, WRONGTYPE } from "../protocol/errors.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Client } from "../server/client.ts";
import { defineCommands, DENYOOM, READONLY, WRITE } from "../server/command.ts";
import { NOTIFY_GENERIC, NOTIFY_LIST } from "../config.ts";
import { lpElBytes } from "../encoding/listpack.ts";
import {
  OBJ_ENCODING_QUICKLIST,
  OBJ_HASH,
  OBJ_LIST,
  OBJ_SET,
  OBJ_STRING,
  OBJ_ZSET,
  objAux,
  objEncoding,
  objType,
  strLen,
  strOff,
} from "../store/object.ts";
import { OFF_BITS } from "../memory/arena.ts";
import { argIs, keyModified, lookupRead, lookupReadKey } from "./common.ts";
import { hashGetField } from "./hash.ts";
import { LIST_TAIL, listCreate, listForEach, listPush } from "./list.ts";
import { SetIter, setMemberBytes } from "./set.ts";
import { zoLoad, zoStore, ZSET_SKIPLIST, zsetConvert, zsetForEach } from "./zset/mod.ts";

// ---- Sort API ----

interface SortItem {
  el: Uint8Array;
  /** The element's own value when it is an integer (list/intset ints), else NaN. */
  intVal: number;
  score: number;
  cmp: Uint8Array | null;
}

const HASH_ARROW = fromLatin1("->");

/**
 * lookupKeyByPattern: "#" gives the element itself; otherwise the first '*' is replaced by the
 * element and the key read (a string, or a hash field after "->"). null when the pattern has
 * no '*', the key is missing or of the wrong type.
 */
function lookupByPattern(c: Client, pat: Uint8Array, el: Uint8Array): Uint8Array | null {
  if (pat.length === 1 && pat[0] === 35) return el;
  const star = pat.indexOf(42);
  if (star < 0) return null;
  let arrow = -1;
  for (let i = star + 1; i + 1 < pat.length; i++) {
    if (pat[i] === HASH_ARROW[0] && pat[i + 1] === HASH_ARROW[1]) {
      arrow = i;
      break;
    }
  }
  // "->" at the very end is part of the key name, not a field dereference
  if (arrow >= 0 && arrow + 2 >= pat.length) arrow = -1;
  const keyEnd = arrow >= 0 ? arrow : pat.length;
  const key = new Uint8Array(star + el.length + (keyEnd - star - 1));
  key.set(pat.subarray(0, star));
  key.set(el, star);
  key.set(pat.subarray(star + 1, keyEnd), star + el.length);
  const e = lookupReadKey(c, key, 0, key.length);
  if (e === 0) return null;
  const m = c.server.heap;
  const type = objType(m, e);
  if (arrow >= 0) {
    if (type !== OBJ_HASH) return null;
    const v = hashGetField(
      m,
      objEncoding(m, e),
      objAux(m, e),
      pat,
      arrow + 2,
      pat.length - arrow - 2,
    );
    return v === null ? null : v.buf.slice(v.off, v.off + v.len);
  }
  if (type !== OBJ_STRING) return null;
  const o = strOff(m, e);
  return m.u8[e >>> OFF_BITS].slice(o, o + strLen(m, e));
}

/** strtod as SORT uses it: leading spaces allowed, the whole (C) string must parse, no NaN. */
function sortScore(b: Uint8Array): number {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  let i = 0;
  while (i < end && (b[i] === 32 || (b[i] >= 9 && b[i] <= 13))) i++;
  if (end === 0) return 0; // strtod of "" converts nothing and stops at the terminator
  if (i === end) return NaN;
  return parseDoubleStr(toLatin1(b, i, end - i));
}

/** Elements of the value to sort, in its native order. */
function loadElements(c: Client, e: number): SortItem[] {
  const m = c.server.heap;
  const out: SortItem[] = [];
  if (e === 0) return out;
  const type = objType(m, e);
  const h = objAux(m, e);
  if (type === OBJ_LIST) {
    listForEach(m, h, (el) => {
      const intVal = el.isInt && el.exact ? el.int : NaN;
      if (el.isInt) lpElBytes(el);
      out.push({ el: el.buf.slice(el.off, el.off + el.len), intVal, score: 0, cmp: null });
    });
  } else if (type === OBJ_SET) {
    const it = new SetIter();
    it.init(objEncoding(m, e), h);
    while (it.next(m)) {
      const intVal = it.isInt && it.big === null ? it.num : NaN;
      if (it.isInt) setMemberBytes(it);
      out.push({ el: it.buf.slice(it.off, it.off + it.len), intVal, score: 0, cmp: null });
    }
  } else {
    zsetForEach(m, objEncoding(m, e), h, (buf, off, len) => {
      out.push({ el: buf.slice(off, off + len), intVal: NaN, score: 0, cmp: null });
    });
  }
  return out;
}

// ---- SORT command ----

// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
//   [STORE destination]
function sortGeneric(c: Client, argv: Argv, readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: Uint8Array | null = null;
  let storeIdx = 0;
  const gets: Uint8Array[] = [];
  for (let j = 2; j < argv.argc; j++) {
    const left = argv.argc - j - 1;
    if (argIs(argv, j, "asc")) desc = false;
    else if (argIs(argv, j, "desc")) desc = true;
    else if (argIs(argv, j, "alpha")) alpha = true;
    else if (argIs(argv, j, "limit") && left >= 2) {
      const a = parseLL(argv.buf, argv.off[j + 1], argv.len[j + 1]);
      if (Number.isNaN(a)) {
        c.error("ERR value is not an integer or out of range");
        return;
      }
      const b = parseLL(argv.buf, argv.off[j + 2], argv.len[j + 2]);
      if (Number.isNaN(b)) {
        c.error("ERR value is not an integer or out of range");
        return;
      }
      limitStart = a;
      limitCount = b;
      j += 2;
    } else if (!readonly && argIs(argv, j, "store") && left >= 1) {
      storeIdx = ++j;
    } else if (argIs(argv, j, "by") && left >= 1) {
      sortby = argv.copy(j + 1);
      if (sortby.indexOf(42) < 0) dontsort = true;
      j++;
    } else if (argIs(argv, j, "get") && left >= 1) {
      gets.push(argv.copy(j + 1));
      j++;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  const s = c.server;
  const m = s.heap;
  const db = c.db;
  let e = lookupRead(c, argv, 1);
  if (e !== 0) {
    const t = objType(m, e);
    if (t !== OBJ_SET && t !== OBJ_LIST && t !== OBJ_ZSET) {
      c.error(WRONGTYPE);
      return;
    }
    // Redis converts a listpack sorted set to a skiplist for SORT, and it stays converted.
    if (t === OBJ_ZSET) {
      const zo = zoLoad(m, e, { enc: 0, h: 0 });
      zsetConvert(m, zo, ZSET_SKIPLIST);
      zoStore(m, e, zo);
    }
  }
  const type = e === 0 ? OBJ_LIST : objType(m, e);
  // A set sorted with no order still gets sorted when stored, so replicas agree.
  if (dontsort && type === OBJ_SET && (storeIdx !== 0 || s.inScript)) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  let items = loadElements(c, e);
  e = 0; // pattern lookups below may touch the keyspace
  const vectorlen = items.length;
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  const count = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  let convError = false;
  if (dontsort) {
    // Lists and sorted sets keep their order (reversed with DESC); sets their iteration order.
    if (type === OBJ_LIST || type === OBJ_ZSET) {
      if (desc) items.reverse();
      items = end >= start ? items.slice(start, end + 1) : [];
      end -= start;
      start = 0;
    }
  } else {
    for (const it of items) {
      let byval: Uint8Array | null;
      if (sortby) {
        byval = lookupByPattern(c, sortby, it.el);
        if (byval === null) continue;
      } else {
        byval = it.el;
      }
      if (alpha) {
        if (sortby) it.cmp = byval;
      } else if (!sortby && !Number.isNaN(it.intVal)) {
        it.score = it.intVal;
      } else {
        const v = sortScore(byval);
        if (Number.isNaN(v)) convError = true;
        else it.score = v;
      }
    }
    const byPattern = sortby !== null;
    items.sort((a, b) => {
      let cmp: number;
      if (!alpha) {
        cmp = a.score > b.score
          ? 1
          : a.score < b.score
          ? -1
          : bytesCompare(a.el, 0, a.el.length, b.el, 0, b.el.length);
      } else if (byPattern) {
        if (a.cmp === null || b.cmp === null) cmp = a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1;
        else cmp = _collate(a.cmp, b.cmp);
      } else {
        cmp = _collate(a.el, b.el);
      }
      return desc ? -cmp : cmp;
    });
  }
  const n = end - start + 1;
  const outputlen = gets.length ? gets.length * n : n;
  if (convError) {
    c.error("ERR One or more scores can't be converted into double");
    return;
  }
  if (storeIdx === 0) {
    const r = c.reply;
    r.arrayLen(outputlen);
    for (let j = start; j <= end; j++) {
      if (gets.length === 0) r.bulk(items[j].el);
      for (const g of gets) {
        const v = lookupByPattern(c, g, items[j].el);
        if (v === null) r.nullBulk();
        else r.bulk(v);
      }
    }
    return;
  }
  const kb = argv.buf;
  const ko = argv.off[storeIdx];
  const kl = argv.len[storeIdx];
  if (outputlen > 0) {
    const ql = listCreate(s);
    const EMPTY_V = new Uint8Array(0);
    for (let j = start; j <= end; j++) {
      if (gets.length === 0) listPush(m, ql, LIST_TAIL, items[j].el, 0, items[j].el.length);
      for (const g of gets) {
        const v = lookupByPattern(c, g, items[j].el) ?? EMPTY_V;
        listPush(m, ql, LIST_TAIL, v, 0, v.length);
      }
    }
    db.setValue(kb, ko, kl, OBJ_LIST, OBJ_ENCODING_QUICKLIST, ql, false);
    keyModified(c, kb, ko, kl, NOTIFY_LIST, "sortstore", outputlen);
  } else if (db.delete(kb, ko, kl, db.store.lazyServerDel)) {
    keyModified(c, kb, ko, kl, NOTIFY_GENERIC, "del", 1);
  }
  c.reply.int(outputlen);
}

/** strcoll in the C locale: bytes up to the first NUL. */
function _collate(a: Uint8Array, b: Uint8Array): number {
  let al = a.indexOf(0);
  if (al < 0) al = a.length;
  let bl = b.indexOf(0);
  if (bl < 0) bl = b.length;
  return bytesCompare(a, 0, al, b, 0, bl);
}

// SORT key ...
function sortCommand(c: Client, argv: Argv): void {
  sortGeneric(c, argv, false);
}

// SORT_RO key ...
function sortRoCommand(c: Client, argv: Argv): void {
  sortGeneric(c, argv, true);
}

/** Keys of SORT: the sorted key and a STORE destination (sortGetKeys: the last STORE wins). */
function sortGetKeys(argv: Argv): number[] {
  const keys = [1];
  let store = 0;
  for (let i = 2; i < argv.argc; i++) {
    if (argIs(argv, i, "limit")) i += 2;
    else if (argIs(argv, i, "get") || argIs(argv, i, "by")) i++;
    // The word after STORE is looked at as an option too, as sortGetKeys does.
    else if (argIs(argv, i, "store") && i + 1 < argv.argc) store = i + 1;
  }
  if (store) keys.push(store);
  return keys;
}

export const sortCommands = defineCommands("generic", [
  {
    name: "sort",
    arity: -2,
    flags: WRITE | DENYOOM,
    handler: sortCommand,
    getKeys: sortGetKeys,
    keySpecs: [
      { flags: ["RO", "access"], bs: { index: 1 }, fk: { lastkey: 0, keystep: 1, limit: 0 } },
      {
        flags: ["RO", "access"],
        notes: "Keys read through BY and GET patterns; their names come from the sorted values",
        bs: "unknown",
        fk: "unknown",
      },
      {
        flags: ["OW", "update"],
        notes: "The STORE destination, which may appear anywhere among the arguments",
        bs: "unknown",
        fk: "unknown",
      },
    ],
    summary: "Sorts the elements of a list, set or sorted set, optionally storing the result",
    since: "1.0.0",
    complexity:
      "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
    syntax:
      "key [BY pattern:pattern] [LIMIT offset:integer count:integer] [GET pattern:pattern ...] [ASC|DESC] [ALPHA] [STORE destination:key]",
    acl: ["set", "sortedset", "list", "dangerous"],
  },
  {
    name: "sort_ro",
    arity: -2,
    flags: READONLY,
    handler: sortRoCommand,
    keys: { first: 1, last: 1, step: 1 },
    // the BY/GET spec is unknown; the sorted key is the only one COMMAND GETKEYS reports
    getKeys: () => [1],
    keySpecs: [
      { flags: ["RO", "access"], bs: { index: 1 }, fk: { lastkey: 0, keystep: 1, limit: 0 } },
      {
        flags: ["RO", "access"],
        notes: "Keys read through BY and GET patterns; their names come from the sorted values",
        bs: "unknown",
        fk: "unknown",
      },
    ],
    summary: "Sorts the elements of a list, set or sorted set (read-only variant)",
    since: "7.0.0",
    complexity:
      "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
    syntax:
      "key [BY pattern:pattern] [LIMIT offset:integer count:integer] [GET pattern:pattern ...] [ASC|DESC] [ALPHA]",
    acl: ["set", "sortedset", "list", "dangerous"],
  },
]);
