// Intset tests: seeded random add/remove/find against a sorted array, width upgrades at the
// int16/int32/int64 boundaries, exact int64 values beyond 2^53, Redis's byte layout, validation
// of foreign blobs, and heap statistics back to zero.

import assert from "node:assert/strict";
import { rng, test } from "../_harness.ts";
import { Heap } from "../../src/memory/allocator.ts";
import {
  INTSET_ENC_INT16,
  INTSET_ENC_INT32,
  INTSET_ENC_INT64,
  intsetAdd,
  intsetAddBig,
  intsetBlob,
  intsetBlobLen,
  intsetChanged,
  intsetDup,
  intsetEncoding,
  intsetFind,
  intsetFindBig,
  intsetFree,
  intsetGet,
  intsetGetBig,
  intsetGetIsSafe,
  intsetIndexOf,
  intsetLen,
  intsetLoad,
  intsetMax,
  intsetMin,
  intsetNew,
  intsetRandom,
  intsetRandomIndex,
  intsetRemove,
  intsetRemoveAt,
  intsetRemoveBig,
  intsetValidate,
} from "../../src/encoding/intset.ts";

function encFor(v: bigint): number {
  if (v >= -32768n && v <= 32767n) return INTSET_ENC_INT16;
  if (v >= -2147483648n && v <= 2147483647n) return INTSET_ENC_INT32;
  return INTSET_ENC_INT64;
}

/** Insertion position of v in the ascending model, and whether it is there. */
function modelIndex(model: number[], v: number): number {
  let a = 0;
  let b = model.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (model[mid] < v) a = mid + 1;
    else b = mid;
  }
  return a;
}

function contents(m: Heap, is: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < intsetLen(m, is); i++) out.push(intsetGet(m, is, i));
  return out;
}

test("intset matches a sorted array under random add/remove/find", () => {
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    const m = new Heap();
    let is = intsetNew(m);
    const model: number[] = [];
    let maxEnc = INTSET_ENC_INT16;
    const pick = (): number => {
      const k = r();
      const sign = r() < 0.5 ? -1 : 1;
      if (k < 0.5) return sign * Math.floor(r() * 40000); // around the int16 edge
      if (k < 0.8 || seed === 1) return sign * Math.floor(r() * 3e9); // around the int32 edge
      return sign * Math.floor(r() * Number.MAX_SAFE_INTEGER);
    };
    for (let op = 0; op < 6000; op++) {
      const k = r();
      const v = k < 0.3 && model.length > 0 ? model[Math.floor(r() * model.length)] : pick();
      const pos = modelIndex(model, v);
      const present = pos < model.length && model[pos] === v;
      if (k < 0.6) {
        is = intsetAdd(m, is, v);
        assert.equal(intsetChanged(), !present, `add ${v}`);
        if (!present) model.splice(pos, 0, v);
        const e = encFor(BigInt(v));
        if (e > maxEnc) maxEnc = e;
      } else if (k < 0.85) {
        is = intsetRemove(m, is, v);
        assert.equal(intsetChanged(), present, `remove ${v}`);
        if (present) model.splice(pos, 1);
      } else {
        assert.equal(intsetFind(m, is, v), present, `find ${v}`);
        assert.equal(intsetIndexOf(m, is, v), present ? pos : -1);
      }
      assert.equal(intsetLen(m, is), model.length);
      assert.equal(intsetEncoding(m, is), maxEnc, "encoding only ever grows");
      assert.equal(intsetBlobLen(m, is), 8 + maxEnc * model.length);
      if (op % 500 === 0 || op === 5999) assert.deepEqual(contents(m, is), model);
      if (model.length > 0) {
        assert.equal(intsetMin(m, is), model[0]);
        assert.equal(intsetMax(m, is), model[model.length - 1]);
        const i = Math.floor(r() * model.length);
        assert.equal(intsetGet(m, is, i), model[i]);
      }
    }
    assert.ok(intsetValidate(intsetBlob(m, is), 0, intsetBlobLen(m, is), true));
    intsetFree(m, is);
    assert.equal(m.allocated, 0, "heap allocated returns to zero");
  }
});

test("intset widens at the int16, int32 and int64 boundaries and never narrows", () => {
  const m = new Heap();
  let is = intsetNew(m);
  const steps: [number, number][] = [
    [32767, INTSET_ENC_INT16],
    [-32768, INTSET_ENC_INT16],
    [5, INTSET_ENC_INT16],
    [32768, INTSET_ENC_INT32], // appended while widening
    [-32769, INTSET_ENC_INT32],
    [2147483647, INTSET_ENC_INT32],
    [-2147483648, INTSET_ENC_INT32],
    [-2147483649, INTSET_ENC_INT64], // prepended while widening
    [2147483648, INTSET_ENC_INT64],
  ];
  const model: number[] = [];
  for (const [v, enc] of steps) {
    is = intsetAdd(m, is, v);
    model.push(v);
    model.sort((a, b) => a - b);
    assert.equal(intsetEncoding(m, is), enc, `after adding ${v}`);
    assert.deepEqual(contents(m, is), model);
  }
  for (const v of [-2147483649, 2147483648, -32769, 32768, 2147483647, -2147483648]) {
    is = intsetRemove(m, is, v);
    assert.ok(intsetChanged());
  }
  assert.deepEqual(contents(m, is), [-32768, 5, 32767]);
  assert.equal(intsetEncoding(m, is), INTSET_ENC_INT64, "removal keeps the wide encoding");
  // values wider than the encoding are simply absent
  const small = intsetAdd(m, intsetNew(m), 1);
  assert.equal(intsetFind(m, small, 40000), false);
  assert.equal(intsetFind(m, small, -3e9), false);
  assert.equal(intsetRemove(m, small, 3e9), small);
  assert.equal(intsetChanged(), false);
  intsetFree(m, small);
  intsetFree(m, is);
  assert.equal(m.allocated, 0);
});

test("intset upgrade from int16 straight to int64 keeps order on both sides", () => {
  const m = new Heap();
  for (const big of [2n ** 62n, -(2n ** 62n)]) {
    let is = intsetNew(m);
    for (const v of [-3, -1, 0, 7, 300]) is = intsetAdd(m, is, v);
    is = intsetAddBig(m, is, big);
    assert.equal(intsetEncoding(m, is), INTSET_ENC_INT64);
    const got: bigint[] = [];
    for (let i = 0; i < intsetLen(m, is); i++) got.push(intsetGetBig(m, is, i));
    const want = [-3n, -1n, 0n, 7n, 300n, big].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(got, want);
    intsetFree(m, is);
  }
  assert.equal(m.allocated, 0);
});

test("intset keeps int64 values beyond 2^53 exact", () => {
  const r = rng(42);
  const m = new Heap();
  let is = intsetNew(m);
  const edges = [
    9223372036854775807n,
    -9223372036854775808n,
    9223372036854775806n,
    -9223372036854775807n,
    2n ** 53n,
    2n ** 53n + 1n,
    -(2n ** 53n),
    -(2n ** 53n) - 1n,
    2n ** 53n - 1n,
    -(2n ** 53n) + 1n,
    2n ** 32n,
    2n ** 32n - 1n,
    -(2n ** 32n),
    0n,
    -1n,
  ];
  const model = new Set<bigint>();
  for (const v of edges) {
    is = intsetAddBig(m, is, v);
    model.add(v);
  }
  // neighbours that differ only below the precision of a double
  for (let i = 0; i < 2000; i++) {
    const hi = BigInt(Math.floor(r() * 2 ** 31)) * (r() < 0.5 ? -1n : 1n);
    const v = (hi << 32n) + BigInt(Math.floor(r() * 4)) + 2n ** 31n;
    const had = model.has(v);
    if (r() < 0.7) {
      is = intsetAddBig(m, is, v);
      assert.equal(intsetChanged(), !had);
      model.add(v);
    } else {
      is = intsetRemoveBig(m, is, v);
      assert.equal(intsetChanged(), had);
      model.delete(v);
    }
  }
  const want = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.equal(intsetLen(m, is), want.length);
  for (let i = 0; i < want.length; i++) {
    assert.equal(intsetGetBig(m, is, i), want[i]);
    const safe = want[i] >= -(2n ** 53n) + 1n && want[i] <= 2n ** 53n - 1n;
    assert.equal(intsetGetIsSafe(m, is, i), safe, `safety of ${want[i]}`);
    if (safe) assert.equal(intsetGet(m, is, i), Number(want[i]));
    assert.equal(intsetFindBig(m, is, want[i]), true);
    assert.equal(
      intsetFindBig(m, is, want[i] + (want[i] > 0n ? -1n : 1n)),
      model.has(want[i] + (want[i] > 0n ? -1n : 1n)),
    );
  }
  assert.ok(intsetValidate(intsetBlob(m, is), 0, intsetBlobLen(m, is), true));
  assert.throws(() => intsetAdd(m, is, 2 ** 60), RangeError);
  assert.throws(() => intsetFind(m, is, 1.5), RangeError);
  assert.throws(() => intsetAddBig(m, is, 2n ** 63n), RangeError);
  intsetFree(m, is);
  assert.equal(m.allocated, 0);
});

test("intset bytes are Redis's layout: u32 encoding, u32 length, little-endian values", () => {
  const m = new Heap();
  let is = intsetNew(m);
  for (const v of [3, 1, 2]) is = intsetAdd(m, is, v);
  assert.deepEqual([...intsetBlob(m, is)], [2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0]);
  is = intsetAdd(m, is, -70000);
  assert.deepEqual(
    [...intsetBlob(m, is)],
    [4, 0, 0, 0, 4, 0, 0, 0, 0x90, 0xee, 0xfe, 0xff, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0],
  );
  is = intsetAddBig(m, is, -9223372036854775808n);
  const b = intsetBlob(m, is);
  assert.deepEqual([...b.subarray(0, 16)], [8, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]);
  assert.deepEqual([...b.subarray(16, 24)], [0x90, 0xee, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff]);
  intsetFree(m, is);
  assert.equal(m.allocated, 0);
});

test("intsetValidate accepts Redis blobs and rejects corrupt ones", () => {
  const ok16 = new Uint8Array([2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0, 0, 9, 0]);
  assert.equal(intsetValidate(ok16, 0, ok16.length, true), true);
  // at an unaligned offset inside a bigger buffer
  const framed = new Uint8Array(ok16.length + 3);
  framed.set(ok16, 3);
  assert.equal(intsetValidate(framed, 3, ok16.length, true), true);
  const bad = (mut: (b: Uint8Array) => void, deepOnly = false) => {
    const b = ok16.slice();
    mut(b);
    assert.equal(intsetValidate(b, 0, b.length, true), false);
    assert.equal(intsetValidate(b, 0, b.length, false), deepOnly);
  };
  bad((b) => (b[0] = 3)); // unknown encoding
  bad((b) => (b[0] = 16));
  bad((b) => (b[4] = 4)); // length past the end
  bad((b) => (b[4] = 2)); // length short of the size
  bad((b) => (b[11] = 0x80), true); // -1, -32768: out of order
  bad((b) => (b[12] = 0), true); // 0, 0: duplicate
  assert.equal(
    intsetValidate(new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0]), 0, 8, false),
    false,
    "empty",
  );
  assert.equal(intsetValidate(new Uint8Array([2, 0, 0]), 0, 3, false), false, "short header");
  const ok64 = new Uint8Array(24);
  const dv = new DataView(ok64.buffer);
  dv.setUint32(0, 8, true);
  dv.setUint32(4, 2, true);
  dv.setBigInt64(8, -(2n ** 60n), true);
  dv.setBigInt64(16, 2n ** 60n + 1n, true);
  assert.equal(intsetValidate(ok64, 0, 24, true), true);
  dv.setBigInt64(16, -(2n ** 60n) - 1n, true);
  assert.equal(intsetValidate(ok64, 0, 24, true), false);

  const m = new Heap();
  const is = intsetLoad(m, framed, 3, ok16.length);
  assert.deepEqual(contents(m, is), [-1, 0, 9]);
  assert.deepEqual([...intsetBlob(m, is)], [...ok16]);
  intsetFree(m, is);
  assert.equal(m.allocated, 0);
});

test("intset random picks, removal by index and dup", () => {
  const r = rng(9);
  const m = new Heap();
  let is = intsetNew(m);
  const model: number[] = [];
  for (let i = 0; i < 50; i++) {
    is = intsetAdd(m, is, i * 1000 - 20000);
    model.push(i * 1000 - 20000);
  }
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = intsetRandom(m, is);
    assert.ok(model.includes(v));
    seen.add(v);
  }
  assert.equal(seen.size, model.length, "every element gets picked");
  const copy = intsetDup(m, is);
  while (intsetLen(m, is) > 0) {
    const i = r() < 0.5 ? intsetRandomIndex(m, is) : intsetLen(m, is) - 1;
    assert.equal(intsetGet(m, is, i), model[i]);
    is = intsetRemoveAt(m, is, i);
    model.splice(i, 1);
    assert.deepEqual(contents(m, is), model);
  }
  assert.equal(intsetLen(m, copy), 50);
  assert.equal(intsetGet(m, copy, 49), 29000);
  intsetFree(m, copy);
  intsetFree(m, is);
  assert.equal(m.allocated, 0);
});
