// Allocator tests: seeded random alloc/free/realloc against a plain JS model. Contents must
// survive, allocations must not overlap, and the statistics must match the live set exactly.

import assert from "node:assert/strict";
import { rng, test } from "../_harness.ts";
import { Heap } from "../../src/memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../../src/memory/arena.ts";
import { CLASS_SIZES, sizeClass, SMALL_MAX } from "../../src/memory/size_classes.ts";

interface Live {
  size: number;
  fill: number;
}

function fill(m: Heap, h: number, size: number, v: number): void {
  const o = (h & OFF_MASK) << 3;
  m.u8[h >>> OFF_BITS].fill(v, o, o + size);
}

function check(m: Heap, h: number, size: number, v: number): void {
  const o = (h & OFF_MASK) << 3;
  const b = m.u8[h >>> OFF_BITS];
  for (let i = 0; i < size; i += Math.max(1, size >> 4)) {
    if (b[o + i] !== v) assert.fail(`allocation ${h} byte ${i} is ${b[o + i]}, expected ${v}`);
  }
  if (b[o + size - 1] !== v) assert.fail(`allocation ${h} last byte changed`);
}

function randomSize(r: () => number): number {
  const k = r();
  if (k < 0.7) return 1 + Math.floor(r() * 200);
  if (k < 0.95) return 1 + Math.floor(r() * SMALL_MAX);
  if (k < 0.995) return SMALL_MAX + Math.floor(r() * 200_000);
  return 300_000 + Math.floor(r() * 2_000_000);
}

test("sizeClass() picks the smallest class that fits", () => {
  for (let n = 1; n <= 262144; n += n < 2048 ? 1 : 97) {
    const c = sizeClass(n);
    assert.ok(CLASS_SIZES[c] >= n, `class for ${n} too small`);
    if (c > 0) assert.ok(CLASS_SIZES[c - 1] < n, `class for ${n} not the smallest`);
  }
});

test("Heap keeps contents and exact statistics under random alloc/free/realloc", () => {
  const r = rng(42);
  const m = new Heap();
  const live = new Map<number, Live>();
  let fillByte = 1;
  for (let step = 0; step < 60_000; step++) {
    const op = r();
    if (op < 0.5 || live.size < 10) {
      const size = randomSize(r);
      const h = m.alloc(size);
      assert.ok(h !== 0);
      assert.ok(!live.has(h), "handle handed out twice");
      assert.ok(m.usableSize(h) >= size);
      const v = (fillByte = (fillByte % 250) + 1);
      fill(m, h, size, v);
      live.set(h, { size, fill: v });
    } else if (op < 0.85) {
      const keys = [...live.keys()];
      const h = keys[Math.floor(r() * keys.length)];
      const l = live.get(h)!;
      check(m, h, l.size, l.fill);
      m.free(h);
      live.delete(h);
    } else {
      const keys = [...live.keys()];
      const h = keys[Math.floor(r() * keys.length)];
      const l = live.get(h)!;
      const size = randomSize(r);
      const nh = m.realloc(h, size);
      check(m, nh, Math.min(size, l.size), l.fill);
      live.delete(h);
      fill(m, nh, size, l.fill);
      live.set(nh, { size, fill: l.fill });
    }
    if (step % 5000 === 0) {
      let sum = 0;
      for (const [h] of live) sum += m.usableSize(h);
      assert.equal(m.allocated, sum, "allocated != sum of usable sizes");
      assert.ok(m.active >= m.allocated);
      assert.ok(m.resident >= m.active - m.hugeBytes);
    }
  }
  for (const [h, l] of live) check(m, h, l.size, l.fill);
  let sum = 0;
  for (const [h] of live) sum += m.usableSize(h);
  assert.equal(m.allocated, sum);
  const perClass = m.classStats();
  let fromClasses = 0;
  for (const c of perClass) fromClasses += c.curregs * c.size;
  assert.equal(fromClasses + m.hugeBytes, m.allocated);
  for (const [h] of live) m.free(h);
  assert.equal(m.allocated, 0);
  m.purge(); // bins keep their current (now empty) slab until purged
  assert.equal(m.active, 0);
  assert.equal(m.hugeBytes, 0);
});

test("Heap gives empty chunks back on purge", () => {
  const m = new Heap();
  const hs: number[] = [];
  for (let i = 0; i < 100_000; i++) hs.push(m.alloc(48));
  const mappedFull = m.mapped;
  for (const h of hs) m.free(h);
  assert.equal(m.allocated, 0);
  m.purge();
  assert.ok(m.mapped < mappedFull / 2, `mapped ${m.mapped} after purge, was ${mappedFull}`);
  assert.equal(m.mapped, 0);
});

test("realloc stays in place within a size class", () => {
  const m = new Heap();
  const h = m.alloc(40); // class 48
  assert.equal(m.realloc(h, 48), h);
  assert.equal(m.realloc(h, 33), h);
  const moved = m.realloc(h, 49);
  assert.notEqual(moved, h);
  assert.equal(m.usableSize(moved), 64);
});

test("defragHint points at sparse slabs and move() packs them", () => {
  const m = new Heap();
  const hs: number[] = [];
  for (let i = 0; i < 20_000; i++) hs.push(m.alloc(64));
  // free 9 of every 10: every slab ends up sparse
  const keep: number[] = [];
  hs.forEach((h, i) => (i % 10 === 0 ? keep.push(h) : m.free(h)));
  const activeBefore = m.active;
  let moved = 0;
  for (let i = 0; i < keep.length; i++) {
    if (m.defragHint(keep[i])) {
      keep[i] = m.move(keep[i]);
      moved++;
    }
  }
  assert.ok(moved > 0);
  assert.ok(m.active < activeBefore, `active ${m.active} not below ${activeBefore}`);
  assert.equal(m.allocated, keep.length * 64);
});
