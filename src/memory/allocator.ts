// Heap: a jemalloc-like allocator over the arena. Small sizes come from slabs (page runs split
// into equal regions, free regions chained through their first 4 bytes), large sizes are page
// runs, huge sizes get buffers of their own. Keeps the statistics Redis reads from jemalloc.
// Depends on arena.ts and size_classes.ts only.
//
//   alloc / free / realloc / usableSize   O(1) for small sizes (slab refill is amortised)
//   defragHint                            O(1): is this allocation worth moving?

import {
  Arena,
  copyBytes,
  OFF_BITS,
  OFF_MASK,
  PAGE_UNIT_BITS,
  PAGES_PER_CHUNK,
  UNIT_SHIFT,
} from "./arena.ts";
import {
  CLASS_SIZES,
  hugeSize,
  LARGE_MAX,
  NUM_CLASSES,
  NUM_SMALL,
  PAGE_SIZE,
  SLAB_PAGES,
  SLAB_REGIONS,
  SMALL_MAX,
  sizeClass,
} from "./size_classes.ts";

const NONE = -1;
/** Fullness buckets of non-full slabs per class. */
const NBUCKETS = 8;
/** pageOwner value for the first page of a large run (its class is in pageClass). */
const OWNER_LARGE = -2;

export interface ClassStats {
  size: number;
  /** Live allocations of this class. */
  curregs: number;
  /** Slabs held (small classes only). */
  curslabs: number;
  nmalloc: number;
  ndalloc: number;
  regsPerSlab: number;
  pagesPerSlab: number;
}

export class Heap extends Arena {
  // ---- slabs (indexed by slab id) ----
  private sCls = new Uint8Array(256);
  private sStart = new Uint32Array(256);
  private sNfree = new Uint16Array(256);
  private sFreeHead = new Int32Array(256);
  private sBump = new Uint16Array(256);
  private sNext = new Int32Array(256);
  private sPrev = new Int32Array(256);
  private sInList = new Uint8Array(256);
  private slabFreeIds: number[] = [];
  private slabCount = 0;

  // ---- per global page ----
  private pageOwner = new Int32Array(64 * PAGES_PER_CHUNK).fill(NONE);
  private pageClass = new Uint8Array(64 * PAGES_PER_CHUNK);

  // ---- bins (small classes) ----
  private binCur = new Int32Array(NUM_SMALL).fill(NONE);
  /**
   * Non-full slabs (other than the current one) per class, in NBUCKETS lists by how full they
   * are. Refills take the fullest, so new allocations (and defrag moves) pack slabs that are
   * already busy while sparse slabs drain, as jemalloc's slab choice does.
   */
  private binHead = new Int32Array(NUM_SMALL * NBUCKETS).fill(NONE);
  private binTail = new Int32Array(NUM_SMALL * NBUCKETS).fill(NONE);
  private binListed = new Int32Array(NUM_SMALL);

  // ---- statistics ----
  private curregs = new Float64Array(NUM_CLASSES);
  private curslabs = new Float64Array(NUM_SMALL);
  private nmalloc = new Float64Array(NUM_CLASSES);
  private ndalloc = new Float64Array(NUM_CLASSES);
  hugeCount = 0;
  hugeAllocs = 0;
  hugeFrees = 0;
  /** Sum of usable sizes of live allocations (jemalloc "allocated"). */
  allocated = 0;
  /** Bytes in pages owned by slabs and large runs, plus huge bytes (jemalloc "active"). */
  active = 0;

  protected override onMetaGrow(cap: number): void {
    const n = cap * PAGES_PER_CHUNK;
    if (!this.pageOwner || this.pageOwner.length >= n) return;
    const po = new Int32Array(n).fill(NONE);
    po.set(this.pageOwner);
    this.pageOwner = po;
    const pc = new Uint8Array(n);
    pc.set(this.pageClass);
    this.pageClass = pc;
  }

  /** Allocate n bytes; returns a handle (never 0). Memory is NOT zeroed. */
  alloc(n: number): number {
    if (n <= SMALL_MAX) return this._allocSmall(sizeClass(n < 1 ? 1 : n));
    if (n <= LARGE_MAX) return this._allocLarge(sizeClass(n));
    return this._allocHuge(n);
  }

  /** Allocate n zeroed bytes. */
  calloc(n: number): number {
    const h = this.alloc(n);
    const o = (h & OFF_MASK) << UNIT_SHIFT;
    this.u8[h >>> OFF_BITS].fill(0, o, o + n);
    return h;
  }

  /** Usable size of an allocation (its class size). */
  usableSize(h: number): number {
    if (this.isHuge(h)) return this.hugeBytesAt(h);
    const gp = h >>> PAGE_UNIT_BITS;
    const owner = this.pageOwner[gp];
    if (owner >= 0) return CLASS_SIZES[this.sCls[owner]];
    return CLASS_SIZES[this.pageClass[gp]];
  }

  free(h: number): void {
    if (this.isHuge(h)) {
      const bytes = this.hugeBytesAt(h);
      this.allocated -= bytes;
      this.active -= bytes;
      this.hugeCount--;
      this.hugeFrees++;
      this.freeHugeBuffer(h);
      return;
    }
    const gp = h >>> PAGE_UNIT_BITS;
    const owner = this.pageOwner[gp];
    if (owner >= 0) this._freeSmall(owner, h);
    else this._freeLarge(gp);
  }

  /**
   * Resize to n bytes, keeping the first min(old, n) bytes. Stays in place when n falls in the
   * same size class; otherwise moves (the old handle is freed).
   */
  realloc(h: number, n: number): number {
    const old = this.usableSize(h);
    if (n <= LARGE_MAX) {
      if (n <= old && old <= LARGE_MAX && sizeClass(n < 1 ? 1 : n) === this._classOf(h)) return h;
    } else if (this.isHuge(h) && hugeSize(n) === old) {
      return h;
    }
    const nh = this.alloc(n);
    const len = old < n ? old : n;
    copyBytes(
      this.u8[h >>> OFF_BITS],
      (h & OFF_MASK) << UNIT_SHIFT,
      this.u8[nh >>> OFF_BITS],
      (nh & OFF_MASK) << UNIT_SHIFT,
      len,
    );
    this.free(h);
    return nh;
  }

  private _classOf(h: number): number {
    const gp = h >>> PAGE_UNIT_BITS;
    const owner = this.pageOwner[gp];
    return owner >= 0 ? this.sCls[owner] : this.pageClass[gp];
  }

  // ---- small ----

  private _allocSmall(cls: number): number {
    let s = this.binCur[cls];
    if (s === NONE || this.sNfree[s] === 0) s = this._refill(cls);
    const units = CLASS_SIZES[cls] >> UNIT_SHIFT;
    let h: number;
    const head = this.sFreeHead[s];
    if (head !== NONE) {
      h = this.sStart[s] + head * units;
      this.sFreeHead[s] = this.u32[h >>> OFF_BITS][(h & OFF_MASK) << 1] | 0;
    } else {
      h = this.sStart[s] + this.sBump[s] * units;
      this.sBump[s]++;
    }
    this.sNfree[s]--;
    this.curregs[cls]++;
    this.nmalloc[cls]++;
    this.allocated += CLASS_SIZES[cls];
    return h;
  }

  /** Pick the next slab for a bin: the fullest non-full one, or a fresh one. */
  private _refill(cls: number): number {
    let s = NONE;
    if (this.binListed[cls] > 0) {
      for (let b = NBUCKETS - 1; b >= 0 && s === NONE; b--) s = this.binHead[cls * NBUCKETS + b];
    }
    if (s !== NONE) this._unlist(s);
    else s = this._newSlab(cls);
    this.binCur[cls] = s;
    return s;
  }

  /** Fullness bucket of a non-full slab. */
  private _bucketOf(s: number): number {
    const regs = SLAB_REGIONS[this.sCls[s]];
    return Math.floor(((regs - this.sNfree[s]) * NBUCKETS) / regs);
  }

  private _newSlab(cls: number): number {
    const pages = SLAB_PAGES[cls];
    const gp = this.allocPages(pages);
    let s: number;
    if (this.slabFreeIds.length > 0) s = this.slabFreeIds.pop()!;
    else {
      s = this.slabCount++;
      if (s >= this.sCls.length) this._growSlabs();
    }
    this.sCls[s] = cls;
    this.sStart[s] = (gp << PAGE_UNIT_BITS) >>> 0;
    this.sNfree[s] = SLAB_REGIONS[cls];
    this.sFreeHead[s] = NONE;
    this.sBump[s] = 0;
    this.sNext[s] = NONE;
    this.sPrev[s] = NONE;
    this.sInList[s] = 0;
    for (let i = 0; i < pages; i++) this.pageOwner[gp + i] = s;
    this.curslabs[cls]++;
    this.active += pages * PAGE_SIZE;
    return s;
  }

  private _growSlabs(): void {
    const n = this.sCls.length * 2;
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const g16 = (a: Uint16Array) => {
      const b = new Uint16Array(n);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.sCls = g8(this.sCls);
    this.sInList = g8(this.sInList);
    const st = new Uint32Array(n);
    st.set(this.sStart);
    this.sStart = st;
    this.sNfree = g16(this.sNfree);
    this.sBump = g16(this.sBump);
    this.sFreeHead = g32(this.sFreeHead);
    this.sNext = g32(this.sNext);
    this.sPrev = g32(this.sPrev);
  }

  private _freeSmall(s: number, h: number): void {
    const cls = this.sCls[s];
    const units = CLASS_SIZES[cls] >> UNIT_SHIFT;
    const idx = (h - this.sStart[s]) / units;
    this.u32[h >>> OFF_BITS][(h & OFF_MASK) << 1] = this.sFreeHead[s];
    this.sFreeHead[s] = idx;
    const nfree = ++this.sNfree[s];
    this.curregs[cls]--;
    this.ndalloc[cls]++;
    this.allocated -= CLASS_SIZES[cls];
    if (s === this.binCur[cls]) {
      if (nfree === SLAB_REGIONS[cls] && this.binListed[cls] > 0) {
        // current slab emptied while others have room: give its pages back
        this.binCur[cls] = NONE;
        this._releaseSlab(s);
      }
      return;
    }
    if (nfree === SLAB_REGIONS[cls]) {
      if (this.sInList[s]) this._unlist(s);
      this._releaseSlab(s);
    } else if (!this.sInList[s]) {
      this._list(s);
    } else if (this.sInList[s] - 1 !== this._bucketOf(s)) {
      this._unlist(s);
      this._list(s);
    }
  }

  private _releaseSlab(s: number): void {
    const cls = this.sCls[s];
    const pages = SLAB_PAGES[cls];
    const gp = this.sStart[s] >>> PAGE_UNIT_BITS;
    for (let i = 0; i < pages; i++) this.pageOwner[gp + i] = NONE;
    this.freePageRun(gp, pages);
    this.curslabs[cls]--;
    this.active -= pages * PAGE_SIZE;
    this.slabFreeIds.push(s);
  }

  /** Append a non-full slab to its fullness list (sInList = bucket + 1). */
  private _list(s: number): void {
    const cls = this.sCls[s];
    const b = this._bucketOf(s);
    const li = cls * NBUCKETS + b;
    const tail = this.binTail[li];
    this.sPrev[s] = tail;
    this.sNext[s] = NONE;
    if (tail !== NONE) this.sNext[tail] = s;
    else this.binHead[li] = s;
    this.binTail[li] = s;
    this.sInList[s] = b + 1;
    this.binListed[cls]++;
  }

  private _unlist(s: number): void {
    const cls = this.sCls[s];
    const li = cls * NBUCKETS + this.sInList[s] - 1;
    const p = this.sPrev[s];
    const n = this.sNext[s];
    if (p !== NONE) this.sNext[p] = n;
    else this.binHead[li] = n;
    if (n !== NONE) this.sPrev[n] = p;
    else this.binTail[li] = p;
    this.sInList[s] = 0;
    this.sNext[s] = NONE;
    this.sPrev[s] = NONE;
    this.binListed[cls]--;
  }

  // ---- large ----

  private _allocLarge(cls: number): number {
    const size = CLASS_SIZES[cls];
    const pages = Math.ceil(size / PAGE_SIZE);
    const gp = this.allocPages(pages);
    this.pageOwner[gp] = OWNER_LARGE;
    this.pageClass[gp] = cls;
    this.curregs[cls]++;
    this.nmalloc[cls]++;
    this.allocated += size;
    this.active += pages * PAGE_SIZE;
    return (gp << PAGE_UNIT_BITS) >>> 0;
  }

  private _freeLarge(gp: number): void {
    const cls = this.pageClass[gp];
    if (this.pageOwner[gp] !== OWNER_LARGE) {
      throw new Error(`Free of unknown handle at page ${gp}`);
    }
    const size = CLASS_SIZES[cls];
    const pages = Math.ceil(size / PAGE_SIZE);
    this.pageOwner[gp] = NONE;
    this.freePageRun(gp, pages);
    this.curregs[cls]--;
    this.ndalloc[cls]++;
    this.allocated -= size;
    this.active -= pages * PAGE_SIZE;
  }

  // ---- huge ----

  private _allocHuge(n: number): number {
    const bytes = hugeSize(n);
    const h = this.allocHugeBuffer(bytes);
    this.hugeCount++;
    this.hugeAllocs++;
    this.allocated += bytes;
    this.active += bytes;
    return h;
  }

  /**
   * MEMORY PURGE: give back each bin's current slab when it is empty (kept so far to avoid
   * churn), then every empty chunk. Returns bytes released to the engine.
   */
  override purge(): number {
    for (let cls = 0; cls < NUM_SMALL; cls++) {
      const s = this.binCur[cls];
      if (s !== NONE && this.sNfree[s] === SLAB_REGIONS[cls]) {
        this.binCur[cls] = NONE;
        this._releaseSlab(s);
      }
    }
    return super.purge();
  }

  // ---- defragmentation support ----

  /**
   * True when the allocation sits in a slab used less than its bin's average and is not the
   * bin's current slab: moving it (alloc + copy + free) tends to empty sparse slabs.
   */
  defragHint(h: number): boolean {
    if (this.isHuge(h)) return false;
    const s = this.pageOwner[h >>> PAGE_UNIT_BITS];
    if (s < 0) return false;
    const cls = this.sCls[s];
    if (s === this.binCur[cls]) return false;
    const regs = SLAB_REGIONS[cls];
    const used = regs - this.sNfree[s];
    // slab usage < bin average  <=>  used * curslabs < curregs
    return used * this.curslabs[cls] < this.curregs[cls];
  }

  /** Move an allocation to a new place (same size); returns the new handle. */
  move(h: number): number {
    const size = this.usableSize(h);
    const nh = this.alloc(size);
    copyBytes(
      this.u8[h >>> OFF_BITS],
      (h & OFF_MASK) << UNIT_SHIFT,
      this.u8[nh >>> OFF_BITS],
      (nh & OFF_MASK) << UNIT_SHIFT,
      size,
    );
    this.free(h);
    return nh;
  }

  // ---- statistics ----

  classStats(): ClassStats[] {
    const out: ClassStats[] = [];
    for (let c = 0; c < NUM_CLASSES; c++) {
      out.push({
        size: CLASS_SIZES[c],
        curregs: this.curregs[c],
        curslabs: c < NUM_SMALL ? this.curslabs[c] : 0,
        nmalloc: this.nmalloc[c],
        ndalloc: this.ndalloc[c],
        regsPerSlab: c < NUM_SMALL ? SLAB_REGIONS[c] : 1,
        pagesPerSlab: c < NUM_SMALL ? SLAB_PAGES[c] : Math.ceil(CLASS_SIZES[c] / PAGE_SIZE),
      });
    }
    return out;
  }
}
