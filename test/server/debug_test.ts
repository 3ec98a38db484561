// DEBUG over a real socket: the enable-debug-command gate, HELP and subcommand errors, PROTOCOL's
// RESP2/RESP3 shapes, DIGEST/DIGEST-VALUE (digests checked against redis-server 7.0.15), OBJECT,
// SLEEP blocking the server, SET-ACTIVE-EXPIRE, POPULATE and the smaller switches; plus SHA1.

import assert from "node:assert/strict";
import { runtimeName, sleep, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { BigNum, Double, Push, RespError, Status, Verbatim } from "../_resp_client.ts";
import { OFF_BITS, OFF_MASK } from "../../src/memory/arena.ts";
import { sha1, toHex } from "../../src/server/debug.ts";
import { OBJ_ENCODING_LISTPACK } from "../../src/store/object.ts";
import { registerValueType } from "../../src/store/values.ts";

const T = `DEBUG (${runtimeName})`;
const OK = new Status("OK");
const ON = { "enable-debug-command": "yes" };
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const ZERO = "0".repeat(40);

test(`${T}: refused unless enable-debug-command allows it`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(
      r.call("DEBUG", "HELP"),
      new RespError(
        'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      ),
    );
  });
  await withServer({ "enable-debug-command": "local" }, async ({ r }) => {
    assert.deepEqual(await r.call("DEBUG", "LOG", "from loopback"), OK);
  });
});

test(`${T}: HELP, unknown subcommands and wrong argument counts`, async () => {
  await withServer(ON, async ({ r }) => {
    const help = await r.call("DEBUG", "HELP") as Status[];
    assert.deepEqual(
      help[0],
      new Status("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
    );
    assert.deepEqual(help[help.length - 1], new Status("    Prints this help."));
    assert.ok(help.some((s) => s.value === "DIGEST-VALUE <key> [<key> ...]"));
    for (
      const args of [["JMAP"], ["nosuch", "x"], ["SLEEP"], ["OBJECT", "a", "b"], ["HELP", "x"]]
    ) {
      await assert.rejects(
        r.call("DEBUG", ...args),
        new RespError(
          `ERR unknown subcommand or wrong number of arguments for '${args[0]}'. Try DEBUG HELP.`,
        ),
      );
    }
    await assert.rejects(
      r.call("DEBUG"),
      new RespError("ERR wrong number of arguments for 'debug' command"),
    );
  });
});

test(`${T}: PROTOCOL replies every RESP type, downgraded in RESP2`, async () => {
  await withServer(ON, async ({ r }) => {
    const p = (t: string) => r.call("DEBUG", "PROTOCOL", t);
    assert.equal(await p("string"), "Hello World");
    assert.equal(await p("integer"), 12345);
    assert.equal(await p("double"), "3.141");
    assert.equal(await p("bignum"), "1234567999999999999999999999999999999");
    assert.equal(await p("null"), null);
    assert.deepEqual(await p("array"), [0, 1, 2]);
    assert.deepEqual(await p("set"), [0, 1, 2]);
    assert.deepEqual(await p("map"), [0, 0, 1, 1, 2, 0]);
    assert.equal(await p("attrib"), "Some real reply following the attribute");
    await assert.rejects(p("push"), new RespError("ERR RESP2 is not supported by this command"));
    assert.equal(await p("true"), 1);
    assert.equal(await p("false"), 0);
    assert.equal(await p("verbatim"), "This is a verbatim\nstring");
    await assert.rejects(
      p("nope"),
      new RespError(
        "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
      ),
    );
    await r.call("HELLO", "3");
    assert.deepEqual(await p("double"), new Double(3.141, "3.141"));
    assert.deepEqual(await p("bignum"), new BigNum("1234567999999999999999999999999999999"));
    assert.deepEqual(await p("set"), new Set([0, 1, 2]));
    assert.deepEqual(await p("map"), new Map([[0, false], [1, true], [2, false]]));
    assert.equal(await p("true"), true);
    assert.deepEqual(await p("verbatim"), new Verbatim("txt", "This is a verbatim\nstring"));
    r.send("DEBUG", "PROTOCOL", "push");
    assert.deepEqual(await r.read(), new Push(["server-cpu-usage", 42]));
    assert.equal(await r.read(), "Some real reply following the push reply");
    await r.call("PING");
    r.takeRaw();
    r.send("DEBUG", "PROTOCOL", "attrib");
    await sleep(50);
    assert.equal(
      r.takeRaw(),
      "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n",
    );
  });
});

test(`${T}: DIGEST and DIGEST-VALUE match redis-server 7.0.15`, async () => {
  await withServer(ON, async ({ r }) => {
    assert.deepEqual(await r.call("DEBUG", "DIGEST"), new Status(ZERO));
    await r.call("SET", "b", "hello");
    await r.call("SET", "c", "x".repeat(100), "EX", "1000");
    await r.call("SET", "a", "1");
    // digests produced by redis-server 7.0.15 for the same data
    assert.deepEqual(
      await r.call("DEBUG", "DIGEST"),
      new Status("14a480d867c925872c219e1417661ee2c78f4b4f"),
    );
    assert.deepEqual(await r.call("DEBUG", "DIGEST-VALUE", "a", "b", "c", "nokey"), [
      new Status("b4fc66738120fba0b5aa500ab5c2bf89cea1c5da"),
      new Status("36b23a1456b2dce2c3ed252c456761301dba8060"),
      new Status("8fc74748c69613f759a14900dd1fa0c532737d52"),
      new Status(ZERO),
    ]);
    assert.deepEqual(await r.call("DEBUG", "DIGEST-VALUE"), []);
    await r.call("SELECT", "1");
    await r.call("SET", "a", "1");
    assert.deepEqual(
      await r.call("DEBUG", "DIGEST"),
      new Status("e02413f3ee74e3dce7e809a020041e40cc00e7ce"),
    );
  });
});

test(`${T}: value types plug their content into DIGEST through ValueOps.digest`, async () => {
  const FAKE_TYPE = 7; // not a Redis type: keeps this stand-in apart from real families
  registerValueType(FAKE_TYPE, {
    free: (m, v) => m.free(v),
    dup: (_m, v) => v,
    usage: () => 8,
    freeEffort: () => 1,
    digest: (m, v, d, ops) => ops.mix(d, enc(`item${m.u32[v >>> OFF_BITS][(v & OFF_MASK) << 1]}`)),
  });
  await withServer(ON, async ({ r, srv }) => {
    const m = srv.server.heap;
    const put = (key: string, n: number) => {
      const v = m.alloc(8);
      m.u32[v >>> OFF_BITS][(v & OFF_MASK) << 1] = n;
      const k = enc(key);
      srv.server.store.dbs[0].setValue(k, 0, k.length, FAKE_TYPE, OBJ_ENCODING_LISTPACK, v, false);
    };
    put("x", 1);
    put("y", 2);
    const [dx, dy] = await r.call("DEBUG", "DIGEST-VALUE", "x", "y") as Status[];
    assert.notEqual(dx.value, dy.value);
    assert.notEqual(dx.value, ZERO);
    put("y", 1);
    const [, dy2] = await r.call("DEBUG", "DIGEST-VALUE", "x", "y") as Status[];
    assert.equal(dy2.value, dx.value, "same content, same digest");
    assert.match((await r.call("DEBUG", "OBJECT", "x") as Status).value, /encoding:listpack /);
  });
});

test(`${T}: OBJECT shows address, refcount, encoding, serialized length and LRU`, async () => {
  await withServer(ON, async ({ r, srv }) => {
    await r.call("SET", "small", "123");
    await r.call("SET", "big", "123456789012");
    await r.call("SET", "str", "value:1");
    await r.call("SET", "neg", "-5");
    await r.call("SET", "n", "20000");
    const o = (k: string) => r.call("DEBUG", "OBJECT", k).then((x) => (x as Status).value);
    const lru = srv.server.store.lruClock;
    assert.match(
      await o("small"),
      new RegExp(
        `^Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:${lru} lru_seconds_idle:0$`,
      ),
    );
    assert.match(await o("big"), /refcount:1 encoding:int serializedlength:13 /);
    assert.match(await o("str"), /refcount:1 encoding:embstr serializedlength:8 /);
    assert.match(await o("neg"), /refcount:1 encoding:int serializedlength:2 /);
    assert.match(await o("n"), /encoding:int serializedlength:3 /);
    // an in-place INCR keeps the same value address, as Redis's tests check
    const at = (await o("n")).split(" ")[1];
    await r.call("INCR", "n");
    assert.equal((await o("n")).split(" ")[1], at);
    await assert.rejects(r.call("DEBUG", "OBJECT", "nokey"), new RespError("ERR no such key"));
  });
});

test(`${T}: SLEEP blocks the whole server`, async () => {
  await withServer(ON, async ({ r, client }) => {
    const other = await client();
    const t0 = Date.now();
    r.send("DEBUG", "SLEEP", "0.3");
    await sleep(30);
    const pong = other.call("PING");
    assert.deepEqual(await pong, new Status("PONG"));
    assert.ok(Date.now() - t0 >= 280, `PING answered after ${Date.now() - t0} ms`);
    assert.deepEqual(await r.read(), OK);
    assert.deepEqual(await r.call("DEBUG", "SLEEP", "abc"), OK, "strtod: not a number sleeps 0");
  });
});

test(`${T}: SET-ACTIVE-EXPIRE 0 stops background expiry, 1 restores it`, async () => {
  await withServer({ ...ON, hz: 100 }, async ({ r }) => {
    assert.deepEqual(await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"), OK);
    await r.call("SET", "k", "v", "PX", "20");
    await sleep(300);
    assert.equal(await r.call("DBSIZE"), 1, "expired but not collected");
    await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
    const deadline = Date.now() + 2000;
    while ((await r.call("DBSIZE")) !== 0 && Date.now() < deadline) await sleep(20);
    assert.equal(await r.call("DBSIZE"), 0);
  });
});

test(`${T}: POPULATE adds key:N with value:N, keeps existing keys, pads to a size`, async () => {
  await withServer(ON, async ({ r }) => {
    await r.call("SET", "key:1", "mine");
    assert.deepEqual(await r.call("DEBUG", "POPULATE", "3"), OK);
    assert.equal(await r.call("DBSIZE"), 3);
    assert.equal(await r.call("GET", "key:0"), "value:0");
    assert.equal(await r.call("GET", "key:1"), "mine");
    await r.call("DEBUG", "POPULATE", "2", "p", "3");
    assert.equal(await r.call("GET", "p:1"), "val");
    await r.call("DEBUG", "POPULATE", "1", "q", "10");
    assert.equal(await r.call("GET", "q:0"), "value:0\0\0\0");
    for (const args of [["-1"], ["x"], ["1", "p", "-3"]]) {
      await assert.rejects(
        r.call("DEBUG", "POPULATE", ...args),
        new RespError("ERR value is out of range, must be positive"),
      );
    }
  });
});

test(`${T}: smaller switches: QUICKLIST-PACKED-THRESHOLD, CHANGE-REPL-ID, ERROR, LOG, STRINGMATCH-TEST`, async () => {
  await withServer(ON, async ({ r }) => {
    for (const v of ["0", "1k", "4095mb"]) {
      assert.deepEqual(await r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", v), OK);
    }
    for (const v of ["4gb", "-1", "abc"]) {
      await assert.rejects(
        r.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", v),
        new RespError("ERR argument must be a memory value bigger than 1 and smaller than 4gb"),
      );
    }
    const replid = async () =>
      (await r.call("INFO", "replication") as string).match(/master_replid:(\w+)/)![1];
    const before = await replid();
    assert.deepEqual(await r.call("DEBUG", "CHANGE-REPL-ID"), OK);
    const after = await replid();
    assert.notEqual(after, before);
    assert.match(after, /^[0-9a-f]{40}$/);
    await assert.rejects(
      r.call("DEBUG", "ERROR", "MYERR custom\ntext"),
      new RespError("MYERR custom text"),
    );
    assert.deepEqual(await r.call("DEBUG", "LOG", "hello"), OK);
    assert.deepEqual(
      await r.call("DEBUG", "STRINGMATCH-TEST"),
      new Status("Apparently Redis did not crash: test passed"),
    );
    const ht = await r.call("DEBUG", "HTSTATS", "0") as string;
    assert.ok(ht.startsWith("[Dictionary HT]\nHash table 0 stats (main hash table):\n"));
    await assert.rejects(
      r.call("DEBUG", "HTSTATS", "99"),
      new RespError("ERR Out of range database"),
    );
  });
});

test(`${T}: sha1 matches the FIPS 180-1 test vectors`, () => {
  assert.equal(toHex(sha1(enc(""))), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  assert.equal(toHex(sha1(enc("abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");
  assert.equal(
    toHex(sha1(enc("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  );
  assert.equal(
    toHex(sha1(new Uint8Array(1_000_000).fill(97))),
    "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
  );
});
