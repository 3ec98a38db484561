// The strings family over a real socket: SET variants, GETSET/GETDEL/GETEX, MSET/MSETNX/MGET,
// APPEND/STRLEN, the INCR family and INCRBYFLOAT, GETRANGE/SUBSTR/SETRANGE and LCS, with Redis
// 7.0's replies, error texts, encodings, TTL handling and keyspace events.

import assert from "node:assert/strict";
import { rng, runtimeName, sleep, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { RespError, Status } from "../_resp_client.ts";
import { OFF_BITS, OFF_MASK } from "../../src/memory/arena.ts";
import { buildCommand, DENYOOM, FAST, READONLY, WRITE } from "../../src/server/command.ts";
import {
  ENCODING_NAMES,
  OBJ_ENCODING_RAW,
  OBJ_MODULE,
  objEncoding,
} from "../../src/store/object.ts";
import { hasValueOps, registerValueType } from "../../src/store/values.ts";
import { stringCommands } from "../../src/types/string.ts";

const T = `strings (${runtimeName})`;
const OK = new Status("OK");
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const NOT_INT = "ERR value is not an integer or out of range";
const NOT_FLOAT = "ERR value is not a valid float";
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

function entryOf(ctx: ServerCtx, key: string): number {
  const b = enc(key);
  return ctx.srv.server.store.dbs[0].find(b, 0, b.length);
}

/** OBJECT ENCODING as the store holds it. */
function encodingOf(ctx: ServerCtx, key: string): string {
  const e = entryOf(ctx, key);
  assert.notEqual(e, 0, `${key} exists`);
  return ENCODING_NAMES[objEncoding(ctx.srv.server.heap, e)];
}

/** The key's expire time in unix ms, -1 without TTL, -2 when missing. */
function expireOf(ctx: ServerCtx, key: string): number {
  const e = entryOf(ctx, key);
  return e === 0 ? -2 : ctx.srv.server.store.dbs[0].getExpire(e);
}

/** Store a value of another type (a stand-in module value) under `key`. */
function putNonString(ctx: ServerCtx, key: string): void {
  if (!hasValueOps(OBJ_MODULE)) {
    registerValueType(OBJ_MODULE, {
      free: (m, v) => m.free(v),
      dup: (m, v) => {
        const n = m.alloc(8);
        m.u32[n >>> OFF_BITS][(n & OFF_MASK) << 1] = m.u32[v >>> OFF_BITS][(v & OFF_MASK) << 1];
        return n;
      },
      usage: () => 8,
      freeEffort: () => 1,
    });
  }
  const m = ctx.srv.server.heap;
  const k = enc(key);
  ctx.srv.server.store.dbs[0].setValue(
    k,
    0,
    k.length,
    OBJ_MODULE,
    OBJ_ENCODING_RAW,
    m.alloc(8),
    false,
  );
}

/** Record keyspace events through the server's notification hook. */
async function recordEvents(ctx: ServerCtx): Promise<string[]> {
  await ctx.r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
  const events: string[] = [];
  ctx.srv.server.onNotify = (_type, event, key) => {
    events.push(`${event}:${String.fromCharCode(...key)}`);
  };
  return events;
}

// -- SETNX, SETEX, PSETEX, GETSET --

test(`${T}: SETNX sets only a missing key and replies 1 or 0`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("SETNX", "k", "v1"), 1);
    assert.equal(await r.call("SETNX", "k", "v2"), 0);
    assert.equal(await r.call("GET", "k"), "v1");
    await r.call("SET", "n", "12345");
    assert.equal(encodingOf(ctx, "n"), "int");
    assert.equal(await r.call("SETNX", "e", "x".repeat(45)), 1);
    assert.equal(encodingOf(ctx, "e"), "raw");
  });
});

test(`${T}: SETNX treats an expired key as missing`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "old", "PX", "20");
    await sleep(40);
    assert.equal(await r.call("SETNX", "k", "new"), 1);
    assert.equal(await r.call("GET", "k"), "new");
  });
});

test(`${T}: SETEX and PSETEX set the value with a TTL`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const before = Date.now();
    assert.deepEqual(await r.call("SETEX", "a", "100", "1"), OK);
    assert.deepEqual(await r.call("PSETEX", "b", "5000", "hello"), OK);
    const ta = expireOf(ctx, "a") - before;
    const tb = expireOf(ctx, "b") - before;
    assert.ok(ta > 99_000 && ta <= 101_000, `SETEX ttl ${ta}`);
    assert.ok(tb > 4_000 && tb <= 6_000, `PSETEX ttl ${tb}`);
    assert.equal(await r.call("GET", "b"), "hello");
    assert.equal(encodingOf(ctx, "a"), "int");
  });
});

test(`${T}: SETEX and PSETEX reject bad expire times with the command's name`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(
      r.call("SETEX", "k", "0", "v"),
      new RespError("ERR invalid expire time in 'setex' command"),
    );
    await assert.rejects(
      r.call("SETEX", "k", "-5", "v"),
      new RespError("ERR invalid expire time in 'setex' command"),
    );
    await assert.rejects(
      r.call("PSETEX", "k", "-1", "v"),
      new RespError("ERR invalid expire time in 'psetex' command"),
    );
    await assert.rejects(
      r.call("SETEX", "k", "9223372036854775807", "v"),
      new RespError("ERR invalid expire time in 'setex' command"),
    );
    await assert.rejects(r.call("SETEX", "k", "1.5", "v"), new RespError(NOT_INT));
    assert.equal(await r.call("GET", "k"), null);
  });
});

test(`${T}: GETSET returns the old value, stores the new one and drops the TTL`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("GETSET", "k", "a"), null);
    await r.call("SET", "k", "b", "EX", "100");
    assert.equal(await r.call("GETSET", "k", "c"), "b");
    assert.equal(await r.call("GET", "k"), "c");
    assert.equal(expireOf(ctx, "k"), -1);
    putNonString(ctx, "o");
    await assert.rejects(r.call("GETSET", "o", "x"), new RespError(WRONGTYPE));
  });
});

// -- GETDEL, GETEX --

test(`${T}: GETDEL returns the value and deletes the key`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "k", "v");
    assert.equal(await r.call("GETDEL", "k"), "v");
    assert.equal(await r.call("GETDEL", "k"), null);
    assert.equal(entryOf(ctx, "k"), 0);
    putNonString(ctx, "o");
    await assert.rejects(r.call("GETDEL", "o"), new RespError(WRONGTYPE));
    assert.notEqual(entryOf(ctx, "o"), 0);
  });
});

test(`${T}: GETEX without options reads like GET and keeps the TTL`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "k", "v", "EX", "100");
    const exp = expireOf(ctx, "k");
    assert.equal(await r.call("GETEX", "k"), "v");
    assert.equal(expireOf(ctx, "k"), exp);
    assert.equal(await r.call("GETEX", "missing"), null);
  });
});

test(`${T}: GETEX EX, PX, EXAT and PXAT set the TTL`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "k", "v");
    const now = Date.now();
    assert.equal(await r.call("GETEX", "k", "EX", "100"), "v");
    let ttl = expireOf(ctx, "k") - now;
    assert.ok(ttl > 99_000 && ttl <= 101_000, `EX ${ttl}`);
    assert.equal(await r.call("GETEX", "k", "px", "5000"), "v");
    ttl = expireOf(ctx, "k") - now;
    assert.ok(ttl > 4_000 && ttl <= 6_000, `PX ${ttl}`);
    const at = Math.floor(now / 1000) + 200;
    await r.call("GETEX", "k", "EXAT", String(at));
    assert.equal(expireOf(ctx, "k"), at * 1000);
    await r.call("GETEX", "k", "PXAT", String(now + 300_000));
    assert.equal(expireOf(ctx, "k"), now + 300_000);
    assert.equal(await r.call("GET", "k"), "v");
  });
});

test(`${T}: GETEX PERSIST removes the TTL`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "k", "v", "EX", "100");
    assert.equal(await r.call("GETEX", "k", "PERSIST"), "v");
    assert.equal(expireOf(ctx, "k"), -1);
    assert.equal(await r.call("GETEX", "k", "PERSIST", "PERSIST"), "v");
    assert.equal(await r.call("GET", "k"), "v");
  });
});

test(`${T}: GETEX with an EXAT/PXAT in the past replies the value and deletes the key`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const events = await recordEvents(ctx);
    await r.call("SET", "k", "v");
    assert.equal(await r.call("GETEX", "k", "EXAT", "1"), "v");
    assert.equal(entryOf(ctx, "k"), 0);
    await r.call("SET", "k2", "w");
    assert.equal(await r.call("GETEX", "k2", "PXAT", String(Date.now() - 1000)), "w");
    assert.equal(entryOf(ctx, "k2"), 0);
    assert.deepEqual(events, ["set:k", "del:k", "set:k2", "del:k2"]);
  });
});

test(`${T}: GETEX rejects conflicting or incomplete options and bad times`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    const SYNTAX = new RespError("ERR syntax error");
    await assert.rejects(r.call("GETEX", "k", "EX", "10", "PERSIST"), SYNTAX);
    await assert.rejects(r.call("GETEX", "k", "PERSIST", "PX", "10"), SYNTAX);
    await assert.rejects(r.call("GETEX", "k", "EX", "10", "PX", "10"), SYNTAX);
    await assert.rejects(r.call("GETEX", "k", "EX"), SYNTAX);
    await assert.rejects(r.call("GETEX", "k", "KEEPTTL"), SYNTAX);
    await assert.rejects(r.call("GETEX", "k", "nonsense"), SYNTAX);
    await assert.rejects(
      r.call("GETEX", "k", "EX", "0"),
      new RespError("ERR invalid expire time in 'getex' command"),
    );
    await assert.rejects(r.call("GETEX", "k", "PX", "x"), new RespError(NOT_INT));
    // the time is only checked once the key is found to be a string
    assert.equal(await r.call("GETEX", "missing", "EX", "0"), null);
    // a repeated EX is fine, the last one wins
    assert.equal(await r.call("GETEX", "k", "EX", "10", "EX", "20"), "v");
    await assert.rejects(
      r.call("GETEX"),
      new RespError("ERR wrong number of arguments for 'getex' command"),
    );
  });
});

// -- MSET, MSETNX, MGET --

test(`${T}: MSET sets every pair and MGET reads them back`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.deepEqual(await r.call("MSET", "a", "1", "b", "two", "c", "x".repeat(50)), OK);
    assert.deepEqual(await r.call("MGET", "a", "b", "c", "nope"), [
      "1",
      "two",
      "x".repeat(50),
      null,
    ]);
    assert.equal(encodingOf(ctx, "a"), "int");
    assert.equal(encodingOf(ctx, "b"), "embstr");
    assert.equal(encodingOf(ctx, "c"), "raw");
    await r.call("SET", "a", "v", "EX", "100");
    await r.call("MSET", "a", "w");
    assert.equal(expireOf(ctx, "a"), -1);
  });
});

test(`${T}: MSET and MSETNX with an odd argument count get the arity error`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(
      r.call("MSET", "a", "1", "b"),
      new RespError("ERR wrong number of arguments for 'mset' command"),
    );
    await assert.rejects(
      r.call("MSETNX", "a", "1", "b"),
      new RespError("ERR wrong number of arguments for 'msetnx' command"),
    );
    assert.equal(await r.call("GET", "a"), null);
  });
});

test(`${T}: MSETNX sets all keys or none`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("MSETNX", "a", "1", "b", "2"), 1);
    assert.equal(await r.call("MSETNX", "c", "3", "a", "9"), 0);
    assert.deepEqual(await r.call("MGET", "a", "b", "c"), ["1", "2", null]);
    // the same new key twice: both writes happen, the last wins
    assert.equal(await r.call("MSETNX", "d", "x", "d", "y"), 1);
    assert.equal(await r.call("GET", "d"), "y");
  });
});

test(`${T}: MGET replies nil for keys of other types`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "s", "v");
    putNonString(ctx, "o");
    assert.deepEqual(await r.call("MGET", "s", "o", "s"), ["v", null, "v"]);
  });
});

// -- APPEND, STRLEN --

test(`${T}: APPEND creates the key, grows it in place and replies the length`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("APPEND", "k", "123"), 3);
    assert.equal(encodingOf(ctx, "k"), "int");
    assert.equal(await r.call("APPEND", "k", "45"), 5);
    assert.equal(encodingOf(ctx, "k"), "raw");
    assert.equal(await r.call("GET", "k"), "12345");
    let want = "12345";
    for (let i = 0; i < 200; i++) {
      const piece = `-${i}\x00\r\n`;
      want += piece;
      assert.equal(await r.call("APPEND", "k", piece), want.length);
    }
    assert.equal(await r.call("GET", "k"), want);
    assert.equal(await r.call("STRLEN", "k"), want.length);
  });
});

test(`${T}: APPEND keeps the TTL and refuses a wrong type`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "k", "a", "EX", "100");
    const exp = expireOf(ctx, "k");
    await r.call("APPEND", "k", "b".repeat(100));
    assert.equal(expireOf(ctx, "k"), exp);
    assert.equal(await r.call("STRLEN", "k"), 101);
    putNonString(ctx, "o");
    await assert.rejects(r.call("APPEND", "o", "x"), new RespError(WRONGTYPE));
  });
});

test(`${T}: APPEND past proto-max-bulk-len is refused`, async () => {
  await withServer({ "proto-max-bulk-len": 1024 * 1024 }, async ({ r }) => {
    await r.call("SET", "k", "x".repeat(1024 * 1024 - 2));
    assert.equal(await r.call("APPEND", "k", "yy"), 1024 * 1024);
    await assert.rejects(
      r.call("APPEND", "k", "z"),
      new RespError("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
    assert.equal(await r.call("STRLEN", "k"), 1024 * 1024);
  });
});

test(`${T}: STRLEN counts bytes, 0 for a missing key`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("STRLEN", "nope"), 0);
    await r.call("SET", "i", "-555");
    assert.equal(await r.call("STRLEN", "i"), 4);
    await r.call("SET", "b", enc("a\x00\xff\r\n"));
    assert.equal(await r.call("STRLEN", "b"), 5);
    putNonString(ctx, "o");
    await assert.rejects(r.call("STRLEN", "o"), new RespError(WRONGTYPE));
  });
});

// -- INCR, DECR, INCRBY, DECRBY --

test(`${T}: INCR and DECR start from 0, store int encoding and keep the TTL`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("INCR", "n"), 1);
    assert.equal(await r.call("INCR", "n"), 2);
    assert.equal(await r.call("DECR", "m"), -1);
    assert.equal(encodingOf(ctx, "n"), "int");
    await r.call("SET", "t", "41", "EX", "100");
    const exp = expireOf(ctx, "t");
    assert.equal(await r.call("INCR", "t"), 42);
    assert.equal(expireOf(ctx, "t"), exp);
    await r.call("SET", "w", "99");
    assert.equal(await r.call("INCRBY", "w", "1"), 100);
    assert.equal(await r.call("GET", "w"), "100");
    assert.equal(await r.call("DECRBY", "w", "200"), -100);
    assert.equal(await r.call("GET", "w"), "-100");
  });
});

test(`${T}: INCR refuses values that are not canonical integers`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    for (
      const v of ["007", " 1", "1 ", "+1", "1.0", "", "-0", "abc", "9223372036854775808", "1e3"]
    ) {
      await r.call("SET", "k", v);
      await assert.rejects(r.call("INCR", "k"), new RespError(NOT_INT), JSON.stringify(v));
      assert.equal(await r.call("GET", "k"), v);
    }
    await assert.rejects(r.call("INCRBY", "k", "1.5"), new RespError(NOT_INT));
    await assert.rejects(r.call("INCRBY", "k", "007"), new RespError(NOT_INT));
    putNonString(ctx, "o");
    await assert.rejects(r.call("INCR", "o"), new RespError(WRONGTYPE));
  });
});

test(`${T}: INCRBY and DECRBY are exact over the whole int64 range`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "9007199254740992"); // 2^53
    assert.equal(await r.call("INCR", "k"), 9007199254740993n);
    assert.equal(await r.call("GET", "k"), "9007199254740993");
    assert.equal(await r.call("INCRBY", "k", "-9007199254740993"), 0);
    assert.equal(await r.call("INCRBY", "k", "9223372036854775807"), 9223372036854775807n);
    await assert.rejects(
      r.call("INCR", "k"),
      new RespError("ERR increment or decrement would overflow"),
    );
    assert.equal(await r.call("GET", "k"), "9223372036854775807");
    assert.equal(await r.call("DECRBY", "k", "9223372036854775807"), 0);
    assert.equal(await r.call("DECRBY", "k", "9223372036854775807"), -9223372036854775807n);
    assert.equal(await r.call("DECR", "k"), -9223372036854775808n);
    await assert.rejects(
      r.call("DECR", "k"),
      new RespError("ERR increment or decrement would overflow"),
    );
    await assert.rejects(
      r.call("DECRBY", "x", "-9223372036854775808"),
      new RespError("ERR decrement would overflow"),
    );
    assert.equal(await r.call("INCRBY", "x", "-9223372036854775808"), -9223372036854775808n);
    await r.call("SET", "big", "17179869184");
    assert.equal(await r.call("INCRBY", "big", "17179869184"), 34359738368);
  });
});

test(`${T}: INCRBY matches a BigInt model on random values`, async () => {
  await withServer({}, async ({ r }) => {
    const rand = rng(7);
    const MAX = 9223372036854775807n;
    const MIN = -9223372036854775808n;
    let model = 0n;
    for (let i = 0; i < 300; i++) {
      const mag = BigInt(Math.floor(rand() * 2 ** 30)) << BigInt(Math.floor(rand() * 34));
      const inc = rand() < 0.5 ? -mag : mag;
      const next = model + inc;
      if (next > MAX || next < MIN) {
        await assert.rejects(
          r.call("INCRBY", "k", inc.toString()),
          new RespError("ERR increment or decrement would overflow"),
        );
        continue;
      }
      model = next;
      const got = await r.call("INCRBY", "k", inc.toString());
      assert.equal(BigInt(got as number | bigint), model);
    }
    assert.equal(await r.call("GET", "k"), model.toString());
  });
});

// -- INCRBYFLOAT --

test(`${T}: INCRBYFLOAT adds in long double precision and prints like Redis`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("INCRBYFLOAT", "f", "1"), "1");
    assert.equal(await r.call("INCRBYFLOAT", "f", "0.25"), "1.25");
    await r.call("SET", "f", "10.5");
    assert.equal(await r.call("INCRBYFLOAT", "f", "0.1"), "10.6");
    assert.equal(await r.call("GET", "f"), "10.6");
    assert.equal(encodingOf(ctx, "f"), "embstr");
    await r.call("SET", "f", "17179869184");
    assert.equal(await r.call("INCRBYFLOAT", "f", "1.5"), "17179869185.5");
    await r.call("SET", "f", "1e20");
    assert.equal(await r.call("INCRBYFLOAT", "f", "0.1"), "100000000000000000000");
    assert.equal(await r.call("INCRBYFLOAT", "g", "0x10"), "16");
    assert.equal(await r.call("INCRBYFLOAT", "g", "5.0e3"), "5016");
    assert.equal(await r.call("INCRBYFLOAT", "h", "1e-20"), "0");
    // an integer-looking result is still not int-encoded
    assert.equal(encodingOf(ctx, "g"), "embstr");
  });
});

test(`${T}: INCRBYFLOAT results over 44 bytes are raw, and the TTL is kept`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    // 45 digits (1e44 as the nearest long double, as Redis prints it)
    assert.equal(
      await r.call("INCRBYFLOAT", "f", "1e44"),
      "100000000000000000001038625398088182045605888",
    );
    assert.equal(encodingOf(ctx, "f"), "raw");
    await r.call("SET", "t", "1", "EX", "100");
    const exp = expireOf(ctx, "t");
    assert.equal(await r.call("INCRBYFLOAT", "t", "-1.1"), "-0.1");
    assert.equal(expireOf(ctx, "t"), exp);
  });
});

test(`${T}: INCRBYFLOAT errors: bad floats, NaN or infinity, wrong type`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    for (const v of ["    11", "11    ", " 11 ", "abc", "1e", "nan"]) {
      await r.call("SET", "k", v);
      await assert.rejects(
        r.call("INCRBYFLOAT", "k", "1.0"),
        new RespError(NOT_FLOAT),
        JSON.stringify(v),
      );
    }
    await r.call("SET", "k", "0");
    for (const inc of ["", "nan", "1.5x", "0x"]) {
      await assert.rejects(
        r.call("INCRBYFLOAT", "k", inc),
        new RespError(NOT_FLOAT),
        JSON.stringify(inc),
      );
    }
    await assert.rejects(
      r.call("INCRBYFLOAT", "k", "+inf"),
      new RespError("ERR increment would produce NaN or Infinity"),
    );
    await r.call("SET", "k", "inf");
    await assert.rejects(
      r.call("INCRBYFLOAT", "k", "1"),
      new RespError("ERR increment would produce NaN or Infinity"),
    );
    await r.call("SET", "k", "1.1e4932");
    await assert.rejects(
      r.call("INCRBYFLOAT", "k", "1.1e4932"),
      new RespError("ERR increment would produce NaN or Infinity"),
    );
    await r.call("SET", "k", "1");
    await r.call("SETRANGE", "k", "2", "2"); // "1\0" + "2": a NUL inside the text
    await assert.rejects(r.call("INCRBYFLOAT", "k", "1"), new RespError(NOT_FLOAT));
    await assert.rejects(r.call("INCRBYFLOAT", "k", "1".repeat(5120)), new RespError(NOT_FLOAT));
    putNonString(ctx, "o");
    await assert.rejects(r.call("INCRBYFLOAT", "o", "1"), new RespError(WRONGTYPE));
  });
});

test(`${T}: INCRBYFLOAT never leaves a negative zero`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("INCRBYFLOAT", "k", String(1 / 41));
    assert.equal(await r.call("INCRBYFLOAT", "k", String(-1 / 41)), "0");
    assert.equal(await r.call("GET", "k"), "0");
    assert.equal(await r.call("INCRBYFLOAT", "z", "-1e-30"), "0");
  });
});

// -- GETRANGE, SUBSTR, SETRANGE --

test(`${T}: GETRANGE and SUBSTR follow Redis's index rules`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("GETRANGE", "nope", "0", "-1"), "");
    await r.call("SET", "k", "Hello World");
    const cases: [string, string, string][] = [
      ["0", "3", "Hell"],
      ["0", "-1", "Hello World"],
      ["-4", "-1", "orld"],
      ["5", "3", ""],
      ["5", "5000", " World"],
      ["-5000", "10000", "Hello World"],
      ["-1", "-5", ""],
      ["0", "4294967297", "Hello World"],
      ["-9223372036854775808", "9223372036854775807", "Hello World"],
      ["11", "20", ""],
      ["-100", "-50", "H"], // both clamp to 0: Redis returns the first byte
    ];
    for (const [s, e, want] of cases) {
      assert.equal(await r.call("GETRANGE", "k", s, e), want, `${s}..${e}`);
      assert.equal(await r.call("SUBSTR", "k", s, e), want, `SUBSTR ${s}..${e}`);
    }
    await r.call("SET", "i", "1234");
    assert.equal(await r.call("GETRANGE", "i", "-3", "-1"), "234");
    await assert.rejects(r.call("GETRANGE", "k", "a", "1"), new RespError(NOT_INT));
    await r.call("SET", "e", "");
    assert.equal(await r.call("GETRANGE", "e", "0", "-1"), "");
  });
});

test(`${T}: GETRANGE agrees with a slice model on random binary strings`, async () => {
  await withServer({}, async ({ r }) => {
    const rand = rng(11);
    for (let i = 0; i < 100; i++) {
      const len = Math.floor(rand() * 60);
      let s = "";
      for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(rand() * 256));
      await r.call("SET", "b", enc(s));
      const start = Math.floor(rand() * 140) - 70;
      const end = Math.floor(rand() * 140) - 70;
      let a = start < 0 ? len + start : start;
      let b = end < 0 ? len + end : end;
      if (a < 0) a = 0;
      if (b < 0) b = 0;
      if (b >= len) b = len - 1;
      const want = (start < 0 && end < 0 && start > end) || a > b || len === 0
        ? ""
        : s.slice(a, b + 1);
      assert.equal(await r.call("GETRANGE", "b", String(start), String(end)), want);
    }
  });
});

test(`${T}: SETRANGE on a missing key zero-pads, and an empty value creates nothing`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    assert.equal(await r.call("SETRANGE", "k", "0", ""), 0);
    assert.equal(entryOf(ctx, "k"), 0);
    assert.equal(await r.call("SETRANGE", "k", "1", "foo"), 4);
    assert.equal(await r.call("GET", "k"), "\x00foo");
    assert.equal(encodingOf(ctx, "k"), "raw");
    assert.equal(await r.call("SETRANGE", "k2", "0", "12"), 2);
    assert.equal(encodingOf(ctx, "k2"), "raw");
  });
});

test(`${T}: SETRANGE overwrites in place, pads with zeros and makes the value raw`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "k", "foo");
    assert.equal(await r.call("SETRANGE", "k", "0", "b"), 3);
    assert.equal(await r.call("GET", "k"), "boo");
    assert.equal(await r.call("SETRANGE", "k", "4", "bar"), 7);
    assert.equal(await r.call("GET", "k"), "boo\x00bar");
    await r.call("SET", "i", "1234", "EX", "100");
    const exp = expireOf(ctx, "i");
    assert.equal(await r.call("SETRANGE", "i", "0", ""), 4);
    assert.equal(encodingOf(ctx, "i"), "int");
    assert.equal(await r.call("SETRANGE", "i", "1", "3"), 4);
    assert.equal(encodingOf(ctx, "i"), "raw");
    assert.equal(await r.call("GET", "i"), "1334");
    assert.equal(expireOf(ctx, "i"), exp);
    assert.equal(await r.call("SETRANGE", "i", "5000", "x"), 5001);
    const v = (await r.call("GET", "i")) as string;
    assert.equal(v, "1334" + "\x00".repeat(4996) + "x");
  });
});

test(`${T}: SETRANGE errors: negative or huge offsets, wrong type`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const TOO_BIG = new RespError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    await assert.rejects(r.call("SETRANGE", "k", String(512 * 1024 * 1024 - 4), "world"), TOO_BIG);
    await r.call("SET", "k", "hello");
    await assert.rejects(
      r.call("SETRANGE", "k", "-1", "world"),
      new RespError("ERR offset is out of range"),
    );
    await assert.rejects(r.call("SETRANGE", "k", String(512 * 1024 * 1024 - 4), "world"), TOO_BIG);
    await assert.rejects(r.call("SETRANGE", "k", "9223372036854775807", "A"), TOO_BIG);
    await assert.rejects(r.call("SETRANGE", "k", "x", "A"), new RespError(NOT_INT));
    // nothing to write: the length is replied without checking the offset's size
    assert.equal(await r.call("SETRANGE", "k", "9223372036854775807", ""), 5);
    putNonString(ctx, "o");
    await assert.rejects(r.call("SETRANGE", "o", "0", "x"), new RespError(WRONGTYPE));
  });
});

// -- LCS --

const RNA1 =
  "CACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGC" +
  "ATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTC" +
  "GTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTTCGTCCGGGTGTG";
const RNA2 =
  "ATTAAAGGTTTATACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTG" +
  "TCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGC" +
  "TGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT";
const RNA_LCS =
  "ACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGC" +
  "ATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTT" +
  "CGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT";

test(`${T}: LCS returns the subsequence, its length, or the matching ranges`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("MSET", "a", RNA1, "b", RNA2);
    assert.equal(await r.call("LCS", "a", "b"), RNA_LCS);
    assert.equal(await r.call("LCS", "a", "b", "LEN"), RNA_LCS.length);
    assert.deepEqual(await r.call("LCS", "a", "b", "IDX"), [
      "matches",
      [
        [[238, 238], [239, 239]],
        [[236, 236], [238, 238]],
        [[229, 230], [236, 237]],
        [[224, 224], [235, 235]],
        [[1, 222], [13, 234]],
      ],
      "len",
      227,
    ]);
    assert.deepEqual(await r.call("LCS", "a", "b", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "5"), [
      "matches",
      [[[1, 222], [13, 234], 222]],
      "len",
      227,
    ]);
    await r.call("MSET", "x", "ohmytext", "y", "mynewtext");
    assert.equal(await r.call("LCS", "x", "y"), "mytext");
    assert.deepEqual(await r.call("LCS", "x", "y", "IDX", "MINMATCHLEN", "-3", "WITHMATCHLEN"), [
      "matches",
      [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]],
      "len",
      6,
    ]);
  });
});

test(`${T}: LCS treats missing keys as empty strings`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "abc");
    assert.equal(await r.call("LCS", "a", "nope"), "");
    assert.equal(await r.call("LCS", "nope", "nope2", "LEN"), 0);
    assert.deepEqual(await r.call("LCS", "a", "nope", "IDX"), ["matches", [], "len", 0]);
  });
});

test(`${T}: LCS IDX is a map under RESP3`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("MSET", "x", "ohmytext", "y", "mynewtext");
    await r.call("HELLO", "3");
    const reply = await r.call("LCS", "x", "y", "IDX");
    assert.ok(reply instanceof Map);
    assert.deepEqual([...reply.keys()], ["matches", "len"]);
    assert.equal(reply.get("len"), 6);
    assert.deepEqual(reply.get("matches"), [[[4, 7], [5, 8]], [[2, 3], [0, 1]]]);
  });
});

test(`${T}: LCS errors: non-string keys, LEN with IDX, bad options`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("MSET", "a", "abc", "b", "abd");
    putNonString(ctx, "o");
    const NOT_STR = new RespError("ERR The specified keys must contain string values");
    await assert.rejects(r.call("LCS", "a", "o"), NOT_STR);
    await assert.rejects(r.call("LCS", "o", "a", "bogus"), NOT_STR); // the type check comes first
    await assert.rejects(
      r.call("LCS", "a", "b", "LEN", "IDX"),
      new RespError("ERR If you want both the length and indexes, please just use IDX."),
    );
    await assert.rejects(r.call("LCS", "a", "b", "MINMATCHLEN"), new RespError("ERR syntax error"));
    await assert.rejects(r.call("LCS", "a", "b", "MINMATCHLEN", "x"), new RespError(NOT_INT));
    await assert.rejects(r.call("LCS", "a", "b", "nope"), new RespError("ERR syntax error"));
  });
});

// -- events, WATCH, command table --

test(`${T}: string commands send Redis's keyspace events`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const events = await recordEvents(ctx);
    await r.call("SET", "k", "1");
    await r.call("SETEX", "e", "100", "v");
    await r.call("INCR", "k");
    await r.call("DECRBY", "k", "5");
    await r.call("INCRBYFLOAT", "k", "0.5");
    await r.call("APPEND", "k", "x");
    await r.call("SETRANGE", "k", "0", "y");
    await r.call("SETRANGE", "k", "0", ""); // no write, no event
    await r.call("GETSET", "k", "z");
    await r.call("MSET", "a", "1", "b", "2");
    await r.call("MSETNX", "a", "1"); // nothing set
    await r.call("GETEX", "e", "PERSIST");
    await r.call("GETEX", "e", "PERSIST"); // no TTL left: no event
    await r.call("GETEX", "e", "EX", "50");
    await r.call("GETDEL", "e");
    assert.deepEqual(events, [
      "set:k",
      "set:e",
      "expire:e",
      "incrby:k",
      "incrby:k",
      "incrbyfloat:k",
      "append:k",
      "setrange:k",
      "set:k",
      "set:a",
      "set:b",
      "persist:e",
      "expire:e",
      "del:e",
    ]);
  });
});

test(`${T}: writes invalidate WATCH, failed ones do not`, async () => {
  await withServer({}, async ({ r, client }) => {
    const other = await client();
    await r.call("SET", "k", "abc");
    await r.call("WATCH", "k");
    await assert.rejects(other.call("INCR", "k"), new RespError(NOT_INT));
    await r.call("MULTI");
    await r.call("GET", "k");
    assert.deepEqual(await r.call("EXEC"), ["abc"]);
    for (
      const cmd of [["APPEND", "k", "d"], ["SETRANGE", "k", "0", "x"], ["INCRBYFLOAT", "n", "1"]]
    ) {
      await r.call("WATCH", cmd[1]);
      await other.call(...cmd);
      await r.call("MULTI");
      await r.call("GET", "k");
      assert.equal(await r.call("EXEC"), null, cmd.join(" "));
    }
  });
});

test(`${T}: the command table carries Redis's arity, flags and key positions`, () => {
  const byName = new Map(stringCommands.defs.map((d) => [d.name, d]));
  const want: [string, number, number, number, number, number][] = [
    // name, arity, flags, first, last, step
    ["getset", 3, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["getdel", 2, WRITE | FAST, 1, 1, 1],
    ["getex", -2, WRITE | FAST, 1, 1, 1],
    ["setnx", 3, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["setex", 4, WRITE | DENYOOM, 1, 1, 1],
    ["psetex", 4, WRITE | DENYOOM, 1, 1, 1],
    ["mset", -3, WRITE | DENYOOM, 1, -1, 2],
    ["msetnx", -3, WRITE | DENYOOM, 1, -1, 2],
    ["mget", -2, READONLY | FAST, 1, -1, 1],
    ["append", 3, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["strlen", 2, READONLY | FAST, 1, 1, 1],
    ["incr", 2, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["decr", 2, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["incrby", 3, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["decrby", 3, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["incrbyfloat", 3, WRITE | DENYOOM | FAST, 1, 1, 1],
    ["getrange", 4, READONLY, 1, 1, 1],
    ["substr", 4, READONLY, 1, 1, 1],
    ["setrange", 4, WRITE | DENYOOM, 1, 1, 1],
    ["lcs", -3, READONLY, 1, 2, 1],
  ];
  for (const [name, arity, flags, first, last, step] of want) {
    const d = byName.get(name);
    assert.ok(d, name);
    assert.equal(d.arity, arity, name);
    assert.equal(d.flags, flags, name);
    assert.deepEqual(d.keys, { first, last, step }, name);
    assert.ok(d.handler && d.summary && d.since && d.complexity && d.syntax, name);
  }
});

test(`${T}: syntax lines give COMMAND DOCS Redis's argument shapes`, () => {
  const def = (n: string) => stringCommands.defs.find((d) => d.name === n)!;
  const mset = buildCommand(def("mset"), "string", null).args;
  assert.deepEqual(mset, [{
    name: "key_value",
    type: "block",
    multiple: true,
    args: [{ name: "key", type: "key" }, { name: "value", type: "string" }],
  }]);
  const getex = buildCommand(def("getex"), "string", null).args;
  assert.equal(getex.length, 2);
  assert.equal(getex[1].name, "expiration");
  assert.equal(getex[1].type, "oneof");
  assert.equal(getex[1].optional, true);
  assert.deepEqual(getex[1].args?.map((a) => [a.name, a.type, a.token]), [
    ["seconds", "integer", "EX"],
    ["milliseconds", "integer", "PX"],
    ["unix-time-seconds", "unix-time", "EXAT"],
    ["unix-time-milliseconds", "unix-time", "PXAT"],
    ["persist", "pure-token", "PERSIST"],
  ]);
  const lcs = buildCommand(def("lcs"), "string", null).args;
  assert.deepEqual(lcs.map((a) => [a.name, a.type, a.token ?? null, a.optional ?? false]), [
    ["key1", "key", null, false],
    ["key2", "key", null, false],
    ["len", "pure-token", "LEN", true],
    ["idx", "pure-token", "IDX", true],
    ["len", "integer", "MINMATCHLEN", true],
    ["withmatchlen", "pure-token", "WITHMATCHLEN", true],
  ]);
});

test(`${T}: SET, GETEX and LCS options end at a NUL byte, as Redis's C-string compare does`, async () => {
  await withServer({}, async ({ r }) => {
    const steps: [string[], unknown][] = [
      [["SET", "k", "v", "nx\0foo"], OK],
      [["SET", "k", "w", "NX\0"], null],
      [["SET", "k", "w", "xx\0", "get\0x"], "v"],
      [["SET", "k", "x", "px\0", "100000"], OK],
      [["GETEX", "k", "persist\0z"], "x"],
      [["TTL", "k"], -1],
      [["LCS", "k", "k", "len\0?"], 1],
    ];
    for (const [args, want] of steps) assert.deepEqual(await r.call(...args), want, args[0]);
    for (const bad of ["n\0x", "\0nx", "nxx"]) {
      await assert.rejects(r.call("SET", "k", "v", bad), new RespError("ERR syntax error"));
    }
  });
});
