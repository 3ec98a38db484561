// Sorted-set "skiplist" encoding: Redis's skiplist (p = 1/4, at most 32 levels, per-level spans
// for O(log n) ranks, backward links, tail) combined with a dict from member to node, in arena
// memory. Each skiplist node IS its dict entry, so a member's bytes are stored once and ZSCORE
// is one dict lookup. Depends on memory/ and encoding/dict.ts; knows nothing of clients.
//
// Node (one allocation, dict entry layout, see dict.ts):
//   +0  u32 next        dict chain
//   +4  u32 backward    previous node, 0 for the first
//   +8  u32 klen        member length (no EXT flag: the member starts at +16)
//   +12 u32 height      number of levels of this node (1..32)
//   +16 member bytes, zero-padded to a multiple of 8
//   +S  f64 score       S = 16 + align8(klen)
//   +S+8 height x (u32 forward, u32 span)
// Header (the zset handle; a node-shaped allocation that never moves and is not in the dict):
//   +0 u32 dict handle  +4 u32 tail  +8 u32 0 (klen)  +12 u32 level (highest level in use)
//   +16 u32 length  +20 u32 spare  +24 32 x (u32 forward, u32 span)
// Order is (score, then member bytes as memcmp); -0 and 0 are equal scores, +-inf order at the
// ends. NaN scores are the caller's job to refuse. Ranks in this API are 0-based.
//
//   insert / delete / update score / rank / by rank / range bounds   O(log n)
//   find / score                                                    O(1) average (dict)
//   range deletes                                                   O(log n + removed)
//   next / prev / first / last                                      O(1)
// HOT PATH: insert, delete, pop, rank and lookups allocate no JS objects.

import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import {
  dictAdd,
  dictBuckets,
  dictClear,
  dictCreate,
  dictFind,
  dictReleaseSome,
  dictShrinkIfNeeded,
  dictSize,
  dictUnlinkFound,
  hashBytes,
} from "./dict.ts";

export const ZSKIPLIST_MAXLEVEL = 32; // levels per node at most
export const ZSKIPLIST_P = 0.25; // chance of one more level

// header words (u32 index from the header start)
const H_DICT = 0;
const H_TAIL = 1;
const H_LEVEL = 3;
const H_LENGTH = 4;
const H_LVL0 = 6; // header level array starts at +24
const HEADER_BYTES = 24 + 8 * ZSKIPLIST_MAXLEVEL;

// node words
const N_BACK = 1;
const N_KLEN = 2;
const N_HEIGHT = 3;
/** Byte offset of a node's member. */
export const ZSL_MEMBER_OFF = 16;

/** Members up to this length are copied byte by byte (no subarray view object). */
const COPY_LOOP_MAX = 64;

// ---- scratch state for one operation (no per-call allocation) ----
/** update[i]: handle of the last node before the position on level i. */
const _updH = new Uint32Array(ZSKIPLIST_MAXLEVEL);
/** u32 index (in its chunk) of update[i]'s level-0 word. */
const _updL = new Uint32Array(ZSKIPLIST_MAXLEVEL);
/** rank[i]: rank of update[i] (header = 0). */
const _rank = new Float64Array(ZSKIPLIST_MAXLEVEL);

// ---- level generator: seedable xorshift so tests can reproduce shapes ----
let _rs = ((Math.random() * 0xffffffff) >>> 0) || 0x9e3779b9;

/** Reseed the level generator (tests). */
export function zslSeed(seed: number): void {
  _rs = (seed >>> 0) || 0x9e3779b9;
}

function _next32(): number {
  let x = _rs;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  _rs = x >>> 0;
  return _rs;
}

/** 1 + number of successes at p = 1/4, capped at 32: two random bits per trial. */
function _randomLevel(): number {
  let lvl = 1;
  for (;;) {
    const r = _next32();
    if (r === 0) {
      lvl += 16;
      if (lvl >= ZSKIPLIST_MAXLEVEL) return ZSKIPLIST_MAXLEVEL;
      continue;
    }
    lvl += (31 - Math.clz32(r & -r)) >>> 1; // pairs of trailing zero bits
    return lvl < ZSKIPLIST_MAXLEVEL ? lvl : ZSKIPLIST_MAXLEVEL;
  }
}

// ---- node field access ----

/** u32 index (in the node's chunk) of the score's first word; b = node start as u32 index. */
function _scoreW(b: number, klen: number): number {
  return b + 4 + (((klen + 7) >>> 3) << 1);
}

/** u32 index (in the node's chunk) of level-0 forward of node/header x. */
function _lvl(m: Heap, x: number): number {
  const b = (x & OFF_MASK) << 1;
  return _scoreW(b, m.u32[x >>> OFF_BITS][b + N_KLEN]) + 2;
}

function _score(m: Heap, x: number): number {
  const ci = x >>> OFF_BITS;
  const b = (x & OFF_MASK) << 1;
  return m.f64[ci][_scoreW(b, m.u32[ci][b + N_KLEN]) >>> 1];
}

/** Node x sorts strictly before (s, kb[ko..ko+kl)). */
function _less(m: Heap, x: number, s: number, kb: Uint8Array, ko: number, kl: number): boolean {
  const ci = x >>> OFF_BITS;
  const b = (x & OFF_MASK) << 1;
  const xk = m.u32[ci][b + N_KLEN];
  const xs = m.f64[ci][_scoreW(b, xk) >>> 1];
  if (xs < s) return true;
  if (xs > s) return false;
  const u8 = m.u8[ci];
  const xo = (b << 2) + ZSL_MEMBER_OFF;
  const n = xk < kl ? xk : kl;
  for (let i = 0; i < n; i++) {
    const d = u8[xo + i] - kb[ko + i];
    if (d !== 0) return d < 0;
  }
  return xk < kl;
}

/** memcmp of node x's member against kb[ko..ko+kl): negative, 0 or positive. */
function _cmpMember(m: Heap, x: number, kb: Uint8Array, ko: number, kl: number): number {
  const ci = x >>> OFF_BITS;
  const b = (x & OFF_MASK) << 1;
  const xk = m.u32[ci][b + N_KLEN];
  const u8 = m.u8[ci];
  const xo = (b << 2) + ZSL_MEMBER_OFF;
  const n = xk < kl ? xk : kl;
  for (let i = 0; i < n; i++) {
    const d = u8[xo + i] - kb[ko + i];
    if (d !== 0) return d;
  }
  return xk - kl;
}

// ---- public node accessors ----

/** The chunk buffer a node lives in: its member is at zslNodeMemberOff(node). */
export function zslNodeBuf(m: Heap, node: number): Uint8Array {
  return m.u8[node >>> OFF_BITS];
}

/** Byte offset of the member inside m.u8[node >>> OFF_BITS]. */
export function zslNodeMemberOff(node: number): number {
  return ((node & OFF_MASK) << 3) + ZSL_MEMBER_OFF;
}

export function zslNodeMemberLen(m: Heap, node: number): number {
  return m.u32[node >>> OFF_BITS][((node & OFF_MASK) << 1) + N_KLEN];
}

/** A copy of the member bytes (allocates: tests and slow paths). */
export function zslNodeMember(m: Heap, node: number): Uint8Array {
  const o = zslNodeMemberOff(node);
  return m.u8[node >>> OFF_BITS].slice(o, o + zslNodeMemberLen(m, node));
}

export function zslNodeScore(m: Heap, node: number): number {
  return _score(m, node);
}

/** Next node in ascending order, or 0. */
export function zslNext(m: Heap, node: number): number {
  return m.u32[node >>> OFF_BITS][_lvl(m, node)];
}

/** Previous node, or 0. */
export function zslPrev(m: Heap, node: number): number {
  return m.u32[node >>> OFF_BITS][((node & OFF_MASK) << 1) + N_BACK];
}

// ---- header access ----

function _hw(m: Heap, zs: number, word: number): number {
  return m.u32[zs >>> OFF_BITS][((zs & OFF_MASK) << 1) + word];
}

/** A new empty sorted set (skiplist + dict). The handle never changes. */
export function zslCreate(m: Heap): number {
  const d = dictCreate(m);
  const zs = m.alloc(HEADER_BYTES);
  const u = m.u32[zs >>> OFF_BITS];
  const b = (zs & OFF_MASK) << 1;
  u.fill(0, b, b + (HEADER_BYTES >> 2));
  u[b + H_DICT] = d;
  u[b + H_LEVEL] = 1;
  return zs;
}

export function zslLength(m: Heap, zs: number): number {
  return _hw(m, zs, H_LENGTH);
}

/** The member -> node dict (ZSCAN walks it with dictScan; its entries are nodes). */
export function zslDict(m: Heap, zs: number): number {
  return _hw(m, zs, H_DICT);
}

/** Lowest node, or 0. */
export function zslFirst(m: Heap, zs: number): number {
  return _hw(m, zs, H_LVL0);
}

/** Highest node, or 0. */
export function zslLast(m: Heap, zs: number): number {
  return _hw(m, zs, H_TAIL);
}

// ---- internal skiplist surgery ----

/**
 * Fill update[]/rank[] for key (s, kb[ko..ko+kl)): on each level, the last node that sorts
 * before the key. Node `stop` (when not 0) is treated as not before the key, so seeking a
 * node's own key stops right in front of it.
 */
function _seek(
  m: Heap,
  zs: number,
  s: number,
  kb: Uint8Array,
  ko: number,
  kl: number,
  stop: number,
): void {
  // HOT PATH: _less and _lvl inlined, views cached
  const U32 = m.u32;
  const F64 = m.f64;
  let xu = U32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  const level = xu[xl - H_LVL0 + H_LEVEL];
  let x = zs;
  let r = 0;
  for (let i = level - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || f === stop) break;
      const fc = f >>> OFF_BITS;
      const fu = U32[fc];
      const fb = (f & OFF_MASK) << 1;
      const fk = fu[fb + N_KLEN];
      const fw = _scoreW(fb, fk);
      const fs = F64[fc][fw >>> 1];
      if (!(fs < s)) {
        if (fs > s) break;
        if (_memcmp(m.u8[fc], (fb << 2) + ZSL_MEMBER_OFF, fk, kb, ko, kl) >= 0) break;
      }
      r += xu[xl + 2 * i + 1];
      x = f;
      xu = fu;
      xl = fw + 2;
    }
    _updH[i] = x;
    _updL[i] = xl;
    _rank[i] = r;
  }
}

/** Fill update[]/rank[] for the end of the list, or for the position of `stop` when it is the tail. */
function _seekEnd(m: Heap, zs: number, stop: number): void {
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  const level = xu[xl - H_LVL0 + H_LEVEL];
  let x = zs;
  let r = 0;
  for (let i = level - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || f === stop) break;
      r += xu[xl + 2 * i + 1];
      x = f;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
    _updH[i] = x;
    _updL[i] = xl;
    _rank[i] = r;
  }
}

/** Seek the position of node x (update[] ends right before it). */
function _seekNode(m: Heap, zs: number, x: number): void {
  if (x === _hw(m, zs, H_TAIL)) {
    _seekEnd(m, zs, x);
    return;
  }
  const ci = x >>> OFF_BITS;
  const b = (x & OFF_MASK) << 1;
  const kl = m.u32[ci][b + N_KLEN];
  _seek(m, zs, m.f64[ci][_scoreW(b, kl) >>> 1], m.u8[ci], (b << 2) + ZSL_MEMBER_OFF, kl, x);
}

/** Link node n (level-0 word nl, height h) at the position update[]/rank[] describe. */
function _link(m: Heap, zs: number, n: number, nl: number, h: number): void {
  const hu = m.u32[zs >>> OFF_BITS];
  const hb = (zs & OFF_MASK) << 1;
  let level = hu[hb + H_LEVEL];
  if (h > level) {
    const len = hu[hb + H_LENGTH];
    for (let i = level; i < h; i++) {
      _rank[i] = 0;
      _updH[i] = zs;
      _updL[i] = hb + H_LVL0;
      hu[hb + H_LVL0 + 2 * i + 1] = len;
    }
    hu[hb + H_LEVEL] = h;
    level = h;
  }
  const nu = m.u32[n >>> OFF_BITS];
  const r0 = _rank[0];
  for (let i = 0; i < h; i++) {
    const uu = m.u32[_updH[i] >>> OFF_BITS];
    const ul = _updL[i] + 2 * i;
    const d = r0 - _rank[i];
    nu[nl + 2 * i] = uu[ul];
    uu[ul] = n;
    nu[nl + 2 * i + 1] = uu[ul + 1] - d;
    uu[ul + 1] = d + 1;
  }
  for (let i = h; i < level; i++) {
    m.u32[_updH[i] >>> OFF_BITS][_updL[i] + 2 * i + 1]++;
  }
  const back = _updH[0] === zs ? 0 : _updH[0];
  nu[((n & OFF_MASK) << 1) + N_BACK] = back;
  const f0 = nu[nl];
  if (f0 !== 0) m.u32[f0 >>> OFF_BITS][((f0 & OFF_MASK) << 1) + N_BACK] = n;
  else hu[hb + H_TAIL] = n;
  hu[hb + H_LENGTH]++;
}

/** Unlink node x from the skiplist (update[] from _seekNode); the dict is not touched. */
function _unlink(m: Heap, zs: number, x: number): void {
  const hu = m.u32[zs >>> OFF_BITS];
  const hb = (zs & OFF_MASK) << 1;
  let level = hu[hb + H_LEVEL];
  const xu = m.u32[x >>> OFF_BITS];
  const xl = _lvl(m, x);
  for (let i = 0; i < level; i++) {
    const uu = m.u32[_updH[i] >>> OFF_BITS];
    const ul = _updL[i] + 2 * i;
    if (uu[ul] === x) {
      uu[ul + 1] = uu[ul + 1] + xu[xl + 2 * i + 1] - 1;
      uu[ul] = xu[xl + 2 * i];
    } else {
      uu[ul + 1]--;
    }
  }
  const f0 = xu[xl];
  const back = xu[((x & OFF_MASK) << 1) + N_BACK];
  if (f0 !== 0) m.u32[f0 >>> OFF_BITS][((f0 & OFF_MASK) << 1) + N_BACK] = back;
  else hu[hb + H_TAIL] = back;
  while (level > 1 && hu[hb + H_LVL0 + 2 * (level - 1)] === 0) level--;
  hu[hb + H_LEVEL] = level;
  hu[hb + H_LENGTH]--;
}

/** Remove node x from the dict (it must be there). */
function _dictRemove(m: Heap, d: number, x: number): void {
  const ci = x >>> OFF_BITS;
  const kb = m.u8[ci];
  const ko = ((x & OFF_MASK) << 3) + ZSL_MEMBER_OFF;
  const kl = m.u32[ci][((x & OFF_MASK) << 1) + N_KLEN];
  const e = dictFind(m, d, kb, ko, kl, hashBytes(kb, ko, kl));
  if (e !== x) throw new Error(`Sorted set dict lost node ${x}`);
  dictUnlinkFound(m, d, e);
}

/** Allocate a node for (member, score) with a random height; returns its handle. */
function _newNode(m: Heap, buf: Uint8Array, off: number, len: number, score: number): number {
  const h = _randomLevel();
  const pad = ((len + 7) >>> 3) << 3;
  const n = m.alloc(ZSL_MEMBER_OFF + pad + 8 + 8 * h);
  const ci = n >>> OFF_BITS;
  const nu = m.u32[ci];
  const nb = (n & OFF_MASK) << 1;
  nu[nb] = 0;
  nu[nb + N_BACK] = 0;
  nu[nb + N_KLEN] = len;
  nu[nb + N_HEIGHT] = h;
  const u8 = m.u8[ci];
  const mo = (nb << 2) + ZSL_MEMBER_OFF;
  if (len <= COPY_LOOP_MAX) {
    for (let i = 0; i < len; i++) u8[mo + i] = buf[off + i];
  } else if (buf === u8) {
    u8.copyWithin(mo, off, off + len);
  } else {
    u8.set(buf.subarray(off, off + len), mo);
  }
  for (let i = len; i < pad; i++) u8[mo + i] = 0;
  m.f64[ci][_scoreW(nb, len) >>> 1] = score;
  return n;
}

// ---- Sorted set API ----

/**
 * Insert a member that is not present (the caller checked with zslFind). `hash` is
 * hashBytes(member) when the caller already computed it. Returns the new node.
 */
export function zslInsert(
  m: Heap,
  zs: number,
  buf: Uint8Array,
  off: number,
  len: number,
  score: number,
  hash: number = hashBytes(buf, off, len),
): number {
  const n = _newNode(m, buf, off, len, score);
  _seek(m, zs, score, buf, off, len, 0);
  const nb = (n & OFF_MASK) << 1;
  _link(m, zs, n, _scoreW(nb, len) + 2, m.u32[n >>> OFF_BITS][nb + N_HEIGHT]);
  dictAdd(m, _hw(m, zs, H_DICT), n, hash);
  return n;
}

/**
 * Append a member that sorts after every element (bulk builds from sorted input: conversion
 * from listpack, dup). Cheaper than zslInsert: no comparisons. Returns the new node.
 */
export function zslAppend(
  m: Heap,
  zs: number,
  buf: Uint8Array,
  off: number,
  len: number,
  score: number,
  hash: number = hashBytes(buf, off, len),
): number {
  const n = _newNode(m, buf, off, len, score);
  _seekEnd(m, zs, 0);
  const nb = (n & OFF_MASK) << 1;
  _link(m, zs, n, _scoreW(nb, len) + 2, m.u32[n >>> OFF_BITS][nb + N_HEIGHT]);
  dictAdd(m, _hw(m, zs, H_DICT), n, hash);
  return n;
}

/** The node of a member, or 0. */
export function zslFind(
  m: Heap,
  zs: number,
  buf: Uint8Array,
  off: number,
  len: number,
  hash: number = hashBytes(buf, off, len),
): number {
  return dictFind(m, _hw(m, zs, H_DICT), buf, off, len, hash);
}

/** A member's score, or NaN when it is absent (stored scores are never NaN). */
export function zslGetScore(
  m: Heap,
  zs: number,
  buf: Uint8Array,
  off: number,
  len: number,
): number {
  const n = dictFind(m, _hw(m, zs, H_DICT), buf, off, len, hashBytes(buf, off, len));
  return n === 0 ? NaN : _score(m, n);
}

/** Delete a member; false when it was absent. Shrinks the dict when it gets sparse. */
export function zslDelete(
  m: Heap,
  zs: number,
  buf: Uint8Array,
  off: number,
  len: number,
  hash: number = hashBytes(buf, off, len),
): boolean {
  const d = _hw(m, zs, H_DICT);
  const x = dictFind(m, d, buf, off, len, hash);
  if (x === 0) return false;
  dictUnlinkFound(m, d, x);
  _seekNode(m, zs, x);
  _unlink(m, zs, x);
  m.free(x);
  dictShrinkIfNeeded(m, d);
  return true;
}

/**
 * Delete a node known to be in the set (ZPOPMIN/ZPOPMAX: first or last node are the cheap
 * cases). The node's memory is freed: copy its member out first.
 */
export function zslDeleteNode(m: Heap, zs: number, node: number): void {
  const d = _hw(m, zs, H_DICT);
  _dictRemove(m, d, node);
  _seekNode(m, zs, node);
  _unlink(m, zs, node);
  m.free(node);
  dictShrinkIfNeeded(m, d);
}

/**
 * Change a node's score (ZINCRBY, ZADD on an existing member). The score is rewritten in place
 * when the node keeps its position (strictly between its neighbours' scores), otherwise the node
 * is unlinked and relinked; either way the node handle and its dict entry stay the same.
 */
export function zslUpdateScore(m: Heap, zs: number, node: number, score: number): void {
  const ci = node >>> OFF_BITS;
  const nu = m.u32[ci];
  const nb = (node & OFF_MASK) << 1;
  const kl = nu[nb + N_KLEN];
  const sw = _scoreW(nb, kl);
  const back = nu[nb + N_BACK];
  const f0 = nu[sw + 2];
  if ((back === 0 || _score(m, back) < score) && (f0 === 0 || _score(m, f0) > score)) {
    m.f64[ci][sw >>> 1] = score;
    return;
  }
  _seekNode(m, zs, node);
  _unlink(m, zs, node);
  m.f64[ci][sw >>> 1] = score;
  const kb = m.u8[ci];
  _seek(m, zs, score, kb, (nb << 2) + ZSL_MEMBER_OFF, kl, 0);
  _link(m, zs, node, sw + 2, nu[nb + N_HEIGHT]);
}

/** 0-based rank of a node in ascending order (reverse: descending). */
export function zslRank(m: Heap, zs: number, node: number, reverse = false): number {
  const ci = node >>> OFF_BITS;
  const nb = (node & OFF_MASK) << 1;
  const kl = m.u32[ci][nb + N_KLEN];
  const s = m.f64[ci][_scoreW(nb, kl) >>> 1];
  const kb = m.u8[ci];
  const ko = (nb << 2) + ZSL_MEMBER_OFF;
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  const len = xu[xl - H_LVL0 + H_LENGTH];
  let r = 0;
  const U32 = m.u32;
  const F64 = m.f64;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0) break;
      if (f === node) {
        r += xu[xl + 2 * i + 1];
        return reverse ? len - r : r - 1;
      }
      const fc = f >>> OFF_BITS;
      const fu = U32[fc];
      const fb = (f & OFF_MASK) << 1;
      const fk = fu[fb + N_KLEN];
      const fw = _scoreW(fb, fk);
      const fs = F64[fc][fw >>> 1];
      if (!(fs < s)) {
        if (fs > s) break;
        if (_memcmp(m.u8[fc], (fb << 2) + ZSL_MEMBER_OFF, fk, kb, ko, kl) >= 0) break;
      }
      r += xu[xl + 2 * i + 1];
      xu = fu;
      xl = fw + 2;
    }
  }
  throw new Error(`Node ${node} is not in sorted set ${zs}`);
}

/** 0-based rank of a member (reverse: descending), or -1 when absent. */
export function zslRankOf(
  m: Heap,
  zs: number,
  buf: Uint8Array,
  off: number,
  len: number,
  reverse = false,
): number {
  const n = dictFind(m, _hw(m, zs, H_DICT), buf, off, len, hashBytes(buf, off, len));
  return n === 0 ? -1 : zslRank(m, zs, n, reverse);
}

/** The node at 0-based ascending rank r, or 0 when r is out of range. */
export function zslByRank(m: Heap, zs: number, r: number): number {
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  if (r < 0 || r >= xu[xl - H_LVL0 + H_LENGTH]) return 0;
  const want = r + 1;
  let x = zs;
  let t = 0;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || t + xu[xl + 2 * i + 1] > want) break;
      t += xu[xl + 2 * i + 1];
      x = f;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
    if (t === want) return x;
  }
  return 0;
}

/** A uniformly random node (ZRANDMEMBER), or 0 when empty. */
export function zslRandom(m: Heap, zs: number): number {
  const len = _hw(m, zs, H_LENGTH);
  return len === 0 ? 0 : zslByRank(m, zs, Math.floor(Math.random() * len));
}

// ---- score ranges (zrangespec) ----

/** A score interval: min/max with exclusive flags ("(1.5" is exclusive). Reuse one per caller. */
export interface ZRangeSpec {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

export function zslNewRangeSpec(): ZRangeSpec {
  return { min: 0, max: 0, minex: false, maxex: false };
}

export function zslValueGteMin(v: number, spec: ZRangeSpec): boolean {
  return spec.minex ? v > spec.min : v >= spec.min;
}

export function zslValueLteMax(v: number, spec: ZRangeSpec): boolean {
  return spec.maxex ? v < spec.max : v <= spec.max;
}

/** True when no score can be in the interval (min > max, or min == max with an open end). */
export function zslRangeIsEmpty(spec: ZRangeSpec): boolean {
  return spec.min > spec.max || (spec.min === spec.max && (spec.minex || spec.maxex));
}

function _isInRange(m: Heap, zs: number, spec: ZRangeSpec): boolean {
  if (zslRangeIsEmpty(spec)) return false;
  const tail = _hw(m, zs, H_TAIL);
  if (tail === 0 || !zslValueGteMin(_score(m, tail), spec)) return false;
  return zslValueLteMax(_score(m, _hw(m, zs, H_LVL0)), spec);
}

/** First (lowest) node with a score in the interval, or 0. */
export function zslFirstInRange(m: Heap, zs: number, spec: ZRangeSpec): number {
  if (!_isInRange(m, zs, spec)) return 0;
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || zslValueGteMin(_score(m, f), spec)) break;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
  }
  const x = xu[xl];
  return x !== 0 && zslValueLteMax(_score(m, x), spec) ? x : 0;
}

/** Last (highest) node with a score in the interval, or 0. */
export function zslLastInRange(m: Heap, zs: number, spec: ZRangeSpec): number {
  if (!_isInRange(m, zs, spec)) return 0;
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  let x = zs;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || !zslValueLteMax(_score(m, f), spec)) break;
      x = f;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
  }
  return x !== zs && zslValueGteMin(_score(m, x), spec) ? x : 0;
}

// ---- lex ranges (zlexrangespec) ----

export const ZLEX_INCL = 0; // "[member"
export const ZLEX_EXCL = 1; // "(member"
export const ZLEX_MIN = 2; // "-": below every member
export const ZLEX_MAX = 3; // "+": above every member

/**
 * A lex interval. Bounds point into the caller's bytes (argv), which must stay valid while the
 * spec is used: nothing is copied. Reuse one per caller.
 */
export interface ZLexRangeSpec {
  minKind: number;
  minBuf: Uint8Array;
  minOff: number;
  minLen: number;
  maxKind: number;
  maxBuf: Uint8Array;
  maxOff: number;
  maxLen: number;
}

const EMPTY = new Uint8Array(0);

export function zslNewLexRangeSpec(): ZLexRangeSpec {
  return {
    minKind: ZLEX_MIN,
    minBuf: EMPTY,
    minOff: 0,
    minLen: 0,
    maxKind: ZLEX_MAX,
    maxBuf: EMPTY,
    maxOff: 0,
    maxLen: 0,
  };
}

/**
 * Parse one bound of ZRANGEBYLEX & co. into spec.min* (isMax false) or spec.max*: "(x" open,
 * "[x" closed, "-" and "+" alone are the infinities. False on anything else (the caller replies
 * "min or max not valid string range item").
 */
export function zslParseLexItem(
  spec: ZLexRangeSpec,
  isMax: boolean,
  buf: Uint8Array,
  off: number,
  len: number,
): boolean {
  if (len === 0) return false;
  const c = buf[off];
  let kind: number;
  if (c === 0x2b /* + */ || c === 0x2d /* - */) {
    if (len !== 1) return false;
    kind = c === 0x2b ? ZLEX_MAX : ZLEX_MIN;
  } else if (c === 0x28 /* ( */) kind = ZLEX_EXCL;
  else if (c === 0x5b /* [ */) kind = ZLEX_INCL;
  else return false;
  if (isMax) {
    spec.maxKind = kind;
    spec.maxBuf = buf;
    spec.maxOff = off + 1;
    spec.maxLen = len - 1;
  } else {
    spec.minKind = kind;
    spec.minBuf = buf;
    spec.minOff = off + 1;
    spec.minLen = len - 1;
  }
  return true;
}

function _memcmp(
  a: Uint8Array,
  ao: number,
  al: number,
  b: Uint8Array,
  bo: number,
  bl: number,
): number {
  const n = al < bl ? al : bl;
  for (let i = 0; i < n; i++) {
    const d = a[ao + i] - b[bo + i];
    if (d !== 0) return d;
  }
  return al - bl;
}

/** Value bytes >= the spec's min bound (> when exclusive). */
export function zslLexValueGteMin(
  buf: Uint8Array,
  off: number,
  len: number,
  spec: ZLexRangeSpec,
): boolean {
  const k = spec.minKind;
  if (k === ZLEX_MIN) return true;
  if (k === ZLEX_MAX) return false;
  const c = _memcmp(buf, off, len, spec.minBuf, spec.minOff, spec.minLen);
  return k === ZLEX_EXCL ? c > 0 : c >= 0;
}

/** Value bytes <= the spec's max bound (< when exclusive). */
export function zslLexValueLteMax(
  buf: Uint8Array,
  off: number,
  len: number,
  spec: ZLexRangeSpec,
): boolean {
  const k = spec.maxKind;
  if (k === ZLEX_MAX) return true;
  if (k === ZLEX_MIN) return false;
  const c = _memcmp(buf, off, len, spec.maxBuf, spec.maxOff, spec.maxLen);
  return k === ZLEX_EXCL ? c < 0 : c <= 0;
}

/** True when no member can be in the interval (min above max, or equal with an open end). */
export function zslLexRangeIsEmpty(spec: ZLexRangeSpec): boolean {
  const a = spec.minKind;
  const b = spec.maxKind;
  let c: number;
  if ((a === ZLEX_MIN && b === ZLEX_MIN) || (a === ZLEX_MAX && b === ZLEX_MAX)) c = 0;
  else if (a === ZLEX_MIN || b === ZLEX_MAX) c = -1;
  else if (a === ZLEX_MAX || b === ZLEX_MIN) c = 1;
  else c = _memcmp(spec.minBuf, spec.minOff, spec.minLen, spec.maxBuf, spec.maxOff, spec.maxLen);
  return c > 0 || (c === 0 && (a !== ZLEX_INCL || b !== ZLEX_INCL));
}

function _nodeGteMin(m: Heap, x: number, spec: ZLexRangeSpec): boolean {
  const k = spec.minKind;
  if (k === ZLEX_MIN) return true;
  if (k === ZLEX_MAX) return false;
  const c = _cmpMember(m, x, spec.minBuf, spec.minOff, spec.minLen);
  return k === ZLEX_EXCL ? c > 0 : c >= 0;
}

function _nodeLteMax(m: Heap, x: number, spec: ZLexRangeSpec): boolean {
  const k = spec.maxKind;
  if (k === ZLEX_MAX) return true;
  if (k === ZLEX_MIN) return false;
  const c = _cmpMember(m, x, spec.maxBuf, spec.maxOff, spec.maxLen);
  return k === ZLEX_EXCL ? c < 0 : c <= 0;
}

function _isInLexRange(m: Heap, zs: number, spec: ZLexRangeSpec): boolean {
  if (zslLexRangeIsEmpty(spec)) return false;
  const tail = _hw(m, zs, H_TAIL);
  if (tail === 0 || !_nodeGteMin(m, tail, spec)) return false;
  return _nodeLteMax(m, _hw(m, zs, H_LVL0), spec);
}

/**
 * First node in the lex interval, or 0. Like Redis, this assumes every score is equal; with
 * mixed scores it returns what Redis's walk returns.
 */
export function zslFirstInLexRange(m: Heap, zs: number, spec: ZLexRangeSpec): number {
  if (!_isInLexRange(m, zs, spec)) return 0;
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || _nodeGteMin(m, f, spec)) break;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
  }
  const x = xu[xl];
  return x !== 0 && _nodeLteMax(m, x, spec) ? x : 0;
}

/** Last node in the lex interval, or 0 (same assumption as zslFirstInLexRange). */
export function zslLastInLexRange(m: Heap, zs: number, spec: ZLexRangeSpec): number {
  if (!_isInLexRange(m, zs, spec)) return 0;
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  let x = zs;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || !_nodeLteMax(m, f, spec)) break;
      x = f;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
  }
  return x !== zs && _nodeGteMin(m, x, spec) ? x : 0;
}

// ---- range deletion ----

/** Unlink, un-dict and free `count` nodes from x onwards; update[] must be set for x. */
function _deleteRun(m: Heap, zs: number, x: number, count: number): number {
  const d = _hw(m, zs, H_DICT);
  let removed = 0;
  while (x !== 0 && removed < count) {
    const next = m.u32[x >>> OFF_BITS][_lvl(m, x)];
    _unlink(m, zs, x);
    _dictRemove(m, d, x);
    m.free(x);
    removed++;
    x = next;
  }
  dictShrinkIfNeeded(m, d);
  return removed;
}

/** Fill update[] for the first node with score >= min (> when exclusive); returns that node. */
function _seekScoreMin(m: Heap, zs: number, spec: ZRangeSpec): number {
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  let x = zs;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || zslValueGteMin(_score(m, f), spec)) break;
      x = f;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
    _updH[i] = x;
    _updL[i] = xl;
  }
  return xu[xl];
}

/** Delete every node with a score in the interval; returns how many. */
export function zslDeleteRangeByScore(m: Heap, zs: number, spec: ZRangeSpec): number {
  let x = _seekScoreMin(m, zs, spec);
  // count the run first, so the deletion loop needs no score reads after unlinking
  let n = 0;
  while (x !== 0 && zslValueLteMax(_score(m, x), spec)) {
    n++;
    x = m.u32[x >>> OFF_BITS][_lvl(m, x)];
  }
  if (n === 0) return 0;
  return _deleteRun(m, zs, _updFirst(m), n);
}

/** The node after update[0] (the first one to delete). */
function _updFirst(m: Heap): number {
  return m.u32[_updH[0] >>> OFF_BITS][_updL[0]];
}

/** Delete every node in the lex interval; returns how many. */
export function zslDeleteRangeByLex(m: Heap, zs: number, spec: ZLexRangeSpec): number {
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  let x = zs;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || _nodeGteMin(m, f, spec)) break;
      x = f;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
    _updH[i] = x;
    _updL[i] = xl;
  }
  let y = xu[xl];
  let n = 0;
  while (y !== 0 && _nodeLteMax(m, y, spec)) {
    n++;
    y = m.u32[y >>> OFF_BITS][_lvl(m, y)];
  }
  if (n === 0) return 0;
  return _deleteRun(m, zs, _updFirst(m), n);
}

/** Delete nodes with 0-based ranks start..end inclusive (clamped to the set); returns how many. */
export function zslDeleteRangeByRank(m: Heap, zs: number, start: number, end: number): number {
  const len = _hw(m, zs, H_LENGTH);
  if (start < 0) start = 0;
  if (end >= len) end = len - 1;
  if (start > end) return 0;
  // 1-based: stop on each level before rank start+1
  const first = start + 1;
  let xu = m.u32[zs >>> OFF_BITS];
  let xl = ((zs & OFF_MASK) << 1) + H_LVL0;
  let x = zs;
  let t = 0;
  for (let i = xu[xl - H_LVL0 + H_LEVEL] - 1; i >= 0; i--) {
    for (;;) {
      const f = xu[xl + 2 * i];
      if (f === 0 || t + xu[xl + 2 * i + 1] >= first) break;
      t += xu[xl + 2 * i + 1];
      x = f;
      xu = m.u32[f >>> OFF_BITS];
      xl = _lvl(m, f);
    }
    _updH[i] = x;
    _updL[i] = xl;
  }
  return _deleteRun(m, zs, xu[xl], end - start + 1);
}

// ---- whole-structure operations ----

let _freeHeap: Heap | null = null;
function _freeEntry(e: number): void {
  _freeHeap!.free(e);
}

/** Free the whole sorted set (nodes, dict, header). */
export function zslFree(m: Heap, zs: number): void {
  const d = _hw(m, zs, H_DICT);
  _freeHeap = m;
  dictClear(m, d, _freeEntry);
  _freeHeap = null;
  m.free(d);
  m.free(zs);
}

/**
 * Lazy free in steps: free at most about `budget` nodes from the front, return true when the
 * whole structure is gone. The set must no longer be reachable (only freeSome touches it).
 */
export function zslFreeSome(m: Heap, zs: number, budget: number): boolean {
  const hu = m.u32[zs >>> OFF_BITS];
  const hb = (zs & OFF_MASK) << 1;
  if (budget < 1) budget = 1;
  if (hu[hb + H_LENGTH] <= budget) {
    zslFree(m, zs);
    return true;
  }
  const d = hu[hb + H_DICT];
  let x = hu[hb + H_LVL0];
  let k = 0;
  for (; k < budget && x !== 0; k++) {
    const next = m.u32[x >>> OFF_BITS][_lvl(m, x)];
    _dictRemove(m, d, x);
    m.free(x);
    x = next;
  }
  // only level 0 and the length stay meaningful from here on
  hu[hb + H_LVL0] = x;
  hu[hb + H_LENGTH] -= k;
  if (x !== 0) return false;
  _freeHeap = m;
  dictReleaseSome(m, d, 1, _freeEntry);
  _freeHeap = null;
  m.free(zs);
  return true;
}

/** Allocations a full free releases (lazyfree threshold). */
export function zslFreeEffort(m: Heap, zs: number): number {
  return _hw(m, zs, H_LENGTH);
}

/** Deep copy (COPY, ZRANGESTORE of a whole set, ...). */
export function zslDup(m: Heap, zs: number): number {
  const nz = zslCreate(m);
  for (let x = _hw(m, zs, H_LVL0); x !== 0; x = m.u32[x >>> OFF_BITS][_lvl(m, x)]) {
    const ci = x >>> OFF_BITS;
    const b = (x & OFF_MASK) << 1;
    const kl = m.u32[ci][b + N_KLEN];
    zslAppend(m, nz, m.u8[ci], (b << 2) + ZSL_MEMBER_OFF, kl, m.f64[ci][_scoreW(b, kl) >>> 1]);
  }
  return nz;
}

/**
 * Bytes used (MEMORY USAGE): header, dict header and buckets, and the nodes; with samples > 0
 * only the first `samples` nodes are measured and the average is scaled to the length, as
 * Redis's objectComputeSize does.
 */
export function zslMemUsage(m: Heap, zs: number, samples = 0): number {
  const d = _hw(m, zs, H_DICT);
  let size = m.usableSize(zs) + m.usableSize(d) + dictBuckets(m, d) * 4;
  const len = _hw(m, zs, H_LENGTH);
  let sum = 0;
  let k = 0;
  for (let x = _hw(m, zs, H_LVL0); x !== 0 && (samples <= 0 || k < samples); k++) {
    sum += m.usableSize(x);
    x = m.u32[x >>> OFF_BITS][_lvl(m, x)];
  }
  if (k > 0) size += k === len ? sum : (sum / k) * len;
  return size;
}

/**
 * Check every invariant (order, spans, backward links, tail, level, length, dict contents).
 * Returns null when sound, else a description. O(n * level): tests and DEBUG only.
 */
export function zslValidate(m: Heap, zs: number): string | null {
  const hu = m.u32[zs >>> OFF_BITS];
  const hb = (zs & OFF_MASK) << 1;
  const level = hu[hb + H_LEVEL];
  const len = hu[hb + H_LENGTH];
  const d = hu[hb + H_DICT];
  if (level < 1 || level > ZSKIPLIST_MAXLEVEL) return `bad level ${level}`;
  if (dictSize(m, d) !== len) return `dict has ${dictSize(m, d)} entries, length is ${len}`;
  // level 0: order, backward links, tail, dict membership, ranks of every node
  let prev = 0;
  let n = 0;
  let maxH = 0;
  for (let x = hu[hb + H_LVL0]; x !== 0; x = m.u32[x >>> OFF_BITS][_lvl(m, x)]) {
    n++;
    if (n > len) return "level 0 is longer than the length";
    const ci = x >>> OFF_BITS;
    const b = (x & OFF_MASK) << 1;
    const h = m.u32[ci][b + N_HEIGHT];
    if (h < 1 || h > ZSKIPLIST_MAXLEVEL) return `node ${x} has height ${h}`;
    if (h > maxH) maxH = h;
    if (m.u32[ci][b + N_BACK] !== prev) return `node ${n} has a wrong backward link`;
    const kl = m.u32[ci][b + N_KLEN];
    const ko = (b << 2) + ZSL_MEMBER_OFF;
    if (prev !== 0 && !_less(m, prev, _score(m, x), m.u8[ci], ko, kl)) {
      return `node ${n} is not above its predecessor`;
    }
    if (dictFind(m, d, m.u8[ci], ko, kl, hashBytes(m.u8[ci], ko, kl)) !== x) {
      return `node ${n} is not the dict's entry for its member`;
    }
    prev = x;
  }
  if (n !== len) return `level 0 has ${n} nodes, length is ${len}`;
  if (hu[hb + H_TAIL] !== prev) return "tail is not the last node";
  if (len > 0 && maxH !== level) return `level is ${level}, tallest node is ${maxH}`;
  if (len === 0 && level !== 1) return `empty set has level ${level}`;
  // every level: forward links skip exactly `span` level-0 steps
  for (let i = 0; i < level; i++) {
    let x = zs;
    let r = 0;
    for (;;) {
      const xl = x === zs ? hb + H_LVL0 : _lvl(m, x);
      const xu = m.u32[x >>> OFF_BITS];
      const f = xu[xl + 2 * i];
      const span = xu[xl + 2 * i + 1];
      if (f === 0) {
        if (r + span !== len) {
          return `level ${i}: last span ${span} at rank ${r} does not reach length ${len}`;
        }
        break;
      }
      if (i >= m.u32[f >>> OFF_BITS][((f & OFF_MASK) << 1) + N_HEIGHT]) {
        return `level ${i} links a node of height below it`;
      }
      let y = x;
      for (let s = 0; s < span; s++) {
        y = y === zs ? hu[hb + H_LVL0] : m.u32[y >>> OFF_BITS][_lvl(m, y)];
        if (y === 0) return `level ${i}: span ${span} runs past the end`;
        if (s < span - 1 && m.u32[y >>> OFF_BITS][((y & OFF_MASK) << 1) + N_HEIGHT] > i) {
          return `level ${i} skips a node that has that level`;
        }
      }
      if (y !== f) return `level ${i}: span ${span} at rank ${r} does not lead to the forward node`;
      r += span;
      x = f;
    }
  }
  return null;
}
