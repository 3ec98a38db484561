// Streams: the data structure API. Entries live in listpacks laid out exactly as Redis 7.0 lays
// out its stream nodes (a master entry with shared field names, then delta-encoded entries with
// flags), indexed by the master entry ID in an arena B+tree (btree.ts). Consumer groups, their
// consumers and pending entries lists live in arena records and B+trees too. No JS object is
// kept per entry, group or consumer. Must not import clients or the command table.
//
// Stream header (18 words, never moves: its handle is the key's value):
//   [0] node index (btree, vw 1: listpack)   [1] groups vector (0 = none yet)
//   [2..3] length (f64)   [4..7] last ID   [8..11] first ID   [12..15] max deleted entry ID
//   [16..17] entries added (u64 hi, lo)
// Node listpack: count, deleted, master field count, master fields..., 0, then entries:
//   flags, ms-delta, seq-delta, [field count, fields+values | values], lp-count
// Groups vector / consumers vector: [count, capacity, handles sorted by name (byte order)]
// Group record (words): [0] name length [1] PEL (btree, vw 5) [2] consumers vector
//   [3..6] last delivered ID [7..8] entries read (i64 hi, lo; -1 = unknown), name at byte 36
// Group PEL value: [0..1] delivery time ms (hi, lo) [2..3] delivery count (hi, lo) [4] consumer
// Consumer record: [0] name length [1] PEL (btree, vw 0) [2..3] seen time (f64), name at byte 16

import type { Heap } from "../../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../../memory/arena.ts";
import {
  lpAppend,
  lpAppendInt,
  lpBytes,
  lpCompare,
  lpDup,
  lpElBytes,
  type LpEntry,
  lpFirst,
  lpFree,
  lpGet,
  lpLast,
  lpNew,
  lpNext,
  lpPrev,
  lpReplaceInt,
  lpShrinkToFit,
} from "../../encoding/listpack.ts";
import type { Argv } from "../../protocol/resp_parser.ts";
import type { Reply } from "../../protocol/reply.ts";
import {
  btCount,
  BtCursor,
  btDelete,
  btDup,
  btFind,
  btFirst,
  btFree,
  btFreeSome,
  btInsert,
  btLast,
  btMemUsage,
  btNew,
  btNext,
  btNodeCount,
  btPrev,
  btSeekLE,
  btSlot,
  btWords,
} from "./btree.ts";
import {
  i64Value,
  idCmp,
  idCmpWords,
  idFromMs,
  idIncr,
  idIsZero,
  idRead,
  idSet,
  idWrite,
  idZero,
  splitI64,
  StreamID,
  u64Value,
} from "./id.ts";

// ---- layout ----

const S_INDEX = 0;
const S_GROUPS = 1;
const S_LAST = 4;
const S_FIRST = 8;
const S_MAXDEL = 12;
const S_ADDED = 16;
const S_WORDS = 18;

const G_PEL = 1;
const G_CONSUMERS = 2;
const G_LAST = 3;
const G_READ = 7;
const G_NAME_BYTES = 36;

const C_NAMELEN = 0;
const C_PEL = 1;
const C_NAME_BYTES = 16;

/** Group PEL value words. */
export const N_TIME = 0;
export const N_COUNT = 2;
export const N_CONSUMER = 4;
const NACK_WORDS = 5;

/** Entry flags (STREAM_ITEM_FLAG_*). */
export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

/** Largest listpack a node may grow to, and the pre-allocation of a new node. */
const LISTPACK_MAX_SIZE = 1 << 30;
const LISTPACK_MAX_PREALLOC = 4096;

const TWO32 = 4294967296;

function _w(h: number): number {
  return (h & OFF_MASK) << 1;
}

function _words(m: Heap, h: number): Uint32Array {
  return m.u32[h >>> OFF_BITS];
}

// ---- 64-bit counters stored as (hi, lo) words ----

const _split = { hi: 0, lo: 0 };

/** Store a signed 64-bit value (number or bigint) as the (hi, lo) words at w. */
function _set64(u: Uint32Array, w: number, v: number | bigint): void {
  splitI64(v, _split);
  u[w] = _split.hi;
  u[w + 1] = _split.lo;
}

function _inc64(u: Uint32Array, w: number): void {
  if (u[w + 1] === 0xffffffff) {
    u[w + 1] = 0;
    u[w] = (u[w] + 1) >>> 0;
  } else {
    u[w + 1]++;
  }
}

/** a - b as a signed 64-bit result (numbers when exact). */
export function sub64(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return BigInt.asIntN(64, BigInt(a) - BigInt(b));
}

// ---- creation, accessors ----

/** A new empty stream (streamNew). */
export function streamNew(m: Heap): number {
  const s = m.alloc(S_WORDS * 4);
  const idx = btNew(m, 1);
  const u = _words(m, s);
  const w = _w(s);
  u.fill(0, w, w + S_WORDS);
  u[w + S_INDEX] = idx;
  return s;
}

export function streamLength(m: Heap, s: number): number {
  return m.f64[s >>> OFF_BITS][(s & OFF_MASK) + 1];
}

function _setLength(m: Heap, s: number, n: number): void {
  m.f64[s >>> OFF_BITS][(s & OFF_MASK) + 1] = n;
}

export function streamLastId(m: Heap, s: number, out: StreamID): StreamID {
  return idRead(out, _words(m, s), _w(s) + S_LAST);
}

export function streamSetLastId(m: Heap, s: number, id: StreamID): void {
  idWrite(id, _words(m, s), _w(s) + S_LAST);
}

export function streamFirstId(m: Heap, s: number, out: StreamID): StreamID {
  return idRead(out, _words(m, s), _w(s) + S_FIRST);
}

export function streamSetFirstId(m: Heap, s: number, id: StreamID): void {
  idWrite(id, _words(m, s), _w(s) + S_FIRST);
}

export function streamMaxDeletedId(m: Heap, s: number, out: StreamID): StreamID {
  return idRead(out, _words(m, s), _w(s) + S_MAXDEL);
}

export function streamSetMaxDeletedId(m: Heap, s: number, id: StreamID): void {
  idWrite(id, _words(m, s), _w(s) + S_MAXDEL);
}

/** entries_added (uint64). */
export function streamEntriesAdded(m: Heap, s: number): number | bigint {
  const u = _words(m, s);
  const w = _w(s) + S_ADDED;
  return u64Value(u[w], u[w + 1]);
}

export function streamSetEntriesAdded(m: Heap, s: number, v: number | bigint): void {
  _set64(_words(m, s), _w(s) + S_ADDED, v);
}

function _entriesAddedIsZero(m: Heap, s: number): boolean {
  const u = _words(m, s);
  const w = _w(s) + S_ADDED;
  return u[w] === 0 && u[w + 1] === 0;
}

/** The node index (btree of master IDs -> listpacks). */
export function streamIndex(m: Heap, s: number): number {
  return _words(m, s)[_w(s) + S_INDEX];
}

/** Number of listpack nodes (XINFO radix-tree-keys). */
export function streamNodeCount(m: Heap, s: number): number {
  return btCount(m, streamIndex(m, s));
}

// ---- appending ----

/** streamAppend results. */
export const APPEND_OK = 0;
/** The ID is not greater than the top item (EDOM). */
export const APPEND_EDOM = 1;
/** The fields are too large for a listpack (ERANGE). */
export const APPEND_ERANGE = 2;

const _cur = new BtCursor();
const _tmp = new StreamID();
const _tmp2 = new StreamID();
const _master = new StreamID();
const _newId = new StreamID();
const _d = { hi: 0, lo: 0 };

/** Append the int64 (a - b) mod 2^64 of two u64 halves to a listpack. */
function _appendDelta(
  m: Heap,
  lp: number,
  aHi: number,
  aLo: number,
  bHi: number,
  bLo: number,
): number {
  let lo = aLo - bLo;
  let hi = aHi - bHi;
  if (lo < 0) {
    lo += TWO32;
    hi -= 1;
  }
  hi = hi >>> 0;
  if (hi < 0x200000) return lpAppendInt(m, lp, hi * TWO32 + lo);
  if (hi >= 0xffe00000) return lpAppendInt(m, lp, (hi - TWO32) * TWO32 + lo);
  const s = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return lpAppend(m, lp, b, 0, b.length);
}

/** The integer in lpEl as two's complement words in _d. */
function _elWords(el: LpEntry): void {
  if (el.exact) {
    const v = el.int;
    _d.hi = Math.floor(v / TWO32) >>> 0;
    _d.lo = v >>> 0;
  } else {
    _d.hi = el.hi >>> 0;
    _d.lo = el.lo >>> 0;
  }
}

/** The integer element at p as a number (counts and flags: always small). */
function _int(m: Heap, lp: number, p: number): number {
  return lpGet(m, lp, p).int;
}

/** Fill id with master + (ms delta at p, seq delta at next); returns the position after. */
function _readDeltaId(m: Heap, lp: number, p: number, master: StreamID, id: StreamID): number {
  _elWords(lpGet(m, lp, p));
  let lo = master.msLo + _d.lo;
  let hi = master.msHi + _d.hi + (lo >= TWO32 ? 1 : 0);
  id.msLo = lo >>> 0;
  id.msHi = hi >>> 0;
  p = lpNext(m, lp, p);
  _elWords(lpGet(m, lp, p));
  lo = master.seqLo + _d.lo;
  hi = master.seqHi + _d.hi + (lo >= TWO32 ? 1 : 0);
  id.seqLo = lo >>> 0;
  id.seqHi = hi >>> 0;
  return lpNext(m, lp, p);
}

/**
 * Add an entry (streamAppendItem) with the field/value pairs argv[fieldPos ...] (numFields
 * pairs). `useId` null generates the ID from `nowMs`; otherwise it is used, with its sequence
 * generated when !seqGiven. The new ID goes to `added`. Returns APPEND_OK, APPEND_EDOM or
 * APPEND_ERANGE.
 */
export function streamAppend(
  m: Heap,
  s: number,
  argv: Argv,
  fieldPos: number,
  numFields: number,
  useId: StreamID | null,
  seqGiven: boolean,
  nowMs: number,
  nodeMaxBytes: number,
  nodeMaxEntries: number,
  added: StreamID,
): number {
  const last = streamLastId(m, s, _tmp);
  const id = _newId;
  if (useId) {
    if (seqGiven) {
      idSet(id, useId);
    } else if (last.msHi === useId.msHi && last.msLo === useId.msLo) {
      if (last.seqHi === 0xffffffff && last.seqLo === 0xffffffff) return APPEND_EDOM;
      idSet(id, last);
      idIncr(id);
    } else {
      idSet(id, useId);
    }
  } else {
    idFromMs(id, nowMs);
    if (idCmp(id, last) <= 0) {
      idSet(id, last);
      idIncr(id);
    }
  }
  if (idCmp(id, last) <= 0) return APPEND_EDOM;

  const buf = argv.buf;
  let totelelen = 0;
  for (let i = 0; i < numFields * 2; i++) totelelen += argv.len[fieldPos + i];
  if (totelelen > LISTPACK_MAX_SIZE) return APPEND_ERANGE;

  const index = streamIndex(m, s);
  const c = _cur;
  let lp = 0;
  if (btLast(m, index, c)) lp = btWords(m, c)[btSlot(c) + 4];

  if (lp !== 0) {
    let maxBytes = nodeMaxBytes;
    if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
    let newNode = false;
    if (lpBytes(m, lp) + totelelen >= maxBytes) {
      newNode = true;
    } else if (nodeMaxEntries !== 0) {
      const p = lpFirst(m, lp);
      const count = _int(m, lp, p) + _int(m, lp, lpNext(m, lp, p));
      if (count >= nodeMaxEntries) newNode = true;
    }
    if (newNode) {
      const nlp = lpShrinkToFit(m, lp);
      if (nlp !== lp) btWords(m, c)[btSlot(c) + 4] = nlp;
      lp = 0;
    }
  }

  let flags = 0;
  let master: StreamID;
  if (lp === 0) {
    master = id;
    let prealloc = LISTPACK_MAX_PREALLOC;
    if (nodeMaxBytes > 0 && nodeMaxBytes < prealloc) prealloc = nodeMaxBytes;
    lp = lpNew(m, prealloc);
    lp = lpAppendInt(m, lp, 1);
    lp = lpAppendInt(m, lp, 0);
    lp = lpAppendInt(m, lp, numFields);
    for (let i = 0; i < numFields; i++) {
      const a = fieldPos + i * 2;
      lp = lpAppend(m, lp, buf, argv.off[a], argv.len[a]);
    }
    lp = lpAppendInt(m, lp, 0);
    flags |= FLAG_SAMEFIELDS;
  } else {
    master = idRead(_master, btWords(m, c), btSlot(c));
    let p = lpFirst(m, lp);
    const count = _int(m, lp, p);
    lp = lpReplaceInt(m, lp, p, count + 1);
    p = lpNext(m, lp, p); // deleted
    p = lpNext(m, lp, p); // master field count
    const masterFields = _int(m, lp, p);
    p = lpNext(m, lp, p);
    if (numFields === masterFields) {
      let i = 0;
      for (; i < masterFields; i++) {
        const a = fieldPos + i * 2;
        if (!lpCompare(m, lp, p, buf, argv.off[a], argv.len[a])) break;
        p = lpNext(m, lp, p);
      }
      if (i === masterFields) flags |= FLAG_SAMEFIELDS;
    }
  }

  lp = lpAppendInt(m, lp, flags);
  lp = _appendDelta(m, lp, id.msHi, id.msLo, master.msHi, master.msLo);
  lp = _appendDelta(m, lp, id.seqHi, id.seqLo, master.seqHi, master.seqLo);
  const same = (flags & FLAG_SAMEFIELDS) !== 0;
  if (!same) lp = lpAppendInt(m, lp, numFields);
  for (let i = 0; i < numFields; i++) {
    const a = fieldPos + i * 2;
    if (!same) lp = lpAppend(m, lp, buf, argv.off[a], argv.len[a]);
    lp = lpAppend(m, lp, buf, argv.off[a + 1], argv.len[a + 1]);
  }
  lp = lpAppendInt(m, lp, same ? numFields + 3 : numFields * 2 + 4);

  if (master === id) {
    btInsert(m, index, c, id.msHi, id.msLo, id.seqHi, id.seqLo);
  }
  btWords(m, c)[btSlot(c) + 4] = lp;

  _setLength(m, s, streamLength(m, s) + 1);
  const u = _words(m, s);
  const w = _w(s);
  _inc64(u, w + S_ADDED);
  idWrite(id, u, w + S_LAST);
  if (streamLength(m, s) === 1) idWrite(id, u, w + S_FIRST);
  idSet(added, id);
  return APPEND_OK;
}

// ---- iteration ----

/**
 * Walks the entries of a stream between two IDs (inclusive), forwards or backwards, skipping
 * tombstones unless told otherwise (streamIterator). Positions are listpack offsets; the stream
 * must not change while iterating, except through deleteCurrent().
 */
export class StreamIterator {
  m!: Heap;
  s = 0;
  rev = false;
  skipTombstones = true;
  readonly start = new StreamID();
  readonly end = new StreamID();
  readonly node = new BtCursor();
  /** The node cursor has been positioned but its listpack not opened yet. */
  private pending = false;
  /** Open listpack (0: open the next node). */
  lp = 0;
  /** Forward: element before the next entry. Backward: lp-count of the next entry. */
  private ele = 0;
  private advance = false;
  readonly master = new StreamID();
  private masterFields = 0;
  private masterFieldsStart = 0;
  // the current entry
  readonly id = new StreamID();
  numFields = 0;
  flags = 0;
  flagsPos = 0;
  private fieldsPos = 0;

  /** streamIteratorStart; null start/end mean the minimum/maximum ID. */
  begin(m: Heap, s: number, start: StreamID | null, end: StreamID | null, rev: boolean): this {
    this.m = m;
    this.s = s;
    this.rev = rev;
    this.skipTombstones = true;
    if (start) idSet(this.start, start);
    else idZero(this.start);
    if (end) idSet(this.end, end);
    else {
      this.end.msHi =
        this.end.msLo =
        this.end.seqHi =
        this.end.seqLo =
          0xffffffff;
    }
    const index = streamIndex(m, s);
    const c = this.node;
    if (!rev) {
      if (start && !idIsZero(start)) {
        if (!btSeekLE(m, index, c, start.msHi, start.msLo, start.seqHi, start.seqLo)) {
          btFirst(m, index, c);
        }
      } else {
        btFirst(m, index, c);
      }
    } else {
      if (end && !idIsZero(end)) {
        if (!btSeekLE(m, index, c, end.msHi, end.msLo, end.seqHi, end.seqLo)) c.leaf = 0;
      } else {
        btLast(m, index, c);
      }
    }
    this.pending = c.leaf !== 0;
    this.lp = 0;
    this.advance = false;
    return this;
  }

  /** streamIteratorGetID: move to the next entry in range; false when done. */
  next(): boolean {
    const m = this.m;
    for (;;) {
      if (this.lp === 0) {
        const c = this.node;
        if (this.pending) this.pending = false;
        else if (this.rev ? !btPrev(m, c) : !btNext(m, c)) return false;
        if (c.leaf === 0) return false;
        const u = btWords(m, c);
        const w = btSlot(c);
        idRead(this.master, u, w);
        const lp = u[w + 4];
        this.lp = lp;
        let p = lpFirst(m, lp);
        p = lpNext(m, lp, p);
        p = lpNext(m, lp, p);
        this.masterFields = _int(m, lp, p);
        p = lpNext(m, lp, p);
        this.masterFieldsStart = p;
        if (!this.rev) {
          for (let i = 0; i < this.masterFields; i++) p = lpNext(m, lp, p);
          this.ele = p;
        } else {
          this.ele = lpLast(m, lp);
        }
        this.advance = false;
      } else if (this.advance) {
        this.advance = false;
        this.ele = this.rev ? lpPrev(m, this.lp, this.flagsPos) : this._countPos();
      }
      const lp = this.lp;
      for (;;) {
        let fp: number;
        if (!this.rev) {
          fp = lpNext(m, lp, this.ele);
          if (fp === 0) break;
        } else {
          let n = _int(m, lp, this.ele);
          if (n === 0) break;
          fp = this.ele;
          while (n-- > 0) fp = lpPrev(m, lp, fp);
        }
        this._readEntry(fp);
        const deleted = (this.flags & FLAG_DELETED) !== 0;
        if (!this.rev) {
          if (idCmp(this.id, this.start) >= 0 && (!this.skipTombstones || !deleted)) {
            if (idCmp(this.id, this.end) > 0) return false;
            this.advance = true;
            return true;
          }
          this.ele = this._countPos();
        } else {
          if (idCmp(this.id, this.end) <= 0 && (!this.skipTombstones || !deleted)) {
            if (idCmp(this.id, this.start) < 0) return false;
            this.advance = true;
            return true;
          }
          this.ele = lpPrev(m, lp, fp);
        }
      }
      this.lp = 0;
    }
  }

  /** Decode the entry whose flags are at fp. */
  private _readEntry(fp: number): void {
    const m = this.m;
    const lp = this.lp;
    this.flagsPos = fp;
    this.flags = _int(m, lp, fp);
    let p = _readDeltaId(m, lp, lpNext(m, lp, fp), this.master, this.id);
    if (this.flags & FLAG_SAMEFIELDS) {
      this.numFields = this.masterFields;
    } else {
      this.numFields = _int(m, lp, p);
      p = lpNext(m, lp, p);
    }
    this.fieldsPos = p;
  }

  /** Position of the current entry's lp-count element. */
  private _countPos(): number {
    const m = this.m;
    const lp = this.lp;
    let n = this.flags & FLAG_SAMEFIELDS ? this.numFields : this.numFields * 2;
    let p = this.fieldsPos;
    while (n-- > 0) p = lpNext(m, lp, p);
    return p;
  }

  /** Reply the current entry's field/value pairs as bulk strings. */
  replyFields(r: Reply): void {
    const m = this.m;
    const lp = this.lp;
    let n = this.numFields;
    if (this.flags & FLAG_SAMEFIELDS) {
      let fp = this.masterFieldsStart;
      let vp = this.fieldsPos;
      while (n-- > 0) {
        const f = lpElBytes(lpGet(m, lp, fp));
        r.bulk(f.buf, f.off, f.len);
        const v = lpElBytes(lpGet(m, lp, vp));
        r.bulk(v.buf, v.off, v.len);
        fp = lpNext(m, lp, fp);
        vp = lpNext(m, lp, vp);
      }
    } else {
      let p = this.fieldsPos;
      while (n-- > 0) {
        const f = lpElBytes(lpGet(m, lp, p));
        r.bulk(f.buf, f.off, f.len);
        p = lpNext(m, lp, p);
        const v = lpElBytes(lpGet(m, lp, p));
        r.bulk(v.buf, v.off, v.len);
        p = lpNext(m, lp, p);
      }
    }
  }

  /** Call fn with copies of each field and value of the current entry (digests, tests). */
  forEachField(fn: (field: Uint8Array, value: Uint8Array) => void): void {
    const m = this.m;
    const lp = this.lp;
    let n = this.numFields;
    const same = (this.flags & FLAG_SAMEFIELDS) !== 0;
    let fp = same ? this.masterFieldsStart : this.fieldsPos;
    let vp = same ? this.fieldsPos : lpNext(m, lp, this.fieldsPos);
    while (n-- > 0) {
      const f = lpElBytes(lpGet(m, lp, fp));
      const fb = f.buf.slice(f.off, f.off + f.len);
      const v = lpElBytes(lpGet(m, lp, vp));
      const vb = v.buf.slice(v.off, v.off + v.len);
      fn(fb, vb);
      if (same) {
        fp = lpNext(m, lp, fp);
        vp = lpNext(m, lp, vp);
      } else {
        fp = lpNext(m, lp, lpNext(m, lp, fp));
        vp = fp === 0 ? 0 : lpNext(m, lp, fp);
      }
    }
  }

  /**
   * Mark the current entry deleted (streamIteratorRemoveEntry): flag it, update the node's
   * counters or drop the node when it was its last live entry. The iterator must be restarted.
   */
  deleteCurrent(): void {
    const m = this.m;
    const s = this.s;
    let lp = this.lp;
    lp = lpReplaceInt(m, lp, this.flagsPos, this.flags | FLAG_DELETED);
    let p = lpFirst(m, lp);
    const live = _int(m, lp, p);
    const c = this.node;
    if (live === 1) {
      lpFree(m, lp);
      const u = btWords(m, c);
      const w = btSlot(c);
      btDelete(m, streamIndex(m, s), u[w], u[w + 1], u[w + 2], u[w + 3]);
    } else {
      lp = lpReplaceInt(m, lp, p, live - 1);
      p = lpNext(m, lp, p);
      const dead = _int(m, lp, p);
      lp = lpReplaceInt(m, lp, p, dead + 1);
      btWords(m, c)[btSlot(c) + 4] = lp;
    }
    _setLength(m, s, streamLength(m, s) - 1);
    this.lp = 0;
    this.pending = false;
    this.node.leaf = 0;
  }
}

const _it = new StreamIterator();
const _it2 = new StreamIterator();

/** The first or last entry ID (streamGetEdgeID); with no entry: max ID (first) or 0-0 (last). */
export function streamEdgeId(
  m: Heap,
  s: number,
  first: boolean,
  skipTombstones: boolean,
  out: StreamID,
): void {
  const it = _it2.begin(m, s, null, null, !first);
  it.skipTombstones = skipTombstones;
  if (it.next()) {
    idSet(out, it.id);
  } else if (first) {
    out.msHi =
      out.msLo =
      out.seqHi =
      out.seqLo =
        0xffffffff;
  } else {
    idZero(out);
  }
}

/** The last live entry's ID (streamLastValidID); 0-0 when empty. */
export function streamLastValidId(m: Heap, s: number, out: StreamID): void {
  const it = _it2.begin(m, s, null, null, true);
  if (it.next()) idSet(out, it.id);
  else idZero(out);
}

/** Is there a live entry with this ID? */
export function streamEntryExists(m: Heap, s: number, id: StreamID): boolean {
  return _it2.begin(m, s, id, id, false).next();
}

/** Delete the entry with this ID (streamDeleteItem); false when there is none. */
export function streamDeleteItem(m: Heap, s: number, id: StreamID): boolean {
  const it = _it.begin(m, s, id, id, false);
  if (!it.next()) return false;
  it.deleteCurrent();
  return true;
}

// ---- trimming ----

export const TRIM_NONE = 0;
export const TRIM_MAXLEN = 1;
export const TRIM_MINID = 2;

const _edge = new StreamID();
const _cid = new StreamID();

/**
 * Trim from the head (streamTrim): MAXLEN keeps at most `maxlen` entries, MINID drops entries
 * below `minid`. With `approx` only whole nodes go. `limit` > 0 caps the entries removed.
 * Returns how many entries were removed.
 */
export function streamTrim(
  m: Heap,
  s: number,
  strategy: number,
  maxlen: number,
  minid: StreamID,
  approx: boolean,
  limit: number,
): number {
  if (strategy === TRIM_NONE) return 0;
  const index = streamIndex(m, s);
  const c = _cur;
  let deleted = 0;
  let ok = btFirst(m, index, c);
  while (ok) {
    if (strategy === TRIM_MAXLEN && streamLength(m, s) <= maxlen) break;
    const u = btWords(m, c);
    const w = btSlot(c);
    let lp = u[w + 4];
    let p = lpFirst(m, lp);
    const entries = _int(m, lp, p);
    if (limit && deleted + entries > limit) break;
    let removeNode: boolean;
    idRead(_master, u, w);
    if (strategy === TRIM_MAXLEN) {
      removeNode = streamLength(m, s) - entries >= maxlen;
    } else {
      _lastEntryId(m, lp, _master, _edge);
      removeNode = idCmp(_edge, minid) < 0;
    }
    if (removeNode) {
      lpFree(m, lp);
      btDelete(m, index, _master.msHi, _master.msLo, _master.seqHi, _master.seqLo);
      _setLength(m, s, streamLength(m, s) - entries);
      deleted += entries;
      ok = btFirst(m, index, c);
      continue;
    }
    if (approx) break;
    // mark entries deleted inside this node
    let fromLp = 0;
    p = lpNext(m, lp, p); // deleted
    p = lpNext(m, lp, p); // master field count
    const masterFields = _int(m, lp, p);
    p = lpNext(m, lp, p);
    for (let j = 0; j < masterFields; j++) p = lpNext(m, lp, p);
    p = lpNext(m, lp, p); // first entry
    while (p !== 0) {
      const fp = p;
      let flags = _int(m, lp, p);
      p = lpNext(m, lp, p);
      if (strategy === TRIM_MINID) {
        p = _readDeltaId(m, lp, p, _master, _cid);
      } else {
        p = lpNext(m, lp, lpNext(m, lp, p));
      }
      const stop = strategy === TRIM_MAXLEN
        ? streamLength(m, s) <= maxlen
        : idCmp(_cid, minid) >= 0;
      if (stop) break;
      let skip: number;
      if (flags & FLAG_SAMEFIELDS) {
        skip = masterFields;
      } else {
        skip = _int(m, lp, p) * 2;
        p = lpNext(m, lp, p);
      }
      while (skip-- > 0) p = lpNext(m, lp, p);
      p = lpNext(m, lp, p); // past lp-count
      if (!(flags & FLAG_DELETED)) {
        flags |= FLAG_DELETED;
        lp = lpReplaceInt(m, lp, fp, flags); // same size: positions stay valid
        fromLp++;
        _setLength(m, s, streamLength(m, s) - 1);
      }
    }
    deleted += fromLp;
    p = lpFirst(m, lp);
    lp = lpReplaceInt(m, lp, p, entries - fromLp);
    p = lpNext(m, lp, p);
    const marked = _int(m, lp, p);
    lp = lpReplaceInt(m, lp, p, marked + fromLp);
    btWords(m, c)[btSlot(c) + 4] = lp;
    break;
  }
  if (streamLength(m, s) === 0) {
    idZero(_edge);
    streamSetFirstId(m, s, _edge);
  } else if (deleted) {
    streamEdgeId(m, s, true, true, _edge);
    streamSetFirstId(m, s, _edge);
  }
  return deleted;
}

/** ID of the last entry (live or not) of a node listpack (lpGetEdgeStreamID, last). */
function _lastEntryId(m: Heap, lp: number, master: StreamID, out: StreamID): boolean {
  let p = lpLast(m, lp);
  let n = _int(m, lp, p);
  if (n === 0) return false;
  while (n-- > 0) p = lpPrev(m, lp, p);
  _readDeltaId(m, lp, lpNext(m, lp, p), master, out);
  return true;
}

// ---- consumer group helpers used by reads ----

/**
 * Does the range [start, end] (null: open) hold a tombstone, judging by the max deleted ID
 * (streamRangeHasTombstones)?
 */
export function streamRangeHasTombstones(
  m: Heap,
  s: number,
  start: StreamID | null,
  end: StreamID | null,
): boolean {
  const u = _words(m, s);
  const w = _w(s);
  if (streamLength(m, s) === 0) return false;
  if (
    u[w + S_MAXDEL] === 0 && u[w + S_MAXDEL + 1] === 0 && u[w + S_MAXDEL + 2] === 0 &&
    u[w + S_MAXDEL + 3] === 0
  ) {
    return false;
  }
  const maxdel = idRead(_tmp, u, w + S_MAXDEL);
  if (idCmpWords(maxdel, u, w + S_FIRST) < 0) return false;
  if (start && idCmp(start, maxdel) > 0) return false;
  if (end && idCmp(maxdel, end) > 0) return false;
  return true;
}

/** SCG_INVALID_ENTRIES_READ */
export const INVALID_READ = -1;

/**
 * The logical read counter of an ID (streamEstimateDistanceFromFirstEverEntry), or -1 when it
 * cannot be known.
 */
export function streamEstimateDistance(m: Heap, s: number, id: StreamID): number | bigint {
  if (_entriesAddedIsZero(m, s)) return 0;
  const u = _words(m, s);
  const w = _w(s);
  const added = u64Value(u[w + S_ADDED], u[w + S_ADDED + 1]);
  const len = streamLength(m, s);
  const cmpLast = idCmpWords(id, u, w + S_LAST);
  if (len === 0 && cmpLast < 1) return added;
  if (cmpLast === 0) return added;
  if (cmpLast > 0) return INVALID_READ;
  const cmpFirst = idCmpWords(id, u, w + S_FIRST);
  const maxdel = idRead(_tmp, u, w + S_MAXDEL);
  if (idIsZero(maxdel) || idCmpWords(maxdel, u, w + S_FIRST) < 0) {
    if (cmpFirst < 0) return sub64(added, len);
    if (cmpFirst === 0) return sub64(sub64(added, len), -1);
  }
  return INVALID_READ;
}

// ---- sorted handle vectors (groups of a stream, consumers of a group) ----

function _vecNew(m: Heap, cap: number): number {
  const v = m.alloc((2 + cap) * 4);
  const u = _words(m, v);
  const w = _w(v);
  u[w] = 0;
  u[w + 1] = cap;
  return v;
}

export function vecLen(m: Heap, v: number): number {
  return v === 0 ? 0 : _words(m, v)[_w(v)];
}

export function vecGet(m: Heap, v: number, i: number): number {
  return _words(m, v)[_w(v) + 2 + i];
}

/** Insert h at i; returns the (possibly moved) vector. */
function _vecInsert(m: Heap, v: number, i: number, h: number): number {
  let u = _words(m, v);
  let w = _w(v);
  const n = u[w];
  if (n === u[w + 1]) {
    const cap = n * 2;
    v = m.realloc(v, (2 + cap) * 4);
    u = _words(m, v);
    w = _w(v);
    u[w + 1] = cap;
  }
  if (i < n) u.copyWithin(w + 3 + i, w + 2 + i, w + 2 + n);
  u[w + 2 + i] = h;
  u[w] = n + 1;
  return v;
}

function _vecRemove(m: Heap, v: number, i: number): void {
  const u = _words(m, v);
  const w = _w(v);
  const n = u[w];
  if (i + 1 < n) u.copyWithin(w + 2 + i, w + 3 + i, w + 2 + n);
  u[w] = n - 1;
}

/** Compare a record's name (at byte nameOff of h, length in word 0) with b[off, off+len). */
function _nameCmp(
  m: Heap,
  h: number,
  nameOff: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  const u8 = m.u8[h >>> OFF_BITS];
  const o = ((h & OFF_MASK) << 3) + nameOff;
  const n = _words(m, h)[_w(h)];
  const k = n < len ? n : len;
  for (let i = 0; i < k; i++) {
    const d = u8[o + i] - b[off + i];
    if (d !== 0) return d;
  }
  return n - len;
}

let _vecPos = 0;

/** Binary search by name; the handle or 0 (then _vecPos is the insertion point). */
function _vecFind(
  m: Heap,
  v: number,
  nameOff: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  let lo = 0;
  let hi = vecLen(m, v) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const h = vecGet(m, v, mid);
    const d = _nameCmp(m, h, nameOff, b, off, len);
    if (d === 0) {
      _vecPos = mid;
      return h;
    }
    if (d < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  _vecPos = lo;
  return 0;
}

function _newNamed(
  m: Heap,
  words: number,
  nameOff: number,
  b: Uint8Array,
  off: number,
  len: number,
): number {
  const h = m.alloc(nameOff + len);
  const u = _words(m, h);
  const w = _w(h);
  u.fill(0, w, w + words);
  u[w] = len;
  m.u8[h >>> OFF_BITS].set(b.subarray(off, off + len), ((h & OFF_MASK) << 3) + nameOff);
  return h;
}

// ---- consumer groups ----

export function streamGroups(m: Heap, s: number): number {
  return _words(m, s)[_w(s) + S_GROUPS];
}

export function streamGroupCount(m: Heap, s: number): number {
  return vecLen(m, streamGroups(m, s));
}

/** streamLookupCG: the group handle or 0. */
export function groupLookup(m: Heap, s: number, b: Uint8Array, off: number, len: number): number {
  const v = streamGroups(m, s);
  if (v === 0) return 0;
  return _vecFind(m, v, G_NAME_BYTES, b, off, len);
}

/** streamCreateCG: the new group, or 0 when the name exists. entriesRead -1 = unknown. */
export function groupCreate(
  m: Heap,
  s: number,
  b: Uint8Array,
  off: number,
  len: number,
  lastId: StreamID,
  entriesRead: number | bigint,
): number {
  let v = streamGroups(m, s);
  if (v === 0) {
    v = _vecNew(m, 2);
    _words(m, s)[_w(s) + S_GROUPS] = v;
  }
  if (_vecFind(m, v, G_NAME_BYTES, b, off, len) !== 0) return 0;
  const at = _vecPos;
  const g = _newNamed(m, 9, G_NAME_BYTES, b, off, len);
  const pel = btNew(m, NACK_WORDS);
  const cv = _vecNew(m, 2);
  const u = _words(m, g);
  const w = _w(g);
  u[w + G_PEL] = pel;
  u[w + G_CONSUMERS] = cv;
  idWrite(lastId, u, w + G_LAST);
  _set64(u, w + G_READ, entriesRead);
  v = _vecInsert(m, v, at, g);
  _words(m, s)[_w(s) + S_GROUPS] = v;
  return g;
}

function _groupFree(m: Heap, g: number): void {
  const u = _words(m, g);
  const w = _w(g);
  btFree(m, u[w + G_PEL], false);
  const cv = u[w + G_CONSUMERS];
  const n = vecLen(m, cv);
  for (let i = 0; i < n; i++) _consumerFree(m, vecGet(m, cv, i));
  m.free(cv);
  m.free(g);
}

/** Remove and free a group (XGROUP DESTROY). */
export function groupDestroy(m: Heap, s: number, g: number): void {
  const v = streamGroups(m, s);
  const u8 = m.u8[g >>> OFF_BITS];
  const o = ((g & OFF_MASK) << 3) + G_NAME_BYTES;
  const len = _words(m, g)[_w(g)];
  if (_vecFind(m, v, G_NAME_BYTES, u8.slice(o, o + len), 0, len) === g) _vecRemove(m, v, _vecPos);
  _groupFree(m, g);
}

export function groupPel(m: Heap, g: number): number {
  return _words(m, g)[_w(g) + G_PEL];
}

export function groupConsumers(m: Heap, g: number): number {
  return _words(m, g)[_w(g) + G_CONSUMERS];
}

export function groupLastId(m: Heap, g: number, out: StreamID): StreamID {
  return idRead(out, _words(m, g), _w(g) + G_LAST);
}

export function groupSetLastId(m: Heap, g: number, id: StreamID): void {
  idWrite(id, _words(m, g), _w(g) + G_LAST);
}

/** entries_read (-1 when unknown). */
export function groupEntriesRead(m: Heap, g: number): number | bigint {
  const u = _words(m, g);
  const w = _w(g) + G_READ;
  return i64Value(u[w], u[w + 1]);
}

export function groupSetEntriesRead(m: Heap, g: number, v: number | bigint): void {
  _set64(_words(m, g), _w(g) + G_READ, v);
}

function _groupReadInvalid(m: Heap, g: number): boolean {
  const u = _words(m, g);
  const w = _w(g) + G_READ;
  return u[w] === 0xffffffff && u[w + 1] === 0xffffffff;
}

/** The group's name bytes (a view into arena memory: copy before the next write). */
export function groupName(m: Heap, g: number): Uint8Array {
  const o = ((g & OFF_MASK) << 3) + G_NAME_BYTES;
  return m.u8[g >>> OFF_BITS].subarray(o, o + _words(m, g)[_w(g)]);
}

// ---- consumers ----

/** streamLookupConsumer: handle or 0; refreshes the seen time unless noRefresh. */
export function consumerLookup(
  m: Heap,
  g: number,
  b: Uint8Array,
  off: number,
  len: number,
  nowMs: number,
  noRefresh: boolean,
): number {
  const c = _vecFind(m, groupConsumers(m, g), C_NAME_BYTES, b, off, len);
  if (c !== 0 && !noRefresh) m.f64[c >>> OFF_BITS][(c & OFF_MASK) + 1] = nowMs;
  return c;
}

/** streamCreateConsumer: the new consumer, or 0 when the name exists. */
export function consumerCreate(
  m: Heap,
  g: number,
  b: Uint8Array,
  off: number,
  len: number,
  nowMs: number,
): number {
  const v = groupConsumers(m, g);
  if (_vecFind(m, v, C_NAME_BYTES, b, off, len) !== 0) return 0;
  const at = _vecPos;
  const c = _newNamed(m, 4, C_NAME_BYTES, b, off, len);
  const pel = btNew(m, 0);
  _words(m, c)[_w(c) + C_PEL] = pel;
  m.f64[c >>> OFF_BITS][(c & OFF_MASK) + 1] = nowMs;
  const nv = _vecInsert(m, v, at, c);
  _words(m, g)[_w(g) + G_CONSUMERS] = nv;
  return c;
}

function _consumerFree(m: Heap, c: number): void {
  btFree(m, _words(m, c)[_w(c) + C_PEL], false);
  m.free(c);
}

export function consumerPel(m: Heap, c: number): number {
  return _words(m, c)[_w(c) + C_PEL];
}

export function consumerSeenTime(m: Heap, c: number): number {
  return m.f64[c >>> OFF_BITS][(c & OFF_MASK) + 1];
}

export function consumerName(m: Heap, c: number): Uint8Array {
  const o = ((c & OFF_MASK) << 3) + C_NAME_BYTES;
  return m.u8[c >>> OFF_BITS].subarray(o, o + _words(m, c)[_w(c)]);
}

/** Byte position and length of a consumer's name, to reply it without copying. */
export function consumerNameOff(c: number): number {
  return ((c & OFF_MASK) << 3) + C_NAME_BYTES;
}

export function consumerNameLen(m: Heap, c: number): number {
  return _words(m, c)[_w(c) + C_NAMELEN];
}

const _pc = new BtCursor();

/**
 * Delete a consumer (streamDelConsumer): its pending entries leave the group PEL too. Returns
 * how many were pending.
 */
export function consumerDelete(m: Heap, g: number, c: number): number {
  const cpel = consumerPel(m, c);
  const gpel = groupPel(m, g);
  const pending = btCount(m, cpel);
  const k = _pc;
  for (let ok = btFirst(m, cpel, k); ok; ok = btNext(m, k)) {
    const u = btWords(m, k);
    const w = btSlot(k);
    btDelete(m, gpel, u[w], u[w + 1], u[w + 2], u[w + 3]);
  }
  const v = groupConsumers(m, g);
  const name = consumerName(m, c).slice();
  if (_vecFind(m, v, C_NAME_BYTES, name, 0, name.length) === c) _vecRemove(m, v, _vecPos);
  _consumerFree(m, c);
  return pending;
}

// ---- pending entries ----

function _setTime(u: Uint32Array, w: number, ms: number): void {
  u[w + N_TIME] = Math.floor(ms / TWO32) >>> 0;
  u[w + N_TIME + 1] = ms >>> 0;
}

/** The NACK fields at word w of a group PEL slot's value. */
export function nackTime(u: Uint32Array, vw: number): number {
  return u[vw + N_TIME] * TWO32 + u[vw + N_TIME + 1];
}

export function nackSetTime(u: Uint32Array, vw: number, ms: number): void {
  _setTime(u, vw, ms);
}

export function nackCount(u: Uint32Array, vw: number): number | bigint {
  return i64Value(u[vw + N_COUNT], u[vw + N_COUNT + 1]);
}

export function nackSetCount(u: Uint32Array, vw: number, v: number | bigint): void {
  _set64(u, vw + N_COUNT, v);
}

export function nackIncCount(u: Uint32Array, vw: number): void {
  _inc64(u, vw + N_COUNT);
}

/**
 * Record that `id` was delivered to consumer c of group g (the PEL step of
 * streamReplyWithRange): a new NACK, or an existing one moved to c with its counter reset.
 */
export function pelDeliver(m: Heap, g: number, c: number, id: StreamID, nowMs: number): void {
  const gpel = groupPel(m, g);
  const k = _pc;
  const added = btInsert(m, gpel, k, id.msHi, id.msLo, id.seqHi, id.seqLo);
  const u = btWords(m, k);
  const vw = btSlot(k) + 4;
  if (!added) {
    const old = u[vw + N_CONSUMER];
    if (old !== 0) btDelete(m, consumerPel(m, old), id.msHi, id.msLo, id.seqHi, id.seqLo);
  }
  _setTime(u, vw, nowMs);
  u[vw + N_COUNT] = 0;
  u[vw + N_COUNT + 1] = 1;
  u[vw + N_CONSUMER] = c;
  btInsert(m, consumerPel(m, c), k, id.msHi, id.msLo, id.seqHi, id.seqLo);
}

/** Position `cur` on id in the group PEL; false when not pending. */
export function pelFind(m: Heap, g: number, cur: BtCursor, id: StreamID): boolean {
  return btFind(m, groupPel(m, g), cur, id.msHi, id.msLo, id.seqHi, id.seqLo);
}

/** Remove id from the group PEL and its consumer's PEL (XACK); false when not pending. */
export function pelAck(m: Heap, g: number, id: StreamID): boolean {
  const gpel = groupPel(m, g);
  const k = _pc;
  if (!btFind(m, gpel, k, id.msHi, id.msLo, id.seqHi, id.seqLo)) return false;
  const owner = btWords(m, k)[btSlot(k) + 4 + N_CONSUMER];
  btDelete(m, gpel, id.msHi, id.msLo, id.seqHi, id.seqLo);
  if (owner !== 0) btDelete(m, consumerPel(m, owner), id.msHi, id.msLo, id.seqHi, id.seqLo);
  return true;
}

/**
 * Give the pending entry id (present in the group PEL) to consumer c: move it between the
 * consumer PELs when the owner changes. Returns the group PEL value word index in `cur`'s leaf
 * (the cursor is re-found after the consumer PEL update).
 */
export function pelMoveTo(m: Heap, g: number, c: number, id: StreamID, cur: BtCursor): void {
  const gpel = groupPel(m, g);
  btFind(m, gpel, cur, id.msHi, id.msLo, id.seqHi, id.seqLo);
  const owner = btWords(m, cur)[btSlot(cur) + 4 + N_CONSUMER];
  if (owner === c) return;
  if (owner !== 0) btDelete(m, consumerPel(m, owner), id.msHi, id.msLo, id.seqHi, id.seqLo);
  btInsert(m, consumerPel(m, c), _pc, id.msHi, id.msLo, id.seqHi, id.seqLo);
  btFind(m, gpel, cur, id.msHi, id.msLo, id.seqHi, id.seqLo);
  btWords(m, cur)[btSlot(cur) + 4 + N_CONSUMER] = c;
}

/** Create an unowned NACK (XCLAIM FORCE); the cursor is left on it. */
export function pelCreateUnowned(
  m: Heap,
  g: number,
  id: StreamID,
  cur: BtCursor,
  nowMs: number,
): void {
  btInsert(m, groupPel(m, g), cur, id.msHi, id.msLo, id.seqHi, id.seqLo);
  const u = btWords(m, cur);
  const vw = btSlot(cur) + 4;
  _setTime(u, vw, nowMs);
  u[vw + N_COUNT] = 0;
  u[vw + N_COUNT + 1] = 1;
  u[vw + N_CONSUMER] = 0;
}

// ---- group reads ----

/**
 * Account for delivering `id` to group g (streamReplyWithRange's group step): advance the last
 * delivered ID and the entries-read counter. Returns true when the last ID moved.
 */
export function groupAdvance(m: Heap, s: number, g: number, id: StreamID): boolean {
  const u = _words(m, g);
  const w = _w(g);
  if (idCmpWords(id, u, w + G_LAST) <= 0) return false;
  if (!_groupReadInvalid(m, g) && !streamRangeHasTombstones(m, s, id, null)) {
    _inc64(u, w + G_READ);
  } else if (!_entriesAddedIsZero(m, s)) {
    _set64(u, w + G_READ, streamEstimateDistance(m, s, id));
  }
  idWrite(id, _words(m, g), w + G_LAST);
  return true;
}

/** A group's lag (streamReplyWithCGLag), or null when it cannot be known. */
export function groupLag(m: Heap, s: number, g: number): number | bigint | null {
  if (_entriesAddedIsZero(m, s)) return 0;
  const added = streamEntriesAdded(m, s);
  if (!_groupReadInvalid(m, g)) {
    const last = groupLastId(m, g, _tmp2);
    if (!streamRangeHasTombstones(m, s, last, null)) return sub64(added, groupEntriesRead(m, g));
  }
  const read = streamEstimateDistance(m, s, groupLastId(m, g, _tmp2));
  if (read === INVALID_READ) return null;
  return sub64(added, read);
}

// ---- whole-value operations (ValueOps) ----

export function streamFree(m: Heap, s: number): void {
  const u = _words(m, s);
  const w = _w(s);
  btFree(m, u[w + S_INDEX], true);
  const v = u[w + S_GROUPS];
  if (v !== 0) {
    const n = vecLen(m, v);
    for (let i = 0; i < n; i++) _groupFree(m, vecGet(m, v, i));
    m.free(v);
  }
  m.free(s);
}

/** Free at most about `budget` allocations; true when the whole stream is gone. */
export function streamFreeSome(m: Heap, s: number, budget: number): boolean {
  const u = _words(m, s);
  const w = _w(s);
  const v = u[w + S_GROUPS];
  if (v !== 0) {
    // groups go last first; each one's consumers (and their PELs), then its PEL, piecemeal
    while (vecLen(m, v) > 0) {
      if (budget <= 0) return false;
      const g = vecGet(m, v, vecLen(m, v) - 1);
      const cv = groupConsumers(m, g);
      while (vecLen(m, cv) > 0) {
        const con = vecGet(m, cv, vecLen(m, cv) - 1);
        if (!btFreeSome(m, consumerPel(m, con), budget, false)) return false;
        budget -= 1;
        m.free(con);
        _vecRemove(m, cv, vecLen(m, cv) - 1);
        if (budget <= 0) return false;
      }
      if (!btFreeSome(m, groupPel(m, g), budget, false)) return false;
      budget -= 2;
      m.free(cv);
      m.free(g);
      _vecRemove(m, v, vecLen(m, v) - 1);
    }
    m.free(v);
    _words(m, s)[_w(s) + S_GROUPS] = 0;
    if (budget <= 0) return false;
  }
  if (!btFreeSome(m, _words(m, s)[_w(s) + S_INDEX], budget, true)) return false;
  m.free(s);
  return true;
}

/** lazyfreeGetFreeEffort for streams: nodes, plus groups times the first group's PEL size. */
export function streamFreeEffort(m: Heap, s: number): number {
  let effort = btNodeCount(m, streamIndex(m, s)) + streamNodeCount(m, s);
  const v = streamGroups(m, s);
  const n = vecLen(m, v);
  if (n > 0) effort += n * (1 + btCount(m, groupPel(m, vecGet(m, v, 0))));
  return effort;
}

/** Deep copy (COPY): same nodes, groups, consumers and PELs. */
export function streamDup(m: Heap, s: number): number {
  const ns = m.alloc(S_WORDS * 4);
  const su = _words(m, s);
  const sw = _w(s);
  const idx = btDup(m, su[sw + S_INDEX], (u, w) => {
    u[w + 4] = lpDup(m, u[w + 4]);
  });
  const nu = _words(m, ns);
  const nw = _w(ns);
  const src = _words(m, s);
  nu.set(src.subarray(sw, sw + S_WORDS), nw);
  nu[nw + S_INDEX] = idx;
  nu[nw + S_GROUPS] = 0;
  const v = src[sw + S_GROUPS];
  if (v === 0) return ns;
  const n = vecLen(m, v);
  const nv = _vecNew(m, Math.max(2, n));
  for (let i = 0; i < n; i++) {
    const g = vecGet(m, v, i);
    const gname = groupName(m, g).slice();
    const ng = _newNamed(m, 9, G_NAME_BYTES, gname, 0, gname.length);
    const gu = _words(m, g);
    const gw = _w(g);
    const ngu = _words(m, ng);
    const ngw = _w(ng);
    for (let j = G_LAST; j < G_READ + 2; j++) ngu[ngw + j] = gu[gw + j];
    // consumers first, then the PEL with consumer handles remapped
    const cv = gu[gw + G_CONSUMERS];
    const cn = vecLen(m, cv);
    const ncv = _vecNew(m, Math.max(2, cn));
    const map = new Map<number, number>();
    for (let j = 0; j < cn; j++) {
      const c = vecGet(m, cv, j);
      const cname = consumerName(m, c).slice();
      const nc = _newNamed(m, 4, C_NAME_BYTES, cname, 0, cname.length);
      _words(m, nc)[_w(nc) + C_PEL] = btDup(m, consumerPel(m, c), null);
      m.f64[nc >>> OFF_BITS][(nc & OFF_MASK) + 1] = consumerSeenTime(m, c);
      map.set(c, nc);
      const cvu = _words(m, ncv);
      cvu[_w(ncv) + 2 + j] = nc;
      cvu[_w(ncv)] = j + 1;
    }
    const pel = btDup(m, _words(m, g)[_w(g) + G_PEL], (u, w) => {
      const old = u[w + 4 + N_CONSUMER];
      u[w + 4 + N_CONSUMER] = old === 0 ? 0 : map.get(old) ?? 0;
    });
    const ngu2 = _words(m, ng);
    ngu2[_w(ng) + G_PEL] = pel;
    ngu2[_w(ng) + G_CONSUMERS] = ncv;
    const nvu = _words(m, nv);
    nvu[_w(nv) + 2 + i] = ng;
    nvu[_w(nv)] = i + 1;
  }
  _words(m, ns)[_w(ns) + S_GROUPS] = nv;
  return ns;
}

/**
 * MEMORY USAGE (objectComputeSize for streams): the header, the index, listpacks (the first
 * `samples` measured, the rest estimated from their average, the last one measured), and the
 * groups with their PELs and consumers.
 */
export function streamMemUsage(m: Heap, s: number, samples: number): number {
  let size = 16 + m.usableSize(s);
  const index = streamIndex(m, s);
  size += btMemUsage(m, index);
  const c = new BtCursor();
  let lpsize = 0;
  let n = 0;
  const total = btCount(m, index);
  for (let ok = btFirst(m, index, c); ok && (samples === 0 || n < samples); ok = btNext(m, c)) {
    lpsize += m.usableSize(btWords(m, c)[btSlot(c) + 4]);
    n++;
  }
  if (total <= n) {
    size += lpsize;
  } else {
    if (n) lpsize /= n;
    size += lpsize * (total - 1);
    btLast(m, index, c);
    size += m.usableSize(btWords(m, c)[btSlot(c) + 4]);
  }
  const v = streamGroups(m, s);
  if (v !== 0) {
    size += m.usableSize(v);
    const gn = vecLen(m, v);
    for (let i = 0; i < gn; i++) {
      const g = vecGet(m, v, i);
      size += m.usableSize(g) + btMemUsage(m, groupPel(m, g));
      const cv = groupConsumers(m, g);
      size += m.usableSize(cv);
      const cn = vecLen(m, cv);
      for (let j = 0; j < cn; j++) {
        const con = vecGet(m, cv, j);
        size += m.usableSize(con) + btMemUsage(m, consumerPel(m, con));
      }
    }
  }
  return Math.floor(size);
}

/** Visit every live entry in order (DEBUG DIGEST: "ms.seq", then each field and value). */
export function streamForEach(
  m: Heap,
  s: number,
  fn: (id: StreamID, it: StreamIterator) => void,
): void {
  const it = new StreamIterator().begin(m, s, null, null, false);
  while (it.next()) fn(it.id, it);
}
