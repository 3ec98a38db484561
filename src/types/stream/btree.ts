// An ordered map from 128-bit stream IDs to a few u32 words, as a B+tree in arena memory. The
// stream family uses it for the node index (ID of each listpack's master entry -> listpack
// handle), consumer group PELs (ID -> delivery time, delivery count, consumer) and consumer PELs
// (IDs only). A pure structure over memory/: no clients, no store.
//
// Descriptor (6 words): [0] root  [1] height (0 empty, 1 root is a leaf)  [2] key count
//                       [3] first leaf  [4] last leaf  [5] value words per key (vw)
// Node: 4 header words [count, capacity, prev leaf, next leaf], then `capacity` slots.
//   leaf slot:     key (msHi, msLo, seqHi, seqLo) + vw value words
//   internal slot: separator key + child handle; every key under child i is >= separator i,
//                  and below separator i+1. The separator of slot 0 is never read.
// Keys compare as unsigned big-endian 128-bit numbers. A lone root leaf starts small and doubles
// up to a full node, so tiny PELs stay small; every other node is NODE_BYTES. Appends at the
// right edge split off a new node holding just the new key, so append-only data packs full.
//
//   find / seek / insert / delete   O(log n)
//   next / prev (cursor)            O(1) amortised
//   free / dup                      O(n)

import type { Heap } from "../../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../../memory/arena.ts";

/** Bytes of a full node. */
const NODE_BYTES = 1024;
const HDR = 4;
const ROOT_LEAF_MIN_CAP = 4;
/** Slots of an internal node. */
const INNER_CAP = Math.floor((NODE_BYTES - HDR * 4) / 20);
const MAX_DEPTH = 48;

// descriptor words
const D_ROOT = 0;
const D_HEIGHT = 1;
const D_COUNT = 2;
const D_FIRST = 3;
const D_LAST = 4;
const D_VW = 5;

/** Leaf capacity for vw value words. */
function leafCap(vw: number): number {
  return Math.floor((NODE_BYTES - HDR * 4) / ((4 + vw) * 4));
}

function _base(h: number): number {
  return (h & OFF_MASK) << 1;
}

/** A position in a tree: the leaf handle (0 = none) and the slot index in it. */
export class BtCursor {
  leaf = 0;
  idx = 0;
  /** Words per slot (4 + vw). */
  sw = 4;
}

/** Create an empty tree whose keys carry `vw` value words. */
export function btNew(m: Heap, vw: number): number {
  const t = m.alloc(24);
  const u = m.u32[t >>> OFF_BITS];
  const b = _base(t);
  u[b + D_ROOT] = 0;
  u[b + D_HEIGHT] = 0;
  u[b + D_COUNT] = 0;
  u[b + D_FIRST] = 0;
  u[b + D_LAST] = 0;
  u[b + D_VW] = vw;
  return t;
}

export function btCount(m: Heap, t: number): number {
  return m.u32[t >>> OFF_BITS][_base(t) + D_COUNT];
}

/** Compare the key at word w of u with (k0..k3): -1, 0, 1. */
function _cmp(u: Uint32Array, w: number, k0: number, k1: number, k2: number, k3: number): number {
  let x = u[w];
  if (x !== k0) return x < k0 ? -1 : 1;
  x = u[w + 1];
  if (x !== k1) return x < k1 ? -1 : 1;
  x = u[w + 2];
  if (x !== k2) return x < k2 ? -1 : 1;
  x = u[w + 3];
  if (x !== k3) return x < k3 ? -1 : 1;
  return 0;
}

/** Index of the child of internal node h to descend into for the key. */
function _child(u: Uint32Array, b: number, k0: number, k1: number, k2: number, k3: number): number {
  // last slot i >= 1 whose separator <= key, else 0
  let lo = 1;
  let hi = u[b] - 1;
  let ans = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (_cmp(u, b + HDR + mid * 5, k0, k1, k2, k3) <= 0) {
      ans = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return ans;
}

/** First slot of leaf with key >= the key (count when none). */
function _lower(
  u: Uint32Array,
  b: number,
  sw: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): number {
  let lo = 0;
  let hi = u[b];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (_cmp(u, b + HDR + mid * sw, k0, k1, k2, k3) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// path of the last descent: node handles and child indexes, level 0 = root
const _pathNode = new Int32Array(MAX_DEPTH);
const _pathIdx = new Int32Array(MAX_DEPTH);

/** Descend to the leaf that would hold the key, recording the path. Returns the leaf. */
function _descend(m: Heap, t: number, k0: number, k1: number, k2: number, k3: number): number {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  let h = tu[tb + D_ROOT];
  const height = tu[tb + D_HEIGHT];
  for (let level = 0; level < height - 1; level++) {
    const u = m.u32[h >>> OFF_BITS];
    const b = _base(h);
    const i = _child(u, b, k0, k1, k2, k3);
    _pathNode[level] = h;
    _pathIdx[level] = i;
    h = u[b + HDR + i * 5 + 4];
  }
  return h;
}

/** Words per leaf slot of tree t: the 4 key words and the value words. */
function _slotWords(m: Heap, t: number): number {
  return 4 + m.u32[t >>> OFF_BITS][_base(t) + D_VW];
}

// Where the last _seek ended: the leaf (0 for an empty tree) and the tree's slot words.
let _leaf = 0;
let _sw = 0;

/**
 * Descend to the leaf that would hold the key (recording the path, for inserts and deletes)
 * and return the first slot there whose key is >= the key; -1 for an empty tree.
 */
function _seek(m: Heap, t: number, k0: number, k1: number, k2: number, k3: number): number {
  _sw = _slotWords(m, t);
  if (m.u32[t >>> OFF_BITS][_base(t) + D_HEIGHT] === 0) {
    _leaf = 0;
    return -1;
  }
  _leaf = _descend(m, t, k0, k1, k2, k3);
  return _lower(m.u32[_leaf >>> OFF_BITS], _base(_leaf), _sw, k0, k1, k2, k3);
}

/** Whether slot i of the leaf _seek reached holds the key itself. */
function _seekFound(m: Heap, i: number, k0: number, k1: number, k2: number, k3: number): boolean {
  if (i < 0) return false;
  const u = m.u32[_leaf >>> OFF_BITS];
  const b = _base(_leaf);
  return i < u[b] && _cmp(u, b + HDR + i * _sw, k0, k1, k2, k3) === 0;
}

/** Position the cursor on the key; false when absent. */
export function btFind(
  m: Heap,
  t: number,
  c: BtCursor,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): boolean {
  const i = _seek(m, t, k0, k1, k2, k3);
  c.sw = _sw;
  if (_seekFound(m, i, k0, k1, k2, k3)) {
    c.leaf = _leaf;
    c.idx = i;
    return true;
  }
  c.leaf = 0;
  return false;
}

/** Position the cursor on the first key >= the key; false (leaf 0) when none. */
export function btSeekGE(
  m: Heap,
  t: number,
  c: BtCursor,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): boolean {
  const i = _seek(m, t, k0, k1, k2, k3);
  c.sw = _sw;
  c.leaf = _leaf;
  if (i < 0) return false;
  const n = m.u32[_leaf >>> OFF_BITS][_base(_leaf)];
  c.idx = i;
  if (i < n) return true;
  c.idx = n - 1;
  return btNext(m, c);
}

/** Position the cursor on the last key <= the key; false (leaf 0) when none. */
export function btSeekLE(
  m: Heap,
  t: number,
  c: BtCursor,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): boolean {
  const i = _seek(m, t, k0, k1, k2, k3);
  c.sw = _sw;
  c.leaf = _leaf;
  if (i < 0) return false;
  if (_seekFound(m, i, k0, k1, k2, k3)) {
    c.idx = i;
    return true;
  }
  c.idx = i - 1;
  if (i > 0) return true;
  c.idx = 0;
  return btPrev(m, c);
}

/** Cursor on the smallest key; false when empty. */
export function btFirst(m: Heap, t: number, c: BtCursor): boolean {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  c.sw = 4 + tu[tb + D_VW];
  c.leaf = tu[tb + D_FIRST];
  c.idx = 0;
  return c.leaf !== 0;
}

/** Cursor on the largest key; false when empty. */
export function btLast(m: Heap, t: number, c: BtCursor): boolean {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  c.sw = 4 + tu[tb + D_VW];
  c.leaf = tu[tb + D_LAST];
  c.idx = c.leaf === 0 ? 0 : m.u32[c.leaf >>> OFF_BITS][_base(c.leaf)] - 1;
  return c.leaf !== 0;
}

/** Advance to the next key; false (leaf 0) at the end. */
export function btNext(m: Heap, c: BtCursor): boolean {
  if (c.leaf === 0) return false;
  const u = m.u32[c.leaf >>> OFF_BITS];
  const b = _base(c.leaf);
  if (c.idx + 1 < u[b]) {
    c.idx++;
    return true;
  }
  c.leaf = u[b + 3];
  c.idx = 0;
  return c.leaf !== 0;
}

/** Step back to the previous key; false (leaf 0) at the start. */
export function btPrev(m: Heap, c: BtCursor): boolean {
  if (c.leaf === 0) return false;
  if (c.idx > 0) {
    c.idx--;
    return true;
  }
  const u = m.u32[c.leaf >>> OFF_BITS];
  c.leaf = u[_base(c.leaf) + 2];
  if (c.leaf === 0) return false;
  c.idx = m.u32[c.leaf >>> OFF_BITS][_base(c.leaf)] - 1;
  return true;
}

/** The words array holding the cursor's slot; use with btSlot(). */
export function btWords(m: Heap, c: BtCursor): Uint32Array {
  return m.u32[c.leaf >>> OFF_BITS];
}

/** Word index of the cursor's slot: key at +0..+3, value words at +4... */
export function btSlot(c: BtCursor): number {
  return _base(c.leaf) + HDR + c.idx * c.sw;
}

function _newNode(m: Heap, cap: number, sw: number): number {
  const h = m.alloc((HDR + cap * sw) * 4);
  const u = m.u32[h >>> OFF_BITS];
  const b = _base(h);
  u[b] = 0;
  u[b + 1] = cap;
  u[b + 2] = 0;
  u[b + 3] = 0;
  return h;
}

/**
 * Insert the key, leaving the cursor on its slot. Returns true when it was added (its value
 * words are zero), false when it was already there (the cursor is on the existing slot).
 */
export function btInsert(
  m: Heap,
  t: number,
  c: BtCursor,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): boolean {
  let tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  const vw = tu[tb + D_VW];
  const sw = 4 + vw;
  c.sw = sw;
  const height = tu[tb + D_HEIGHT];
  if (height === 0) {
    const leaf = _newNode(m, ROOT_LEAF_MIN_CAP, sw);
    tu = m.u32[t >>> OFF_BITS];
    tu[tb + D_ROOT] = leaf;
    tu[tb + D_HEIGHT] = 1;
    tu[tb + D_FIRST] = leaf;
    tu[tb + D_LAST] = leaf;
    tu[tb + D_COUNT] = 0;
  }
  const pos = _seek(m, t, k0, k1, k2, k3);
  let leaf = _leaf;
  if (_seekFound(m, pos, k0, k1, k2, k3)) {
    c.leaf = leaf;
    c.idx = pos;
    return false;
  }
  let u = m.u32[leaf >>> OFF_BITS];
  let b = _base(leaf);
  const full = leafCap(vw);
  let n = u[b];
  const h = m.u32[t >>> OFF_BITS][tb + D_HEIGHT];
  if (n === u[b + 1] && h === 1 && u[b + 1] < full) {
    // grow the lone root leaf
    const cap = Math.min(full, u[b + 1] * 2);
    const nl = m.realloc(leaf, (HDR + cap * sw) * 4);
    tu = m.u32[t >>> OFF_BITS];
    tu[tb + D_ROOT] = nl;
    tu[tb + D_FIRST] = nl;
    tu[tb + D_LAST] = nl;
    leaf = nl;
    u = m.u32[leaf >>> OFF_BITS];
    b = _base(leaf);
    u[b + 1] = cap;
  }
  tu = m.u32[t >>> OFF_BITS];
  tu[tb + D_COUNT]++;
  if (n < u[b + 1]) {
    const at = b + HDR + pos * sw;
    if (pos < n) u.copyWithin(at + sw, at, b + HDR + n * sw);
    _setSlot(u, at, sw, k0, k1, k2, k3);
    u[b] = n + 1;
    c.leaf = leaf;
    c.idx = pos;
    return true;
  }
  // split the leaf
  const right = _newNode(m, full, sw);
  u = m.u32[leaf >>> OFF_BITS];
  const ru = m.u32[right >>> OFF_BITS];
  const rb = _base(right);
  const tail = pos === n && u[b + 3] === 0;
  const keep = tail ? n : (n + 1) >> 1;
  if (!tail) {
    ru.set(u.subarray(b + HDR + keep * sw, b + HDR + n * sw), rb + HDR);
  }
  ru[rb] = n - keep;
  u[b] = keep;
  n = keep;
  // link
  const next = u[b + 3];
  ru[rb + 2] = leaf;
  ru[rb + 3] = next;
  u[b + 3] = right;
  if (next !== 0) m.u32[next >>> OFF_BITS][_base(next) + 2] = right;
  else m.u32[t >>> OFF_BITS][tb + D_LAST] = right;
  // place the key
  let tl: number;
  let tp: number;
  if (pos <= keep && !tail) {
    tl = leaf;
    tp = pos;
  } else {
    tl = right;
    tp = pos - keep;
  }
  {
    const tu2 = m.u32[tl >>> OFF_BITS];
    const tb2 = _base(tl);
    const cnt = tu2[tb2];
    const at = tb2 + HDR + tp * sw;
    if (tp < cnt) tu2.copyWithin(at + sw, at, tb2 + HDR + cnt * sw);
    _setSlot(tu2, at, sw, k0, k1, k2, k3);
    tu2[tb2] = cnt + 1;
  }
  c.leaf = tl;
  c.idx = tp;
  // separator: first key of the right node
  const rw = rb + HDR;
  _insertUp(m, t, h - 2, leaf, right, ru[rw], ru[rw + 1], ru[rw + 2], ru[rw + 3]);
  return true;
}

function _setSlot(
  u: Uint32Array,
  at: number,
  sw: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): void {
  u[at] = k0;
  u[at + 1] = k1;
  u[at + 2] = k2;
  u[at + 3] = k3;
  for (let j = 4; j < sw; j++) u[at + j] = 0;
}

/**
 * After a split of `left` (at path level+1, or the root when level < 0) into left and right,
 * insert the separator and right into the parent at `level`, splitting upwards as needed.
 */
function _insertUp(
  m: Heap,
  t: number,
  level: number,
  left: number,
  right: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
): void {
  for (;;) {
    if (level < 0) {
      // new root
      const root = _newNode(m, INNER_CAP, 5);
      const u = m.u32[root >>> OFF_BITS];
      const b = _base(root);
      u[b] = 2;
      u[b + HDR] = 0;
      u[b + HDR + 1] = 0;
      u[b + HDR + 2] = 0;
      u[b + HDR + 3] = 0;
      u[b + HDR + 4] = left;
      u[b + HDR + 5] = s0;
      u[b + HDR + 6] = s1;
      u[b + HDR + 7] = s2;
      u[b + HDR + 8] = s3;
      u[b + HDR + 9] = right;
      const tu = m.u32[t >>> OFF_BITS];
      const tb = _base(t);
      tu[tb + D_ROOT] = root;
      tu[tb + D_HEIGHT]++;
      return;
    }
    const p = _pathNode[level];
    const pos = _pathIdx[level] + 1;
    let u = m.u32[p >>> OFF_BITS];
    const b = _base(p);
    const n = u[b];
    if (n < INNER_CAP) {
      const at = b + HDR + pos * 5;
      if (pos < n) u.copyWithin(at + 5, at, b + HDR + n * 5);
      u[at] = s0;
      u[at + 1] = s1;
      u[at + 2] = s2;
      u[at + 3] = s3;
      u[at + 4] = right;
      u[b] = n + 1;
      return;
    }
    // split the internal node
    const np = _newNode(m, INNER_CAP, 5);
    u = m.u32[p >>> OFF_BITS];
    const nu = m.u32[np >>> OFF_BITS];
    const nb = _base(np);
    let rightSpine = pos === n;
    for (let l = 0; rightSpine && l < level; l++) {
      const pu = m.u32[_pathNode[l] >>> OFF_BITS];
      if (_pathIdx[l] !== pu[_base(_pathNode[l])] - 1) rightSpine = false;
    }
    const keep = rightSpine ? n : (n + 1) >> 1;
    if (keep < n) nu.set(u.subarray(b + HDR + keep * 5, b + HDR + n * 5), nb + HDR);
    nu[nb] = n - keep;
    u[b] = keep;
    let tu: Uint32Array;
    let tb: number;
    let tp: number;
    if (pos <= keep && !rightSpine) {
      tu = u;
      tb = b;
      tp = pos;
    } else {
      tu = nu;
      tb = nb;
      tp = pos - keep;
    }
    const cnt = tu[tb];
    const at = tb + HDR + tp * 5;
    if (tp < cnt) tu.copyWithin(at + 5, at, tb + HDR + cnt * 5);
    tu[at] = s0;
    tu[at + 1] = s1;
    tu[at + 2] = s2;
    tu[at + 3] = s3;
    tu[at + 4] = right;
    tu[tb] = cnt + 1;
    // the new node's slot 0 separator goes up
    s0 = nu[nb + HDR];
    s1 = nu[nb + HDR + 1];
    s2 = nu[nb + HDR + 2];
    s3 = nu[nb + HDR + 3];
    left = p;
    right = np;
    level--;
  }
}

/** Delete the key; false when it was not there. */
export function btDelete(
  m: Heap,
  t: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): boolean {
  const i = _seek(m, t, k0, k1, k2, k3);
  if (!_seekFound(m, i, k0, k1, k2, k3)) return false;
  _removeLeafSlot(m, t, _leaf, i, m.u32[t >>> OFF_BITS][_base(t) + D_HEIGHT]);
  return true;
}

/** Remove slot i of a leaf reached by the last _descend, then rebalance up the path. */
function _removeLeafSlot(m: Heap, t: number, leaf: number, i: number, height: number): void {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  const sw = 4 + tu[tb + D_VW];
  const u = m.u32[leaf >>> OFF_BITS];
  const b = _base(leaf);
  const n = u[b];
  const at = b + HDR + i * sw;
  if (i + 1 < n) u.copyWithin(at, at + sw, b + HDR + n * sw);
  u[b] = n - 1;
  tu[tb + D_COUNT]--;
  if (height === 1) {
    if (n - 1 === 0) {
      m.free(leaf);
      tu[tb + D_ROOT] = 0;
      tu[tb + D_HEIGHT] = 0;
      tu[tb + D_FIRST] = 0;
      tu[tb + D_LAST] = 0;
    }
    return;
  }
  const level = height - 2;
  if (n - 1 === 0) {
    _unlinkLeaf(m, t, leaf);
    m.free(leaf);
    _removeChild(m, t, level);
    return;
  }
  const cap = u[b + 1];
  if (n - 1 >= cap >> 2) return;
  // try to merge with a sibling under the same parent
  const p = _pathNode[level];
  const pi = _pathIdx[level];
  const pu = m.u32[p >>> OFF_BITS];
  const pb = _base(p);
  const pn = pu[pb];
  if (pi + 1 < pn) {
    const r = pu[pb + HDR + (pi + 1) * 5 + 4];
    const ru = m.u32[r >>> OFF_BITS];
    const rb = _base(r);
    if (ru[rb] + n - 1 <= cap) {
      _mergeLeaves(m, t, leaf, r, sw);
      _pathIdx[level] = pi + 1;
      _removeChild(m, t, level);
      return;
    }
  }
  if (pi > 0) {
    const l = pu[pb + HDR + (pi - 1) * 5 + 4];
    const lu = m.u32[l >>> OFF_BITS];
    const lb = _base(l);
    if (lu[lb] + n - 1 <= lu[lb + 1]) {
      _mergeLeaves(m, t, l, leaf, sw);
      _removeChild(m, t, level);
    }
  }
}

/** Append right's slots to left, unlink and free right. */
function _mergeLeaves(m: Heap, t: number, left: number, right: number, sw: number): void {
  const lu = m.u32[left >>> OFF_BITS];
  const lb = _base(left);
  const ru = m.u32[right >>> OFF_BITS];
  const rb = _base(right);
  const ln = lu[lb];
  const rn = ru[rb];
  lu.set(ru.subarray(rb + HDR, rb + HDR + rn * sw), lb + HDR + ln * sw);
  lu[lb] = ln + rn;
  _unlinkLeaf(m, t, right);
  m.free(right);
}

function _unlinkLeaf(m: Heap, t: number, leaf: number): void {
  const u = m.u32[leaf >>> OFF_BITS];
  const b = _base(leaf);
  const prev = u[b + 2];
  const next = u[b + 3];
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  if (prev !== 0) m.u32[prev >>> OFF_BITS][_base(prev) + 3] = next;
  else tu[tb + D_FIRST] = next;
  if (next !== 0) m.u32[next >>> OFF_BITS][_base(next) + 2] = prev;
  else tu[tb + D_LAST] = prev;
}

/**
 * The child at _pathIdx[level] of _pathNode[level] is gone (freed): drop its slot, then fix the
 * node: collapse a root with one child, drop an empty node, merge a sparse one with a sibling.
 */
function _removeChild(m: Heap, t: number, level: number): void {
  for (;;) {
    const p = _pathNode[level];
    const i = _pathIdx[level];
    const u = m.u32[p >>> OFF_BITS];
    const b = _base(p);
    const n = u[b];
    const at = b + HDR + i * 5;
    if (i + 1 < n) u.copyWithin(at, at + 5, b + HDR + n * 5);
    u[b] = n - 1;
    const tu = m.u32[t >>> OFF_BITS];
    const tb = _base(t);
    if (level === 0) {
      if (n - 1 === 1) {
        // collapse the root
        tu[tb + D_ROOT] = u[b + HDR + 4];
        tu[tb + D_HEIGHT]--;
        m.free(p);
      } else if (n - 1 === 0) {
        // cannot happen with a consistent tree (the last leaf frees the root first)
        m.free(p);
        tu[tb + D_ROOT] = 0;
        tu[tb + D_HEIGHT] = 0;
      }
      return;
    }
    if (n - 1 === 0) {
      m.free(p);
      level--;
      continue;
    }
    if (n - 1 >= INNER_CAP >> 2) return;
    const gp = _pathNode[level - 1];
    const gi = _pathIdx[level - 1];
    const gu = m.u32[gp >>> OFF_BITS];
    const gb = _base(gp);
    const gn = gu[gb];
    if (gi + 1 < gn) {
      const r = gu[gb + HDR + (gi + 1) * 5 + 4];
      const ru = m.u32[r >>> OFF_BITS];
      const rb = _base(r);
      if (ru[rb] + n - 1 <= INNER_CAP) {
        _mergeInner(m, p, r, gu, gb + HDR + (gi + 1) * 5);
        _pathIdx[level - 1] = gi + 1;
        level--;
        continue;
      }
    }
    if (gi > 0) {
      const l = gu[gb + HDR + (gi - 1) * 5 + 4];
      const lu = m.u32[l >>> OFF_BITS];
      const lb = _base(l);
      if (lu[lb] + n - 1 <= INNER_CAP) {
        _mergeInner(m, l, p, gu, gb + HDR + gi * 5);
        level--;
        continue;
      }
    }
    return;
  }
}

/** Append right's slots to left; right's slot-0 separator becomes the parent's separator sepW. */
function _mergeInner(m: Heap, left: number, right: number, gu: Uint32Array, sepW: number): void {
  const lu = m.u32[left >>> OFF_BITS];
  const lb = _base(left);
  const ru = m.u32[right >>> OFF_BITS];
  const rb = _base(right);
  ru[rb + HDR] = gu[sepW];
  ru[rb + HDR + 1] = gu[sepW + 1];
  ru[rb + HDR + 2] = gu[sepW + 2];
  ru[rb + HDR + 3] = gu[sepW + 3];
  const ln = lu[lb];
  const rn = ru[rb];
  lu.set(ru.subarray(rb + HDR, rb + HDR + rn * 5), lb + HDR + ln * 5);
  lu[lb] = ln + rn;
  m.free(right);
}

// ---- whole-tree operations ----

/** Visit every node (children before parents). */
function _walk(m: Heap, h: number, height: number, fn: (h: number, leaf: boolean) => void): void {
  if (height > 1) {
    const u = m.u32[h >>> OFF_BITS];
    const b = _base(h);
    const n = u[b];
    for (let i = 0; i < n; i++) {
      _walk(m, m.u32[h >>> OFF_BITS][b + HDR + i * 5 + 4], height - 1, fn);
    }
  }
  fn(h, height === 1);
}

/**
 * Free the tree. With `freeValues`, value word 0 of every key is a heap handle freed as well
 * (the node index owns its listpacks).
 */
export function btFree(m: Heap, t: number, freeValues: boolean): void {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  const height = tu[tb + D_HEIGHT];
  const sw = 4 + tu[tb + D_VW];
  if (height > 0) {
    _walk(m, tu[tb + D_ROOT], height, (h, leaf) => {
      if (leaf && freeValues) {
        const u = m.u32[h >>> OFF_BITS];
        const b = _base(h);
        const n = u[b];
        for (let i = 0; i < n; i++) {
          const v = m.u32[h >>> OFF_BITS][b + HDR + i * sw + 4];
          if (v !== 0) m.free(v);
        }
      }
      m.free(h);
    });
  }
  m.free(t);
}

/**
 * Free part of the tree: the last leaf (with its values when `freeValues`) and any node left
 * empty, until about `budget` allocations are released. Returns true when the tree (and its
 * descriptor) is gone. The tree stays consistent between calls.
 */
export function btFreeSome(m: Heap, t: number, budget: number, freeValues: boolean): boolean {
  let spent = 0;
  for (;;) {
    const tu = m.u32[t >>> OFF_BITS];
    const tb = _base(t);
    const height = tu[tb + D_HEIGHT];
    if (height === 0) {
      m.free(t);
      return true;
    }
    if (spent >= budget) return false;
    const sw = 4 + tu[tb + D_VW];
    // descend along the last children
    let h = tu[tb + D_ROOT];
    for (let level = 0; level < height - 1; level++) {
      const u = m.u32[h >>> OFF_BITS];
      const b = _base(h);
      _pathNode[level] = h;
      _pathIdx[level] = u[b] - 1;
      h = u[b + HDR + (u[b] - 1) * 5 + 4];
    }
    const u = m.u32[h >>> OFF_BITS];
    const b = _base(h);
    const n = u[b];
    if (freeValues) {
      for (let i = 0; i < n; i++) {
        const v = m.u32[h >>> OFF_BITS][b + HDR + i * sw + 4];
        if (v !== 0) m.free(v);
      }
    }
    spent += n + 1;
    m.u32[t >>> OFF_BITS][tb + D_COUNT] -= n;
    _unlinkLeaf(m, t, h);
    m.free(h);
    if (height === 1) {
      const tu2 = m.u32[t >>> OFF_BITS];
      tu2[tb + D_ROOT] = 0;
      tu2[tb + D_HEIGHT] = 0;
      continue;
    }
    // drop trailing child slots upwards without merging
    let level = height - 2;
    for (;;) {
      const p = _pathNode[level];
      const pu = m.u32[p >>> OFF_BITS];
      const pb = _base(p);
      pu[pb]--;
      if (pu[pb] > 0) break;
      m.free(p);
      spent++;
      if (level === 0) {
        const tu2 = m.u32[t >>> OFF_BITS];
        tu2[tb + D_ROOT] = 0;
        tu2[tb + D_HEIGHT] = 0;
        break;
      }
      level--;
    }
  }
}

/** Number of allocations a full free would release (nodes, plus values when owned). */
export function btNodeCount(m: Heap, t: number): number {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  const height = tu[tb + D_HEIGHT];
  if (height === 0) return 0;
  let n = 0;
  _walk(m, tu[tb + D_ROOT], height, () => n++);
  return n;
}

/** Bytes held by the descriptor and the nodes (not the values they point to). */
export function btMemUsage(m: Heap, t: number): number {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  const height = tu[tb + D_HEIGHT];
  let bytes = m.usableSize(t);
  if (height > 0) _walk(m, tu[tb + D_ROOT], height, (h) => (bytes += m.usableSize(h)));
  return bytes;
}

/**
 * Copy the tree. `dupValue(words, slot)` may rewrite the copied slot's value words in place
 * (the node index duplicates its listpacks there); null copies them verbatim.
 */
export function btDup(
  m: Heap,
  t: number,
  dupValue: ((u: Uint32Array, w: number) => void) | null,
): number {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  const vw = tu[tb + D_VW];
  const sw = 4 + vw;
  const height = tu[tb + D_HEIGHT];
  const nt = btNew(m, vw);
  if (height === 0) return nt;
  let prevLeaf = 0;
  let first = 0;
  const copy = (h: number, level: number): number => {
    const size = m.usableSize(h);
    const nh = m.alloc(size);
    const su = m.u32[h >>> OFF_BITS];
    const sb = _base(h);
    const n = su[sb];
    const words = level === 1 ? HDR + n * sw : HDR + n * 5;
    m.u32[nh >>> OFF_BITS].set(su.subarray(sb, sb + words), _base(nh));
    if (level === 1) {
      const nu = m.u32[nh >>> OFF_BITS];
      const nb = _base(nh);
      nu[nb + 2] = prevLeaf;
      nu[nb + 3] = 0;
      if (prevLeaf !== 0) m.u32[prevLeaf >>> OFF_BITS][_base(prevLeaf) + 3] = nh;
      else first = nh;
      prevLeaf = nh;
      if (dupValue) {
        for (let i = 0; i < n; i++) dupValue(m.u32[nh >>> OFF_BITS], nb + HDR + i * sw);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const child = m.u32[h >>> OFF_BITS][sb + HDR + i * 5 + 4];
        const nc = copy(child, level - 1);
        m.u32[nh >>> OFF_BITS][_base(nh) + HDR + i * 5 + 4] = nc;
      }
    }
    return nh;
  };
  const root = copy(tu[tb + D_ROOT], height);
  const nu = m.u32[nt >>> OFF_BITS];
  const nb = _base(nt);
  const su = m.u32[t >>> OFF_BITS];
  nu[nb + D_ROOT] = root;
  nu[nb + D_HEIGHT] = height;
  nu[nb + D_COUNT] = su[tb + D_COUNT];
  nu[nb + D_FIRST] = first;
  nu[nb + D_LAST] = prevLeaf;
  return nt;
}

/** Structural self-check for tests: order, counts, links, separators. Throws on damage. */
export function btCheck(m: Heap, t: number): void {
  const tu = m.u32[t >>> OFF_BITS];
  const tb = _base(t);
  const height = tu[tb + D_HEIGHT];
  const sw = 4 + tu[tb + D_VW];
  if (height === 0) {
    if (tu[tb + D_COUNT] !== 0 || tu[tb + D_FIRST] !== 0) throw new Error("Empty tree keeps state");
    return;
  }
  const leaves: number[] = [];
  let total = 0;
  const keyAt = (u: Uint32Array, w: number) => [u[w], u[w + 1], u[w + 2], u[w + 3]];
  const less = (a: number[], b2: number[]) => {
    for (let i = 0; i < 4; i++) if (a[i] !== b2[i]) return a[i] < b2[i];
    return false;
  };
  const visit = (h: number, level: number, lo: number[] | null, hi: number[] | null) => {
    const u = m.u32[h >>> OFF_BITS];
    const b = _base(h);
    const n = u[b];
    if (n === 0) throw new Error("Empty node in tree");
    if (level === 1) {
      leaves.push(h);
      total += n;
      for (let i = 0; i < n; i++) {
        const k = keyAt(u, b + HDR + i * sw);
        if (lo && less(k, lo)) throw new Error("Leaf key below its separator");
        if (hi && !less(k, hi)) throw new Error("Leaf key above the next separator");
        if (i > 0 && !less(keyAt(u, b + HDR + (i - 1) * sw), k)) {
          throw new Error("Leaf keys out of order");
        }
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const clo = i === 0 ? lo : keyAt(u, b + HDR + i * 5);
      const chi = i + 1 < n ? keyAt(u, b + HDR + (i + 1) * 5) : hi;
      visit(u[b + HDR + i * 5 + 4], level - 1, clo, chi);
    }
  };
  visit(tu[tb + D_ROOT], height, null, null);
  if (total !== tu[tb + D_COUNT]) {
    throw new Error(`Tree count ${tu[tb + D_COUNT]} but ${total} keys`);
  }
  if (tu[tb + D_FIRST] !== leaves[0] || tu[tb + D_LAST] !== leaves[leaves.length - 1]) {
    throw new Error("Tree first/last leaf mismatch");
  }
  for (let i = 0; i < leaves.length; i++) {
    const u = m.u32[leaves[i] >>> OFF_BITS];
    const b = _base(leaves[i]);
    if (u[b + 2] !== (i > 0 ? leaves[i - 1] : 0)) throw new Error("Broken prev link");
    if (u[b + 3] !== (i + 1 < leaves.length ? leaves[i + 1] : 0)) {
      throw new Error("Broken next link");
    }
  }
}
