// The sorted-set family over a real socket: ZADD (NX/XX/GT/LT/CH/INCR) and ZINCRBY, ZREM, ZCARD,
// ZSCORE/ZMSCORE, ZRANK/ZREVRANK, ZRANGE in all its forms and the deprecated variants,
// ZRANGESTORE, ZCOUNT/ZLEXCOUNT, ZREMRANGEBY*, the set algebra (ZUNION/ZINTER/ZDIFF, STORE forms,
// ZINTERCARD), pops (ZPOPMIN/ZPOPMAX/ZMPOP) and blocking pops, ZRANDMEMBER and ZSCAN, each in
// both encodings (listpack and skiplist), RESP2 and RESP3, with Redis 7.0's exact replies, error
// texts, conversions and keyspace events. Also the pure helpers (strtod, %.17g, listpack scores)
// and a seeded model test of the API.

import assert from "node:assert/strict";
import { rng, runtimeName, sleep, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { Double, errorOfCall, type RespClient, RespError, Status } from "../_resp_client.ts";
import { Heap } from "../../src/memory/allocator.ts";
import { lpGet, lpNew, lpNext } from "../../src/encoding/listpack.ts";
import { zslValidate } from "../../src/encoding/skiplist.ts";
import { OBJ_ZSET } from "../../src/store/object.ts";
import { valueOps } from "../../src/store/values.ts";
import {
  type ZObj,
  ZSET_LISTPACK,
  ZSET_SKIPLIST,
  zsetAdd,
  zsetConvert,
  zsetDel,
  zsetDup,
  zsetFree,
  ZsetIter,
  zsetIterInit,
  zsetIterNext,
  zsetLength,
  zsetNewListpack,
  zsetNewSkiplist,
  zsetRank,
  zsetScore,
} from "../../src/types/zset/mod.ts";
import { zzlFind, zzlInsert, zzlOut } from "../../src/types/zset/listpack.ts";
import { fastDecimal, fmt17g, strtod, strtodEnd } from "../../src/types/zset/score.ts";
import type { Server } from "../../src/server/server.ts";

const T = `zsets (${runtimeName})`;
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const SYNTAX = "ERR syntax error";
const NOT_FLOAT = "ERR value is not a valid float";
const NOT_INT = "ERR value is not an integer or out of range";
const RANGE_FLOAT = "ERR min or max is not a float";
const RANGE_LEX = "ERR min or max not valid string range item";
const POSITIVE = "ERR value is out of range, must be positive";
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const str = (b: Uint8Array) => String.fromCharCode(...b);

/** Both encodings, with the config that keeps a new small set in that encoding. */
const ENCODINGS: { name: string; config: Record<string, number> }[] = [
  { name: "listpack", config: {} },
  { name: "skiplist", config: { "zset-max-listpack-entries": 0 } },
];

async function encodingOf(r: RespClient, key: string): Promise<string> {
  return (await r.call("OBJECT", "ENCODING", key)) as string;
}

async function recordEvents(ctx: ServerCtx): Promise<string[]> {
  await ctx.r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
  const events: string[] = [];
  ctx.srv.server.onNotify = (_type, event, key) => {
    events.push(`${event}:${str(key)}`);
  };
  return events;
}

/** RESP3 doubles as their text, everything else unchanged (deeply). */
function texts(x: unknown): unknown {
  if (x instanceof Double) return `,${x.text}`;
  if (Array.isArray(x)) return x.map(texts);
  return x;
}

// -- ZADD, ZCARD, ZSCORE, ZRANGE basics --

for (const { name, config } of ENCODINGS) {
  test(`${T}: ZADD adds members in score then member order (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      assert.equal(await r.call("ZADD", "z", "3", "c", "1", "b", "1", "a", "2.5", "d"), 4);
      assert.equal(await encodingOf(r, "z"), name);
      assert.equal(await r.call("ZCARD", "z"), 4);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1", "WITHSCORES"), [
        "a",
        "1",
        "b",
        "1",
        "d",
        "2.5",
        "c",
        "3",
      ]);
      assert.equal(await r.call("ZADD", "z", "5", "a", "9", "e"), 1);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1"), ["b", "d", "c", "a", "e"]);
      assert.equal(await r.call("ZSCORE", "z", "a"), "5");
      assert.equal(await r.call("ZSCORE", "z", "nope"), null);
      assert.equal(await r.call("ZSCORE", "nokey", "a"), null);
      assert.equal(await r.call("ZCARD", "nokey"), 0);
      assert.deepEqual(await r.call("ZMSCORE", "z", "a", "nope", "d"), ["5", null, "2.5"]);
      assert.deepEqual(await r.call("ZMSCORE", "nokey", "a", "b"), [null, null]);
    });
  });

  test(`${T}: ZADD NX, XX, GT, LT and CH (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call("ZADD", "z", "1", "a", "2", "b");
      assert.equal(await r.call("ZADD", "z", "NX", "10", "a", "3", "c"), 1);
      assert.equal(await r.call("ZSCORE", "z", "a"), "1");
      assert.equal(await r.call("ZADD", "z", "XX", "10", "a", "4", "d"), 0);
      assert.equal(await r.call("ZSCORE", "z", "a"), "10");
      assert.equal(await r.call("ZSCORE", "z", "d"), null);
      assert.equal(await r.call("ZADD", "z", "XX", "CH", "11", "a", "4", "d"), 1);
      assert.equal(await r.call("ZADD", "z", "GT", "CH", "5", "a", "20", "b", "7", "e"), 2);
      assert.deepEqual(await r.call("ZMSCORE", "z", "a", "b", "e"), ["11", "20", "7"]);
      assert.equal(await r.call("ZADD", "z", "LT", "CH", "5", "a", "30", "b"), 1);
      assert.deepEqual(await r.call("ZMSCORE", "z", "a", "b"), ["5", "20"]);
      assert.equal(await r.call("ZADD", "z", "CH", "5", "a", "6", "b"), 1);
      assert.equal(await r.call("ZADD", "z", "ch", "xx", "gt", "1", "a"), 0);
      assert.equal(await r.call("ZADD", "nokey", "XX", "1", "a"), 0);
      assert.equal(await r.call("EXISTS", "nokey"), 0);
    });
  });

  test(`${T}: ZADD INCR and ZINCRBY return the new score or nil (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      assert.equal(await r.call("ZINCRBY", "z", "1.5", "a"), "1.5");
      assert.equal(await r.call("ZADD", "z", "INCR", "2", "a"), "3.5");
      assert.equal(await r.call("ZADD", "z", "INCR", "NX", "2", "a"), null);
      assert.equal(await r.call("ZADD", "z", "INCR", "XX", "2", "nope"), null);
      assert.equal(await r.call("ZADD", "z", "INCR", "GT", "-1", "a"), null);
      assert.equal(await r.call("ZADD", "z", "INCR", "LT", "-1", "a"), "2.5");
      assert.equal(await r.call("ZADD", "nokey", "INCR", "XX", "2", "a"), null);
      assert.equal(await r.call("ZINCRBY", "z", "inf", "a"), "inf");
      assert.equal(
        await errorOfCall(r, "ZINCRBY", "z", "-inf", "a"),
        "ERR resulting score is not a number (NaN)",
      );
      assert.equal(await r.call("ZSCORE", "z", "a"), "inf");
      assert.equal(await errorOfCall(r, "ZINCRBY", "z", "abc", "a"), NOT_FLOAT);
      assert.equal(await errorOfCall(r, "ZINCRBY", "z", "nx", "1"), SYNTAX);
      assert.equal(await r.call("ZINCRBY", "z", "1", "nx"), "1"); // "nx" is the member here
      assert.equal(await r.call("ZINCRBY", "z", "0.1", "b"), "0.10000000000000001");
      assert.equal(await r.call("ZINCRBY", "z", "0.2", "b"), "0.30000000000000004");
    });
  });
}

test(`${T}: ZADD refuses bad options and scores with Redis's texts`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await errorOfCall(r, "ZADD", "z", "NX", "1"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZADD", "z", "NX", "CH"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZADD", "z", "1", "a", "2"), SYNTAX);
    assert.equal(
      await errorOfCall(r, "ZADD", "z", "NX", "XX", "1", "a"),
      "ERR XX and NX options at the same time are not compatible",
    );
    for (const opts of [["GT", "LT"], ["NX", "GT"], ["LT", "NX"]]) {
      assert.equal(
        await errorOfCall(r, "ZADD", "z", ...opts, "1", "a"),
        "ERR GT, LT, and/or NX options at the same time are not compatible",
      );
    }
    assert.equal(
      await errorOfCall(r, "ZADD", "z", "INCR", "1", "a", "2", "b"),
      "ERR INCR option supports a single increment-element pair",
    );
    for (const bad of ["nan", "", " 1", "1 ", "abc", "1e400", "1e-400", "0x", "--1"]) {
      assert.equal(await errorOfCall(r, "ZADD", "z", bad, "a"), NOT_FLOAT, JSON.stringify(bad));
    }
    // a bad score anywhere refuses the whole command
    assert.equal(await errorOfCall(r, "ZADD", "z", "1", "a", "x", "b"), NOT_FLOAT);
    assert.equal(await r.call("EXISTS", "z"), 0);
    // strtod forms Redis accepts
    await r.call(
      "ZADD",
      "z",
      "0x10",
      "hex",
      "5.",
      "dot",
      ".5",
      "half",
      "+inf",
      "pinf",
      "-INF",
      "ninf",
    );
    assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1", "WITHSCORES"), [
      "ninf",
      "-inf",
      "half",
      "0.5",
      "dot",
      "5",
      "hex",
      "16",
      "pinf",
      "inf",
    ]);
    await r.call("SET", "str", "x");
    assert.equal(await errorOfCall(r, "ZADD", "str", "1", "a"), WRONGTYPE);
    assert.equal(await errorOfCall(r, "ZADD", "str", "bad", "a"), NOT_FLOAT);
  });
});

// -- encodings and conversions --

test(`${T}: a new key takes its encoding from the first member`, async () => {
  await withServer({ "zset-max-listpack-value": 5 }, async ({ r }) => {
    await r.call("ZADD", "short", "1", "abcde", "2", "abcdefgh");
    assert.equal(await encodingOf(r, "short"), "skiplist"); // converted by the second member
    await r.call("ZADD", "long", "1", "abcdef");
    assert.equal(await encodingOf(r, "long"), "skiplist");
    await r.call("ZADD", "ok", "1", "abcde");
    assert.equal(await encodingOf(r, "ok"), "listpack");
    await r.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
    await r.call("ZADD", "zero", "1", "a");
    assert.equal(await encodingOf(r, "zero"), "skiplist");
  });
});

test(`${T}: a listpack converts past zset-max-listpack-entries and never converts back`, async () => {
  await withServer({ "zset-max-ziplist-entries": 4 }, async ({ r }) => {
    assert.deepEqual(await r.call("CONFIG", "GET", "zset-max-listpack-entries"), [
      "zset-max-listpack-entries",
      "4",
    ]);
    await r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
    assert.equal(await encodingOf(r, "z"), "listpack");
    await r.call("ZADD", "z", "5", "a"); // an update does not grow the set
    assert.equal(await encodingOf(r, "z"), "listpack");
    await r.call("ZADD", "z", "5", "e");
    assert.equal(await encodingOf(r, "z"), "skiplist");
    assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1"), ["b", "c", "d", "a", "e"]);
    await r.call("ZREM", "z", "a", "b", "c", "d");
    assert.equal(await encodingOf(r, "z"), "skiplist");
    assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1", "WITHSCORES"), ["e", "5"]);
  });
});

test(`${T}: a member longer than zset-max-listpack-value converts the set`, async () => {
  await withServer({ "zset-max-ziplist-value": 8 }, async ({ r }) => {
    await r.call("ZADD", "z", "1", "a", "2", "12345678");
    assert.equal(await encodingOf(r, "z"), "listpack");
    await r.call("ZADD", "z", "3", "123456789");
    assert.equal(await encodingOf(r, "z"), "skiplist");
    assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1"), ["a", "12345678", "123456789"]);
  });
});

for (const { name, config } of ENCODINGS) {
  test(`${T}: binary and integer-looking members round-trip (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      const ms = ["", "a\0b", "\r\n", "12", "-3", "007", "9223372036854775807", "1.5"];
      const args: string[] = [];
      ms.forEach((m, i) => args.push(String(i), m));
      assert.equal(await r.call("ZADD", "z", ...args), ms.length);
      assert.equal(await encodingOf(r, "z"), name);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1"), ms);
      for (let i = 0; i < ms.length; i++) {
        assert.equal(await r.call("ZSCORE", "z", ms[i]), String(i));
        assert.equal(await r.call("ZRANK", "z", ms[i]), i);
      }
      assert.equal(await r.call("ZSCORE", "z", "12.0"), null);
      assert.equal(await r.call("ZREM", "z", "a\0b", "12", ""), 3);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1"), [
        "\r\n",
        "-3",
        "007",
        "9223372036854775807",
        "1.5",
      ]);
    });
  });

  test(`${T}: scores print as %.17g, in RESP3 as doubles (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call(
        "ZADD",
        "z",
        "0.1",
        "a",
        "1e18",
        "b",
        "-inf",
        "c",
        "inf",
        "d",
        "123456789012345678",
        "e",
        "4611686018427387904",
        "f",
        "1e-5",
        "g",
        "3",
        "h",
      );
      const flat = [
        "c",
        "-inf",
        "g",
        "1.0000000000000001e-05",
        "a",
        "0.10000000000000001",
        "h",
        "3",
        "e",
        "1.2345678901234568e+17",
        "b",
        "1e+18",
        "f",
        "4.6116860184273879e+18",
        "d",
        "inf",
      ];
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1", "WITHSCORES"), flat);
      await r.call("HELLO", "3");
      const pairs = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], `,${flat[i + 1]}`]);
      assert.deepEqual(texts(await r.call("ZRANGE", "z", "0", "-1", "WITHSCORES")), pairs);
      assert.deepEqual(texts(await r.call("ZSCORE", "z", "a")), ",0.10000000000000001");
      assert.deepEqual(texts(await r.call("ZSCORE", "z", "h")), ",3");
      assert.deepEqual(texts(await r.call("ZMSCORE", "z", "d", "x")), [",inf", null]);
      assert.deepEqual(texts(await r.call("ZINCRBY", "z", "1", "h")), ",4");
      assert.equal(await r.call("ZSCORE", "z", "nope"), null);
      const dblmax = "1.7976931348623157e+308";
      await r.call("HELLO", "2");
      await r.call("ZADD", "m", dblmax, "max");
      assert.equal(await r.call("ZSCORE", "m", "max"), dblmax);
    });
  });
}

test(`${T}: a -0 score reads back as 0 from a listpack and -0 from a skiplist`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("ZADD", "lp", "-0", "x", "1", "y");
    await r.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
    await r.call("ZADD", "sl", "-0", "x", "1", "y");
    assert.equal(await encodingOf(r, "lp"), "listpack");
    assert.equal(await encodingOf(r, "sl"), "skiplist");
    assert.equal(await r.call("ZSCORE", "lp", "x"), "0");
    assert.equal(await r.call("ZSCORE", "sl", "x"), "-0");
    assert.deepEqual(await r.call("ZRANGE", "sl", "0", "0", "WITHSCORES"), ["x", "-0"]);
    assert.deepEqual(await r.call("ZSCAN", "lp", "0"), ["0", ["x", "0", "y", "1"]]);
    const scan = (await r.call("ZSCAN", "sl", "0")) as [string, string[]];
    assert.equal(scan[1][scan[1].indexOf("x") + 1], "-0");
    assert.deepEqual(
      await r.call("ZRANDMEMBER", "sl", "-1", "WITHSCORES").then((v) => (v as string[]).length),
      2,
    );
    // a STORE result that fits goes back to a listpack, where -0 is stored as 0
    await r.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
    await r.call("ZUNIONSTORE", "u", "1", "sl");
    assert.equal(await encodingOf(r, "u"), "listpack");
    assert.equal(await r.call("ZSCORE", "u", "x"), "0");
  });
});

// -- ZREM, ZRANK --

for (const { name, config } of ENCODINGS) {
  test(`${T}: ZREM removes members and the emptied key (${name})`, async () => {
    await withServer(config, async (ctx) => {
      const { r } = ctx;
      await r.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
      const events = await recordEvents(ctx);
      assert.equal(await r.call("ZREM", "z", "a", "nope", "a"), 1);
      assert.equal(await r.call("ZREM", "z", "nope"), 0);
      assert.equal(await r.call("ZREM", "z", "b", "c", "d"), 2);
      assert.equal(await r.call("EXISTS", "z"), 0);
      assert.deepEqual(events, ["zrem:z", "zrem:z", "del:z"]);
      assert.equal(await r.call("ZREM", "nokey", "a"), 0);
    });
  });

  test(`${T}: ZRANK and ZREVRANK (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call("ZADD", "z", "1", "a", "2", "b", "2", "c", "5", "d");
      assert.deepEqual(
        await Promise.all(["a", "b", "c", "d"].map((m) => r.call("ZRANK", "z", m))),
        [0, 1, 2, 3],
      );
      assert.deepEqual(
        await Promise.all(["a", "b", "c", "d"].map((m) => r.call("ZREVRANK", "z", m))),
        [3, 2, 1, 0],
      );
      assert.equal(await r.call("ZRANK", "z", "nope"), null);
      assert.equal(await r.call("ZREVRANK", "nokey", "a"), null);
    });
  });
}

test(`${T}: reads and writes of another type reply WRONGTYPE`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "str", "x");
    const cmds = [
      ["ZADD", "str", "1", "a"],
      ["ZINCRBY", "str", "1", "a"],
      ["ZREM", "str", "a"],
      ["ZCARD", "str"],
      ["ZSCORE", "str", "a"],
      ["ZMSCORE", "str", "a"],
      ["ZRANK", "str", "a"],
      ["ZREVRANK", "str", "a"],
      ["ZRANGE", "str", "0", "-1"],
      ["ZRANGEBYSCORE", "str", "0", "1"],
      ["ZRANGEBYLEX", "str", "-", "+"],
      ["ZREVRANGE", "str", "0", "1"],
      ["ZCOUNT", "str", "0", "1"],
      ["ZLEXCOUNT", "str", "-", "+"],
      ["ZREMRANGEBYRANK", "str", "0", "1"],
      ["ZREMRANGEBYSCORE", "str", "0", "1"],
      ["ZREMRANGEBYLEX", "str", "-", "+"],
      ["ZPOPMIN", "str"],
      ["ZPOPMAX", "str", "2"],
      ["ZMPOP", "1", "str", "MIN"],
      ["BZPOPMIN", "str", "0"],
      ["BZMPOP", "0", "1", "str", "MAX"],
      ["ZRANDMEMBER", "str"],
      ["ZRANDMEMBER", "str", "2"],
      ["ZSCAN", "str", "0"],
      ["ZUNION", "1", "str"],
      ["ZINTERSTORE", "d", "1", "str"],
      ["ZRANGESTORE", "d", "str", "0", "-1"],
    ];
    for (const c of cmds) assert.equal(await errorOfCall(r, ...c), WRONGTYPE, c.join(" "));
  });
});

// -- ranges --

for (const { name, config } of ENCODINGS) {
  test(`${T}: ZRANGE by rank with negative and out-of-range indexes (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
      assert.deepEqual(await r.call("ZRANGE", "z", "1", "2"), ["b", "c"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "-2", "-1"), ["c", "d"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "-100", "100"), ["a", "b", "c", "d"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "3", "1"), []);
      assert.deepEqual(await r.call("ZRANGE", "z", "5", "10"), []);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "1", "REV", "WITHSCORES"), [
        "d",
        "4",
        "c",
        "3",
      ]);
      assert.deepEqual(await r.call("ZREVRANGE", "z", "0", "-2"), ["d", "c", "b"]);
      assert.deepEqual(await r.call("ZREVRANGE", "z", "1", "1", "WITHSCORES"), ["c", "3"]);
      assert.deepEqual(await r.call("ZRANGE", "nokey", "0", "-1"), []);
      assert.equal(await errorOfCall(r, "ZRANGE", "z", "a", "1"), NOT_INT);
      assert.equal(
        await errorOfCall(r, "ZRANGE", "z", "0", "1", "LIMIT", "0", "1"),
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      );
      // LIMIT with a count of -1 is the "no limit" default, so it is allowed
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "0", "LIMIT", "5", "-1"), ["a"]);
      for (const extra of [["REV", "REV"], ["BYSCORE", "BYLEX"], ["FOO"], ["LIMIT", "1"]]) {
        assert.equal(await errorOfCall(r, "ZRANGE", "z", "0", "1", ...extra), SYNTAX, extra.join(" "));
      }
      assert.equal(await errorOfCall(r, "ZREVRANGE", "z", "0", "1", "REV"), SYNTAX);
      assert.equal(await errorOfCall(r, "ZRANGEBYSCORE", "z", "0", "1", "BYSCORE"), SYNTAX);
    });
  });

  test(`${T}: ZRANGE BYSCORE with open bounds, infinities, LIMIT and REV (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call("ZADD", "z", "-inf", "n", "1", "a", "2", "b", "2", "c", "3", "d", "inf", "p");
      assert.deepEqual(await r.call("ZRANGE", "z", "2", "3", "BYSCORE"), ["b", "c", "d"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "(2", "3", "BYSCORE"), ["d"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "1", "(2", "BYSCORE", "WITHSCORES"), ["a", "1"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "-inf", "+inf", "BYSCORE"), [
        "n",
        "a",
        "b",
        "c",
        "d",
        "p",
      ]);
      assert.deepEqual(await r.call("ZRANGE", "z", "(-inf", "(inf", "BYSCORE"), [
        "a",
        "b",
        "c",
        "d",
      ]);
      assert.deepEqual(
        await r.call("ZRANGE", "z", "0", "10", "BYSCORE", "LIMIT", "1", "2", "WITHSCORES"),
        ["b", "2", "c", "2"],
      );
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "10", "BYSCORE", "LIMIT", "1", "-5"), [
        "b",
        "c",
        "d",
      ]);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "10", "BYSCORE", "LIMIT", "0", "0"), []);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "10", "BYSCORE", "LIMIT", "-1", "5"), []);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "10", "BYSCORE", "LIMIT", "10", "5"), []);
      assert.deepEqual(await r.call("ZRANGE", "z", "3", "(1", "BYSCORE", "REV"), ["d", "c", "b"]);
      assert.deepEqual(
        await r.call("ZREVRANGEBYSCORE", "z", "+inf", "2", "WITHSCORES", "LIMIT", "0", "2"),
        ["p", "inf", "d", "3"],
      );
      assert.deepEqual(await r.call("ZRANGEBYSCORE", "z", "(1", "(3"), ["b", "c"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "3", "2", "BYSCORE"), []);
      assert.deepEqual(await r.call("ZRANGE", "z", "(2", "2", "BYSCORE"), []);
      // C strtod: "" is 0, leading spaces are skipped, a NUL ends the number
      await r.call("ZADD", "zero", "0", "x", "1", "y");
      assert.deepEqual(await r.call("ZRANGE", "zero", "", "", "BYSCORE"), ["x"]);
      assert.deepEqual(await r.call("ZRANGE", "zero", " 1", "1", "BYSCORE"), ["y"]);
      assert.deepEqual(await r.call("ZRANGE", "zero", "1\0junk", "9", "BYSCORE"), ["y"]);
      assert.deepEqual(await r.call("ZRANGE", "zero", "(", "1e400", "BYSCORE"), ["y"]);
      for (const bad of ["abc", "nan", "1 ", "  ", "((1", "1e5x"]) {
        assert.equal(await errorOfCall(r, "ZRANGE", "z", bad, "1", "BYSCORE"), RANGE_FLOAT, bad);
        assert.equal(await errorOfCall(r, "ZCOUNT", "z", "1", bad), RANGE_FLOAT, bad);
      }
      assert.equal(await errorOfCall(r, "ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "x", "1"), NOT_INT);
    });
  });

  test(`${T}: ZRANGE BYLEX and the lex commands (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "ab");
      assert.deepEqual(await r.call("ZRANGE", "z", "-", "+", "BYLEX"), [
        "a",
        "ab",
        "b",
        "c",
        "d",
        "e",
      ]);
      assert.deepEqual(await r.call("ZRANGE", "z", "[ab", "(d", "BYLEX"), ["ab", "b", "c"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "(a", "[b", "BYLEX", "LIMIT", "1", "5"), ["b"]);
      assert.deepEqual(await r.call("ZRANGE", "z", "+", "[c", "BYLEX", "REV"), ["e", "d", "c"]);
      assert.deepEqual(await r.call("ZRANGEBYLEX", "z", "[b", "[b"), ["b"]);
      assert.deepEqual(await r.call("ZRANGEBYLEX", "z", "(b", "(b"), []);
      assert.deepEqual(await r.call("ZRANGEBYLEX", "z", "+", "-"), []);
      assert.deepEqual(await r.call("ZREVRANGEBYLEX", "z", "(c", "-", "LIMIT", "0", "2"), [
        "b",
        "ab",
      ]);
      assert.equal(await r.call("ZLEXCOUNT", "z", "-", "+"), 6);
      assert.equal(await r.call("ZLEXCOUNT", "z", "(a", "[c"), 3);
      assert.equal(await r.call("ZLEXCOUNT", "nokey", "-", "+"), 0);
      for (const bad of ["a", "", "-a", "+z", "--"]) {
        assert.equal(await errorOfCall(r, "ZRANGEBYLEX", "z", bad, "+"), RANGE_LEX, bad);
        assert.equal(await errorOfCall(r, "ZLEXCOUNT", "z", "-", bad), RANGE_LEX, bad);
      }
      assert.equal(
        await errorOfCall(r, "ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"),
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
      );
      assert.equal(await r.call("ZREMRANGEBYLEX", "z", "[b", "(d"), 2);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1"), ["a", "ab", "d", "e"]);
      assert.equal(await r.call("ZREMRANGEBYLEX", "z", "-", "+"), 4);
      assert.equal(await r.call("EXISTS", "z"), 0);
    });
  });

  test(`${T}: ZCOUNT and ZREMRANGEBYSCORE / ZREMRANGEBYRANK (${name})`, async () => {
    await withServer(config, async (ctx) => {
      const { r } = ctx;
      await r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      assert.equal(await r.call("ZCOUNT", "z", "2", "4"), 3);
      assert.equal(await r.call("ZCOUNT", "z", "(2", "(4"), 1);
      assert.equal(await r.call("ZCOUNT", "z", "-inf", "+inf"), 5);
      assert.equal(await r.call("ZCOUNT", "z", "6", "9"), 0);
      assert.equal(await r.call("ZCOUNT", "nokey", "0", "1"), 0);
      const events = await recordEvents(ctx);
      assert.equal(await r.call("ZREMRANGEBYSCORE", "z", "(1", "2"), 1);
      assert.equal(await r.call("ZREMRANGEBYSCORE", "z", "10", "20"), 0);
      assert.equal(await r.call("ZREMRANGEBYRANK", "z", "-1", "-1"), 1);
      assert.equal(await r.call("ZREMRANGEBYRANK", "z", "5", "9"), 0);
      assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1"), ["a", "c", "d"]);
      assert.equal(await r.call("ZREMRANGEBYRANK", "z", "0", "100"), 3);
      assert.equal(await r.call("EXISTS", "z"), 0);
      assert.deepEqual(events, [
        "zremrangebyscore:z",
        "zremrangebyrank:z",
        "zremrangebyrank:z",
        "del:z",
      ]);
      assert.equal(await r.call("ZREMRANGEBYRANK", "nokey", "0", "1"), 0);
      assert.equal(await errorOfCall(r, "ZREMRANGEBYRANK", "z", "x", "1"), NOT_INT);
      assert.equal(await errorOfCall(r, "ZREMRANGEBYSCORE", "z", "x", "1"), RANGE_FLOAT);
      assert.equal(await errorOfCall(r, "ZREMRANGEBYLEX", "z", "x", "+"), RANGE_LEX);
    });
  });

  test(`${T}: ZRANGESTORE stores ranges and deletes the destination on empty results (${name})`, async () => {
    await withServer(config, async (ctx) => {
      const { r } = ctx;
      await r.call("ZADD", "src", "1", "a", "2", "b", "3", "c");
      const events = await recordEvents(ctx);
      assert.equal(await r.call("ZRANGESTORE", "dst", "src", "0", "1"), 2);
      assert.deepEqual(await r.call("ZRANGE", "dst", "0", "-1", "WITHSCORES"), [
        "a",
        "1",
        "b",
        "2",
      ]);
      assert.equal(
        await r.call("ZRANGESTORE", "dst", "src", "(1", "+inf", "BYSCORE", "LIMIT", "0", "1"),
        1,
      );
      assert.deepEqual(await r.call("ZRANGE", "dst", "0", "-1"), ["b"]);
      assert.equal(await r.call("ZRANGESTORE", "dst", "src", "+inf", "-inf", "BYSCORE", "REV"), 3);
      assert.equal(await r.call("ZRANGESTORE", "dst", "src", "[b", "+", "BYLEX"), 2);
      assert.equal(await r.call("ZRANGESTORE", "dst", "src", "5", "9"), 0);
      assert.equal(await r.call("EXISTS", "dst"), 0);
      assert.equal(await r.call("ZRANGESTORE", "dst", "nokey", "0", "-1"), 0);
      assert.deepEqual(events, [
        "zrangestore:dst",
        "zrangestore:dst",
        "zrangestore:dst",
        "zrangestore:dst",
        "del:dst",
      ]);
      // the destination may be the source
      assert.equal(await r.call("ZRANGESTORE", "src", "src", "1", "-1"), 2);
      assert.deepEqual(await r.call("ZRANGE", "src", "0", "-1"), ["b", "c"]);
      assert.equal(await errorOfCall(r, "ZRANGESTORE", "dst", "src", "0", "-1", "WITHSCORES"), SYNTAX);
      // a TTL on the destination goes away
      await r.call("SET", "dst", "x", "EX", "100");
      assert.equal(await r.call("ZRANGESTORE", "dst", "src", "0", "0"), 1);
      assert.equal(await r.call("TTL", "dst"), -1);
    });
  });
}

test(`${T}: ZRANGESTORE picks the destination encoding from the rank range length`, async () => {
  await withServer({ "zset-max-listpack-entries": 3 }, async ({ r }) => {
    await r.call("ZADD", "src", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
    assert.equal(await encodingOf(r, "src"), "skiplist");
    await r.call("ZRANGESTORE", "d1", "src", "0", "2");
    assert.equal(await encodingOf(r, "d1"), "listpack");
    await r.call("ZRANGESTORE", "d2", "src", "0", "3");
    assert.equal(await encodingOf(r, "d2"), "skiplist");
    await r.call("ZRANGESTORE", "d3", "src", "0", "100");
    assert.equal(await encodingOf(r, "d3"), "skiplist");
    await r.call("ZRANGESTORE", "d4", "src", "-inf", "(4", "BYSCORE");
    assert.equal(await encodingOf(r, "d4"), "listpack");
    await r.call("ZRANGESTORE", "d5", "src", "-inf", "+inf", "BYSCORE");
    assert.equal(await encodingOf(r, "d5"), "skiplist");
  });
});

// -- set algebra --

for (const { name, config } of ENCODINGS) {
  test(`${T}: ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE with WEIGHTS and AGGREGATE (${name})`, async () => {
    await withServer(config, async (ctx) => {
      const { r } = ctx;
      await r.call("ZADD", "a", "1", "x", "2", "y", "3", "z");
      await r.call("ZADD", "b", "10", "y", "20", "z", "30", "w");
      const events = await recordEvents(ctx);
      assert.equal(await r.call("ZUNIONSTORE", "u", "2", "a", "b"), 4);
      assert.deepEqual(await r.call("ZRANGE", "u", "0", "-1", "WITHSCORES"), [
        "x",
        "1",
        "y",
        "12",
        "z",
        "23",
        "w",
        "30",
      ]);
      assert.equal(
        await r.call("ZUNIONSTORE", "u", "2", "a", "b", "WEIGHTS", "2", "0.5", "AGGREGATE", "MAX"),
        4,
      );
      assert.deepEqual(await r.call("ZRANGE", "u", "0", "-1", "WITHSCORES"), [
        "x",
        "2",
        "y",
        "5",
        "z",
        "10",
        "w",
        "15",
      ]);
      assert.equal(await r.call("ZINTERSTORE", "i", "2", "a", "b", "AGGREGATE", "min"), 2);
      assert.deepEqual(await r.call("ZRANGE", "i", "0", "-1", "WITHSCORES"), ["y", "2", "z", "3"]);
      assert.equal(await r.call("ZDIFFSTORE", "d", "2", "a", "b"), 1);
      assert.deepEqual(await r.call("ZRANGE", "d", "0", "-1", "WITHSCORES"), ["x", "1"]);
      assert.equal(await r.call("ZDIFFSTORE", "d", "2", "a", "a"), 0);
      assert.equal(await r.call("EXISTS", "d"), 0);
      assert.equal(await r.call("ZINTERSTORE", "i", "2", "a", "nokey"), 0);
      assert.equal(await r.call("EXISTS", "i"), 0);
      assert.deepEqual(events, [
        "zunionstore:u",
        "zunionstore:u",
        "zinterstore:i",
        "zdiffstore:d",
        "del:d",
        "del:i",
      ]);
      // the same key twice
      assert.equal(await r.call("ZINTERSTORE", "i", "2", "a", "a", "WEIGHTS", "1", "2"), 3);
      assert.deepEqual(await r.call("ZRANGE", "i", "0", "-1", "WITHSCORES"), [
        "x",
        "3",
        "y",
        "6",
        "z",
        "9",
      ]);
    });
  });

  test(`${T}: ZUNION, ZINTER, ZDIFF and ZINTERCARD reply directly (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call("ZADD", "a", "1", "x", "2", "y", "3", "z");
      await r.call("ZADD", "b", "10", "y", "20", "z");
      assert.deepEqual(await r.call("ZUNION", "2", "a", "b"), ["x", "y", "z"]);
      assert.deepEqual(await r.call("ZUNION", "2", "a", "b", "WITHSCORES"), [
        "x",
        "1",
        "y",
        "12",
        "z",
        "23",
      ]);
      assert.deepEqual(await r.call("ZINTER", "2", "a", "b", "WITHSCORES", "AGGREGATE", "MAX"), [
        "y",
        "10",
        "z",
        "20",
      ]);
      assert.deepEqual(await r.call("ZDIFF", "2", "a", "b", "WITHSCORES"), ["x", "1"]);
      assert.deepEqual(await r.call("ZDIFF", "2", "nokey", "a"), []);
      assert.equal(await r.call("ZINTERCARD", "2", "a", "b"), 2);
      assert.equal(await r.call("ZINTERCARD", "2", "a", "b", "LIMIT", "1"), 1);
      assert.equal(await r.call("ZINTERCARD", "2", "a", "b", "LIMIT", "0"), 2);
      await r.call("HELLO", "3");
      assert.deepEqual(texts(await r.call("ZUNION", "2", "a", "b", "WITHSCORES")), [
        ["x", ",1"],
        ["y", ",12"],
        ["z", ",23"],
      ]);
      assert.deepEqual(texts(await r.call("ZINTER", "1", "b")), ["y", "z"]);
    });
  });
}

test(`${T}: sets take part in the set algebra with score 1`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "ints", "1", "2", "3");
    await r.call("SADD", "strs", "a", "b", "1");
    await r.call("ZADD", "z", "5", "1", "7", "a", "9", "q");
    assert.deepEqual(await r.call("ZUNION", "3", "ints", "strs", "z", "WITHSCORES"), [
      "2",
      "1",
      "3",
      "1",
      "b",
      "1",
      "1",
      "7",
      "a",
      "8",
      "q",
      "9",
    ]);
    assert.deepEqual(await r.call("ZINTER", "2", "ints", "z", "WITHSCORES"), ["1", "6"]);
    assert.deepEqual(await r.call("ZINTER", "2", "strs", "z", "WEIGHTS", "10", "1", "WITHSCORES"), [
      "1",
      "15",
      "a",
      "17",
    ]);
    assert.deepEqual(await r.call("ZDIFF", "2", "z", "strs", "WITHSCORES"), ["q", "9"]);
    assert.equal(await r.call("ZINTERCARD", "3", "ints", "strs", "z"), 1);
    assert.equal(await r.call("ZUNIONSTORE", "u", "1", "ints"), 3);
    assert.deepEqual(await r.call("ZRANGE", "u", "0", "-1", "WITHSCORES"), [
      "1",
      "1",
      "2",
      "1",
      "3",
      "1",
    ]);
  });
});

test(`${T}: infinite weights and scores: inf + -inf is 0, 0 * inf is 0`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("ZADD", "a", "inf", "x", "1", "y");
    await r.call("ZADD", "b", "-inf", "x", "2", "y");
    assert.deepEqual(await r.call("ZUNION", "2", "a", "b", "WITHSCORES"), ["x", "0", "y", "3"]);
    assert.deepEqual(await r.call("ZINTER", "2", "a", "b", "WITHSCORES"), ["x", "0", "y", "3"]);
    assert.deepEqual(await r.call("ZUNION", "1", "a", "WEIGHTS", "0", "WITHSCORES"), [
      "x",
      "0",
      "y",
      "0",
    ]);
    assert.deepEqual(
      await r.call("ZINTER", "2", "a", "b", "WEIGHTS", "0", "1", "AGGREGATE", "MIN", "WITHSCORES"),
      [
        "x",
        "-inf",
        "y",
        "0",
      ],
    );
    assert.deepEqual(await r.call("ZUNION", "2", "a", "b", "WEIGHTS", "inf", "1", "WITHSCORES"), [
      "x",
      "0",
      "y",
      "inf",
    ]);
  });
});

test(`${T}: a STORE result that fits the listpack limits is stored as a listpack`, async () => {
  await withServer(
    { "zset-max-listpack-entries": 2, "zset-max-listpack-value": 5 },
    async ({ r }) => {
      await r.call("ZADD", "a", "1", "x", "2", "y", "3", "z");
      assert.equal(await encodingOf(r, "a"), "skiplist");
      await r.call("ZINTERSTORE", "small", "1", "a", "WEIGHTS", "1");
      assert.equal(await encodingOf(r, "small"), "skiplist");
      await r.call("ZREM", "a", "z");
      await r.call("ZUNIONSTORE", "small", "1", "a");
      assert.equal(await encodingOf(r, "small"), "listpack");
      await r.call("ZADD", "b", "1", "abcdef");
      await r.call("ZUNIONSTORE", "long", "1", "b");
      assert.equal(await encodingOf(r, "long"), "skiplist");
      await r.call("ZDIFFSTORE", "d", "1", "a");
      assert.equal(await encodingOf(r, "d"), "listpack");
    },
  );
});

test(`${T}: set algebra errors keep Redis's order and texts`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("ZADD", "z", "1", "a");
    await r.call("SET", "str", "x");
    assert.equal(
      await errorOfCall(r, "ZUNIONSTORE", "d", "0", "z"),
      "ERR at least 1 input key is needed for 'zunionstore' command",
    );
    assert.equal(
      await errorOfCall(r, "ZINTERCARD", "0", "z"),
      "ERR at least 1 input key is needed for 'zintercard' command",
    );
    assert.equal(
      await errorOfCall(r, "ZINTER", "-1", "z"),
      "ERR at least 1 input key is needed for 'zinter' command",
    );
    assert.equal(await errorOfCall(r, "ZUNION", "x", "z"), NOT_INT);
    assert.equal(await errorOfCall(r, "ZUNION", "3", "z"), SYNTAX);
    assert.equal(
      await errorOfCall(r, "ZUNION", "1", "z", "WEIGHTS", "x"),
      "ERR weight value is not a float",
    );
    assert.equal(await errorOfCall(r, "ZUNION", "1", "z", "WEIGHTS", "1", "2"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZUNION", "1", "z", "AGGREGATE", "AVG"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZUNIONSTORE", "d", "1", "z", "WITHSCORES"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZDIFF", "1", "z", "WEIGHTS", "1"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZINTERCARD", "1", "z", "WITHSCORES"), SYNTAX);
    assert.equal(
      await errorOfCall(r, "ZINTERCARD", "1", "z", "LIMIT", "-1"),
      "ERR LIMIT can't be negative",
    );
    assert.equal(
      await errorOfCall(r, "ZINTERCARD", "1", "z", "LIMIT", "x"),
      "ERR LIMIT can't be negative",
    );
    // a wrong-type input is reported before bad options
    assert.equal(await errorOfCall(r, "ZUNION", "2", "z", "str", "WEIGHTS", "x"), WRONGTYPE);
  });
});

// -- pops --

for (const { name, config } of ENCODINGS) {
  test(`${T}: ZPOPMIN and ZPOPMAX with and without a count (${name})`, async () => {
    await withServer(config, async (ctx) => {
      const { r } = ctx;
      await r.call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
      const events = await recordEvents(ctx);
      assert.deepEqual(await r.call("ZPOPMIN", "z"), ["a", "1"]);
      assert.deepEqual(await r.call("ZPOPMAX", "z"), ["e", "5"]);
      assert.deepEqual(await r.call("ZPOPMIN", "z", "2"), ["b", "2", "c", "3"]);
      assert.deepEqual(await r.call("ZPOPMIN", "z", "0"), []);
      assert.deepEqual(await r.call("ZPOPMAX", "z", "10"), ["d", "4"]);
      assert.equal(await r.call("EXISTS", "z"), 0);
      assert.deepEqual(await r.call("ZPOPMIN", "z"), []);
      assert.deepEqual(events, ["zpopmin:z", "zpopmax:z", "zpopmin:z", "zpopmax:z", "del:z"]);
      await r.call("ZADD", "z", "1", "a", "2", "b");
      await r.call("HELLO", "3");
      assert.deepEqual(texts(await r.call("ZPOPMIN", "z")), ["a", ",1"]);
      assert.deepEqual(texts(await r.call("ZPOPMAX", "z", "1")), [["b", ",2"]]);
      assert.equal(await errorOfCall(r, "ZPOPMIN", "z", "-1"), POSITIVE);
      assert.equal(await errorOfCall(r, "ZPOPMIN", "z", "x"), POSITIVE);
      assert.equal(await errorOfCall(r, "ZPOPMIN", "z", "1", "2"), SYNTAX);
    });
  });

  test(`${T}: ZMPOP pops from the first non-empty key (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      await r.call("ZADD", "z2", "1", "a", "2", "b", "3", "c");
      assert.deepEqual(await r.call("ZMPOP", "2", "z1", "z2", "MIN"), ["z2", [["a", "1"]]]);
      assert.deepEqual(await r.call("ZMPOP", "2", "z1", "z2", "max", "COUNT", "5"), [
        "z2",
        [["c", "3"], ["b", "2"]],
      ]);
      assert.equal(await r.call("ZMPOP", "2", "z1", "z2", "MIN"), null);
      await r.call("HELLO", "3");
      await r.call("ZADD", "z1", "1.5", "x");
      assert.deepEqual(texts(await r.call("ZMPOP", "1", "z1", "MIN")), ["z1", [["x", ",1.5"]]]);
      const numkeys = "ERR numkeys should be greater than 0";
      assert.equal(await errorOfCall(r, "ZMPOP", "0", "z1", "MIN"), numkeys);
      assert.equal(await errorOfCall(r, "ZMPOP", "x", "z1", "MIN"), numkeys);
      assert.equal(await errorOfCall(r, "ZMPOP", "2", "z1", "MIN"), SYNTAX);
      assert.equal(await errorOfCall(r, "ZMPOP", "1", "z1", "MID"), SYNTAX);
      assert.equal(await errorOfCall(r, "ZMPOP", "1", "z1", "MIN", "COUNT"), SYNTAX);
      assert.equal(await errorOfCall(r, "ZMPOP", "1", "z1", "MIN", "COUNT", "1", "COUNT", "1"), SYNTAX);
      assert.equal(
        await errorOfCall(r, "ZMPOP", "1", "z1", "MIN", "COUNT", "0"),
        "ERR count should be greater than 0",
      );
      assert.equal(await errorOfCall(r, "ZMPOP", "5", "z1", "MIN"), SYNTAX);
    });
  });
}

test(`${T}: BZPOPMIN, BZPOPMAX and BZMPOP pop at once when data is there`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
    assert.deepEqual(await r.call("BZPOPMIN", "nokey", "z", "0"), ["z", "a", "1"]);
    assert.deepEqual(await r.call("BZPOPMAX", "z", "0"), ["z", "c", "3"]);
    assert.deepEqual(await r.call("BZMPOP", "0", "2", "nokey", "z", "MIN", "COUNT", "5"), ["z", [[
      "b",
      "2",
    ]]]);
    assert.equal(await r.call("EXISTS", "z"), 0);
    assert.equal(
      await errorOfCall(r, "BZPOPMIN", "z", "x"),
      "ERR timeout is not a float or out of range",
    );
    assert.equal(await errorOfCall(r, "BZPOPMIN", "z", "-1"), "ERR timeout is negative");
    assert.equal(
      await errorOfCall(r, "BZMPOP", "x", "0", "z", "MIN"),
      "ERR numkeys should be greater than 0",
    );
    assert.equal(
      await errorOfCall(r, "BZMPOP", "x", "1", "z", "MIN"),
      "ERR timeout is not a float or out of range",
    );
  });
});

test(`${T}: blocked BZPOPMIN clients are served in order when a zset appears`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c1 = await ctx.client();
    const c2 = await ctx.client();
    c1.send("BZPOPMIN", "k1", "k2", "0");
    await sleep(30);
    c2.send("BZPOPMAX", "k2", "0");
    await sleep(30);
    assert.equal(await r.call("ZADD", "k2", "1", "a", "2", "b"), 2);
    assert.deepEqual(await c1.read(), ["k2", "a", "1"]);
    assert.deepEqual(await c2.read(), ["k2", "b", "2"]);
    assert.equal(await r.call("EXISTS", "k2"), 0);
    // BZMPOP blocks too, and takes up to COUNT members
    c1.send("BZMPOP", "0", "1", "k3", "MAX", "COUNT", "2");
    await sleep(30);
    await r.call("ZADD", "k3", "1", "a", "2", "b", "3", "c");
    assert.deepEqual(await c1.read(), ["k3", [["c", "3"], ["b", "2"]]]);
    assert.deepEqual(await r.call("ZRANGE", "k3", "0", "-1"), ["a"]);
  });
});

test(`${T}: a blocked zset pop ignores other types and times out with a null array`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c1 = await ctx.client();
    c1.send("BZPOPMIN", "k", "0");
    await sleep(30);
    await r.call("SET", "k", "x");
    await r.call("DEL", "k");
    await r.call("ZADD", "k", "5", "m");
    assert.deepEqual(await c1.read(), ["k", "m", "5"]);
    assert.equal(await c1.call("BZPOPMIN", "none", "0.05"), null);
    assert.equal(await c1.call("BZMPOP", "0.05", "1", "none", "MIN"), null);
    await c1.call("HELLO", "3");
    c1.send("BZPOPMAX", "none", "0.05");
    assert.equal(await c1.readLine(), "_");
  });
});

test(`${T}: blocking pops inside MULTI act as non-blocking and serve after EXEC`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("MULTI");
    await r.call("BZPOPMIN", "none", "0");
    await r.call("BZMPOP", "0", "1", "none", "MIN");
    assert.deepEqual(await r.call("EXEC"), [null, null]);
    const c1 = await ctx.client();
    c1.send("BZPOPMIN", "k", "0");
    await sleep(30);
    await r.call("MULTI");
    await r.call("ZADD", "k", "1", "a");
    await r.call("ZREM", "k", "a");
    await r.call("ZADD", "k", "7", "q");
    assert.deepEqual(await r.call("EXEC"), [1, 1, 1]);
    assert.deepEqual(await c1.read(), ["k", "q", "7"]);
  });
});

// -- ZRANDMEMBER, ZSCAN --

for (const { name, config } of ENCODINGS) {
  test(`${T}: ZRANDMEMBER without and with a count (${name})`, async () => {
    await withServer(config, async ({ r }) => {
      const ms = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
      const args: string[] = [];
      ms.forEach((m, i) => args.push(String(i + 1), m));
      await r.call("ZADD", "z", ...args);
      const score = (m: string) => String(ms.indexOf(m) + 1);
      assert.ok(ms.includes((await r.call("ZRANDMEMBER", "z")) as string));
      assert.equal(await r.call("ZRANDMEMBER", "nokey"), null);
      assert.deepEqual(await r.call("ZRANDMEMBER", "nokey", "5"), []);
      assert.deepEqual(await r.call("ZRANDMEMBER", "z", "0"), []);
      for (const n of [1, 2, 5, 9, 10, 20]) {
        const got = (await r.call("ZRANDMEMBER", "z", String(n))) as string[];
        assert.equal(got.length, Math.min(n, 10));
        assert.equal(new Set(got).size, got.length, "distinct");
        for (const m of got) assert.ok(ms.includes(m));
        const pairs = (await r.call("ZRANDMEMBER", "z", String(n), "WITHSCORES")) as string[];
        assert.equal(pairs.length, 2 * Math.min(n, 10));
        for (let i = 0; i < pairs.length; i += 2) assert.equal(pairs[i + 1], score(pairs[i]));
      }
      const rep = (await r.call("ZRANDMEMBER", "z", "-30")) as string[];
      assert.equal(rep.length, 30);
      for (const m of rep) assert.ok(ms.includes(m));
      // the whole set comes back from the highest score, as Redis walks it
      assert.deepEqual(await r.call("ZRANDMEMBER", "z", "10"), ms.slice().reverse());
      await r.call("HELLO", "3");
      const nested = texts(await r.call("ZRANDMEMBER", "z", "-3", "WITHSCORES")) as string[][];
      assert.equal(nested.length, 3);
      for (const [m, s] of nested) assert.equal(s, `,${score(m)}`);
      await r.call("HELLO", "2");
      assert.equal(await errorOfCall(r, "ZRANDMEMBER", "z", "x"), NOT_INT);
      assert.equal(await errorOfCall(r, "ZRANDMEMBER", "z", "1", "WITHSCORE"), SYNTAX);
      assert.equal(await errorOfCall(r, "ZRANDMEMBER", "z", "1", "WITHSCORES", "x"), SYNTAX);
      assert.equal(
        await errorOfCall(r, "ZRANDMEMBER", "z", "-9223372036854775808"),
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
      );
      assert.equal(
        await errorOfCall(r, "ZRANDMEMBER", "z", "-9223372036854770000", "WITHSCORES"),
        "ERR value is out of range",
      );
    });
  });
}

test(`${T}: ZSCAN returns a listpack whole and walks a skiplist with a cursor`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("ZADD", "lp", "1", "a", "2.5", "b", "3", "c");
    assert.deepEqual(await r.call("ZSCAN", "lp", "0"), ["0", ["a", "1", "b", "2.5", "c", "3"]]);
    assert.deepEqual(await r.call("ZSCAN", "lp", "0", "MATCH", "[ab]", "COUNT", "1"), ["0", [
      "a",
      "1",
      "b",
      "2.5",
    ]]);
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(String(i / 4), `m${i}`);
    await r.call("ZADD", "sl", ...args);
    assert.equal(await encodingOf(r, "sl"), "skiplist");
    const seen = new Map<string, string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = (await r.call("ZSCAN", "sl", cursor, "COUNT", "20")) as [
        string,
        string[],
      ];
      for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
      cursor = next;
      calls++;
    } while (cursor !== "0");
    assert.ok(calls > 1);
    assert.equal(seen.size, 300);
    for (let i = 0; i < 300; i++) assert.equal(seen.get(`m${i}`), String(i / 4));
    let matched = 0;
    cursor = "0";
    do {
      const [next, items] = (await r.call("ZSCAN", "sl", cursor, "MATCH", "m1?")) as [
        string,
        string[],
      ];
      for (let i = 0; i < items.length; i += 2) assert.match(items[i], /^m1\d$/);
      matched += items.length / 2;
      cursor = next;
    } while (cursor !== "0");
    assert.equal(matched, 10);
    assert.deepEqual(await r.call("ZSCAN", "nokey", "0", "COUNT", "0"), ["0", []]);
    assert.equal(await errorOfCall(r, "ZSCAN", "lp", "x"), "ERR invalid cursor");
    assert.equal(await errorOfCall(r, "ZSCAN", "lp", "0", "COUNT", "0"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZSCAN", "lp", "0", "COUNT", "x"), NOT_INT);
    assert.equal(await errorOfCall(r, "ZSCAN", "lp", "0", "TYPE", "zset"), SYNTAX);
    assert.equal(await errorOfCall(r, "ZSCAN", "lp", "0", "MATCH"), SYNTAX);
  });
});

// -- keyspace side effects --

test(`${T}: ZADD and ZINCRBY notify only when something changed and touch WATCH`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const events = await recordEvents(ctx);
    await r.call("ZADD", "z", "1", "a");
    await r.call("ZADD", "z", "1", "a");
    await r.call("ZADD", "z", "NX", "5", "a");
    await r.call("ZINCRBY", "z", "1", "a");
    await r.call("ZADD", "z", "INCR", "1", "b");
    assert.deepEqual(events, ["zadd:z", "zincr:z", "zincr:z"]);
    const w = await ctx.client();
    await w.call("WATCH", "z");
    await r.call("ZADD", "z", "2", "a"); // same score: no change
    await w.call("MULTI");
    await w.call("PING");
    assert.deepEqual(await w.call("EXEC"), [new Status("PONG")]);
    await w.call("WATCH", "z");
    await r.call("ZADD", "z", "3", "a");
    await w.call("MULTI");
    await w.call("PING");
    assert.equal(await w.call("EXEC"), null);
  });
});

test(`${T}: COPY, DEBUG DIGEST-VALUE and MEMORY USAGE agree across encodings`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async ({ r }) => {
    await r.call("ZADD", "a", "1", "x", "2", "y", "0.5", "z");
    await r.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
    await r.call("ZADD", "b", "1", "x", "2", "y", "0.5", "z");
    const [da, db] = (await r.call("DEBUG", "DIGEST-VALUE", "a", "b")) as Status[];
    assert.equal(String(da), String(db));
    await r.call("COPY", "a", "ca");
    await r.call("COPY", "b", "cb");
    assert.equal(await encodingOf(r, "ca"), "listpack");
    assert.equal(await encodingOf(r, "cb"), "skiplist");
    assert.deepEqual(await r.call("ZRANGE", "cb", "0", "-1", "WITHSCORES"), [
      "z",
      "0.5",
      "x",
      "1",
      "y",
      "2",
    ]);
    await r.call("ZADD", "cb", "9", "w");
    assert.equal(await r.call("ZCARD", "b"), 3);
    assert.ok(((await r.call("MEMORY", "USAGE", "a")) as number) > 0);
    assert.ok(
      ((await r.call("MEMORY", "USAGE", "b")) as number) >
        ((await r.call("MEMORY", "USAGE", "a")) as number),
    );
  });
});

test(`${T}: DEBUG DIGEST-VALUE matches Redis for a small set`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async ({ r }) => {
    await r.call("ZADD", "a", "1", "x", "2", "y");
    // redis-server 7.0.15 gives this digest for {x: 1, y: 2} in either encoding
    const [d] = (await r.call("DEBUG", "DIGEST-VALUE", "a")) as Status[];
    assert.equal(String(d), "b51a2637ddb0b5d776310f08f78cae3d1ee00251");
    await r.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
    await r.call("ZADD", "b", "2", "y", "1", "x");
    const [d2] = (await r.call("DEBUG", "DIGEST-VALUE", "b")) as Status[];
    assert.equal(String(d2), "b51a2637ddb0b5d776310f08f78cae3d1ee00251");
  });
});

test(`${T}: COMMAND GETKEYS finds the keys of the numkeys commands`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(
      await r.call("COMMAND", "GETKEYS", "ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"),
      [
        "dst",
        "a",
        "b",
      ],
    );
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "ZINTER", "2", "a", "b"), ["a", "b"]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "ZMPOP", "2", "a", "b", "MIN"), ["a", "b"]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "BZMPOP", "0", "2", "a", "b", "MIN"), [
      "a",
      "b",
    ]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "BZPOPMIN", "a", "b", "0"), ["a", "b"]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "ZRANGESTORE", "d", "s", "0", "1"), [
      "d",
      "s",
    ]);
    const info = (await r.call("COMMAND", "INFO", "zunionstore")) as unknown[][];
    assert.equal(info[0][1], -4);
    assert.ok((info[0][2] as unknown[]).some((f) => String(f) === "movablekeys"));
  });
});

// -- pure helpers --

test(`${T}: strtod follows C for score bounds`, () => {
  const b = enc;
  const cases: [string, number, number][] = [
    ["1.5", 1.5, 3],
    ["", 0, 0],
    ["  -2e3x", -2000, 6],
    ["inf", Infinity, 3],
    ["-Infinity", -Infinity, 9],
    ["infx", Infinity, 3],
    ["0x1p3", 8, 5],
    ["0x", 0, 1],
    ["1e", 1, 1],
    ["1e+", 1, 1],
    [".5", 0.5, 2],
    ["5.", 5, 2],
    ["abc", 0, 0],
    ["1e400", Infinity, 5],
    ["4\x005", 4, 1],
  ];
  for (const [s, v, end] of cases) {
    const got = strtod(b(s), 0, s.length);
    assert.equal(got, v, s);
    assert.equal(strtodEnd, end, s);
  }
  assert.ok(Number.isNaN(strtod(b("nan"), 0, 3)));
  assert.ok(Number.isNaN(strtod(b("-nan(123)"), 0, 9)));
  assert.equal(strtodEnd, 9);
  assert.equal(fastDecimal(b("-0.25"), 0, 5), -0.25);
  assert.ok(Object.is(fastDecimal(b("-0"), 0, 2), -0));
  assert.ok(Number.isNaN(fastDecimal(b("1e5"), 0, 3)));
  assert.ok(Number.isNaN(fastDecimal(b("1234567890123456"), 0, 16)));
});

test(`${T}: fmt17g prints doubles exactly as printf("%.17g") does`, () => {
  const cases: [number, string][] = [
    [0.1, "0.10000000000000001"],
    [1.5, "1.5"],
    [-0, "-0"],
    [1e18, "1e+18"],
    [1e-5, "1.0000000000000001e-05"],
    [123456789012345678, "1.2345678901234568e+17"],
    [1 / 3, "0.33333333333333331"],
    [5e-324, "4.9406564584124654e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    // exact ties at the 18th digit round to even, as glibc does
    [-14154129218903.3125, "-14154129218903.312"],
    [596005326490285.625, "596005326490285.62"],
    [1e16 + 2, "10000000000000002"],
  ];
  for (const [d, s] of cases) assert.equal(fmt17g(d), s, String(d));
});

test(`${T}: listpack scores are stored as integers when integral, as text otherwise`, () => {
  const m = new Heap();
  let zl = lpNew(m, 0);
  for (
    const [s, member] of [[3, "c"], [-0, "z"], [1.5, "b"], [2 ** 62, "big"], [2 ** 63, "huge"], [
      -Infinity,
      "n",
    ]] as const
  ) {
    zl = zzlInsert(m, zl, enc(member), 0, member.length, s);
  }
  const got: [string, boolean, string | number][] = [];
  const it = zsetIterInit(new ZsetIter(), m, ZSET_LISTPACK, zl);
  while (zsetIterNext(it)) {
    got.push([str(it.buf.subarray(it.off, it.off + it.len)), false, it.score]);
  }
  assert.deepEqual(got.map((g) => g[0]), ["n", "z", "b", "c", "big", "huge"]);
  assert.ok(Object.is(got[1][2], 0), "-0 comes back as 0 from a listpack");
  assert.equal(got[4][2], 2 ** 62);
  assert.equal(got[5][2], 2 ** 63);
  const p = zzlFind(m, zl, enc("big"), 0, 3);
  assert.ok(p > 0);
  assert.equal(zzlOut.score, 2 ** 62);
  assert.ok(lpGet(m, zl, lpNext(m, zl, p)).isInt, "2^62 is a listpack integer");
  const ph = zzlFind(m, zl, enc("huge"), 0, 4);
  assert.ok(!lpGet(m, zl, lpNext(m, zl, ph)).isInt, "2^63 is text");
  assert.ok(lpGet(m, zl, lpNext(m, zl, zzlFind(m, zl, enc("b"), 0, 1))).isInt === false);
});

// -- a seeded model test of the API over both encodings --

function modelTest(startEnc: number, seed: number, s: Server): void {
  const m = s.heap;
  const rand = rng(seed);
  const zo: ZObj = { enc: 0, h: 0 };
  if (startEnc === ZSET_LISTPACK) zsetNewListpack(m, zo);
  else zsetNewSkiplist(m, zo);
  const model = new Map<string, number>();
  const members = Array.from(
    { length: 40 },
    (_, i) => (i % 5 === 0 ? String(i * 7) : `m${i}\0${i}`),
  );
  const scores = [0, 1, -1, 2.5, 1e18, -Infinity, Infinity, 0.1, 3];
  const sortedModel = () =>
    [...model.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let step = 0; step < 3000; step++) {
    const mb = members[Math.floor(rand() * members.length)];
    const b = enc(mb);
    const op = rand();
    if (op < 0.5) {
      const sc = scores[Math.floor(rand() * scores.length)];
      zsetAdd(s, zo, sc, b, 0, b.length, 0);
      model.set(mb, sc);
    } else if (op < 0.75) {
      assert.equal(zsetDel(m, zo, b, 0, b.length), model.delete(mb));
    } else if (op < 0.9) {
      const got = zsetScore(m, zo.enc, zo.h, b, 0, b.length);
      const want = model.get(mb);
      if (want === undefined) assert.ok(Number.isNaN(got));
      else assert.equal(got, want);
    } else {
      const srt = sortedModel();
      const i = srt.findIndex(([k]) => k === mb);
      assert.equal(zsetRank(m, zo.enc, zo.h, b, 0, b.length, false), i);
      if (i >= 0) assert.equal(zsetRank(m, zo.enc, zo.h, b, 0, b.length, true), srt.length - 1 - i);
    }
    if (step % 500 === 499) {
      // convert back and forth and compare the whole order
      zsetConvert(m, zo, zo.enc === ZSET_LISTPACK ? ZSET_SKIPLIST : ZSET_LISTPACK);
      if (zo.enc === ZSET_SKIPLIST) assert.equal(zslValidate(m, zo.h), null);
    }
    if (step % 97 === 0) {
      const srt = sortedModel();
      assert.equal(zsetLength(m, zo.enc, zo.h), srt.length);
      const it = zsetIterInit(new ZsetIter(), m, zo.enc, zo.h);
      const got: [string, number][] = [];
      while (zsetIterNext(it)) got.push([str(it.buf.subarray(it.off, it.off + it.len)), it.score]);
      assert.deepEqual(got, srt);
    }
  }
  const copy = zsetDup(m, zo.enc, zo.h);
  assert.equal(zsetLength(m, zo.enc, copy), model.size);
  zsetFree(m, zo.enc, copy);
  const ops = valueOps(OBJ_ZSET);
  assert.equal(ops.usage(m, zo.h, 0, zo.enc) > 0, true);
  // lazy free in small steps releases everything
  let steps = 0;
  while (!ops.freeSome!(m, zo.h, 3, zo.enc)) steps++;
  assert.ok(zo.enc === ZSET_LISTPACK || steps > 0 || model.size <= 3);
}

for (const start of [ZSET_LISTPACK, ZSET_SKIPLIST]) {
  test(`${T}: the zset API matches a sorted-map model (${start === ZSET_LISTPACK ? "listpack" : "skiplist"})`, async () => {
    await withServer({ "zset-max-listpack-entries": 1000 }, (ctx) => {
      modelTest(start, 1234 + start, ctx.srv.server);
      return Promise.resolve();
    });
  });
}

test(`${T}: ZADD, ZRANGE and ZUNION options end at a NUL byte (strcasecmp)`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("ZADD", "z", "nx\0", "1", "a"), 1);
    assert.equal(await r.call("ZADD", "z", "NX\0x", "5", "a"), 0);
    assert.equal(await r.call("ZADD", "z", "ch\0zz", "2", "a"), 1);
    assert.deepEqual(await r.call("ZRANGE", "z", "0", "-1", "withscores\0"), ["a", "2"]);
    const union = await r.call("ZUNION", "1", "z", "aggregate\0", "max\0", "withscores");
    assert.deepEqual(union, ["a", "2"]);
    await assert.rejects(r.call("ZADD", "z", "n\0x", "b"), new RespError(NOT_FLOAT));
  });
});

test(`${T}: ZRANDMEMBER WITHSCORES takes a count of at most LONG_MAX/2, exactly`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("ZADD", "z", "1", "a");
    for (const count of ["4611686018427387904", "-4611686018427387904", "9223372036854775807"]) {
      const err = new RespError("ERR value is out of range");
      await assert.rejects(r.call("ZRANDMEMBER", "z", count, "WITHSCORES"), err, count);
    }
    const all = await r.call("ZRANDMEMBER", "z", "4611686018427387903", "WITHSCORES");
    assert.deepEqual(all, ["a", "1"]);
  });
});
