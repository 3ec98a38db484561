// The generic keyspace family: commands that work on keys whatever their type (DEL, EXISTS,
// TYPE, KEYS, SCAN, RANDOMKEY, RENAME, COPY, MOVE, TOUCH, OBJECT) and the expire commands
// (EXPIRE*, TTL*, PERSIST). Keyspace API first, then the commands, then the table.

import { NOTIFY_GENERIC, NOTIFY_KEY_MISS } from "../config.ts";
import { OFF_BITS } from "../memory/arena.ts";
import { bytesEqual, LLONG_MAX, LLONG_MIN, parseLL, parseLLBig } from "../protocol/bytes.ts";
import {
  INVALID_DB,
  invalidExpireError,
  NO_SUCH_KEY,
  SAME_OBJECT,
  sanitizeForError,
  SYNTAX,
} from "../protocol/errors.ts";
import { globMatch } from "../protocol/glob.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Client } from "../server/client.ts";
import {
  defineCommands,
  DENYOOM,
  FAST,
  type KeySpecDef,
  LOADING,
  READONLY,
  STALE,
  WRITE,
} from "../server/command.ts";
import { type Db, LOOKUP_NOSTATS, LOOKUP_NOTOUCH } from "../store/db.ts";
import {
  ENCODING_NAMES,
  newEntry,
  OBJ_ENCODING_INT,
  OBJ_STRING,
  objAux,
  objEncoding,
  objKeyLen,
  objKeyOff,
  objLru,
  objType,
  rekeyEntry,
  setObjAux,
  setObjExpire,
  strLen,
  strOff,
  TYPE_NAMES,
} from "../store/object.ts";
import { valueOps } from "../store/values.ts";
import {
  argIs,
  argLong,
  argRangeLong,
  keyModified,
  lookupRead,
  lookupWrite,
  parseScanCursor,
  parseScanOptions,
  scanDict,
  scanned,
} from "./common.ts";

// ---- Keyspace API ----

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
/** Refcount Redis reports for shared objects (OBJ_SHARED_REFCOUNT). */
const SHARED_REFCOUNT = 2147483647;
/** Integers 0..9999 are shared objects in Redis (OBJ_SHARED_INTEGERS). */
const SHARED_INTEGERS = 10000;

/** Type name as TYPE reports it ("none" for a missing key). */
export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? "unknown";
}

/** getIntFromObjectOrReply: argument i as a C int, NaN after replying Redis's error. */
function _argCInt(c: Client, argv: Argv, i: number): number {
  return argRangeLong(c, argv, i, INT_MIN, INT_MAX);
}

/** lookupKeyReadWithFlags(LOOKUP_NOTOUCH): no LRU update, but hit/miss stats and keymiss. */
function _lookupNoTouch(c: Client, argv: Argv, i: number): number {
  const e = c.db.lookup(argv.buf, argv.off[i], argv.len[i], LOOKUP_NOTOUCH);
  if (e === 0 && c.server.notifyFlags & NOTIFY_KEY_MISS) c.server.keyMiss(argv.bytes(i), c.db.id);
  return e;
}

/**
 * Copy entry `src` (any type, in any db) to a new, unlinked entry named `key`: strings are
 * copied inline keeping their encoding, other values through their type's dup. The copy gets
 * a fresh LRU/LFU field and the given expire (-1 for none). Add it with Db.addEntry.
 */
export function dupEntry(
  db: Db,
  src: number,
  key: Uint8Array,
  koff: number,
  klen: number,
  expire: number,
): number {
  const st = db.store;
  const m = st.m;
  const type = objType(m, src);
  const enc = objEncoding(m, src);
  const withExp = expire !== -1;
  let e: number;
  if (type === OBJ_STRING) {
    e = newEntry(
      m,
      type,
      enc,
      st.newLru(),
      key,
      koff,
      klen,
      m.u8[src >>> OFF_BITS],
      strOff(m, src),
      strLen(m, src),
      withExp,
    );
  } else {
    const v = valueOps(type).dup(m, objAux(m, src), enc);
    e = newEntry(m, type, enc, st.newLru(), key, koff, klen, null, 0, 0, withExp);
    setObjAux(m, e, v);
  }
  if (withExp) setObjExpire(m, e, expire);
  return e;
}

/**
 * REFCOUNT as Redis would report it. Integer strings 0..9999 are shared objects in Redis unless
 * maxmemory is set with an LRU/LFU policy (the LRU field must then be per key).
 */
export function objectRefcount(c: Client, e: number): number {
  const m = c.server.heap;
  if (objType(m, e) !== OBJ_STRING || objEncoding(m, e) !== OBJ_ENCODING_INT) return 1;
  const policy = c.server.evictPolicy;
  const noShared = c.server.maxmemory > 0 && (policy.endsWith("lru") || policy.endsWith("lfu"));
  if (noShared) return 1;
  const v = parseLL(m.u8[e >>> OFF_BITS], strOff(m, e), strLen(m, e));
  return v >= 0 && v < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
}

// ---- Key commands ----

/** DEL and UNLINK: delete each key (expired ones count as missing), reply the count. */
function delGeneric(c: Client, argv: Argv, lazy: boolean): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.argc; j++) {
    const o = argv.off[j];
    const l = argv.len[j];
    // expireIfNeeded first: an expired key is removed (and reported) as expired, not deleted.
    db.lookup(argv.buf, o, l, LOOKUP_NOTOUCH | LOOKUP_NOSTATS);
    if (db.delete(argv.buf, o, l, lazy)) {
      keyModified(c, argv.buf, o, l, NOTIFY_GENERIC, "del", 1);
      n++;
    }
  }
  c.reply.int(n);
}

// DEL key [key ...]
function delCommand(c: Client, argv: Argv): void {
  delGeneric(c, argv, c.server.lazyUserDel);
}

// UNLINK key [key ...]
function unlinkCommand(c: Client, argv: Argv): void {
  delGeneric(c, argv, true);
}

// EXISTS key [key ...]
function existsCommand(c: Client, argv: Argv): void {
  let n = 0;
  for (let j = 1; j < argv.argc; j++) if (_lookupNoTouch(c, argv, j) !== 0) n++;
  c.reply.int(n);
}

// TYPE key
function typeCommand(c: Client, argv: Argv): void {
  const e = _lookupNoTouch(c, argv, 1);
  c.reply.simple(e === 0 ? "none" : typeName(objType(c.server.heap, e)));
}

// TOUCH key [key ...]
function touchCommand(c: Client, argv: Argv): void {
  let n = 0;
  for (let j = 1; j < argv.argc; j++) if (lookupRead(c, argv, j) !== 0) n++;
  c.reply.int(n);
}

// KEYS pattern
function keysCommand(c: Client, argv: Argv): void {
  const m = c.server.heap;
  const db = c.db;
  const pb = argv.buf;
  const po = argv.off[1];
  const pl = argv.len[1];
  const all = pl === 1 && pb[po] === 42;
  const at = c.reply.deferLen();
  let n = 0;
  db.forEach((e) => {
    const u8 = m.u8[e >>> OFF_BITS];
    const ko = objKeyOff(m, e);
    const kl = objKeyLen(m, e);
    if (!all && !globMatch(pb, po, pl, u8, ko, kl)) return;
    // Expired keys are skipped but left for lazy/active expiry, as Redis 7.0 does.
    if (db.isExpired(e)) return;
    c.reply.bulk(u8, ko, kl);
    n++;
  });
  c.reply.setDeferredLen(at, n);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
function scanCommand(c: Client, argv: Argv): void {
  let cursor = parseScanCursor(argv.buf, argv.off[1], argv.len[1]);
  if (cursor < 0) {
    c.error("ERR invalid cursor");
    return;
  }
  const opts = parseScanOptions(c, argv, 2, true);
  if (opts === null) return;
  const { count, pat, typeArg } = opts;

  const s = c.server;
  const m = s.heap;
  const db = c.db;
  cursor = scanDict(m, db.dict, cursor, count, false);
  const batch = scanned;

  // Filter by pattern, then type, then expiry. Type lookups and expiry may delete the key at
  // hand (never another one), so the remaining handles stay valid.
  const kept: (number | Uint8Array)[] = [];
  for (let k = 0; k < batch.length; k++) {
    const e = batch[k];
    const u8 = m.u8[e >>> OFF_BITS];
    const ko = objKeyOff(m, e);
    const kl = objKeyLen(m, e);
    if (pat >= 0 && !globMatch(argv.buf, argv.off[pat], argv.len[pat], u8, ko, kl)) continue;
    if (typeArg >= 0) {
      const key = u8.slice(ko, ko + kl);
      const found = db.lookup(key, 0, kl, LOOKUP_NOTOUCH);
      if (found === 0) {
        if (s.notifyFlags & NOTIFY_KEY_MISS) s.keyMiss(key, db.id);
        // The key expired. Unless deletes are paused it is gone now, and as the type of a
        // missing key is "none", TYPE none still reports it (as Redis does).
        if (!argIs(argv, typeArg, "none")) continue;
        if (db.find(key, 0, kl) === 0) {
          kept.push(key);
          continue;
        }
      } else if (!argIs(argv, typeArg, typeName(objType(m, found)))) continue;
    }
    if (db.expireIfNeeded(e)) continue;
    kept.push(e);
  }
  batch.length = 0;

  const r = c.reply;
  r.arrayLen(2);
  r.bulkStr(String(cursor));
  r.arrayLen(kept.length);
  for (let k = 0; k < kept.length; k++) {
    const x = kept[k];
    if (typeof x === "number") r.bulk(m.u8[x >>> OFF_BITS], objKeyOff(m, x), objKeyLen(m, x));
    else r.bulk(x);
  }
}

// RANDOMKEY
function randomkeyCommand(c: Client): void {
  const e = c.db.randomKey();
  if (e === 0) {
    c.reply.nullBulk();
    return;
  }
  const m = c.server.heap;
  c.reply.bulk(m.u8[e >>> OFF_BITS], objKeyOff(m, e), objKeyLen(m, e));
}

/** RENAME and RENAMENX: the entry (value, TTL, LRU) moves to the new name. */
function renameGeneric(c: Client, argv: Argv, nx: boolean): void {
  const s = c.server;
  const db = c.db;
  const b = argv.buf;
  const o1 = argv.off[1];
  const l1 = argv.len[1];
  const o2 = argv.off[2];
  const l2 = argv.len[2];
  const same = bytesEqual(b, o1, l1, b, o2, l2);
  if (lookupWrite(c, argv, 1) === 0) {
    c.error(NO_SUCH_KEY);
    return;
  }
  if (same) {
    if (nx) c.reply.int(0);
    else c.reply.ok();
    return;
  }
  if (lookupWrite(c, argv, 2) !== 0) {
    if (nx) {
      c.reply.int(0);
      return;
    }
    db.delete(b, o2, l2, c.server.store.lazyServerDel);
  }
  const e = db.find(b, o1, l1);
  db.detach(e);
  db.addEntry(rekeyEntry(s.heap, e, b, o2, l2));
  s.signalModifiedKey(db, b, o1, l1);
  s.signalModifiedKey(db, b, o2, l2);
  if (s.notifyFlags !== 0) {
    s.notify(NOTIFY_GENERIC, "rename_from", argv.bytes(1), db.id);
    s.notify(NOTIFY_GENERIC, "rename_to", argv.bytes(2), db.id);
  }
  s.dirty++;
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

// RENAME key newkey
function renameCommand(c: Client, argv: Argv): void {
  renameGeneric(c, argv, false);
}

// RENAMENX key newkey
function renamenxCommand(c: Client, argv: Argv): void {
  renameGeneric(c, argv, true);
}

// MOVE key db
function moveCommand(c: Client, argv: Argv): void {
  const s = c.server;
  if (s.config.bool("cluster-enabled")) {
    c.error("ERR MOVE is not allowed in cluster mode");
    return;
  }
  const src = c.db;
  const id = _argCInt(c, argv, 2);
  if (id !== id) return;
  const dbs = s.store.dbs;
  if (id < 0 || id >= dbs.length) {
    c.error(INVALID_DB);
    return;
  }
  const dst = dbs[id];
  if (dst === src) {
    c.error(SAME_OBJECT);
    return;
  }
  const b = argv.buf;
  const o = argv.off[1];
  const l = argv.len[1];
  if (src.lookupWrite(b, o, l) === 0 || dst.lookupWrite(b, o, l) !== 0) {
    c.reply.int(0);
    return;
  }
  // The entry itself (value, TTL, LRU) changes db; nothing is copied.
  const e = src.find(b, o, l);
  src.detach(e);
  dst.addEntry(e);
  s.signalModifiedKey(src, b, o, l);
  s.signalModifiedKey(dst, b, o, l);
  if (s.notifyFlags !== 0) {
    s.notify(NOTIFY_GENERIC, "move_from", argv.bytes(1), src.id);
    s.notify(NOTIFY_GENERIC, "move_to", argv.bytes(1), dst.id);
  }
  s.dirty++;
  c.reply.int(1);
}

// COPY source destination [DB destination-db] [REPLACE]
function copyCommand(c: Client, argv: Argv): void {
  const s = c.server;
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.argc; j++) {
    const more = argv.argc - j - 1;
    if (argIs(argv, j, "replace")) {
      replace = true;
    } else if (argIs(argv, j, "db") && more >= 1) {
      const id = _argCInt(c, argv, j + 1);
      if (id !== id) return;
      if (id < 0 || id >= s.store.dbs.length) {
        c.error(INVALID_DB);
        return;
      }
      dst = s.store.dbs[id];
      j++;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (s.config.bool("cluster-enabled") && (src.id !== 0 || dst.id !== 0)) {
    c.error("ERR Copying to another database is not allowed in cluster mode");
    return;
  }
  const b = argv.buf;
  const o1 = argv.off[1];
  const l1 = argv.len[1];
  const o2 = argv.off[2];
  const l2 = argv.len[2];
  if (src === dst && bytesEqual(b, o1, l1, b, o2, l2)) {
    c.error(SAME_OBJECT);
    return;
  }
  if (lookupRead(c, argv, 1) === 0) {
    c.reply.int(0);
    return;
  }
  let overwrite = false;
  if (dst.lookupWrite(b, o2, l2) !== 0) {
    if (!replace) {
      c.reply.int(0);
      return;
    }
    overwrite = true;
  }
  const e = src.find(b, o1, l1);
  const copy = dupEntry(dst, e, b, o2, l2, src.getExpire(e));
  if (overwrite) dst.delete(b, o2, l2, c.server.store.lazyServerDel);
  dst.addEntry(copy);
  s.signalModifiedKey(dst, b, o2, l2);
  if (s.notifyFlags !== 0) s.notify(NOTIFY_GENERIC, "copy_to", argv.bytes(2), dst.id);
  s.dirty++;
  c.reply.int(1);
}

// ---- OBJECT ----

/** objectCommandLookup: no LRU update and no keymiss event, but hit/miss stats. */
function _objectLookup(c: Client, argv: Argv): number {
  const e = c.db.lookup(argv.buf, argv.off[2], argv.len[2], LOOKUP_NOTOUCH);
  if (e === 0) c.reply.nullBulk();
  return e;
}

// OBJECT ENCODING key
function objectEncoding(c: Client, argv: Argv): void {
  const e = _objectLookup(c, argv);
  if (e === 0) return;
  c.reply.bulkStr(ENCODING_NAMES[objEncoding(c.server.heap, e)] ?? "unknown");
}

// OBJECT REFCOUNT key
function objectRefcountCommand(c: Client, argv: Argv): void {
  const e = _objectLookup(c, argv);
  if (e === 0) return;
  c.reply.int(objectRefcount(c, e));
}

// OBJECT IDLETIME key
function objectIdletime(c: Client, argv: Argv): void {
  const e = _objectLookup(c, argv);
  if (e === 0) return;
  const st = c.server.store;
  if (st.lfu) {
    c.error(
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
    return;
  }
  c.reply.int(Math.floor(st.idleMs(objLru(c.server.heap, e)) / 1000));
}

// OBJECT FREQ key
function objectFreq(c: Client, argv: Argv): void {
  const e = _objectLookup(c, argv);
  if (e === 0) return;
  const st = c.server.store;
  if (!st.lfu) {
    c.error(
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
    return;
  }
  c.reply.int(st.lfuDecr(objLru(c.server.heap, e)));
}

const OBJECT_HELP = [
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

// OBJECT HELP
function objectHelp(c: Client, argv: Argv): void {
  const r = c.reply;
  r.arrayLen(OBJECT_HELP.length + 1);
  r.simple(`${argv.str(0).toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of OBJECT_HELP) r.simple(line);
}

// ---- Expire commands ----

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. `relative`: the argument is added to the current time;
 * `seconds`: it is in seconds. A time already in the past deletes the key.
 */
function expireGeneric(c: Client, argv: Argv, relative: boolean, seconds: boolean): void {
  let flags = 0;
  for (let j = 3; j < argv.argc; j++) {
    if (argIs(argv, j, "nx")) flags |= EXPIRE_NX;
    else if (argIs(argv, j, "xx")) flags |= EXPIRE_XX;
    else if (argIs(argv, j, "gt")) flags |= EXPIRE_GT;
    else if (argIs(argv, j, "lt")) flags |= EXPIRE_LT;
    else {
      // addReplyErrorFormat: trailing CR/LF are trimmed, inner ones become spaces.
      c.error(sanitizeForError(`ERR Unsupported option ${_cstr(argv, j)}`.replace(/[\r\n]+$/, "")));
      return;
    }
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    c.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return;
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    c.error("ERR GT and LT options at the same time are not compatible");
    return;
  }
  const n = argLong(c, argv, 2);
  if (n !== n) return;
  const now = Date.now();
  // Usual TTLs and unix times stay exact as doubles; only huge ones need int64 arithmetic.
  let when: number | bigint = Number.isSafeInteger(n)
    ? n * (seconds ? 1000 : 1) + (relative ? now : 0)
    : NaN;
  if (!Number.isSafeInteger(when)) {
    let big = parseLLBig(argv.buf, argv.off[2], argv.len[2])!;
    if (seconds) {
      // C division truncates toward zero, as BigInt division does.
      if (big > LLONG_MAX / 1000n || big < LLONG_MIN / 1000n) {
        c.error(invalidExpireError(c.cmd!.fullName));
        return;
      }
      big *= 1000n;
    }
    const base = relative ? BigInt(now) : 0n;
    if (big > LLONG_MAX - base) {
      c.error(invalidExpireError(c.cmd!.fullName));
      return;
    }
    when = big + base;
  }

  const db = c.db;
  let e = lookupWrite(c, argv, 1);
  if (e === 0) {
    c.reply.int(0);
    return;
  }
  if (flags !== 0) {
    const cur = db.getExpire(e);
    if (flags & EXPIRE_NX && cur !== -1) return c.reply.int(0);
    if (flags & EXPIRE_XX && cur === -1) return c.reply.int(0);
    // No TTL counts as an infinite one: GT never wins against it, LT always does.
    if (flags & EXPIRE_GT && (cur === -1 || _cmp(when, cur) <= 0)) return c.reply.int(0);
    if (flags & EXPIRE_LT && cur !== -1 && _cmp(when, cur) >= 0) return c.reply.int(0);
  }
  const s = c.server;
  const b = argv.buf;
  const o = argv.off[1];
  const l = argv.len[1];
  if (_cmp(when, now) <= 0 && !s.isReplica()) {
    db.deleteEntry(e, s.store.lazyExpire);
    keyModified(c, b, o, l, NOTIFY_GENERIC, "del", 1);
  } else {
    e = db.setExpire(e, Number(when));
    keyModified(c, b, o, l, NOTIFY_GENERIC, "expire", 1);
  }
  c.reply.int(1);
}

/** Compare an expire time (exact, a number or an int64) with a time held as a double. */
function _cmp(when: number | bigint, t: number): number {
  if (typeof when === "number") return when < t ? -1 : when > t ? 1 : 0;
  const tb = BigInt(t);
  return when < tb ? -1 : when > tb ? 1 : 0;
}

/** An argument as C would print it with %s: up to the first NUL byte. */
function _cstr(argv: Argv, i: number): string {
  const s = argv.str(i);
  const z = s.indexOf("\0");
  return z < 0 ? s : s.slice(0, z);
}

// EXPIRE key seconds [NX | XX | GT | LT]
function expireCommand(c: Client, argv: Argv): void {
  expireGeneric(c, argv, true, true);
}

// PEXPIRE key milliseconds [NX | XX | GT | LT]
function pexpireCommand(c: Client, argv: Argv): void {
  expireGeneric(c, argv, true, false);
}

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
function expireatCommand(c: Client, argv: Argv): void {
  expireGeneric(c, argv, false, true);
}

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
function pexpireatCommand(c: Client, argv: Argv): void {
  expireGeneric(c, argv, false, false);
}

/**
 * TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without a TTL; seconds are
 * rounded to the nearest one.
 */
function ttlGeneric(c: Client, argv: Argv, ms: boolean, absolute: boolean): void {
  const e = _lookupNoTouch(c, argv, 1);
  if (e === 0) {
    c.reply.int(-2);
    return;
  }
  const expire = c.db.getExpire(e);
  if (expire === -1) {
    c.reply.int(-1);
    return;
  }
  let ttl = absolute ? expire : expire - Date.now();
  if (ttl < 0) ttl = 0;
  if (!ms) ttl = Math.floor((ttl + 500) / 1000);
  if (Number.isSafeInteger(ttl)) c.reply.int(ttl);
  else {
    // Expire times past 2^53 ms are held as doubles: clamp what we print to a long long.
    const big = BigInt(ttl);
    c.reply.int(big > LLONG_MAX ? LLONG_MAX : big);
  }
}

// TTL key
function ttlCommand(c: Client, argv: Argv): void {
  ttlGeneric(c, argv, false, false);
}

// PTTL key
function pttlCommand(c: Client, argv: Argv): void {
  ttlGeneric(c, argv, true, false);
}

// EXPIRETIME key
function expiretimeCommand(c: Client, argv: Argv): void {
  ttlGeneric(c, argv, false, true);
}

// PEXPIRETIME key
function pexpiretimeCommand(c: Client, argv: Argv): void {
  ttlGeneric(c, argv, true, true);
}

// PERSIST key
function persistCommand(c: Client, argv: Argv): void {
  const db = c.db;
  const e = lookupWrite(c, argv, 1);
  if (e === 0 || db.getExpire(e) === -1) {
    c.reply.int(0);
    return;
  }
  db.persist(e);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_GENERIC, "persist", 1);
  c.reply.int(1);
}

// ---- Command table ----

const ONE_KEY = { first: 1, last: 1, step: 1 };
const ALL_KEYS = { first: 1, last: -1, step: 1 };
const OBJECT_KEY = { first: 2, last: 2, step: 1 };
const EXPIRE_CONDITION = "condition=[NX|XX|GT|LT]";

/** A key spec for the single key at argv[index]. */
function _keyAt(index: number, flags: string[]): KeySpecDef {
  return { flags, bs: { index }, fk: { lastkey: 0, keystep: 1, limit: 0 } };
}

export const keyspaceCommands = defineCommands("generic", [
  {
    name: "del",
    arity: -2,
    flags: WRITE,
    handler: delCommand,
    keys: ALL_KEYS,
    keyFlags: ["RM", "delete"],
    summary: "Deletes one or more keys",
    since: "1.0.0",
    complexity:
      "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
    syntax: "key ...",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  },
  {
    name: "unlink",
    arity: -2,
    flags: WRITE | FAST,
    handler: unlinkCommand,
    keys: ALL_KEYS,
    keyFlags: ["RM", "delete"],
    summary: "Deletes one or more keys, reclaiming the memory of big values in the background",
    since: "4.0.0",
    complexity:
      "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
    syntax: "key ...",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  },
  {
    name: "exists",
    arity: -2,
    flags: READONLY | FAST,
    handler: existsCommand,
    keys: ALL_KEYS,
    keyFlags: ["RO"],
    summary: "Counts how many of the given keys exist",
    since: "1.0.0",
    complexity: "O(N) where N is the number of keys to check.",
    syntax: "key ...",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  },
  {
    name: "type",
    arity: 2,
    flags: READONLY | FAST,
    handler: typeCommand,
    keys: ONE_KEY,
    keyFlags: ["RO"],
    summary: "Tells which type of value a key holds",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "keys",
    arity: 2,
    flags: READONLY,
    handler: keysCommand,
    summary: "Lists every key whose name matches a glob-style pattern",
    since: "1.0.0",
    complexity:
      "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
    syntax: "pattern:pattern",
    acl: ["dangerous"],
    tips: ["request_policy:all_shards", "nondeterministic_output_order"],
  },
  {
    name: "scan",
    arity: -2,
    flags: READONLY,
    handler: scanCommand,
    summary: "Walks the keyspace a few keys per call with a cursor",
    since: "2.8.0",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    syntax: "cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type]",
    tips: ["nondeterministic_output", "request_policy:special"],
  },
  {
    name: "randomkey",
    arity: 1,
    flags: READONLY,
    handler: randomkeyCommand,
    summary: "Returns the name of a key picked at random",
    since: "1.0.0",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "nondeterministic_output"],
  },
  {
    name: "rename",
    arity: 3,
    flags: WRITE,
    handler: renameCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [_keyAt(1, ["RW", "access", "delete"]), _keyAt(2, ["OW", "update"])],
    summary: "Gives a key a new name, replacing any key that had that name",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key newkey:key",
  },
  {
    name: "renamenx",
    arity: 3,
    flags: WRITE | FAST,
    handler: renamenxCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [_keyAt(1, ["RW", "access", "delete"]), _keyAt(2, ["OW", "insert"])],
    summary: "Gives a key a new name only if no key has that name yet",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key newkey:key",
  },
  {
    name: "copy",
    arity: -3,
    flags: WRITE | DENYOOM,
    handler: copyCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [_keyAt(1, ["RO", "access"]), _keyAt(2, ["OW", "update"])],
    summary: "Copies a key's value (and TTL) to another key, possibly in another database",
    since: "6.2.0",
    complexity:
      "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
    syntax: "source:key destination:key [DB destination-db:integer] [REPLACE]",
  },
  {
    name: "move",
    arity: 3,
    flags: WRITE | FAST,
    handler: moveCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "access", "update"],
    summary: "Moves a key to another database",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key db:integer",
  },
  {
    name: "touch",
    arity: -2,
    flags: READONLY | FAST,
    handler: touchCommand,
    keys: ALL_KEYS,
    keyFlags: ["RO"],
    summary: "Updates the last access time of keys and counts the ones that exist",
    since: "3.2.1",
    complexity: "O(N) where N is the number of keys that will be touched.",
    syntax: "key ...",
    tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  },
  {
    name: "object",
    arity: -2,
    flags: 0,
    summary: "A container for object introspection commands",
    since: "2.2.3",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "encoding",
        arity: 3,
        flags: READONLY,
        handler: objectEncoding,
        keys: OBJECT_KEY,
        keyFlags: ["RO"],
        summary: "Returns the internal representation of a key's value",
        since: "2.2.3",
        complexity: "O(1)",
        syntax: "key",
        tips: ["nondeterministic_output"],
      },
      {
        name: "freq",
        arity: 3,
        flags: READONLY,
        handler: objectFreq,
        keys: OBJECT_KEY,
        keyFlags: ["RO"],
        summary: "Returns the logarithmic access frequency counter of a key (LFU policies)",
        since: "4.0.0",
        complexity: "O(1)",
        syntax: "key",
        tips: ["nondeterministic_output"],
      },
      {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        handler: objectHelp,
        summary: "Returns helpful text about the different subcommands",
        since: "6.2.0",
        complexity: "O(1)",
        acl: ["keyspace"],
      },
      {
        name: "idletime",
        arity: 3,
        flags: READONLY,
        handler: objectIdletime,
        keys: OBJECT_KEY,
        keyFlags: ["RO"],
        summary: "Returns the seconds since a key was last accessed",
        since: "2.2.3",
        complexity: "O(1)",
        syntax: "key",
        tips: ["nondeterministic_output"],
      },
      {
        name: "refcount",
        arity: 3,
        flags: READONLY,
        handler: objectRefcountCommand,
        keys: OBJECT_KEY,
        keyFlags: ["RO"],
        summary: "Returns the reference count of a key's value",
        since: "2.2.3",
        complexity: "O(1)",
        syntax: "key",
        tips: ["nondeterministic_output"],
      },
    ],
  },
  {
    name: "expire",
    arity: -3,
    flags: WRITE | FAST,
    handler: expireCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    summary: "Sets a key's time to live in seconds",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: `key seconds:integer ${EXPIRE_CONDITION}`,
  },
  {
    name: "pexpire",
    arity: -3,
    flags: WRITE | FAST,
    handler: pexpireCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    summary: "Sets a key's time to live in milliseconds",
    since: "2.6.0",
    complexity: "O(1)",
    syntax: `key milliseconds:integer ${EXPIRE_CONDITION}`,
  },
  {
    name: "expireat",
    arity: -3,
    flags: WRITE | FAST,
    handler: expireatCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    summary: "Sets a key's expiration as a Unix time in seconds",
    since: "1.2.0",
    complexity: "O(1)",
    syntax: `key unix-time-seconds:unix-time ${EXPIRE_CONDITION}`,
  },
  {
    name: "pexpireat",
    arity: -3,
    flags: WRITE | FAST,
    handler: pexpireatCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    summary: "Sets a key's expiration as a Unix time in milliseconds",
    since: "2.6.0",
    complexity: "O(1)",
    syntax: `key unix-time-milliseconds:unix-time ${EXPIRE_CONDITION}`,
  },
  {
    name: "ttl",
    arity: 2,
    flags: READONLY | FAST,
    handler: ttlCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary: "Returns a key's remaining time to live in seconds",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key",
    tips: ["nondeterministic_output"],
  },
  {
    name: "pttl",
    arity: 2,
    flags: READONLY | FAST,
    handler: pttlCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary: "Returns a key's remaining time to live in milliseconds",
    since: "2.6.0",
    complexity: "O(1)",
    syntax: "key",
    tips: ["nondeterministic_output"],
  },
  {
    name: "expiretime",
    arity: 2,
    flags: READONLY | FAST,
    handler: expiretimeCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary: "Returns the Unix time in seconds at which a key expires",
    since: "7.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "pexpiretime",
    arity: 2,
    flags: READONLY | FAST,
    handler: pexpiretimeCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary: "Returns the Unix time in milliseconds at which a key expires",
    since: "7.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "persist",
    arity: 2,
    flags: WRITE | FAST,
    handler: persistCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    summary: "Removes a key's time to live, making it persistent",
    since: "2.2.0",
    complexity: "O(1)",
    syntax: "key",
  },
]);
