// Keyspace entries ("objects"): one arena allocation per key holding the dict link, type,
// encoding, LRU/LFU clock, optional expire, the key and (for strings) the value bytes inline.
// Depends on memory/ and encoding/dict.ts.
//
// Layout (dict entry layout, see encoding/dict.ts):
//   +0  u32 next (dict chain)
//   +4  u32 meta: bits 0-23 LRU clock (or LFU: 16-bit minutes << 8 | 8-bit counter),
//                 bits 24-27 type, bits 28-31 encoding
//   +8  u32 key length | EXT_FLAG (the key has an expire)
//   +12 u32 strings: value length; other types: handle of the value structure
//   +16 when EXT: f64 expire time (unix ms), u32 index in the db's expires vector, u32 spare
//   then the key bytes, then (strings) the value bytes.

import type { Heap } from "../memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import { ENTRY_EXT, ENTRY_HEADER, EXT_FLAG, KLEN_MASK } from "../encoding/dict.ts";

// Types, as Redis numbers them (OBJ_*).
export const OBJ_STRING = 0;
export const OBJ_LIST = 1;
export const OBJ_SET = 2;
export const OBJ_ZSET = 3;
export const OBJ_HASH = 4;
export const OBJ_MODULE = 5;
export const OBJ_STREAM = 6;

// Encodings, as Redis numbers them (OBJ_ENCODING_*).
export const OBJ_ENCODING_RAW = 0;
export const OBJ_ENCODING_INT = 1;
export const OBJ_ENCODING_HT = 2;
export const OBJ_ENCODING_ZIPMAP = 3;
export const OBJ_ENCODING_LINKEDLIST = 4;
export const OBJ_ENCODING_ZIPLIST = 5;
export const OBJ_ENCODING_INTSET = 6;
export const OBJ_ENCODING_SKIPLIST = 7;
export const OBJ_ENCODING_EMBSTR = 8;
export const OBJ_ENCODING_QUICKLIST = 9;
export const OBJ_ENCODING_STREAM = 10;
export const OBJ_ENCODING_LISTPACK = 11;

/** Strings up to this length are embstr-encoded (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
export const EMBSTR_SIZE_LIMIT = 44;

export const TYPE_NAMES = ["string", "list", "set", "zset", "hash", "module", "stream"];
export const ENCODING_NAMES = [
  "raw",
  "int",
  "hashtable",
  "zipmap",
  "linkedlist",
  "ziplist",
  "intset",
  "skiplist",
  "embstr",
  "quicklist",
  "stream",
  "listpack",
];

export const LRU_BITS = 24;
export const LRU_CLOCK_MAX = (1 << LRU_BITS) - 1;
export const LRU_CLOCK_RESOLUTION = 1000; // ms

// ---- field access (hot paths inline these) ----

export function objType(m: Heap, e: number): number {
  return (m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 1] >>> 24) & 15;
}

export function objEncoding(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 1] >>> 28;
}

export function setObjEncoding(m: Heap, e: number, enc: number): void {
  const u = m.u32[e >>> OFF_BITS];
  const i = ((e & OFF_MASK) << 1) + 1;
  u[i] = ((u[i] & 0x0fffffff) | (enc << 28)) >>> 0;
}

export function objLru(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 1] & LRU_CLOCK_MAX;
}

export function setObjLru(m: Heap, e: number, lru: number): void {
  const u = m.u32[e >>> OFF_BITS];
  const i = ((e & OFF_MASK) << 1) + 1;
  u[i] = ((u[i] & 0xff000000) | (lru & LRU_CLOCK_MAX)) >>> 0;
}

export function objHasExpire(m: Heap, e: number): boolean {
  return (m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & EXT_FLAG) !== 0;
}

export function objKeyLen(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2] & KLEN_MASK;
}

/** Byte offset of the key inside the entry's chunk buffer (m.u8[e >>> OFF_BITS]). */
export function objKeyOff(m: Heap, e: number): number {
  const w = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2];
  return ((e & OFF_MASK) << 3) + ((w & EXT_FLAG) ? ENTRY_HEADER + ENTRY_EXT : ENTRY_HEADER);
}

/** The chunk buffer an entry lives in. */
export function objBuf(m: Heap, e: number): Uint8Array {
  return m.u8[e >>> OFF_BITS];
}

/** A copy of the key bytes. */
export function objKey(m: Heap, e: number): Uint8Array {
  const o = objKeyOff(m, e);
  return m.u8[e >>> OFF_BITS].slice(o, o + objKeyLen(m, e));
}

/** Aux word: string length, or the value handle of other types. */
export function objAux(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3];
}

export function setObjAux(m: Heap, e: number, v: number): void {
  m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3] = v;
}

/** Byte offset of a string value inside the entry's chunk buffer. */
export function strOff(m: Heap, e: number): number {
  const w = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 2];
  return ((e & OFF_MASK) << 3) + ((w & EXT_FLAG) ? ENTRY_HEADER + ENTRY_EXT : ENTRY_HEADER) +
    (w & KLEN_MASK);
}

export function strLen(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3];
}

/** Copy of a string value's bytes. */
export function strValue(m: Heap, e: number): Uint8Array {
  const o = strOff(m, e);
  return m.u8[e >>> OFF_BITS].slice(o, o + strLen(m, e));
}

export function objExpire(m: Heap, e: number): number {
  return m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2];
}

export function setObjExpire(m: Heap, e: number, when: number): void {
  m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2] = when;
}

export function objExpirePos(m: Heap, e: number): number {
  return m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 6];
}

export function setObjExpirePos(m: Heap, e: number, pos: number): void {
  m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 6] = pos;
}

/** Bytes an entry needs: header, optional expire block, key, inline string value. */
export function entrySize(keyLen: number, valLen: number, withExpire: boolean): number {
  return ENTRY_HEADER + (withExpire ? ENTRY_EXT : 0) + keyLen + valLen;
}

/**
 * Allocate an entry. `val` is copied inline for strings (pass valLen 0 and set aux for other
 * types). Returns the handle; `next` is left for the dict to set.
 */
export function newEntry(
  m: Heap,
  type: number,
  enc: number,
  lru: number,
  key: Uint8Array,
  koff: number,
  klen: number,
  val: Uint8Array | null,
  voff: number,
  vlen: number,
  withExpire: boolean,
): number {
  const e = m.alloc(entrySize(klen, vlen, withExpire));
  const ci = e >>> OFF_BITS;
  const u32 = m.u32[ci];
  const w = (e & OFF_MASK) << 1;
  u32[w] = 0;
  u32[w + 1] = ((enc << 28) | (type << 24) | (lru & LRU_CLOCK_MAX)) >>> 0;
  u32[w + 2] = withExpire ? (klen | EXT_FLAG) >>> 0 : klen;
  u32[w + 3] = vlen;
  const u8 = m.u8[ci];
  let o = (w << 2) + ENTRY_HEADER;
  if (withExpire) {
    u32[w + 4] = 0;
    u32[w + 5] = 0;
    u32[w + 6] = 0;
    u32[w + 7] = 0;
    o += ENTRY_EXT;
  }
  if (klen <= 32) for (let i = 0; i < klen; i++) u8[o + i] = key[koff + i];
  else u8.set(key.subarray(koff, koff + klen), o);
  o += klen;
  if (val !== null && vlen > 0) {
    if (vlen <= 32) for (let i = 0; i < vlen; i++) u8[o + i] = val[voff + i];
    else u8.set(val.subarray(voff, voff + vlen), o);
  }
  return e;
}

/**
 * Rebuild an unlinked entry under another key (RENAME): the meta word (type, encoding, LRU),
 * the aux word, the expire block and an inline string value are kept; a non-string value
 * handle moves to the new entry. Frees the old allocation and returns the new handle.
 */
export function rekeyEntry(m: Heap, e: number, key: Uint8Array, koff: number, klen: number): number {
  let u = m.u32[e >>> OFF_BITS];
  const w = (e & OFF_MASK) << 1;
  const meta = u[w + 1];
  const withExp = (u[w + 2] & EXT_FLAG) !== 0;
  const aux = u[w + 3];
  const oldKlen = u[w + 2] & KLEN_MASK;
  const vlen = ((meta >>> 24) & 15) === OBJ_STRING ? aux : 0;
  const hdr = ENTRY_HEADER + (withExp ? ENTRY_EXT : 0);
  const ne = m.alloc(entrySize(klen, vlen, withExp));
  u = m.u32[e >>> OFF_BITS];
  const nu = m.u32[ne >>> OFF_BITS];
  const nw = (ne & OFF_MASK) << 1;
  nu[nw] = 0;
  nu[nw + 1] = meta;
  nu[nw + 2] = withExp ? (klen | EXT_FLAG) >>> 0 : klen;
  nu[nw + 3] = aux;
  if (withExp) {
    m.f64[ne >>> OFF_BITS][(ne & OFF_MASK) + 2] = m.f64[e >>> OFF_BITS][(e & OFF_MASK) + 2];
    nu[nw + 6] = 0;
    nu[nw + 7] = 0;
  }
  const nb = m.u8[ne >>> OFF_BITS];
  const no = (nw << 2) + hdr;
  nb.set(key.subarray(koff, koff + klen), no);
  if (vlen > 0) {
    const so = (w << 2) + hdr + oldKlen;
    nb.set(m.u8[e >>> OFF_BITS].subarray(so, so + vlen), no + klen);
  }
  m.free(e);
  return ne;
}
