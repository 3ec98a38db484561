// Sets: an intset while every member is an integer and there are at most
// set-max-intset-entries of them, otherwise a dict whose entries are the members (aux 0).
// Set API first (no clients: SORT and other families read sets through it), then the
// commands, then the table. Must not import other type families' internals.
//
// Encodings follow Redis 7.0 exactly: a new set is an intset when its first member is an
// integer; adding a non-integer, or growing past set-max-intset-entries, converts it to a
// hashtable for good. Results of SINTERSTORE/SUNIONSTORE/SDIFFSTORE and SPOP's rebuilt set
// start as intsets and convert by the same rule.

import { NOTIFY_GENERIC, NOTIFY_SET } from "../config.ts";
import {
  dictAdd,
  dictCreate,
  dictExpand,
  dictFind,
  dictGetFairRandomKey,
  dictReleaseSome,
  dictShrinkIfNeeded,
  dictSize,
  dictUnlinkFound,
  ENTRY_HEADER,
  hashBytes,
  KLEN_MASK,
} from "../encoding/dict.ts";
import {
  INTSET_ENC_INT64,
  intsetAdd,
  intsetAddBig,
  intsetChanged,
  intsetDup,
  intsetEncoding,
  intsetFind,
  intsetFindBig,
  intsetFree,
  intsetGet,
  intsetGetBig,
  intsetGetIsSafe,
  intsetLen,
  intsetMemUsage,
  intsetNew,
  intsetRandomIndex,
  intsetRemove,
  intsetRemoveAt,
  intsetRemoveBig,
} from "../encoding/intset.ts";
import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import { EMPTY, LLONG_MAX, parseLL, parseLLBig, writeInt64 } from "../protocol/bytes.ts";
import { SYNTAX, WRONGTYPE } from "../protocol/errors.ts";
import { globMatch } from "../protocol/glob.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Client } from "../server/client.ts";
import {
  type CommandDef,
  defineCommands,
  DENYOOM,
  FAST,
  type KeySpecDef,
  READONLY,
  WRITE,
} from "../server/command.ts";
import {
  OBJ_ENCODING_HT,
  OBJ_ENCODING_INTSET,
  OBJ_SET,
  objAux,
  objEncoding,
  objType,
  setObjAux,
  setObjEncoding,
} from "../store/object.ts";
import { registerValueType } from "../store/values.ts";
import {
  argIs,
  argNumkeys,
  argPositiveLong,
  argRangeLong,
  deleteEmptied,
  keyModified,
  lookupRead,
  notifyKey,
  numkeysGetKeys,
  readTyped,
  scanDict,
  scanKeyStart,
  scanned,
  scanOpts,
  writeTyped,
} from "./common.ts";

// ---- error texts (Redis 7.0) ----
const NUMKEYS_TOO_MANY = "ERR Number of keys can't be greater than number of args";
const LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

/** Redis caps set-max-intset-entries at 2^30 (intset internals). */
const INTSET_MAX_CAP = 1 << 30;
/** SPOP count: rebuild the remaining set when it is this many times smaller than count. */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** SRANDMEMBER count: copy-and-subtract when the set is at most this many times count. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

// ---- member integers (isSdsRepresentableAsLongLong) ----

/** The integer parsed by the last _memberInt: a safe number, or a bigint beyond 2^53. */
let _num = 0;
let _big: bigint | null = null;

/** string2ll of a member; true when it is an integer (value left in _num / _big). */
function _memberInt(b: Uint8Array, off: number, len: number): boolean {
  if (len === 0 || len > 20) return false;
  const v = parseLL(b, off, len);
  if (Number.isNaN(v)) return false;
  if (Number.isSafeInteger(v)) {
    _num = v;
    _big = null;
  } else {
    _big = parseLLBig(b, off, len);
  }
  return true;
}

/** Decimal bytes of _num / _big in `out` (24 bytes); returns the length. */
function _intBytes(out: Uint8Array): number {
  return writeInt64(out, 0, _big ?? _num);
}

const _scratch = new Uint8Array(24);

// ---- dict internals read directly (layout documented in encoding/dict.ts) ----
// Header words: [0] table0 [1] size0 [2] used0 [3] table1 [4] size1 [5] used1.

function _dictWord(m: Heap, d: number, w: number): number {
  return m.u32[d >>> OFF_BITS][((d & OFF_MASK) << 1) + w];
}

function _bucket(m: Heap, table: number, i: number): number {
  return m.u32[table >>> OFF_BITS][((table & OFF_MASK) << 1) + i];
}

function _next(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][(e & OFF_MASK) << 1];
}

/** Key length of a member entry. Member entries never carry the EXT block. */
function _mlen(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & KLEN_MASK;
}

/** Byte offset of a member entry's bytes inside m.u8[e >>> OFF_BITS]. */
function _moff(e: number): number {
  return ((e & OFF_MASK) << 3) + ENTRY_HEADER;
}

/** A member entry: [next][meta 0][klen][aux 0][member bytes]. */
function _newMember(m: Heap, b: Uint8Array, off: number, len: number): number {
  const e = m.alloc(ENTRY_HEADER + len);
  const u = m.u32[e >>> OFF_BITS];
  const w = (e & OFF_MASK) << 1;
  u[w] = 0;
  u[w + 1] = 0;
  u[w + 2] = len;
  u[w + 3] = 0;
  const u8 = m.u8[e >>> OFF_BITS];
  const o = (w << 2) + ENTRY_HEADER;
  if (len <= 32) { for (let i = 0; i < len; i++) u8[o + i] = b[off + i]; }
  else u8.set(b.subarray(off, off + len), o);
  return e;
}

/** Add a member to a dict set; false when it was there already. */
function _htAdd(m: Heap, d: number, b: Uint8Array, off: number, len: number): boolean {
  const hash = hashBytes(b, off, len);
  if (dictFind(m, d, b, off, len, hash) !== 0) return false;
  dictAdd(m, d, _newMember(m, b, off, len), hash);
  return true;
}

/** Remove a member from a dict set (shrinking the table when under 10% full). */
function _htRemove(m: Heap, d: number, b: Uint8Array, off: number, len: number): boolean {
  const e = dictFind(m, d, b, off, len, hashBytes(b, off, len));
  if (e === 0) return false;
  dictUnlinkFound(m, d, e);
  m.free(e);
  dictShrinkIfNeeded(m, d);
  return true;
}

// ---- Set API ----

/** A set value being modified: its encoding and structure handle (both may change). */
export class SetVal {
  enc = OBJ_ENCODING_INTSET;
  h = 0;
}

/**
 * One set member as read from a set: an integer (intset: `num`, or `big` beyond 2^53) or bytes
 * (`buf[off..off+len)`, a view into arena memory valid until the set is modified). For an
 * integer, setMemberBytes fills buf/off/len with its decimal digits.
 */
export class SetMember {
  isInt = false;
  num = 0;
  big: bigint | null = null;
  buf: Uint8Array = EMPTY;
  off = 0;
  len = 0;
  /** Dict entry (hashtable) or index (intset) the member was read from. */
  ref = 0;
  readonly digits = new Uint8Array(24);
}

/** Make an integer member's decimal bytes available in buf/off/len. */
export function setMemberBytes(mem: SetMember): void {
  if (!mem.isInt) return;
  _num = mem.num;
  _big = mem.big;
  mem.buf = mem.digits;
  mem.off = 0;
  mem.len = _intBytes(mem.digits);
}

function _readIntset(m: Heap, is: number, i: number, out: SetMember): void {
  out.isInt = true;
  out.ref = i;
  if (intsetEncoding(m, is) === INTSET_ENC_INT64 && !intsetGetIsSafe(m, is, i)) {
    out.big = intsetGetBig(m, is, i);
    out.num = 0;
  } else {
    out.num = intsetGet(m, is, i);
    out.big = null;
  }
}

function _readEntry(m: Heap, e: number, out: SetMember): void {
  out.isInt = false;
  out.ref = e;
  out.buf = m.u8[e >>> OFF_BITS];
  out.off = _moff(e);
  out.len = _mlen(m, e);
}

/**
 * Iterator over a set value (setTypeInitIterator/setTypeNext), allocation-free once created
 * (keep one and re-init it): `it.init(enc, h); while (it.next(m)) { ...it is a SetMember... }`.
 * Intsets come in ascending order. The set must not be modified while iterating.
 */
export class SetIter extends SetMember {
  enc = 0;
  h = 0;
  private _i = 0;
  private _t = 0;
  private _e = 0;

  init(enc: number, h: number): void {
    this.enc = enc;
    this.h = h;
    this._i = 0;
    this._t = 0;
    this._e = 0;
  }

  next(m: Heap): boolean {
    if (this.enc === OBJ_ENCODING_INTSET) {
      if (this._i >= intsetLen(m, this.h)) return false;
      _readIntset(m, this.h, this._i++, this);
      return true;
    }
    const d = this.h;
    let e = this._e;
    while (e === 0) {
      const size = _dictWord(m, d, this._t === 0 ? 1 : 4);
      if (this._i >= size) {
        if (this._t === 1) return false;
        this._t = 1;
        this._i = 0;
        continue;
      }
      e = _bucket(m, _dictWord(m, d, this._t === 0 ? 0 : 3), this._i++);
    }
    this._e = _next(m, e);
    _readEntry(m, e, this);
    return true;
  }
}

/** Cardinality of a set value. */
export function setTypeSize(m: Heap, enc: number, h: number): number {
  return enc === OBJ_ENCODING_INTSET ? intsetLen(m, h) : dictSize(m, h);
}

/** Whether bytes b[off..off+len) are a member. */
export function setTypeIsMember(
  m: Heap,
  enc: number,
  h: number,
  b: Uint8Array,
  off: number,
  len: number,
): boolean {
  if (enc === OBJ_ENCODING_HT) {
    return dictFind(m, h, b, off, len, hashBytes(b, off, len)) !== 0;
  }
  if (!_memberInt(b, off, len)) return false;
  return _big === null ? intsetFind(m, h, _num) : intsetFindBig(m, h, _big);
}

/** Whether a member read from another set belongs to this one. */
export function setTypeHasMember(m: Heap, enc: number, h: number, mem: SetMember): boolean {
  if (!mem.isInt) return setTypeIsMember(m, enc, h, mem.buf, mem.off, mem.len);
  if (enc === OBJ_ENCODING_INTSET) {
    return mem.big === null ? intsetFind(m, h, mem.num) : intsetFindBig(m, h, mem.big);
  }
  setMemberBytes(mem);
  return dictFind(m, h, mem.buf, mem.off, mem.len, hashBytes(mem.buf, mem.off, mem.len)) !== 0;
}

/** set-max-intset-entries as setTypeAdd applies it. */
export function setMaxIntsetEntries(configured: number): number {
  return configured >= INTSET_MAX_CAP ? INTSET_MAX_CAP : configured;
}

/** A new empty set able to hold the first member b (setTypeCreate): intset for an integer. */
export function setTypeCreate(m: Heap, sv: SetVal, b: Uint8Array, off: number, len: number): void {
  if (_memberInt(b, off, len)) {
    sv.enc = OBJ_ENCODING_INTSET;
    sv.h = intsetNew(m);
  } else {
    sv.enc = OBJ_ENCODING_HT;
    sv.h = dictCreate(m);
  }
}

/** A new empty intset value (the start of every *STORE result). */
export function setTypeCreateIntset(m: Heap, sv: SetVal): void {
  sv.enc = OBJ_ENCODING_INTSET;
  sv.h = intsetNew(m);
}

/** Convert an intset value to a hashtable (setTypeConvert). */
export function setTypeConvert(m: Heap, sv: SetVal): void {
  const is = sv.h;
  const d = dictCreate(m);
  const n = intsetLen(m, is);
  dictExpand(m, d, n); // presized: no rehashing while converting
  for (let i = 0; i < n; i++) {
    if (intsetEncoding(m, is) === INTSET_ENC_INT64 && !intsetGetIsSafe(m, is, i)) {
      _big = intsetGetBig(m, is, i);
    } else {
      _num = intsetGet(m, is, i);
      _big = null;
    }
    const len = _intBytes(_scratch);
    dictAdd(m, d, _newMember(m, _scratch, 0, len), hashBytes(_scratch, 0, len));
  }
  intsetFree(m, is);
  sv.enc = OBJ_ENCODING_HT;
  sv.h = d;
}

/** Add the integer in _num/_big; the caller parsed it. */
function _addInt(m: Heap, sv: SetVal, maxIntset: number): boolean {
  if (sv.enc === OBJ_ENCODING_INTSET) {
    sv.h = _big === null ? intsetAdd(m, sv.h, _num) : intsetAddBig(m, sv.h, _big);
    if (!intsetChanged()) return false;
    if (intsetLen(m, sv.h) > maxIntset) setTypeConvert(m, sv);
    return true;
  }
  const len = _intBytes(_scratch);
  return _htAdd(m, sv.h, _scratch, 0, len);
}

/**
 * Add member b[off..off+len) (setTypeAdd); true when it was new. Converts an intset to a
 * hashtable for a non-integer member or past maxIntset members (see setMaxIntsetEntries).
 */
export function setTypeAdd(
  m: Heap,
  sv: SetVal,
  b: Uint8Array,
  off: number,
  len: number,
  maxIntset: number,
): boolean {
  if (sv.enc === OBJ_ENCODING_HT) return _htAdd(m, sv.h, b, off, len);
  if (_memberInt(b, off, len)) return _addInt(m, sv, maxIntset);
  setTypeConvert(m, sv);
  dictAdd(m, sv.h, _newMember(m, b, off, len), hashBytes(b, off, len));
  return true;
}

/** Add a member read from another set; true when it was new. */
export function setTypeAddMember(m: Heap, sv: SetVal, mem: SetMember, maxIntset: number): boolean {
  if (!mem.isInt) return setTypeAdd(m, sv, mem.buf, mem.off, mem.len, maxIntset);
  _num = mem.num;
  _big = mem.big;
  return _addInt(m, sv, maxIntset);
}

/** Remove member b[off..off+len) (setTypeRemove); true when it was there. */
export function setTypeRemove(
  m: Heap,
  sv: SetVal,
  b: Uint8Array,
  off: number,
  len: number,
): boolean {
  if (sv.enc === OBJ_ENCODING_HT) return _htRemove(m, sv.h, b, off, len);
  if (!_memberInt(b, off, len)) return false;
  sv.h = _big === null ? intsetRemove(m, sv.h, _num) : intsetRemoveBig(m, sv.h, _big);
  return intsetChanged();
}

/** Remove a member read from another set (or from this one); true when it was there. */
export function setTypeRemoveMember(m: Heap, sv: SetVal, mem: SetMember): boolean {
  if (!mem.isInt) return setTypeRemove(m, sv, mem.buf, mem.off, mem.len);
  if (sv.enc === OBJ_ENCODING_INTSET) {
    sv.h = mem.big === null ? intsetRemove(m, sv.h, mem.num) : intsetRemoveBig(m, sv.h, mem.big);
    return intsetChanged();
  }
  setMemberBytes(mem);
  return _htRemove(m, sv.h, mem.buf, mem.off, mem.len);
}

/**
 * A random member of a non-empty set (setTypeRandomElement): uniform on intsets,
 * dictGetFairRandomKey on hashtables (a random pick among up to 15 sampled entries).
 */
export function setTypeRandom(m: Heap, enc: number, h: number, out: SetMember): void {
  if (enc === OBJ_ENCODING_INTSET) {
    _readIntset(m, h, intsetRandomIndex(m, h), out);
    return;
  }
  _readEntry(m, dictGetFairRandomKey(m, h), out);
}

/** Remove the member setTypeRandom just returned (it must still be current). */
function _removeRandom(m: Heap, sv: SetVal, mem: SetMember): void {
  if (sv.enc === OBJ_ENCODING_INTSET) {
    sv.h = intsetRemoveAt(m, sv.h, mem.ref);
    return;
  }
  _htRemove(m, sv.h, mem.buf, mem.off, mem.len);
}

/** Free a set value of either encoding. */
export function setTypeFree(m: Heap, enc: number, h: number): void {
  if (enc === OBJ_ENCODING_INTSET) intsetFree(m, h);
  else dictReleaseSome(m, h, Infinity, (e) => m.free(e));
}

/** Deep copy with the same encoding (setTypeDup, COPY). */
export function setTypeDup(m: Heap, enc: number, h: number): number {
  if (enc === OBJ_ENCODING_INTSET) return intsetDup(m, h);
  const d = dictCreate(m);
  dictExpand(m, d, dictSize(m, h));
  const it = new SetIter();
  it.init(enc, h);
  while (it.next(m)) {
    // The source entry is read before the allocation; arena chunk views stay valid.
    const hash = hashBytes(it.buf, it.off, it.len);
    dictAdd(m, d, _newMember(m, it.buf, it.off, it.len), hash);
  }
  return d;
}

function _htUsage(m: Heap, d: number, samples: number): number {
  let n = m.usableSize(d);
  const t0 = _dictWord(m, d, 0);
  const t1 = _dictWord(m, d, 3);
  if (t0 !== 0) n += m.usableSize(t0);
  if (t1 !== 0) n += m.usableSize(t1);
  const size = dictSize(m, d);
  if (size === 0) return n;
  const it = new SetIter();
  it.init(OBJ_ENCODING_HT, d);
  let seen = 0;
  let bytes = 0;
  while ((samples === 0 || seen < samples) && it.next(m)) {
    bytes += m.usableSize(it.ref);
    seen++;
  }
  return n + Math.round((bytes / seen) * size);
}

/** Move a hashtable set's allocations that the allocator says are worth moving. */
function _htDefrag(m: Heap, d: number): number {
  if (m.defragHint(d)) d = m.move(d);
  for (let t = 0; t < 2; t++) {
    const tw = t === 0 ? 0 : 3;
    let table = _dictWord(m, d, tw);
    if (table === 0) continue;
    if (m.defragHint(table)) {
      table = m.move(table);
      m.u32[d >>> OFF_BITS][((d & OFF_MASK) << 1) + tw] = table;
    }
    const size = _dictWord(m, d, t === 0 ? 1 : 4);
    for (let i = 0; i < size; i++) {
      let prev = 0;
      let e = _bucket(m, table, i);
      while (e !== 0) {
        if (m.defragHint(e)) {
          const ne = m.move(e);
          if (prev === 0) m.u32[table >>> OFF_BITS][((table & OFF_MASK) << 1) + i] = ne;
          else m.u32[prev >>> OFF_BITS][(prev & OFF_MASK) << 1] = ne;
          e = ne;
        }
        prev = e;
        e = _next(m, e);
      }
    }
  }
  return d;
}

registerValueType(OBJ_SET, {
  free(m, v, enc) {
    setTypeFree(m, enc!, v);
  },
  dup(m, v, enc) {
    return setTypeDup(m, enc!, v);
  },
  usage(m, v, samples, enc) {
    if (enc === OBJ_ENCODING_INTSET) return intsetMemUsage(m, v);
    return _htUsage(m, v, samples);
  },
  freeEffort(m, v, enc) {
    return enc === OBJ_ENCODING_INTSET ? 1 : dictSize(m, v);
  },
  freeSome(m, v, budget, enc) {
    if (enc === OBJ_ENCODING_INTSET) {
      intsetFree(m, v);
      return true;
    }
    return dictReleaseSome(m, v, budget, (e) => m.free(e));
  },
  defrag(m, v, enc) {
    if (enc === OBJ_ENCODING_INTSET) return m.defragHint(v) ? m.move(v) : v;
    return _htDefrag(m, v);
  },
  digest(m, v, d, ops, enc) {
    // xorObjectDigest: every member (integers as decimal text) xored in, order-free.
    const it = new SetIter();
    it.init(enc!, v);
    while (it.next(m)) {
      setMemberBytes(it);
      ops.xor(d, it.buf.slice(it.off, it.off + it.len));
    }
  },
});

// ---- command helpers ----

const _sv = new SetVal();
const _mem = new SetMember();
const _it = new SetIter();
const _it2 = new SetIter();

function _maxIntset(c: Client): number {
  return setMaxIntsetEntries(c.server.limits.setMaxIntsetEntries);
}

function _load(m: Heap, e: number, sv: SetVal): void {
  sv.enc = objEncoding(m, e);
  sv.h = objAux(m, e);
}

function _store(m: Heap, e: number, sv: SetVal): void {
  setObjAux(m, e, sv.h);
  setObjEncoding(m, e, sv.enc);
}

function _replyMember(c: Client, mem: SetMember): void {
  if (!mem.isInt) c.reply.bulk(mem.buf, mem.off, mem.len);
  else if (mem.big === null) c.reply.bulkInt(mem.num);
  else c.reply.bulkStr(mem.big.toString());
}

/** Store a computed set at argv[i] (setKey): replaces any value and drops the TTL. */
function _setKey(c: Client, argv: Argv, i: number, sv: SetVal): void {
  const db = c.db;
  db.setValue(argv.buf, argv.off[i], argv.len[i], OBJ_SET, sv.enc, sv.h, false);
  c.server.signalModifiedKey(db, argv.buf, argv.off[i], argv.len[i]);
}

/** Delete argv[i] as a *STORE with an empty result does. */
function _storeEmpty(c: Client, argv: Argv, i: number): void {
  const db = c.db;
  if (db.delete(argv.buf, argv.off[i], argv.len[i], db.store.lazyServerDel)) {
    keyModified(c, argv.buf, argv.off[i], argv.len[i], NOTIFY_GENERIC, "del", 1);
  }
}

// ---- Set commands ----

// SADD key member [member ...]
function saddCommand(c: Client, argv: Argv): void {
  const s = c.server;
  const m = s.heap;
  let e = writeTyped(c, argv, 1, OBJ_SET);
  if (e < 0) return;
  const sv = _sv;
  if (e === 0) {
    setTypeCreate(m, sv, argv.buf, argv.off[2], argv.len[2]);
    e = c.db.setValue(argv.buf, argv.off[1], argv.len[1], OBJ_SET, sv.enc, sv.h, false);
  } else {
    _load(m, e, sv);
  }
  let added = 0;
  const max = sv.enc === OBJ_ENCODING_INTSET ? _maxIntset(c) : 0;
  for (let j = 2; j < argv.argc; j++) {
    if (setTypeAdd(m, sv, argv.buf, argv.off[j], argv.len[j], max)) added++;
  }
  _store(m, e, sv);
  if (added > 0) keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_SET, "sadd", added);
  c.reply.int(added);
}

// SREM key member [member ...]
function sremCommand(c: Client, argv: Argv): void {
  const m = c.server.heap;
  const e = writeTyped(c, argv, 1, OBJ_SET);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const sv = _sv;
  _load(m, e, sv);
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.argc; j++) {
    if (setTypeRemove(m, sv, argv.buf, argv.off[j], argv.len[j])) {
      deleted++;
      if (setTypeSize(m, sv.enc, sv.h) === 0) {
        keyRemoved = true;
        break;
      }
    }
  }
  _store(m, e, sv);
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  if (deleted > 0) keyModified(c, kb, ko, kl, NOTIFY_SET, "srem", deleted);
  if (keyRemoved) deleteEmptied(c, e, kb, ko, kl);
  c.reply.int(deleted);
}

// SMOVE source destination member
function smoveCommand(c: Client, argv: Argv): void {
  const s = c.server;
  const m = s.heap;
  const db = c.db;
  const src = db.lookupWrite(argv.buf, argv.off[1], argv.len[1]);
  const dst = db.lookupWrite(argv.buf, argv.off[2], argv.len[2]);
  if (src === 0) {
    c.reply.int(0);
    return;
  }
  if (objType(m, src) !== OBJ_SET || (dst !== 0 && objType(m, dst) !== OBJ_SET)) {
    c.error(WRONGTYPE);
    return;
  }
  const mo = argv.off[3];
  const ml = argv.len[3];
  if (src === dst) {
    c.reply.int(setTypeIsMember(m, objEncoding(m, src), objAux(m, src), argv.buf, mo, ml) ? 1 : 0);
    return;
  }
  const sv = _sv;
  _load(m, src, sv);
  const removed = setTypeRemove(m, sv, argv.buf, mo, ml);
  _store(m, src, sv);
  if (!removed) {
    c.reply.int(0);
    return;
  }
  notifyKey(c, NOTIFY_SET, "srem", argv.buf, argv.off[1], argv.len[1]);
  if (setTypeSize(m, sv.enc, sv.h) === 0) deleteEmptied(c, src, argv.buf, argv.off[1], argv.len[1]);
  let de = dst;
  if (de === 0) {
    setTypeCreate(m, sv, argv.buf, mo, ml);
    de = db.setValue(argv.buf, argv.off[2], argv.len[2], OBJ_SET, sv.enc, sv.h, false);
  } else {
    _load(m, de, sv);
  }
  s.signalModifiedKey(db, argv.buf, argv.off[1], argv.len[1]);
  s.dirty++;
  const added = setTypeAdd(
    m,
    sv,
    argv.buf,
    mo,
    ml,
    sv.enc === OBJ_ENCODING_INTSET ? _maxIntset(c) : 0,
  );
  _store(m, de, sv);
  if (added) keyModified(c, argv.buf, argv.off[2], argv.len[2], NOTIFY_SET, "sadd", 1);
  c.reply.int(1);
}

// SISMEMBER key member
function sismemberCommand(c: Client, argv: Argv): void {
  const m = c.server.heap;
  const e = readTyped(c, argv, 1, OBJ_SET);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const hit = setTypeIsMember(
    m,
    objEncoding(m, e),
    objAux(m, e),
    argv.buf,
    argv.off[2],
    argv.len[2],
  );
  c.reply.int(hit ? 1 : 0);
}

// SMISMEMBER key member [member ...]
function smismemberCommand(c: Client, argv: Argv): void {
  const m = c.server.heap;
  const e = readTyped(c, argv, 1, OBJ_SET);
  if (e < 0) return;
  c.reply.arrayLen(argv.argc - 2);
  const enc = e === 0 ? 0 : objEncoding(m, e);
  const h = e === 0 ? 0 : objAux(m, e);
  for (let j = 2; j < argv.argc; j++) {
    const hit = e !== 0 && setTypeIsMember(m, enc, h, argv.buf, argv.off[j], argv.len[j]);
    c.reply.int(hit ? 1 : 0);
  }
}

// SCARD key
function scardCommand(c: Client, argv: Argv): void {
  const m = c.server.heap;
  const e = readTyped(c, argv, 1, OBJ_SET);
  if (e >= 0) c.reply.int(e === 0 ? 0 : setTypeSize(m, objEncoding(m, e), objAux(m, e)));
}

// SPOP key [count]
function spopCommand(c: Client, argv: Argv): void {
  if (argv.argc === 3) {
    spopWithCount(c, argv);
    return;
  }
  if (argv.argc > 3) {
    c.error(SYNTAX);
    return;
  }
  const m = c.server.heap;
  const e = writeTyped(c, argv, 1, OBJ_SET);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  const sv = _sv;
  _load(m, e, sv);
  const mem = _mem;
  setTypeRandom(m, sv.enc, sv.h, mem);
  // Reply first: a hashtable member's bytes are freed by the removal.
  _replyMember(c, mem);
  _removeRandom(m, sv, mem);
  _store(m, e, sv);
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  keyModified(c, kb, ko, kl, NOTIFY_SET, "spop", 1);
  if (setTypeSize(m, sv.enc, sv.h) === 0) deleteEmptied(c, e, kb, ko, kl);
}

// SPOP key count
function spopWithCount(c: Client, argv: Argv): void {
  const count = argPositiveLong(c, argv, 2);
  if (count !== count) return;
  const s = c.server;
  const m = s.heap;
  const e = writeTyped(c, argv, 1, OBJ_SET);
  if (e <= 0) {
    if (e === 0) c.reply.setLen(0);
    return;
  }
  if (count === 0) {
    c.reply.setLen(0);
    return;
  }
  const sv = _sv;
  _load(m, e, sv);
  const size = setTypeSize(m, sv.enc, sv.h);
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  notifyKey(c, NOTIFY_SET, "spop", kb, ko, kl);
  s.dirty += count >= size ? size : count;

  // Case 1: everything goes. Redis serves it through SUNION of the one key (a read lookup).
  if (count >= size) {
    lookupRead(c, argv, 1);
    c.reply.setLen(size);
    const it = _it;
    it.init(sv.enc, sv.h);
    while (it.next(m)) _replyMember(c, it);
    deleteEmptied(c, e, kb, ko, kl);
    s.signalModifiedKey(c.db, kb, ko, kl);
    return;
  }

  c.reply.setLen(count);
  const mem = _mem;
  const remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // Case 2: few to pop: pick and remove them one by one.
    for (let n = count; n > 0; n--) {
      setTypeRandom(m, sv.enc, sv.h, mem);
      _replyMember(c, mem);
      _removeRandom(m, sv, mem);
    }
    _store(m, e, sv);
  } else {
    // Case 3: most of the set goes: move the few that stay into a new set, reply the rest.
    const keep = new SetVal();
    let created = false;
    const max = _maxIntset(c);
    for (let n = remaining; n > 0; n--) {
      setTypeRandom(m, sv.enc, sv.h, mem);
      if (!created) {
        setMemberBytes(mem);
        setTypeCreate(m, keep, mem.buf, mem.off, mem.len);
        created = true;
      }
      setTypeAddMember(m, keep, mem, max);
      _removeRandom(m, sv, mem);
    }
    const it = _it;
    it.init(sv.enc, sv.h);
    while (it.next(m)) _replyMember(c, it);
    setTypeFree(m, sv.enc, sv.h);
    _store(m, e, keep);
  }
  s.signalModifiedKey(c.db, kb, ko, kl);
}

const _picked: number[] = [];

// SRANDMEMBER key [count]
function srandmemberCommand(c: Client, argv: Argv): void {
  if (argv.argc === 3) {
    srandmemberWithCount(c, argv);
    return;
  }
  if (argv.argc > 3) {
    c.error(SYNTAX);
    return;
  }
  const m = c.server.heap;
  const e = readTyped(c, argv, 1, OBJ_SET);
  if (e <= 0) {
    if (e === 0) c.reply.nullBulk();
    return;
  }
  setTypeRandom(m, objEncoding(m, e), objAux(m, e), _mem);
  _replyMember(c, _mem);
}

// SRANDMEMBER key count
function srandmemberWithCount(c: Client, argv: Argv): void {
  const v = argRangeLong(c, argv, 2, -LLONG_MAX, LLONG_MAX);
  if (v !== v) return;
  const uniq = v >= 0;
  const count = v < 0 ? -v : v;
  const m = c.server.heap;
  const e = readTyped(c, argv, 1, OBJ_SET);
  if (e <= 0) {
    if (e === 0) c.reply.arrayLen(0);
    return;
  }
  if (count === 0) {
    c.reply.arrayLen(0);
    return;
  }
  const enc = objEncoding(m, e);
  const h = objAux(m, e);
  const size = setTypeSize(m, enc, h);
  const mem = _mem;

  // Case 1: repetitions allowed (negative count), or a single member.
  if (!uniq || count === 1) {
    c.reply.arrayLen(count);
    for (let n = count; n > 0; n--) {
      setTypeRandom(m, enc, h, mem);
      _replyMember(c, mem);
      if ((n & 1023) === 0 && c.replyOverLimit()) break;
    }
    return;
  }

  // Case 2: the whole set.
  if (count >= size) {
    c.reply.arrayLen(size);
    const it = _it;
    it.init(enc, h);
    while (it.next(m)) _replyMember(c, it);
    return;
  }

  const picked = _picked;
  picked.length = 0;
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // Case 3: count is close to the size: take everything, drop random members until count
    // remain. Members are referred to by intset index or dict entry.
    const it = _it;
    it.init(enc, h);
    while (it.next(m)) picked.push(it.ref);
    let n = size;
    while (n > count) {
      const i = Math.floor(Math.random() * n);
      picked[i] = picked[--n];
    }
    picked.length = count;
  } else {
    // Case 4: the set is much bigger: draw random members until count distinct ones.
    const seen = new Set<number>();
    while (seen.size < count) {
      setTypeRandom(m, enc, h, mem);
      if (!seen.has(mem.ref)) {
        seen.add(mem.ref);
        picked.push(mem.ref);
      }
    }
  }
  c.reply.arrayLen(count);
  for (let i = 0; i < count; i++) {
    if (enc === OBJ_ENCODING_INTSET) _readIntset(m, h, picked[i], mem);
    else _readEntry(m, picked[i], mem);
    _replyMember(c, mem);
  }
  picked.length = 0;
}

// ---- SINTER / SUNION / SDIFF ----

/** Source sets of the current multi-key command: encoding and handle, 0 handle = missing. */
const _encs: number[] = [];
const _hs: number[] = [];
const _sizes: number[] = [];
const _order: number[] = [];

/**
 * Look up argv[first .. first+n) for reading. Returns the number of missing keys, or -1 after
 * replying WRONGTYPE. Fills _encs/_hs/_sizes.
 */
function _lookupSets(c: Client, argv: Argv, first: number, n: number): number {
  const m = c.server.heap;
  let missing = 0;
  _encs.length = n;
  _hs.length = n;
  _sizes.length = n;
  for (let j = 0; j < n; j++) {
    const e = readTyped(c, argv, first + j, OBJ_SET);
    if (e < 0) return -1;
    if (e === 0) {
      missing++;
      _encs[j] = 0;
      _hs[j] = 0;
      _sizes[j] = 0;
      continue;
    }
    _encs[j] = objEncoding(m, e);
    _hs[j] = objAux(m, e);
    _sizes[j] = setTypeSize(m, _encs[j], _hs[j]);
  }
  return missing;
}

/**
 * SINTER / SMEMBERS / SINTERSTORE / SINTERCARD over argv[first .. first+n). dst: argv index
 * of the destination key or -1; cardOnly with limit (0 = none) for SINTERCARD.
 */
function sinterGeneric(
  c: Client,
  argv: Argv,
  first: number,
  n: number,
  dst: number,
  cardOnly: boolean,
  limit: number,
): void {
  const s = c.server;
  const m = s.heap;
  const missing = _lookupSets(c, argv, first, n);
  if (missing < 0) return;
  if (missing > 0) {
    if (dst >= 0) {
      _storeEmpty(c, argv, dst);
      c.reply.int(0);
    } else if (cardOnly) {
      c.reply.int(0);
    } else {
      c.reply.setLen(0);
    }
    return;
  }
  // Smallest set first.
  const order = _order;
  order.length = n;
  for (let j = 0; j < n; j++) order[j] = j;
  if (n > 1) order.sort((a, b) => _sizes[a] - _sizes[b]);
  const firstEnc = _encs[order[0]];
  const firstH = _hs[order[0]];

  const out = new SetVal();
  let at = 0;
  if (dst >= 0) setTypeCreateIntset(m, out);
  else if (!cardOnly) at = c.reply.deferLen();
  const max = dst >= 0 ? _maxIntset(c) : 0;

  let card = 0;
  const it = _it2;
  it.init(firstEnc, firstH);
  while (it.next(m)) {
    let j = 1;
    for (; j < n; j++) {
      const k = order[j];
      if (_hs[k] === firstH) continue;
      if (!setTypeHasMember(m, _encs[k], _hs[k], it)) break;
    }
    if (j < n) continue;
    if (cardOnly) {
      card++;
      if (limit !== 0 && card >= limit) break;
    } else if (dst < 0) {
      _replyMember(c, it);
      card++;
    } else {
      setTypeAddMember(m, out, it, max);
    }
  }

  if (cardOnly) {
    c.reply.int(card);
  } else if (dst >= 0) {
    const size = setTypeSize(m, out.enc, out.h);
    if (size > 0) {
      _setKey(c, argv, dst, out);
      c.reply.int(size);
      notifyKey(c, NOTIFY_SET, "sinterstore", argv.buf, argv.off[dst], argv.len[dst]);
      s.dirty++;
    } else {
      setTypeFree(m, out.enc, out.h);
      c.reply.int(0);
      _storeEmpty(c, argv, dst);
    }
  } else {
    c.reply.setDeferredLen(at, card, "~");
  }
}

const SET_OP_UNION = 0;
const SET_OP_DIFF = 1;

/** SUNION / SDIFF and their STORE forms over argv[first .. first+n). */
function sunionDiffGeneric(
  c: Client,
  argv: Argv,
  first: number,
  n: number,
  dst: number,
  op: number,
): void {
  const s = c.server;
  const m = s.heap;
  if (_lookupSets(c, argv, first, n) < 0) return;
  let sameset = false;
  for (let j = 1; j < n; j++) if (_hs[j] !== 0 && _hs[j] === _hs[0]) sameset = true;

  const order = _order;
  order.length = n;
  for (let j = 0; j < n; j++) order[j] = j;

  // Pick the DIFF algorithm: 1 walks the first set testing the others (N*M), 2 adds the first
  // and removes all the others (sum of sizes). Algorithm 1 gets a 2x advantage.
  let diffAlgo = 1;
  if (op === SET_OP_DIFF && _hs[0] !== 0 && !sameset) {
    let one = 0;
    let two = 0;
    for (let j = 0; j < n; j++) {
      if (_hs[j] === 0) continue;
      one += _sizes[0];
      two += _sizes[j];
    }
    one = Math.floor(one / 2);
    diffAlgo = one <= two ? 1 : 2;
    if (diffAlgo === 1 && n > 1) {
      // Subtract the biggest sets first: more likely to drop a member early.
      const rest = order.slice(1).sort((a, b) => _sizes[b] - _sizes[a]);
      for (let j = 1; j < n; j++) order[j] = rest[j - 1];
    }
  }

  const out = new SetVal();
  setTypeCreateIntset(m, out);
  const max = _maxIntset(c);
  let card = 0;
  const it = _it2;
  if (op === SET_OP_UNION) {
    for (let j = 0; j < n; j++) {
      if (_hs[j] === 0) continue;
      it.init(_encs[j], _hs[j]);
      while (it.next(m)) if (setTypeAddMember(m, out, it, max)) card++;
    }
  } else if (sameset) {
    // A key repeated as the first one: the difference is empty.
  } else if (_hs[0] !== 0 && diffAlgo === 1) {
    it.init(_encs[0], _hs[0]);
    while (it.next(m)) {
      let j = 1;
      for (; j < n; j++) {
        const k = order[j];
        if (_hs[k] === 0) continue;
        if (_hs[k] === _hs[0]) break;
        if (setTypeHasMember(m, _encs[k], _hs[k], it)) break;
      }
      if (j === n) {
        setTypeAddMember(m, out, it, max);
        card++;
      }
    }
  } else if (_hs[0] !== 0) {
    for (let j = 0; j < n; j++) {
      if (_hs[j] === 0) continue;
      it.init(_encs[j], _hs[j]);
      while (it.next(m)) {
        if (j === 0) {
          if (setTypeAddMember(m, out, it, max)) card++;
        } else if (setTypeRemoveMember(m, out, it)) {
          card--;
        }
      }
      if (card === 0) break;
    }
  }

  if (dst < 0) {
    c.reply.setLen(card);
    const ri = _it;
    ri.init(out.enc, out.h);
    while (ri.next(m)) _replyMember(c, ri);
    setTypeFree(m, out.enc, out.h);
    return;
  }
  const size = setTypeSize(m, out.enc, out.h);
  if (size > 0) {
    _setKey(c, argv, dst, out);
    c.reply.int(size);
    const event = op === SET_OP_UNION ? "sunionstore" : "sdiffstore";
    notifyKey(c, NOTIFY_SET, event, argv.buf, argv.off[dst], argv.len[dst]);
    s.dirty++;
  } else {
    setTypeFree(m, out.enc, out.h);
    c.reply.int(0);
    _storeEmpty(c, argv, dst);
  }
}

// SMEMBERS key
function smembersCommand(c: Client, argv: Argv): void {
  sinterGeneric(c, argv, 1, 1, -1, false, 0);
}

// SINTER key [key ...]
function sinterCommand(c: Client, argv: Argv): void {
  sinterGeneric(c, argv, 1, argv.argc - 1, -1, false, 0);
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
function sintercardCommand(c: Client, argv: Argv): void {
  const numkeys = argNumkeys(c, argv, 1);
  if (numkeys !== numkeys) return;
  if (numkeys > argv.argc - 2) {
    c.error(NUMKEYS_TOO_MANY);
    return;
  }
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.argc; j++) {
    const more = argv.argc - 1 - j;
    if (argIs(argv, j, "limit") && more > 0) {
      j++;
      limit = argPositiveLong(c, argv, j, LIMIT_NEGATIVE);
      if (limit !== limit) return;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  sinterGeneric(c, argv, 2, numkeys, -1, true, limit);
}

// SINTERSTORE destination key [key ...]
function sinterstoreCommand(c: Client, argv: Argv): void {
  sinterGeneric(c, argv, 2, argv.argc - 2, 1, false, 0);
}

// SUNION key [key ...]
function sunionCommand(c: Client, argv: Argv): void {
  sunionDiffGeneric(c, argv, 1, argv.argc - 1, -1, SET_OP_UNION);
}

// SUNIONSTORE destination key [key ...]
function sunionstoreCommand(c: Client, argv: Argv): void {
  sunionDiffGeneric(c, argv, 2, argv.argc - 2, 1, SET_OP_UNION);
}

// SDIFF key [key ...]
function sdiffCommand(c: Client, argv: Argv): void {
  sunionDiffGeneric(c, argv, 1, argv.argc - 1, -1, SET_OP_DIFF);
}

// SDIFFSTORE destination key [key ...]
function sdiffstoreCommand(c: Client, argv: Argv): void {
  sunionDiffGeneric(c, argv, 2, argv.argc - 2, 1, SET_OP_DIFF);
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
function sscanCommand(c: Client, argv: Argv): void {
  const e = scanKeyStart(c, argv, OBJ_SET);
  if (e === 0) return;
  const m = c.server.heap;
  const r = c.reply;
  const pat = scanOpts.pat;
  const enc = objEncoding(m, e);
  const h = objAux(m, e);
  const mem = _mem;
  if (enc === OBJ_ENCODING_INTSET) {
    // Compact encodings come back whole, with cursor 0.
    r.arrayLen(2);
    r.bulkInt(0);
    const n = intsetLen(m, h);
    const at = r.deferLen();
    let kept = 0;
    for (let i = 0; i < n; i++) {
      _readIntset(m, h, i, mem);
      setMemberBytes(mem);
      if (pat >= 0 && !globMatch(argv.buf, argv.off[pat], argv.len[pat], mem.buf, 0, mem.len)) {
        continue;
      }
      r.bulk(mem.buf, 0, mem.len);
      kept++;
    }
    r.setDeferredLen(at, kept);
    return;
  }
  const cursor = scanDict(m, h, scanOpts.cursor, scanOpts.count, false);
  const batch = scanned;
  r.arrayLen(2);
  r.bulkInt(cursor);
  const at = r.deferLen();
  let kept = 0;
  for (let k = 0; k < batch.length; k++) {
    const me = batch[k];
    const u8 = m.u8[me >>> OFF_BITS];
    const mo = _moff(me);
    const ml = _mlen(m, me);
    if (pat >= 0 && !globMatch(argv.buf, argv.off[pat], argv.len[pat], u8, mo, ml)) continue;
    r.bulk(u8, mo, ml);
    kept++;
  }
  r.setDeferredLen(at, kept);
  batch.length = 0;
}

// ---- Command table ----

function _keyAt(index: number, flags: string[]): KeySpecDef {
  return { flags, bs: { index }, fk: { lastkey: 0, keystep: 1, limit: 0 } };
}

function _keysFrom(index: number, flags: string[]): KeySpecDef {
  return { flags, bs: { index }, fk: { lastkey: -1, keystep: 1, limit: 0 } };
}

const ONE_KEY = { first: 1, last: 1, step: 1 };
const ALL_KEYS = { first: 1, last: -1, step: 1 };
const STORE_KEYS = { first: 1, last: -1, step: 1 };

/** SINTERCARD's keys: numkeys of them after argument 1. */
function _sintercardKeys(argv: Argv): number[] {
  return numkeysGetKeys(argv, 0, 1, 2);
}

const SINTER_COMPLEXITY =
  "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
const SUNION_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";

const defs: CommandDef[] = [
  {
    name: "sadd",
    arity: -3,
    flags: WRITE | DENYOOM | FAST,
    handler: saddCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "insert"],
    summary: "Adds members to a set, creating the set when the key is missing",
    since: "1.0.0",
    complexity:
      "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    syntax: "key member ...",
  },
  {
    name: "srem",
    arity: -3,
    flags: WRITE | FAST,
    handler: sremCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    summary: "Removes members from a set; the key is deleted once the set is empty",
    since: "1.0.0",
    complexity: "O(N) where N is the number of members to be removed.",
    syntax: "key member ...",
  },
  {
    name: "sismember",
    arity: 3,
    flags: READONLY | FAST,
    handler: sismemberCommand,
    keys: ONE_KEY,
    keyFlags: ["RO"],
    summary: "Tells whether a value belongs to a set",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key member",
  },
  {
    name: "smismember",
    arity: -3,
    flags: READONLY | FAST,
    handler: smismemberCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary: "Tells, for each of several values, whether it belongs to a set",
    since: "6.2.0",
    complexity: "O(N) where N is the number of elements being checked for membership",
    syntax: "key member ...",
  },
  {
    name: "scard",
    arity: 2,
    flags: READONLY | FAST,
    handler: scardCommand,
    keys: ONE_KEY,
    keyFlags: ["RO"],
    summary: "Counts the members of a set",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "smembers",
    arity: 2,
    flags: READONLY,
    handler: smembersCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary: "Lists every member of a set",
    since: "1.0.0",
    complexity: "O(N) where N is the set cardinality.",
    syntax: "key",
    tips: ["nondeterministic_output_order"],
  },
  {
    name: "spop",
    arity: -2,
    flags: WRITE | FAST,
    handler: spopCommand,
    keys: ONE_KEY,
    keyFlags: ["RW", "access", "delete"],
    summary: "Removes random members from a set and returns them; an emptied set is deleted",
    since: "1.0.0",
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
    syntax: "key [count:integer]",
    tips: ["nondeterministic_output"],
  },
  {
    name: "srandmember",
    arity: -2,
    flags: READONLY,
    handler: srandmemberCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary:
      "Returns random members of a set without removing them; a negative count allows repeats",
    since: "1.0.0",
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
    syntax: "key [count:integer]",
    tips: ["nondeterministic_output"],
  },
  {
    name: "smove",
    arity: 4,
    flags: WRITE | FAST,
    handler: smoveCommand,
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [_keyAt(1, ["RW", "access", "delete"]), _keyAt(2, ["RW", "insert"])],
    summary: "Moves one member from a set to another set",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "source:key destination:key member",
  },
  {
    name: "sinter",
    arity: -2,
    flags: READONLY,
    handler: sinterCommand,
    keys: ALL_KEYS,
    keyFlags: ["RO", "access"],
    summary: "Returns the members that all the given sets have in common",
    since: "1.0.0",
    complexity: SINTER_COMPLEXITY,
    syntax: "key ...",
    tips: ["nondeterministic_output_order"],
  },
  {
    name: "sintercard",
    arity: -3,
    flags: READONLY,
    handler: sintercardCommand,
    getKeys: _sintercardKeys,
    keySpecs: [{
      flags: ["RO", "access"],
      bs: { index: 1 },
      fk: { keynumidx: 0, firstkey: 1, keystep: 1 },
    }],
    summary: "Counts the members the given sets have in common, optionally stopping at a limit",
    since: "7.0.0",
    complexity: SINTER_COMPLEXITY,
    syntax: "numkeys:integer key ... [LIMIT limit:integer]",
  },
  {
    name: "sinterstore",
    arity: -3,
    flags: WRITE | DENYOOM,
    handler: sinterstoreCommand,
    keys: STORE_KEYS,
    keySpecs: [_keyAt(1, ["RW", "update"]), _keysFrom(2, ["RO", "access"])],
    summary: "Stores the members that all the given sets have in common in a key",
    since: "1.0.0",
    complexity: SINTER_COMPLEXITY,
    syntax: "destination:key key ...",
  },
  {
    name: "sunion",
    arity: -2,
    flags: READONLY,
    handler: sunionCommand,
    keys: ALL_KEYS,
    keyFlags: ["RO", "access"],
    summary: "Returns every member found in any of the given sets",
    since: "1.0.0",
    complexity: SUNION_COMPLEXITY,
    syntax: "key ...",
    tips: ["nondeterministic_output_order"],
  },
  {
    name: "sunionstore",
    arity: -3,
    flags: WRITE | DENYOOM,
    handler: sunionstoreCommand,
    keys: STORE_KEYS,
    keySpecs: [_keyAt(1, ["OW", "update"]), _keysFrom(2, ["RO", "access"])],
    summary: "Stores every member found in any of the given sets in a key",
    since: "1.0.0",
    complexity: SUNION_COMPLEXITY,
    syntax: "destination:key key ...",
  },
  {
    name: "sdiff",
    arity: -2,
    flags: READONLY,
    handler: sdiffCommand,
    keys: ALL_KEYS,
    keyFlags: ["RO", "access"],
    summary: "Returns the members of the first set that none of the other sets has",
    since: "1.0.0",
    complexity: SUNION_COMPLEXITY,
    syntax: "key ...",
    tips: ["nondeterministic_output_order"],
  },
  {
    name: "sdiffstore",
    arity: -3,
    flags: WRITE | DENYOOM,
    handler: sdiffstoreCommand,
    keys: STORE_KEYS,
    keySpecs: [_keyAt(1, ["OW", "update"]), _keysFrom(2, ["RO", "access"])],
    summary: "Stores the members of the first set that none of the other sets has in a key",
    since: "1.0.0",
    complexity: SUNION_COMPLEXITY,
    syntax: "destination:key key ...",
  },
  {
    name: "sscan",
    arity: -3,
    flags: READONLY,
    handler: sscanCommand,
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    summary: "Iterates over the members of a set with a cursor",
    since: "2.8.0",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    syntax: "key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]",
    tips: ["nondeterministic_output"],
  },
];

export const setCommands = defineCommands("set", defs);
