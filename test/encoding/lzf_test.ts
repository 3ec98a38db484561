// LZF tests: seeded round trips over data of every compressibility, the output-capacity contract
// (0 when it does not fit, never a byte past the capacity), corrupt input, and a stream that
// real Redis 7.0.15 compressed (DUMP of a string value).

import assert from "node:assert/strict";
import { rng, test } from "../_harness.ts";
import { lzfCompress, lzfDecompress } from "../../src/encoding/lzf.ts";

function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Test data: kind 0 random bytes, 1 runs, 2 words from a small vocabulary, 3 mixed. */
function makeData(r: () => number, len: number, kind: number): Uint8Array {
  const out = new Uint8Array(len);
  if (kind === 0) {
    for (let i = 0; i < len; i++) out[i] = Math.floor(r() * 256);
  } else if (kind === 1) {
    let i = 0;
    while (i < len) {
      const b = Math.floor(r() * 4);
      const run = 1 + Math.floor(r() * 600);
      for (let j = 0; j < run && i < len; j++) out[i++] = b;
    }
  } else if (kind === 2) {
    const words = ["item", "foo", "bar", "listpack", "quicklist", "\0\r\n", "12345"];
    let i = 0;
    while (i < len) {
      const w = words[Math.floor(r() * words.length)];
      for (let j = 0; j < w.length && i < len; j++) out[i++] = w.charCodeAt(j);
    }
  } else {
    for (let i = 0; i < len; i++) {
      out[i] = r() < 0.7 && i > 9000 ? out[i - 9000 + Math.floor(r() * 3)] : Math.floor(r() * 256);
    }
  }
  return out;
}

function roundTrip(src: Uint8Array): number {
  const cap = src.length + (src.length >> 4) + 64;
  const comp = new Uint8Array(cap + 16).fill(0xaa);
  const clen = lzfCompress(src, 0, src.length, comp, 8, cap);
  assert.ok(clen > 0, `compression of ${src.length} bytes failed`);
  for (let i = 0; i < 8; i++) assert.equal(comp[i], 0xaa, "wrote before the output start");
  for (let i = 8 + cap; i < comp.length; i++) assert.equal(comp[i], 0xaa, "wrote past capacity");
  const out = new Uint8Array(src.length + 10);
  const dlen = lzfDecompress(comp, 8, clen, out, 5, src.length);
  assert.equal(dlen, src.length);
  assert.deepEqual(out.subarray(5, 5 + dlen), src);
  return clen;
}

test("lzfCompress/lzfDecompress round-trip seeded data of every kind and size", () => {
  const r = rng(11);
  const sizes = [1, 2, 3, 4, 5, 31, 32, 33, 64, 100, 263, 264, 265, 1000, 8191, 8192, 8193, 20000];
  for (let k = 0; k < 4; k++) {
    for (const n of sizes) roundTrip(makeData(r, n, k));
    for (let i = 0; i < 40; i++) roundTrip(makeData(r, 1 + Math.floor(r() * 70000), k));
  }
});

test("lzfCompress shrinks repetitive data a lot", () => {
  const src = new Uint8Array(65536).fill(7);
  const clen = roundTrip(src);
  assert.ok(clen < 800, `65536 equal bytes took ${clen} bytes`);
  const words = makeData(rng(3), 8000, 2);
  assert.ok(roundTrip(words) < 4000);
});

test("lzfCompress returns 0 when the output does not fit and never writes past it", () => {
  const r = rng(5);
  for (let i = 0; i < 200; i++) {
    const src = makeData(r, 1 + Math.floor(r() * 3000), Math.floor(r() * 4));
    const full = new Uint8Array(src.length * 2 + 64);
    const need = lzfCompress(src, 0, src.length, full, 0, full.length);
    assert.ok(need > 0);
    const cap = Math.floor(r() * need);
    const out = new Uint8Array(cap + 32).fill(0x55);
    assert.equal(lzfCompress(src, 0, src.length, out, 0, cap), 0);
    for (let j = cap; j < out.length; j++) assert.equal(out[j], 0x55);
    // exactly the needed capacity works
    const exact = new Uint8Array(need);
    assert.equal(lzfCompress(src, 0, src.length, exact, 0, need), need);
  }
  assert.equal(lzfCompress(new Uint8Array(4), 0, 0, new Uint8Array(10), 0, 10), 0);
});

test("lzfDecompress rejects corrupt streams and too-small outputs", () => {
  const src = makeData(rng(9), 5000, 2);
  const comp = new Uint8Array(6000);
  const clen = lzfCompress(src, 0, src.length, comp, 0, comp.length);
  const out = new Uint8Array(5000);
  assert.equal(lzfDecompress(comp, 0, clen, out, 0, 4999), 0, "output one byte short");
  // truncated in the middle of a literal run
  assert.equal(lzfDecompress(Uint8Array.of(5, 1, 2), 0, 3, out, 0, 100), 0);
  // back-reference before the start of the output
  assert.equal(lzfDecompress(Uint8Array.of(0, 65, 0x20, 5), 0, 4, out, 0, 100), 0);
  // back-reference with its offset byte missing
  assert.equal(lzfDecompress(Uint8Array.of(0, 65, 0x20), 0, 3, out, 0, 100), 0);
  // a valid overlapping back-reference: "A" then 3 more copies
  assert.equal(lzfDecompress(Uint8Array.of(0, 65, 0x20, 0), 0, 4, out, 0, 100), 4);
  assert.deepEqual(out.subarray(0, 4), Uint8Array.of(65, 65, 65, 65));
});

test("lzfDecompress reads a stream compressed by Redis 7.0.15 (far and long references)", () => {
  // DUMP of SET s <B + "x"*7800 + B + "y"*600>, B[i] = (i*131 + (i*i >> 3)) & 255 for i < 300:
  // 0x00 (string), 0xC3 (LZF), clen 423, ulen 9000, the LZF bytes, then version and CRC.
  const dump = fromHex(
    "00c341a763281f0083068a0e92169b20a52ab036bc42c950d75ee66ef67e079019a22cb640ca551fe06bf6820e" +
      "9a26b340cd5ae876049221b03fce5eee7e0e9f30c152e476089a2d1fc053e67a0ea236cb60f58a20b64ce279" +
      "10a73ed66e069e37d069029c36d06a051fa03bd6720eaa46e3801dba58f69432d1700fae4eee8e2ecf7011b2" +
      "54f6983add1f8023c66a0eb256fba045ea9036dc8229d0771ec66e16be6710b9620cb6600ab51f600bb6620e" +
      "ba6613c06d1ac87624d28130df8e3eee9e4effb06112c47628da8d1f40f3a65a0ec2762be0954a00b66c22d9" +
      "9047feb66e26de975009c27c36f0aa651f20db96520eca864300bd7a38f6b47231f0af6e2eeeae6e2ff0b172" +
      "34f6b87a3d1f00c3864a0ed2965b20e5aa7036fcc2895017dea66e36fec7905922ecb6804a150ce0ab76420e" +
      "daa673400ddaa878e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00" +
      "e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff00e0ff" +
      "00e0ff00e0ff00e086000000ffffa3ff1aa30079e0ff00e0ff00e03c000179790a00915dd8bced7a65ee",
  );
  assert.equal(dump[0], 0);
  assert.equal(dump[1], 0xc3);
  const clen = ((dump[2] & 0x3f) << 8) | dump[3];
  const ulen = ((dump[4] & 0x3f) << 8) | dump[5];
  assert.equal(clen, 423);
  assert.equal(ulen, 9000);
  const B = new Uint8Array(300);
  for (let i = 0; i < 300; i++) B[i] = (i * 131 + ((i * i) >> 3)) & 255;
  const expected = new Uint8Array(9000);
  expected.set(B, 0);
  expected.fill(0x78, 300, 8100);
  expected.set(B, 8100);
  expected.fill(0x79, 8400, 9000);
  const out = new Uint8Array(ulen);
  assert.equal(lzfDecompress(dump, 6, clen, out, 0, ulen), ulen);
  assert.deepEqual(out, expected);
  // and our own compressor's output for the same data decodes back to it too
  roundTrip(expected);
});
