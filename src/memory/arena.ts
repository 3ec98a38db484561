// Arena: memory in 1 MiB ArrayBuffer chunks, carved into 4 KiB pages, plus "huge" buffers of
// their own. Addresses are handles: plain numbers in units of 8 bytes. Depends on nothing but
// size_classes.ts; knows nothing of keys or values.
//
// Handle layout (32 bits, unsigned):  [ chunk index : 15 ][ offset in chunk / 8 : 17 ]
//   byte offset = (h & OFF_MASK) << 3, chunk = h >>> OFF_BITS. Handle 0 is null (chunk 0 is
//   never used). A huge allocation owns a whole chunk index and its buffer may exceed 1 MiB;
//   its handle always has offset 0 and callers address bytes past 1 MiB from that base.
//   Global page number gp = h >>> PAGE_UNIT_BITS (chunk << 8 | page).

import { PAGE_SHIFT, PAGE_SIZE } from "./size_classes.ts";

export const CHUNK_SHIFT = 20;
export const CHUNK_SIZE = 1 << CHUNK_SHIFT;
export const UNIT_SHIFT = 3;
export const OFF_BITS = CHUNK_SHIFT - UNIT_SHIFT; // 17
export const OFF_MASK = (1 << OFF_BITS) - 1;
export const PAGES_PER_CHUNK = CHUNK_SIZE / PAGE_SIZE; // 256
export const PAGE_UNIT_BITS = PAGE_SHIFT - UNIT_SHIFT; // 9: handle >>> 9 = global page
export const MAX_CHUNKS = 1 << (32 - OFF_BITS); // 32768 chunk indices: 32 GiB of chunks

const BITMAP_WORDS = PAGES_PER_CHUNK / 32; // 8
const KIND_NONE = 0;
const KIND_PAGES = 1;
const KIND_HUGE = 2;
/** Empty chunks kept for reuse before they are handed back to the engine. */
const RETAIN_EMPTY = 4;

const EMPTY8 = new Uint8Array(0);
const EMPTY32 = new Uint32Array(0);
const EMPTYF = new Float64Array(0);
const EMPTYDV = new DataView(new ArrayBuffer(0));

/** Byte offset inside its chunk buffer of the memory a handle points at. */
export function hOff(h: number): number {
  return (h & OFF_MASK) << UNIT_SHIFT;
}

/** Chunk index of a handle. */
export function hChunk(h: number): number {
  return h >>> OFF_BITS;
}

export class Arena {
  /** Views per chunk index; index 0 and released chunks hold empty views. */
  u8: Uint8Array[] = [EMPTY8];
  u32: Uint32Array[] = [EMPTY32];
  f64: Float64Array[] = [EMPTYF];
  dv: DataView[] = [EMPTYDV];

  protected kind: Uint8Array = new Uint8Array(64);
  /** Used-page bitmap, BITMAP_WORDS words per chunk. */
  protected pageUsed: Uint32Array = new Uint32Array(64 * BITMAP_WORDS);
  /** Pages ever handed out (resident estimate), BITMAP_WORDS words per chunk. */
  protected pageTouched: Uint32Array = new Uint32Array(64 * BITMAP_WORDS);
  protected freePages: Uint16Array = new Uint16Array(64);
  /** Byte size of huge buffers by chunk index. */
  protected hugeBytesOf: Float64Array = new Float64Array(64);
  private freeIdx: number[] = [];
  private emptyChunks = 0;

  // statistics (bytes)
  /** Bytes of page chunks plus huge buffers currently held. */
  mapped = 0;
  /**
   * Bytes of chunks dropped since the server last asked the engine to collect: a dropped
   * ArrayBuffer leaves the process only when the engine's GC runs, and with no JS garbage on the
   * hot paths that can take long (Server.cron collects after a large release).
   */
  releasedSinceGc = 0;
  /** Pages handed out at least once in held chunks, plus huge bytes. */
  resident = 0;
  chunksHeld = 0;
  hugeBytes = 0;

  private _newIndex(): number {
    if (this.freeIdx.length > 0) {
      // lowest free index first, like an address-ordered allocator
      let best = 0;
      for (let i = 1; i < this.freeIdx.length; i++) {
        if (this.freeIdx[i] < this.freeIdx[best]) best = i;
      }
      const ci = this.freeIdx[best];
      this.freeIdx[best] = this.freeIdx[this.freeIdx.length - 1];
      this.freeIdx.pop();
      return ci;
    }
    const ci = this.u8.length;
    if (ci >= MAX_CHUNKS) throw new Error("Arena exhausted: no free chunk index");
    this.u8.push(EMPTY8);
    this.u32.push(EMPTY32);
    this.f64.push(EMPTYF);
    this.dv.push(EMPTYDV);
    if (ci >= this.kind.length) this._growMeta(ci + 1);
    return ci;
  }

  private _growMeta(n: number): void {
    let cap = this.kind.length;
    while (cap < n) cap *= 2;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
    const pu = new Uint32Array(cap * BITMAP_WORDS);
    pu.set(this.pageUsed);
    this.pageUsed = pu;
    const pt = new Uint32Array(cap * BITMAP_WORDS);
    pt.set(this.pageTouched);
    this.pageTouched = pt;
    const fp = new Uint16Array(cap);
    fp.set(this.freePages);
    this.freePages = fp;
    const hb = new Float64Array(cap);
    hb.set(this.hugeBytesOf);
    this.hugeBytesOf = hb;
    this.onMetaGrow(cap);
  }

  /** Subclasses size their per-page tables to cap chunks. */
  protected onMetaGrow(_cap: number): void {}

  private _attach(ci: number, buf: ArrayBuffer): void {
    this.u8[ci] = new Uint8Array(buf);
    this.u32[ci] = new Uint32Array(buf);
    this.f64[ci] = new Float64Array(buf);
    this.dv[ci] = new DataView(buf);
  }

  private _detach(ci: number): void {
    this.u8[ci] = EMPTY8;
    this.u32[ci] = EMPTY32;
    this.f64[ci] = EMPTYF;
    this.dv[ci] = EMPTYDV;
    this.kind[ci] = KIND_NONE;
    this.freeIdx.push(ci);
  }

  private _newChunk(): number {
    const ci = this._newIndex();
    this._attach(ci, new ArrayBuffer(CHUNK_SIZE));
    this.kind[ci] = KIND_PAGES;
    this.freePages[ci] = PAGES_PER_CHUNK;
    const w = ci * BITMAP_WORDS;
    this.pageUsed.fill(0, w, w + BITMAP_WORDS);
    this.pageTouched.fill(0, w, w + BITMAP_WORDS);
    this.mapped += CHUNK_SIZE;
    this.chunksHeld++;
    this.emptyChunks++;
    return ci;
  }

  private _releaseChunk(ci: number): void {
    this.resident -= this._touchedPages(ci) * PAGE_SIZE;
    this.mapped -= CHUNK_SIZE;
    this.releasedSinceGc += CHUNK_SIZE;
    this.chunksHeld--;
    this.emptyChunks--;
    this._detach(ci);
  }

  private _touchedPages(ci: number): number {
    let n = 0;
    const w = ci * BITMAP_WORDS;
    for (let i = 0; i < BITMAP_WORDS; i++) n += _popcount(this.pageTouched[w + i]);
    return n;
  }

  /**
   * Allocate a run of n contiguous pages (n <= PAGES_PER_CHUNK); returns its global page number.
   * First fit from the lowest chunk, so live data packs towards low addresses.
   */
  allocPages(n: number): number {
    const nchunks = this.u8.length;
    for (let ci = 1; ci < nchunks; ci++) {
      if (this.kind[ci] !== KIND_PAGES || this.freePages[ci] < n) continue;
      const p = this._findRun(ci, n);
      if (p >= 0) return this._takeRun(ci, p, n);
    }
    const ci = this._newChunk();
    return this._takeRun(ci, 0, n);
  }

  private _findRun(ci: number, n: number): number {
    const w = ci * BITMAP_WORDS;
    const bits = this.pageUsed;
    let run = 0;
    for (let p = 0; p < PAGES_PER_CHUNK; p++) {
      const word = bits[w + (p >>> 5)];
      if (word === 0xffffffff && (p & 31) === 0) {
        run = 0;
        p += 31;
        continue;
      }
      if (word & (1 << (p & 31))) run = 0;
      else if (++run === n) return p - n + 1;
    }
    return -1;
  }

  private _takeRun(ci: number, p: number, n: number): number {
    const w = ci * BITMAP_WORDS;
    if (this.freePages[ci] === PAGES_PER_CHUNK) this.emptyChunks--;
    for (let i = p; i < p + n; i++) {
      const bit = 1 << (i & 31);
      this.pageUsed[w + (i >>> 5)] |= bit;
      if (!(this.pageTouched[w + (i >>> 5)] & bit)) {
        this.pageTouched[w + (i >>> 5)] |= bit;
        this.resident += PAGE_SIZE;
      }
    }
    this.freePages[ci] -= n;
    return ci * PAGES_PER_CHUNK + p;
  }

  /** Return a run of pages; a chunk left empty is kept (up to RETAIN_EMPTY) or released. */
  freePageRun(gp: number, n: number): void {
    const ci = gp >>> 8;
    const p = gp & 255;
    const w = ci * BITMAP_WORDS;
    for (let i = p; i < p + n; i++) this.pageUsed[w + (i >>> 5)] &= ~(1 << (i & 31));
    this.freePages[ci] += n;
    if (this.freePages[ci] === PAGES_PER_CHUNK) {
      this.emptyChunks++;
      if (this.emptyChunks > RETAIN_EMPTY) this._releaseChunk(ci);
    }
  }

  /** Allocate a buffer of its own; returns its handle (offset 0). */
  allocHugeBuffer(bytes: number): number {
    const ci = this._newIndex();
    this._attach(ci, new ArrayBuffer(bytes));
    this.kind[ci] = KIND_HUGE;
    this.hugeBytesOf[ci] = bytes;
    this.hugeBytes += bytes;
    this.mapped += bytes;
    this.resident += bytes;
    return (ci << OFF_BITS) >>> 0;
  }

  freeHugeBuffer(h: number): void {
    const ci = h >>> OFF_BITS;
    const bytes = this.hugeBytesOf[ci];
    this.hugeBytes -= bytes;
    this.mapped -= bytes;
    this.resident -= bytes;
    this.releasedSinceGc += bytes;
    this.hugeBytesOf[ci] = 0;
    this._detach(ci);
  }

  isHuge(h: number): boolean {
    return this.kind[h >>> OFF_BITS] === KIND_HUGE;
  }

  hugeBytesAt(h: number): number {
    return this.hugeBytesOf[h >>> OFF_BITS];
  }

  /** Release every empty page chunk (MEMORY PURGE). Returns bytes released. */
  purge(): number {
    let released = 0;
    for (let ci = 1; ci < this.u8.length; ci++) {
      if (this.kind[ci] === KIND_PAGES && this.freePages[ci] === PAGES_PER_CHUNK) {
        released += CHUNK_SIZE;
        this._releaseChunk(ci);
      }
    }
    return released;
  }

  // ---- raw access helpers (not for hot paths: those inline the shifts) ----

  /** Copy `len` bytes from src at byte offset `so` of handle `h`'s chunk... into dst memory. */
  copy(dstH: number, dstOff: number, srcH: number, srcOff: number, len: number): void {
    const d = this.u8[dstH >>> OFF_BITS];
    const s = this.u8[srcH >>> OFF_BITS];
    const so = ((srcH & OFF_MASK) << UNIT_SHIFT) + srcOff;
    d.set(s.subarray(so, so + len), ((dstH & OFF_MASK) << UNIT_SHIFT) + dstOff);
  }
}

/**
 * Copy len bytes between arena buffers without allocating when possible: a byte loop for short
 * runs, copyWithin inside one chunk, a subarray view only across chunks.
 */
export function copyBytes(src: Uint8Array, so: number, dst: Uint8Array, d: number, len: number): void {
  if (len <= 64) {
    if (src === dst && so < d) for (let i = len - 1; i >= 0; i--) dst[d + i] = src[so + i];
    else for (let i = 0; i < len; i++) dst[d + i] = src[so + i];
  } else if (src === dst) {
    dst.copyWithin(d, so, so + len);
  } else {
    dst.set(src.subarray(so, so + len), d);
  }
}

function _popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
