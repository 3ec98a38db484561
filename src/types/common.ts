// Helpers shared by command families: option words compared as Redis does, key lookups with
// type checks, argument parsing that replies Redis's error on failure, the bookkeeping after a
// write (WATCH, keyspace events, dirty, emptied keys), the SCAN machinery, and scratch buffers.
// Handlers import these instead of re-implementing the checks. No allocation on the hot paths.

import { NOTIFY_GENERIC, NOTIFY_KEY_MISS } from "../config.ts";
import { dictScan } from "../encoding/dict.ts";
import type { Heap } from "../memory/allocator.ts";
import { LLONG_MAX, parseLL, parseLLBig } from "../protocol/bytes.ts";
import { NOT_INTEGER, SYNTAX, WRONGTYPE } from "../protocol/errors.ts";
import { R_EMPTY_SCAN } from "../protocol/reply.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Client } from "../server/client.ts";
import { objType } from "../store/object.ts";

// ---- option words ----

/**
 * strcasecmp(argv[i], word) == 0, as Redis compares option words: the argument is a C string,
 * so it matches when its bytes up to the first NUL (or its end) equal the lowercase ASCII
 * `word`, ignoring case. HOT PATH: no allocation.
 */
export function argIs(argv: Argv, i: number, word: string): boolean {
  const len = argv.len[i];
  const n = word.length;
  if (len < n) return false;
  const b = argv.buf;
  const o = argv.off[i];
  for (let k = 0; k < n; k++) {
    let ch = b[o + k];
    if (ch >= 65 && ch <= 90) ch |= 0x20;
    if (ch !== word.charCodeAt(k)) return false;
  }
  return len === n || b[o + n] === 0;
}

// ---- key lookups ----

/** lookupKeyRead of argv[i] in the client's db: entry or 0 (hit/miss stats, keymiss event). */
export function lookupRead(c: Client, argv: Argv, i: number): number {
  return lookupReadKey(c, argv.buf, argv.off[i], argv.len[i]);
}

/** lookupKeyRead of the key kb[ko, ko+kl) (keys built by the command, e.g. SORT patterns). */
export function lookupReadKey(c: Client, kb: Uint8Array, ko: number, kl: number): number {
  const e = c.db.lookupRead(kb, ko, kl);
  if (e === 0 && c.server.notifyFlags & NOTIFY_KEY_MISS) {
    c.server.keyMiss(kb.subarray(ko, ko + kl), c.db.id);
  }
  return e;
}

/** Lookup for writing argv[i]: entry handle or 0 (expired keys are deleted first). */
export function lookupWrite(c: Client, argv: Argv, i: number): number {
  return c.db.lookupWrite(argv.buf, argv.off[i], argv.len[i]);
}

/**
 * lookupKeyRead of argv[i] and checkType: the entry, 0 when missing, or -1 after replying
 * WRONGTYPE. HOT PATH.
 */
export function readTyped(c: Client, argv: Argv, i: number, type: number): number {
  const e = lookupRead(c, argv, i);
  if (e !== 0 && objType(c.server.heap, e) !== type) {
    c.error(WRONGTYPE);
    return -1;
  }
  return e;
}

/** lookupKeyWrite of argv[i] and checkType: entry, 0 (missing) or -1 (WRONGTYPE replied). */
export function writeTyped(c: Client, argv: Argv, i: number, type: number): number {
  const e = lookupWrite(c, argv, i);
  if (e !== 0 && objType(c.server.heap, e) !== type) {
    c.error(WRONGTYPE);
    return -1;
  }
  return e;
}

// ---- after a write ----

/** A keyspace event about kb[ko, ko+kl) (no allocation when notifications are off). */
export function notifyKey(
  c: Client,
  type: number,
  event: string,
  kb: Uint8Array,
  ko: number,
  kl: number,
): void {
  const s = c.server;
  if (s.notifyFlags !== 0) s.notify(type, event, kb.subarray(ko, ko + kl), c.db.id);
}

/** A keyspace event about the key argv[i]. */
export function notifyArg(c: Client, type: number, event: string, argv: Argv, i: number): void {
  notifyKey(c, type, event, argv.buf, argv.off[i], argv.len[i]);
}

/**
 * The bookkeeping after a command changed the key kb[ko, ko+kl): signalModifiedKey (WATCH),
 * the keyspace event, and `dirty` more changes.
 */
export function keyModified(
  c: Client,
  kb: Uint8Array,
  ko: number,
  kl: number,
  type: number,
  event: string,
  dirty: number,
): void {
  const s = c.server;
  s.signalModifiedKey(c.db, kb, ko, kl);
  notifyKey(c, type, event, kb, ko, kl);
  s.dirty += dirty;
}

/**
 * Delete the entry e (key kb[ko, ko+kl)) its command emptied, as dbDelete does (lazily when
 * lazyfree-lazy-server-del), and send the "del" event.
 */
export function deleteEmptied(c: Client, e: number, kb: Uint8Array, ko: number, kl: number): void {
  c.db.deleteEntry(e, c.server.store.lazyServerDel);
  notifyKey(c, NOTIFY_GENERIC, "del", kb, ko, kl);
}

// ---- integer arguments (object.c's get*FromObjectOrReply) ----

/** getLongFromObjectOrReply: argument i as a long (NaN after replying `msg` or NOT_INTEGER). */
export function argLong(c: Client, argv: Argv, i: number, msg?: string): number {
  const v = parseLL(argv.buf, argv.off[i], argv.len[i]);
  if (v !== v) c.error(msg ?? NOT_INTEGER);
  return v;
}

/**
 * getRangeLongFromObjectOrReply: argument i within [min, max] (bigints, so the int64 edges are
 * exact). NaN after replying `msg`, or Redis's default texts when msg is undefined.
 */
export function argRangeLong(
  c: Client,
  argv: Argv,
  i: number,
  min: bigint,
  max: bigint,
  msg?: string,
): number {
  const v = parseLL(argv.buf, argv.off[i], argv.len[i]);
  if (v !== v) {
    c.error(msg ?? NOT_INTEGER);
    return NaN;
  }
  let ok: boolean;
  // A safe integer compares exactly with the bounds as doubles (no bigint per call).
  if (Number.isSafeInteger(v)) ok = v >= Number(min) && v <= Number(max);
  else {
    const big = parseLLBig(argv.buf, argv.off[i], argv.len[i])!;
    ok = big >= min && big <= max;
  }
  if (!ok) {
    c.error(msg ?? `ERR value is out of range, value must between ${min} and ${max}`);
    return NaN;
  }
  return v;
}

/** getPositiveLongFromObjectOrReply: a long >= 0 ("must be positive" unless `msg`). */
export function argPositiveLong(c: Client, argv: Argv, i: number, msg?: string): number {
  return argRangeLong(
    c,
    argv,
    i,
    0n,
    LLONG_MAX,
    msg ?? "ERR value is out of range, must be positive",
  );
}

/** numkeys of LMPOP/ZMPOP/SINTERCARD and their blocking forms: a long >= 1. NaN after the reply. */
export function argNumkeys(c: Client, argv: Argv, i: number): number {
  return argRangeLong(c, argv, i, 1n, LLONG_MAX, "ERR numkeys should be greater than 0");
}

const LONG_HALF = LLONG_MAX / 2n;

/**
 * True when the long `v` parsed from argument i lies within +-LONG_MAX/2 (the WITHSCORES /
 * WITHVALUES count limit of ZRANDMEMBER and HRANDFIELD), exact at the edges.
 */
export function argWithinHalfLong(argv: Argv, i: number, v: number): boolean {
  if (Number.isSafeInteger(v)) return true;
  const big = parseLLBig(argv.buf, argv.off[i], argv.len[i])!;
  return big >= -LONG_HALF && big <= LONG_HALF;
}

/** C atoi on argument i: leading space, sign, digits up to the first non-digit (0 if none). */
export function argAtoi(argv: Argv, i: number): number {
  const b = argv.buf;
  let k = argv.off[i];
  const end = k + argv.len[i];
  while (k < end && (b[k] === 32 || (b[k] >= 9 && b[k] <= 13))) k++;
  let neg = false;
  if (k < end && (b[k] === 43 || b[k] === 45)) {
    neg = b[k] === 45;
    k++;
  }
  let v = 0;
  while (k < end && b[k] >= 48 && b[k] <= 57) {
    v = v * 10 + (b[k] - 48);
    if (v > 2147483647) break;
    k++;
  }
  return neg ? -v : v;
}

/**
 * genericGetKeys: key positions of a numkeys command (COMMAND GETKEYS fallback): the count at
 * `countIdx` read with atoi, keys from `firstIdx`, plus the destination at `storeIdx` (0 =
 * none), listed last. No keys when the count is invalid.
 */
export function numkeysGetKeys(
  argv: Argv,
  storeIdx: number,
  countIdx: number,
  firstIdx: number,
): number[] {
  if (countIdx >= argv.argc) return [];
  const num = argAtoi(argv, countIdx);
  if (num < 1 || num > argv.argc - firstIdx) return [];
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(firstIdx + i);
  if (storeIdx) out.push(storeIdx);
  return out;
}

// ---- SCAN ----

const ULONG_MAX = 18446744073709551615n;

/** SCAN options (scanGenericCommand): COUNT, MATCH ("*" means no filter) and TYPE (SCAN only). */
export interface ScanOptions {
  /** The cursor (set by scanKeyStart). */
  cursor: number;
  count: number;
  /** argv index of the MATCH pattern, or -1 when everything matches. */
  pat: number;
  /** argv index of the TYPE argument, or -1. */
  typeArg: number;
}

/** The options parseScanOptions / scanKeyStart read last (shared: read them before the next call). */
export const scanOpts: ScanOptions = { cursor: 0, count: 10, pat: -1, typeArg: -1 };

/**
 * Parse SCAN/HSCAN/SSCAN/ZSCAN options from argv[from]; replies Redis's error and returns null
 * when they are invalid. The result object is shared: read it before the next call.
 */
export function parseScanOptions(
  c: Client,
  argv: Argv,
  from: number,
  allowType: boolean,
): ScanOptions | null {
  const o = scanOpts;
  o.count = 10;
  o.pat = -1;
  o.typeArg = -1;
  for (let i = from; i < argv.argc;) {
    const left = argv.argc - i;
    if (argIs(argv, i, "count") && left >= 2) {
      const v = parseLL(argv.buf, argv.off[i + 1], argv.len[i + 1]);
      if (Number.isNaN(v)) {
        c.error(NOT_INTEGER);
        return null;
      }
      if (v < 1) {
        c.error(SYNTAX);
        return null;
      }
      o.count = v;
      i += 2;
    } else if (argIs(argv, i, "match") && left >= 2) {
      o.pat = argv.len[i + 1] === 1 && argv.buf[argv.off[i + 1]] === 42 ? -1 : i + 1;
      i += 2;
    } else if (allowType && argIs(argv, i, "type") && left >= 2) {
      o.typeArg = i + 1;
      i += 2;
    } else {
      c.error(SYNTAX);
      return null;
    }
  }
  return o;
}

/**
 * Parse a SCAN cursor the way Redis does (strtoul, base 10, on a NUL-terminated string): no
 * leading space, an optional sign (a negative value wraps modulo 2^64), nothing after the
 * digits, at most 2^64-1. The empty string is cursor 0. Returns the low 32 bits (all our dict
 * uses), or -1 when the cursor is invalid.
 */
export function parseScanCursor(b: Uint8Array, off: number, len: number): number {
  let end = off + len;
  for (let i = off; i < end; i++) {
    if (b[i] === 0) {
      end = i;
      break;
    }
  }
  if (end === off) return 0;
  const first = b[off];
  if (first === 32 || (first >= 9 && first <= 13)) return -1;
  let i = off;
  let neg = false;
  if (first === 43 || first === 45) {
    neg = first === 45;
    i++;
  }
  if (i === end) return -1;
  let v = 0n;
  let small = 0;
  for (let j = i; j < end; j++) {
    const d = b[j] - 48;
    if (d < 0 || d > 9) return -1;
    if (j - i < 15) small = small * 10 + d;
  }
  if (end - i <= 15) v = BigInt(small);
  else {
    let s = "";
    for (let j = i; j < end; j++) s += String.fromCharCode(b[j]);
    v = BigInt(s);
    if (v > ULONG_MAX) return -1;
  }
  if (neg) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return Number(v & 0xffffffffn);
}

/**
 * The start of HSCAN/SSCAN/ZSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is
 * checked first, then the key is looked up (a missing one gets the empty scan reply, before the
 * options are even read), then the options. Returns the entry with scanOpts filled (cursor
 * included), or 0 after replying.
 */
export function scanKeyStart(c: Client, argv: Argv, type: number): number {
  const cursor = parseScanCursor(argv.buf, argv.off[2], argv.len[2]);
  if (cursor < 0) {
    c.error("ERR invalid cursor");
    return 0;
  }
  const e = readTyped(c, argv, 1, type);
  if (e <= 0) {
    if (e === 0) c.reply.raw(R_EMPTY_SCAN);
    return 0;
  }
  if (parseScanOptions(c, argv, 3, false) === null) return 0;
  scanOpts.cursor = cursor;
  return e;
}

/** Entries the last scanDict call collected (reused; read it before the next call). */
export const scanned: number[] = [];
const _scanPush = (e: number): void => {
  scanned.push(e);
};

/**
 * One SCAN step over dict d (scanGenericCommand's loop): visit buckets from `cursor` until
 * `count` entries are collected, giving up after count*10 bucket visits so a sparse table
 * stays cheap. `pairs`: each entry counts twice towards both limits (HSCAN/ZSCAN reply a field
 * and a value per entry). The entries go to `scanned`; returns the next cursor.
 */
export function scanDict(
  m: Heap,
  d: number,
  cursor: number,
  count: number,
  pairs: boolean,
): number {
  scanned.length = 0;
  const w = pairs ? 2 : 1;
  const want = count * w;
  let maxIter = want * 10;
  do {
    cursor = dictScan(m, d, cursor, _scanPush);
  } while (cursor !== 0 && maxIter-- !== 0 && scanned.length * w < want);
  return cursor;
}

/** Scratch space for formatting numbers without allocating. */
export const SCRATCH = new Uint8Array(64);
