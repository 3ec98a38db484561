// Number formatting: "%.17g" exactly as glibc prints it (ties to even on the exact binary value)
// and Redis's d2string (integers within +-2^62 printed as integers). Expected strings come from
// C's printf("%.17g") (checked with Python's % operator, which uses it).

import assert from "node:assert/strict";
import { rng, test } from "../_harness.ts";
import { d2string, fmt17g } from "../../src/protocol/format.ts";

test("fmt17g() matches printf %.17g, ties included", () => {
  const cases: [number, string][] = [
    [-14154129218903.3125, "-14154129218903.312"], // exact tie: printf rounds to even
    [1e18, "1e+18"],
    [0.1, "0.10000000000000001"],
    [1.5, "1.5"],
    [3, "3"],
    [1e-5, "1.0000000000000001e-05"],
    [123456789012345678, "1.2345678901234568e+17"],
    [2.5e-310, "2.5000000000000171e-310"],
    [-0, "-0"],
    [1 / 3, "0.33333333333333331"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
  ];
  for (const [v, want] of cases) assert.equal(fmt17g(v), want, `%.17g of ${v}`);
});

test("d2string() prints integral doubles as integers and the rest as %.17g", () => {
  assert.equal(d2string(1e18), "1000000000000000000");
  assert.equal(d2string(-3), "-3");
  assert.equal(d2string(-0), "-0");
  assert.equal(d2string(2 ** 63), "9.2233720368547758e+18");
  assert.equal(d2string(0.5), "0.5");
  assert.equal(d2string(NaN), "nan");
});

test("fmt17g() round-trips random doubles", () => {
  const r = rng(99);
  const buf = new Float64Array(1);
  const u32 = new Uint32Array(buf.buffer);
  for (let i = 0; i < 20000; i++) {
    u32[0] = (r() * 2 ** 32) >>> 0;
    u32[1] = (r() * 2 ** 32) >>> 0;
    const v = buf[0];
    if (!Number.isFinite(v)) continue;
    assert.equal(Number(fmt17g(v)), v, `round trip of ${v}`);
  }
});
