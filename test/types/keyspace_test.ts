// The generic keyspace family over a real socket: DEL/UNLINK/EXISTS/TYPE/TOUCH, KEYS and SCAN,
// RANDOMKEY, RENAME/RENAMENX, COPY, MOVE and OBJECT, with Redis 7.0's replies and error texts.

import assert from "node:assert/strict";
import { runtimeName, sleep, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { type RespClient, RespError, Status } from "../_resp_client.ts";
import { OFF_BITS, OFF_MASK } from "../../src/memory/arena.ts";
import { OBJ_ENCODING_RAW, OBJ_MODULE, objAux } from "../../src/store/object.ts";
import { registerValueType } from "../../src/store/values.ts";

const T = `keyspace (${runtimeName})`;
const OK = new Status("OK");
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** Record keyspace events through the server's notification hook (what pub/sub plugs into). */
async function recordEvents(ctx: ServerCtx): Promise<string[]> {
  await ctx.r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
  const events: string[] = [];
  ctx.srv.server.onNotify = (_type, event, key, dbid) => {
    events.push(`${dbid}:${event}:${String.fromCharCode(...key)}`);
  };
  return events;
}

/** Walk a whole SCAN iteration, returning every reply's keys (duplicates kept). */
async function scanAll(r: RespClient, ...opts: string[]): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = (await r.call("SCAN", cursor, ...opts)) as [string, string[]];
    out.push(...keys);
    cursor = next;
  } while (cursor !== "0");
  return out;
}

// -- DEL, UNLINK, EXISTS, TYPE, TOUCH --

test(`${T}: DEL removes the keys that exist and counts them`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "1");
    await r.call("SET", "b", "2");
    assert.equal(await r.call("DEL", "a", "b", "c", "a"), 2);
    assert.equal(await r.call("EXISTS", "a", "b"), 0);
    assert.equal(await r.call("DEL", "a"), 0);
  });
});

test(`${T}: UNLINK removes keys like DEL`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "1");
    assert.equal(await r.call("UNLINK", "a", "zz"), 1);
    assert.equal(await r.call("GET", "a"), null);
  });
});

test(`${T}: DEL of an expired key reports it expired, not deleted`, async () => {
  await withServer({}, async (c) => {
    const events = await recordEvents(c);
    c.srv.server.activeExpireEnabled = false;
    await c.r.call("SET", "k", "v", "PX", "1");
    await sleep(10);
    assert.equal(await c.r.call("DEL", "k"), 0);
    assert.deepEqual(events, ["0:set:k", "0:expire:k", "0:expired:k"]);
  });
});

test(`${T}: DEL and UNLINK send a del event per deleted key`, async () => {
  await withServer({}, async (c) => {
    await c.r.call("SET", "a", "1");
    await c.r.call("SET", "b", "1");
    const events = await recordEvents(c);
    await c.r.call("DEL", "a", "missing");
    await c.r.call("UNLINK", "b");
    assert.deepEqual(events, ["0:del:a", "0:del:b"]);
  });
});

test(`${T}: EXISTS counts a key once per mention`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "");
    assert.equal(await r.call("EXISTS", "a", "a", "b", "a"), 3);
  });
});

test(`${T}: TYPE replies a status: the type name or none`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "s", "v");
    assert.deepEqual(await r.call("TYPE", "s"), new Status("string"));
    assert.deepEqual(await r.call("TYPE", "nope"), new Status("none"));
  });
});

test(`${T}: TOUCH counts the keys that exist`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "key1", "1");
    await r.call("SET", "key2", "2");
    assert.equal(await r.call("TOUCH", "key0", "key1", "key2", "key3"), 2);
  });
});

test(`${T}: a missing key read by EXISTS, TYPE or TOUCH sends keymiss, DEL does not`, async () => {
  await withServer({}, async (c) => {
    const events = await recordEvents(c);
    await c.r.call("CONFIG", "SET", "notify-keyspace-events", "KEAm");
    await c.r.call("EXISTS", "x");
    await c.r.call("TYPE", "y");
    await c.r.call("TOUCH", "z");
    await c.r.call("DEL", "w");
    await c.r.call("OBJECT", "ENCODING", "v");
    assert.deepEqual(events, ["0:keymiss:x", "0:keymiss:y", "0:keymiss:z"]);
  });
});

// -- KEYS --

test(`${T}: KEYS matches glob patterns`, async () => {
  await withServer({}, async ({ r }) => {
    for (const k of ["key_x", "key_y", "key_z", "foo_a", "foo_b", "foo_c", "k?x", "k[1]"]) {
      await r.call("SET", k, "hello");
    }
    const sorted = async (p: string) => ((await r.call("KEYS", p)) as string[]).sort();
    assert.deepEqual(await sorted("foo*"), ["foo_a", "foo_b", "foo_c"]);
    assert.deepEqual(await sorted("k*_?"), ["key_x", "key_y", "key_z"]);
    assert.deepEqual(await sorted("k\\?x"), ["k?x"]);
    assert.deepEqual(await sorted("k\\[1]"), ["k[1]"]);
    assert.equal(((await r.call("KEYS", "*")) as string[]).length, 8);
    assert.deepEqual(await r.call("KEYS", "nomatch*"), []);
  });
});

test(`${T}: KEYS skips expired keys without deleting them`, async () => {
  await withServer({}, async (c) => {
    c.srv.server.activeExpireEnabled = false;
    await c.r.call("SET", "live", "1");
    await c.r.call("SET", "gone", "1", "PX", "1");
    await sleep(10);
    assert.deepEqual(await c.r.call("KEYS", "*"), ["live"]);
    assert.equal(await c.r.call("DBSIZE"), 2);
  });
});

// -- SCAN --

test(`${T}: SCAN visits every key exactly once over a full iteration`, async () => {
  await withServer({}, async ({ r }) => {
    const want: string[] = [];
    for (let i = 0; i < 1000; i++) {
      want.push(`key:${i}`);
      await r.call("SET", `key:${i}`, String(i));
    }
    for (const count of ["1", "7", "100"]) {
      const got = await scanAll(r, "COUNT", count);
      assert.equal(new Set(got).size, got.length, `no duplicates with COUNT ${count}`);
      assert.deepEqual(got.sort(), want.sort());
    }
  });
});

test(`${T}: SCAN MATCH and TYPE filter after collecting`, async () => {
  await withServer({}, async ({ r }) => {
    for (let i = 0; i < 100; i++) await r.call("SET", i % 2 ? `odd:${i}` : `even:${i}`, "v");
    const odd = await scanAll(r, "MATCH", "odd:*", "COUNT", "5");
    assert.equal(odd.length, 50);
    assert.ok(odd.every((k) => k.startsWith("odd:")));
    assert.equal((await scanAll(r, "TYPE", "STRING")).length, 100);
    assert.deepEqual(await scanAll(r, "TYPE", "list"), []);
    assert.equal((await scanAll(r, "MATCH", "*")).length, 100);
  });
});

test(`${T}: SCAN filters out and deletes expired keys`, async () => {
  await withServer({}, async (c) => {
    c.srv.server.activeExpireEnabled = false;
    await c.r.call("SET", "live", "1");
    await c.r.call("SET", "gone", "1", "PX", "1");
    await sleep(10);
    assert.equal(await c.r.call("DBSIZE"), 2);
    assert.deepEqual(await scanAll(c.r), ["live"]);
    assert.equal(await c.r.call("DBSIZE"), 1);
  });
});

test(`${T}: SCAN reports a key that expired during TYPE none filtering, as Redis does`, async () => {
  await withServer({}, async (c) => {
    c.srv.server.activeExpireEnabled = false;
    await c.r.call("SET", "gone", "1", "PX", "1");
    await sleep(10);
    assert.deepEqual(await scanAll(c.r, "TYPE", "none"), ["gone"]);
    assert.equal(await c.r.call("DBSIZE"), 0);
  });
});

test(`${T}: SCAN cursors parse like strtoul`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "1");
    for (const cur of ["", "0", "+0", "00", "4294967296", "18446744073709551615", "-1"]) {
      const reply = (await r.call("SCAN", cur)) as [string, string[]];
      assert.equal(reply.length, 2, `cursor "${cur}" is valid`);
    }
    assert.deepEqual(await r.call("SCAN", "4294967296"), ["0", ["a"]]);
    for (const cur of ["18446744073709551616", " 1", "1x", "+", "-", "1.5"]) {
      await assert.rejects(
        r.call("SCAN", cur),
        new RespError("ERR invalid cursor"),
        `cursor "${cur}"`,
      );
    }
  });
});

test(`${T}: SCAN option errors`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(r.call("SCAN", "0", "COUNT", "0"), new RespError("ERR syntax error"));
    await assert.rejects(r.call("SCAN", "0", "COUNT", "-1"), new RespError("ERR syntax error"));
    await assert.rejects(
      r.call("SCAN", "0", "COUNT", "x"),
      new RespError("ERR value is not an integer or out of range"),
    );
    await assert.rejects(r.call("SCAN", "0", "MATCH"), new RespError("ERR syntax error"));
    await assert.rejects(r.call("SCAN", "0", "TYPE"), new RespError("ERR syntax error"));
    await assert.rejects(r.call("SCAN", "0", "FOO", "bar"), new RespError("ERR syntax error"));
    assert.deepEqual(await r.call("SCAN", "0"), ["0", []]);
  });
});

test(`${T}: SCAN COUNT bounds the keys returned per call`, async () => {
  await withServer({}, async ({ r }) => {
    for (let i = 0; i < 200; i++) await r.call("SET", `k${i}`, "v");
    const [cursor, keys] = (await r.call("SCAN", "0", "COUNT", "5")) as [string, string[]];
    assert.notEqual(cursor, "0");
    // A bucket holds a few keys at most, so one call returns about COUNT keys.
    assert.ok(keys.length >= 5 && keys.length < 15, `got ${keys.length}`);
  });
});

// -- RANDOMKEY --

test(`${T}: RANDOMKEY returns an existing key, or nil when empty`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("RANDOMKEY"), null);
    await r.call("SET", "foo", "x");
    await r.call("SET", "bar", "y");
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add((await r.call("RANDOMKEY")) as string);
    assert.deepEqual([...seen].sort(), ["bar", "foo"]);
  });
});

test(`${T}: RANDOMKEY never returns an expired key`, async () => {
  await withServer({}, async (c) => {
    c.srv.server.activeExpireEnabled = false;
    for (let i = 0; i < 20; i++) await c.r.call("SET", `gone${i}`, "1", "PX", "1");
    await c.r.call("SET", "live", "1");
    await sleep(10);
    assert.equal(await c.r.call("RANDOMKEY"), "live");
    await c.r.call("DEL", "live");
    assert.equal(await c.r.call("RANDOMKEY"), null);
  });
});

// -- RENAME / RENAMENX --

test(`${T}: RENAME moves the value and replaces the target`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "mykey", "hello");
    assert.deepEqual(await r.call("RENAME", "mykey", "mykey1"), OK);
    assert.equal(await r.call("GET", "mykey1"), "hello");
    assert.equal(await r.call("EXISTS", "mykey"), 0);
    await r.call("SET", "mykey", "a");
    await r.call("SET", "mykey2", "b");
    assert.deepEqual(await r.call("RENAME", "mykey2", "mykey"), OK);
    assert.equal(await r.call("GET", "mykey"), "b");
    assert.equal(await r.call("EXISTS", "mykey2"), 0);
  });
});

test(`${T}: RENAME keeps binary keys and values intact`, async () => {
  await withServer({}, async ({ r }) => {
    const val = "x".repeat(100) + "\x00\r\n\xff";
    await r.call("SET", "a\x00b", val);
    assert.deepEqual(await r.call("RENAME", "a\x00b", "c\r\nd\xfe"), OK);
    assert.equal(await r.call("GET", "c\r\nd\xfe"), val);
    assert.deepEqual(await r.call("KEYS", "*"), ["c\r\nd\xfe"]);
  });
});

test(`${T}: RENAMENX only renames onto a free name`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "mykey", "foobar");
    assert.equal(await r.call("RENAMENX", "mykey", "mykey2"), 1);
    await r.call("SET", "mykey", "foo");
    assert.equal(await r.call("RENAMENX", "mykey", "mykey2"), 0);
    assert.equal(await r.call("GET", "mykey"), "foo");
    assert.equal(await r.call("GET", "mykey2"), "foobar");
  });
});

test(`${T}: RENAME errors and same-name renames`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(r.call("RENAME", "nokey", "foobar"), new RespError("ERR no such key"));
    await assert.rejects(r.call("RENAMENX", "nokey", "foobar"), new RespError("ERR no such key"));
    await assert.rejects(r.call("RENAME", "nokey", "nokey"), new RespError("ERR no such key"));
    await r.call("SET", "mykey", "a");
    assert.deepEqual(await r.call("RENAME", "mykey", "mykey"), OK);
    assert.equal(await r.call("RENAMENX", "mykey", "mykey"), 0);
    assert.equal(await r.call("GET", "mykey"), "a");
  });
});

test(`${T}: RENAME carries the source TTL and drops the target's`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "mykey", "foo");
    await r.call("EXPIRE", "mykey", "100");
    assert.deepEqual(await r.call("RENAME", "mykey", "mykey2"), OK);
    const ttl = (await r.call("TTL", "mykey2")) as number;
    assert.ok(ttl > 95 && ttl <= 100);
    await r.call("SET", "src", "a");
    await r.call("SET", "dst", "b");
    await r.call("EXPIRE", "dst", "100");
    await r.call("RENAME", "src", "dst");
    assert.equal(await r.call("TTL", "dst"), -1);
  });
});

test(`${T}: RENAME and MOVE keep the key's access counter, COPY starts a fresh one`, async () => {
  // lfu-log-factor 0 makes every access bump the LFU counter by exactly one.
  await withServer({ "maxmemory-policy": "allkeys-lfu", "lfu-log-factor": 0 }, async ({ r }) => {
    await r.call("SET", "k", "v");
    await r.call("GET", "k");
    await r.call("GET", "k");
    assert.equal(await r.call("OBJECT", "FREQ", "k"), 7);
    // Each command's own lookup of the source counts as one access, as in Redis.
    await r.call("RENAME", "k", "k2");
    assert.equal(await r.call("OBJECT", "FREQ", "k2"), 8);
    await r.call("MOVE", "k2", "1");
    await r.call("SELECT", "1");
    assert.equal(await r.call("OBJECT", "FREQ", "k2"), 9);
    await r.call("COPY", "k2", "k3");
    assert.equal(await r.call("OBJECT", "FREQ", "k3"), 5);
    assert.equal(await r.call("OBJECT", "FREQ", "k2"), 10);
  });
});

test(`${T}: RENAME sends rename_from and rename_to and invalidates WATCH on both keys`, async () => {
  await withServer({}, async (c) => {
    await c.r.call("SET", "a", "1");
    await c.r.call("SET", "b", "2");
    const w1 = await c.client();
    const w2 = await c.client();
    await w1.call("WATCH", "a");
    await w2.call("WATCH", "b");
    const events = await recordEvents(c);
    assert.deepEqual(await c.r.call("RENAME", "a", "b"), OK);
    assert.deepEqual(events, ["0:rename_from:a", "0:rename_to:b"]);
    for (const w of [w1, w2]) {
      await w.call("MULTI");
      await w.call("PING");
      assert.equal(await w.call("EXEC"), null);
    }
  });
});

// -- COPY --

test(`${T}: COPY duplicates a string with its encoding and TTL`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "mykey", "foobar");
    await r.call("SET", "num", "12345");
    assert.equal(await r.call("COPY", "mykey", "mynewkey"), 1);
    assert.equal(await r.call("GET", "mynewkey"), "foobar");
    assert.equal(await r.call("TTL", "mynewkey"), -1);
    assert.equal(await r.call("COPY", "num", "num2"), 1);
    assert.equal(await r.call("OBJECT", "ENCODING", "num2"), "int");
    await r.call("EXPIRE", "mykey", "100");
    assert.equal(await r.call("COPY", "mykey", "ttlkey"), 1);
    const ttl = (await r.call("TTL", "ttlkey")) as number;
    assert.ok(ttl > 95 && ttl <= 100);
  });
});

test(`${T}: COPY needs REPLACE to overwrite, and the copy is independent`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "first");
    await r.call("SET", "b", "second");
    await r.call("EXPIRE", "b", "100");
    assert.equal(await r.call("COPY", "a", "b"), 0);
    assert.equal(await r.call("GET", "b"), "second");
    assert.equal(await r.call("COPY", "a", "b", "REPLACE"), 1);
    assert.equal(await r.call("GET", "b"), "first");
    assert.equal(await r.call("TTL", "b"), -1);
    await r.call("SET", "a", "changed");
    assert.equal(await r.call("GET", "b"), "first");
    assert.equal(await r.call("COPY", "missing", "c"), 0);
  });
});

test(`${T}: COPY to another database`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    assert.equal(await r.call("COPY", "k", "k", "DB", "3"), 1);
    assert.equal(await r.call("COPY", "k", "k", "db", "3"), 0);
    await r.call("SELECT", "3");
    assert.equal(await r.call("GET", "k"), "v");
    await r.call("SELECT", "0");
    assert.equal(await r.call("GET", "k"), "v");
  });
});

test(`${T}: COPY errors`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    const same = new RespError("ERR source and destination objects are the same");
    await assert.rejects(r.call("COPY", "k", "k"), same);
    await assert.rejects(r.call("COPY", "k", "k", "DB", "0"), same);
    await assert.rejects(
      r.call("COPY", "k", "x", "DB", "16"),
      new RespError("ERR DB index is out of range"),
    );
    await assert.rejects(
      r.call("COPY", "k", "x", "DB", "-1"),
      new RespError("ERR DB index is out of range"),
    );
    await assert.rejects(
      r.call("COPY", "k", "x", "DB", "notanint"),
      new RespError("ERR value is not an integer or out of range"),
    );
    await assert.rejects(
      r.call("COPY", "k", "x", "DB", "4294967296"),
      new RespError("ERR value is out of range, value must between -2147483648 and 2147483647"),
    );
    await assert.rejects(r.call("COPY", "k", "x", "DB"), new RespError("ERR syntax error"));
    await assert.rejects(r.call("COPY", "k", "x", "FOO"), new RespError("ERR syntax error"));
  });
});

test(`${T}: COPY sends copy_to in the destination database`, async () => {
  await withServer({}, async (c) => {
    await c.r.call("SET", "k", "v");
    const events = await recordEvents(c);
    await c.r.call("COPY", "k", "k2", "DB", "5");
    assert.deepEqual(events, ["5:copy_to:k2"]);
  });
});

// -- MOVE --

test(`${T}: MOVE moves a key with its TTL to another database`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "mykey", "foobar");
    await r.call("EXPIRE", "mykey", "100");
    assert.equal(await r.call("MOVE", "mykey", "10"), 1);
    assert.equal(await r.call("EXISTS", "mykey"), 0);
    assert.equal(await r.call("DBSIZE"), 0);
    await r.call("SELECT", "10");
    assert.equal(await r.call("GET", "mykey"), "foobar");
    const ttl = (await r.call("TTL", "mykey")) as number;
    assert.ok(ttl > 95 && ttl <= 100);
    await r.call("SET", "plain", "x");
    assert.equal(await r.call("MOVE", "plain", "0"), 1);
    await r.call("SELECT", "0");
    assert.equal(await r.call("TTL", "plain"), -1);
  });
});

test(`${T}: MOVE refuses existing targets, missing keys and bad databases`, async () => {
  await withServer({}, async (c) => {
    const r = c.r;
    await r.call("SET", "k", "here");
    await r.call("SELECT", "1");
    await r.call("SET", "k", "there");
    await r.call("SELECT", "0");
    assert.equal(await r.call("MOVE", "k", "1"), 0);
    assert.equal(await r.call("MOVE", "missing", "1"), 0);
    await assert.rejects(
      r.call("MOVE", "k", "0"),
      new RespError("ERR source and destination objects are the same"),
    );
    await assert.rejects(r.call("MOVE", "k", "16"), new RespError("ERR DB index is out of range"));
    await assert.rejects(
      r.call("MOVE", "k", "notanumber"),
      new RespError("ERR value is not an integer or out of range"),
    );
    const events = await recordEvents(c);
    await r.call("SET", "m", "1");
    events.length = 0;
    await r.call("MOVE", "m", "4");
    assert.deepEqual(events, ["0:move_from:m", "4:move_to:m"]);
  });
});

// -- non-string values: COPY dups, RENAME/MOVE move the same structure --

/** A stand-in value type (module slot): one arena word holding a payload number. */
function registerFakeType(): void {
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

test(`${T}: COPY duplicates other types through their dup; RENAME and MOVE keep the structure`, async () => {
  registerFakeType();
  await withServer({}, async ({ r, srv }) => {
    const m = srv.server.heap;
    const dbs = srv.server.store.dbs;
    const v = m.alloc(8);
    m.u32[v >>> OFF_BITS][(v & OFF_MASK) << 1] = 4242;
    const k = enc("obj");
    dbs[0].setValue(k, 0, k.length, OBJ_MODULE, OBJ_ENCODING_RAW, v, false);
    const handleOf = (db: number, key: string) => {
      const b = enc(key);
      const e = dbs[db].find(b, 0, b.length);
      assert.notEqual(e, 0, `${key} exists in db ${db}`);
      return objAux(m, e);
    };
    const payload = (h: number) => m.u32[h >>> OFF_BITS][(h & OFF_MASK) << 1];

    await r.call("EXPIRE", "obj", "100");
    assert.equal(await r.call("COPY", "obj", "copy"), 1);
    const copy = handleOf(0, "copy");
    assert.notEqual(copy, v);
    assert.equal(payload(copy), 4242);
    assert.ok(((await r.call("TTL", "copy")) as number) > 95);

    assert.deepEqual(await r.call("RENAME", "obj", "renamed"), OK);
    assert.equal(handleOf(0, "renamed"), v);
    assert.ok(((await r.call("TTL", "renamed")) as number) > 95);
    assert.equal(await r.call("MOVE", "renamed", "2"), 1);
    assert.equal(handleOf(2, "renamed"), v);
    assert.equal(await r.call("DEL", "copy"), 1);
    assert.equal(await r.call("DBSIZE"), 0);
  });
});

// -- OBJECT --

test(`${T}: OBJECT ENCODING reports string encodings, nil for a missing key`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "i", "12345");
    await r.call("SET", "e", "hello");
    await r.call("SET", "raw", "x".repeat(45));
    assert.equal(await r.call("OBJECT", "ENCODING", "i"), "int");
    assert.equal(await r.call("OBJECT", "encoding", "e"), "embstr");
    assert.equal(await r.call("OBJECT", "ENCODING", "raw"), "raw");
    assert.equal(await r.call("OBJECT", "ENCODING", "missing"), null);
  });
});

test(`${T}: OBJECT REFCOUNT reports shared integers as Redis does`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "small", "9999");
    await r.call("SET", "big", "10000");
    await r.call("SET", "neg", "-1");
    await r.call("SET", "str", "abc");
    assert.equal(await r.call("OBJECT", "REFCOUNT", "small"), 2147483647);
    assert.equal(await r.call("OBJECT", "REFCOUNT", "big"), 1);
    assert.equal(await r.call("OBJECT", "REFCOUNT", "neg"), 1);
    assert.equal(await r.call("OBJECT", "REFCOUNT", "str"), 1);
    assert.equal(await r.call("OBJECT", "REFCOUNT", "missing"), null);
    await r.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    await r.call("CONFIG", "SET", "maxmemory", "1gb");
    await r.call("SET", "small2", "5");
    assert.equal(await r.call("OBJECT", "REFCOUNT", "small2"), 1);
  });
});

test(`${T}: OBJECT IDLETIME and FREQ depend on the maxmemory policy`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    assert.equal(await r.call("OBJECT", "IDLETIME", "k"), 0);
    await assert.rejects(
      r.call("OBJECT", "FREQ", "k"),
      new RespError(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
      ),
    );
    await r.call("CONFIG", "SET", "maxmemory-policy", "volatile-lfu");
    await assert.rejects(
      r.call("OBJECT", "IDLETIME", "k"),
      new RespError(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
      ),
    );
    assert.equal(await r.call("OBJECT", "IDLETIME", "missing"), null);
  });
});

test(`${T}: OBJECT, EXISTS, TYPE and TTL leave the access counter alone; GET and TOUCH bump it`, async () => {
  await withServer({ "maxmemory-policy": "allkeys-lfu", "lfu-log-factor": 0 }, async ({ r }) => {
    await r.call("SET", "k", "v");
    assert.equal(await r.call("OBJECT", "FREQ", "k"), 5);
    await r.call("OBJECT", "ENCODING", "k");
    await r.call("OBJECT", "REFCOUNT", "k");
    await r.call("EXISTS", "k");
    await r.call("TYPE", "k");
    await r.call("TTL", "k");
    await r.call("PTTL", "k");
    await r.call("EXPIRETIME", "k");
    assert.equal(await r.call("OBJECT", "FREQ", "k"), 5);
    await r.call("GET", "k");
    assert.equal(await r.call("OBJECT", "FREQ", "k"), 6);
    await r.call("TOUCH", "k");
    assert.equal(await r.call("OBJECT", "FREQ", "k"), 7);
  });
});

test(`${T}: OBJECT HELP and OBJECT errors`, async () => {
  await withServer({}, async ({ r }) => {
    const help = (await r.call("object", "help")) as Status[];
    assert.equal(help.length, 15);
    assert.deepEqual(
      help[0],
      new Status("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
    );
    assert.deepEqual(help[1], new Status("ENCODING <key>"));
    assert.deepEqual(help[14], new Status("    Prints this help."));
    await assert.rejects(
      r.call("OBJECT", "FOO", "k"),
      new RespError("ERR unknown subcommand 'FOO'. Try OBJECT HELP."),
    );
    await assert.rejects(
      r.call("OBJECT", "ENCODING"),
      new RespError("ERR wrong number of arguments for 'object|encoding' command"),
    );
    await assert.rejects(
      r.call("OBJECT"),
      new RespError("ERR wrong number of arguments for 'object' command"),
    );
  });
});

test(`${T}: EXPIRE, SCAN and COPY options end at a NUL byte, as Redis's strcasecmp does`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    assert.equal(await r.call("EXPIRE", "k", "10", "nx\0zz"), 1);
    assert.equal(await r.call("EXPIRE", "k", "20", "NX\0"), 0);
    const unsupported = new RespError("ERR Unsupported option foo");
    await assert.rejects(r.call("EXPIRE", "k", "10", "foo\0zz"), unsupported);
    assert.deepEqual(await r.call("SCAN", "0", "count\0", "5"), ["0", ["k"]]);
    assert.deepEqual(await r.call("SCAN", "0", "type", "string\0x"), ["0", ["k"]]);
    assert.deepEqual(await r.call("SCAN", "0", "type", "str"), ["0", []]);
    assert.equal(await r.call("COPY", "k", "k2", "replace\0"), 1);
    await assert.rejects(r.call("SCAN", "0", "coun\0t", "5"), new RespError("ERR syntax error"));
  });
});

test(`${T}: SORT sends keymiss for a missing key to sort and for missing BY/GET keys`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const events = await recordEvents(ctx);
    await r.call("CONFIG", "SET", "notify-keyspace-events", "KEAm");
    assert.deepEqual(await r.call("SORT", "nokey"), []);
    await r.call("RPUSH", "l", "1", "2");
    await r.call("SET", "w_2", "5");
    const sorted = await r.call("SORT", "l", "BY", "w_*", "GET", "#", "GET", "h_*->f");
    assert.deepEqual(sorted, ["1", null, "2", null]);
    // BY without a '*' does not sort, so it looks nothing up
    assert.deepEqual(await r.call("SORT", "l", "BY", "nosort"), ["1", "2"]);
    assert.equal(await r.call("SORT", "l", "STORE", "dst"), 2);
    assert.deepEqual(events, [
      "0:keymiss:nokey",
      "0:rpush:l",
      "0:set:w_2",
      "0:keymiss:w_1",
      "0:keymiss:h_1",
      "0:keymiss:h_2",
      "0:sortstore:dst",
    ]);
  });
});
