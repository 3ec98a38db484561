// Expire commands over a real socket: EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX/XX/GT/LT,
// TTL/PTTL/EXPIRETIME/PEXPIRETIME rounding, PERSIST, past times deleting keys, overflow checks,
// lazy expiry, and the events and WATCH invalidation Redis 7.0 produces.

import assert from "node:assert/strict";
import { runtimeName, sleep, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { RespError } from "../_resp_client.ts";

const T = `expire (${runtimeName})`;
/** 2100-01-01T00:00:00Z in seconds: far enough that nothing expires during a test. */
const FAR = 4102444800;

async function recordEvents(ctx: ServerCtx): Promise<string[]> {
  await ctx.r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
  const events: string[] = [];
  ctx.srv.server.onNotify = (_type, event, key, dbid) => {
    events.push(`${dbid}:${event}:${String.fromCharCode(...key)}`);
  };
  return events;
}

// -- setting TTLs --

test(`${T}: EXPIRE sets a TTL and replies 1, 0 for a missing key`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "x", "foobar");
    assert.equal(await r.call("EXPIRE", "x", "5"), 1);
    assert.equal(await r.call("TTL", "x"), 5);
    assert.equal(await r.call("EXPIRE", "x", "10"), 1);
    assert.equal(await r.call("TTL", "x"), 10);
    assert.equal(await r.call("EXPIRE", "missing", "10"), 0);
    assert.equal(await r.call("EXISTS", "missing"), 0);
  });
});

test(`${T}: PEXPIRE, EXPIREAT and PEXPIREAT set the same absolute time`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "1");
    await r.call("SET", "b", "1");
    assert.equal(await r.call("EXPIREAT", "a", String(FAR)), 1);
    assert.equal(await r.call("PEXPIRETIME", "a"), FAR * 1000);
    assert.equal(await r.call("EXPIRETIME", "a"), FAR);
    assert.equal(await r.call("PEXPIREAT", "b", String(FAR * 1000 + 123)), 1);
    assert.equal(await r.call("PEXPIRETIME", "b"), FAR * 1000 + 123);
    const before = Date.now();
    assert.equal(await r.call("PEXPIRE", "a", "100000"), 1);
    const at = (await r.call("PEXPIRETIME", "a")) as number;
    assert.ok(at >= before + 100000 && at <= Date.now() + 100000);
  });
});

test(`${T}: TTL and EXPIRETIME round to the nearest second`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    await r.call("PEXPIRE", "k", "2600");
    assert.equal(await r.call("TTL", "k"), 3);
    await r.call("PEXPIRE", "k", "1400");
    assert.equal(await r.call("TTL", "k"), 1);
    const pttl = (await r.call("PTTL", "k")) as number;
    assert.ok(pttl > 1300 && pttl <= 1400);
    await r.call("PEXPIREAT", "k", String(FAR * 1000 + 499));
    assert.equal(await r.call("EXPIRETIME", "k"), FAR);
    await r.call("PEXPIREAT", "k", String(FAR * 1000 + 500));
    assert.equal(await r.call("EXPIRETIME", "k"), FAR + 1);
  });
});

test(`${T}: TTL, PTTL, EXPIRETIME, PEXPIRETIME reply -1 without a TTL and -2 without a key`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    for (const cmd of ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]) {
      assert.equal(await r.call(cmd, "k"), -1, cmd);
      assert.equal(await r.call(cmd, "missing"), -2, cmd);
    }
  });
});

// -- NX / XX / GT / LT --

test(`${T}: EXPIRE NX and XX depend on whether a TTL exists`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "foo", "bar");
    assert.equal(await r.call("EXPIRE", "foo", "200", "XX"), 0);
    assert.equal(await r.call("TTL", "foo"), -1);
    assert.equal(await r.call("EXPIRE", "foo", "200", "NX"), 1);
    assert.equal(await r.call("EXPIRE", "foo", "100", "nx"), 0);
    assert.equal(await r.call("TTL", "foo"), 200);
    assert.equal(await r.call("EXPIRE", "foo", "100", "xx"), 1);
    assert.equal(await r.call("TTL", "foo"), 100);
  });
});

test(`${T}: EXPIRE GT and LT compare with the current TTL (none counts as infinite)`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "foo", "bar");
    assert.equal(await r.call("EXPIRE", "foo", "100", "GT"), 0);
    assert.equal(await r.call("TTL", "foo"), -1);
    assert.equal(await r.call("EXPIRE", "foo", "100", "LT"), 1);
    assert.equal(await r.call("EXPIRE", "foo", "200", "LT"), 0);
    assert.equal(await r.call("EXPIRE", "foo", "50", "GT"), 0);
    assert.equal(await r.call("EXPIRE", "foo", "200", "GT"), 1);
    assert.equal(await r.call("TTL", "foo"), 200);
    assert.equal(await r.call("EXPIRE", "foo", "50", "LT", "XX"), 1);
    assert.equal(await r.call("TTL", "foo"), 50);
    await r.call("PERSIST", "foo");
    assert.equal(await r.call("EXPIRE", "foo", "50", "LT", "XX"), 0);
    assert.equal(await r.call("TTL", "foo"), -1);
  });
});

test(`${T}: conflicting and unknown options are refused before the time is parsed`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "foo", "bar");
    const nx = new RespError("ERR NX and XX, GT or LT options at the same time are not compatible");
    await assert.rejects(r.call("EXPIRE", "foo", "200", "NX", "XX"), nx);
    await assert.rejects(r.call("EXPIRE", "foo", "200", "NX", "GT"), nx);
    await assert.rejects(r.call("PEXPIRE", "foo", "200", "LT", "NX"), nx);
    await assert.rejects(
      r.call("EXPIRE", "foo", "200", "GT", "LT"),
      new RespError("ERR GT and LT options at the same time are not compatible"),
    );
    await assert.rejects(
      r.call("EXPIRE", "foo", "200", "AB"),
      new RespError("ERR Unsupported option AB"),
    );
    await assert.rejects(
      r.call("EXPIRE", "foo", "notanint", "XX", "AB"),
      new RespError("ERR Unsupported option AB"),
    );
    await assert.rejects(
      r.call("EXPIRE", "foo", "1", "a\r\nb\r\n"),
      new RespError("ERR Unsupported option a  b"),
    );
    await assert.rejects(
      r.call("EXPIRE", "foo", "notanint"),
      new RespError("ERR value is not an integer or out of range"),
    );
    await assert.rejects(
      r.call("EXPIRE", "foo", ""),
      new RespError("ERR value is not an integer or out of range"),
    );
    assert.equal(await r.call("TTL", "foo"), -1);
  });
});

// -- overflow checks --

test(`${T}: out-of-range times are refused with the command's name`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "foo", "bar");
    const err = (cmd: string) => new RespError(`ERR invalid expire time in '${cmd}' command`);
    await assert.rejects(r.call("EXPIRE", "foo", "9223370399119966"), err("expire"));
    await assert.rejects(r.call("EXPIRE", "foo", "9223372036854776"), err("expire"));
    await assert.rejects(r.call("expire", "foo", "-9223372036854776"), err("expire"));
    await assert.rejects(r.call("EXPIREAT", "foo", "9223372036854776"), err("expireat"));
    await assert.rejects(r.call("PEXPIRE", "foo", "9223372036854770000"), err("pexpire"));
    assert.equal(await r.call("TTL", "foo"), -1);
    assert.equal(await r.call("PEXPIREAT", "foo", "9223372036854770000"), 1);
    assert.equal(await r.call("EXPIREAT", "foo", "9223372036854775"), 1);
    assert.ok(((await r.call("TTL", "foo")) as number) > 0);
  });
});

// -- past times delete --

test(`${T}: a time in the past deletes the key and sends del`, async () => {
  await withServer({}, async (c) => {
    const r = c.r;
    for (const k of ["a", "b", "c", "d"]) await r.call("SET", k, "v");
    const events = await recordEvents(c);
    assert.equal(await r.call("EXPIRE", "a", "-10"), 1);
    assert.equal(await r.call("PEXPIRE", "b", "0"), 1);
    assert.equal(await r.call("EXPIREAT", "c", "1"), 1);
    assert.equal(await r.call("PEXPIREAT", "d", "-9223372036854770000"), 1);
    assert.equal(await r.call("DBSIZE"), 0);
    assert.deepEqual(events, ["0:del:a", "0:del:b", "0:del:c", "0:del:d"]);
  });
});

test(`${T}: a past time with an unmet condition keeps the key`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "v");
    assert.equal(await r.call("EXPIRE", "k", "-1", "XX"), 0);
    assert.equal(await r.call("EXISTS", "k"), 1);
    assert.equal(await r.call("EXPIRE", "k", "-1", "LT"), 1);
    assert.equal(await r.call("EXISTS", "k"), 0);
  });
});

// -- PERSIST --

test(`${T}: PERSIST removes a TTL once`, async () => {
  await withServer({}, async (c) => {
    const r = c.r;
    await r.call("SET", "x", "foo");
    await r.call("EXPIRE", "x", "100");
    const events = await recordEvents(c);
    assert.equal(await r.call("PERSIST", "x"), 1);
    assert.equal(await r.call("TTL", "x"), -1);
    assert.equal(await r.call("GET", "x"), "foo");
    assert.equal(await r.call("PERSIST", "x"), 0);
    assert.equal(await r.call("PERSIST", "missing"), 0);
    assert.deepEqual(events, ["0:persist:x"]);
  });
});

test(`${T}: TTLs survive growing and shrinking the entry`, async () => {
  await withServer({}, async ({ r }) => {
    const val = "y".repeat(300);
    await r.call("SET", "k", val);
    for (let i = 0; i < 5; i++) {
      assert.equal(await r.call("EXPIRE", "k", "1000"), 1);
      assert.equal(await r.call("PERSIST", "k"), 1);
    }
    assert.equal(await r.call("EXPIRE", "k", "1000"), 1);
    assert.equal(await r.call("GET", "k"), val);
    assert.equal(await r.call("TTL", "k"), 1000);
  });
});

// -- events and WATCH --

test(`${T}: EXPIRE sends expire and invalidates WATCH`, async () => {
  await withServer({}, async (c) => {
    await c.r.call("SET", "k", "v");
    const w = await c.client();
    await w.call("WATCH", "k");
    const events = await recordEvents(c);
    assert.equal(await c.r.call("PEXPIRE", "k", "100000"), 1);
    assert.deepEqual(events, ["0:expire:k"]);
    await w.call("MULTI");
    await w.call("PING");
    assert.equal(await w.call("EXEC"), null);
  });
});

test(`${T}: EXPIRE with an unmet condition changes nothing and sends nothing`, async () => {
  await withServer({}, async (c) => {
    await c.r.call("SET", "k", "v");
    const events = await recordEvents(c);
    assert.equal(await c.r.call("EXPIRE", "k", "100", "XX"), 0);
    assert.equal(await c.r.call("EXPIRE", "missing", "100"), 0);
    assert.deepEqual(events, []);
  });
});

// -- expiry --

test(`${T}: an expired key reads as missing and is deleted with an expired event`, async () => {
  await withServer({}, async (c) => {
    c.srv.server.activeExpireEnabled = false;
    const r = c.r;
    await r.call("SET", "x", "foo");
    assert.equal(await r.call("PEXPIRE", "x", "20"), 1);
    assert.equal(await r.call("GET", "x"), "foo");
    await sleep(40);
    const events = await recordEvents(c);
    assert.equal(await r.call("DBSIZE"), 1);
    assert.equal(await r.call("TTL", "x"), -2);
    assert.deepEqual(events, ["0:expired:x"]);
    assert.equal(await r.call("DBSIZE"), 0);
    assert.equal(await r.call("EXPIRE", "x", "100"), 0);
  });
});

test(`${T}: EXPIRE does not resurrect an expired key`, async () => {
  await withServer({}, async (c) => {
    c.srv.server.activeExpireEnabled = false;
    await c.r.call("SET", "foo", "bar", "PX", "1");
    await sleep(10);
    assert.equal(await c.r.call("EXPIRE", "foo", "100"), 0);
    assert.equal(await c.r.call("PERSIST", "foo"), 0);
    assert.equal(await c.r.call("EXISTS", "foo"), 0);
  });
});

test(`${T}: active expiry removes keys nobody reads`, async () => {
  await withServer({ hz: 100 }, async ({ r }) => {
    for (let i = 0; i < 10; i++) await r.call("SET", `k${i}`, "v", "PX", "20");
    await r.call("SET", "stays", "v");
    await sleep(300);
    assert.equal(await r.call("DBSIZE"), 1);
  });
});
