// jemalloc-like size classes (x86_64, 16-byte quantum): 8, then 16..128 in steps of 16, then four
// classes per doubling. Small classes (<= 14 KiB) are carved from slabs; large ones are page runs;
// anything above LARGE_MAX gets its own buffer ("huge"). Depends on nothing.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT; // 4 KiB
export const SMALL_MAX = 14336;
/** Largest size served from page runs inside a chunk; bigger allocations are huge. */
export const LARGE_MAX = 256 * 1024;

/** All class sizes, small then large, ascending. */
export const CLASS_SIZES: number[] = (() => {
  const out = [8, 16, 32, 48, 64, 80, 96, 112, 128];
  let base = 128;
  while (out[out.length - 1] < LARGE_MAX) {
    const step = base / 4;
    for (let i = 1; i <= 4; i++) out.push(base + step * i);
    base *= 2;
  }
  return out;
})();

export const NUM_CLASSES = CLASS_SIZES.length;
/** Index of the first large class (first size above SMALL_MAX). */
export const FIRST_LARGE = CLASS_SIZES.findIndex((s) => s > SMALL_MAX);
export const NUM_SMALL = FIRST_LARGE;

/** Pages per slab for each small class: the fewest pages that the class size divides exactly. */
export const SLAB_PAGES: number[] = CLASS_SIZES.slice(0, NUM_SMALL).map((size) => {
  for (let p = 1; p <= 16; p++) if ((p * PAGE_SIZE) % size === 0) return p;
  return Math.ceil(size / PAGE_SIZE);
});

/** Regions per slab for each small class. */
export const SLAB_REGIONS: number[] = SLAB_PAGES.map((p, i) =>
  Math.floor((p * PAGE_SIZE) / CLASS_SIZES[i])
);

// Lookup table for sizes up to 1024 in 8-byte steps.
const LOOKUP = new Uint8Array(129);
{
  let c = 0;
  for (let i = 0; i <= 128; i++) {
    const size = i * 8;
    while (CLASS_SIZES[c] < size) c++;
    LOOKUP[i] = c;
  }
}

/** Size class index for a request of n bytes (n <= LARGE_MAX). */
export function sizeClass(n: number): number {
  if (n <= 1024) return LOOKUP[(n + 7) >> 3];
  // Four classes per doubling: find the doubling, then the quarter.
  const lg = 31 - Math.clz32(n - 1); // floor(log2(n-1))
  const base = 1 << lg; // base < n <= 2*base
  const step = base >> 2;
  const k = Math.ceil((n - base) / step); // 1..4
  return _classOfBase(lg) + k - 1;
}

// Index of class size base+step (the first class above `base = 2^lg`), for lg >= 7.
const FIRST_ABOVE: number[] = [];
for (let lg = 0; lg < 32; lg++) {
  const base = 2 ** lg;
  FIRST_ABOVE.push(CLASS_SIZES.findIndex((s) => s > base));
}
function _classOfBase(lg: number): number {
  return FIRST_ABOVE[lg];
}

/** Usable size of a huge allocation of n bytes: rounded up to the next page multiple of the
 * four-per-doubling series. */
export function hugeSize(n: number): number {
  const lg = Math.floor(Math.log2(n - 1));
  const base = 2 ** lg;
  const step = base / 4;
  const size = base + step * Math.ceil((n - base) / step);
  return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
}
