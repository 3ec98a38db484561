// The stream family over a real socket: XADD (IDs, NOMKSTREAM, trimming), XRANGE/XREVRANGE,
// XLEN, XDEL, XTRIM, XREAD (blocking too), consumer groups (XGROUP, XREADGROUP, XACK, XPENDING,
// XCLAIM, XAUTOCLAIM), XINFO, XSETID, with Redis 7.0's replies (RESP2 and RESP3) and error
// texts, COPY and DEBUG DIGEST-VALUE. Also the arena B+tree and the ID parser directly, the
// tree against a sorted-array model with seeded random operations.

import assert from "node:assert/strict";
import { rng, runtimeName, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { errorOf, type RespClient, RespError, Status } from "../_resp_client.ts";
import { Heap } from "../../src/memory/allocator.ts";
import {
  btCheck,
  btCount,
  BtCursor,
  btDelete,
  btDup,
  btFind,
  btFirst,
  btFree,
  btFreeSome,
  btInsert,
  btLast,
  btNew,
  btNext,
  btPrev,
  btSeekGE,
  btSeekLE,
  btSlot,
  btWords,
} from "../../src/types/stream/btree.ts";
import {
  ID_INVALID,
  ID_OK,
  ID_SEQ_AUTO,
  idDecr,
  idIncr,
  idString,
  parseId,
  StreamID,
} from "../../src/types/stream/id.ts";

const T = `streams (${runtimeName})`;
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** XINFO STREAM as a plain object (RESP2 flat array of pairs). */
async function info(
  r: RespClient,
  key: string,
  ...extra: string[]
): Promise<Record<string, unknown>> {
  const a = (await r.call("XINFO", "STREAM", key, ...extra)) as unknown[];
  const o: Record<string, unknown> = {};
  for (let i = 0; i < a.length; i += 2) o[a[i] as string] = a[i + 1];
  return o;
}

function pairs(a: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < a.length; i += 2) o[a[i] as string] = a[i + 1];
  return o;
}

/** Wait until the server reports n blocked clients. */
async function waitBlocked(r: RespClient, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const text = (await r.call("INFO", "clients")) as string;
    const m = /blocked_clients:(\d+)/.exec(text);
    if (m && Number(m[1]) === n) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`Never saw ${n} blocked clients`);
}

// -- IDs --

test(`${T}: parseId() follows string2ull and the special forms`, () => {
  const id = new StreamID();
  const p = (s: string, max = false, strict = false, auto = false) => {
    const b = enc(s);
    const res = parseId(b, 0, b.length, id, max, strict, auto);
    return res === ID_INVALID ? "invalid" : `${idString(id)}${res === ID_SEQ_AUTO ? " auto" : ""}`;
  };
  assert.equal(p("1-2"), "1-2");
  assert.equal(p("5"), "5-0");
  assert.equal(p("5", true), "5-18446744073709551615");
  assert.equal(p("-"), "0-0");
  assert.equal(p("+"), "18446744073709551615-18446744073709551615");
  assert.equal(p("-", false, true), "invalid");
  assert.equal(p("+", false, true), "invalid");
  assert.equal(
    p("18446744073709551615-18446744073709551615"),
    "18446744073709551615-18446744073709551615",
  );
  assert.equal(p("18446744073709551616"), "invalid");
  assert.equal(p("007-08"), "7-8");
  assert.equal(p(" 1-+2"), "1-2");
  assert.equal(p("-1"), "invalid");
  assert.equal(p("1--1"), "invalid");
  assert.equal(p("1-x"), "invalid");
  assert.equal(p(""), "invalid");
  assert.equal(p("1-"), "invalid");
  assert.equal(p("1 "), "invalid");
  assert.equal(p("1\0junk"), "1-0");
  assert.equal(p("9-*"), "invalid");
  assert.equal(p("9-*", false, true, true), "9-0 auto");
  assert.equal(p("9-**", false, true, true), "invalid");
  assert.equal(p("1".repeat(128)), "invalid");
  const one = enc("1-1");
  assert.equal(parseId(one, 0, one.length, id, false, true, true), ID_OK);
});

test(`${T}: idIncr() and idDecr() carry across the halves and wrap at the ends`, () => {
  const id = new StreamID();
  const b = enc("1-18446744073709551615");
  parseId(b, 0, b.length, id, false, false, false);
  assert.equal(idIncr(id), true);
  assert.equal(idString(id), "2-0");
  assert.equal(idDecr(id), true);
  assert.equal(idString(id), "1-18446744073709551615");
  const z = enc("0-0");
  parseId(z, 0, z.length, id, false, false, false);
  assert.equal(idDecr(id), false);
  assert.equal(idString(id), "18446744073709551615-18446744073709551615");
  assert.equal(idIncr(id), false);
  assert.equal(idString(id), "0-0");
});

// -- B+tree --

type Key = [number, number, number, number];
const cmpKey = (a: Key, b: Key) => {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
};

function randomKey(rand: () => number, dense: boolean): Key {
  if (dense) return [0, Math.floor(rand() * 50), 0, Math.floor(rand() * 100)];
  return [
    [0, 0x7fffffff, 0x80000000, 0xffffffff][Math.floor(rand() * 4)],
    Math.floor(rand() * 0x100000000),
    Math.floor(rand() * 3) === 0 ? 0xffffffff : 0,
    Math.floor(rand() * 0x100000000),
  ];
}

function keysOf(m: Heap, t: number, reverse: boolean): Key[] {
  const c = new BtCursor();
  const out: Key[] = [];
  let ok = reverse ? btLast(m, t, c) : btFirst(m, t, c);
  while (ok) {
    const u = btWords(m, c);
    const w = btSlot(c);
    out.push([u[w], u[w + 1], u[w + 2], u[w + 3]]);
    ok = reverse ? btPrev(m, c) : btNext(m, c);
  }
  return out;
}

for (const vw of [0, 1, 5]) {
  test(`${T}: btree (vw ${vw}) matches a sorted-array model under seeded random operations`, () => {
    const m = new Heap();
    for (const seed of [1, 2, 3]) {
      const rand = rng(seed * 31 + vw);
      const dense = seed === 2;
      const t = btNew(m, vw);
      let model: { k: Key; v: number }[] = [];
      const c = new BtCursor();
      for (let step = 0; step < 6000; step++) {
        const x = rand();
        const k = step < 2000 && seed === 3
          ? [0, step, 0, 0] as Key // an append run first
          : randomKey(rand, dense);
        const at = model.findIndex((e) => cmpKey(e.k, k) >= 0);
        const found = at >= 0 && cmpKey(model[at].k, k) === 0;
        if (x < 0.55) {
          const added = btInsert(m, t, c, k[0], k[1], k[2], k[3]);
          assert.equal(added, !found);
          if (vw > 0) {
            if (added) btWords(m, c)[btSlot(c) + 4] = step;
          }
          if (!found) model.splice(at < 0 ? model.length : at, 0, { k, v: step });
        } else if (x < 0.85) {
          // delete an existing key most of the time
          const target = model.length > 0 && rand() < 0.8
            ? model[Math.floor(rand() * model.length)].k
            : k;
          const i = model.findIndex((e) => cmpKey(e.k, target) === 0);
          assert.equal(btDelete(m, t, target[0], target[1], target[2], target[3]), i >= 0);
          if (i >= 0) model.splice(i, 1);
        } else {
          assert.equal(btFind(m, t, c, k[0], k[1], k[2], k[3]), found);
          if (found && vw > 0) assert.equal(btWords(m, c)[btSlot(c) + 4], model[at].v);
          // seeks
          const ge = model.find((e) => cmpKey(e.k, k) >= 0);
          assert.equal(btSeekGE(m, t, c, k[0], k[1], k[2], k[3]), ge !== undefined);
          if (ge) {
            assert.deepEqual(Array.from(btWords(m, c).subarray(btSlot(c), btSlot(c) + 4)), ge.k);
          }
          const le = [...model].reverse().find((e) => cmpKey(e.k, k) <= 0);
          assert.equal(btSeekLE(m, t, c, k[0], k[1], k[2], k[3]), le !== undefined);
          if (le) {
            assert.deepEqual(Array.from(btWords(m, c).subarray(btSlot(c), btSlot(c) + 4)), le.k);
          }
        }
        if (step % 500 === 0) btCheck(m, t);
      }
      btCheck(m, t);
      assert.equal(btCount(m, t), model.length);
      assert.deepEqual(keysOf(m, t, false), model.map((e) => e.k));
      assert.deepEqual(keysOf(m, t, true), model.map((e) => e.k).reverse());
      const copy = btDup(m, t, null);
      btCheck(m, copy);
      assert.deepEqual(keysOf(m, copy, false), model.map((e) => e.k));
      // drain by deletion in random order, checking as we go
      model = model.sort(() => rand() - 0.5);
      for (let i = 0; i < model.length; i++) {
        const k = model[i].k;
        assert.equal(btDelete(m, t, k[0], k[1], k[2], k[3]), true);
        if (i % 250 === 0) btCheck(m, t);
      }
      btCheck(m, t);
      assert.equal(btCount(m, t), 0);
      btFree(m, t, false);
      // the copy goes piecemeal
      while (!btFreeSome(m, copy, 7, false)) {
        // partial frees keep it consistent enough to continue
      }
    }
    assert.equal(m.allocated, 0);
  });
}

test(`${T}: btree appends pack leaves full and free values with the tree`, () => {
  const m = new Heap();
  const t = btNew(m, 1);
  const c = new BtCursor();
  for (let i = 0; i < 5000; i++) {
    btInsert(m, t, c, 0, i, 0, 0);
    btWords(m, c)[btSlot(c) + 4] = m.alloc(32);
  }
  btCheck(m, t);
  const before = m.allocated;
  // 5000 values of 32 bytes plus about one node per 50 keys
  assert.ok(before - 5000 * 32 < 130 * 1024, `tree overhead ${before - 5000 * 32} bytes`);
  btFree(m, t, true);
  assert.equal(m.allocated, 0);
});

// -- XADD --

test(`${T}: XADD generates increasing IDs and XRANGE returns the entries`, async () => {
  await withServer({}, async ({ r }) => {
    const a = (await r.call("XADD", "s", "*", "item", "1", "value", "a")) as string;
    const b = (await r.call("XADD", "s", "*", "item", "2", "value", "b")) as string;
    const [ams, aseq] = a.split("-").map(BigInt);
    const [bms, bseq] = b.split("-").map(BigInt);
    assert.ok(bms > ams || (bms === ams && bseq > aseq));
    assert.equal(await r.call("XLEN", "s"), 2);
    assert.deepEqual(await r.call("XRANGE", "s", "-", "+"), [
      [a, ["item", "1", "value", "a"]],
      [b, ["item", "2", "value", "b"]],
    ]);
    assert.deepEqual(await r.call("TYPE", "s"), new Status("stream"));
    assert.equal(await r.call("OBJECT", "ENCODING", "s"), "stream");
  });
});

test(`${T}: XADD explicit IDs, ms-* sequences and the ID errors`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("XADD", "s", "123-456", "f", "v"), "123-456");
    assert.equal(await r.call("XADD", "s", "123-*", "f", "v"), "123-457");
    assert.equal(await r.call("XADD", "s", "789-*", "f", "v"), "789-0");
    assert.equal(
      await errorOf(r.call("XADD", "s", "42-*", "f", "v")),
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    assert.equal(
      await errorOf(r.call("XADD", "s", "789-0", "f", "v")),
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    assert.equal(
      await errorOf(r.call("XADD", "t", "0-0", "f", "v")),
      "ERR The ID specified in XADD must be greater than 0-0",
    );
    assert.equal(await r.call("EXISTS", "t"), 0);
    assert.equal(await r.call("XADD", "t", "0-*", "f", "v"), "0-1");
    assert.equal(await errorOf(r.call("XADD", "s", "abc", "f", "v")), INVALID_ID);
    assert.equal(
      await errorOf(r.call("XADD", "s", "*", "f")),
      "ERR wrong number of arguments for 'xadd' command",
    );
    assert.equal(
      await errorOf(r.call("XADD", "s", "*", "f", "v", "g")),
      "ERR wrong number of arguments for 'xadd' command",
    );
    await r.call("XADD", "u", "1-18446744073709551615", "a", "b");
    assert.equal(
      await errorOf(r.call("XADD", "u", "1-*", "c", "d")),
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    await r.call("XADD", "w", "18446744073709551615-18446744073709551615", "a", "b");
    assert.equal(
      await errorOf(r.call("XADD", "w", "*", "c", "d")),
      "ERR The stream has exhausted the last possible ID, unable to add more items",
    );
    // a future ms keeps the sequence going from there
    await r.call("XADD", "x", "2577343934890-18446744073709551615", "f", "v");
    assert.equal(await r.call("XADD", "x", "*", "f2", "v2"), "2577343934891-0");
    await r.call("SET", "str", "v");
    assert.equal(await errorOf(r.call("XADD", "str", "*", "f", "v")), WRONGTYPE);
  });
});

test(`${T}: XADD NOMKSTREAM replies nil and creates nothing`, async () => {
  await withServer({}, async ({ r }) => {
    r.send("XADD", "s", "NOMKSTREAM", "*", "f", "v");
    assert.equal(await r.readLine(), "$-1");
    assert.equal(await r.call("EXISTS", "s"), 0);
    await r.call("XADD", "s", "1-0", "f", "v");
    assert.equal(await r.call("XADD", "s", "NOMKSTREAM", "2-0", "f", "v"), "2-0");
    assert.equal(await r.call("XLEN", "s"), 2);
  });
});

test(`${T}: XADD MAXLEN, MINID and LIMIT trim as Redis does`, async () => {
  await withServer({ "stream-node-max-entries": 10 }, async ({ r }) => {
    for (let i = 1; i <= 100; i++) await r.call("XADD", "s", `${i}-0`, "f", String(i));
    await r.call("XADD", "s", "MAXLEN", "=", "5", "101-0", "f", "101");
    assert.equal(await r.call("XLEN", "s"), 5);
    assert.deepEqual((await r.call("XRANGE", "s", "-", "+", "COUNT", "1")) as unknown[], [["97-0", [
      "f",
      "97",
    ]]]);
    for (let i = 1; i <= 100; i++) await r.call("XADD", "t", `${i}-0`, "f", "v");
    // approximate: only whole nodes of 10 go, at most LIMIT entries
    await r.call("XADD", "t", "MAXLEN", "~", "55", "LIMIT", "30", "101-0", "f", "v");
    assert.equal(await r.call("XLEN", "t"), 71);
    await r.call("XADD", "t", "MAXLEN", "~", "55", "LIMIT", "30", "102-0", "f", "v");
    assert.equal(await r.call("XLEN", "t"), 62);
    await r.call("XADD", "t", "MINID", "90", "103-0", "f", "v");
    assert.equal(await r.call("XLEN", "t"), 14);
    assert.equal(
      await errorOf(r.call("XADD", "t", "MAXLEN", "1", "MINID", "1", "*", "f", "v")),
      "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
    );
    assert.equal(
      await errorOf(r.call("XADD", "t", "MAXLEN", "-1", "*", "f", "v")),
      "ERR The MAXLEN argument must be >= 0.",
    );
    assert.equal(
      await errorOf(r.call("XADD", "t", "MAXLEN", "~", "5", "LIMIT", "-1", "*", "f", "v")),
      "ERR The LIMIT argument must be >= 0.",
    );
    assert.equal(
      await errorOf(r.call("XADD", "t", "LIMIT", "5", "*", "f", "v")),
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    );
    assert.equal(
      await errorOf(r.call("XADD", "t", "MAXLEN", "5", "LIMIT", "5", "*", "f", "v")),
      "ERR syntax error, LIMIT cannot be used without the special ~ option",
    );
    assert.equal(
      await errorOf(r.call("XADD", "t", "MAXLEN", "x", "*", "f", "v")),
      "ERR value is not an integer or out of range",
    );
    // MAXLEN 0 leaves an empty stream key behind
    await r.call("XADD", "e", "MAXLEN", "0", "*", "a", "b");
    assert.equal(await r.call("XLEN", "e"), 0);
    assert.equal(await r.call("EXISTS", "e"), 1);
  });
});

test(`${T}: entries with shared and differing field names round-trip, binary included`, async () => {
  await withServer({ "stream-node-max-entries": 3 }, async ({ r }) => {
    const fields = [
      ["a", "1", "b", "2"],
      ["a", "x", "b", "y"],
      ["a", "", "c", "\r\n"],
      ["b\0c", "-9223372036854775808", "", "12345678901234567890"],
      ["a", "007", "b", " 1"],
      ["a", "3.14", "b", "18446744073709551615"],
    ];
    const ids: string[] = [];
    for (let i = 0; i < fields.length; i++) {
      ids.push((await r.call("XADD", "s", `${i + 1}-${i}`, ...fields[i])) as string);
    }
    const all = (await r.call("XRANGE", "s", "-", "+")) as [string, string[]][];
    assert.deepEqual(all.map((e) => e[1]), fields);
    const rev = (await r.call("XREVRANGE", "s", "+", "-")) as [string, string[]][];
    assert.deepEqual(rev.map((e) => e[0]), ids.slice().reverse());
    assert.equal(pairs((await r.call("XINFO", "STREAM", "s")) as unknown[])["radix-tree-keys"], 2);
  });
});

// -- XRANGE / XREVRANGE / XLEN --

test(`${T}: XRANGE exclusive bounds, COUNT and errors`, async () => {
  await withServer({}, async ({ r }) => {
    const ids = [
      "0-1",
      "0-18446744073709551615",
      "1-0",
      "42-0",
      "42-42",
      "18446744073709551615-18446744073709551614",
      "18446744073709551615-18446744073709551615",
    ];
    for (const id of ids) await r.call("XADD", "v", id, "foo", "bar");
    const len = async (...a: string[]) => ((await r.call("XRANGE", "v", ...a)) as unknown[]).length;
    assert.equal(await len("-", "+"), 7);
    assert.equal(await len("(0-1", "+"), 6);
    assert.equal(await len("-", "(18446744073709551615-18446744073709551615"), 6);
    assert.equal(await len("(0-1", "(1-0"), 1);
    assert.equal(await len("(1-0", "(42-42"), 1);
    assert.equal(await len("42", "42"), 2);
    assert.equal(await len("-", "+", "COUNT", "3"), 3);
    r.send("XRANGE", "v", "-", "+", "COUNT", "-3");
    assert.equal(await r.readLine(), "*-1");
    assert.equal(await errorOf(r.call("XRANGE", "v", "(-", "+")), INVALID_ID);
    assert.equal(await errorOf(r.call("XRANGE", "v", "-", "(+")), INVALID_ID);
    assert.equal(
      await errorOf(r.call("XRANGE", "v", "(18446744073709551615-18446744073709551615", "+")),
      "ERR invalid start ID for the interval",
    );
    assert.equal(
      await errorOf(r.call("XRANGE", "v", "-", "(0-0")),
      "ERR invalid end ID for the interval",
    );
    assert.equal(await errorOf(r.call("XRANGE", "v", "-", "+", "COUNT")), "ERR syntax error");
    assert.equal(
      await errorOf(r.call("XRANGE", "v", "-", "+", "COUNT", "x")),
      "ERR value is not an integer or out of range",
    );
    r.send("XRANGE", "v", "-", "+", "COUNT", "0");
    assert.equal(await r.readLine(), "*-1");
    r.send("XRANGE", "nokey", "-", "+");
    assert.equal(await r.readLine(), "*0");
    assert.deepEqual(await r.call("XREVRANGE", "v", "42-42", "1", "COUNT", "2"), [["42-42", [
      "foo",
      "bar",
    ]], ["42-0", ["foo", "bar"]]]);
    assert.equal(await r.call("XLEN", "nokey"), 0);
    await r.call("SET", "str", "x");
    assert.equal(await errorOf(r.call("XRANGE", "str", "-", "+")), WRONGTYPE);
    assert.equal(await errorOf(r.call("XLEN", "str")), WRONGTYPE);
  });
});

// -- XDEL / XTRIM --

test(`${T}: XDEL removes entries and updates the first and max deleted IDs`, async () => {
  await withServer({}, async ({ r }) => {
    for (let i = 1; i <= 5; i++) await r.call("XADD", "x", `${i}-0`, "data", "a");
    assert.equal(await r.call("XDEL", "x", "2-0", "9-9"), 1);
    let i = await info(r, "x", "FULL");
    assert.equal(i["recorded-first-entry-id"], "1-0");
    assert.equal(i["max-deleted-entry-id"], "2-0");
    assert.equal(await r.call("XDEL", "x", "1-0"), 1);
    i = await info(r, "x", "FULL");
    assert.equal(i["recorded-first-entry-id"], "3-0");
    assert.equal(i["max-deleted-entry-id"], "2-0");
    assert.equal(await errorOf(r.call("XDEL", "x", "3-0", "bad")), INVALID_ID);
    assert.equal(await r.call("XLEN", "x"), 3);
    assert.equal(await r.call("XDEL", "nokey", "bad"), 0);
    await r.call("XTRIM", "x", "MAXLEN", "=", "2");
    i = await info(r, "x", "FULL");
    assert.equal(i["recorded-first-entry-id"], "4-0");
    assert.equal(i["entries-added"], 5);
  });
});

test(`${T}: XDEL of every entry in random order keeps the stream consistent`, async () => {
  await withServer({ "stream-node-max-entries": 7 }, async ({ r }) => {
    const rand = rng(7);
    const ids: string[] = [];
    for (let i = 1; i <= 300; i++) {
      ids.push((await r.call("XADD", "s", `${i}-${i % 3}`, "item", String(i))) as string);
    }
    ids.sort(() => rand() - 0.5);
    let left = ids.length;
    for (const id of ids) {
      assert.equal(await r.call("XDEL", "s", id), 1);
      left--;
      if (left % 37 === 0) {
        assert.equal(((await r.call("XRANGE", "s", "-", "+")) as unknown[]).length, left);
      }
    }
    assert.equal(await r.call("XLEN", "s"), 0);
    const i = await info(r, "s");
    assert.equal(i["radix-tree-keys"], 0);
    assert.equal(i["first-entry"], null);
  });
});

test(`${T}: XTRIM strategies, approximation and errors`, async () => {
  await withServer({ "stream-node-max-entries": 1 }, async ({ r }) => {
    for (let i = 0; i < 102; i++) await r.call("XADD", "s", "*", "xitem", "v");
    assert.equal(await r.call("XTRIM", "s", "MAXLEN", "~", "1"), 100);
    assert.equal(await r.call("XLEN", "s"), 2);
    assert.equal(
      await errorOf(r.call("XTRIM", "s", "MAXLEN", "1", "LIMIT", "30")),
      "ERR syntax error, LIMIT cannot be used without the special ~ option",
    );
    assert.equal(
      await errorOf(r.call("XTRIM", "s", "LIMIT", "30")),
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    );
    assert.equal(await errorOf(r.call("XTRIM", "s", "FOO", "1")), "ERR syntax error");
    assert.equal(await errorOf(r.call("XTRIM", "s", "MAXLEN", "1", "x")), "ERR syntax error");
    assert.equal(await r.call("XTRIM", "nokey", "MAXLEN", "1"), 0);
    assert.equal(await r.call("XTRIM", "s", "MINID", "0"), 0);
  });
  await withServer({ "stream-node-max-entries": 100 }, async ({ r }) => {
    for (let i = 1; i <= 1000; i++) await r.call("XADD", "s", `${i}-0`, "f", "v");
    assert.equal(await r.call("XTRIM", "s", "MAXLEN", "666"), 334);
    assert.equal(await r.call("XTRIM", "s", "MAXLEN", "~", "444"), 166);
    assert.equal(await r.call("XLEN", "s"), 500);
    assert.equal(await r.call("XTRIM", "s", "MINID", "=", "950"), 449);
    assert.deepEqual(await r.call("XRANGE", "s", "-", "+", "COUNT", "1"), [["950-0", ["f", "v"]]]);
  });
});

// -- XREAD --

test(`${T}: XREAD serves streams past the given IDs, and $ and errors`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("XADD", "a", "1-0", "f", "1");
    await r.call("XADD", "a", "2-0", "f", "2");
    await r.call("XADD", "b", "3-0", "g", "3");
    assert.deepEqual(
      await r.call("XREAD", "COUNT", "1", "STREAMS", "nokey", "a", "b", "0", "0", "0"),
      [
        ["a", [["1-0", ["f", "1"]]]],
        ["b", [["3-0", ["g", "3"]]]],
      ],
    );
    assert.deepEqual(await r.call("XREAD", "STREAMS", "a", "1"), [["a", [["2-0", ["f", "2"]]]]]);
    assert.equal(await r.call("XREAD", "STREAMS", "a", "b", "$", "$"), null);
    assert.equal(
      await errorOf(r.call("XREAD", "STREAMS", "a", "b", "0")),
      "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
    );
    assert.equal(
      await errorOf(r.call("XREAD", "STREAMS", "a", ">")),
      "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
    );
    assert.equal(
      await errorOf(r.call("XREAD", "GROUP", "g", "c", "STREAMS", "a", "0")),
      "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
    );
    assert.equal(
      await errorOf(r.call("XREAD", "NOACK", "STREAMS", "a", "0")),
      "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
    );
    assert.equal(
      await errorOf(r.call("XREAD", "BLOCK", "x", "STREAMS", "a", "0")),
      "ERR timeout is not an integer or out of range",
    );
    assert.equal(
      await errorOf(r.call("XREAD", "BLOCK", "-1", "STREAMS", "a", "0")),
      "ERR timeout is negative",
    );
    assert.equal(await errorOf(r.call("XREAD", "STREAMS", "a", "+")), INVALID_ID);
    await r.call("SET", "str", "x");
    assert.equal(await errorOf(r.call("XREAD", "STREAMS", "str", "0")), WRONGTYPE);
    await r.call("HELLO", "3");
    const m = (await r.call("XREAD", "STREAMS", "a", "1")) as Map<unknown, unknown>;
    assert.ok(m instanceof Map);
    assert.deepEqual(m.get("a"), [["2-0", ["f", "2"]]]);
  });
});

test(`${T}: XREAD BLOCK waits for new entries and times out with nil`, async () => {
  await withServer({}, async ({ r, client }) => {
    await r.call("XADD", "s2", "1-0", "old", "x");
    const w = await client();
    w.send("XREAD", "BLOCK", "20000", "STREAMS", "s1", "s2", "s3", "$", "$", "$");
    await waitBlocked(r, 1);
    await r.call("XADD", "s2", "2-0", "new", "y");
    assert.deepEqual(await w.read(), [["s2", [["2-0", ["new", "y"]]]]]);
    // timeout
    w.send("XREAD", "BLOCK", "30", "STREAMS", "s2", "$");
    w.send("PING");
    assert.equal(await w.read(), null);
    assert.deepEqual(await w.read(), new Status("PONG"));
    // a key created later (after XADD + DEL in a transaction) serves the client once
    w.send("XREAD", "BLOCK", "20000", "STREAMS", "k", "$");
    await waitBlocked(r, 1);
    await r.pipeline([["MULTI"], ["XADD", "k", "1-0", "f", "v"], ["DEL", "k"], ["EXEC"]]);
    await r.call("XADD", "k", "5-0", "f", "new");
    assert.deepEqual(await w.read(), [["k", [["5-0", ["f", "new"]]]]]);
    // inside MULTI it does not block
    const res = (await r.pipeline([["MULTI"], ["XREAD", "BLOCK", "0", "STREAMS", "zz", "$"], [
      "EXEC",
    ]])) as unknown[];
    assert.deepEqual(res[2], [null]);
  });
});

test(`${T}: blocked XREAD in RESP3 gets a map, and a stream that ran dry is not served early`, async () => {
  await withServer({}, async ({ r, client }) => {
    const w = await client();
    await w.call("HELLO", "3");
    await r.call("XADD", "s", "666-0", "k", "v");
    await r.call("XDEL", "s", "666-0");
    w.send("XREAD", "BLOCK", "0", "STREAMS", "s", "665");
    await waitBlocked(r, 1);
    assert.equal(
      await errorOf(r.call("XADD", "s", "666-0", "k", "v")),
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
    await r.call("XADD", "s", "667-0", "key", "value");
    const m = (await w.read()) as Map<unknown, unknown>;
    assert.deepEqual([...m.entries()], [["s", [["667-0", ["key", "value"]]]]]);
  });
});

// -- consumer groups --

test(`${T}: XGROUP CREATE, SETID, DESTROY and the consumer subcommands`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("XADD", "s", "1-0", "foo", "bar");
    assert.deepEqual(await r.call("XGROUP", "CREATE", "s", "g", "$"), new Status("OK"));
    assert.equal(
      await errorOf(r.call("XGROUP", "CREATE", "s", "g", "$")),
      "BUSYGROUP Consumer Group name already exists",
    );
    assert.equal(
      await errorOf(r.call("XGROUP", "CREATE", "nokey", "g", "$")),
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
    );
    assert.deepEqual(
      await r.call("XGROUP", "CREATE", "nokey", "g", "$", "MKSTREAM"),
      new Status("OK"),
    );
    assert.equal(await r.call("XLEN", "nokey"), 0);
    assert.equal(
      await errorOf(r.call("XGROUP", "CREATE", "s", "h", "0", "ENTRIESREAD", "-2")),
      "ERR value for ENTRIESREAD must be positive or -1",
    );
    assert.equal(
      await errorOf(r.call("XGROUP", "CREATE", "s", "h", "0", "FOO")),
      "ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.",
    );
    assert.equal(await errorOf(r.call("XGROUP", "CREATE", "s", "h", "+")), INVALID_ID);
    assert.equal(
      await errorOf(r.call("XGROUP", "SETID", "s", "nog", "0")),
      "NOGROUP No such consumer group 'nog' for key name 's'",
    );
    assert.deepEqual(
      await r.call("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0"),
      new Status("OK"),
    );
    assert.equal(await r.call("XGROUP", "CREATECONSUMER", "s", "g", "alice"), 1);
    assert.equal(await r.call("XGROUP", "CREATECONSUMER", "s", "g", "alice"), 0);
    assert.equal(
      await errorOf(r.call("XGROUP", "CREATECONSUMER", "s", "nog", "x")),
      "NOGROUP No such consumer group 'nog' for key name 's'",
    );
    await r.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
    assert.equal(await r.call("XGROUP", "DELCONSUMER", "s", "g", "alice"), 1);
    assert.equal(await r.call("XGROUP", "DELCONSUMER", "s", "g", "alice"), 0);
    assert.deepEqual(await r.call("XPENDING", "s", "g"), [0, null, null, null]);
    assert.equal(await r.call("XGROUP", "DESTROY", "s", "g"), 1);
    assert.equal(await r.call("XGROUP", "DESTROY", "s", "g"), 0);
    assert.equal(
      await errorOf(r.call("XGROUP", "HELP", "x")),
      "ERR wrong number of arguments for 'xgroup|help' command",
    );
    const help = (await r.call("XGROUP", "HELP")) as Status[];
    assert.equal(
      help[0].toString(),
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    );
    await r.call("SET", "str", "x");
    assert.equal(await errorOf(r.call("XGROUP", "CREATE", "str", "g", "$")), WRONGTYPE);
  });
});

test(`${T}: XREADGROUP delivers new entries once, keeps history per consumer, NOACK skips the PEL`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    await r.call("XADD", "s", "1-0", "a", "1");
    await r.call("XADD", "s", "2-0", "b", "2");
    assert.deepEqual(
      await r.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"),
      [["s", [["1-0", ["a", "1"]]]]],
    );
    assert.deepEqual(await r.call("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"), [["s", [[
      "2-0",
      ["b", "2"],
    ]]]]);
    assert.equal(await r.call("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"), null);
    assert.deepEqual(await r.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"), [["s", [[
      "1-0",
      ["a", "1"],
    ]]]]);
    assert.deepEqual(await r.call("XREADGROUP", "GROUP", "g", "nobody", "STREAMS", "s", "0"), [[
      "s",
      [],
    ]]);
    await r.call("XADD", "s", "3-0", "c", "3");
    assert.deepEqual(await r.call("XREADGROUP", "GROUP", "g", "c3", "NOACK", "STREAMS", "s", ">"), [
      ["s", [["3-0", ["c", "3"]]]],
    ]);
    assert.deepEqual(await r.call("XPENDING", "s", "g"), [2, "1-0", "2-0", [["c1", "1"], [
      "c2",
      "1",
    ]]]);
    // history of an entry deleted meanwhile comes back as [id, nil]
    await r.call("XDEL", "s", "1-0");
    assert.deepEqual(await r.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"), [["s", [[
      "1-0",
      null,
    ]]]]);
    assert.equal(
      await errorOf(r.call("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">")),
      "NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option",
    );
    assert.equal(
      await errorOf(r.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$")),
      "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
    );
    assert.equal(
      await errorOf(r.call("XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", "s", ">")),
      "ERR Missing GROUP option for XREADGROUP",
    );
  });
});

test(`${T}: XREADGROUP BLOCK is served by XADD and released by DESTROY, DEL and SET`, async () => {
  await withServer({}, async ({ r, client }) => {
    await r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    const w = await client();
    w.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
    await waitBlocked(r, 1);
    await r.call("XADD", "s", "5-0", "f", "v");
    assert.deepEqual(await w.read(), [["s", [["5-0", ["f", "v"]]]]]);
    assert.deepEqual(
      await r.call("XPENDING", "s", "g", "-", "+", "10", "alice").then((x) =>
        (x as unknown[][]).map((e) => e[0])
      ),
      ["5-0"],
    );

    w.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
    await waitBlocked(r, 1);
    await r.call("XGROUP", "DESTROY", "s", "g");
    const e1 = await w.read();
    assert.ok(e1 instanceof RespError);
    assert.equal(
      e1.message,
      "NOGROUP the consumer group this client was blocked on no longer exists",
    );

    await r.call("XGROUP", "CREATE", "s", "g", "$");
    w.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
    await waitBlocked(r, 1);
    await r.call("DEL", "s");
    const e2 = await w.read();
    assert.ok(e2 instanceof RespError);
    assert.equal(e2.message, "UNBLOCKED the stream key no longer exists");

    await r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    w.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
    await waitBlocked(r, 1);
    await r.call("SET", "s", "x");
    assert.equal(
      ((await w.read()) as RespError).message,
      "UNBLOCKED the stream key no longer exists",
    );

    // BLOCK with an explicit ID serves the history at once
    await r.call("DEL", "s");
    await r.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    assert.deepEqual(
      await w.call("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", "0"),
      [["s", []]],
    );
    // and a timed-out XREADGROUP replies nil
    assert.equal(
      await w.call("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "20", "STREAMS", "s", ">"),
      null,
    );
  });
});

test(`${T}: XACK, XPENDING forms and filters`, async () => {
  await withServer({}, async ({ r }) => {
    for (let i = 1; i <= 4; i++) await r.call("XADD", "s", `${i}-0`, "f", String(i));
    await r.call("XGROUP", "CREATE", "s", "g", "0");
    await r.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">");
    await r.call("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">");
    const ext = (await r.call("XPENDING", "s", "g", "-", "+", "10")) as unknown[][];
    assert.deepEqual(ext.map((e) => [e[0], e[1], e[3]]), [["1-0", "c1", 1], ["2-0", "c1", 1], [
      "3-0",
      "c2",
      1,
    ], ["4-0", "c2", 1]]);
    assert.equal(
      ((await r.call("XPENDING", "s", "g", "(1-0", "(4-0", "10")) as unknown[]).length,
      2,
    );
    assert.equal(
      ((await r.call("XPENDING", "s", "g", "-", "+", "10", "c2")) as unknown[]).length,
      2,
    );
    assert.deepEqual(await r.call("XPENDING", "s", "g", "-", "+", "10", "nobody"), []);
    assert.deepEqual(await r.call("XPENDING", "s", "g", "IDLE", "99999999", "-", "+", "10"), []);
    assert.equal(
      ((await r.call("XPENDING", "s", "g", "IDLE", "0", "-", "+", "10")) as unknown[]).length,
      4,
    );
    assert.equal(await errorOf(r.call("XPENDING", "s", "g", "-", "+")), "ERR syntax error");
    assert.equal(
      await errorOf(r.call("XPENDING", "s", "g", "IDLE", "0", "-", "+")),
      "ERR syntax error",
    );
    assert.equal(
      await errorOf(r.call("XPENDING", "s", "nog")),
      "NOGROUP No such key 's' or consumer group 'nog'",
    );
    assert.equal(await errorOf(r.call("XACK", "s", "g", "1-0", "bad")), INVALID_ID);
    assert.equal(await r.call("XACK", "s", "g", "1-0", "2-0", "9-0"), 2);
    assert.equal(await r.call("XACK", "s", "g", "1-0"), 0);
    assert.equal(await r.call("XACK", "s", "nog", "3-0"), 0);
    assert.equal(await r.call("XACK", "nokey", "g", "3-0"), 0);
    assert.deepEqual(await r.call("XPENDING", "s", "g"), [2, "3-0", "4-0", [["c2", "2"]]]);
  });
});

test(`${T}: XCLAIM moves entries, honours its options and drops deleted entries`, async () => {
  await withServer({}, async ({ r }) => {
    for (let i = 1; i <= 3; i++) await r.call("XADD", "x", `${i}-0`, "f", "v");
    await r.call("XGROUP", "CREATE", "x", "grp", "0");
    await r.call("XREADGROUP", "GROUP", "grp", "Alice", "STREAMS", "x", ">");
    await r.call("XDEL", "x", "2-0");
    assert.deepEqual(await r.call("XCLAIM", "x", "grp", "Bob", "0", "1-0", "2-0", "3-0"), [["1-0", [
      "f",
      "v",
    ]], ["3-0", ["f", "v"]]]);
    assert.deepEqual(await r.call("XPENDING", "x", "grp", "-", "+", "10", "Alice"), []);
    let p = (await r.call("XPENDING", "x", "grp", "-", "+", "10")) as unknown[][];
    assert.deepEqual(p.map((e) => [e[0], e[1], e[3]]), [["1-0", "Bob", 2], ["3-0", "Bob", 2]]);
    assert.deepEqual(await r.call("XCLAIM", "x", "grp", "Carol", "0", "1-0", "JUSTID"), ["1-0"]);
    assert.deepEqual(
      await r.call(
        "XCLAIM",
        "x",
        "grp",
        "Carol",
        "0",
        "3-0",
        "RETRYCOUNT",
        "7",
        "IDLE",
        "5000",
        "JUSTID",
      ),
      ["3-0"],
    );
    p = (await r.call("XPENDING", "x", "grp", "-", "+", "10")) as unknown[][];
    assert.deepEqual(p.map((e) => [e[0], e[1], e[3]]), [["1-0", "Carol", 2], ["3-0", "Carol", 7]]);
    assert.ok((p[1][2] as number) >= 5000);
    // min-idle-time filters, FORCE creates, LASTID advances the group
    assert.deepEqual(await r.call("XCLAIM", "x", "grp", "Dave", "3600000", "1-0"), []);
    await r.call("XADD", "x", "4-0", "f", "v");
    assert.deepEqual(
      await r.call("XCLAIM", "x", "grp", "Dave", "0", "4-0", "FORCE", "LASTID", "4-0", "JUSTID"),
      ["4-0"],
    );
    const g = pairs(((await r.call("XINFO", "GROUPS", "x")) as unknown[][])[0]);
    assert.equal(g["last-delivered-id"], "4-0");
    assert.equal(
      await errorOf(r.call("XCLAIM", "x", "grp", "Dave", "0", "1-0", "FOO")),
      "ERR Unrecognized XCLAIM option 'FOO'",
    );
    assert.equal(
      await errorOf(r.call("XCLAIM", "x", "grp", "Dave", "x", "1-0")),
      "ERR Invalid min-idle-time argument for XCLAIM",
    );
    assert.equal(
      await errorOf(r.call("XCLAIM", "x", "grp", "Dave", "0", "1-0", "IDLE", "x")),
      "ERR Invalid IDLE option argument for XCLAIM",
    );
    assert.equal(
      await errorOf(r.call("XCLAIM", "x", "nog", "Dave", "0", "1-0")),
      "NOGROUP No such key 'x' or consumer group 'nog'",
    );
  });
});

test(`${T}: XAUTOCLAIM iterates the PEL and reports deleted entries`, async () => {
  await withServer({}, async ({ r }) => {
    for (let i = 1; i <= 3; i++) await r.call("XADD", "x", `${i}-0`, "f", "v");
    await r.call("XGROUP", "CREATE", "x", "grp", "0");
    await r.call("XREADGROUP", "GROUP", "grp", "Alice", "STREAMS", "x", ">");
    await r.call("XDEL", "x", "1-0");
    await r.call("XDEL", "x", "2-0");
    assert.deepEqual(await r.call("XAUTOCLAIM", "x", "grp", "Bob", "0", "0-0", "COUNT", "1"), [
      "2-0",
      [],
      ["1-0"],
    ]);
    assert.deepEqual(await r.call("XAUTOCLAIM", "x", "grp", "Bob", "0", "2-0", "COUNT", "1"), [
      "3-0",
      [],
      ["2-0"],
    ]);
    assert.deepEqual(await r.call("XAUTOCLAIM", "x", "grp", "Bob", "0", "3-0", "COUNT", "1"), [
      "0-0",
      [["3-0", ["f", "v"]]],
      [],
    ]);
    assert.deepEqual(await r.call("XAUTOCLAIM", "x", "grp", "Carol", "0", "-", "JUSTID"), ["0-0", [
      "3-0",
    ], []]);
    assert.deepEqual(await r.call("XPENDING", "x", "grp", "-", "+", "10", "Alice"), []);
    assert.equal(
      await errorOf(r.call("XAUTOCLAIM", "x", "grp", "Bob", "0", "0", "COUNT", "0")),
      "ERR COUNT must be > 0",
    );
    assert.equal(
      await errorOf(r.call("XAUTOCLAIM", "x", "grp", "Bob", "0", "0", "COUNT", "8070450532247928833")),
      "ERR COUNT must be > 0",
    );
    assert.equal(
      await errorOf(r.call("XAUTOCLAIM", "x", "grp", "Bob", "0", "0", "FOO")),
      "ERR syntax error",
    );
    assert.equal(
      await errorOf(r.call("XAUTOCLAIM", "x", "nog", "Bob", "0", "0")),
      "NOGROUP No such key 'x' or consumer group 'nog'",
    );
  });
});

test(`${T}: XINFO STREAM, GROUPS and CONSUMERS with entries-read and lag`, async () => {
  await withServer({}, async ({ r }) => {
    for (let i = 1; i <= 5; i++) await r.call("XADD", "x", `${i}-0`, "data", String(i));
    await r.call("XDEL", "x", "3-0");
    await r.call("XGROUP", "CREATE", "x", "g1", "0");
    await r.call("XGROUP", "CREATE", "x", "g2", "0");
    let groups = ((await r.call("XINFO", "GROUPS", "x")) as unknown[][]).map(pairs);
    assert.deepEqual(groups[0], {
      name: "g1",
      consumers: 0,
      pending: 0,
      "last-delivered-id": "0-0",
      "entries-read": null,
      lag: null,
    });
    for (let i = 0; i < 4; i++) {
      await r.call("XREADGROUP", "GROUP", "g1", "c", "COUNT", "1", "STREAMS", "x", ">");
    }
    groups = ((await r.call("XINFO", "GROUPS", "x")) as unknown[][]).map(pairs);
    assert.deepEqual(groups[0], {
      name: "g1",
      consumers: 1,
      pending: 4,
      "last-delivered-id": "5-0",
      "entries-read": 5,
      lag: 0,
    });
    await r.call("XADD", "x", "6-0", "data", "6");
    await r.call("XTRIM", "x", "MINID", "=", "5-0");
    groups = ((await r.call("XINFO", "GROUPS", "x")) as unknown[][]).map(pairs);
    assert.equal(groups[0].lag, 1);
    assert.equal(groups[1]["entries-read"], null);
    assert.equal(groups[1].lag, 2);
    const s = await info(r, "x");
    assert.equal(s.length, 2);
    assert.equal(s["entries-added"], 6);
    assert.equal(s["max-deleted-entry-id"], "3-0");
    assert.equal(s["recorded-first-entry-id"], "5-0");
    assert.equal(s.groups, 2);
    assert.deepEqual(s["first-entry"], ["5-0", ["data", "5"]]);
    assert.deepEqual(s["last-entry"], ["6-0", ["data", "6"]]);
    const full = await info(r, "x", "FULL", "COUNT", "1");
    assert.deepEqual(full.entries, [["5-0", ["data", "5"]]]);
    const g1 = pairs((full.groups as unknown[][])[0]);
    assert.equal(g1["pel-count"], 4);
    assert.equal((g1.pending as unknown[]).length, 1);
    const c = pairs((g1.consumers as unknown[][])[0]);
    assert.equal(c.name, "c");
    assert.equal(c["pel-count"], 4);
    assert.deepEqual((c.pending as unknown[][])[0][0], "1-0");
    const cons = ((await r.call("XINFO", "CONSUMERS", "x", "g1")) as unknown[][]).map(pairs);
    assert.equal(cons[0].name, "c");
    assert.equal(cons[0].pending, 4);
    assert.equal(
      await errorOf(r.call("XINFO", "CONSUMERS", "x", "nog")),
      "NOGROUP No such consumer group 'nog' for key name 'x'",
    );
    assert.equal(await errorOf(r.call("XINFO", "STREAM", "nokey")), "ERR no such key");
    assert.equal(
      await errorOf(r.call("XINFO", "STREAM", "x", "FOO")),
      "ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.",
    );
    assert.equal(
      await errorOf(r.call("XINFO", "HELP", "x")),
      "ERR wrong number of arguments for 'xinfo|help' command",
    );
    await r.call("HELLO", "3");
    const m = (await r.call("XINFO", "STREAM", "x")) as Map<string, unknown>;
    assert.ok(m instanceof Map);
    assert.equal(m.get("length"), 2);
  });
});

test(`${T}: radix-tree figures follow the node layout (stream-node-max-entries)`, async () => {
  await withServer({ "stream-node-max-entries": 1 }, async ({ r }) => {
    for (const id of ["1-0", "2-0", "3-0", "300-0", "301-0", "70000-0"]) {
      await r.call("XADD", "s", id, "f", "v");
    }
    let i = await info(r, "s");
    // the node count Redis 7.0 reports for these six keys
    assert.equal(i["radix-tree-keys"], 6);
    assert.equal(i["radix-tree-nodes"], 17);
    await r.call("XDEL", "s", "2-0");
    i = await info(r, "s");
    assert.equal(i["radix-tree-nodes"], 15);
  });
});

test(`${T}: XSETID sets the last ID and counters, with its checks`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("XADD", "s", "MAXLEN", "0", "*", "a", "b");
    assert.deepEqual(await r.call("XSETID", "s", "200-0"), new Status("OK"));
    let i = await info(r, "s");
    assert.equal(i["last-generated-id"], "200-0");
    assert.equal(i["entries-added"], 1);
    await r.call("XADD", "s", "300-0", "a", "b");
    assert.equal(
      await errorOf(r.call("XSETID", "s", "1-1")),
      "ERR The ID specified in XSETID is smaller than the target stream top item",
    );
    assert.equal(await errorOf(r.call("XSETID", "nokey", "1-1")), "ERR no such key");
    assert.equal(await errorOf(r.call("XSETID", "s", "400-0", "0")), "ERR syntax error");
    assert.equal(
      await errorOf(r.call("XSETID", "s", "400-0", "ENTRIESADDED", "-1", "MAXDELETEDID", "0-0")),
      "ERR entries_added must be positive",
    );
    assert.equal(
      await errorOf(r.call("XSETID", "s", "400-0", "ENTRIESADDED", "5", "MAXDELETEDID", "500-0")),
      "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
    );
    assert.equal(
      await errorOf(r.call("XSETID", "s", "400-0", "ENTRIESADDED", "0", "MAXDELETEDID", "0-0")),
      "ERR The entries_added specified in XSETID is smaller than the target stream length",
    );
    await r.call(
      "XSETID",
      "s",
      "400-0",
      "ENTRIESADDED",
      "9223372036854775807",
      "MAXDELETEDID",
      "350-0",
    );
    i = await info(r, "s");
    assert.equal(i["entries-added"], 9223372036854775807n);
    assert.equal(i["max-deleted-entry-id"], "350-0");
    assert.equal(i["last-generated-id"], "400-0");
  });
});

test(`${T}: COPY duplicates entries and groups, DEBUG DIGEST-VALUE matches Redis`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async ({ r }) => {
    await r.call("XADD", "s", "1-1", "a", "1", "b", "2");
    await r.call("XADD", "s", "2-0", "a", "3", "b", "4");
    await r.call("XADD", "s", "3-0", "x", "");
    await r.call("XADD", "s", "4-0", "a", "12345678901234567890");
    await r.call("XDEL", "s", "2-0");
    await r.call("XGROUP", "CREATE", "s", "g", "0");
    await r.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">");
    // the digest real Redis 7.0 reports for this stream
    const digest = [new Status("67800acadcc3ee6f321ba094c306136e6e309837")];
    assert.deepEqual(await r.call("DEBUG", "DIGEST-VALUE", "s"), digest);
    assert.equal(await r.call("COPY", "s", "t"), 1);
    assert.deepEqual(await r.call("DEBUG", "DIGEST-VALUE", "t"), digest);
    const a = await r.call("XINFO", "STREAM", "s", "FULL");
    assert.deepEqual(await r.call("XINFO", "STREAM", "t", "FULL"), a);
    await r.call("DEL", "s");
    assert.deepEqual(await r.call("XPENDING", "t", "g"), [2, "1-1", "3-0", [["c", "2"]]]);
    await r.call("XACK", "t", "g", "1-1");
    assert.deepEqual(await r.call("XPENDING", "t", "g"), [1, "3-0", "3-0", [["c", "1"]]]);
  });
});

test(`${T}: big streams free lazily and report their memory`, async () => {
  await withServer({ "stream-node-max-entries": 10 }, async ({ r, srv }) => {
    const cmds: string[][] = [];
    for (let i = 1; i <= 3000; i++) cmds.push(["XADD", "s", `${i}-0`, "field", `value-${i}`]);
    await r.pipeline(cmds);
    await r.call("XGROUP", "CREATE", "s", "g", "0");
    await r.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
    const usage = (await r.call("MEMORY", "USAGE", "s")) as number;
    assert.ok(usage > 3000 * 10 && usage < 3000 * 200, `usage ${usage}`);
    const heap = srv.server.heap;
    const before = heap.allocated;
    assert.equal(await r.call("UNLINK", "s"), 1);
    for (let i = 0; i < 100 && heap.allocated > before - usage / 2; i++) {
      await new Promise((res) => setTimeout(res, 10));
    }
    assert.ok(heap.allocated < before - usage / 2, "the stream was released");
    assert.equal(await r.call("EXISTS", "s"), 0);
  });
});

// -- the structure API directly --

test(`${T}: streamDup, streamFree and streamFreeSome release every allocation`, async () => {
  const { Argv } = await import("../../src/protocol/resp_parser.ts");
  const S = await import("../../src/types/stream/stream.ts");
  const m = new Heap();
  const a = new Argv();
  a.buf = enc("fieldvalueotherfield");
  a.push(0, 5);
  a.push(5, 5);
  a.push(10, 10);
  a.push(5, 5);
  const s = S.streamNew(m);
  const added = new StreamID();
  const rand = rng(11);
  for (let i = 0; i < 2500; i++) {
    const pairs = rand() < 0.8 ? 1 : 2;
    assert.equal(
      S.streamAppend(m, s, a, 0, pairs, null, true, 1000 + (i >> 3), 4096, 13, added),
      S.APPEND_OK,
    );
  }
  const gname = enc("group");
  const g = S.groupCreate(m, s, gname, 0, gname.length, new StreamID(), -1);
  const cons = ["alice", "bob", "carol"].map((n) => S.consumerCreate(m, g, enc(n), 0, n.length, 5));
  const it = new S.StreamIterator().begin(m, s, null, null, false);
  let k = 0;
  while (it.next()) {
    S.groupAdvance(m, s, g, it.id);
    if (k % 3 !== 2) S.pelDeliver(m, g, cons[k % 3], it.id, 7);
    k++;
  }
  assert.equal(k, 2500);
  for (let i = 0; i < 400; i++) {
    const id = new StreamID();
    id.msLo = 1000 + Math.floor(rand() * 320);
    id.seqLo = Math.floor(rand() * 8);
    S.streamDeleteItem(m, s, id);
  }
  S.streamTrim(m, s, S.TRIM_MAXLEN, 1500, new StreamID(), false, 0);
  assert.equal(S.streamLength(m, s), 1500);
  const copy = S.streamDup(m, s);
  assert.equal(S.streamLength(m, copy), 1500);
  assert.equal(
    btCount(m, S.groupPel(m, S.vecGet(m, S.streamGroups(m, copy), 0))),
    btCount(m, S.groupPel(m, g)),
  );
  S.streamFree(m, s);
  let steps = 0;
  while (!S.streamFreeSome(m, copy, 64)) steps++;
  assert.ok(steps > 10, `freed in ${steps} steps`);
  assert.equal(m.allocated, 0);
});

test(`${T}: XAUTOCLAIM looks the key up first and checks its type after the arguments`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("XADD", "y", "1-1", "f", "v");
    await r.call("XGROUP", "CREATE", "y", "g", "0");
    await r.call("SET", "str", "v");
    await r.call("CONFIG", "RESETSTAT");
    const stats = async () => {
      const info = (await r.call("INFO", "stats")) as string;
      return ["hits", "misses"].map((w) =>
        Number(new RegExp(`keyspace_${w}:(\\d+)`).exec(info)![1])
      );
    };
    const countErr = new RespError("ERR COUNT must be > 0");
    const claim = (key: string, ...opts: string[]) =>
      r.call("XAUTOCLAIM", key, "g", "c3", "0", "0-0", ...opts);
    await assert.rejects(claim("y", "COUNT", "0"), countErr);
    assert.deepEqual(await stats(), [1, 0]);
    await assert.rejects(claim("nokey", "COUNT", "0"), countErr);
    assert.deepEqual(await stats(), [1, 1]);
    // a key of another type: the argument error comes before WRONGTYPE
    await assert.rejects(claim("str", "COUNT", "0"), countErr);
    await assert.rejects(claim("str", "justid\0"), new RespError(WRONGTYPE));
    assert.deepEqual(await stats(), [3, 1]);
  });
});

test(`${T} keyspace events of the stream commands name the stream key`, async () => {
  await withServer({}, async ({ r, srv }) => {
    await r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
    const events: string[] = [];
    srv.server.onNotify = (_type, event, key) => {
      events.push(`${event}:${String.fromCharCode(...key)}`);
    };
    await r.call("XADD", "s", "1-0", "f", "v");
    await r.call("XADD", "s", "MAXLEN", "1", "2-0", "f", "v");
    await r.call("XGROUP", "CREATE", "s", "g", "0");
    await r.call("XGROUP", "CREATECONSUMER", "s", "g", "alice");
    await r.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">");
    await r.call("XGROUP", "SETID", "s", "g", "0");
    await r.call("XGROUP", "DELCONSUMER", "s", "g", "alice");
    await r.call("XGROUP", "DESTROY", "s", "g");
    await r.call("XDEL", "s", "2-0");
    await r.call("XADD", "s", "3-0", "f", "v");
    await r.call("XTRIM", "s", "MAXLEN", "0");
    await r.call("XSETID", "s", "5-0");
    assert.deepEqual(events, [
      "xadd:s",
      "xadd:s",
      "xtrim:s",
      "xgroup-create:s",
      "xgroup-createconsumer:s",
      "xgroup-createconsumer:s",
      "xgroup-setid:s",
      "xgroup-delconsumer:s",
      "xgroup-destroy:s",
      "xdel:s",
      "xadd:s",
      "xtrim:s",
      "xsetid:s",
    ]);
  });
});
