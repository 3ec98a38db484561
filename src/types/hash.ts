// Hashes: field -> value maps. A small hash is a listpack of field,value pairs; once it holds
// more than hash-max-listpack-entries fields, or a field or value longer than
// hash-max-listpack-value bytes, it becomes a dict whose entries carry the field and the value
// inline (and it never goes back). Hash API first, then the commands, then the table.
// Imports encodings, the store and shared helpers (common.ts) only, no other family.

import { NOTIFY_HASH } from "../config.ts";
import {
  dictAdd,
  dictBuckets,
  dictClear,
  dictCreate,
  dictExpand,
  dictFind,
  dictForEach,
  dictGetFairRandomKey,
  dictReleaseSome,
  dictReplaceFound,
  dictScan,
  dictShrinkIfNeeded,
  dictSize,
  dictUnlinkFound,
  ENTRY_HEADER,
  hashBytes,
} from "../encoding/dict.ts";
import {
  lpAppend,
  lpDeleteRangeWithEntry,
  lpDup,
  lpElBigInt,
  lpFind,
  lpFirst,
  lpFree,
  lpGet,
  lpGetBytes,
  lpLength,
  lpNew,
  lpNext,
  lpReplace,
  lpReplaceInt,
  lpSafeToAdd,
  lpSeek,
} from "../encoding/listpack.ts";
import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import {
  EMPTY,
  fromLatin1,
  LLONG_MAX,
  LLONG_MIN,
  parseLLExact,
  writeInt,
  writeInt64,
} from "../protocol/bytes.ts";
import {
  arityError,
  NAN_OR_INF,
  NOT_FLOAT,
  NOT_INTEGER,
  OVERFLOW,
  SYNTAX,
} from "../protocol/errors.ts";
import { globMatch } from "../protocol/glob.ts";
import {
  ldFromBigInt,
  ldIncrHuman,
  ldIsFinite,
  ldZero,
  parseLongDouble,
} from "../protocol/long_double.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Client } from "../server/client.ts";
import type { Server } from "../server/server.ts";
import { defineCommands, DENYOOM, FAST, READONLY, WRITE } from "../server/command.ts";
import {
  OBJ_ENCODING_HT,
  OBJ_ENCODING_LISTPACK,
  OBJ_HASH,
  objAux,
  objEncoding,
  setObjAux,
  setObjEncoding,
} from "../store/object.ts";
import { type DigestOps, registerValueType, type ValueOps } from "../store/values.ts";
import {
  argIs,
  argRangeLong,
  argWithinHalfLong,
  deleteEmptied,
  keyModified,
  readTyped,
  scanDict,
  scanKeyStart,
  scanned,
  scanOpts,
  SCRATCH,
  writeTyped,
} from "./common.ts";

// ---- Hash API ----
//
// Field entries of the dict encoding (the dict's shared entry layout):
//   +0 u32 next   +4 u32 meta (unused, 0)   +8 u32 field length   +12 u32 value length
//   +16 field bytes, then value bytes.

/** Where a field's value is: bytes buf[off, off+len). Valid until the next hash/listpack call. */
export class HashValue {
  buf: Uint8Array = EMPTY;
  off = 0;
  len = 0;
}

/** The shared register hashGetField fills. */
export const hashVal: HashValue = new HashValue();

/** Scratch copy of a listpack field while its value is read (the listpack register is shared). */
let _fbuf = new Uint8Array(256);

function _copy(src: Uint8Array, so: number, dst: Uint8Array, d: number, n: number): void {
  if (n <= 32) { for (let i = 0; i < n; i++) dst[d + i] = src[so + i]; }
  else dst.set(src.subarray(so, so + n), d);
}

/** Allocate a dict field entry holding field fb[foff, +flen) and value vb[voff, +vlen). */
function _newFieldEntry(
  m: Heap,
  fb: Uint8Array,
  foff: number,
  flen: number,
  vb: Uint8Array,
  voff: number,
  vlen: number,
): number {
  const e = m.alloc(ENTRY_HEADER + flen + vlen);
  const ci = e >>> OFF_BITS;
  const u32 = m.u32[ci];
  const w = (e & OFF_MASK) << 1;
  u32[w] = 0;
  u32[w + 1] = 0;
  u32[w + 2] = flen;
  u32[w + 3] = vlen;
  const u8 = m.u8[ci];
  const o = (w << 2) + ENTRY_HEADER;
  _copy(fb, foff, u8, o, flen);
  _copy(vb, voff, u8, o + flen, vlen);
  return e;
}

/** Byte offset of a dict field entry's field inside its chunk buffer. */
function _fOff(f: number): number {
  return ((f & OFF_MASK) << 3) + ENTRY_HEADER;
}

function _fLen(m: Heap, f: number): number {
  return m.u32[f >>> OFF_BITS][((f & OFF_MASK) << 1) + 2];
}

function _vLen(m: Heap, f: number): number {
  return m.u32[f >>> OFF_BITS][((f & OFF_MASK) << 1) + 3];
}

/** Number of fields. */
export function hashLength(m: Heap, enc: number, v: number): number {
  return enc === OBJ_ENCODING_LISTPACK ? lpLength(m, v) >>> 1 : dictSize(m, v);
}

/**
 * The value of field b[off, off+len), or null when the hash has no such field. The value's
 * bytes (an integer rendered as decimal) are left in the shared register `hashVal`. Used by
 * HGET & co and by SORT's BY/GET `key->field` patterns.
 */
export function hashGetField(
  m: Heap,
  enc: number,
  v: number,
  b: Uint8Array,
  off: number,
  len: number,
): HashValue | null {
  if (enc === OBJ_ENCODING_LISTPACK) {
    let p = lpFirst(m, v);
    if (p === 0) return null;
    p = lpFind(m, v, p, b, off, len, 1);
    if (p === 0) return null;
    const el = lpGetBytes(m, v, lpNext(m, v, p));
    hashVal.buf = el.buf;
    hashVal.off = el.off;
    hashVal.len = el.len;
    return hashVal;
  }
  const f = dictFind(m, v, b, off, len, hashBytes(b, off, len));
  if (f === 0) return null;
  const u = m.u32[f >>> OFF_BITS];
  const w = (f & OFF_MASK) << 1;
  hashVal.buf = m.u8[f >>> OFF_BITS];
  hashVal.off = (w << 2) + ENTRY_HEADER + u[w + 2];
  hashVal.len = u[w + 3];
  return hashVal;
}

/** Add a field known to be absent to a dict-encoded hash (loaders, conversions). */
export function hashDictAdd(
  m: Heap,
  d: number,
  fb: Uint8Array,
  foff: number,
  flen: number,
  vb: Uint8Array,
  voff: number,
  vlen: number,
): void {
  dictAdd(m, d, _newFieldEntry(m, fb, foff, flen, vb, voff, vlen), hashBytes(fb, foff, flen));
}

/**
 * Build a dict holding the pairs of listpack `lp` (which is left untouched), presized as
 * Redis's hashTypeConvertListpack does. Returns the dict handle.
 */
export function hashListpackToDict(m: Heap, lp: number): number {
  const d = dictCreate(m);
  const n = lpLength(m, lp) >>> 1;
  if (n > 0) dictExpand(m, d, n);
  let p = lpFirst(m, lp);
  while (p !== 0) {
    let el = lpGetBytes(m, lp, p);
    const flen = el.len;
    if (flen > _fbuf.length) _fbuf = new Uint8Array(Math.max(flen, _fbuf.length * 2));
    _copy(el.buf, el.off, _fbuf, 0, flen);
    const vp = lpNext(m, lp, p);
    el = lpGetBytes(m, lp, vp);
    const h = hashBytes(_fbuf, 0, flen);
    // A listpack with a repeated field is corrupt; keep the first value, as a lookup would.
    if (dictFind(m, d, _fbuf, 0, flen, h) === 0) {
      dictAdd(m, d, _newFieldEntry(m, _fbuf, 0, flen, el.buf, el.off, el.len), h);
    }
    p = lpNext(m, lp, vp);
  }
  return d;
}

/** Convert the listpack hash of entry e to the dict encoding (hashTypeConvert). */
export function hashConvert(m: Heap, e: number): void {
  if (objEncoding(m, e) !== OBJ_ENCODING_LISTPACK) return;
  const lp = objAux(m, e);
  const d = hashListpackToDict(m, lp);
  lpFree(m, lp);
  setObjAux(m, e, d);
  setObjEncoding(m, e, OBJ_ENCODING_HT);
}

/**
 * Convert before a write when any of argv[start..end] is longer than hash-max-listpack-value,
 * or when their total would push the listpack past its safety size (hashTypeTryConversion).
 */
export function hashTryConversion(
  m: Heap,
  e: number,
  argv: Argv,
  start: number,
  end: number,
  maxValue: number,
): void {
  if (objEncoding(m, e) !== OBJ_ENCODING_LISTPACK) return;
  let sum = 0;
  for (let i = start; i <= end; i++) {
    const l = argv.len[i];
    if (l > maxValue) {
      hashConvert(m, e);
      return;
    }
    sum += l;
  }
  if (!lpSafeToAdd(m, objAux(m, e), sum)) hashConvert(m, e);
}

/**
 * Set a field of the hash of entry e (hashTypeSet), converting to a dict when the field or
 * value is too long for a listpack or the field count passes maxEntries. The value bytes must
 * not lie inside this hash. Returns true when the field existed (update), false on insert.
 */
export function hashSet(
  m: Heap,
  e: number,
  fb: Uint8Array,
  foff: number,
  flen: number,
  vb: Uint8Array,
  voff: number,
  vlen: number,
  maxEntries: number,
  maxValue: number,
): boolean {
  let enc = objEncoding(m, e);
  if (enc === OBJ_ENCODING_LISTPACK && (flen > maxValue || vlen > maxValue)) {
    hashConvert(m, e);
    enc = OBJ_ENCODING_HT;
  }
  if (enc === OBJ_ENCODING_LISTPACK) {
    let lp = objAux(m, e);
    let p = lpFirst(m, lp);
    if (p !== 0) p = lpFind(m, lp, p, fb, foff, flen, 1);
    let update = false;
    if (p !== 0) {
      lp = lpReplace(m, lp, lpNext(m, lp, p), vb, voff, vlen);
      update = true;
    } else {
      lp = lpAppend(m, lp, fb, foff, flen);
      lp = lpAppend(m, lp, vb, voff, vlen);
    }
    setObjAux(m, e, lp);
    if (!update && lpLength(m, lp) >>> 1 > maxEntries) hashConvert(m, e);
    return update;
  }
  const d = objAux(m, e);
  const h = hashBytes(fb, foff, flen);
  const f = dictFind(m, d, fb, foff, flen, h);
  if (f === 0) {
    dictAdd(m, d, _newFieldEntry(m, fb, foff, flen, vb, voff, vlen), h);
    return false;
  }
  const need = ENTRY_HEADER + flen + vlen;
  const have = m.usableSize(f);
  if (need <= have && need * 2 > have) {
    m.u32[f >>> OFF_BITS][((f & OFF_MASK) << 1) + 3] = vlen;
    _copy(vb, voff, m.u8[f >>> OFF_BITS], _fOff(f) + flen, vlen);
  } else {
    const ne = _newFieldEntry(m, fb, foff, flen, vb, voff, vlen);
    dictReplaceFound(m, f, ne);
    m.free(f);
  }
  return true;
}

/** Delete a field (hashTypeDelete). Returns true when it existed. */
export function hashDelete(
  m: Heap,
  e: number,
  fb: Uint8Array,
  foff: number,
  flen: number,
): boolean {
  const v = objAux(m, e);
  if (objEncoding(m, e) === OBJ_ENCODING_LISTPACK) {
    let p = lpFirst(m, v);
    if (p === 0) return false;
    p = lpFind(m, v, p, fb, foff, flen, 1);
    if (p === 0) return false;
    setObjAux(m, e, lpDeleteRangeWithEntry(m, v, p, 2));
    return true;
  }
  const f = dictFind(m, v, fb, foff, flen, hashBytes(fb, foff, flen));
  if (f === 0) return false;
  dictUnlinkFound(m, v, f);
  m.free(f);
  // Redis checks for a shrink after every delete from a hash table.
  dictShrinkIfNeeded(m, v);
  return true;
}

// ---- value ops (free, COPY, MEMORY USAGE, lazy free, defrag, DEBUG DIGEST) ----

let _opsHeap: Heap | null = null;
function _freeEntryCb(e: number): void {
  _opsHeap!.free(e);
}

function _freeHash(m: Heap, v: number, enc?: number): void {
  if (enc === OBJ_ENCODING_HT) {
    _opsHeap = m;
    dictClear(m, v, _freeEntryCb);
    _opsHeap = null;
    m.free(v);
  } else {
    lpFree(m, v);
  }
}

function _dupHash(m: Heap, v: number, enc?: number): number {
  if (enc !== OBJ_ENCODING_HT) return lpDup(m, v);
  const d = dictCreate(m);
  const n = dictSize(m, v);
  if (n > 0) dictExpand(m, d, n);
  dictForEach(m, v, (f) => {
    const size = ENTRY_HEADER + _fLen(m, f) + _vLen(m, f);
    const ne = m.alloc(size);
    _copy(
      m.u8[f >>> OFF_BITS],
      (f & OFF_MASK) << 3,
      m.u8[ne >>> OFF_BITS],
      (ne & OFF_MASK) << 3,
      size,
    );
    dictAdd(m, d, ne, hashBytes(m.u8[ne >>> OFF_BITS], _fOff(ne), _fLen(m, ne)));
  });
  return d;
}

/** objectComputeSize for hashes: the listpack, or the table plus sampled entries scaled up. */
function _usageHash(m: Heap, v: number, samples: number, enc?: number): number {
  if (enc !== OBJ_ENCODING_HT) return m.usableSize(v);
  let size = m.usableSize(v) + dictBuckets(m, v) * 4;
  const total = dictSize(m, v);
  if (total === 0) return size;
  let sum = 0;
  let k = 0;
  if (samples <= 0 || samples >= total) {
    dictForEach(m, v, (f) => {
      sum += m.usableSize(f);
      k++;
    });
  } else {
    let cursor = 0;
    do {
      cursor = dictScan(m, v, cursor, (f) => {
        if (k < samples) {
          sum += m.usableSize(f);
          k++;
        }
      });
    } while (cursor !== 0 && k < samples);
  }
  if (k > 0) size += k === total ? sum : (sum / k) * total;
  return Math.floor(size);
}

function _freeEffortHash(m: Heap, v: number, enc?: number): number {
  return enc === OBJ_ENCODING_HT ? dictSize(m, v) : 1;
}

function _freeSomeHash(m: Heap, v: number, budget: number, enc?: number): boolean {
  if (enc !== OBJ_ENCODING_HT) {
    lpFree(m, v);
    return true;
  }
  _opsHeap = m;
  const done = dictReleaseSome(m, v, budget < 1 ? 1 : budget, _freeEntryCb);
  _opsHeap = null;
  return done;
}

function _defragHash(m: Heap, v: number, enc?: number): number {
  if (enc !== OBJ_ENCODING_HT) return m.defragHint(v) ? m.move(v) : v;
  dictForEach(m, v, (f) => {
    if (!m.defragHint(f)) return;
    const u8 = m.u8[f >>> OFF_BITS];
    const fo = _fOff(f);
    const fl = _fLen(m, f);
    if (dictFind(m, v, u8, fo, fl, hashBytes(u8, fo, fl)) !== f) return;
    const size = ENTRY_HEADER + fl + _vLen(m, f);
    const ne = m.alloc(size);
    _copy(u8, (f & OFF_MASK) << 3, m.u8[ne >>> OFF_BITS], (ne & OFF_MASK) << 3, size);
    dictReplaceFound(m, f, ne);
    m.free(f);
  });
  return v;
}

/** xorObjectDigest for hashes: each field+value pair mixed on its own, the pairs xored. */
function _digestHash(m: Heap, v: number, d: Uint8Array, ops: DigestOps, enc?: number): void {
  const ele = new Uint8Array(20);
  if (enc === OBJ_ENCODING_HT) {
    dictForEach(m, v, (f) => {
      const u8 = m.u8[f >>> OFF_BITS];
      const fo = _fOff(f);
      const fl = _fLen(m, f);
      ele.fill(0);
      ops.mix(ele, u8.slice(fo, fo + fl));
      ops.mix(ele, u8.slice(fo + fl, fo + fl + _vLen(m, f)));
      ops.xor(d, ele);
    });
    return;
  }
  let p = lpFirst(m, v);
  while (p !== 0) {
    let el = lpGetBytes(m, v, p);
    const field = el.buf.slice(el.off, el.off + el.len);
    const vp = lpNext(m, v, p);
    el = lpGetBytes(m, v, vp);
    const value = el.buf.slice(el.off, el.off + el.len);
    ele.fill(0);
    ops.mix(ele, field);
    ops.mix(ele, value);
    ops.xor(d, ele);
    p = lpNext(m, v, vp);
  }
}

export const hashValueOps: ValueOps = {
  free: _freeHash,
  dup: _dupHash,
  usage: _usageHash,
  freeEffort: _freeEffortHash,
  freeSome: _freeSomeHash,
  defrag: _defragHash,
  digest: _digestHash,
};

registerValueType(OBJ_HASH, hashValueOps);

// ---- command helpers ----

const HASH_NOT_INTEGER = "ERR hash value is not an integer";
const HASH_NOT_FLOAT = "ERR hash value is not a float";
const NAN_OR_INF_INCR = "ERR value is NaN or Infinity";

/**
 * hashTypeLookupWriteOrCreate: the hash at argv[1], created empty (listpack) when missing.
 * -1 after replying WRONGTYPE.
 */
function _writeHash(c: Client, argv: Argv): number {
  const e = writeTyped(c, argv, 1, OBJ_HASH);
  if (e !== 0) return e;
  return c.db.setValue(
    argv.buf,
    argv.off[1],
    argv.len[1],
    OBJ_HASH,
    OBJ_ENCODING_LISTPACK,
    lpNew(c.server.heap),
    false,
  );
}

/**
 * hashTypeSet of field argv[2] to vb[vo, vo+vl) in the hash entry e, with the server's
 * hash-max-listpack-* limits. True when the field existed.
 */
function _setField(
  s: Server,
  e: number,
  argv: Argv,
  vb: Uint8Array,
  vo: number,
  vl: number,
): boolean {
  const lim = s.limits;
  return hashSet(
    s.heap,
    e,
    argv.buf,
    argv.off[2],
    argv.len[2],
    vb,
    vo,
    vl,
    lim.hashMaxListpackEntries,
    lim.hashMaxListpackValue,
  );
}

/** Bulk reply of the listpack element at p (integers as their decimal text). */
function _replyLp(c: Client, m: Heap, lp: number, p: number): void {
  const el = lpGetBytes(m, lp, p);
  c.reply.bulk(el.buf, el.off, el.len);
}

function _replyField(c: Client, m: Heap, f: number): void {
  c.reply.bulk(m.u8[f >>> OFF_BITS], _fOff(f), _fLen(m, f));
}

function _replyValue(c: Client, m: Heap, f: number): void {
  c.reply.bulk(m.u8[f >>> OFF_BITS], _fOff(f) + _fLen(m, f), _vLen(m, f));
}

// ---- Hash commands ----

/** HSET / HMSET share this; HMSET replies +OK instead of the number of new fields. */
function _hsetGeneric(c: Client, argv: Argv, hmset: boolean): void {
  if ((argv.argc & 1) === 1) {
    c.error(arityError(c.cmd!.fullName));
    return;
  }
  const e = _writeHash(c, argv);
  if (e < 0) return;
  const s = c.server;
  const m = s.heap;
  const maxEntries = s.limits.hashMaxListpackEntries;
  const maxValue = s.limits.hashMaxListpackValue;
  hashTryConversion(m, e, argv, 2, argv.argc - 1, maxValue);
  const b = argv.buf;
  let created = 0;
  for (let i = 2; i < argv.argc; i += 2) {
    const upd = hashSet(
      m,
      e,
      b,
      argv.off[i],
      argv.len[i],
      b,
      argv.off[i + 1],
      argv.len[i + 1],
      maxEntries,
      maxValue,
    );
    if (!upd) created++;
  }
  if (hmset) c.reply.ok();
  else c.reply.int(created);
  keyModified(c, b, argv.off[1], argv.len[1], NOTIFY_HASH, "hset", (argv.argc - 2) >>> 1);
}

// HSET key field value [field value ...]
function hsetCommand(c: Client, argv: Argv): void {
  _hsetGeneric(c, argv, false);
}

// HMSET key field value [field value ...]
function hmsetCommand(c: Client, argv: Argv): void {
  _hsetGeneric(c, argv, true);
}

// HSETNX key field value
function hsetnxCommand(c: Client, argv: Argv): void {
  const e = _writeHash(c, argv);
  if (e < 0) return;
  const s = c.server;
  const m = s.heap;
  if (
    hashGetField(m, objEncoding(m, e), objAux(m, e), argv.buf, argv.off[2], argv.len[2]) !== null
  ) {
    c.reply.int(0);
    return;
  }
  hashTryConversion(m, e, argv, 2, 3, s.limits.hashMaxListpackValue);
  _setField(s, e, argv, argv.buf, argv.off[3], argv.len[3]);
  c.reply.int(1);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_HASH, "hset", 1);
}

// HGET key field
function hgetCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  const m = c.server.heap;
  const hv = hashGetField(m, objEncoding(m, e), objAux(m, e), argv.buf, argv.off[2], argv.len[2]);
  if (hv === null) c.reply.nullBulk();
  else c.reply.bulk(hv.buf, hv.off, hv.len);
}

// HMGET key field [field ...]
function hmgetCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e < 0) return;
  const m = c.server.heap;
  const r = c.reply;
  r.arrayLen(argv.argc - 2);
  const enc = e === 0 ? 0 : objEncoding(m, e);
  const v = e === 0 ? 0 : objAux(m, e);
  for (let i = 2; i < argv.argc; i++) {
    const hv = e === 0 ? null : hashGetField(m, enc, v, argv.buf, argv.off[i], argv.len[i]);
    if (hv === null) r.nullBulk();
    else r.bulk(hv.buf, hv.off, hv.len);
  }
}

// HDEL key field [field ...]
function hdelCommand(c: Client, argv: Argv): void {
  const e = writeTyped(c, argv, 1, OBJ_HASH);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const m = c.server.heap;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.argc; i++) {
    if (!hashDelete(m, e, argv.buf, argv.off[i], argv.len[i])) continue;
    deleted++;
    if (hashLength(m, objEncoding(m, e), objAux(m, e)) === 0) {
      removed = true;
      break;
    }
  }
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  if (deleted > 0) keyModified(c, kb, ko, kl, NOTIFY_HASH, "hdel", deleted);
  if (removed) deleteEmptied(c, e, kb, ko, kl);
  c.reply.int(deleted);
}

// HLEN key
function hlenCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e < 0) return;
  const m = c.server.heap;
  c.reply.int(e === 0 ? 0 : hashLength(m, objEncoding(m, e), objAux(m, e)));
}

// HSTRLEN key field
function hstrlenCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e < 0) return;
  if (e === 0) {
    c.reply.int(0);
    return;
  }
  const m = c.server.heap;
  const hv = hashGetField(m, objEncoding(m, e), objAux(m, e), argv.buf, argv.off[2], argv.len[2]);
  c.reply.int(hv === null ? 0 : hv.len);
}

// HEXISTS key field
function hexistsCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e < 0) return;
  if (e === 0) {
    c.reply.int(0);
    return;
  }
  const m = c.server.heap;
  const hv = hashGetField(m, objEncoding(m, e), objAux(m, e), argv.buf, argv.off[2], argv.len[2]);
  c.reply.int(hv === null ? 0 : 1);
}

const WANT_KEYS = 1;
const WANT_VALUES = 2;

// Iteration state for dict callbacks (no closure per call).
let _itClient: Client | null = null;
let _itWhat = 0;
function _emitPair(f: number): void {
  const c = _itClient!;
  const m = c.server.heap;
  if (_itWhat & WANT_KEYS) _replyField(c, m, f);
  if (_itWhat & WANT_VALUES) _replyValue(c, m, f);
}

/** HKEYS / HVALS / HGETALL (genericHgetallCommand). */
function _hgetallGeneric(c: Client, argv: Argv, what: number): void {
  const both = what === (WANT_KEYS | WANT_VALUES);
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e < 0) return;
  const r = c.reply;
  const m = c.server.heap;
  if (e === 0) {
    if (both) r.mapLen(0);
    else r.arrayLen(0);
    return;
  }
  const enc = objEncoding(m, e);
  const v = objAux(m, e);
  const n = hashLength(m, enc, v);
  if (both) r.mapLen(n);
  else r.arrayLen(n);
  if (enc === OBJ_ENCODING_LISTPACK) {
    let p = lpFirst(m, v);
    while (p !== 0) {
      const vp = lpNext(m, v, p);
      if (what & WANT_KEYS) _replyLp(c, m, v, p);
      if (what & WANT_VALUES) _replyLp(c, m, v, vp);
      p = lpNext(m, v, vp);
    }
    return;
  }
  _itClient = c;
  _itWhat = what;
  dictForEach(m, v, _emitPair);
  _itClient = null;
}

// HKEYS key
function hkeysCommand(c: Client, argv: Argv): void {
  _hgetallGeneric(c, argv, WANT_KEYS);
}

// HVALS key
function hvalsCommand(c: Client, argv: Argv): void {
  _hgetallGeneric(c, argv, WANT_VALUES);
}

// HGETALL key
function hgetallCommand(c: Client, argv: Argv): void {
  _hgetallGeneric(c, argv, WANT_KEYS | WANT_VALUES);
}

/** What _incrField found for the field: absent, a listpack integer, or bytes in hashVal. */
const FIELD_MISSING = 0;
const FIELD_INT = 1;
const FIELD_BYTES = 2;
/** Listpack position of the value _incrField found (0 for a dict or a missing field). */
let _vp = 0;
/** The listpack integer _incrField found. */
let _vInt: number | bigint = 0;

/**
 * The current value of field argv[2] of the hash entry e, for HINCRBY / HINCRBYFLOAT: returns
 * FIELD_MISSING, FIELD_INT (the value in _vInt) or FIELD_BYTES (the bytes in hashVal), and
 * leaves a listpack value's position in _vp.
 */
function _incrField(m: Heap, e: number, argv: Argv): number {
  const enc = objEncoding(m, e);
  const v = objAux(m, e);
  _vp = 0;
  if (enc !== OBJ_ENCODING_LISTPACK) {
    const hv = hashGetField(m, enc, v, argv.buf, argv.off[2], argv.len[2]);
    return hv === null ? FIELD_MISSING : FIELD_BYTES;
  }
  let p = lpFirst(m, v);
  if (p !== 0) p = lpFind(m, v, p, argv.buf, argv.off[2], argv.len[2], 1);
  if (p === 0) return FIELD_MISSING;
  _vp = lpNext(m, v, p);
  const el = lpGet(m, v, _vp);
  if (el.isInt) {
    _vInt = el.exact ? el.int : lpElBigInt(el);
    return FIELD_INT;
  }
  hashVal.buf = el.buf;
  hashVal.off = el.off;
  hashVal.len = el.len;
  return FIELD_BYTES;
}

// HINCRBY key field increment
function hincrbyCommand(c: Client, argv: Argv): void {
  const incr = parseLLExact(argv.buf, argv.off[3], argv.len[3]);
  if (incr === null) {
    c.error(NOT_INTEGER);
    return;
  }
  const e = _writeHash(c, argv);
  if (e < 0) return;
  const s = c.server;
  const m = s.heap;
  const kind = _incrField(m, e, argv);
  const value = kind === FIELD_BYTES
    ? parseLLExact(hashVal.buf, hashVal.off, hashVal.len)
    : (kind === FIELD_INT ? _vInt : 0);
  if (value === null) {
    c.error(HASH_NOT_INTEGER);
    return;
  }
  let result: number | bigint;
  let len: number;
  const sum = typeof value === "number" && typeof incr === "number" ? value + incr : NaN;
  if (Number.isSafeInteger(sum)) {
    result = sum;
    len = writeInt(SCRATCH, 0, sum);
  } else {
    const a = BigInt(value);
    const b = BigInt(incr);
    if ((b < 0n && a < 0n && b < LLONG_MIN - a) || (b > 0n && a > 0n && b > LLONG_MAX - a)) {
      c.error(OVERFLOW);
      return;
    }
    const r = a + b;
    len = writeInt64(SCRATCH, 0, r);
    const n = Number(r);
    result = Number.isSafeInteger(n) ? n : r;
  }
  const maxValue = s.limits.hashMaxListpackValue;
  if (_vp !== 0 && typeof result === "number" && len <= maxValue && argv.len[2] <= maxValue) {
    // The field is there and the listpack stays: overwrite its value in place.
    setObjAux(m, e, lpReplaceInt(m, objAux(m, e), _vp, result));
  } else {
    _setField(s, e, argv, SCRATCH, 0, len);
  }
  c.reply.int(result);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_HASH, "hincrby", 1);
}

// HINCRBYFLOAT key field increment
function hincrbyfloatCommand(c: Client, argv: Argv): void {
  const incr = parseLongDouble(argv.buf, argv.off[3], argv.len[3]);
  if (incr === null) {
    c.error(NOT_FLOAT);
    return;
  }
  if (!ldIsFinite(incr)) {
    c.error(NAN_OR_INF_INCR);
    return;
  }
  const e = _writeHash(c, argv);
  if (e < 0) return;
  const s = c.server;
  const m = s.heap;
  const kind = _incrField(m, e, argv);
  const value = kind === FIELD_INT
    ? ldFromBigInt(BigInt(_vInt))
    : (kind === FIELD_BYTES ? parseLongDouble(hashVal.buf, hashVal.off, hashVal.len) : ldZero());
  if (value === null) {
    c.error(HASH_NOT_FLOAT);
    return;
  }
  const text = ldIncrHuman(value, incr);
  if (text === null) {
    c.error(NAN_OR_INF);
    return;
  }
  const bytes = fromLatin1(text);
  _setField(s, e, argv, bytes, 0, bytes.length);
  c.reply.bulk(bytes, 0, bytes.length);
  keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_HASH, "hincrbyfloat", 1);
}

// ---- HRANDFIELD ----

/** Above this many times the requested count, pick at random instead of removing (CASE 3/4). */
const HRANDFIELD_SUB_STRATEGY_MUL = 3;
/** Negative counts are served in batches of at most this many picks. */
const HRANDFIELD_RANDOM_SAMPLE_LIMIT = 1000;

/** Field positions of a listpack hash, in order (reused buffer). */
let _pos = new Int32Array(64);
function _lpPositions(m: Heap, lp: number): number {
  const n = lpLength(m, lp) >>> 1;
  if (n > _pos.length) _pos = new Int32Array(Math.max(n, _pos.length * 2));
  let p = lpFirst(m, lp);
  let i = 0;
  while (p !== 0) {
    _pos[i++] = p;
    p = lpNext(m, lp, lpNext(m, lp, p));
  }
  return i;
}

/** One listpack pair in HRANDFIELD's shape: [field value] in RESP3, flat in RESP2. */
function _replyLpPair(c: Client, m: Heap, lp: number, p: number, withValues: boolean): void {
  if (withValues && c.reply.resp > 2) c.reply.arrayLen(2);
  _replyLp(c, m, lp, p);
  if (withValues) _replyLp(c, m, lp, lpNext(m, lp, p));
}

function _replyDictPair(c: Client, m: Heap, f: number, withValues: boolean): void {
  if (withValues && c.reply.resp > 2) c.reply.arrayLen(2);
  _replyField(c, m, f);
  if (withValues) _replyValue(c, m, f);
}

/** HRANDFIELD key count [WITHVALUES] (hrandfieldWithCountCommand). */
function _hrandfieldWithCount(c: Client, argv: Argv, l: number, withValues: boolean): void {
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e < 0) return;
  const r = c.reply;
  if (e === 0) {
    r.arrayLen(0);
    return;
  }
  const m = c.server.heap;
  const enc = objEncoding(m, e);
  const v = objAux(m, e);
  let size = hashLength(m, enc, v);
  const uniq = l >= 0;
  let count = uniq ? l : -l;
  if (count === 0) {
    r.arrayLen(0);
    return;
  }
  const resp2Pairs = withValues && r.resp === 2;

  // CASE 1: a negative count (repetitions allowed) or a single field: independent picks.
  if (!uniq || count === 1) {
    r.arrayLen(resp2Pairs ? count * 2 : count);
    if (enc === OBJ_ENCODING_HT) {
      while (count-- > 0) {
        _replyDictPair(c, m, dictGetFairRandomKey(m, v), withValues);
        if ((count & 1023) === 0 && c.replyOverLimit()) break;
      }
      return;
    }
    const n = _lpPositions(m, v);
    while (count > 0) {
      const batch = count > HRANDFIELD_RANDOM_SAMPLE_LIMIT ? HRANDFIELD_RANDOM_SAMPLE_LIMIT : count;
      count -= batch;
      for (let i = 0; i < batch; i++) {
        _replyLpPair(c, m, v, _pos[Math.floor(Math.random() * n)], withValues);
      }
      if (c.replyOverLimit()) break;
    }
    return;
  }

  // CASE 2: at least as many as the hash holds: the whole hash.
  const replySize = count < size ? count : size;
  r.arrayLen(resp2Pairs ? replySize * 2 : replySize);
  if (count >= size) {
    if (enc === OBJ_ENCODING_LISTPACK) {
      for (let p = lpFirst(m, v); p !== 0; p = lpNext(m, v, lpNext(m, v, p))) {
        _replyLpPair(c, m, v, p, withValues);
      }
    } else {
      dictForEach(m, v, (f) => _replyDictPair(c, m, f, withValues));
    }
    return;
  }

  // CASE 3: the count is close to the size: copy everything, drop random fields until count
  // remain.
  if (count * HRANDFIELD_SUB_STRATEGY_MUL > size) {
    const all: number[] = [];
    if (enc === OBJ_ENCODING_LISTPACK) {
      const n = _lpPositions(m, v);
      for (let i = 0; i < n; i++) all.push(_pos[i]);
    } else {
      dictForEach(m, v, (f) => {
        all.push(f);
      });
    }
    while (size > count) {
      const i = Math.floor(Math.random() * size);
      all[i] = all[size - 1];
      all.pop();
      size--;
    }
    for (let i = 0; i < all.length; i++) {
      if (enc === OBJ_ENCODING_LISTPACK) _replyLpPair(c, m, v, all[i], withValues);
      else _replyDictPair(c, m, all[i], withValues);
    }
    return;
  }

  // CASE 4: a big hash compared to the count.
  if (enc === OBJ_ENCODING_LISTPACK) {
    // One pass: take each field with probability (still wanted) / (still unvisited).
    let p = lpFirst(m, v);
    let picked = 0;
    let index = 0;
    let remaining = count;
    while (picked < count && p !== 0) {
      if (Math.random() <= remaining / (size - index)) {
        _replyLpPair(c, m, v, p, withValues);
        remaining--;
        picked++;
      }
      p = lpNext(m, v, lpNext(m, v, p));
      index++;
    }
    return;
  }
  const seen = new Set<number>();
  while (seen.size < count) {
    const f = dictGetFairRandomKey(m, v);
    if (seen.has(f)) continue;
    seen.add(f);
    _replyDictPair(c, m, f, withValues);
  }
}

// HRANDFIELD key [count [WITHVALUES]]
function hrandfieldCommand(c: Client, argv: Argv): void {
  if (argv.argc >= 3) {
    const l = argRangeLong(c, argv, 2, -LLONG_MAX, LLONG_MAX);
    if (l !== l) return;
    if (argv.argc > 4 || (argv.argc === 4 && !argIs(argv, 3, "withvalues"))) {
      c.error(SYNTAX);
      return;
    }
    const withValues = argv.argc === 4;
    if (withValues && !argWithinHalfLong(argv, 2, l)) {
      c.error("ERR value is out of range");
      return;
    }
    _hrandfieldWithCount(c, argv, l, withValues);
    return;
  }
  const e = readTyped(c, argv, 1, OBJ_HASH);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  const m = c.server.heap;
  const v = objAux(m, e);
  if (objEncoding(m, e) === OBJ_ENCODING_HT) {
    _replyField(c, m, dictGetFairRandomKey(m, v));
    return;
  }
  const n = lpLength(m, v) >>> 1;
  _replyLp(c, m, v, lpSeek(m, v, Math.floor(Math.random() * n) * 2));
}

// ---- HSCAN ----

// HSCAN key cursor [MATCH pattern] [COUNT count]
function hscanCommand(c: Client, argv: Argv): void {
  const e = scanKeyStart(c, argv, OBJ_HASH);
  if (e === 0) return;
  const pat = scanOpts.pat;
  const m = c.server.heap;
  const v = objAux(m, e);
  const r = c.reply;
  if (objEncoding(m, e) === OBJ_ENCODING_LISTPACK) {
    // A listpack is small: everything in one reply, and the scan is over.
    const n = _lpPositions(m, v);
    let kept = n;
    if (pat >= 0) {
      kept = 0;
      for (let i = 0; i < n; i++) {
        const el = lpGetBytes(m, v, _pos[i]);
        if (globMatch(argv.buf, argv.off[pat], argv.len[pat], el.buf, el.off, el.len)) {
          _pos[kept++] = _pos[i];
        }
      }
    }
    r.arrayLen(2);
    r.bulkStr("0");
    r.arrayLen(kept * 2);
    for (let i = 0; i < kept; i++) {
      _replyLp(c, m, v, _pos[i]);
      _replyLp(c, m, v, lpNext(m, v, _pos[i]));
    }
    return;
  }
  // Fields and values both count towards COUNT, as Redis's flat reply list does.
  const cursor = scanDict(m, v, scanOpts.cursor, scanOpts.count, true);
  const batch = scanned;
  let kept = batch.length;
  if (pat >= 0) {
    kept = 0;
    for (let i = 0; i < batch.length; i++) {
      const f = batch[i];
      if (
        globMatch(
          argv.buf,
          argv.off[pat],
          argv.len[pat],
          m.u8[f >>> OFF_BITS],
          _fOff(f),
          _fLen(m, f),
        )
      ) {
        batch[kept++] = f;
      }
    }
  }
  r.arrayLen(2);
  r.bulkStr(String(cursor));
  r.arrayLen(kept * 2);
  for (let i = 0; i < kept; i++) {
    _replyField(c, m, batch[i]);
    _replyValue(c, m, batch[i]);
  }
  batch.length = 0;
}

// ---- command table ----

const K1 = { first: 1, last: 1, step: 1 };

export const hashCommands = defineCommands("hash", [
  {
    name: "hset",
    arity: -4,
    flags: WRITE | DENYOOM | FAST,
    handler: hsetCommand,
    keys: K1,
    keyFlags: ["RW", "update"],
    summary: "Sets one or more fields of a hash, creating the hash when missing",
    since: "2.0.0",
    complexity:
      "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    syntax: "key field_value=(field value) ...",
  },
  {
    name: "hsetnx",
    arity: 4,
    flags: WRITE | DENYOOM | FAST,
    handler: hsetnxCommand,
    keys: K1,
    keyFlags: ["RW", "insert"],
    summary: "Sets a hash field only when the field is not there yet",
    since: "2.0.0",
    complexity: "O(1)",
    syntax: "key field value",
  },
  {
    name: "hmset",
    arity: -4,
    flags: WRITE | DENYOOM | FAST,
    handler: hmsetCommand,
    keys: K1,
    keyFlags: ["RW", "update"],
    summary: "Sets several hash fields at once (older form of HSET)",
    since: "2.0.0",
    complexity: "O(N) where N is the number of fields being set.",
    syntax: "key field_value=(field value) ...",
    docFlags: ["deprecated"],
    deprecatedSince: "4.0.0",
    replacedBy: "`HSET` with multiple field-value pairs",
  },
  {
    name: "hget",
    arity: 3,
    flags: READONLY | FAST,
    handler: hgetCommand,
    keys: K1,
    keyFlags: ["RO", "access"],
    summary: "Returns the value stored in one field of a hash",
    since: "2.0.0",
    complexity: "O(1)",
    syntax: "key field",
  },
  {
    name: "hmget",
    arity: -3,
    flags: READONLY | FAST,
    handler: hmgetCommand,
    keys: K1,
    keyFlags: ["RO", "access"],
    summary: "Returns the values of several hash fields, nil for each missing one",
    since: "2.0.0",
    complexity: "O(N) where N is the number of fields being requested.",
    syntax: "key field ...",
  },
  {
    name: "hdel",
    arity: -3,
    flags: WRITE | FAST,
    handler: hdelCommand,
    keys: K1,
    keyFlags: ["RW", "delete"],
    summary: "Removes fields from a hash; the key goes away with its last field",
    since: "2.0.0",
    complexity: "O(N) where N is the number of fields to be removed.",
    syntax: "key field ...",
  },
  {
    name: "hlen",
    arity: 2,
    flags: READONLY | FAST,
    handler: hlenCommand,
    keys: K1,
    keyFlags: ["RO"],
    summary: "Counts the fields of a hash",
    since: "2.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "hstrlen",
    arity: 3,
    flags: READONLY | FAST,
    handler: hstrlenCommand,
    keys: K1,
    keyFlags: ["RO"],
    summary: "Returns the length in bytes of a hash field's value",
    since: "3.2.0",
    complexity: "O(1)",
    syntax: "key field",
  },
  {
    name: "hexists",
    arity: 3,
    flags: READONLY | FAST,
    handler: hexistsCommand,
    keys: K1,
    keyFlags: ["RO"],
    summary: "Tells whether a hash has a given field",
    since: "2.0.0",
    complexity: "O(1)",
    syntax: "key field",
  },
  {
    name: "hkeys",
    arity: 2,
    flags: READONLY,
    handler: hkeysCommand,
    keys: K1,
    keyFlags: ["RO", "access"],
    summary: "Lists the field names of a hash",
    since: "2.0.0",
    complexity: "O(N) where N is the size of the hash.",
    syntax: "key",
    tips: ["nondeterministic_output_order"],
  },
  {
    name: "hvals",
    arity: 2,
    flags: READONLY,
    handler: hvalsCommand,
    keys: K1,
    keyFlags: ["RO", "access"],
    summary: "Lists the values held in a hash",
    since: "2.0.0",
    complexity: "O(N) where N is the size of the hash.",
    syntax: "key",
    tips: ["nondeterministic_output_order"],
  },
  {
    name: "hgetall",
    arity: 2,
    flags: READONLY,
    handler: hgetallCommand,
    keys: K1,
    keyFlags: ["RO", "access"],
    summary: "Returns every field of a hash together with its value",
    since: "2.0.0",
    complexity: "O(N) where N is the size of the hash.",
    syntax: "key",
    tips: ["nondeterministic_output_order"],
  },
  {
    name: "hincrby",
    arity: 4,
    flags: WRITE | DENYOOM | FAST,
    handler: hincrbyCommand,
    keys: K1,
    keyFlags: ["RW", "access", "update"],
    summary: "Adds an integer to the number held in a hash field (a missing field counts as 0)",
    since: "2.0.0",
    complexity: "O(1)",
    syntax: "key field increment:integer",
  },
  {
    name: "hincrbyfloat",
    arity: 4,
    flags: WRITE | DENYOOM | FAST,
    handler: hincrbyfloatCommand,
    keys: K1,
    keyFlags: ["RW", "access", "update"],
    summary: "Adds a floating point number to the number held in a hash field",
    since: "2.6.0",
    complexity: "O(1)",
    syntax: "key field increment:double",
  },
  {
    name: "hrandfield",
    arity: -2,
    flags: READONLY,
    handler: hrandfieldCommand,
    keys: K1,
    keyFlags: ["RO", "access"],
    summary: "Returns random fields of a hash, optionally with their values",
    since: "6.2.0",
    complexity: "O(N) where N is the number of fields returned",
    syntax: "key options=[count:integer [WITHVALUES]]",
    tips: ["nondeterministic_output"],
  },
  {
    name: "hscan",
    arity: -3,
    flags: READONLY,
    handler: hscanCommand,
    keys: K1,
    keyFlags: ["RO", "access"],
    summary: "Walks the fields and values of a hash a few at a time with a cursor",
    since: "2.8.0",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    syntax: "key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]",
    tips: ["nondeterministic_output"],
  },
]);
