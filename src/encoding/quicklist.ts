// Quicklist: Redis 7.0's list encoding, a doubly linked list of listpack nodes in arena memory,
// with Redis's fill rules (list-max-listpack-size), node splitting and merging, plain nodes for
// huge elements and LZF compression of interior nodes (list-compress-depth). A pure structure
// over memory/ and the listpack/lzf encodings: no clients, no replies, no store.
//
// Header (32-byte allocation, u32 words):
//   [0] head node  [1] tail node  [2] node count  [3] fill (int32)  [4] compress depth
//   [6..7] f64 element count
// Node (32-byte allocation, u32 words):
//   [0] prev  [1] next  [2] data handle  [3] sz: listpack bytes (or plain element length), the
//   uncompressed size even while compressed  [4] element count  [5] flags (NF_*)
//   [6] compressed bytes (while NF_LZF)
// Data is a listpack (packed node), the raw element (plain node, NF_PLAIN), or while NF_LZF the
// LZF-compressed form of either. Head and tail nodes and every node within `compress depth` of
// either end are never compressed.
//
// Reading fills the listpack module register `lpEl` (see LpEntry in listpack.ts): valid until the
// next listpack/quicklist call or write.
//
//   push / pop at either end          O(1) (amortised listpack growth)
//   index / replace / insert at idx   O(nodes) to find the node + O(node bytes)
//   delete range                      O(nodes touched)
//   iteration                         O(1) per element

import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import {
  LP_AFTER,
  LP_BEFORE,
  lpAppend,
  lpBytes,
  lpCompare,
  lpDelete,
  lpDeleteRange,
  lpDup,
  lpEl,
  lpEncodedSize,
  lpFirst,
  lpGet,
  lpInsert,
  lpLast,
  lpLength,
  lpMerge,
  lpNew,
  lpNext,
  lpPrepend,
  lpPrev,
  lpReplace,
  lpSeek,
} from "./listpack.ts";
import { lzfCompress, lzfDecompress } from "./lzf.ts";

/** qlPop / qlPush ends. */
export const QUICKLIST_HEAD = 0;
export const QUICKLIST_TAIL = -1;
/** Iterator directions: from the head towards the tail, or from the tail towards the head. */
export const AL_START_HEAD = 0;
export const AL_START_TAIL = 1;

// header words
const Q_HEAD = 0;
const Q_TAIL = 1;
const Q_LEN = 2;
const Q_FILL = 3;
const Q_COMPRESS = 4;
const Q_COUNT_F64 = 3; // f64 index (8-byte units) of the element count
// node words
const N_PREV = 0;
const N_NEXT = 1;
const N_DATA = 2;
const N_SZ = 3;
const N_COUNT = 4;
const N_FLAGS = 5;
const N_LZF = 6;
// node flags
const NF_LZF = 1; // data is LZF-compressed
const NF_PLAIN = 2; // a plain node: one raw element, no listpack
const NF_RECOMPRESS = 4; // decompressed for use: compress again when done
const NF_DONT_COMPRESS = 8; // pinned raw during a replace

const HEADER_SIZE = 32;
const NODE_SIZE = 32;

/** Node byte limits for fill -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** Byte cap of a node when the fill is a count (positive). */
export const SIZE_SAFETY_LIMIT = 8192;
/** Per-element overhead assumed when checking whether one more element fits. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** Smaller nodes are not worth compressing. */
const MIN_COMPRESS_BYTES = 48;
/** Keep the compressed form only when it saves at least this many bytes. */
const MIN_COMPRESS_IMPROVE = 8;
const FILL_MAX = (1 << 15) - 1;
const COMPRESS_MAX = (1 << 16) - 1;
/** Position marker an iterator uses for the single element of a plain node. */
const PLAIN_POS = 1;

const DEFAULT_PACKED_THRESHOLD = 1 << 30;
let packedThreshold = DEFAULT_PACKED_THRESHOLD;

/**
 * Elements of at least this many bytes get a plain node of their own (DEBUG
 * QUICKLIST-PACKED-THRESHOLD). 0 restores the 1 GiB default; values near 4 GiB are refused.
 * Returns false when refused.
 */
export function qlSetPackedThreshold(sz: number): boolean {
  if (sz > 2 ** 32 - (1 << 20)) return false;
  packedThreshold = sz === 0 ? DEFAULT_PACKED_THRESHOLD : sz;
  return true;
}

export function qlPackedThreshold(): number {
  return packedThreshold;
}

// ---- Word access ----

function _g(m: Heap, h: number, w: number): number {
  return m.u32[h >>> OFF_BITS][((h & OFF_MASK) << 1) + w];
}

function _s(m: Heap, h: number, w: number, v: number): void {
  m.u32[h >>> OFF_BITS][((h & OFF_MASK) << 1) + w] = v;
}

function _count(m: Heap, ql: number): number {
  return m.f64[ql >>> OFF_BITS][(ql & OFF_MASK) + Q_COUNT_F64];
}

function _addCount(m: Heap, ql: number, d: number): void {
  m.f64[ql >>> OFF_BITS][(ql & OFF_MASK) + Q_COUNT_F64] += d;
}

function _fill(m: Heap, ql: number): number {
  return _g(m, ql, Q_FILL) | 0;
}

function _isPlain(m: Heap, n: number): boolean {
  return (_g(m, n, N_FLAGS) & NF_PLAIN) !== 0;
}

function _updateSz(m: Heap, n: number): void {
  _s(m, n, N_SZ, lpBytes(m, _g(m, n, N_DATA)));
}

// ---- Creation and options ----

/**
 * A new empty quicklist. fill: list-max-listpack-size (clamped to -5..32767); compress:
 * list-compress-depth (clamped to 0..65535).
 */
export function qlCreate(m: Heap, fill = -2, compress = 0): number {
  const ql = m.alloc(HEADER_SIZE);
  const u = m.u32[ql >>> OFF_BITS];
  const w = (ql & OFF_MASK) << 1;
  u.fill(0, w, w + 8);
  qlSetOptions(m, ql, fill, compress);
  return ql;
}

export function qlSetFill(m: Heap, ql: number, fill: number): void {
  if (fill > FILL_MAX) fill = FILL_MAX;
  else if (fill < -5) fill = -5;
  _s(m, ql, Q_FILL, fill >>> 0);
}

export function qlSetCompressDepth(m: Heap, ql: number, depth: number): void {
  if (depth > COMPRESS_MAX) depth = COMPRESS_MAX;
  else if (depth < 0) depth = 0;
  _s(m, ql, Q_COMPRESS, depth);
}

export function qlSetOptions(m: Heap, ql: number, fill: number, depth: number): void {
  qlSetFill(m, ql, fill);
  qlSetCompressDepth(m, ql, depth);
}

export function qlFill(m: Heap, ql: number): number {
  return _fill(m, ql);
}

export function qlCompressDepth(m: Heap, ql: number): number {
  return _g(m, ql, Q_COMPRESS);
}

/** Number of elements. */
export function qlCount(m: Heap, ql: number): number {
  return _count(m, ql);
}

/** Number of nodes. */
export function qlNodeCount(m: Heap, ql: number): number {
  return _g(m, ql, Q_LEN);
}

function _createNode(m: Heap): number {
  const n = m.alloc(NODE_SIZE);
  const u = m.u32[n >>> OFF_BITS];
  const w = (n & OFF_MASK) << 1;
  u.fill(0, w, w + 8);
  return n;
}

// ---- Compression ----

let _zbuf = new Uint8Array(4096);
const ZBUF_MAX = 128 * 1024;

/** Try to compress a raw node; true when it is now compressed. */
function _compressNode(m: Heap, n: number): boolean {
  let f = _g(m, n, N_FLAGS);
  if (f & NF_DONT_COMPRESS) return false;
  f &= ~NF_RECOMPRESS;
  _s(m, n, N_FLAGS, f);
  const sz = _g(m, n, N_SZ);
  if (sz < MIN_COMPRESS_BYTES) return false;
  const data = _g(m, n, N_DATA);
  const src = m.u8[data >>> OFF_BITS];
  const so = (data & OFF_MASK) << 3;
  let out: number;
  let clen: number;
  if (sz <= ZBUF_MAX) {
    if (_zbuf.length < sz) _zbuf = new Uint8Array(Math.max(sz, _zbuf.length * 2));
    clen = lzfCompress(src, so, sz, _zbuf, 0, sz);
    if (clen === 0 || clen + MIN_COMPRESS_IMPROVE >= sz) return false;
    out = m.alloc(clen);
    m.u8[out >>> OFF_BITS].set(_zbuf.subarray(0, clen), (out & OFF_MASK) << 3);
  } else {
    out = m.alloc(sz);
    clen = lzfCompress(src, so, sz, m.u8[out >>> OFF_BITS], (out & OFF_MASK) << 3, sz);
    if (clen === 0 || clen + MIN_COMPRESS_IMPROVE >= sz) {
      m.free(out);
      return false;
    }
    out = m.realloc(out, clen);
  }
  m.free(data);
  _s(m, n, N_DATA, out);
  _s(m, n, N_LZF, clen);
  _s(m, n, N_FLAGS, f | NF_LZF);
  return true;
}

/** Decompress a compressed node; false (node unchanged) when its data is corrupt. */
function _decompressNode(m: Heap, n: number): boolean {
  const f = _g(m, n, N_FLAGS) & ~NF_RECOMPRESS;
  _s(m, n, N_FLAGS, f);
  const sz = _g(m, n, N_SZ);
  const data = _g(m, n, N_DATA);
  const out = m.alloc(sz);
  const got = lzfDecompress(
    m.u8[data >>> OFF_BITS],
    (data & OFF_MASK) << 3,
    _g(m, n, N_LZF),
    m.u8[out >>> OFF_BITS],
    (out & OFF_MASK) << 3,
    sz,
  );
  if (got === 0) {
    m.free(out);
    return false;
  }
  m.free(data);
  _s(m, n, N_DATA, out);
  _s(m, n, N_LZF, 0);
  _s(m, n, N_FLAGS, f & ~NF_LZF);
  return true;
}

function _compressIfRaw(m: Heap, n: number): void {
  if (n !== 0 && !(_g(m, n, N_FLAGS) & NF_LZF)) _compressNode(m, n);
}

function _decompressIfLzf(m: Heap, n: number): void {
  if (n !== 0 && (_g(m, n, N_FLAGS) & NF_LZF)) _decompressNode(m, n);
}

/** Decompress a node about to be used; it is compressed again by _recompressOnly/_qlCompress. */
function _decompressForUse(m: Heap, n: number): void {
  if (n !== 0 && (_g(m, n, N_FLAGS) & NF_LZF)) {
    _decompressNode(m, n);
    _s(m, n, N_FLAGS, _g(m, n, N_FLAGS) | NF_RECOMPRESS);
  }
}

/**
 * Enforce the compress depth around `node` (0: none): the `depth` nodes at each end are
 * decompressed, `node` (when beyond them) and the first node past the depth on each side are
 * compressed. O(depth).
 */
function _compress(m: Heap, ql: number, node: number): void {
  const len = _g(m, ql, Q_LEN);
  if (len === 0) return;
  const depth = _g(m, ql, Q_COMPRESS);
  if (depth === 0 || len < depth * 2) return;
  let fwd = _g(m, ql, Q_HEAD);
  let rev = _g(m, ql, Q_TAIL);
  let inDepth = false;
  for (let d = 0; d < depth; d++) {
    _decompressIfLzf(m, fwd);
    _decompressIfLzf(m, rev);
    if (fwd === node || rev === node) inDepth = true;
    if (fwd === rev || _g(m, fwd, N_NEXT) === rev) return;
    fwd = _g(m, fwd, N_NEXT);
    rev = _g(m, rev, N_PREV);
  }
  if (!inDepth) _compressIfRaw(m, node);
  _compressIfRaw(m, fwd);
  _compressIfRaw(m, rev);
}

/** After touching `node`: recompress it if it was decompressed for use, else enforce depth. */
function _qlCompress(m: Heap, ql: number, node: number): void {
  if (_g(m, node, N_FLAGS) & NF_RECOMPRESS) _compressIfRaw(m, node);
  else _compress(m, ql, node);
}

function _recompressOnly(m: Heap, node: number): void {
  if (_g(m, node, N_FLAGS) & NF_RECOMPRESS) _compressIfRaw(m, node);
}

// ---- Node linking ----

/** Link `nn` after (or before) `old` (0 only when the list is empty); nn must be raw. */
function _insertNode(m: Heap, ql: number, old: number, nn: number, after: boolean): void {
  if (after) {
    _s(m, nn, N_PREV, old);
    if (old !== 0) {
      const nx = _g(m, old, N_NEXT);
      _s(m, nn, N_NEXT, nx);
      if (nx !== 0) _s(m, nx, N_PREV, nn);
      _s(m, old, N_NEXT, nn);
    }
    if (_g(m, ql, Q_TAIL) === old) _s(m, ql, Q_TAIL, nn);
  } else {
    _s(m, nn, N_NEXT, old);
    if (old !== 0) {
      const pv = _g(m, old, N_PREV);
      _s(m, nn, N_PREV, pv);
      if (pv !== 0) _s(m, pv, N_NEXT, nn);
      _s(m, old, N_PREV, nn);
    }
    if (_g(m, ql, Q_HEAD) === old) _s(m, ql, Q_HEAD, nn);
  }
  if (_g(m, ql, Q_LEN) === 0) {
    _s(m, ql, Q_HEAD, nn);
    _s(m, ql, Q_TAIL, nn);
  }
  _s(m, ql, Q_LEN, _g(m, ql, Q_LEN) + 1);
  if (old !== 0) _qlCompress(m, ql, old);
  _qlCompress(m, ql, nn);
}

/** Unlink and free a node (its elements leave the count too). */
function _delNode(m: Heap, ql: number, n: number): void {
  const nx = _g(m, n, N_NEXT);
  const pv = _g(m, n, N_PREV);
  if (nx !== 0) _s(m, nx, N_PREV, pv);
  if (pv !== 0) _s(m, pv, N_NEXT, nx);
  if (_g(m, ql, Q_TAIL) === n) _s(m, ql, Q_TAIL, pv);
  if (_g(m, ql, Q_HEAD) === n) _s(m, ql, Q_HEAD, nx);
  _s(m, ql, Q_LEN, _g(m, ql, Q_LEN) - 1);
  _addCount(m, ql, -_g(m, n, N_COUNT));
  // a node within the depth may have gone: nodes that were compressed may now be in it
  _compress(m, ql, 0);
  const data = _g(m, n, N_DATA);
  if (data !== 0) m.free(data);
  m.free(n);
}

/**
 * Delete the element at listpack position p of node n. Returns true when the node went away;
 * otherwise lpOut.pos is the position of the element that followed (0 if none).
 */
function _delIndex(m: Heap, ql: number, n: number, p: number): boolean {
  if (_isPlain(m, n)) {
    _delNode(m, ql, n);
    return true;
  }
  const lp = lpDelete(m, _g(m, n, N_DATA), p);
  _s(m, n, N_DATA, lp);
  const c = _g(m, n, N_COUNT) - 1;
  _s(m, n, N_COUNT, c);
  let gone = false;
  if (c === 0) {
    gone = true;
    _delNode(m, ql, n);
  } else {
    _updateSz(m, n);
  }
  _addCount(m, ql, -1);
  return gone;
}

// ---- Fill rules ----

function _sizeMeetsOptimization(sz: number, fill: number): boolean {
  if (fill >= 0) return false;
  const i = -fill - 1;
  return i < OPTIMIZATION_LEVEL.length && sz <= OPTIMIZATION_LEVEL[i];
}

/** May an element of `sz` bytes join node n under `fill`? */
function _allowInsert(m: Heap, n: number, fill: number, sz: number): boolean {
  if (n === 0) return false;
  if ((_g(m, n, N_FLAGS) & NF_PLAIN) || sz >= packedThreshold) return false;
  const newSz = _g(m, n, N_SZ) + sz + SIZE_ESTIMATE_OVERHEAD;
  if (_sizeMeetsOptimization(newSz, fill)) return true;
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return _g(m, n, N_COUNT) < fill;
}

function _allowMerge(m: Heap, a: number, b: number, fill: number): boolean {
  if (a === 0 || b === 0) return false;
  if (_isPlain(m, a) || _isPlain(m, b)) return false;
  // merged size, less one listpack header and terminator (as Redis estimates it)
  const mergeSz = _g(m, a, N_SZ) + _g(m, b, N_SZ) - 11;
  if (_sizeMeetsOptimization(mergeSz, fill)) return true;
  if (mergeSz > SIZE_SAFETY_LIMIT) return false;
  return _g(m, a, N_COUNT) + _g(m, b, N_COUNT) <= fill;
}

// ---- Push and pop ----

function _newPackedNode(m: Heap, b: Uint8Array, off: number, len: number): number {
  const n = _createNode(m);
  const lp = lpAppend(m, lpNew(m, 7 + lpEncodedSize(b, off, len)), b, off, len);
  _s(m, n, N_DATA, lp);
  _s(m, n, N_SZ, lpBytes(m, lp));
  _s(m, n, N_COUNT, 1);
  return n;
}

function _createPlainNode(m: Heap, b: Uint8Array, off: number, len: number): number {
  const n = _createNode(m);
  const data = m.alloc(len);
  const d = m.u8[data >>> OFF_BITS];
  const dOff = (data & OFF_MASK) << 3;
  if (b === d) d.copyWithin(dOff, off, off + len);
  else d.set(b.subarray(off, off + len), dOff);
  _s(m, n, N_DATA, data);
  _s(m, n, N_SZ, len);
  _s(m, n, N_COUNT, 1);
  _s(m, n, N_FLAGS, NF_PLAIN);
  return n;
}

function _insertPlainNode(
  m: Heap,
  ql: number,
  old: number,
  b: Uint8Array,
  off: number,
  len: number,
  after: boolean,
): void {
  _insertNode(m, ql, old, _createPlainNode(m, b, off, len), after);
  _addCount(m, ql, 1);
}

/** LPUSH one element: b[off, off+len). HOT PATH: no allocation beyond listpack growth. */
export function qlPushHead(m: Heap, ql: number, b: Uint8Array, off: number, len: number): void {
  const head = _g(m, ql, Q_HEAD);
  if (len >= packedThreshold) {
    _insertPlainNode(m, ql, head, b, off, len, false);
    return;
  }
  if (_allowInsert(m, head, _fill(m, ql), len)) {
    const u = m.u32[head >>> OFF_BITS];
    const w = (head & OFF_MASK) << 1;
    const lp = lpPrepend(m, u[w + N_DATA], b, off, len);
    u[w + N_DATA] = lp;
    u[w + N_SZ] = lpBytes(m, lp);
    u[w + N_COUNT]++;
  } else {
    _insertNode(m, ql, head, _newPackedNode(m, b, off, len), false);
  }
  _addCount(m, ql, 1);
}

/** RPUSH one element: b[off, off+len). HOT PATH: no allocation beyond listpack growth. */
export function qlPushTail(m: Heap, ql: number, b: Uint8Array, off: number, len: number): void {
  const tail = _g(m, ql, Q_TAIL);
  if (len >= packedThreshold) {
    _insertPlainNode(m, ql, tail, b, off, len, true);
    return;
  }
  if (_allowInsert(m, tail, _fill(m, ql), len)) {
    const u = m.u32[tail >>> OFF_BITS];
    const w = (tail & OFF_MASK) << 1;
    const lp = lpAppend(m, u[w + N_DATA], b, off, len);
    u[w + N_DATA] = lp;
    u[w + N_SZ] = lpBytes(m, lp);
    u[w + N_COUNT]++;
  } else {
    _insertNode(m, ql, tail, _newPackedNode(m, b, off, len), true);
  }
  _addCount(m, ql, 1);
}

/** Push at QUICKLIST_HEAD or QUICKLIST_TAIL. */
export function qlPush(
  m: Heap,
  ql: number,
  where: number,
  b: Uint8Array,
  off: number,
  len: number,
): void {
  if (where === QUICKLIST_HEAD) qlPushHead(m, ql, b, off, len);
  else qlPushTail(m, ql, b, off, len);
}

// Popped strings are copied here so the register outlives the deletion.
let _popBuf = new Uint8Array(256);
const POPBUF_KEEP = 1 << 20;

function _stash(el: typeof lpEl): void {
  const len = el.len;
  let dst = _popBuf;
  if (len > dst.length) {
    dst = new Uint8Array(Math.max(len, dst.length * 2));
    if (dst.length <= POPBUF_KEEP) _popBuf = dst;
  }
  const src = el.buf;
  const so = el.off;
  if (len <= 64) { for (let i = 0; i < len; i++) dst[i] = src[so + i]; }
  else dst.set(src.subarray(so, so + len), 0);
  el.buf = dst;
  el.off = 0;
}

function _plainToRegister(m: Heap, n: number): void {
  const data = _g(m, n, N_DATA);
  const el = lpEl;
  el.isInt = false;
  el.buf = m.u8[data >>> OFF_BITS];
  el.off = (data & OFF_MASK) << 3;
  el.len = _g(m, n, N_SZ);
}

/**
 * LPOP/RPOP one element (where: QUICKLIST_HEAD / QUICKLIST_TAIL) into the register `lpEl`; a
 * popped string is copied to a scratch buffer first, so the register stays valid after the
 * deletion (until the next call). Returns false when the list is empty.
 */
export function qlPop(m: Heap, ql: number, where: number): boolean {
  if (_count(m, ql) === 0) return false;
  const n = where === QUICKLIST_HEAD ? _g(m, ql, Q_HEAD) : _g(m, ql, Q_TAIL);
  if (n === 0) return false;
  if (_isPlain(m, n)) {
    _plainToRegister(m, n);
    _stash(lpEl);
    _delIndex(m, ql, n, PLAIN_POS);
    return true;
  }
  const lp = _g(m, n, N_DATA);
  const p = where === QUICKLIST_HEAD ? lpFirst(m, lp) : lpLast(m, lp);
  const el = lpGet(m, lp, p);
  if (!el.isInt) _stash(el);
  _delIndex(m, ql, n, p);
  return true;
}

// ---- Iteration ----

/**
 * An iterator: reusable, allocation-free. After qlNext returns true the current element is in
 * `lpEl` and (cur, pos, offset) locate it for qlIterDelete / qlIterReplace / qlIterInsert /
 * qlIterCompare. Call qlIterRelease when done (it recompresses the node in use).
 */
export class QlIter {
  ql = 0;
  /** Current node (0: finished). */
  cur = 0;
  /** Listpack position of the current element in cur (0: not positioned yet). */
  pos = 0;
  /** Index of the current element in its node (negative: from the node's tail). */
  offset = 0;
  dir = AL_START_HEAD;
}

const _sharedIter = new QlIter();
const _opIter = new QlIter(); // internal one-shot operations

/**
 * Start iterating from the head (AL_START_HEAD) or the tail (AL_START_TAIL). Uses a shared
 * iterator unless `it` is given: pass your own when two iterations overlap.
 */
export function qlIterStart(m: Heap, ql: number, dir: number, it: QlIter = _sharedIter): QlIter {
  it.ql = ql;
  it.dir = dir;
  it.pos = 0;
  if (dir === AL_START_HEAD) {
    it.cur = _g(m, ql, Q_HEAD);
    it.offset = 0;
  } else {
    it.cur = _g(m, ql, Q_TAIL);
    it.offset = -1;
  }
  return it;
}

/**
 * Start iterating at element `index` (negative from the tail) in direction `dir`. Returns null
 * when the index is out of range. Seeks from whichever end is nearer.
 */
export function qlIterAtIndex(
  m: Heap,
  ql: number,
  dir: number,
  index: number,
  it: QlIter = _sharedIter,
): QlIter | null {
  const count = _count(m, ql);
  const forward = index >= 0;
  const idx = forward ? index : -index - 1;
  if (idx >= count) return null;
  let seekForward = forward;
  let seekIndex = idx;
  if (idx > Math.floor((count - 1) / 2)) {
    seekForward = !forward;
    seekIndex = count - 1 - idx;
  }
  let n = seekForward ? _g(m, ql, Q_HEAD) : _g(m, ql, Q_TAIL);
  let accum = 0;
  while (n !== 0) {
    const c = _g(m, n, N_COUNT);
    if (accum + c > seekIndex) break;
    accum += c;
    n = _g(m, n, seekForward ? N_NEXT : N_PREV);
  }
  if (n === 0) return null;
  if (seekForward !== forward) accum = count - _g(m, n, N_COUNT) - accum;
  qlIterStart(m, ql, dir, it);
  it.cur = n;
  it.offset = forward ? idx - accum : -idx - 1 + accum;
  return it;
}

/** Change an iterator's direction mid-way. */
export function qlIterSetDirection(it: QlIter, dir: number): void {
  it.dir = dir;
}

/**
 * Advance to the next element and decode it into `lpEl`; false at the end. Leaving a node
 * recompresses it. HOT PATH: no allocation.
 */
export function qlNext(m: Heap, it: QlIter): boolean {
  for (;;) {
    const cur = it.cur;
    if (cur === 0) return false;
    const plain = _isPlain(m, cur);
    if (it.pos === 0) {
      _decompressForUse(m, cur);
      it.pos = plain ? PLAIN_POS : lpSeek(m, _g(m, cur, N_DATA), it.offset);
    } else if (plain) {
      it.pos = 0;
    } else if (it.dir === AL_START_HEAD) {
      it.pos = lpNext(m, _g(m, cur, N_DATA), it.pos);
      it.offset++;
    } else {
      it.pos = lpPrev(m, _g(m, cur, N_DATA), it.pos);
      it.offset--;
    }
    if (it.pos !== 0) {
      if (plain) _plainToRegister(m, cur);
      else lpGet(m, _g(m, cur, N_DATA), it.pos);
      return true;
    }
    // this node is exhausted: move on
    _qlCompress(m, it.ql, cur);
    if (it.dir === AL_START_HEAD) {
      it.cur = _g(m, cur, N_NEXT);
      it.offset = 0;
    } else {
      it.cur = _g(m, cur, N_PREV);
      it.offset = -1;
    }
  }
}

/** Finish an iteration: recompress the node in use. */
export function qlIterRelease(m: Heap, it: QlIter): void {
  if (it.cur !== 0) _qlCompress(m, it.ql, it.cur);
  it.cur = 0;
  it.pos = 0;
}

/** Is the current element equal to b[off, off+len)? (overwrites lpEl) */
export function qlIterCompare(
  m: Heap,
  it: QlIter,
  b: Uint8Array,
  off: number,
  len: number,
): boolean {
  const n = it.cur;
  const data = _g(m, n, N_DATA);
  if (_isPlain(m, n)) {
    if (_g(m, n, N_SZ) !== len) return false;
    const d = m.u8[data >>> OFF_BITS];
    const o = (data & OFF_MASK) << 3;
    for (let i = 0; i < len; i++) if (d[o + i] !== b[off + i]) return false;
    return true;
  }
  return lpCompare(m, data, it.pos, b, off, len);
}

/**
 * Delete the current element (LREM); the iterator stays usable: the next qlNext returns the
 * element that followed in the iteration direction.
 */
export function qlIterDelete(m: Heap, it: QlIter): void {
  _needElement(it);
  const n = it.cur;
  const pv = _g(m, n, N_PREV);
  const nx = _g(m, n, N_NEXT);
  const gone = _delIndex(m, it.ql, n, it.pos);
  it.pos = 0;
  if (gone) {
    if (it.dir === AL_START_HEAD) {
      it.cur = nx;
      it.offset = 0;
    } else {
      it.cur = pv;
      it.offset = -1;
    }
  }
}

/** Split node n at `offset`: see Redis's _quicklistSplitNode. Returns the new node (raw). */
function _splitNode(m: Heap, n: number, offset: number, after: boolean): number {
  const nn = _createNode(m);
  _s(m, nn, N_DATA, lpDup(m, _g(m, n, N_DATA)));
  const count = _g(m, n, N_COUNT);
  if (offset < 0) offset = count + offset;
  // -1 extents: delete to the end
  const origStart = after ? offset + 1 : 0;
  const origExtent = after ? -1 : offset;
  const newStart = after ? 0 : offset;
  const newExtent = after ? offset + 1 : -1;
  let lp = lpDeleteRange(m, _g(m, n, N_DATA), origStart, origExtent);
  _s(m, n, N_DATA, lp);
  _s(m, n, N_COUNT, lpLength(m, lp));
  _updateSz(m, n);
  lp = lpDeleteRange(m, _g(m, nn, N_DATA), newStart, newExtent);
  _s(m, nn, N_DATA, lp);
  _s(m, nn, N_COUNT, lpLength(m, lp));
  _updateSz(m, nn);
  return nn;
}

/** Merge the listpacks of neighbours a (left) and b; returns the node kept. */
function _mergeListpacks(m: Heap, ql: number, a: number, b: number): number {
  _decompressIfLzf(m, a);
  _decompressIfLzf(m, b);
  const la = _g(m, a, N_DATA);
  const lb = _g(m, b, N_DATA);
  const keepA = lpBytes(m, la) >= lpBytes(m, lb); // lpMerge keeps the larger allocation
  const merged = lpMerge(m, la, lb);
  const keep = keepA ? a : b;
  const nokeep = keepA ? b : a;
  _s(m, keep, N_DATA, merged);
  _s(m, keep, N_COUNT, lpLength(m, merged));
  _updateSz(m, keep);
  _s(m, nokeep, N_DATA, 0); // already freed by lpMerge
  _s(m, nokeep, N_COUNT, 0);
  _delNode(m, ql, nokeep);
  _qlCompress(m, ql, keep);
  return keep;
}

/** Try merging the neighbours around `center`, as Redis's _quicklistMergeNodes. */
function _mergeNodes(m: Heap, ql: number, center: number): void {
  const fill = _fill(m, ql);
  let prev = 0;
  let prevPrev = 0;
  let next = 0;
  let nextNext = 0;
  if (_g(m, center, N_PREV) !== 0) {
    prev = _g(m, center, N_PREV);
    prevPrev = _g(m, prev, N_PREV);
  }
  if (_g(m, center, N_NEXT) !== 0) {
    next = _g(m, center, N_NEXT);
    nextNext = _g(m, next, N_NEXT);
  }
  if (_allowMerge(m, prev, prevPrev, fill)) {
    _mergeListpacks(m, ql, prevPrev, prev);
  }
  if (_allowMerge(m, next, nextNext, fill)) {
    _mergeListpacks(m, ql, next, nextNext);
  }
  let target: number;
  if (_allowMerge(m, center, _g(m, center, N_PREV), fill)) {
    target = _mergeListpacks(m, ql, _g(m, center, N_PREV), center);
  } else {
    target = center;
  }
  if (_allowMerge(m, target, _g(m, target, N_NEXT), fill)) {
    _mergeListpacks(m, ql, target, _g(m, target, N_NEXT));
  }
}

function _needElement(it: QlIter): void {
  if (it.cur === 0 || it.pos === 0) throw new Error("Quicklist iterator is not on an element");
}

function _resetIter(it: QlIter): void {
  it.cur = 0;
  it.pos = 0;
}

/**
 * LINSERT: insert b[off, off+len) before or after the current element. The iterator cannot be
 * advanced afterwards (release it).
 */
export function qlIterInsert(
  m: Heap,
  it: QlIter,
  after: boolean,
  b: Uint8Array,
  off: number,
  len: number,
): void {
  const ql = it.ql;
  const fill = _fill(m, ql);
  const node = it.cur;
  if (node === 0) {
    // no reference node: the list is empty
    if (len >= packedThreshold) {
      _insertPlainNode(m, ql, _g(m, ql, Q_TAIL), b, off, len, after);
      return;
    }
    _insertNode(m, ql, 0, _newPackedNode(m, b, off, len), after);
    _addCount(m, ql, 1);
    return;
  }
  _needElement(it);
  const count = _g(m, node, N_COUNT);
  const offset = it.offset;
  const full = !_allowInsert(m, node, fill, len);
  let atTail = false;
  let atHead = false;
  let availNext = false;
  let availPrev = false;
  if (after && (offset === count - 1 || offset === -1)) {
    atTail = true;
    availNext = _allowInsert(m, _g(m, node, N_NEXT), fill, len);
  }
  if (!after && (offset === 0 || offset === -count)) {
    atHead = true;
    availPrev = _allowInsert(m, _g(m, node, N_PREV), fill, len);
  }

  if (len >= packedThreshold) {
    if (_isPlain(m, node) || (atTail && after) || (atHead && !after)) {
      _insertPlainNode(m, ql, node, b, off, len, after);
    } else {
      _decompressForUse(m, node);
      const nn = _splitNode(m, node, offset, after);
      const en = _createPlainNode(m, b, off, len);
      _insertNode(m, ql, node, en, after);
      _insertNode(m, ql, en, nn, after);
      _addCount(m, ql, 1);
    }
    return;
  }

  if (!full) {
    _decompressForUse(m, node);
    const lp = lpInsert(m, _g(m, node, N_DATA), it.pos, after ? LP_AFTER : LP_BEFORE, b, off, len);
    _s(m, node, N_DATA, lp);
    _s(m, node, N_COUNT, count + 1);
    _updateSz(m, node);
    _recompressOnly(m, node);
  } else if (atTail && availNext && after) {
    // full, but the next node has room at its head
    const nn = _g(m, node, N_NEXT);
    _decompressForUse(m, nn);
    const lp = lpPrepend(m, _g(m, nn, N_DATA), b, off, len);
    _s(m, nn, N_DATA, lp);
    _s(m, nn, N_COUNT, _g(m, nn, N_COUNT) + 1);
    _updateSz(m, nn);
    _recompressOnly(m, nn);
    _recompressOnly(m, node);
  } else if (atHead && availPrev && !after) {
    // full, but the previous node has room at its tail
    const nn = _g(m, node, N_PREV);
    _decompressForUse(m, nn);
    const lp = lpAppend(m, _g(m, nn, N_DATA), b, off, len);
    _s(m, nn, N_DATA, lp);
    _s(m, nn, N_COUNT, _g(m, nn, N_COUNT) + 1);
    _updateSz(m, nn);
    _recompressOnly(m, nn);
    _recompressOnly(m, node);
  } else if ((atTail && !availNext && after) || (atHead && !availPrev && !after)) {
    // full at an edge and the neighbour is full too: a new node
    _insertNode(m, ql, node, _newPackedNode(m, b, off, len), after);
  } else {
    // full in the middle: split the node around the element
    _decompressForUse(m, node);
    const nn = _splitNode(m, node, offset, after);
    const lp = after
      ? lpPrepend(m, _g(m, nn, N_DATA), b, off, len)
      : lpAppend(m, _g(m, nn, N_DATA), b, off, len);
    _s(m, nn, N_DATA, lp);
    _s(m, nn, N_COUNT, _g(m, nn, N_COUNT) + 1);
    _updateSz(m, nn);
    _insertNode(m, ql, node, nn, after);
    _mergeNodes(m, ql, node);
  }
  _addCount(m, ql, 1);
  _resetIter(it);
}

/**
 * Replace the current element by b[off, off+len) (LSET). The iterator cannot be advanced
 * afterwards (release it).
 */
export function qlIterReplace(m: Heap, it: QlIter, b: Uint8Array, off: number, len: number): void {
  _needElement(it);
  const ql = it.ql;
  const node = it.cur;
  const plain = _isPlain(m, node);
  if (!plain && len < packedThreshold) {
    const lp = lpReplace(m, _g(m, node, N_DATA), it.pos, b, off, len);
    _s(m, node, N_DATA, lp);
    _updateSz(m, node);
    _qlCompress(m, ql, node);
  } else if (plain) {
    if (len >= packedThreshold) {
      m.free(_g(m, node, N_DATA));
      const data = m.alloc(len);
      const d = m.u8[data >>> OFF_BITS];
      const dOff = (data & OFF_MASK) << 3;
      if (b === d) d.copyWithin(dOff, off, off + len);
      else d.set(b.subarray(off, off + len), dOff);
      _s(m, node, N_DATA, data);
      _s(m, node, N_SZ, len);
      _qlCompress(m, ql, node);
    } else {
      qlIterInsert(m, it, true, b, off, len);
      _delNode(m, ql, node);
    }
  } else {
    // a huge element replacing a packed one: it goes in a plain node after the current
    // element, which is then the last of its node (the insert split there)
    _s(m, node, N_FLAGS, _g(m, node, N_FLAGS) | NF_DONT_COMPRESS);
    it.cur = node;
    qlIterInsert(m, it, true, b, off, len);
    if (_g(m, node, N_COUNT) === 1) {
      _delNode(m, ql, node);
    } else {
      _delIndex(m, ql, node, lpLast(m, _g(m, node, N_DATA)));
      _s(m, node, N_FLAGS, _g(m, node, N_FLAGS) & ~NF_DONT_COMPRESS);
      _qlCompress(m, ql, node);
      const nx = _g(m, node, N_NEXT);
      if (nx !== 0) _qlCompress(m, ql, nx);
    }
  }
  _resetIter(it);
}

// ---- Index operations ----

/**
 * LINDEX: decode element `index` (negative from the tail) into `lpEl`. Returns false when out
 * of range. With compression on, strings are copied to a scratch buffer (the node is compressed
 * again before returning).
 */
export function qlIndex(m: Heap, ql: number, index: number): boolean {
  const it = qlIterAtIndex(m, ql, AL_START_TAIL, index, _opIter);
  if (it === null || !qlNext(m, it)) return false;
  if (_g(m, ql, Q_COMPRESS) !== 0 && !lpEl.isInt) _stash(lpEl);
  qlIterRelease(m, it);
  return true;
}

/** LSET: replace element `index`. Returns false (nothing changed) when out of range. */
export function qlReplaceAtIndex(
  m: Heap,
  ql: number,
  index: number,
  b: Uint8Array,
  off: number,
  len: number,
): boolean {
  const it = qlIterAtIndex(m, ql, AL_START_TAIL, index, _opIter);
  if (it === null || !qlNext(m, it)) return false;
  qlIterReplace(m, it, b, off, len);
  qlIterRelease(m, it);
  return true;
}

/**
 * Delete `count` elements starting at element `start` (negative from the tail), clipped to the
 * list (LTRIM, LREM helpers). Returns true when something was deleted.
 */
export function qlDelRange(m: Heap, ql: number, start: number, count: number): boolean {
  if (count <= 0) return false;
  const total = _count(m, ql);
  let extent = count;
  if (start >= 0 && extent > total - start) extent = total - start;
  else if (start < 0 && extent > -start) extent = -start;
  const it = qlIterAtIndex(m, ql, AL_START_TAIL, start, _opIter);
  if (it === null) return false;
  let node = it.cur;
  let offset = it.offset;
  _resetIter(it);
  while (extent > 0 && node !== 0) {
    const next = _g(m, node, N_NEXT);
    const nc = _g(m, node, N_COUNT);
    let del: number;
    let entire = false;
    if (offset === 0 && extent >= nc) {
      entire = true;
      del = nc;
    } else if (offset >= 0 && extent + offset >= nc) {
      del = nc - offset;
    } else if (offset < 0) {
      // only on the first node: everything from offset to the node's end (within extent)
      del = -offset;
      if (del > extent) del = extent;
    } else {
      del = extent;
    }
    if (entire || _isPlain(m, node)) {
      _delNode(m, ql, node);
    } else {
      _decompressForUse(m, node);
      const lp = lpDeleteRange(m, _g(m, node, N_DATA), offset, del);
      _s(m, node, N_DATA, lp);
      _updateSz(m, node);
      _s(m, node, N_COUNT, nc - del);
      _addCount(m, ql, -del);
      if (nc - del === 0) _delNode(m, ql, node);
      else _recompressOnly(m, node);
    }
    extent -= del;
    node = next;
    offset = 0;
  }
  return true;
}

// ---- Bulk construction (RDB loading) ----

/** Append a ready listpack (ownership passes to the quicklist) as a new tail node. */
export function qlAppendListpack(m: Heap, ql: number, lp: number): void {
  const n = _createNode(m);
  _s(m, n, N_DATA, lp);
  _s(m, n, N_COUNT, lpLength(m, lp));
  _s(m, n, N_SZ, lpBytes(m, lp));
  _insertNode(m, ql, _g(m, ql, Q_TAIL), n, true);
  _addCount(m, ql, _g(m, n, N_COUNT));
}

/** Append a plain node holding the allocation `data` of `sz` bytes (ownership passes). */
export function qlAppendPlainNode(m: Heap, ql: number, data: number, sz: number): void {
  const n = _createNode(m);
  _s(m, n, N_DATA, data);
  _s(m, n, N_COUNT, 1);
  _s(m, n, N_SZ, sz);
  _s(m, n, N_FLAGS, NF_PLAIN);
  _insertNode(m, ql, _g(m, ql, Q_TAIL), n, true);
  _addCount(m, ql, 1);
}

// ---- Node access (RDB saving, DEBUG) ----

export function qlHeadNode(m: Heap, ql: number): number {
  return _g(m, ql, Q_HEAD);
}

export function qlTailNode(m: Heap, ql: number): number {
  return _g(m, ql, Q_TAIL);
}

export function qlNodeNext(m: Heap, n: number): number {
  return _g(m, n, N_NEXT);
}

export function qlNodePrev(m: Heap, n: number): number {
  return _g(m, n, N_PREV);
}

export function qlNodeIsPlain(m: Heap, n: number): boolean {
  return _isPlain(m, n);
}

export function qlNodeIsCompressed(m: Heap, n: number): boolean {
  return (_g(m, n, N_FLAGS) & NF_LZF) !== 0;
}

/** Elements in the node. */
export function qlNodeElements(m: Heap, n: number): number {
  return _g(m, n, N_COUNT);
}

/** The node's uncompressed size: listpack bytes, or the plain element's length. */
export function qlNodeSize(m: Heap, n: number): number {
  return _g(m, n, N_SZ);
}

/** The node's data handle: a listpack, a plain element, or (compressed) LZF bytes. */
export function qlNodeData(m: Heap, n: number): number {
  return _g(m, n, N_DATA);
}

/** Bytes of the node's data as stored: the LZF length when compressed, else the size. */
export function qlNodeDataLength(m: Heap, n: number): number {
  return (_g(m, n, N_FLAGS) & NF_LZF) ? _g(m, n, N_LZF) : _g(m, n, N_SZ);
}

// ---- Statistics and memory ----

export interface QuicklistStats {
  /** ql_nodes */
  nodes: number;
  /** ql_avg_node: elements per node */
  avgNode: number;
  /** ql_listpack_max: the fill setting */
  listpackMax: number;
  /** ql_compressed: 1 when a compress depth is set */
  compressed: number;
  /** ql_uncompressed_size: sum of node sizes */
  uncompressedSize: number;
}

/** The quicklist figures DEBUG OBJECT prints. */
export function qlStats(m: Heap, ql: number): QuicklistStats {
  const nodes = _g(m, ql, Q_LEN);
  let size = 0;
  for (let n = _g(m, ql, Q_HEAD); n !== 0; n = _g(m, n, N_NEXT)) size += _g(m, n, N_SZ);
  return {
    nodes,
    avgNode: _count(m, ql) / nodes,
    listpackMax: _fill(m, ql),
    compressed: _g(m, ql, Q_COMPRESS) !== 0 ? 1 : 0,
    uncompressedSize: size,
  };
}

/**
 * Bytes used (allocator usable sizes): the header plus, per node, the node and its data. With
 * `samples` > 0 only the first `samples` nodes are measured and the average is scaled to all
 * nodes, as Redis's MEMORY USAGE does.
 */
export function qlMemoryUsage(m: Heap, ql: number, samples = 0): number {
  const len = _g(m, ql, Q_LEN);
  let total = 0;
  let seen = 0;
  for (let n = _g(m, ql, Q_HEAD); n !== 0; n = _g(m, n, N_NEXT)) {
    total += m.usableSize(n) + m.usableSize(_g(m, n, N_DATA));
    seen++;
    if (samples > 0 && seen >= samples) break;
  }
  const nodes = seen === 0 ? 0 : seen === len ? total : (total / seen) * len;
  return m.usableSize(ql) + nodes;
}

/** Allocations a full free would release, in Redis's terms (the node count). */
export function qlFreeEffort(m: Heap, ql: number): number {
  return _g(m, ql, Q_LEN);
}

/** Free the whole quicklist. */
export function qlFree(m: Heap, ql: number): void {
  let n = _g(m, ql, Q_HEAD);
  while (n !== 0) {
    const next = _g(m, n, N_NEXT);
    const data = _g(m, n, N_DATA);
    if (data !== 0) m.free(data);
    m.free(n);
    n = next;
  }
  m.free(ql);
}

/**
 * Free part of a detached quicklist (lazy free): at most about `budget` allocations from the
 * head. Returns true once everything, header included, is freed.
 */
export function qlFreeSome(m: Heap, ql: number, budget: number): boolean {
  let n = _g(m, ql, Q_HEAD);
  let len = _g(m, ql, Q_LEN);
  while (n !== 0 && budget > 0) {
    const next = _g(m, n, N_NEXT);
    _addCount(m, ql, -_g(m, n, N_COUNT));
    const data = _g(m, n, N_DATA);
    if (data !== 0) m.free(data);
    m.free(n);
    budget -= 2;
    len--;
    n = next;
  }
  if (n !== 0) {
    _s(m, n, N_PREV, 0);
    _s(m, ql, Q_HEAD, n);
    _s(m, ql, Q_LEN, len);
    return false;
  }
  m.free(ql);
  return true;
}

/** A deep copy (COPY), compressed nodes copied as they are. */
export function qlDup(m: Heap, ql: number): number {
  const copy = qlCreate(m, _fill(m, ql), _g(m, ql, Q_COMPRESS));
  for (let cur = _g(m, ql, Q_HEAD); cur !== 0; cur = _g(m, cur, N_NEXT)) {
    const n = _createNode(m);
    const f = _g(m, cur, N_FLAGS);
    const src = _g(m, cur, N_DATA);
    const bytes = (f & NF_LZF) ? _g(m, cur, N_LZF) : _g(m, cur, N_SZ);
    const data = m.alloc(bytes);
    m.copy(data, 0, src, 0, bytes);
    _s(m, n, N_DATA, data);
    _s(m, n, N_SZ, _g(m, cur, N_SZ));
    _s(m, n, N_COUNT, _g(m, cur, N_COUNT));
    _s(m, n, N_LZF, _g(m, cur, N_LZF));
    _s(m, n, N_FLAGS, f & (NF_LZF | NF_PLAIN));
    _addCount(m, copy, _g(m, cur, N_COUNT));
    _insertNode(m, copy, _g(m, copy, Q_TAIL), n, true);
  }
  return copy;
}

/**
 * Active defrag: move the header, nodes and node data that the allocator suggests moving.
 * Returns the (possibly moved) header handle.
 */
export function qlDefrag(m: Heap, ql: number): number {
  if (m.defragHint(ql)) ql = m.move(ql);
  let prev = 0;
  let n = _g(m, ql, Q_HEAD);
  while (n !== 0) {
    if (m.defragHint(n)) {
      n = m.move(n);
      if (prev === 0) _s(m, ql, Q_HEAD, n);
      else _s(m, prev, N_NEXT, n);
      const next = _g(m, n, N_NEXT);
      if (next === 0) _s(m, ql, Q_TAIL, n);
      else _s(m, next, N_PREV, n);
    }
    const data = _g(m, n, N_DATA);
    if (data !== 0 && m.defragHint(data)) _s(m, n, N_DATA, m.move(data));
    prev = n;
    n = _g(m, n, N_NEXT);
  }
  return ql;
}

/** A human-readable dump of the node structure (DEBUG QUICKLIST). */
export function qlRepr(m: Heap, ql: number): string {
  const lines = [
    `{count : ${_count(m, ql)}}`,
    `{len : ${_g(m, ql, Q_LEN)}}`,
    `{fill : ${_fill(m, ql)}}`,
    `{compress : ${_g(m, ql, Q_COMPRESS)}}`,
    `{bookmark_count : 0}`,
  ];
  let i = 0;
  for (let n = _g(m, ql, Q_HEAD); n !== 0; n = _g(m, n, N_NEXT)) {
    const f = _g(m, n, N_FLAGS);
    lines.push(
      `{quicklist node(${i++})`,
      `{container : ${f & NF_PLAIN ? "PLAIN" : "PACKED"}, encoding: ${
        f & NF_LZF ? "LZF" : "RAW"
      }, size: ${_g(m, n, N_SZ)}, count: ${_g(m, n, N_COUNT)}, recompress: ${
        f & NF_RECOMPRESS ? 1 : 0
      }}`,
      "}",
    );
  }
  return lines.join("\n") + "\n";
}
