// Micro benchmark of the arena allocator (src/memory/allocator.ts): alloc/free of a mix of sizes
// like a keyspace's (mostly small entries, some listpacks and hash tables, a few large values),
// freed in LIFO and in random order, plus realloc growth as an appending string does.
//   bun bench/allocator_bench.ts [name-regex]
//   deno run -A bench/allocator_bench.ts [name-regex]

import { bench, do_not_optimize, group } from "mitata";
import { Heap } from "../src/memory/allocator.ts";
import { prng, runBenches } from "./_common.ts";

const BATCH = 1024;
const rnd = prng(42);

/**
 * 80% small entries (16-128 B), 15% medium (129 B-4 KiB), 5% large (4-64 KiB). Huge sizes (own
 * buffer per allocation) are timed on their own: a few of them would dominate the batch.
 */
function mixedSize(): number {
  const p = rnd();
  if (p < 0.80) return 16 + Math.floor(rnd() * 113);
  if (p < 0.95) return 129 + Math.floor(rnd() * 3968);
  return 4097 + Math.floor(rnd() * 61440);
}

const SIZES = Array.from({ length: BATCH }, mixedSize);
const SMALL = Array.from({ length: BATCH }, () => 16 + Math.floor(rnd() * 113));
// A fixed random permutation for out-of-order frees.
const ORDER = Array.from({ length: BATCH }, (_, i) => i);
for (let i = BATCH - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [ORDER[i], ORDER[j]] = [ORDER[j], ORDER[i]];
}

const heap = new Heap();
const handles = new Array<number>(BATCH).fill(0);

// A resident population, so slabs are partly full as in a live server.
const resident: number[] = [];
for (let i = 0; i < 100_000; i++) resident.push(heap.alloc(SMALL[i & (BATCH - 1)]));
for (let i = 0; i < resident.length; i += 3) heap.free(resident[i]);

function allocBatch(sizes: readonly number[]): void {
  for (let i = 0; i < BATCH; i++) handles[i] = heap.alloc(sizes[i]);
}

group(`${BATCH} allocations per iteration`, () => {
  bench("small 16-128 B: alloc all, free LIFO", () => {
    allocBatch(SMALL);
    for (let i = BATCH - 1; i >= 0; i--) heap.free(handles[i]);
    return do_not_optimize(heap.allocated);
  });
  bench("small 16-128 B: alloc all, free random order", () => {
    allocBatch(SMALL);
    for (let i = 0; i < BATCH; i++) heap.free(handles[ORDER[i]]);
    return do_not_optimize(heap.allocated);
  });
  bench("mixed sizes: alloc all, free LIFO", () => {
    allocBatch(SIZES);
    for (let i = BATCH - 1; i >= 0; i--) heap.free(handles[i]);
    return do_not_optimize(heap.allocated);
  });
  bench("mixed sizes: alloc all, free random order", () => {
    allocBatch(SIZES);
    for (let i = 0; i < BATCH; i++) heap.free(handles[ORDER[i]]);
    return do_not_optimize(heap.allocated);
  });
  bench("mixed sizes: alloc/free interleaved", () => {
    let prev = 0;
    for (let i = 0; i < BATCH; i++) {
      const h = heap.alloc(SIZES[i]);
      if (prev !== 0) heap.free(prev);
      prev = h;
    }
    heap.free(prev);
    return do_not_optimize(heap.allocated);
  });
});

group("single operations", () => {
  let k = 0;
  bench("alloc+free 48 B", () => heap.free(heap.alloc(48)));
  bench("alloc+free 3000 B", () => heap.free(heap.alloc(3000)));
  bench("alloc+free 40 KiB", () => heap.free(heap.alloc(40 * 1024)));
  bench("alloc+free 1.5 MiB (huge)", () => heap.free(heap.alloc(1536 * 1024)));
  bench("usableSize", () => do_not_optimize(heap.usableSize(resident[1 + (k++ % 60000)])));
  bench("realloc growth 16 B -> 64 KiB (doubling)", () => {
    let h = heap.alloc(16);
    for (let n = 32; n <= 64 * 1024; n *= 2) h = heap.realloc(h, n);
    heap.free(h);
    return do_not_optimize(h);
  });
});

await runBenches();
