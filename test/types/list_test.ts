// The lists family over a real socket: pushes and pops (with COUNT, RESP2/RESP3 null shapes),
// LRANGE/LINDEX/LLEN/LPOS, LSET/LINSERT/LREM/LTRIM, LMOVE/RPOPLPUSH/LMPOP, the blocking
// commands (serving order, timeouts, MULTI, CLIENT UNBLOCK, chains of BLMOVEs), quicklist
// options (fill, compression, plain nodes), keyspace events and the table entries.

import assert from "node:assert/strict";
import { rng, runtimeName, sleep, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { type RespClient, RespError, Status } from "../_resp_client.ts";
import { qlNodeCount, qlSetPackedThreshold, qlStats } from "../../src/encoding/quicklist.ts";
import { ENCODING_NAMES, objEncoding } from "../../src/store/object.ts";
import { Argv } from "../../src/protocol/resp_parser.ts";
import { debugObjectListFields, listCommands, listOf } from "../../src/types/list.ts";
import {
  BLOCKING,
  buildCommand,
  DENYOOM,
  FAST,
  NOSCRIPT,
  READONLY,
  WRITE,
} from "../../src/server/command.ts";

const T = `lists (${runtimeName})`;
const OK = new Status("OK");
const NOT_INT = "ERR value is not an integer or out of range";
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const SYNTAX = "ERR syntax error";
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

function entryOf(ctx: ServerCtx, key: string, db = 0): number {
  const b = enc(key);
  return ctx.srv.server.store.dbs[db].find(b, 0, b.length);
}

function encodingOf(ctx: ServerCtx, key: string): string {
  const e = entryOf(ctx, key);
  assert.notEqual(e, 0, `${key} exists`);
  return ENCODING_NAMES[objEncoding(ctx.srv.server.heap, e)];
}

/** The quicklist of a list key (for node-level assertions). */
function qlOf(ctx: ServerCtx, key: string): number {
  const e = entryOf(ctx, key);
  assert.notEqual(e, 0, `${key} exists`);
  return listOf(ctx.srv.server.heap, e);
}

async function recordEvents(ctx: ServerCtx): Promise<string[]> {
  await ctx.r.call("CONFIG", "SET", "notify-keyspace-events", "KEAn");
  const events: string[] = [];
  ctx.srv.server.onNotify = (_type, event, key) => {
    events.push(`${event}:${String.fromCharCode(...key)}`);
  };
  return events;
}

/** Send a raw command and return the first line of the reply (null shapes, types). */
async function rawLine(r: RespClient, ...args: string[]): Promise<string> {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  r.writeRaw(s);
  return await r.readLine();
}

/** Wait until the server reports `n` blocked clients. */
async function waitBlocked(ctx: ServerCtx, n: number): Promise<void> {
  const deadline = Date.now() + 3000;
  while (ctx.srv.server.blocking.blockedCount() !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients`);
    await sleep(2);
  }
}

/** Each list configuration the tests run under: node fill and compress depth. */
const CONFIGS: { name: string; cfg: Record<string, number> }[] = [
  { name: "default nodes", cfg: {} },
  { name: "one element per node", cfg: { "list-max-listpack-size": 1 } },
  { name: "3-element nodes", cfg: { "list-max-listpack-size": 3 } },
  {
    name: "4-element nodes, compressed",
    cfg: { "list-max-listpack-size": 4, "list-compress-depth": 1 },
  },
];

// -- pushes, pops, reads --

for (const { name, cfg } of CONFIGS) {
  test(`${T}: LPUSH/RPUSH build the list in order and report the length (${name})`, async () => {
    await withServer(cfg, async (ctx) => {
      const { r } = ctx;
      assert.equal(await r.call("LPUSH", "l", "c", "b", "a"), 3);
      assert.equal(encodingOf(ctx, "l"), "quicklist");
      assert.equal(await r.call("RPUSH", "l", "d", "e", "f", "g", "h", "i"), 9);
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-1"), [
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
        "h",
        "i",
      ]);
      assert.equal(await r.call("LLEN", "l"), 9);
      if (cfg["list-max-listpack-size"] === 1) {
        assert.equal(qlNodeCount(ctx.srv.server.heap, qlOf(ctx, "l")), 9);
      }
      if (cfg["list-max-listpack-size"] === 4) {
        assert.equal(qlNodeCount(ctx.srv.server.heap, qlOf(ctx, "l")), 3);
      }
      assert.equal(await r.call("LINDEX", "l", "0"), "a");
      assert.equal(await r.call("LINDEX", "l", "-1"), "i");
      assert.equal(await r.call("LINDEX", "l", "4"), "e");
      assert.equal(await r.call("LINDEX", "l", "9"), null);
      assert.equal(await r.call("LINDEX", "l", "-10"), null);
      assert.equal(await r.call("LPOP", "l"), "a");
      assert.equal(await r.call("RPOP", "l"), "i");
      assert.deepEqual(await r.call("LPOP", "l", "2"), ["b", "c"]);
      assert.deepEqual(await r.call("RPOP", "l", "2"), ["h", "g"]);
      assert.deepEqual(await r.call("RPOP", "l", "100"), ["f", "e", "d"]);
      assert.equal(await r.call("EXISTS", "l"), 0);
    });
  });

  test(`${T}: LRANGE clips and converts negative indexes (${name})`, async () => {
    await withServer(cfg, async ({ r }) => {
      const items = Array.from({ length: 10 }, (_, i) => `v${i}`);
      await r.call("RPUSH", "l", ...items);
      assert.deepEqual(await r.call("LRANGE", "l", "1", "-2"), items.slice(1, 9));
      assert.deepEqual(await r.call("LRANGE", "l", "-3", "-1"), items.slice(7));
      assert.deepEqual(await r.call("LRANGE", "l", "-1000", "1000"), items);
      assert.deepEqual(await r.call("LRANGE", "l", "6", "2"), []);
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-11"), []);
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-10"), ["v0"]);
      assert.deepEqual(await r.call("LRANGE", "l", "10", "20"), []);
      assert.deepEqual(await r.call("LRANGE", "nokey", "0", "-1"), []);
    });
  });

  test(`${T}: LTRIM keeps the range and deletes an emptied key (${name})`, async () => {
    await withServer(cfg, async ({ r }) => {
      const trim = async (a: string, b: string) => {
        await r.call("DEL", "l");
        await r.call("RPUSH", "l", "1", "2", "3", "4", "big-element-value");
        assert.deepEqual(await r.call("LTRIM", "l", a, b), OK);
        return await r.call("LRANGE", "l", "0", "-1");
      };
      assert.deepEqual(await trim("0", "0"), ["1"]);
      assert.deepEqual(await trim("1", "2"), ["2", "3"]);
      assert.deepEqual(await trim("1", "-1"), ["2", "3", "4", "big-element-value"]);
      assert.deepEqual(await trim("-2", "-1"), ["4", "big-element-value"]);
      assert.deepEqual(await trim("-10", "10"), ["1", "2", "3", "4", "big-element-value"]);
      assert.deepEqual(await trim("0", "-5"), ["1"]);
      assert.deepEqual(await trim("0", "-6"), []);
      assert.equal(await r.call("EXISTS", "l"), 0);
      assert.deepEqual(await r.call("LTRIM", "nokey", "0", "1"), OK);
    });
  });

  test(`${T}: LREM removes from the head, from the tail or everywhere (${name})`, async () => {
    await withServer(cfg, async ({ r }) => {
      const base = ["x", "foo", "bar", "foobar", "foo", "zap", "bar", "test", "foo", "foo"];
      await r.call("RPUSH", "l", ...base);
      assert.equal(await r.call("LREM", "l", "-2", "foo"), 2);
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-1"), base.slice(0, 8));
      assert.equal(await r.call("LREM", "l", "1", "bar"), 1);
      assert.equal(await r.call("LREM", "l", "0", "foo"), 2);
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-1"), [
        "x",
        "foobar",
        "zap",
        "bar",
        "test",
      ]);
      assert.equal(await r.call("LREM", "l", "1", "nosuch"), 0);
      // integers compare by value with their decimal text
      await r.call("RPUSH", "n", "1", "2", "3", "2");
      assert.equal(await r.call("LREM", "n", "0", "2"), 2);
      assert.equal(await r.call("LREM", "n", "0", "02"), 0);
      assert.equal(await r.call("LREM", "n", "0", "1"), 1);
      assert.equal(await r.call("LREM", "n", "0", "3"), 1);
      assert.equal(await r.call("EXISTS", "n"), 0);
      assert.equal(await r.call("LREM", "nokey", "0", "x"), 0);
    });
  });

  test(`${T}: LINSERT before and after the first pivot (${name})`, async () => {
    await withServer(cfg, async ({ r }) => {
      await r.call("RPUSH", "l", "a", "b", "c", "d");
      assert.equal(await r.call("LINSERT", "l", "BEFORE", "c", "zz"), 5);
      assert.equal(await r.call("LINSERT", "l", "after", "c", "yy"), 6);
      assert.equal(await r.call("LINSERT", "l", "AFTER", "d", "dd"), 7);
      assert.equal(await r.call("LINSERT", "l", "before", "a", "aa"), 8);
      assert.equal(await r.call("LINSERT", "l", "before", "bad", "x"), -1);
      assert.equal(await r.call("LINSERT", "l", "before", "aa", "42"), 9);
      assert.deepEqual(
        await r.call("LRANGE", "l", "0", "-1"),
        ["42", "aa", "a", "b", "zz", "c", "yy", "d", "dd"],
      );
      assert.equal(await r.call("LINSERT", "nokey", "before", "a", "x"), 0);
      await assert.rejects(r.call("LINSERT", "l", "aft3r", "a", "x"), new RespError(SYNTAX));
      await assert.rejects(r.call("LINSERT", "nokey", "middle", "a", "x"), new RespError(SYNTAX));
    });
  });

  test(`${T}: LSET replaces by index and reports missing keys and bad indexes (${name})`, async () => {
    await withServer(cfg, async ({ r }) => {
      await r.call("RPUSH", "l", "99", "98", "big-element-value", "96", "95");
      assert.deepEqual(await r.call("LSET", "l", "1", "foo"), OK);
      assert.deepEqual(await r.call("LSET", "l", "-1", "bar"), OK);
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-1"), [
        "99",
        "foo",
        "big-element-value",
        "96",
        "bar",
      ]);
      await assert.rejects(r.call("LSET", "l", "10", "x"), new RespError("ERR index out of range"));
      await assert.rejects(r.call("LSET", "l", "-6", "x"), new RespError("ERR index out of range"));
      await assert.rejects(r.call("LSET", "nokey", "0", "x"), new RespError("ERR no such key"));
      await assert.rejects(r.call("LSET", "l", "x", "x"), new RespError(NOT_INT));
      // the key is looked up before the index is parsed
      await assert.rejects(r.call("LSET", "nokey", "x", "x"), new RespError("ERR no such key"));
    });
  });
}

test(`${T}: LPUSHX and RPUSHX push only onto existing lists`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("LPUSHX", "l", "a"), 0);
    assert.equal(await r.call("RPUSHX", "l", "a"), 0);
    assert.equal(await r.call("EXISTS", "l"), 0);
    await r.call("RPUSH", "l", "big-element-value", "c");
    assert.equal(await r.call("RPUSHX", "l", "d"), 3);
    assert.equal(await r.call("LPUSHX", "l", "a"), 4);
    assert.equal(await r.call("RPUSHX", "l", "42", "x"), 6);
    assert.equal(await r.call("LPUSHX", "l", "y3", "y2", "y1"), 9);
    assert.deepEqual(
      await r.call("LRANGE", "l", "0", "-1"),
      ["y1", "y2", "y3", "a", "big-element-value", "c", "d", "42", "x"],
    );
    await r.call("SET", "s", "v");
    await assert.rejects(r.call("LPUSHX", "s", "a"), new RespError(WRONGTYPE));
  });
});

test(`${T}: LPOP/RPOP COUNT errors and reply shapes`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "l", "a");
    await assert.rejects(
      r.call("LPOP", "l", "-1"),
      new RespError("ERR value is out of range, must be positive"),
    );
    await assert.rejects(
      r.call("RPOP", "l", "x"),
      new RespError("ERR value is out of range, must be positive"),
    );
    await assert.rejects(
      r.call("LPOP", "nokey", "-5"),
      new RespError("ERR value is out of range, must be positive"),
    );
    await assert.rejects(
      r.call("LPOP", "l", "1", "1"),
      new RespError("ERR wrong number of arguments for 'lpop' command"),
    );
    await assert.rejects(
      r.call("RPOP", "l", "1", "1"),
      new RespError("ERR wrong number of arguments for 'rpop' command"),
    );
    // RESP2: null bulk without COUNT, null array with COUNT, empty array for COUNT 0
    assert.equal(await rawLine(r, "LPOP", "nokey"), "$-1");
    assert.equal(await rawLine(r, "RPOP", "nokey"), "$-1");
    assert.equal(await rawLine(r, "LPOP", "nokey", "0"), "*-1");
    assert.equal(await rawLine(r, "RPOP", "nokey", "1"), "*-1");
    assert.equal(await rawLine(r, "LPOP", "l", "0"), "*0");
    assert.equal(await rawLine(r, "RPOP", "l", "0"), "*0");
    await r.call("HELLO", "3");
    assert.equal(await rawLine(r, "LPOP", "nokey"), "_");
    assert.equal(await rawLine(r, "LPOP", "nokey", "1"), "_");
    assert.equal(await rawLine(r, "RPOP", "nokey", "0"), "_");
    assert.equal(await rawLine(r, "LPOP", "l", "0"), "*0");
    assert.equal(await rawLine(r, "LINDEX", "l", "5"), "_");
    assert.equal(await rawLine(r, "LMPOP", "1", "nokey", "LEFT"), "_");
    assert.equal(await rawLine(r, "LMOVE", "nokey", "x", "LEFT", "LEFT"), "_");
    assert.equal(await rawLine(r, "LPOS", "l", "zz"), "_");
    assert.equal(await r.call("LLEN", "l"), 1);
  });
});

test(`${T}: commands on a key of another type reply WRONGTYPE and change nothing`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "s", "v");
    const cmds = [
      ["LPUSH", "s", "a"],
      ["RPUSH", "s", "a"],
      ["LPOP", "s"],
      ["RPOP", "s", "2"],
      ["LLEN", "s"],
      ["LRANGE", "s", "0", "-1"],
      ["LINDEX", "s", "0"],
      ["LSET", "s", "0", "x"],
      ["LINSERT", "s", "before", "a", "b"],
      ["LREM", "s", "0", "a"],
      ["LTRIM", "s", "0", "1"],
      ["LPOS", "s", "a"],
      ["LMOVE", "s", "d", "LEFT", "LEFT"],
      ["RPOPLPUSH", "s", "d"],
      ["LMPOP", "1", "s", "LEFT"],
      ["BLPOP", "s", "0"],
      ["BRPOP", "nokey", "s", "0"],
      ["BLMPOP", "0", "2", "nokey", "s", "LEFT"],
      ["BLMOVE", "s", "d", "LEFT", "LEFT", "0"],
      ["BRPOPLPUSH", "s", "d", "0"],
    ];
    for (const c of cmds) await assert.rejects(r.call(...c), new RespError(WRONGTYPE), c.join(" "));
    // a wrong-typed destination: nothing is popped
    await r.call("RPUSH", "src", "a", "b");
    await assert.rejects(r.call("RPOPLPUSH", "src", "s"), new RespError(WRONGTYPE));
    await assert.rejects(r.call("LMOVE", "src", "s", "LEFT", "RIGHT"), new RespError(WRONGTYPE));
    await assert.rejects(
      r.call("BLMOVE", "src", "s", "LEFT", "RIGHT", "0"),
      new RespError(WRONGTYPE),
    );
    assert.deepEqual(await r.call("LRANGE", "src", "0", "-1"), ["a", "b"]);
    assert.equal(await r.call("GET", "s"), "v");
  });
});

test(`${T}: elements are binary safe and integers keep their exact text`, async () => {
  await withServer({ "list-max-listpack-size": 2 }, async ({ r }) => {
    const bin = new Uint8Array([0, 13, 10, 255, 0]);
    const items = [
      "",
      "\r\n",
      "b\x00c",
      "9223372036854775807",
      "-9223372036854775808",
      "9223372036854775808",
      "007",
      "-0",
      "1.5",
      " 1",
      "12",
      "127",
      "128",
      "-4096",
      "32767",
      "-8388608",
      "2147483647",
      "-2147483649",
      "s".repeat(100),
      "x".repeat(70000),
    ];
    await r.call("RPUSH", "l", ...items);
    await r.call("LPUSH", "l", bin);
    const got = await r.call("LRANGE", "l", "0", "-1") as string[];
    assert.equal(got[0], String.fromCharCode(...bin));
    assert.deepEqual(got.slice(1), items);
    assert.equal(await r.call("LINDEX", "l", "4"), "9223372036854775807");
    assert.equal(await r.call("LPOS", "l", "007"), 7);
    assert.equal(await r.call("LPOS", "l", "7"), null);
    assert.equal(await r.call("LPOS", "l", "-9223372036854775808"), 5);
    assert.equal(await r.call("LPOS", "l", ""), 1);
    assert.equal(await r.call("RPOP", "l"), "x".repeat(70000));
    assert.equal(await r.call("LPOP", "l"), String.fromCharCode(...bin));
  });
});

// -- LPOS --

test(`${T}: LPOS with RANK, COUNT and MAXLEN`, async () => {
  await withServer({ "list-max-listpack-size": 3 }, async ({ r }) => {
    await r.call("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
    assert.equal(await r.call("LPOS", "l", "a"), 0);
    assert.equal(await r.call("LPOS", "l", "c"), 2);
    assert.equal(await r.call("LPOS", "l", "c", "RANK", "2"), 6);
    assert.equal(await r.call("LPOS", "l", "c", "RANK", "4"), null);
    assert.equal(await r.call("LPOS", "l", "c", "RANK", "-1"), 7);
    assert.equal(await r.call("LPOS", "l", "c", "RANK", "-2"), 6);
    assert.deepEqual(await r.call("LPOS", "l", "c", "COUNT", "0"), [2, 6, 7]);
    assert.deepEqual(await r.call("LPOS", "l", "c", "COUNT", "2"), [2, 6]);
    assert.deepEqual(await r.call("LPOS", "l", "c", "COUNT", "0", "RANK", "2"), [6, 7]);
    assert.deepEqual(await r.call("LPOS", "l", "c", "COUNT", "2", "RANK", "-1"), [7, 6]);
    assert.deepEqual(await r.call("LPOS", "l", "a", "COUNT", "0", "MAXLEN", "1"), [0]);
    assert.deepEqual(await r.call("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "3"), [2]);
    assert.deepEqual(await r.call("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "3", "RANK", "-1"), [
      7,
      6,
    ]);
    assert.deepEqual(await r.call("LPOS", "l", "x", "COUNT", "2"), []);
    assert.deepEqual(await r.call("LPOS", "nokey", "x", "COUNT", "2"), []);
    assert.equal(await r.call("LPOS", "nokey", "x"), null);
    // RANK -2^63 cannot be negated: every match counts and COUNT does not stop the scan
    assert.equal(await r.call("LPOS", "l", "c", "RANK", "-9223372036854775808"), 7);
    assert.deepEqual(await r.call("LPOS", "l", "c", "RANK", "-9223372036854775808", "COUNT", "1"), [
      7,
      6,
      2,
    ]);
    await assert.rejects(
      r.call("LPOS", "l", "c", "RANK", "0"),
      new RespError(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
      ),
    );
    await assert.rejects(r.call("LPOS", "l", "c", "RANK", "x"), new RespError(NOT_INT));
    await assert.rejects(
      r.call("LPOS", "l", "c", "COUNT", "-1"),
      new RespError("ERR COUNT can't be negative"),
    );
    await assert.rejects(
      r.call("LPOS", "l", "c", "COUNT", "x"),
      new RespError("ERR COUNT can't be negative"),
    );
    await assert.rejects(
      r.call("LPOS", "l", "c", "MAXLEN", "-1"),
      new RespError("ERR MAXLEN can't be negative"),
    );
    await assert.rejects(r.call("LPOS", "l", "c", "RANK"), new RespError(SYNTAX));
    await assert.rejects(r.call("LPOS", "l", "c", "FOO", "1"), new RespError(SYNTAX));
    // options are parsed before the key is looked up
    await assert.rejects(
      r.call("LPOS", "nokey", "c", "RANK", "0"),
      new RespError(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
      ),
    );
  });
});

// -- LMOVE, RPOPLPUSH, LMPOP --

test(`${T}: LMOVE moves between every pair of ends, and onto the same list`, async () => {
  await withServer({ "list-max-listpack-size": 2 }, async ({ r }) => {
    for (const from of ["LEFT", "RIGHT"]) {
      for (const to of ["LEFT", "RIGHT"]) {
        await r.call("DEL", "src", "dst");
        await r.call("RPUSH", "src", "a", "big-element-value", "c", "d");
        await r.call("RPUSH", "dst", "x");
        const first = from === "LEFT" ? "a" : "d";
        assert.equal(await r.call("LMOVE", "src", "dst", from, to), first);
        const dst = await r.call("LRANGE", "dst", "0", "-1");
        assert.deepEqual(dst, to === "LEFT" ? [first, "x"] : ["x", first]);
        // same list: rotate
        await r.call("DEL", "rot");
        await r.call("RPUSH", "rot", "1", "2", "3");
        const moved = await r.call("LMOVE", "rot", "rot", from, to);
        assert.equal(moved, from === "LEFT" ? "1" : "3");
        const rot = await r.call("LRANGE", "rot", "0", "-1") as string[];
        assert.equal(rot.length, 3);
        assert.equal(to === "LEFT" ? rot[0] : rot[2], moved);
      }
    }
    await assert.rejects(r.call("LMOVE", "src", "dst", "UP", "LEFT"), new RespError(SYNTAX));
    await assert.rejects(r.call("LMOVE", "src", "dst", "LEFT", "DOWN"), new RespError(SYNTAX));
    assert.equal(await r.call("LMOVE", "nokey", "dst", "LEFT", "LEFT"), null);
  });
});

test(`${T}: RPOPLPUSH pops the tail, creates the destination and deletes an emptied source`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("RPUSH", "src", "a", "1", "c");
    assert.equal(await r.call("RPOPLPUSH", "src", "dst"), "c");
    assert.equal(await r.call("RPOPLPUSH", "src", "dst"), "1");
    assert.equal(encodingOf(ctx, "dst"), "quicklist");
    assert.equal(await r.call("RPOPLPUSH", "src", "dst"), "a");
    assert.deepEqual(await r.call("LRANGE", "dst", "0", "-1"), ["a", "1", "c"]);
    assert.equal(await r.call("EXISTS", "src"), 0);
    assert.equal(await r.call("RPOPLPUSH", "src", "dst"), null);
    assert.equal(await r.call("RPOPLPUSH", "dst", "dst"), "c");
    assert.deepEqual(await r.call("LRANGE", "dst", "0", "-1"), ["c", "a", "1"]);
  });
});

test(`${T}: LMPOP pops from the first non-empty list with COUNT and validates its arguments`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "a", "1", "2", "3");
    await r.call("RPUSH", "b", "x", "y");
    assert.deepEqual(await r.call("LMPOP", "2", "nokey", "a", "LEFT"), ["a", ["1"]]);
    assert.deepEqual(await r.call("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "10"), ["a", [
      "3",
      "2",
    ]]);
    assert.equal(await r.call("EXISTS", "a"), 0);
    assert.deepEqual(await r.call("LMPOP", "2", "a", "b", "left", "count", "1"), ["b", ["x"]]);
    assert.deepEqual(await r.call("LMPOP", "2", "b", "b", "RIGHT", "COUNT", "5"), ["b", ["y"]]);
    assert.equal(await r.call("LMPOP", "2", "a", "b", "LEFT"), null);
    const bad: [string[], string][] = [
      [["LMPOP", "0", "a", "LEFT"], "ERR numkeys should be greater than 0"],
      [["LMPOP", "x", "a", "LEFT"], "ERR numkeys should be greater than 0"],
      [["LMPOP", "-1", "a", "LEFT"], "ERR numkeys should be greater than 0"],
      [["LMPOP", "1", "a", "bad"], SYNTAX],
      [["LMPOP", "1", "a", "LEFT", "extra"], SYNTAX],
      [["LMPOP", "1", "a", "RIGHT", "LEFT"], SYNTAX],
      [["LMPOP", "1", "a", "COUNT"], SYNTAX],
      [["LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "2"], SYNTAX],
      [["LMPOP", "5", "a", "LEFT"], SYNTAX],
      [["LMPOP", "1", "a", "LEFT", "COUNT", "0"], "ERR count should be greater than 0"],
      [["LMPOP", "1", "a", "LEFT", "COUNT", "x"], "ERR count should be greater than 0"],
      [["LMPOP", "1", "a", "LEFT", "COUNT", "-1"], "ERR count should be greater than 0"],
      [["LMPOP", "1"], "ERR wrong number of arguments for 'lmpop' command"],
    ];
    for (const [cmd, err] of bad) {
      await assert.rejects(r.call(...cmd), new RespError(err), cmd.join(" "));
    }
  });
});

// -- quicklist options and plain nodes --

test(`${T}: a new list takes list-max-listpack-size and list-compress-depth at creation`, async () => {
  await withServer({ "list-max-listpack-size": 3 }, async (ctx) => {
    const { r } = ctx;
    const m = ctx.srv.server.heap;
    await r.call("RPUSH", "old", "1");
    await r.call("CONFIG", "SET", "list-max-ziplist-size", "5");
    await r.call("CONFIG", "SET", "list-compress-depth", "1");
    await r.call("RPUSH", "new", "1");
    const items = Array.from({ length: 30 }, (_, i) => "element-" + "z".repeat(40) + i);
    await r.call("RPUSH", "old", ...items);
    await r.call("RPUSH", "new", ...items);
    const so = qlStats(m, qlOf(ctx, "old"));
    const sn = qlStats(m, qlOf(ctx, "new"));
    assert.equal(so.listpackMax, 3);
    assert.equal(so.compressed, 0);
    assert.equal(so.nodes, 11);
    assert.equal(sn.listpackMax, 5);
    assert.equal(sn.compressed, 1);
    assert.equal(sn.nodes, 7);
    assert.equal(
      debugObjectListFields(m, entryOf(ctx, "new")),
      ` ql_nodes:7 ql_avg_node:4.43 ql_listpack_max:5 ql_compressed:1 ql_uncompressed_size:${sn.uncompressedSize}`,
    );
    // compressed interior nodes read back intact
    assert.deepEqual(await r.call("LRANGE", "new", "1", "-1"), items);
    assert.equal(await r.call("LINDEX", "new", "15"), items[14]);
  });
});

test(`${T}: DEBUG QUICKLIST-PACKED-THRESHOLD puts big elements in plain nodes`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async (ctx) => {
    const { r } = ctx;
    try {
      await assert.rejects(
        r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"),
        new RespError("ERR argument must be a memory value bigger than 1 and smaller than 4gb"),
      );
      assert.deepEqual(await r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5b"), OK);
      await r.call("RPUSH", "l", "aa", "bb", "cc", "dd", "ee");
      assert.equal(qlNodeCount(ctx.srv.server.heap, qlOf(ctx, "l")), 1);
      assert.deepEqual(await r.call("LSET", "l", "2", "e".repeat(10)), OK);
      assert.equal(qlNodeCount(ctx.srv.server.heap, qlOf(ctx, "l")), 3);
      await r.call("LINSERT", "l", "after", "aa", "x".repeat(8));
      await r.call("RPUSH", "l", "y".repeat(6));
      assert.deepEqual(
        await r.call("LRANGE", "l", "0", "-1"),
        ["aa", "x".repeat(8), "bb", "e".repeat(10), "dd", "ee", "y".repeat(6)],
      );
      assert.equal(await r.call("LPOS", "l", "e".repeat(10)), 3);
      assert.equal(await r.call("LREM", "l", "0", "x".repeat(8)), 1);
      assert.equal(await r.call("RPOPLPUSH", "l", "l2"), "y".repeat(6));
      assert.equal(await r.call("LINDEX", "l2", "0"), "y".repeat(6));
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-1"), [
        "aa",
        "bb",
        "e".repeat(10),
        "dd",
        "ee",
      ]);
      assert.deepEqual(
        await r.call("DEBUG", "QUICKLIST", "l"),
        new Status("Quicklist structure printed on stdout"),
      );
      await assert.rejects(r.call("DEBUG", "QUICKLIST", "nokey"), new RespError("ERR no such key"));
    } finally {
      await r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
      qlSetPackedThreshold(0);
    }
  });
});

test(`${T}: random operations match a plain array model under every node layout`, async () => {
  const layouts = [
    { "list-max-listpack-size": 1, "list-compress-depth": 1 },
    { "list-max-listpack-size": 3, "list-compress-depth": 2 },
    { "list-max-listpack-size": -1, "list-compress-depth": 0 },
    { "list-max-listpack-size": 16, "list-compress-depth": 1 },
  ];
  for (let li = 0; li < layouts.length; li++) {
    await withServer(layouts[li], async ({ r }) => {
      const rand = rng(1000 + li);
      const pick = (n: number) => Math.floor(rand() * n);
      const value = () => {
        const k = pick(5);
        if (k === 0) return String(pick(1000) - 500);
        if (k === 1) return "v" + pick(50);
        if (k === 2) return "w".repeat(pick(600)) + pick(10);
        if (k === 3) return String(pick(2 ** 40));
        return "";
      };
      const model: string[] = [];
      for (let op = 0; op < 600; op++) {
        const len = model.length;
        switch (pick(9)) {
          case 0: {
            const v = value();
            model.unshift(v);
            assert.equal(await r.call("LPUSH", "l", v), model.length);
            break;
          }
          case 1: {
            const v = value();
            model.push(v);
            assert.equal(await r.call("RPUSH", "l", v), model.length);
            break;
          }
          case 2:
            assert.equal(await r.call("LPOP", "l"), len ? model.shift()! : null);
            break;
          case 3:
            assert.equal(await r.call("RPOP", "l"), len ? model.pop()! : null);
            break;
          case 4: {
            if (len === 0) break;
            const i = pick(len * 2) - len;
            const v = value();
            model[i < 0 ? len + i : i] = v;
            assert.deepEqual(await r.call("LSET", "l", String(i), v), OK);
            break;
          }
          case 5: {
            if (len === 0) break;
            const pivot = model[pick(len)];
            const v = value();
            const after = rand() < 0.5;
            const at = model.indexOf(pivot);
            model.splice(after ? at + 1 : at, 0, v);
            assert.equal(
              await r.call("LINSERT", "l", after ? "AFTER" : "BEFORE", pivot, v),
              model.length,
            );
            break;
          }
          case 6: {
            if (len === 0) break;
            const v = model[pick(len)];
            const count = pick(5) - 2;
            let removed = 0;
            if (count >= 0) {
              for (let i = 0; i < model.length && (count === 0 || removed < count);) {
                if (model[i] === v) {
                  model.splice(i, 1);
                  removed++;
                } else i++;
              }
            } else {
              for (let i = model.length - 1; i >= 0 && removed < -count; i--) {
                if (model[i] === v) {
                  model.splice(i, 1);
                  removed++;
                }
              }
            }
            assert.equal(await r.call("LREM", "l", String(count), v), removed);
            break;
          }
          case 7: {
            const a = pick(len + 4) - 2;
            const b = pick(len + 4) - 2;
            assert.deepEqual(await r.call("LTRIM", "l", String(a), String(b)), OK);
            let s = a < 0 ? len + a : a;
            let e = b < 0 ? len + b : b;
            if (s < 0) s = 0;
            if (s > e || s >= len) model.length = 0;
            else {
              if (e >= len) e = len - 1;
              model.splice(e + 1);
              model.splice(0, s);
            }
            break;
          }
          default: {
            const i = pick(len + 2) - 1;
            const at = i < 0 ? len + i : i;
            assert.equal(
              await r.call("LINDEX", "l", String(i)),
              at >= 0 && at < len ? model[at] : null,
            );
          }
        }
        if (op % 25 === 0) assert.deepEqual(await r.call("LRANGE", "l", "0", "-1"), model);
        if (op % 5 === 0) {
          // a random sub-range, indexes from either end
          const n = model.length;
          const a = pick(n + 4) - 2 - (rand() < 0.5 ? n : 0);
          const b = pick(n + 4) - 2 - (rand() < 0.5 ? n : 0);
          let s = a < 0 ? n + a : a;
          let e = b < 0 ? n + b : b;
          if (s < 0) s = 0;
          if (e >= n) e = n - 1;
          const want = s > e || s >= n ? [] : model.slice(s, e + 1);
          assert.deepEqual(
            await r.call("LRANGE", "l", String(a), String(b)),
            want,
            `LRANGE ${a} ${b}`,
          );
        }
      }
      assert.deepEqual(await r.call("LRANGE", "l", "0", "-1"), model);
      assert.equal(await r.call("LLEN", "l"), model.length);
    });
  }
}, { timeout: 120_000 });

// -- blocking commands --

test(`${T}: BLPOP/BRPOP/BLMPOP pop at once when a list has data`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "b", "a", "big-element-value", "c", "d");
    assert.deepEqual(await r.call("BLPOP", "nokey", "b", "1"), ["b", "a"]);
    assert.deepEqual(await r.call("BRPOP", "b", "nokey", "1"), ["b", "d"]);
    assert.deepEqual(await r.call("BLMPOP", "1", "2", "nokey", "b", "RIGHT", "COUNT", "5"), ["b", [
      "c",
      "big-element-value",
    ]]);
    assert.equal(await r.call("EXISTS", "b"), 0);
    await r.call("RPUSH", "list1", "a");
    await r.call("RPUSH", "list2", "b");
    assert.deepEqual(await r.call("BLPOP", "list1", "list2", "list2", "list1", "0"), [
      "list1",
      "a",
    ]);
    assert.deepEqual(await r.call("BLPOP", "list1", "list2", "list2", "list1", "0"), [
      "list2",
      "b",
    ]);
  });
});

test(`${T}: blocking timeouts: errors, sub-second expiry and the null array reply`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(r.call("BLPOP", "l", "-1"), new RespError("ERR timeout is negative"));
    await assert.rejects(r.call("BLPOP", "l", "-0.001"), new RespError("ERR timeout is negative"));
    await assert.rejects(r.call("BLPOP", "l", "inf"), new RespError("ERR timeout is negative"));
    await assert.rejects(r.call("BLPOP", "l", "1e300"), new RespError("ERR timeout is negative"));
    await assert.rejects(
      r.call("BRPOP", "l", "abc"),
      new RespError("ERR timeout is not a float or out of range"),
    );
    await assert.rejects(
      r.call("BRPOP", "l", " 1"),
      new RespError("ERR timeout is not a float or out of range"),
    );
    await assert.rejects(
      r.call("BLMOVE", "l", "d", "LEFT", "LEFT", "x"),
      new RespError("ERR timeout is not a float or out of range"),
    );
    await assert.rejects(r.call("BLMOVE", "l", "d", "UP", "LEFT", "x"), new RespError(SYNTAX));
    await assert.rejects(
      r.call("BRPOPLPUSH", "l", "d", "-5"),
      new RespError("ERR timeout is negative"),
    );
    // BLMPOP checks numkeys, the keys, the side and COUNT before the timeout
    await assert.rejects(
      r.call("BLMPOP", "x", "0", "l", "LEFT"),
      new RespError("ERR numkeys should be greater than 0"),
    );
    await assert.rejects(
      r.call("BLMPOP", "x", "1", "l", "LEFT", "COUNT", "0"),
      new RespError("ERR count should be greater than 0"),
    );
    await assert.rejects(
      r.call("BLMPOP", "-1", "1", "l", "LEFT"),
      new RespError("ERR timeout is negative"),
    );
    const t0 = Date.now();
    assert.equal(await rawLine(r, "BLPOP", "l", "0.05"), "*-1");
    assert.equal(await rawLine(r, "BLMPOP", "0.01", "1", "l", "LEFT"), "*-1");
    assert.equal(await rawLine(r, "BRPOPLPUSH", "l", "d", "0.01"), "*-1");
    assert.equal(await rawLine(r, "BLMOVE", "l", "d", "LEFT", "RIGHT", "0.01"), "*-1");
    // a sub-millisecond timeout rounds up to 1 ms instead of blocking forever
    assert.equal(await rawLine(r, "BLPOP", "l", "0.0001"), "*-1");
    assert.ok(Date.now() - t0 < 1000);
    await r.call("HELLO", "3");
    assert.equal(await rawLine(r, "BRPOP", "l", "0.01"), "_");
  });
});

test(`${T}: blocked clients are served in the order they blocked`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c1 = await ctx.client();
    const c2 = await ctx.client();
    const c3 = await ctx.client();
    c1.send("BLPOP", "q", "0");
    await waitBlocked(ctx, 1);
    c2.send("BRPOP", "other", "q", "0");
    await waitBlocked(ctx, 2);
    c3.send("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "5");
    await waitBlocked(ctx, 3);
    assert.equal(await r.call("RPUSH", "q", "a", "b", "c", "d"), 4);
    assert.deepEqual(await c1.read(), ["q", "a"]);
    assert.deepEqual(await c2.read(), ["q", "d"]);
    assert.deepEqual(await c3.read(), ["q", ["b", "c"]]);
    assert.equal(await r.call("EXISTS", "q"), 0);
    assert.equal(ctx.srv.server.blocking.blockedCount(), 0);
  });
});

test(`${T}: MULTI/EXEC serves blocked clients once, with the final state`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c1 = await ctx.client();
    c1.send("BLPOP", "list", "0");
    await waitBlocked(ctx, 1);
    await r.call("MULTI");
    await r.call("LPUSH", "list", "a");
    await r.call("LPUSH", "list", "b");
    await r.call("LPUSH", "list", "c");
    assert.deepEqual(await r.call("EXEC"), [1, 2, 3]);
    assert.deepEqual(await c1.read(), ["list", "c"]);
    // LPUSH + DEL (+ SET) inside a transaction does not wake the client
    c1.send("BLMPOP", "0", "1", "list2", "LEFT");
    await waitBlocked(ctx, 1);
    await r.call("MULTI");
    await r.call("LPUSH", "list2", "a");
    await r.call("DEL", "list2");
    await r.call("SET", "list2", "foo");
    await r.call("EXEC");
    assert.equal(ctx.srv.server.blocking.blockedCount(), 1);
    await r.call("DEL", "list2");
    await r.call("LPUSH", "list2", "b");
    assert.deepEqual(await c1.read(), ["list2", ["b"]]);
  });
});

test(`${T}: blocking commands inside MULTI act like their non-blocking forms`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("LPUSH", "x", "foo", "bar");
    await r.call("MULTI");
    for (
      const c of [
        ["BLPOP", "x", "0"],
        ["BRPOPLPUSH", "x", "t", "0"],
        ["BLPOP", "x", "0"],
        ["BRPOPLPUSH", "x", "t", "0"],
        ["BLMOVE", "x", "t", "LEFT", "LEFT", "0"],
        ["BLMPOP", "0", "1", "x", "LEFT"],
        ["LRANGE", "t", "0", "-1"],
      ]
    ) await r.call(...c);
    assert.deepEqual(await r.call("EXEC"), [["x", "bar"], "foo", null, null, null, null, ["foo"]]);
    // RESP2 shapes: BLMOVE/BRPOPLPUSH give a null bulk, BLPOP/BLMPOP a null array
    await r.call("MULTI");
    await r.call("BRPOPLPUSH", "x", "t", "0");
    await r.call("BLPOP", "x", "0");
    r.writeRaw("*1\r\n$4\r\nEXEC\r\n");
    assert.equal(await r.readLine(), "*2");
    assert.equal(await r.readLine(), "$-1");
    assert.equal(await r.readLine(), "*-1");
  });
});

test(`${T}: BLMOVE and BRPOPLPUSH are served by pushes and feed other blocked clients`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    for (const from of ["LEFT", "RIGHT"]) {
      for (const to of ["LEFT", "RIGHT"]) {
        const c1 = await ctx.client();
        const c2 = await ctx.client();
        await r.call("DEL", "blist", "target");
        c2.send("BLPOP", "target", "0");
        await waitBlocked(ctx, 1);
        c1.send("BLMOVE", "blist", "target", from, to, "0");
        await waitBlocked(ctx, 2);
        await r.call("RPUSH", "blist", "foo");
        assert.equal(await c1.read(), "foo");
        assert.deepEqual(await c2.read(), ["target", "foo"]);
        assert.equal(await r.call("EXISTS", "target"), 0);
      }
    }
    // chains: list1 -> list2 -> list3
    const a = await ctx.client();
    const b = await ctx.client();
    a.send("BLMOVE", "list1", "list2", "RIGHT", "LEFT", "0");
    await waitBlocked(ctx, 1);
    b.send("BLMOVE", "list2", "list3", "LEFT", "RIGHT", "0");
    await waitBlocked(ctx, 2);
    await r.call("RPUSH", "list1", "foo");
    assert.equal(await a.read(), "foo");
    assert.equal(await b.read(), "foo");
    assert.deepEqual(await r.call("LRANGE", "list3", "0", "-1"), ["foo"]);
    assert.equal(await r.call("EXISTS", "list1", "list2"), 0);
    // circular, and onto itself
    a.send("BRPOPLPUSH", "c1", "c2", "0");
    await waitBlocked(ctx, 1);
    b.send("BRPOPLPUSH", "c2", "c1", "0");
    await waitBlocked(ctx, 2);
    await r.call("RPUSH", "c1", "foo");
    assert.equal(await a.read(), "foo");
    assert.equal(await b.read(), "foo");
    assert.deepEqual(await r.call("LRANGE", "c1", "0", "-1"), ["foo"]);
    assert.equal(await r.call("EXISTS", "c2"), 0);
    a.send("BRPOPLPUSH", "self", "self", "0");
    await waitBlocked(ctx, 1);
    await r.call("RPUSH", "self", "foo");
    assert.equal(await a.read(), "foo");
    assert.deepEqual(await r.call("LRANGE", "self", "0", "-1"), ["foo"]);
  });
});

test(`${T}: a blocked BRPOPLPUSH with a wrong-typed destination gets WRONGTYPE and keeps the order`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c1 = await ctx.client();
    const c2 = await ctx.client();
    await r.call("SET", "target1", "nolist");
    c1.send("BRPOPLPUSH", "blist", "target1", "0");
    await waitBlocked(ctx, 1);
    c2.send("BRPOPLPUSH", "blist", "target2", "0");
    await waitBlocked(ctx, 2);
    await r.call("RPUSH", "blist", "a", "b", "c");
    assert.deepEqual(await c1.read(), new RespError(WRONGTYPE));
    assert.equal(await c2.read(), "c");
    assert.deepEqual(await r.call("LRANGE", "blist", "0", "-1"), ["a", "b"]);
    assert.deepEqual(await r.call("LRANGE", "target2", "0", "-1"), ["c"]);
  });
});

test(`${T}: a push made by a served BRPOPLPUSH invalidates WATCH on the destination`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const blocked = await ctx.client();
    const watcher = await ctx.client();
    blocked.send("BRPOPLPUSH", "src", "dst", "0");
    await waitBlocked(ctx, 1);
    assert.deepEqual(await watcher.call("WATCH", "dst"), OK);
    assert.deepEqual(await watcher.call("MULTI"), OK);
    await watcher.call("PING");
    await r.call("LPUSH", "src", "element");
    assert.equal(await blocked.read(), "element");
    assert.equal(await watcher.call("EXEC"), null);
  });
});

test(`${T}: CLIENT UNBLOCK releases a blocked client with a timeout reply or an error`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c = await ctx.client();
    const id = await c.call("CLIENT", "ID") as number;
    c.send("BLPOP", "l", "0");
    await waitBlocked(ctx, 1);
    assert.equal(await r.call("CLIENT", "UNBLOCK", String(id)), 1);
    assert.equal(await c.read(), null);
    c.send("BLMPOP", "0", "1", "l", "RIGHT");
    await waitBlocked(ctx, 1);
    assert.equal(await r.call("CLIENT", "UNBLOCK", String(id), "TIMEOUT"), 1);
    assert.equal(await c.read(), null);
    c.send("BLMOVE", "l", "d", "LEFT", "LEFT", "0");
    await waitBlocked(ctx, 1);
    assert.equal(await r.call("CLIENT", "UNBLOCK", String(id), "ERROR"), 1);
    assert.deepEqual(
      await c.read(),
      new RespError("UNBLOCKED client unblocked via CLIENT UNBLOCK"),
    );
    // still usable afterwards, and pipelined commands run once it is served
    c.send("BLPOP", "l", "0");
    c.send("PING");
    await waitBlocked(ctx, 1);
    await r.call("LPUSH", "l", "foo");
    assert.deepEqual(await c.read(), ["l", "foo"]);
    assert.deepEqual(await c.read(), new Status("PONG"));
  });
});

test(`${T}: a key that expired before the waiter is served does not wake it`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async (ctx) => {
    const { r } = ctx;
    const c = await ctx.client();
    c.send("BRPOP", "k", "0");
    await waitBlocked(ctx, 1);
    await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    await r.call("MULTI");
    await r.call("RPUSH", "k", "hello");
    await r.call("PEXPIRE", "k", "20");
    await r.call("DEBUG", "SLEEP", "0.05");
    await r.call("EXEC");
    assert.equal(ctx.srv.server.blocking.blockedCount(), 1);
    await r.call("RPUSH", "k", "again");
    assert.deepEqual(await c.read(), ["k", "again"]);
    await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
  });
});

test(`${T}: a blocked client waits in its own database`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c = await ctx.client();
    await c.call("SELECT", "3");
    c.send("BLPOP", "k", "0");
    await waitBlocked(ctx, 1);
    await r.call("RPUSH", "k", "db0");
    assert.equal(ctx.srv.server.blocking.blockedCount(), 1);
    await r.call("SELECT", "3");
    await r.call("RPUSH", "k", "db3");
    assert.deepEqual(await c.read(), ["k", "db3"]);
    await r.call("SELECT", "0");
    assert.deepEqual(await r.call("LRANGE", "k", "0", "-1"), ["db0"]);
  });
});

// -- keyspace events --

test(`${T}: list commands emit Redis's keyspace events`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const events = await recordEvents(ctx);
    await r.call("RPUSH", "l", "a", "b", "c");
    await r.call("LPUSH", "l", "z");
    await r.call("LSET", "l", "0", "y");
    await r.call("LINSERT", "l", "before", "a", "x");
    await r.call("LINSERT", "l", "before", "nosuch", "x");
    await r.call("LREM", "l", "1", "x");
    await r.call("LREM", "l", "1", "nosuch");
    await r.call("LTRIM", "l", "0", "-1");
    await r.call("LMOVE", "l", "m", "LEFT", "RIGHT");
    await r.call("LPOP", "l", "2");
    await r.call("RPOP", "l");
    await r.call("LMPOP", "1", "m", "RIGHT");
    assert.deepEqual(events, [
      "new:l",
      "rpush:l",
      "lpush:l",
      "lset:l",
      "linsert:l",
      "lrem:l",
      "ltrim:l",
      "new:m",
      "rpush:m",
      "lpop:l",
      "lpop:l",
      "rpop:l",
      "del:l",
      "rpop:m",
      "del:m",
    ]);
  });
});

test(`${T}: a served blocked client emits pop, push and del events`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const c = await ctx.client();
    c.send("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
    await waitBlocked(ctx, 1);
    const events = await recordEvents(ctx);
    await r.call("RPUSH", "src", "v");
    assert.equal(await c.read(), "v");
    assert.deepEqual(events, [
      "new:src",
      "rpush:src",
      "new:dst",
      "lpush:dst",
      "rpop:src",
      "del:src",
    ]);
  });
});

// -- value ops and the table --

test(`${T}: COPY, DEBUG DIGEST-VALUE and MEMORY USAGE work on lists`, async () => {
  await withServer({
    "enable-debug-command": "yes",
    "list-max-listpack-size": 2,
    "list-compress-depth": 1,
  }, async (ctx) => {
    const { r } = ctx;
    const items = Array.from(
      { length: 20 },
      (_, i) => (i % 3 ? "e" + "q".repeat(60) + i : String(i)),
    );
    await r.call("RPUSH", "l", ...items);
    assert.equal(await r.call("COPY", "l", "c"), 1);
    assert.deepEqual(await r.call("LRANGE", "c", "0", "-1"), items);
    const [d1, d2] = await r.call("DEBUG", "DIGEST-VALUE", "l", "c") as Status[];
    assert.deepEqual(d1, d2);
    // real Redis's digest of RPUSH dl a 1 -5 9223372036854775807 "" "hello world" 3.5
    await r.call("RPUSH", "dl", "a", "1", "-5", "9223372036854775807", "", "hello world", "3.5");
    assert.deepEqual(await r.call("DEBUG", "DIGEST-VALUE", "dl"), [
      new Status("c1ec56e1a3b7027bdce2547892660f786018e0bf"),
    ]);
    await r.call("LSET", "c", "0", "changed");
    assert.notDeepEqual((await r.call("DEBUG", "DIGEST-VALUE", "c") as Status[])[0], d1);
    // the compressed interior nodes take less room than the same list uncompressed
    await r.call("CONFIG", "SET", "list-compress-depth", "0");
    await r.call("RPUSH", "plain", ...items);
    const packed = await r.call("MEMORY", "USAGE", "l", "SAMPLES", "0") as number;
    const plain = await r.call("MEMORY", "USAGE", "plain", "SAMPLES", "0") as number;
    assert.ok(plain > 13 * 60, `plain usage ${plain}`);
    assert.ok(packed < plain, `compressed ${packed} < plain ${plain}`);
    assert.equal(await r.call("UNLINK", "l"), 1);
    assert.deepEqual(await r.call("TYPE", "c"), new Status("list"));
  });
});

test(`${T}: table entries carry Redis's arity, flags and key positions`, () => {
  const byName = new Map(listCommands.defs.map((d) => [d.name, buildCommand(d, "list", null)]));
  const expect: [string, number, number][] = [
    ["lpush", -3, WRITE | DENYOOM | FAST],
    ["rpush", -3, WRITE | DENYOOM | FAST],
    ["lpushx", -3, WRITE | DENYOOM | FAST],
    ["rpushx", -3, WRITE | DENYOOM | FAST],
    ["lpop", -2, WRITE | FAST],
    ["rpop", -2, WRITE | FAST],
    ["llen", 2, READONLY | FAST],
    ["lrange", 4, READONLY],
    ["lindex", 3, READONLY],
    ["lset", 4, WRITE | DENYOOM],
    ["linsert", 5, WRITE | DENYOOM],
    ["lrem", 4, WRITE],
    ["ltrim", 4, WRITE],
    ["lpos", -3, READONLY],
    ["lmove", 5, WRITE | DENYOOM],
    ["rpoplpush", 3, WRITE | DENYOOM],
    ["lmpop", -4, WRITE],
    ["blpop", -3, WRITE | NOSCRIPT | BLOCKING],
    ["brpop", -3, WRITE | NOSCRIPT | BLOCKING],
    ["blmove", 6, WRITE | DENYOOM | NOSCRIPT | BLOCKING],
    ["brpoplpush", 4, WRITE | DENYOOM | NOSCRIPT | BLOCKING],
    ["blmpop", -5, WRITE | BLOCKING],
  ];
  assert.equal(byName.size, expect.length);
  for (const [name, arity, flags] of expect) {
    const cmd = byName.get(name)!;
    assert.equal(cmd.arity, arity, name);
    assert.equal(cmd.flags, flags, name);
    assert.ok(cmd.acls.includes("list"), name);
  }
  const keysOf = (name: string, args: string[]) => byName.get(name)!.getKeys!(Argv.of(args));
  assert.deepEqual(keysOf("lmpop", ["lmpop", "2", "a", "b", "LEFT"]), [2, 3]);
  // numkeys is read with atoi, as Redis's genericGetKeys does
  assert.deepEqual(keysOf("lmpop", ["lmpop", "2x", "a", "b", "LEFT"]), [2, 3]);
  assert.deepEqual(keysOf("blmpop", ["blmpop", "0", " 1", "a", "b", "LEFT"]), [3]);
  assert.deepEqual(keysOf("blmpop", ["blmpop", "0", "2", "a", "b", "LEFT"]), [3, 4]);
  assert.deepEqual(keysOf("lmpop", ["lmpop", "5", "a", "LEFT"]), []);
  assert.deepEqual(keysOf("lmpop", ["lmpop", "0", "a", "LEFT"]), []);
});

test(`${T}: list options end at a NUL byte, as Redis's strcasecmp does`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "l", "a", "b", "a", "c", "a");
    assert.equal(await r.call("LPOS", "l", "a", "rank\0x", "2"), 2);
    assert.deepEqual(await r.call("LPOS", "l", "a", "COUNT\0", "0"), [0, 2, 4]);
    assert.equal(await r.call("LMOVE", "l", "l", "left\0", "RIGHT\0zz"), "a");
    assert.equal(await r.call("LINSERT", "l", "before\0", "c", "z"), 6);
    const popped = await r.call("LMPOP", "1", "l", "left\0", "count\0", "2");
    assert.deepEqual(popped, ["l", ["b", "a"]]);
    const syntax = new RespError("ERR syntax error");
    await assert.rejects(r.call("LMOVE", "l", "l", "lef\0t", "left"), syntax);
    const keys = await r.call("COMMAND", "GETKEYS", "LMPOP", "2x", "a", "b", "LEFT");
    assert.deepEqual(keys, ["a", "b"]);
  });
});

test(`${T}: a served blocked pop or move counts no change of its own, as in Redis`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const changes = async () => {
      const info = (await r.call("INFO", "persistence")) as string;
      return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
    };
    // [blocking command, the push that serves it, changes counted, the served reply]
    const cases: [string[], string[], number, unknown][] = [
      [["BLPOP", "l", "0"], ["RPUSH", "l", "a"], 1, ["l", "a"]],
      [["BRPOP", "l", "0"], ["RPUSH", "l", "a", "b"], 2, ["l", "b"]],
      [["BLMOVE", "l", "d", "LEFT", "RIGHT", "0"], ["RPUSH", "l", "a"], 1, "a"],
      [["BRPOPLPUSH", "l", "d", "0"], ["RPUSH", "l", "a", "b"], 2, "b"],
      // BLMPOP pops through listElementsRemoved, which counts the popped elements too
      [["BLMPOP", "0", "1", "l", "LEFT", "COUNT", "5"], ["RPUSH", "l", "a", "b"], 4, ["l", [
        "a",
        "b",
      ]]],
    ];
    for (const [block, push, delta, reply] of cases) {
      await r.call("FLUSHALL");
      const c = await ctx.client();
      c.send(...block);
      await waitBlocked(ctx, 1);
      const before = await changes();
      await r.call(...push);
      assert.deepEqual(await c.read(), reply, block[0]);
      assert.equal((await changes()) - before, delta, block[0]);
    }
  });
});
