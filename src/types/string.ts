// Strings: values stored inline in the keyspace entry, encoded int/embstr/raw as Redis reports
// them. String API first, then the commands, then the table.

import { parseLL, parseLLBig } from "../protocol/bytes.ts";
import { invalidExpireError, SYNTAX, WRONGTYPE } from "../protocol/errors.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Client } from "../server/client.ts";
import { defineCommands, DENYOOM, FAST, READONLY, WRITE } from "../server/command.ts";
import { NOTIFY_GENERIC, NOTIFY_STRING } from "../config.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import type { Db } from "../store/db.ts";
import {
  EMBSTR_SIZE_LIMIT,
  OBJ_ENCODING_EMBSTR,
  OBJ_ENCODING_INT,
  OBJ_ENCODING_RAW,
  OBJ_STRING,
  strLen,
  strOff,
} from "../store/object.ts";
import { lookupRead, lookupWrite } from "./common.ts";

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

const LLONG_MAX = 9223372036854775807n;

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

// ---- String commands ----

// GET key
function getCommand(c: Client, argv: Argv): void {
  const e = lookupRead(c, argv, 1);
  if (e === 0) {
    c.reply.nullBulk();
    return;
  }
  const m = c.server.heap;
  if (((m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 1] >>> 24) & 15) !== OBJ_STRING) {
    c.error(WRONGTYPE);
    return;
  }
  replyString(c, e);
}

const SET_NX = 1;
const SET_XX = 2;
const SET_GET = 4;
const SET_KEEPTTL = 8;
const SET_EX = 16;
const SET_PX = 32;
const SET_EXAT = 64;
const SET_PXAT = 128;
const SET_EXPIRE_ANY = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

/** Case-insensitive check of a 2-4 letter ASCII option without allocating. */
function _opt(argv: Argv, i: number, lit: string): boolean {
  const len = argv.len[i];
  if (len !== lit.length) return false;
  const b = argv.buf;
  const o = argv.off[i];
  for (let k = 0; k < len; k++) {
    if ((b[o + k] | 0x20) !== lit.charCodeAt(k)) return false;
  }
  return true;
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//   PXAT unix-time-milliseconds | KEEPTTL]
function setCommand(c: Client, argv: Argv): void {
  let flags = 0;
  let expIdx = 0;
  for (let j = 3; j < argv.argc; j++) {
    const hasNext = j < argv.argc - 1;
    if (_opt(argv, j, "nx") && !(flags & SET_XX)) flags |= SET_NX;
    else if (_opt(argv, j, "xx") && !(flags & SET_NX)) flags |= SET_XX;
    else if (_opt(argv, j, "get")) flags |= SET_GET;
    else if (_opt(argv, j, "keepttl") && !(flags & SET_EXPIRE_ANY)) flags |= SET_KEEPTTL;
    else if (_opt(argv, j, "ex") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_EX)) && hasNext) {
      flags |= SET_EX;
      expIdx = ++j;
    } else if (_opt(argv, j, "px") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_PX)) && hasNext) {
      flags |= SET_PX;
      expIdx = ++j;
    } else if (_opt(argv, j, "exat") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_EXAT)) && hasNext) {
      flags |= SET_EXAT;
      expIdx = ++j;
    } else if (_opt(argv, j, "pxat") && !(flags & (SET_KEEPTTL | SET_EXPIRE_ANY & ~SET_PXAT)) && hasNext) {
      flags |= SET_PXAT;
      expIdx = ++j;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  let expireAt = -1;
  if (expIdx !== 0) {
    const ms = parseExpireArg(c, argv, expIdx, (flags & (SET_EX | SET_EXAT)) !== 0, (flags & (SET_EX | SET_PX)) !== 0);
    if (ms === null) return;
    expireAt = ms;
  }
  const db = c.db;
  if (flags & SET_GET) {
    const old = lookupRead(c, argv, 1);
    if (old !== 0) {
      const m = c.server.heap;
      if (((m.u32[old >>> OFF_BITS][((old & OFF_MASK) << 1) + 1] >>> 24) & 15) !== OBJ_STRING) {
        c.error(WRONGTYPE);
        return;
      }
      replyString(c, old);
    } else {
      c.reply.nullBulk();
    }
  }
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
    summary: "Sets the string value of a key, ignoring its type; the key is created if missing",
    since: "1.0.0",
    complexity: "O(1)",
    syntax:
      "key value [NX|XX] [GET] [EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|KEEPTTL]",
  },
]);
