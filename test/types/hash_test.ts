// The hash family over a real socket, each behaviour checked in both encodings (listpack and
// hashtable, the latter forced by lowered thresholds): HSET/HMSET/HSETNX, HGET/HMGET/HSTRLEN/
// HEXISTS/HLEN, HKEYS/HVALS/HGETALL (RESP2 and RESP3), HDEL, HINCRBY/HINCRBYFLOAT, HRANDFIELD,
// HSCAN, the encoding conversion points, keyspace events, and the value ops (COPY, digest,
// MEMORY USAGE, lazy free) plus the hashGetField helper SORT uses.

import assert from "node:assert/strict";
import { rng, runtimeName, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { errorOf, RespError, Status } from "../_resp_client.ts";
import { Heap } from "../../src/memory/allocator.ts";
import { dictCreate, dictForEach } from "../../src/encoding/dict.ts";
import { lpAppend, lpNew } from "../../src/encoding/listpack.ts";
import {
  ENCODING_NAMES,
  OBJ_ENCODING_HT,
  OBJ_ENCODING_LISTPACK,
  objAux,
  objEncoding,
} from "../../src/store/object.ts";
import {
  hashDictAdd,
  hashGetField,
  hashListpackToDict,
  hashValueOps,
} from "../../src/types/hash.ts";

const T = `hashes (${runtimeName})`;
const OK = new Status("OK");
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT = "ERR value is not an integer or out of range";

/** A threshold small enough that makeHash can force a hashtable by adding fields. */
const SMALL = { "hash-max-listpack-entries": 16 };
const ENCODINGS = ["listpack", "hashtable"] as const;

function entryOf(ctx: ServerCtx, key: string): number {
  const b = enc(key);
  return ctx.srv.server.store.dbs[0].find(b, 0, b.length);
}

/** Fill `key` with the given pairs so that it has encoding `want` (hashtable: one extra field). */
async function makeHash(
  ctx: ServerCtx,
  key: string,
  pairs: [string, string][],
  want: typeof ENCODINGS[number],
): Promise<void> {
  const args: string[] = [];
  for (const [f, v] of pairs) args.push(f, v);
  await ctx.r.call("DEL", key);
  await ctx.r.call("HSET", key, ...args);
  if (want === "hashtable") {
    const fill: string[] = [];
    for (let i = 0; i < 17; i++) fill.push(`~fill${i}`);
    await ctx.r.call("HSET", key, ...fill.flatMap((f) => [f, "x"]));
    await ctx.r.call("HDEL", key, ...fill);
  }
  assert.equal(await ctx.r.call("OBJECT", "ENCODING", key), want);
}

/** Flat RESP2 pairs into a sorted list of "field=value". */
function pairsOf(flat: unknown): string[] {
  const a = flat as string[];
  const out: string[] = [];
  for (let i = 0; i < a.length; i += 2) out.push(`${a[i]}=${a[i + 1]}`);
  return out.sort();
}

// -- HSET / HMSET / HSETNX --

for (const want of ENCODINGS) {
  test(`${T}: HSET counts new fields and updates existing ones (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["a", "1"], ["b", "2"]], want);
      assert.equal(await r.call("HSET", "h", "a", "10", "c", "3"), 1);
      assert.equal(await r.call("HGET", "h", "a"), "10");
      assert.equal(await r.call("HGET", "h", "c"), "3");
      assert.equal(await r.call("HLEN", "h"), 3);
      assert.deepEqual(await r.call("HMSET", "h", "b", "20", "d", "4"), OK);
      assert.deepEqual(pairsOf(await r.call("HGETALL", "h")), ["a=10", "b=20", "c=3", "d=4"]);
    });
  });

  test(`${T}: HSETNX only sets a missing field (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["a", "1"]], want);
      assert.equal(await r.call("HSETNX", "h", "a", "2"), 0);
      assert.equal(await r.call("HGET", "h", "a"), "1");
      assert.equal(await r.call("HSETNX", "h", "b", "2"), 1);
      assert.equal(await r.call("HGET", "h", "b"), "2");
    });
  });

  test(`${T}: fields and values are binary safe (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["x", "y"]], want);
      const odd = ["", "\0", "a\r\nb", "\xff\x00\xfe", "-0", "007", "9223372036854775808"];
      for (const f of odd) await r.call("HSET", "h", f, `v${f}`);
      for (const f of odd) assert.equal(await r.call("HGET", "h", f), `v${f}`);
      assert.equal(await r.call("HSET", "h", "", ""), 0);
      assert.equal(await r.call("HGET", "h", ""), "");
      assert.equal(await r.call("HSTRLEN", "h", ""), 0);
      assert.equal(await r.call("HEXISTS", "h", ""), 1);
      assert.equal(await r.call("HEXISTS", "h", "0"), 0, "no confusion of '' with 0");
      assert.equal(await r.call("HGET", "h", "7"), null, "007 is not the integer 7");
    });
  });
}

test(`${T}: HSET and HMSET with an odd number of arguments fail`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(
      await errorOf(r.call("HSET", "h", "a", "1", "b")),
      "ERR wrong number of arguments for 'hset' command",
    );
    assert.equal(
      await errorOf(r.call("HMSET", "h", "a", "1", "b")),
      "ERR wrong number of arguments for 'hmset' command",
    );
    assert.equal(await r.call("EXISTS", "h"), 0);
  });
});

test(`${T}: every hash command replies WRONGTYPE against a string`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "s", "v");
    const calls: string[][] = [
      ["HSET", "s", "a", "1"],
      ["HMSET", "s", "a", "1"],
      ["HSETNX", "s", "a", "1"],
      ["HGET", "s", "a"],
      ["HMGET", "s", "a"],
      ["HDEL", "s", "a"],
      ["HLEN", "s"],
      ["HSTRLEN", "s", "a"],
      ["HEXISTS", "s", "a"],
      ["HKEYS", "s"],
      ["HVALS", "s"],
      ["HGETALL", "s"],
      ["HINCRBY", "s", "a", "1"],
      ["HINCRBYFLOAT", "s", "a", "1"],
      ["HRANDFIELD", "s"],
      ["HRANDFIELD", "s", "2"],
      ["HSCAN", "s", "0"],
    ];
    for (const c of calls) assert.equal(await errorOf(r.call(...c)), WRONGTYPE, c.join(" "));
  });
});

// -- reads --

for (const want of ENCODINGS) {
  test(`${T}: HGET, HMGET, HSTRLEN, HEXISTS and HLEN (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["a", "1"], ["b", "-9223372036854775808"], ["c", "xyz"]], want);
      assert.equal(await r.call("HGET", "h", "b"), "-9223372036854775808");
      assert.equal(await r.call("HGET", "h", "nope"), null);
      assert.deepEqual(await r.call("HMGET", "h", "a", "nope", "c"), ["1", null, "xyz"]);
      assert.equal(await r.call("HSTRLEN", "h", "b"), 20);
      assert.equal(await r.call("HSTRLEN", "h", "a"), 1);
      assert.equal(await r.call("HSTRLEN", "h", "nope"), 0);
      assert.equal(await r.call("HEXISTS", "h", "c"), 1);
      assert.equal(await r.call("HEXISTS", "h", "nope"), 0);
      assert.equal(await r.call("HLEN", "h"), 3);
    });
  });

  test(`${T}: HKEYS, HVALS and HGETALL list every pair (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["a", "1"], ["b", "2"], ["c", "3"]], want);
      assert.deepEqual(((await r.call("HKEYS", "h")) as string[]).sort(), ["a", "b", "c"]);
      assert.deepEqual(((await r.call("HVALS", "h")) as string[]).sort(), ["1", "2", "3"]);
      assert.deepEqual(pairsOf(await r.call("HGETALL", "h")), ["a=1", "b=2", "c=3"]);
      await r.call("HELLO", "3");
      const map = await r.call("HGETALL", "h");
      assert.ok(map instanceof Map, "HGETALL is a map in RESP3");
      assert.deepEqual([...map.entries()].sort(), [["a", "1"], ["b", "2"], ["c", "3"]]);
      assert.ok(Array.isArray(await r.call("HKEYS", "h")), "HKEYS stays an array in RESP3");
    });
  });
}

test(`${T}: a listpack hash keeps insertion order in HGETALL`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HSET", "h", "z", "1", "a", "2", "m", "3");
    await r.call("HSET", "h", "a", "20");
    assert.deepEqual(await r.call("HGETALL", "h"), ["z", "1", "a", "20", "m", "3"]);
  });
});

test(`${T}: missing keys read as empty hashes`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("HGET", "no", "a"), null);
    assert.deepEqual(await r.call("HMGET", "no", "a", "b"), [null, null]);
    assert.equal(await r.call("HLEN", "no"), 0);
    assert.equal(await r.call("HSTRLEN", "no", "a"), 0);
    assert.equal(await r.call("HEXISTS", "no", "a"), 0);
    assert.deepEqual(await r.call("HKEYS", "no"), []);
    assert.deepEqual(await r.call("HGETALL", "no"), []);
    assert.equal(await r.call("HDEL", "no", "a"), 0);
    assert.equal(await r.call("HRANDFIELD", "no"), null);
    assert.deepEqual(await r.call("HRANDFIELD", "no", "3"), []);
    assert.deepEqual(await r.call("HSCAN", "no", "0"), ["0", []]);
    await r.call("HELLO", "3");
    assert.deepEqual(await r.call("HGETALL", "no"), new Map());
    assert.equal(await r.call("HGET", "no", "a"), null);
  });
});

// -- HDEL --

for (const want of ENCODINGS) {
  test(`${T}: HDEL removes fields and the key with its last field (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["a", "1"], ["b", "2"], ["c", "3"]], want);
      assert.equal(await r.call("HDEL", "h", "a", "nope", "a"), 1);
      assert.equal(await r.call("HLEN", "h"), 2);
      assert.equal(await r.call("HDEL", "h", "b", "c", "d"), 2);
      assert.equal(await r.call("EXISTS", "h"), 0);
    });
  });
}

test(`${T}: HDEL stops counting once the key is gone`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HSET", "h", "a", "1");
    // "a" empties the hash; the repeated "a" after it is not looked at
    assert.equal(await r.call("HDEL", "h", "a", "a"), 1);
  });
});

// -- encodings --

test(`${T}: a hash converts past hash-max-listpack-entries and never converts back`, async () => {
  await withServer({ "hash-max-listpack-entries": 4 }, async ({ r }) => {
    await r.call("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
    assert.equal(await r.call("OBJECT", "ENCODING", "h"), "listpack");
    assert.equal(await r.call("HSET", "h", "d", "44"), 0, "an update adds no field");
    assert.equal(await r.call("OBJECT", "ENCODING", "h"), "listpack");
    await r.call("HSET", "h", "e", "5");
    assert.equal(await r.call("OBJECT", "ENCODING", "h"), "hashtable");
    await r.call("HDEL", "h", "a", "b", "c", "d");
    assert.equal(await r.call("OBJECT", "ENCODING", "h"), "hashtable");
    assert.deepEqual(await r.call("HGETALL", "h"), ["e", "5"]);
  });
});

test(`${T}: a value or field longer than hash-max-listpack-value converts the hash`, async () => {
  await withServer({ "hash-max-listpack-value": 8 }, async ({ r }) => {
    await r.call("HSET", "v", "f", "12345678");
    await r.call("HSET", "f", "12345678", "v");
    assert.equal(await r.call("OBJECT", "ENCODING", "v"), "listpack");
    assert.equal(await r.call("OBJECT", "ENCODING", "f"), "listpack");
    await r.call("HSET", "v", "g", "123456789");
    await r.call("HSETNX", "f", "123456789", "v");
    assert.equal(await r.call("OBJECT", "ENCODING", "v"), "hashtable");
    assert.equal(await r.call("OBJECT", "ENCODING", "f"), "hashtable");
    // HSET checks every argument before inserting: one long value converts the whole call
    await r.call("HSET", "m", "a", "1", "b", "x".repeat(9));
    assert.equal(await r.call("OBJECT", "ENCODING", "m"), "hashtable");
    assert.deepEqual(await r.call("HMGET", "m", "a", "b"), ["1", "x".repeat(9)]);
  });
});

test(`${T}: HINCRBY and HINCRBYFLOAT convert when the new value is too long`, async () => {
  await withServer({ "hash-max-listpack-value": 8 }, async ({ r }) => {
    await r.call("HSET", "small", "n", "0");
    await r.call("HSET", "big", "n", "0");
    await r.call("HINCRBYFLOAT", "small", "n", "0.000005"); // "0.000005": 8 bytes
    await r.call("HINCRBYFLOAT", "big", "n", "0.0000005"); // 9 bytes
    assert.equal(await r.call("OBJECT", "ENCODING", "small"), "listpack");
    assert.equal(await r.call("OBJECT", "ENCODING", "big"), "hashtable");
    await r.call("HINCRBY", "i", "n", "99999999");
    assert.equal(await r.call("OBJECT", "ENCODING", "i"), "listpack");
    await r.call("HINCRBY", "i", "n", "1");
    assert.equal(await r.call("OBJECT", "ENCODING", "i"), "hashtable");
    assert.equal(await r.call("HGET", "i", "n"), "100000000");
    await r.call("HINCRBY", "k", "abcdefghi", "1");
    assert.equal(await r.call("OBJECT", "ENCODING", "k"), "hashtable");
  });
});

test(`${T}: the old ziplist config names are aliases`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("CONFIG", "SET", "hash-max-ziplist-entries", "2");
    assert.deepEqual(await r.call("CONFIG", "GET", "hash-max-listpack-entries"), [
      "hash-max-listpack-entries",
      "2",
    ]);
    await r.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    assert.equal(await r.call("OBJECT", "ENCODING", "h"), "hashtable");
    await r.call("CONFIG", "SET", "hash-max-ziplist-value", "3");
    await r.call("HSET", "g", "abcd", "1");
    assert.equal(await r.call("OBJECT", "ENCODING", "g"), "hashtable");
  });
});

test(`${T}: two servers in one process keep their own listpack limits`, async () => {
  await withServer({ "hash-max-listpack-entries": 1 }, async (one) => {
    await withServer({ "hash-max-listpack-entries": 3 }, async (three) => {
      for (let i = 0; i < 2; i++) {
        await one.r.call("HSET", `h${i}`, "a", "1", "b", "2");
        await three.r.call("HSET", `h${i}`, "a", "1", "b", "2");
        assert.equal(await one.r.call("OBJECT", "ENCODING", `h${i}`), "hashtable");
        assert.equal(await three.r.call("OBJECT", "ENCODING", `h${i}`), "listpack");
      }
      await three.r.call("CONFIG", "SET", "hash-max-listpack-entries", "1");
      await three.r.call("HSET", "h9", "a", "1", "b", "2");
      assert.equal(await three.r.call("OBJECT", "ENCODING", "h9"), "hashtable");
    });
  });
});

test(`${T}: hash-max-listpack-entries 0 makes every hash a hashtable`, async () => {
  await withServer({ "hash-max-listpack-entries": 0 }, async ({ r }) => {
    await r.call("HSET", "h", "a", "1");
    assert.equal(await r.call("OBJECT", "ENCODING", "h"), "hashtable");
  });
});

test(`${T}: a randomized workload matches a Map model in both encodings`, async () => {
  await withServer({ "hash-max-listpack-entries": 16 }, async ({ r }) => {
    const next = rng(42);
    const model = new Map<string, string>();
    let largest = 0;
    for (let i = 0; i < 600; i++) {
      const f = `f${Math.floor(next() * 40)}`;
      const x = next();
      if (x < 0.5) {
        const v = next() < 0.5 ? String(Math.floor(next() * 1000) - 500) : `v${i}`;
        assert.equal(await r.call("HSET", "h", f, v), model.has(f) ? 0 : 1);
        model.set(f, v);
      } else if (x < 0.8) {
        assert.equal(await r.call("HDEL", "h", f), model.delete(f) ? 1 : 0);
        if (model.size === 0) largest = 0;
      } else {
        assert.equal(await r.call("HGET", "h", f), model.get(f) ?? null);
      }
      if (model.size > largest) largest = model.size;
      if (model.size > 0) {
        const want = largest > 16 ? "hashtable" : "listpack";
        assert.equal(await r.call("OBJECT", "ENCODING", "h"), want, `step ${i}`);
      }
    }
    assert.ok(largest > 16, "the workload reached the hashtable encoding");
    const all = model.size === 0 ? [] : pairsOf(await r.call("HGETALL", "h"));
    assert.deepEqual(all, [...model].map(([f, v]) => `${f}=${v}`).sort());
  });
});

// -- HINCRBY / HINCRBYFLOAT --

for (const want of ENCODINGS) {
  test(`${T}: HINCRBY adds exactly over the int64 range (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["s", "abc"], ["big", "9223372036854775800"]], want);
      assert.equal(await r.call("HINCRBY", "h", "new", "-5"), -5);
      assert.equal(await r.call("HINCRBY", "h", "new", "17179869184"), 17179869179);
      assert.equal(await r.call("HINCRBY", "h", "big", "7"), 9223372036854775807n);
      assert.equal(await r.call("HGET", "h", "big"), "9223372036854775807");
      assert.equal(
        await errorOf(r.call("HINCRBY", "h", "big", "1")),
        "ERR increment or decrement would overflow",
      );
      await r.call("HSET", "h", "neg", "-9223372036854775484");
      assert.equal(await r.call("HINCRBY", "h", "neg", "-1"), -9223372036854775485n);
      assert.equal(
        await errorOf(r.call("HINCRBY", "h", "neg", "-10000")),
        "ERR increment or decrement would overflow",
      );
      assert.equal(
        await errorOf(r.call("HINCRBY", "h", "s", "1")),
        "ERR hash value is not an integer",
      );
      await r.call("HSET", "h", "sp", " 11");
      assert.equal(
        await errorOf(r.call("HINCRBY", "h", "sp", "1")),
        "ERR hash value is not an integer",
      );
      assert.equal(await errorOf(r.call("HINCRBY", "h", "new", "1.5")), NOT_INT);
      assert.equal(await errorOf(r.call("HINCRBY", "h", "new", "9223372036854775808")), NOT_INT);
      assert.equal(await r.call("HGET", "h", "new"), "17179869179");
    });
  });

  test(`${T}: HINCRBYFLOAT uses long double arithmetic and Redis's formatting (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["s", "abc"], ["i", "17179869184"]], want);
      assert.equal(await r.call("HINCRBYFLOAT", "h", "f", "1.23"), "1.23");
      assert.equal(await r.call("HINCRBYFLOAT", "h", "f", "0.77"), "2");
      assert.equal(await r.call("HINCRBYFLOAT", "h", "f", "-0.1"), "1.9");
      assert.equal(await r.call("HINCRBYFLOAT", "h", "i", "17179869184"), "34359738368");
      assert.equal(await r.call("HINCRBYFLOAT", "h", "e", "5.0e3"), "5000");
      assert.equal(await r.call("HGET", "h", "e"), "5000");
      assert.equal(
        await errorOf(r.call("HINCRBYFLOAT", "h", "s", "1")),
        "ERR hash value is not a float",
      );
      await r.call("HSET", "h", "z", "1\x002");
      assert.equal(
        await errorOf(r.call("HINCRBYFLOAT", "h", "z", "1")),
        "ERR hash value is not a float",
      );
      assert.equal(
        await errorOf(r.call("HINCRBYFLOAT", "h", "f", "x")),
        "ERR value is not a valid float",
      );
      assert.equal(
        await errorOf(r.call("HINCRBYFLOAT", "h", "f", "+inf")),
        "ERR value is NaN or Infinity",
      );
      assert.equal(
        await errorOf(r.call("HINCRBYFLOAT", "h", "f", "nan")),
        "ERR value is not a valid float",
      );
      await r.call("HSET", "h", "huge", "1e4933"); // beyond the long double range
      assert.equal(
        await errorOf(r.call("HINCRBYFLOAT", "h", "huge", "1")),
        "ERR hash value is not a float",
      );
      await r.call("HSET", "h", "top", "1e4931");
      assert.equal(
        await errorOf(r.call("HINCRBYFLOAT", "h", "top", "1.1e4932")),
        "ERR increment would produce NaN or Infinity",
      );
    });
  });
}

test(`${T}: HINCRBYFLOAT with NaN or Infinity leaves no key behind`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(
      await errorOf(r.call("HINCRBYFLOAT", "hfoo", "f", "+inf")),
      "ERR value is NaN or Infinity",
    );
    assert.equal(await r.call("EXISTS", "hfoo"), 0);
  });
});

// -- HRANDFIELD --

for (const want of ENCODINGS) {
  test(`${T}: HRANDFIELD count cases (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      const pairs: [string, string][] = [];
      for (let i = 0; i < 3; i++) pairs.push([`f${i}`, `v${i}`]);
      await makeHash(ctx, "h", pairs, want);
      const fields = new Set(pairs.map(([f]) => f));
      const value = new Map(pairs);
      // no count: one field
      assert.ok(fields.has(await r.call("HRANDFIELD", "h") as string));
      assert.deepEqual(await r.call("HRANDFIELD", "h", "0"), []);
      // negative: repetitions allowed, exactly |count| picks
      const rep = await r.call("HRANDFIELD", "h", "-20") as string[];
      assert.equal(rep.length, 20);
      for (const f of rep) assert.ok(fields.has(f));
      assert.equal(new Set(rep).size <= 3, true);
      const repv = await r.call("HRANDFIELD", "h", "-7", "WITHVALUES") as string[];
      assert.equal(repv.length, 14);
      for (let i = 0; i < repv.length; i += 2) assert.equal(repv[i + 1], value.get(repv[i]));
      // positive: distinct fields, at most the size
      for (const n of [1, 2, 3, 10]) {
        const got = await r.call("HRANDFIELD", "h", String(n)) as string[];
        assert.equal(got.length, Math.min(n, 3));
        assert.equal(new Set(got).size, got.length);
        for (const f of got) assert.ok(fields.has(f));
        const gv = await r.call("HRANDFIELD", "h", String(n), "withvalues") as string[];
        assert.equal(gv.length, 2 * Math.min(n, 3));
        for (let i = 0; i < gv.length; i += 2) assert.equal(gv[i + 1], value.get(gv[i]));
      }
    });
  });

  test(`${T}: HRANDFIELD picks every field, fairly (${want})`, async () => {
    const entries = want === "listpack" ? 512 : 8;
    await withServer({ "hash-max-listpack-entries": entries }, async (ctx) => {
      const { r } = ctx;
      const pairs: [string, string][] = [];
      for (let i = 0; i < 10; i++) pairs.push([`f${i}`, `${i}`]);
      await r.call("HSET", "h", ...pairs.flat());
      assert.equal(await r.call("OBJECT", "ENCODING", "h"), want);
      const counts = new Map<string, number>();
      const res = await r.call("HRANDFIELD", "h", "-1000") as string[];
      for (const f of res) counts.set(f, (counts.get(f) ?? 0) + 1);
      // chi-square with 9 degrees of freedom; 40 is a 0.00001 probability
      let chi = 0;
      for (const [f] of pairs) chi += ((counts.get(f) ?? 0) - 100) ** 2 / 100;
      assert.ok(chi < 40, `chi-square ${chi}`);
      // counts 8 (remove strategy) and 2 (pick strategy) both reach every field
      for (const n of ["8", "2"]) {
        const seen = new Set<string>();
        for (let i = 0; i < 200 && seen.size < 10; i++) {
          const got = await r.call("HRANDFIELD", "h", n) as string[];
          assert.equal(got.length, Number(n));
          assert.equal(new Set(got).size, got.length);
          for (const f of got) seen.add(f);
        }
        assert.equal(seen.size, 10);
      }
    });
  });
}

test(`${T}: HRANDFIELD WITHVALUES pairs up in RESP3`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HSET", "h", "a", "1", "b", "2", "c", "3");
    await r.call("HELLO", "3");
    const res = await r.call("HRANDFIELD", "h", "3", "WITHVALUES") as string[][];
    assert.equal(res.length, 3);
    for (const p of res) assert.equal(p.length, 2);
    assert.deepEqual(res.map((p) => p.join("=")).sort(), ["a=1", "b=2", "c=3"]);
    const neg = await r.call("HRANDFIELD", "h", "-2", "WITHVALUES") as string[][];
    assert.equal(neg.length, 2);
    for (const p of neg) assert.equal(p.length, 2);
    const plain = await r.call("HRANDFIELD", "h", "3") as string[];
    assert.equal(typeof plain[0], "string");
  });
});

test(`${T}: HRANDFIELD argument errors`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HSET", "h", "a", "1");
    assert.equal(await errorOf(r.call("HRANDFIELD", "h", "x")), NOT_INT);
    assert.equal(await errorOf(r.call("HRANDFIELD", "h", "1", "WITHVALUE")), "ERR syntax error");
    assert.equal(
      await errorOf(r.call("HRANDFIELD", "h", "1", "WITHVALUES", "x")),
      "ERR syntax error",
    );
    assert.equal(
      await errorOf(r.call("HRANDFIELD", "h", "-9223372036854775808")),
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    );
    assert.equal(
      await errorOf(r.call("HRANDFIELD", "h", "-9223372036854770000", "WITHVALUES")),
      "ERR value is out of range",
    );
    // the range checks come before the key lookup
    assert.equal(await errorOf(r.call("HRANDFIELD", "nokey", "x")), NOT_INT);
  });
});

// -- HSCAN --

test(`${T}: HSCAN returns a whole listpack hash in one call with cursor 0`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HSET", "h", "a", "1", "b", "2", "ab", "3");
    assert.deepEqual(await r.call("HSCAN", "h", "12345", "COUNT", "1"), ["0", [
      "a",
      "1",
      "b",
      "2",
      "ab",
      "3",
    ]]);
    assert.deepEqual(await r.call("HSCAN", "h", "0", "MATCH", "a*"), ["0", ["a", "1", "ab", "3"]]);
    assert.deepEqual(await r.call("HSCAN", "h", "0", "MATCH", "*"), ["0", [
      "a",
      "1",
      "b",
      "2",
      "ab",
      "3",
    ]]);
  });
});

test(`${T}: HSCAN walks a hashtable with a cursor, MATCH filtering fields only`, async () => {
  await withServer({ "hash-max-listpack-entries": 4 }, async ({ r }) => {
    const want = new Map<string, string>();
    const args: string[] = [];
    for (let i = 0; i < 300; i++) {
      want.set(`field:${i}`, `${i * 7}`);
      args.push(`field:${i}`, `${i * 7}`);
    }
    await r.call("HSET", "h", ...args);
    assert.equal(await r.call("OBJECT", "ENCODING", "h"), "hashtable");
    const got = new Map<string, string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = await r.call("HSCAN", "h", cursor, "COUNT", "20") as [string, string[]];
      assert.ok(items.length % 2 === 0);
      for (let i = 0; i < items.length; i += 2) got.set(items[i], items[i + 1]);
      cursor = next;
      calls++;
    } while (cursor !== "0");
    assert.ok(calls > 1, "a hashtable takes several calls");
    assert.deepEqual([...got].sort(), [...want].sort());
    const ones = new Set<string>();
    cursor = "0";
    do {
      const [next, items] = await r.call("HSCAN", "h", cursor, "MATCH", "field:1?") as [
        string,
        string[],
      ];
      for (let i = 0; i < items.length; i += 2) {
        assert.match(items[i], /^field:1\d$/);
        assert.equal(items[i + 1], want.get(items[i]));
        ones.add(items[i]);
      }
      cursor = next;
    } while (cursor !== "0");
    assert.equal(ones.size, 10);
  });
});

test(`${T}: HSCAN argument errors`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HSET", "h", "a", "1");
    assert.equal(await errorOf(r.call("HSCAN", "h", "x")), "ERR invalid cursor");
    assert.equal(await errorOf(r.call("HSCAN", "h", "0", "COUNT", "0")), "ERR syntax error");
    assert.equal(await errorOf(r.call("HSCAN", "h", "0", "COUNT", "x")), NOT_INT);
    assert.equal(await errorOf(r.call("HSCAN", "h", "0", "TYPE", "string")), "ERR syntax error");
    assert.equal(await errorOf(r.call("HSCAN", "h", "0", "MATCH")), "ERR syntax error");
    // options are only parsed once the key exists
    assert.deepEqual(await r.call("HSCAN", "nokey", "0", "BAD"), ["0", []]);
  });
});

// -- keyspace side effects --

test(`${T}: writes fire hset, hdel, hincrby, hincrbyfloat and del events`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
    const events: string[] = [];
    ctx.srv.server.onNotify = (_type, event, key) => {
      events.push(`${event}:${String.fromCharCode(...key)}`);
    };
    await r.call("HSET", "h", "a", "1");
    await r.call("HMSET", "h", "b", "2");
    await r.call("HSETNX", "h", "a", "9"); // no change, no event
    await r.call("HSETNX", "h", "c", "3");
    await r.call("HINCRBY", "h", "n", "1");
    await r.call("HINCRBYFLOAT", "h", "n", "1.5");
    await r.call("HDEL", "h", "zz"); // nothing deleted, no event
    await r.call("HDEL", "h", "a", "b", "c", "n");
    assert.deepEqual(events, [
      "hset:h",
      "hset:h",
      "hset:h",
      "hincrby:h",
      "hincrbyfloat:h",
      "hdel:h",
      "del:h",
    ]);
  });
});

test(`${T}: a hash write invalidates a WATCH and counts as dirty`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const other = await ctx.client();
    await r.call("HSET", "h", "a", "1");
    await r.call("WATCH", "h");
    await other.call("HINCRBY", "h", "a", "1");
    await r.call("MULTI");
    await r.call("HGET", "h", "a");
    assert.equal(await r.call("EXEC"), null);
    const dirty = ctx.srv.server.dirty;
    await r.call("HSET", "h", "x", "1", "y", "2");
    await r.call("HDEL", "h", "x", "y", "nope");
    assert.equal(ctx.srv.server.dirty - dirty, 4);
  });
});

// -- value ops --

for (const want of ENCODINGS) {
  test(`${T}: COPY duplicates a hash with its encoding (${want})`, async () => {
    await withServer(SMALL, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["a", "1"], ["b", "xyz"]], want);
      assert.equal(await r.call("COPY", "h", "c"), 1);
      assert.equal(await r.call("OBJECT", "ENCODING", "c"), want);
      await r.call("HSET", "h", "a", "changed");
      assert.deepEqual(pairsOf(await r.call("HGETALL", "c")), ["a=1", "b=xyz"]);
      assert.ok((await r.call("MEMORY", "USAGE", "c") as number) > 0);
    });
  });

  test(`${T}: DEBUG DIGEST-VALUE matches Redis's (${want})`, async () => {
    await withServer({ ...SMALL, "enable-debug-command": "yes" }, async (ctx) => {
      const { r } = ctx;
      await makeHash(ctx, "h", [["a", "1"], ["b", "2"], ["c", "xyz"]], want);
      // digests computed by redis-server 7.0.15 for the same contents
      assert.deepEqual(await r.call("DEBUG", "DIGEST-VALUE", "h"), [
        new Status("375cbe6932ce072550ecd8b64ba7756d118e9f5d"),
      ]);
      await makeHash(ctx, "e", [["", ""]], want);
      assert.deepEqual(await r.call("DEBUG", "DIGEST-VALUE", "e"), [
        new Status("058444ed2da4cc3f4acabd165ff3435028ac510b"),
      ]);
    });
  });
}

test(`${T}: MEMORY USAGE of a listpack hash is the listpack's size class plus the key`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("HSET", "h", "a", "1", "b", "2", "c", "xyz");
    const m = ctx.srv.server.heap;
    const e = entryOf(ctx, "h");
    assert.equal(ENCODING_NAMES[objEncoding(m, e)], "listpack");
    const expect = m.usableSize(e) + 4 + m.usableSize(objAux(m, e));
    assert.equal(await r.call("MEMORY", "USAGE", "h"), expect);
  });
});

test(`${T}: UNLINK of a big hashtable frees it in steps and gives the memory back`, async () => {
  await withServer({ "hash-max-listpack-entries": 4 }, async (ctx) => {
    const { r } = ctx;
    const m = ctx.srv.server.heap;
    const before = m.allocated;
    const args: string[] = [];
    for (let i = 0; i < 5000; i++) args.push(`f${i}`, `v${i}`);
    await r.call("HSET", "big", ...args);
    assert.ok(m.allocated > before);
    assert.equal(await r.call("UNLINK", "big"), 1);
    for (let i = 0; i < 50 && m.allocated > before + 1024; i++) await r.call("PING");
    await new Promise((res) => setTimeout(res, 50));
    assert.ok(
      m.allocated <= before + 1024,
      `allocated ${m.allocated - before} bytes more than before`,
    );
  });
});

// -- API helpers --

test(`${T}: hashGetField reads both encodings and the value ops free them completely`, () => {
  const m = new Heap();
  const base = m.allocated;
  let lp = lpNew(m);
  const put = (s: string) => {
    const b = enc(s);
    lp = lpAppend(m, lp, b, 0, b.length);
  };
  put("name");
  put("redis");
  put("n");
  put("-42");
  const d = hashListpackToDict(m, lp);
  for (const [encoding, v] of [[OBJ_ENCODING_LISTPACK, lp], [OBJ_ENCODING_HT, d]] as const) {
    const hv = hashGetField(m, encoding, v, enc("n"), 0, 1);
    assert.ok(hv !== null);
    assert.equal(String.fromCharCode(...hv.buf.subarray(hv.off, hv.off + hv.len)), "-42");
    const name = hashGetField(m, encoding, v, enc("xname"), 1, 4);
    assert.ok(name !== null);
    assert.equal(String.fromCharCode(...name.buf.subarray(name.off, name.off + name.len)), "redis");
    assert.equal(hashGetField(m, encoding, v, enc("nope"), 0, 4), null);
    assert.equal(hashValueOps.freeEffort(m, v, encoding), encoding === OBJ_ENCODING_HT ? 2 : 1);
  }
  hashValueOps.free(m, lp, OBJ_ENCODING_LISTPACK);
  // free the dict one field at a time
  let done = false;
  for (let i = 0; i < 10 && !done; i++) done = hashValueOps.freeSome!(m, d, 1, OBJ_ENCODING_HT);
  assert.ok(done);
  assert.equal(m.allocated, base);
});

test(`${T}: defrag moves field entries without losing any pair`, () => {
  const m = new Heap();
  let lp = lpNew(m);
  const pairs: [string, string][] = [];
  for (let i = 0; i < 400; i++) pairs.push([`field${i}`, `value${i}`]);
  for (const [f, v] of pairs) {
    lp = lpAppend(m, lp, enc(f), 0, f.length);
    lp = lpAppend(m, lp, enc(v), 0, v.length);
  }
  // Dense slabs of the entries' size class first, then the dict's entries interleaved with
  // allocations that are freed again: its slabs end up far below the class's average use,
  // which is what defragHint looks for.
  const dense: number[] = [];
  for (let i = 0; i < 4000; i++) dense.push(m.alloc(32));
  const d = dictCreate(m);
  const junk: number[] = [];
  for (const [f, v] of pairs) {
    hashDictAdd(m, d, enc(f), 0, f.length, enc(v), 0, v.length);
    for (let k = 0; k < 9; k++) junk.push(m.alloc(32));
  }
  for (const j of junk) m.free(j);
  const before = new Set<number>();
  dictForEach(m, d, (e) => before.add(e));
  const nd = hashValueOps.defrag!(m, d, OBJ_ENCODING_HT);
  let moved = 0;
  dictForEach(m, nd, (e) => {
    if (!before.has(e)) moved++;
  });
  assert.ok(moved > 0, "some entries moved");
  const nlp = hashValueOps.defrag!(m, lp, OBJ_ENCODING_LISTPACK);
  for (const [f, v] of pairs) {
    for (const [encoding, h] of [[OBJ_ENCODING_HT, nd], [OBJ_ENCODING_LISTPACK, nlp]] as const) {
      const hv = hashGetField(m, encoding, h, enc(f), 0, f.length);
      assert.ok(hv !== null, f);
      assert.equal(String.fromCharCode(...hv.buf.subarray(hv.off, hv.off + hv.len)), v);
    }
  }
});

test(`${T}: HRANDFIELD reads WITHVALUES up to a NUL byte; its count obeys Redis's long limits`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HSET", "h", "f", "v");
    assert.deepEqual(await r.call("HRANDFIELD", "h", "1", "withvalues\0x"), ["f", "v"]);
    const limits: [string[], string][] = [
      [["4611686018427387904", "WITHVALUES"], "ERR value is out of range"],
      [
        ["-9223372036854775808"],
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
      ],
    ];
    for (const [args, text] of limits) {
      await assert.rejects(r.call("HRANDFIELD", "h", ...args), new RespError(text));
    }
    const all = await r.call("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES");
    assert.deepEqual(all, ["f", "v"]);
  });
});
