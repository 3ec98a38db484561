// Sorted-set skiplist encoding tests: seeded random operations against a sorted array of
// [score, member], ranks and rank lookups, score and lex ranges (open and closed ends), range
// deletions, binary members, equal scores ordered by member bytes, -0/0 and infinities, lazy
// free in steps, dup, and heap statistics back to zero.

import assert from "node:assert/strict";
import { rng, test } from "../_harness.ts";
import { Heap } from "../../src/memory/allocator.ts";
import { OFF_BITS, OFF_MASK } from "../../src/memory/arena.ts";
import { fromLatin1, toLatin1 } from "../../src/protocol/bytes.ts";
import {
  ZLEX_EXCL,
  ZLEX_INCL,
  ZLEX_MAX,
  ZLEX_MIN,
  type ZLexRangeSpec,
  type ZRangeSpec,
  ZSKIPLIST_MAXLEVEL,
  zslAppend,
  zslByRank,
  zslCreate,
  zslDelete,
  zslDeleteNode,
  zslDeleteRangeByLex,
  zslDeleteRangeByRank,
  zslDeleteRangeByScore,
  zslDup,
  zslFind,
  zslFirst,
  zslFirstInLexRange,
  zslFirstInRange,
  zslFree,
  zslFreeSome,
  zslGetScore,
  zslInsert,
  zslLast,
  zslLastInLexRange,
  zslLastInRange,
  zslLength,
  zslLexRangeIsEmpty,
  zslMemUsage,
  zslNewLexRangeSpec,
  zslNewRangeSpec,
  zslNext,
  zslNodeBuf,
  zslNodeMember,
  zslNodeMemberLen,
  zslNodeMemberOff,
  zslNodeScore,
  zslParseLexItem,
  zslPrev,
  zslRandom,
  zslRank,
  zslRankOf,
  zslSeed,
  zslUpdateScore,
  zslValidate,
} from "../../src/encoding/skiplist.ts";

type Item = [number, string];

function cmp(a: Item, b: Item): number {
  if (a[0] < b[0]) return -1;
  if (a[0] > b[0]) return 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** Position of `it` in the sorted model (insertion point when absent). */
function lowerBound(model: Item[], it: Item): number {
  let a = 0;
  let b = model.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (cmp(model[mid], it) < 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

function ins(m: Heap, zs: number, member: string, score: number): number {
  const b = fromLatin1(member);
  return zslInsert(m, zs, b, 0, b.length, score);
}

function del(m: Heap, zs: number, member: string): boolean {
  const b = fromLatin1(member);
  return zslDelete(m, zs, b, 0, b.length);
}

function find(m: Heap, zs: number, member: string): number {
  const b = fromLatin1(member);
  return zslFind(m, zs, b, 0, b.length);
}

function memberOf(m: Heap, node: number): string {
  return toLatin1(zslNodeMember(m, node));
}

function itemOf(m: Heap, node: number): Item {
  return [zslNodeScore(m, node), memberOf(m, node)];
}

/** Whole set walking forward, and checking the backward walk agrees. */
function items(m: Heap, zs: number): Item[] {
  const out: Item[] = [];
  for (let x = zslFirst(m, zs); x !== 0; x = zslNext(m, x)) out.push(itemOf(m, x));
  const back: Item[] = [];
  for (let x = zslLast(m, zs); x !== 0; x = zslPrev(m, x)) back.push(itemOf(m, x));
  assert.deepEqual(back.reverse(), out, "backward walk differs from forward walk");
  return out;
}

function checkValid(m: Heap, zs: number): void {
  const err = zslValidate(m, zs);
  if (err !== null) assert.fail(`skiplist invariant broken: ${err}`);
}

const ALPHABET = ["a", "b", "c", "\0", "\r", "\n", "\xff", "z"];

function randomMember(r: () => number): string {
  const k = r();
  if (k < 0.02) return "";
  const len = k < 0.97 ? 1 + Math.floor(r() * 4) : 60 + Math.floor(r() * 200);
  let s = "";
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

const SCORES = [-Infinity, -2.5, -1, -0, 0, 1, 1.5, 2, 3, 1e300, Infinity];

function randomScore(r: () => number): number {
  return r() < 0.7 ? SCORES[Math.floor(r() * SCORES.length)] : Math.floor(r() * 200) / 4 - 25;
}

function randomRange(r: () => number): ZRangeSpec {
  const spec = zslNewRangeSpec();
  const a = randomScore(r);
  const b = r() < 0.1 ? a : randomScore(r);
  spec.min = r() < 0.85 ? Math.min(a, b) : Math.max(a, b);
  spec.max = spec.min === a ? b : a;
  if (r() < 0.85 && spec.min > spec.max) [spec.min, spec.max] = [spec.max, spec.min];
  spec.minex = r() < 0.4;
  spec.maxex = r() < 0.4;
  return spec;
}

function inScore(v: number, s: ZRangeSpec): boolean {
  return (s.minex ? v > s.min : v >= s.min) && (s.maxex ? v < s.max : v <= s.max);
}

/** A lex spec from "[x" / "(x" / "-" / "+" strings, parsed by zslParseLexItem. */
function lexSpec(min: string, max: string): ZLexRangeSpec {
  const spec = zslNewLexRangeSpec();
  const a = fromLatin1(min);
  const b = fromLatin1(max);
  assert.ok(zslParseLexItem(spec, false, a, 0, a.length), `parse ${min}`);
  assert.ok(zslParseLexItem(spec, true, b, 0, b.length), `parse ${max}`);
  return spec;
}

function randomLexItem(r: () => number): string {
  const k = r();
  if (k < 0.1) return "-";
  if (k < 0.2) return "+";
  return (r() < 0.5 ? "[" : "(") + randomMember(r);
}

function inLex(v: string, min: string, max: string): boolean {
  const lo = min === "-"
    ? true
    : min === "+"
    ? false
    : min[0] === "("
    ? v > min.slice(1)
    : v >= min.slice(1);
  const hi = max === "+"
    ? true
    : max === "-"
    ? false
    : max[0] === "("
    ? v < max.slice(1)
    : v <= max.slice(1);
  return lo && hi;
}

// -- Random operations against the model --

test("skiplist matches a sorted-array model under random insert/delete/update/rank", () => {
  for (const seed of [11, 12, 13]) {
    const r = rng(seed);
    zslSeed(seed);
    const m = new Heap();
    const zs = zslCreate(m);
    const model: Item[] = [];
    const scoreOf = new Map<string, number>();
    for (let op = 0; op < 5000; op++) {
      const k = r();
      const member = k < 0.5 || model.length === 0
        ? randomMember(r)
        : model[Math.floor(r() * model.length)][1];
      const has = scoreOf.has(member);
      if (k < 0.45) {
        const score = randomScore(r);
        if (has) {
          const node = find(m, zs, member);
          zslUpdateScore(m, zs, node, score);
          assert.equal(find(m, zs, member), node, "update keeps the node");
          model.splice(lowerBound(model, [scoreOf.get(member)!, member]), 1);
        } else {
          const node = ins(m, zs, member, score);
          assert.equal(find(m, zs, member), node);
        }
        model.splice(lowerBound(model, [score, member]), 0, [score, member]);
        scoreOf.set(member, score);
      } else if (k < 0.6) {
        assert.equal(del(m, zs, member), has, `delete ${JSON.stringify(member)}`);
        if (has) {
          model.splice(lowerBound(model, [scoreOf.get(member)!, member]), 1);
          scoreOf.delete(member);
        }
      } else if (k < 0.65 && model.length > 0) {
        // pop from either end, as ZPOPMIN / ZPOPMAX do
        const node = r() < 0.5 ? zslFirst(m, zs) : zslLast(m, zs);
        const [s, mem] = itemOf(m, node);
        zslDeleteNode(m, zs, node);
        const i = lowerBound(model, [s, mem]);
        assert.ok(i === 0 || i === model.length - 1);
        model.splice(i, 1);
        scoreOf.delete(mem);
      } else if (k < 0.8) {
        const b = fromLatin1(member);
        const want = has ? lowerBound(model, [scoreOf.get(member)!, member]) : -1;
        assert.equal(zslRankOf(m, zs, b, 0, b.length), want, "rank");
        assert.equal(
          zslRankOf(m, zs, b, 0, b.length, true),
          has ? model.length - 1 - want : -1,
          "reverse rank",
        );
        const sc = zslGetScore(m, zs, b, 0, b.length);
        if (has) assert.ok(Object.is(sc, scoreOf.get(member)), "score keeps -0 exactly");
        else assert.ok(Number.isNaN(sc));
      } else {
        const i = Math.floor(r() * (model.length + 2)) - 1;
        const node = zslByRank(m, zs, i);
        if (i < 0 || i >= model.length) assert.equal(node, 0);
        else {
          assert.deepEqual(itemOf(m, node), model[i]);
          assert.equal(zslRank(m, zs, node), i);
        }
      }
      assert.equal(zslLength(m, zs), model.length);
      if (op % 250 === 0) {
        checkValid(m, zs);
        assert.deepEqual(items(m, zs), model);
      }
    }
    checkValid(m, zs);
    assert.deepEqual(items(m, zs), model);
    zslFree(m, zs);
    assert.equal(m.allocated, 0, "heap allocated returns to zero");
  }
});

// -- Ordering --

test("equal scores order by member bytes; -0 equals 0; infinities sort at the ends", () => {
  const m = new Heap();
  const zs = zslCreate(m);
  const entries: Item[] = [
    [0, "b"],
    [-0, "a"],
    [0, "a\0"],
    [0, ""],
    [0, "\xff"],
    [0, "a\r\n"],
    [Infinity, "x"],
    [-Infinity, "y"],
    [Infinity, "w"],
    [-Infinity, "\0"],
    [-1e-300, "n"],
    [5e-324, "p"],
  ];
  for (const [s, mem] of entries) ins(m, zs, mem, s);
  assert.deepEqual(items(m, zs).map((it) => it[1]), [
    "\0",
    "y",
    "n",
    "",
    "a",
    "a\0",
    "a\r\n",
    "b",
    "\xff",
    "p",
    "w",
    "x",
  ]);
  assert.ok(Object.is(zslNodeScore(m, find(m, zs, "a")), -0), "-0 is stored as given");
  // -0 and 0 are one score: a range [0, 0] holds all six zero entries
  const spec = zslNewRangeSpec();
  spec.min = -0;
  spec.max = 0;
  assert.equal(memberOf(m, zslFirstInRange(m, zs, spec)), "");
  assert.equal(memberOf(m, zslLastInRange(m, zs, spec)), "\xff");
  assert.equal(zslDeleteRangeByScore(m, zs, spec), 6);
  checkValid(m, zs);
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});

test("binary members with NUL, CR/LF and the empty member are distinct and found", () => {
  const m = new Heap();
  const zs = zslCreate(m);
  const members = ["", "\0", "\0\0", "\r\n", "a\r\nb", "\xff\xfe", "a".repeat(1000)];
  members.forEach((mem, i) => ins(m, zs, mem, i % 2));
  members.forEach((mem, i) => {
    const b = fromLatin1(mem);
    assert.equal(zslGetScore(m, zs, b, 0, b.length), i % 2);
    const node = find(m, zs, mem);
    assert.equal(zslNodeMemberLen(m, node), mem.length);
    // the member can be read in place, without a copy
    const buf = zslNodeBuf(m, node);
    const off = zslNodeMemberOff(node);
    assert.equal(toLatin1(buf, off, mem.length), mem);
  });
  assert.equal(find(m, zs, "\0\0\0"), 0);
  checkValid(m, zs);
  for (const mem of members) assert.ok(del(m, zs, mem));
  assert.equal(zslLength(m, zs), 0);
  checkValid(m, zs);
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});

test("zslUpdateScore rewrites in place between its neighbours and moves otherwise", () => {
  const m = new Heap();
  const zs = zslCreate(m);
  for (let i = 0; i < 10; i++) ins(m, zs, `m${i}`, i * 10);
  const node = find(m, zs, "m5");
  zslUpdateScore(m, zs, node, 55); // still between 40 and 60
  assert.equal(zslRank(m, zs, node), 5);
  zslUpdateScore(m, zs, node, 60); // ties m6: m5 < m6 by bytes, so it stays at rank 5
  assert.equal(zslRank(m, zs, node), 5);
  zslUpdateScore(m, zs, node, 61);
  assert.equal(zslRank(m, zs, node), 6);
  zslUpdateScore(m, zs, node, -Infinity);
  assert.equal(zslFirst(m, zs), node);
  zslUpdateScore(m, zs, node, Infinity);
  assert.equal(zslLast(m, zs), node);
  assert.equal(zslRank(m, zs, node, true), 0);
  checkValid(m, zs);
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});

// -- Ranges --

test("score ranges find the first and last node with open and closed ends", () => {
  for (const seed of [21, 22]) {
    const r = rng(seed);
    zslSeed(seed);
    const m = new Heap();
    const zs = zslCreate(m);
    const model: Item[] = [];
    const used = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const mem = randomMember(r);
      if (used.has(mem)) continue;
      used.add(mem);
      const s = randomScore(r);
      ins(m, zs, mem, s);
      model.splice(lowerBound(model, [s, mem]), 0, [s, mem]);
    }
    for (let q = 0; q < 3000; q++) {
      const spec = randomRange(r);
      const inRange = model.filter((it) => inScore(it[0], spec));
      const first = zslFirstInRange(m, zs, spec);
      const last = zslLastInRange(m, zs, spec);
      const what = `[${spec.minex ? "(" : ""}${spec.min}, ${spec.maxex ? "(" : ""}${spec.max}]`;
      if (inRange.length === 0) {
        assert.equal(first, 0, `first of empty ${what}`);
        assert.equal(last, 0, `last of empty ${what}`);
        continue;
      }
      assert.deepEqual(itemOf(m, first), inRange[0], `first in ${what}`);
      assert.deepEqual(itemOf(m, last), inRange[inRange.length - 1], `last in ${what}`);
      // ZCOUNT the Redis way: rank(last) - rank(first) + 1
      assert.equal(zslRank(m, zs, last) - zslRank(m, zs, first) + 1, inRange.length);
    }
    zslFree(m, zs);
    assert.equal(m.allocated, 0);
  }
});

test("lex ranges over equal scores with [ ( - + bounds", () => {
  const r = rng(31);
  zslSeed(31);
  const m = new Heap();
  const zs = zslCreate(m);
  const members = new Set<string>();
  while (members.size < 300) members.add(randomMember(r));
  const sorted = [...members].sort();
  for (const mem of members) ins(m, zs, mem, 7);
  for (let q = 0; q < 3000; q++) {
    const min = randomLexItem(r);
    const max = randomLexItem(r);
    const spec = lexSpec(min, max);
    const want = sorted.filter((v) => inLex(v, min, max));
    const first = zslFirstInLexRange(m, zs, spec);
    const last = zslLastInLexRange(m, zs, spec);
    const what = `${JSON.stringify(min)} ${JSON.stringify(max)}`;
    if (want.length === 0) {
      assert.equal(first, 0, `first of empty ${what}`);
      assert.equal(last, 0, `last of empty ${what}`);
    } else {
      assert.equal(memberOf(m, first), want[0], `first in ${what}`);
      assert.equal(memberOf(m, last), want[want.length - 1], `last in ${what}`);
      assert.equal(zslRank(m, zs, last) - zslRank(m, zs, first) + 1, want.length);
    }
  }
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});

test("zslParseLexItem accepts only [x (x - + and empty-range checks follow Redis", () => {
  const spec = zslNewLexRangeSpec();
  const parse = (s: string, isMax = false) => {
    const b = fromLatin1(s);
    return zslParseLexItem(spec, isMax, b, 0, b.length);
  };
  for (const bad of ["", "a", "-a", "+a", "--", "{a", "1"]) assert.equal(parse(bad), false, bad);
  assert.ok(parse("["));
  assert.equal(spec.minKind, ZLEX_INCL);
  assert.equal(spec.minLen, 0);
  assert.ok(parse("(ab", true));
  assert.equal(spec.maxKind, ZLEX_EXCL);
  assert.equal(toLatin1(spec.maxBuf, spec.maxOff, spec.maxLen), "ab");
  assert.ok(parse("-"));
  assert.equal(spec.minKind, ZLEX_MIN);
  assert.ok(parse("+", true));
  assert.equal(spec.maxKind, ZLEX_MAX);
  const empty = (a: string, b: string) => zslLexRangeIsEmpty(lexSpec(a, b));
  assert.equal(empty("-", "+"), false);
  assert.equal(empty("-", "-"), true);
  assert.equal(empty("+", "+"), true);
  assert.equal(empty("+", "-"), true);
  assert.equal(empty("[a", "[a"), false);
  assert.equal(empty("(a", "[a"), true);
  assert.equal(empty("[a", "(a"), true);
  assert.equal(empty("[b", "[a"), true);
  assert.equal(empty("+", "[a"), true);
  assert.equal(empty("[a", "-"), true);
});

// -- Range deletions --

test("range deletions by score, lex and rank match the model", () => {
  for (const seed of [41, 42, 43]) {
    const r = rng(seed);
    zslSeed(seed);
    const m = new Heap();
    const zs = zslCreate(m);
    let model: Item[] = [];
    const lexOnly = seed === 43; // equal scores, so lex deletions are meaningful
    for (let round = 0; round < 300; round++) {
      // refill
      while (model.length < 150) {
        const mem = randomMember(r);
        if (model.some((it) => it[1] === mem)) continue;
        const s = lexOnly ? 1 : randomScore(r);
        ins(m, zs, mem, s);
        model.splice(lowerBound(model, [s, mem]), 0, [s, mem]);
      }
      const k = r();
      let removed: number;
      let keep: Item[];
      if (lexOnly || k < 0.33) {
        if (lexOnly) {
          const min = randomLexItem(r);
          const max = randomLexItem(r);
          removed = zslDeleteRangeByLex(m, zs, lexSpec(min, max));
          keep = model.filter((it) => !inLex(it[1], min, max));
        } else {
          const spec = randomRange(r);
          removed = zslDeleteRangeByScore(m, zs, spec);
          keep = model.filter((it) => !inScore(it[0], spec));
        }
      } else if (k < 0.66) {
        const spec = randomRange(r);
        removed = zslDeleteRangeByScore(m, zs, spec);
        keep = model.filter((it) => !inScore(it[0], spec));
      } else {
        const a = Math.floor(r() * (model.length + 10)) - 5;
        const b = a + Math.floor(r() * 40) - 5;
        removed = zslDeleteRangeByRank(m, zs, a, b);
        const lo = Math.max(0, a);
        const hi = Math.min(model.length - 1, b);
        keep = model.filter((_, i) => i < lo || i > hi);
      }
      assert.equal(removed, model.length - keep.length, `removed count in round ${round}`);
      model = keep;
      assert.equal(zslLength(m, zs), model.length);
      if (round % 20 === 0) {
        checkValid(m, zs);
        assert.deepEqual(items(m, zs), model);
        for (const [, mem] of model.slice(0, 10)) assert.notEqual(find(m, zs, mem), 0);
      }
    }
    checkValid(m, zs);
    assert.deepEqual(items(m, zs), model);
    // what was deleted is gone from the dict too
    assert.equal(zslDeleteRangeByRank(m, zs, 0, model.length - 1), model.length);
    for (const [, mem] of model) assert.equal(find(m, zs, mem), 0);
    checkValid(m, zs);
    zslFree(m, zs);
    assert.equal(m.allocated, 0);
  }
});

// -- Whole-structure operations --

test("zslFreeSome frees in steps and leaves the heap empty", () => {
  const m = new Heap();
  const zs = zslCreate(m);
  for (let i = 0; i < 5000; i++) ins(m, zs, `member:${i}`, i % 37);
  // drive the dict into a rehash so the steps run over two tables
  for (let i = 0; i < 4000; i++) del(m, zs, `member:${i}`);
  for (let i = 0; i < 2000; i++) ins(m, zs, `again:${i}`, -i);
  let steps = 0;
  while (!zslFreeSome(m, zs, 100)) steps++;
  assert.ok(steps >= 25, `expected many steps, got ${steps}`);
  assert.equal(m.allocated, 0);
});

test("zslDup copies every member and score; both free back to zero", () => {
  zslSeed(5);
  const m = new Heap();
  const zs = zslCreate(m);
  const r = rng(5);
  for (let i = 0; i < 2000; i++) ins(m, zs, randomMember(r) + i, randomScore(r));
  const copy = zslDup(m, zs);
  checkValid(m, copy);
  assert.deepEqual(items(m, copy), items(m, zs));
  assert.equal(zslMemUsage(m, copy) > 2000 * 40, true);
  // the copy is independent
  zslDeleteRangeByRank(m, zs, 0, 999);
  assert.equal(zslLength(m, copy), 2000);
  zslFree(m, zs);
  checkValid(m, copy);
  zslFree(m, copy);
  assert.equal(m.allocated, 0);
});

test("zslAppend builds a valid set from sorted input", () => {
  const m = new Heap();
  const zs = zslCreate(m);
  const model: Item[] = [];
  for (let i = 0; i < 3000; i++) {
    const it: Item = [Math.floor(i / 3), `m${String(i).padStart(5, "0")}`];
    const b = fromLatin1(it[1]);
    zslAppend(m, zs, b, 0, b.length, it[0]);
    model.push(it);
  }
  checkValid(m, zs);
  assert.deepEqual(items(m, zs), model);
  assert.equal(zslRank(m, zs, find(m, zs, "m02999"), true), 0);
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});

test("zslMemUsage counts header, dict and nodes; sampling scales to the length", () => {
  zslSeed(3);
  const m = new Heap();
  const zs = zslCreate(m);
  const empty = zslMemUsage(m, zs);
  assert.equal(empty, m.allocated, "an empty set's usage is all that is allocated");
  for (let i = 0; i < 1000; i++) ins(m, zs, `k${i}`.padEnd(10, "x"), i);
  assert.equal(zslMemUsage(m, zs), m.allocated, "full count equals the allocator's view");
  const sampled = zslMemUsage(m, zs, 5);
  assert.ok(Math.abs(sampled - m.allocated) / m.allocated < 0.3, `sampled ${sampled}`);
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});

test("zslRandom returns every member over many draws and 0 when empty", () => {
  const m = new Heap();
  const zs = zslCreate(m);
  assert.equal(zslRandom(m, zs), 0);
  for (let i = 0; i < 20; i++) ins(m, zs, `e${i}`, i % 4);
  const counts = new Map<string, number>();
  for (let i = 0; i < 4000; i++) {
    const mem = memberOf(m, zslRandom(m, zs));
    counts.set(mem, (counts.get(mem) ?? 0) + 1);
  }
  assert.equal(counts.size, 20);
  for (const [mem, n] of counts) assert.ok(n > 100 && n < 320, `${mem} drawn ${n} times`);
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});

test("levels stay within 32 and follow p = 1/4", () => {
  zslSeed(77);
  const m = new Heap();
  const zs = zslCreate(m);
  const n = 40000;
  for (let i = 0; i < n; i++) ins(m, zs, `x${i}`, i);
  checkValid(m, zs);
  let sum = 0;
  for (let x = zslFirst(m, zs); x !== 0; x = zslNext(m, x)) {
    const h = m.u32[x >>> OFF_BITS][((x & OFF_MASK) << 1) + 3]; // node word 3: height
    assert.ok(h >= 1 && h <= ZSKIPLIST_MAXLEVEL);
    sum += h;
  }
  // mean height of a geometric(3/4) level is 4/3
  const mean = sum / n;
  assert.ok(Math.abs(mean - 4 / 3) < 0.03, `mean level ${mean}`);
  zslFree(m, zs);
  assert.equal(m.allocated, 0);
});
