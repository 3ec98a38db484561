// Strings: values stored inline in the keyspace entry, encoded int/embstr/raw as Redis reports
// them. String API first, then the commands, then the table.

import {
  EMPTY,
  fromLatin1,
  LLONG_MAX,
  LLONG_MIN,
  parseLL,
  parseLLBig,
  writeInt,
  writeInt64,
} from "../protocol/bytes.ts";
import {
  arityError,
  invalidExpireError,
  NAN_OR_INF,
  NOT_FLOAT,
  NOT_INTEGER,
  OVERFLOW,
  STRING_TOO_LONG,
  SYNTAX,
} from "../protocol/errors.ts";
import { ldIncrHuman, ldZero, type LongDouble, parseLongDouble } from "../protocol/long_double.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import { CF_MASTER, type Client } from "../server/client.ts";
import { defineCommands, DENYOOM, FAST, READONLY, WRITE } from "../server/command.ts";
import { NOTIFY_GENERIC, NOTIFY_STRING } from "../config.ts";
import { OFF_BITS } from "../memory/arena.ts";
import type { Db } from "../store/db.ts";
import {
  EMBSTR_SIZE_LIMIT,
  OBJ_ENCODING_EMBSTR,
  OBJ_ENCODING_INT,
  OBJ_ENCODING_RAW,
  OBJ_STRING,
  objHasExpire,
  objType,
  setObjEncoding,
  strLen,
  strOff,
} from "../store/object.ts";
import {
  argIs,
  keyModified,
  lookupRead,
  lookupWrite,
  notifyArg,
  readTyped,
  SCRATCH,
  writeTyped,
} from "./common.ts";

// ---- String API ----

/**
 * Encoding Redis's tryObjectEncoding picks for a value: int when it is a canonical long of at
 * most 20 chars, embstr up to 44 bytes, raw beyond.
 */
export function stringEncoding(b: Uint8Array, off: number, len: number): number {
  if (len <= 20 && len > 0 && !Number.isNaN(parseLL(b, off, len))) return OBJ_ENCODING_INT;
  return len <= EMBSTR_SIZE_LIMIT ? OBJ_ENCODING_EMBSTR : OBJ_ENCODING_RAW;
}

/** Reply with a string entry's value as a bulk string. */
export function replyString(c: Client, e: number): void {
  const m = c.server.heap;
  c.reply.bulk(m.u8[e >>> OFF_BITS], strOff(m, e), strLen(m, e));
}

/**
 * Parse an expire argument (EX/PX/EXAT/PXAT value) into absolute unix ms, replying Redis's
 * error and returning null when invalid. `relative`: EX/PX (add the command time).
 */
export function parseExpireArg(
  c: Client,
  argv: Argv,
  i: number,
  seconds: boolean,
  relative: boolean,
): number | null {
  // Fast path: up to 12 digits stays far inside int64 even as ms plus the current time.
  if (argv.len[i] <= 12) {
    const v = parseLL(argv.buf, argv.off[i], argv.len[i]);
    if (Number.isNaN(v)) {
      c.error("ERR value is not an integer or out of range");
      return null;
    }
    if (v <= 0) {
      c.error(invalidExpireError(c.cmd!.fullName));
      return null;
    }
    const ms = seconds ? v * 1000 : v;
    return relative ? ms + c.server.store.now : ms;
  }
  const big = parseLLBig(argv.buf, argv.off[i], argv.len[i]);
  if (big === null) {
    c.error("ERR value is not an integer or out of range");
    return null;
  }
  let ms = big;
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) {
    c.error(invalidExpireError(c.cmd!.fullName));
    return null;
  }
  if (seconds) ms *= 1000n;
  if (relative) {
    ms += BigInt(c.server.store.now);
    if (ms > LLONG_MAX) {
      c.error(invalidExpireError(c.cmd!.fullName));
      return null;
    }
  }
  return Number(ms);
}

/** setKey + notifications for a plain string write. */
export function setStringKey(
  c: Client,
  db: Db,
  argv: Argv,
  ki: number,
  vi: number,
  keepTtl: boolean,
  expireAt: number,
): number {
  const vo = argv.off[vi];
  const vl = argv.len[vi];
  const enc = stringEncoding(argv.buf, vo, vl);
  const e = db.setString(
    argv.buf,
    argv.off[ki],
    argv.len[ki],
    argv.buf,
    vo,
    vl,
    enc,
    keepTtl,
    expireAt,
  );
  const s = c.server;
  s.signalModifiedKey(db, argv.buf, argv.off[ki], argv.len[ki]);
  s.dirty++;
  if (s.notifyFlags !== 0) {
    s.notify(NOTIFY_STRING, "set", argv.bytes(ki), db.id);
    if (expireAt >= 0) s.notify(NOTIFY_GENERIC, "expire", argv.bytes(ki), db.id);
  }
  return e;
}

/**
 * Replace the value of an existing string entry in place (growing it when needed), keeping
 * its TTL, and set its encoding. Returns the (possibly moved) entry.
 */
export function overwriteString(
  db: Db,
  e: number,
  src: Uint8Array,
  off: number,
  len: number,
  enc: number,
): number {
  const m = db.store.m;
  const ne = db.resizeString(e, len);
  const u8 = m.u8[ne >>> OFF_BITS];
  const o = strOff(m, ne);
  if (len <= 32) { for (let i = 0; i < len; i++) u8[o + i] = src[off + i]; }
  else u8.set(src.subarray(off, off + len), o);
  setObjEncoding(m, ne, enc);
  return ne;
}

/**
 * Redis's checkStringLength: false (after replying the proto-max-bulk-len error) when a string
 * of size + append bytes would exceed proto-max-bulk-len. The primary's stream is exempt.
 */
export function checkStringLength(c: Client, size: number, append: number): boolean {
  if (c.flags & CF_MASTER) return true;
  if (size + append > c.server.protoMaxBulkLen) {
    c.error(STRING_TOO_LONG);
    return false;
  }
  return true;
}

/**
 * The long double value of a string entry (0 for a missing key), or null when it is not a
 * valid float (getLongDoubleFromObject).
 */
export function entryLongDouble(c: Client, e: number): LongDouble | null {
  if (e === 0) return ldZero();
  const m = c.server.heap;
  return parseLongDouble(m.u8[e >>> OFF_BITS], strOff(m, e), strLen(m, e));
}

// ---- String commands ----

/**
 * getGenericCommand: reply the value of argv[1] (or nil); false after replying WRONGTYPE.
 * HOT PATH: no allocation.
 */
function _getGeneric(c: Client, argv: Argv): boolean {
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return e === 0;
  }
  replyString(c, e);
  return true;
}

// GET key
// HOT PATH: no allocation.
function getCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e > 0) replyString(c, e);
  else if (e === 0) c.reply.nullBulk();
}

const SET_NX = 1;
const SET_XX = 2;
const SET_GET = 4;
const SET_KEEPTTL = 8;
const SET_EX = 16;
const SET_PX = 32;
const SET_EXAT = 64;
const SET_PXAT = 128;
const SET_PERSIST = 256;
const SET_EXPIRE_ANY = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

/** SET's key flags depend on GET (setGetKeys): it reads the old value only then. */
function _setHasGet(argv: Argv): boolean {
  for (let j = 3; j < argv.argc; j++) if (argIs(argv, j, "get")) return true;
  return false;
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//   PXAT unix-time-milliseconds | KEEPTTL]
function setCommand(c: Client, argv: Argv): void {
  let flags = 0;
  let expIdx = 0;
  for (let j = 3; j < argv.argc; j++) {
    const hasNext = j < argv.argc - 1;
    if (argIs(argv, j, "nx") && !(flags & SET_XX)) flags |= SET_NX;
    else if (argIs(argv, j, "xx") && !(flags & SET_NX)) flags |= SET_XX;
    else if (argIs(argv, j, "get")) flags |= SET_GET;
    else if (argIs(argv, j, "keepttl") && !(flags & SET_EXPIRE_ANY)) flags |= SET_KEEPTTL;
    else if (
      argIs(argv, j, "ex") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_EX)) && hasNext
    ) {
      flags |= SET_EX;
      expIdx = ++j;
    } else if (
      argIs(argv, j, "px") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_PX)) && hasNext
    ) {
      flags |= SET_PX;
      expIdx = ++j;
    } else if (
      argIs(argv, j, "exat") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_EXAT)) && hasNext
    ) {
      flags |= SET_EXAT;
      expIdx = ++j;
    } else if (
      argIs(argv, j, "pxat") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_PXAT)) && hasNext
    ) {
      flags |= SET_PXAT;
      expIdx = ++j;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  let expireAt = -1;
  if (expIdx !== 0) {
    const ms = parseExpireArg(
      c,
      argv,
      expIdx,
      (flags & (SET_EX | SET_EXAT)) !== 0,
      (flags & (SET_EX | SET_PX)) !== 0,
    );
    if (ms === null) return;
    expireAt = ms;
  }
  const db = c.db;
  if (flags & SET_GET && !_getGeneric(c, argv)) return;
  if (flags & (SET_NX | SET_XX)) {
    const found = lookupWrite(c, argv, 1) !== 0;
    if ((flags & SET_NX && found) || (flags & SET_XX && !found)) {
      if (!(flags & SET_GET)) c.reply.nullBulk();
      return;
    }
  }
  setStringKey(c, db, argv, 1, 2, (flags & SET_KEEPTTL) !== 0, expireAt);
  if (!(flags & SET_GET)) c.reply.ok();
}

// SETNX key value
function setnxCommand(c: Client, argv: Argv): void {
  if (lookupWrite(c, argv, 1) !== 0) {
    c.reply.int(0);
    return;
  }
  setStringKey(c, c.db, argv, 1, 2, false, -1);
  c.reply.int(1);
}

/** SETEX / PSETEX: the expire argument is validated before anything else. */
function _setexGeneric(c: Client, argv: Argv, seconds: boolean): void {
  const ms = parseExpireArg(c, argv, 2, seconds, true);
  if (ms === null) return;
  setStringKey(c, c.db, argv, 1, 3, false, ms);
  c.reply.ok();
}

// SETEX key seconds value
function setexCommand(c: Client, argv: Argv): void {
  _setexGeneric(c, argv, true);
}

// PSETEX key milliseconds value
function psetexCommand(c: Client, argv: Argv): void {
  _setexGeneric(c, argv, false);
}

// GETSET key value
function getsetCommand(c: Client, argv: Argv): void {
  if (!_getGeneric(c, argv)) return;
  setStringKey(c, c.db, argv, 1, 2, false, -1);
}

// GETDEL key
function getdelCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  replyString(c, e);
  c.db.deleteEntry(e, c.server.lazyUserDel);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_GENERIC, "del", 1);
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//   PXAT unix-time-milliseconds | PERSIST]
function getexCommand(c: Client, argv: Argv): void {
  let flags = 0;
  let expIdx = 0;
  for (let j = 2; j < argv.argc; j++) {
    const hasNext = j < argv.argc - 1;
    const taken = flags & (SET_PERSIST | SET_EXPIRE_ANY);
    if (argIs(argv, j, "persist") && !(taken & SET_EXPIRE_ANY)) flags |= SET_PERSIST;
    else if (argIs(argv, j, "ex") && !(taken & ~SET_EX) && hasNext) {
      flags |= SET_EX;
      expIdx = ++j;
    } else if (argIs(argv, j, "px") && !(taken & ~SET_PX) && hasNext) {
      flags |= SET_PX;
      expIdx = ++j;
    } else if (argIs(argv, j, "exat") && !(taken & ~SET_EXAT) && hasNext) {
      flags |= SET_EXAT;
      expIdx = ++j;
    } else if (argIs(argv, j, "pxat") && !(taken & ~SET_PXAT) && hasNext) {
      flags |= SET_PXAT;
      expIdx = ++j;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  let e = readTyped(c, argv, 1, OBJ_STRING);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  let when = -1;
  if (expIdx !== 0) {
    const ms = parseExpireArg(
      c,
      argv,
      expIdx,
      (flags & (SET_EX | SET_EXAT)) !== 0,
      (flags & (SET_EX | SET_PX)) !== 0,
    );
    if (ms === null) return;
    when = ms;
  }
  replyString(c, e);
  const s = c.server;
  const db = c.db;
  let event: string;
  if ((flags & (SET_EXAT | SET_PXAT)) && when <= s.store.now && !s.isReplica()) {
    // An absolute time already in the past deletes the key, as EXPIREAT would.
    db.deleteEntry(e, s.store.lazyExpire);
    event = "del";
  } else if (when >= 0) {
    e = db.setExpire(e, when);
    event = "expire";
  } else if (flags & SET_PERSIST && objHasExpire(s.heap, e)) {
    e = db.persist(e);
    event = "persist";
  } else {
    return;
  }
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_GENERIC, event, 1);
}

// MGET key [key ...]
// HOT PATH: no allocation unless keymiss notifications are on.
function mgetCommand(c: Client, argv: Argv): void {
  const m = c.server.heap;
  const r = c.reply;
  const n = argv.argc;
  r.arrayLen(n - 1);
  for (let j = 1; j < n; j++) {
    const e = lookupRead(c, argv, j);
    if (e === 0 || objType(m, e) !== OBJ_STRING) r.nullBulk();
    else r.bulk(m.u8[e >>> OFF_BITS], strOff(m, e), strLen(m, e));
  }
}

/** MSET / MSETNX. HOT PATH for MSET: no allocation unless notifications are on. */
function _msetGeneric(c: Client, argv: Argv, nx: boolean): void {
  const n = argv.argc;
  if ((n & 1) === 0) {
    c.error(arityError(c.cmd!.fullName));
    return;
  }
  const db = c.db;
  if (nx) {
    for (let j = 1; j < n; j += 2) {
      if (db.lookupWrite(argv.buf, argv.off[j], argv.len[j]) !== 0) {
        c.reply.int(0);
        return;
      }
    }
  }
  const s = c.server;
  const b = argv.buf;
  for (let j = 1; j < n; j += 2) {
    const vo = argv.off[j + 1];
    const vl = argv.len[j + 1];
    db.setString(b, argv.off[j], argv.len[j], b, vo, vl, stringEncoding(b, vo, vl), false, -1);
    s.signalModifiedKey(db, b, argv.off[j], argv.len[j]);
    notifyArg(c, NOTIFY_STRING, "set", argv, j);
  }
  s.dirty += (n - 1) >>> 1;
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

// MSET key value [key value ...]
function msetCommand(c: Client, argv: Argv): void {
  _msetGeneric(c, argv, false);
}

// MSETNX key value [key value ...]
function msetnxCommand(c: Client, argv: Argv): void {
  _msetGeneric(c, argv, true);
}

/**
 * INCR/DECR/INCRBY/DECRBY: add `incr` (exact bigint in `bigIncr` when beyond 2^53) to the
 * int64 held at argv[1]. Numbers are used while everything stays within 2^53, BigInt beyond.
 * The TTL is kept; the result is int-encoded. HOT PATH: no allocation on the number path.
 */
function _incrDecr(c: Client, argv: Argv, incr: number, bigIncr: bigint | null): void {
  const db = c.db;
  const s = c.server;
  const m = s.heap;
  const e = writeTyped(c, argv, 1, OBJ_STRING);
  if (e < 0) return;
  let old = 0;
  if (e !== 0) {
    old = parseLL(m.u8[e >>> OFF_BITS], strOff(m, e), strLen(m, e));
    if (old !== old) {
      c.error(NOT_INTEGER);
      return;
    }
  }
  let res = old + incr;
  let big: bigint | null = null;
  if (bigIncr !== null || !Number.isSafeInteger(old) || !Number.isSafeInteger(res)) {
    const o = e === 0 ? 0n : parseLLBig(m.u8[e >>> OFF_BITS], strOff(m, e), strLen(m, e))!;
    const inc = bigIncr ?? BigInt(incr);
    if (
      (inc < 0n && o < 0n && inc < LLONG_MIN - o) || (inc > 0n && o > 0n && inc > LLONG_MAX - o)
    ) {
      c.error(OVERFLOW);
      return;
    }
    big = o + inc;
    res = Number(big);
    if (Number.isSafeInteger(res)) big = null;
  }
  if (big === null) {
    // Digits once into scratch, then into the entry and the reply. HOT PATH: no allocation.
    const end = writeInt(SCRATCH, 0, res);
    if (e === 0) {
      db.setString(
        argv.buf,
        argv.off[1],
        argv.len[1],
        SCRATCH,
        0,
        end,
        OBJ_ENCODING_INT,
        false,
        -1,
      );
    } else {
      const ne = end === strLen(m, e) ? e : db.resizeString(e, end);
      const u8 = m.u8[ne >>> OFF_BITS];
      const o = strOff(m, ne);
      for (let i = 0; i < end; i++) u8[o + i] = SCRATCH[i];
      setObjEncoding(m, ne, OBJ_ENCODING_INT);
    }
    keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_STRING, "incrby", 1);
    c.reply.intDigits(SCRATCH, end);
    return;
  }
  // Beyond 2^53: exact through bigint.
  const len = writeInt64(SCRATCH, 0, big);
  if (e === 0) {
    db.setString(argv.buf, argv.off[1], argv.len[1], SCRATCH, 0, len, OBJ_ENCODING_INT, false, -1);
  } else overwriteString(db, e, SCRATCH, 0, len, OBJ_ENCODING_INT);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_STRING, "incrby", 1);
  c.reply.intDigits(SCRATCH, len);
}

// INCR key
function incrCommand(c: Client, argv: Argv): void {
  _incrDecr(c, argv, 1, null);
}

// DECR key
function decrCommand(c: Client, argv: Argv): void {
  _incrDecr(c, argv, -1, null);
}

/**
 * INCRBY/DECRBY: parse the increment (exactly, as a bigint, only beyond 2^53) and apply it.
 * DECRBY refuses LLONG_MIN, whose negation overflows.
 */
function _incrBy(c: Client, argv: Argv, negate: boolean): void {
  const v = parseLL(argv.buf, argv.off[2], argv.len[2]);
  if (v !== v) {
    c.error(NOT_INTEGER);
    return;
  }
  if (Number.isSafeInteger(v)) {
    _incrDecr(c, argv, negate ? -v : v, null);
    return;
  }
  let big = parseLLBig(argv.buf, argv.off[2], argv.len[2])!;
  if (negate) {
    if (big === LLONG_MIN) {
      c.error("ERR decrement would overflow");
      return;
    }
    big = -big;
  }
  _incrDecr(c, argv, Number(big), big);
}

// INCRBY key increment
function incrbyCommand(c: Client, argv: Argv): void {
  _incrBy(c, argv, false);
}

// DECRBY key decrement
function decrbyCommand(c: Client, argv: Argv): void {
  _incrBy(c, argv, true);
}

// INCRBYFLOAT key increment
function incrbyfloatCommand(c: Client, argv: Argv): void {
  const db = c.db;
  const e = writeTyped(c, argv, 1, OBJ_STRING);
  if (e < 0) return;
  const value = entryLongDouble(c, e);
  if (value === null) {
    c.error(NOT_FLOAT);
    return;
  }
  const incr = parseLongDouble(argv.buf, argv.off[2], argv.len[2]);
  if (incr === null) {
    c.error(NOT_FLOAT);
    return;
  }
  const text = ldIncrHuman(value, incr);
  if (text === null) {
    c.error(NAN_OR_INF);
    return;
  }
  const bytes = fromLatin1(text);
  const len = bytes.length;
  const enc = len <= EMBSTR_SIZE_LIMIT ? OBJ_ENCODING_EMBSTR : OBJ_ENCODING_RAW;
  if (e === 0) db.setString(argv.buf, argv.off[1], argv.len[1], bytes, 0, len, enc, false, -1);
  else overwriteString(db, e, bytes, 0, len, enc);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_STRING, "incrbyfloat", 1);
  c.reply.bulk(bytes, 0, len);
}

// APPEND key value
function appendCommand(c: Client, argv: Argv): void {
  const db = c.db;
  const e = writeTyped(c, argv, 1, OBJ_STRING);
  if (e < 0) return;
  const vo = argv.off[2];
  const vl = argv.len[2];
  let total: number;
  if (e === 0) {
    setStringKeyQuiet(db, argv, 1, 2);
    total = vl;
  } else {
    const m = c.server.heap;
    const olen = strLen(m, e);
    if (!checkStringLength(c, olen, vl)) return;
    total = olen + vl;
    const ne = db.resizeString(e, total);
    const o = strOff(m, ne) + olen;
    const u8 = m.u8[ne >>> OFF_BITS];
    if (vl <= 32) { for (let i = 0; i < vl; i++) u8[o + i] = argv.buf[vo + i]; }
    else u8.set(argv.buf.subarray(vo, vo + vl), o);
    setObjEncoding(m, ne, OBJ_ENCODING_RAW);
  }
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_STRING, "append", 1);
  c.reply.int(total);
}

/** dbAdd of argv[vi] under argv[ki] with tryObjectEncoding's encoding, no notifications. */
function setStringKeyQuiet(db: Db, argv: Argv, ki: number, vi: number): number {
  const b = argv.buf;
  const vo = argv.off[vi];
  const vl = argv.len[vi];
  return db.setString(
    b,
    argv.off[ki],
    argv.len[ki],
    b,
    vo,
    vl,
    stringEncoding(b, vo, vl),
    false,
    -1,
  );
}

// STRLEN key
function strlenCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e >= 0) c.reply.int(e === 0 ? 0 : strLen(c.server.heap, e));
}

// SETRANGE key offset value
function setrangeCommand(c: Client, argv: Argv): void {
  const offset = parseLL(argv.buf, argv.off[2], argv.len[2]);
  if (offset !== offset) {
    c.error(NOT_INTEGER);
    return;
  }
  if (offset < 0) {
    c.error("ERR offset is out of range");
    return;
  }
  const db = c.db;
  const m = c.server.heap;
  const vl = argv.len[3];
  let e = writeTyped(c, argv, 1, OBJ_STRING);
  if (e < 0) return;
  if (e === 0) {
    if (vl === 0) {
      c.reply.int(0);
      return;
    }
    if (!checkStringLength(c, offset, vl)) return;
    e = db.setString(argv.buf, argv.off[1], argv.len[1], EMPTY, 0, 0, OBJ_ENCODING_RAW, false, -1);
  } else {
    const olen = strLen(m, e);
    if (vl === 0) {
      c.reply.int(olen);
      return;
    }
    if (!checkStringLength(c, offset, vl)) return;
  }
  const olen = strLen(m, e);
  const need = offset + vl;
  if (need > olen) e = db.resizeString(e, need);
  const u8 = m.u8[e >>> OFF_BITS];
  const o = strOff(m, e) + offset;
  const vo = argv.off[3];
  if (vl <= 32) { for (let i = 0; i < vl; i++) u8[o + i] = argv.buf[vo + i]; }
  else u8.set(argv.buf.subarray(vo, vo + vl), o);
  setObjEncoding(m, e, OBJ_ENCODING_RAW);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_STRING, "setrange", 1);
  c.reply.int(strLen(m, e));
}

// GETRANGE key start end (and the deprecated SUBSTR)
function getrangeCommand(c: Client, argv: Argv): void {
  let start = parseLL(argv.buf, argv.off[2], argv.len[2]);
  if (start !== start) {
    c.error(NOT_INTEGER);
    return;
  }
  let end = parseLL(argv.buf, argv.off[3], argv.len[3]);
  if (end !== end) {
    c.error(NOT_INTEGER);
    return;
  }
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e <= 0) {
    if (e === 0) c.reply.bulk(EMPTY, 0, 0);
    return;
  }
  const m = c.server.heap;
  const len = strLen(m, e);
  if (start < 0 && end < 0 && start > end) {
    c.reply.bulk(EMPTY, 0, 0);
    return;
  }
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) {
    c.reply.bulk(EMPTY, 0, 0);
    return;
  }
  c.reply.bulk(m.u8[e >>> OFF_BITS], strOff(m, e) + start, end - start + 1);
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
function lcsCommand(c: Client, argv: Argv): void {
  const s = c.server;
  const m = s.heap;
  const ea = lookupRead(c, argv, 1);
  const eb = lookupRead(c, argv, 2);
  if ((ea !== 0 && objType(m, ea) !== OBJ_STRING) || (eb !== 0 && objType(m, eb) !== OBJ_STRING)) {
    c.error("ERR The specified keys must contain string values");
    return;
  }
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.argc; j++) {
    if (argIs(argv, j, "idx")) getIdx = true;
    else if (argIs(argv, j, "len")) getLen = true;
    else if (argIs(argv, j, "withmatchlen")) withMatchLen = true;
    else if (argIs(argv, j, "minmatchlen") && j < argv.argc - 1) {
      const v = parseLL(argv.buf, argv.off[j + 1], argv.len[j + 1]);
      if (v !== v) {
        c.error(NOT_INTEGER);
        return;
      }
      minMatchLen = v < 0 ? 0 : v;
      j++;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (getLen && getIdx) {
    c.error("ERR If you want both the length and indexes, please just use IDX.");
    return;
  }
  const a = ea === 0
    ? EMPTY
    : m.u8[ea >>> OFF_BITS].subarray(strOff(m, ea), strOff(m, ea) + strLen(m, ea));
  const b = eb === 0
    ? EMPTY
    : m.u8[eb >>> OFF_BITS].subarray(strOff(m, eb), strOff(m, eb) + strLen(m, eb));
  const alen = a.length;
  const blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > s.protoMaxBulkLen) {
    c.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    return;
  }
  let t: Uint32Array;
  try {
    t = new Uint32Array(cells);
  } catch {
    c.error("ERR Insufficient memory, failed allocating transient memory for LCS");
    return;
  }
  // t[i*(blen+1)+j] = LCS length of a[0..i) and b[0..j).
  const row = blen + 1;
  for (let i = 1; i <= alen; i++) {
    const ai = a[i - 1];
    const r = i * row;
    const p = r - row;
    for (let j = 1; j <= blen; j++) {
      if (ai === b[j - 1]) t[r + j] = t[p + j - 1] + 1;
      else {
        const up = t[p + j];
        const left = t[r + j - 1];
        t[r + j] = up > left ? up : left;
      }
    }
  }
  const total = t[alen * row + blen];
  const computeLcs = getIdx || !getLen;
  const result = computeLcs ? new Uint8Array(total) : EMPTY;
  // Matched ranges, walked from the end of both strings as Redis emits them.
  const ranges: number[] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = alen; // alen: no range open
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (computeLcs && i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      result[idx - 1] = a[i - 1];
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const up = t[(i - 1) * row + j];
      const left = t[i * row + j - 1];
      if (up > left) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || matchLen >= minMatchLen)) {
        ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
      }
      aStart = alen;
    }
  }
  const r = c.reply;
  if (getIdx) {
    r.mapLen(2);
    r.bulkStr("matches");
    const n = ranges.length / 5;
    r.arrayLen(n);
    for (let k = 0; k < ranges.length; k += 5) {
      r.arrayLen(withMatchLen ? 3 : 2);
      r.arrayLen(2);
      r.int(ranges[k]);
      r.int(ranges[k + 1]);
      r.arrayLen(2);
      r.int(ranges[k + 2]);
      r.int(ranges[k + 3]);
      if (withMatchLen) r.int(ranges[k + 4]);
    }
    r.bulkStr("len");
    r.int(total);
  } else if (getLen) {
    r.int(total);
  } else {
    r.bulk(result, 0, total);
  }
}

const EXPIRATION_SYNTAX =
  "[EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time";
const RANGE_COMPLEXITY =
  "O(N) where N is the length of the returned string. The cost is set by how much is returned; " +
  "for short strings it can be considered O(1).";

export const stringCommands = defineCommands("string", [
  {
    name: "get",
    arity: 2,
    flags: READONLY | FAST,
    handler: getCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    summary: "Returns the string value of a key",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "set",
    arity: -3,
    flags: WRITE | DENYOOM,
    handler: setCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update", "variable_flags"],
    keySpecs: [{
      flags: ["RW", "access", "update", "variable_flags"],
      notes: "RW and ACCESS only because the GET option reads the old value",
      bs: { index: 1 },
      fk: { lastkey: 0, keystep: 1, limit: 0 },
    }],
    keyFlagsAt: (argv) => _setHasGet(argv) ? ["RW", "access", "update"] : ["OW", "update"],
    summary: "Sets the string value of a key, ignoring its type; the key is created if missing",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: `key value condition=[NX|XX] [GET] expiration=${EXPIRATION_SYNTAX}|KEEPTTL]`,
  },
  {
    name: "setnx",
    arity: 3,
    flags: WRITE | DENYOOM | FAST,
    handler: setnxCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["OW", "insert"],
    summary: "Sets a key's string value only when the key does not exist yet",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key value",
  },
  {
    name: "setex",
    arity: 4,
    flags: WRITE | DENYOOM,
    handler: setexCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["OW", "update"],
    summary: "Sets a key's string value together with a time to live in seconds",
    since: "2.0.0",
    complexity: "O(1)",
    syntax: "key seconds:integer value",
  },
  {
    name: "psetex",
    arity: 4,
    flags: WRITE | DENYOOM,
    handler: psetexCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["OW", "update"],
    summary: "Sets a key's string value together with a time to live in milliseconds",
    since: "2.6.0",
    complexity: "O(1)",
    syntax: "key milliseconds:integer value",
  },
  {
    name: "getset",
    arity: 3,
    flags: WRITE | DENYOOM | FAST,
    handler: getsetCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    summary: "Stores a new string value and returns the one it replaced",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key value",
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`SET` with the `!GET` argument",
  },
  {
    name: "getdel",
    arity: 2,
    flags: WRITE | FAST,
    handler: getdelCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    summary: "Returns a key's string value and removes the key",
    since: "6.2.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "getex",
    arity: -2,
    flags: WRITE | FAST,
    handler: getexCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    keySpecs: [{
      flags: ["RW", "access", "update"],
      notes: "RW and UPDATE because the command can change the TTL",
      bs: { index: 1 },
      fk: { lastkey: 0, keystep: 1, limit: 0 },
    }],
    summary: "Returns a key's string value and optionally sets or removes its time to live",
    since: "6.2.0",
    complexity: "O(1)",
    syntax: `key expiration=${EXPIRATION_SYNTAX}|PERSIST]`,
  },
  {
    name: "mget",
    arity: -2,
    flags: READONLY | FAST,
    handler: mgetCommand,
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RO", "access"],
    summary: "Returns the string values of several keys, nil for missing or non-string keys",
    since: "1.0.0",
    complexity: "O(N) where N is the number of keys to retrieve.",
    syntax: "key ...",
    tips: ["request_policy:multi_shard"],
  },
  {
    name: "mset",
    arity: -3,
    flags: WRITE | DENYOOM,
    handler: msetCommand,
    keys: { first: 1, last: -1, step: 2 },
    keyFlags: ["OW", "update"],
    summary: "Sets the string values of several keys in one step",
    since: "1.0.1",
    complexity: "O(N) where N is the number of keys to set.",
    syntax: "key_value=(key value) ...",
    tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
  },
  {
    name: "msetnx",
    arity: -3,
    flags: WRITE | DENYOOM,
    handler: msetnxCommand,
    keys: { first: 1, last: -1, step: 2 },
    keyFlags: ["OW", "insert"],
    summary: "Sets the string values of several keys only if none of them exists",
    since: "1.0.1",
    complexity: "O(N) where N is the number of keys to set.",
    syntax: "key_value=(key value) ...",
    tips: ["request_policy:multi_shard", "response_policy:agg_min"],
  },
  {
    name: "append",
    arity: 3,
    flags: WRITE | DENYOOM | FAST,
    handler: appendCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "insert"],
    summary: "Adds bytes to the end of a key's string value, creating the key if missing",
    since: "2.0.0",
    complexity:
      "O(1). Amortized O(1) when the added value is small, whatever the size of the existing " +
      "value, because the string's spare room doubles each time it has to grow.",
    syntax: "key value",
  },
  {
    name: "strlen",
    arity: 2,
    flags: READONLY | FAST,
    handler: strlenCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO"],
    summary: "Returns the length in bytes of a key's string value",
    since: "2.2.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "incr",
    arity: 2,
    flags: WRITE | DENYOOM | FAST,
    handler: incrCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    summary: "Adds one to the integer held by a key, starting from 0 when the key is missing",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "decr",
    arity: 2,
    flags: WRITE | DENYOOM | FAST,
    handler: decrCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    summary:
      "Subtracts one from the integer held by a key, starting from 0 when the key is missing",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "incrby",
    arity: 3,
    flags: WRITE | DENYOOM | FAST,
    handler: incrbyCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    summary:
      "Adds an integer to the integer held by a key, starting from 0 when the key is missing",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key increment:integer",
  },
  {
    name: "decrby",
    arity: 3,
    flags: WRITE | DENYOOM | FAST,
    handler: decrbyCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    summary: "Subtracts an integer from the integer held by a key, starting from 0 when missing",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key decrement:integer",
  },
  {
    name: "incrbyfloat",
    arity: 3,
    flags: WRITE | DENYOOM | FAST,
    handler: incrbyfloatCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    summary:
      "Adds a floating point number to the number held by a key, starting from 0 when missing",
    since: "2.6.0",
    complexity: "O(1)",
    syntax: "key increment:double",
  },
  {
    name: "getrange",
    arity: 4,
    flags: READONLY,
    handler: getrangeCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    summary:
      "Returns the bytes of a key's string value between two offsets (negative from the end)",
    since: "2.4.0",
    complexity: RANGE_COMPLEXITY,
    syntax: "key start:integer end:integer",
  },
  {
    name: "substr",
    arity: 4,
    flags: READONLY,
    handler: getrangeCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    summary: "Returns the bytes of a key's string value between two offsets (old name of GETRANGE)",
    since: "1.0.0",
    complexity: RANGE_COMPLEXITY,
    syntax: "key start:integer end:integer",
    docFlags: ["deprecated"],
    deprecatedSince: "2.0.0",
    replacedBy: "`GETRANGE`",
  },
  {
    name: "setrange",
    arity: 4,
    flags: WRITE | DENYOOM,
    handler: setrangeCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "update"],
    summary: "Overwrites part of a key's string value from an offset, zero-padding as needed",
    since: "2.2.0",
    complexity:
      "O(1), not counting the copy of the new bytes, which is usually small; O(M) otherwise, " +
      "with M the length of the value argument.",
    syntax: "key offset:integer value",
  },
  {
    name: "lcs",
    arity: -3,
    flags: READONLY,
    handler: lcsCommand,
    keys: { first: 1, last: 2, step: 1 },
    keyFlags: ["RO", "access"],
    summary: "Finds the longest common subsequence of two string values",
    since: "7.0.0",
    complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
    syntax: "key1:key key2:key [LEN] [IDX] [MINMATCHLEN len:integer] [WITHMATCHLEN]",
  },
]);
