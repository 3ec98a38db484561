// Protocol over a real socket: errors close only the offending connection, other clients keep
// being served, random garbage never takes the server down, big and split arguments work.

import assert from "node:assert/strict";
import { rng, runtimeName, sleep, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { RespClient, Status } from "../_resp_client.ts";

test(`protocol (${runtimeName}): a protocol error replies and closes only that connection`, async () => {
  await withServer({}, async ({ r, client }) => {
    const bad = await client();
    bad.writeRaw("*1\r\n$4\r\nPING\r\n*3000000000\r\n");
    assert.deepEqual(await bad.read(), new Status("PONG"));
    assert.equal(await bad.readLine(), "-ERR Protocol error: invalid multibulk length");
    await bad.waitClosed();
    assert.deepEqual(await r.call("PING"), new Status("PONG"));
  });
});

test(`protocol (${runtimeName}): inline commands and empty lines`, async () => {
  await withServer({}, async ({ r }) => {
    r.writeRaw("\r\n\r\nSET k \"a b\"\r\nGET k\r\nPING\n");
    assert.deepEqual(await r.read(), new Status("OK"));
    assert.equal(await r.read(), "a b");
    assert.deepEqual(await r.read(), new Status("PONG"));
    r.writeRaw("set \"\"\"test-key\"\"\" test-value\r\nping\r\n");
    assert.equal(await r.readLine(), "-ERR Protocol error: unbalanced quotes in request");
  });
});

test(`protocol (${runtimeName}): a 2 MB argument sent in small pieces`, async () => {
  await withServer({}, async ({ r }) => {
    const val = "x".repeat(2 * 1024 * 1024);
    const cmd = `*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${val.length}\r\n${val}\r\n`;
    for (let i = 0; i < cmd.length; i += 65536) {
      r.writeRaw(cmd.slice(i, i + 65536));
      await sleep(1);
    }
    assert.deepEqual(await r.read(), new Status("OK"));
    assert.equal(((await r.call("GET", "big")) as string).length, val.length);
  });
});

test(`protocol (${runtimeName}): random garbage never stops the server`, async () => {
  await withServer({}, async ({ r, port }) => {
    const rnd = rng(1234);
    const pieces = ["*", "$", "\r\n", "\r", "\n", "-1", "3", "999999999999", "PING", "\0", " ", '"', "'", "*2"];
    for (let n = 0; n < 60; n++) {
      const c = await RespClient.connect(port);
      let s = "";
      const len = 1 + Math.floor(rnd() * 40);
      for (let i = 0; i < len; i++) {
        s += rnd() < 0.5 ? pieces[Math.floor(rnd() * pieces.length)] : String.fromCharCode(Math.floor(rnd() * 256));
      }
      c.writeRaw(s);
      await sleep(2);
      c.close();
    }
    assert.deepEqual(await r.call("PING"), new Status("PONG"));
    assert.deepEqual(await r.call("SET", "still", "alive"), new Status("OK"));
    assert.equal(await r.call("GET", "still"), "alive");
  });
});

test(`protocol (${runtimeName}): QUIT replies OK and closes`, async () => {
  await withServer({}, async ({ client }) => {
    const c = await client();
    assert.deepEqual(await c.call("QUIT"), new Status("OK"));
    await c.waitClosed();
  });
});

test(`protocol (${runtimeName}): a command split across reads after a partial one keeps its bytes`, async () => {
  await withServer({}, async ({ r }) => {
    // Regression: leftovers of a read chunk must be copied from the chunk, not from stale qbuf.
    const pieces = ["*1\r\n$4\r\nPI", "NG\r\n", "*2\r\n$4\r\nECHO\r\n$5\r\nhel", "lo\r\n"];
    for (const p of pieces) {
      r.writeRaw(p);
      await sleep(20);
    }
    assert.deepEqual(await r.read(), new Status("PONG"));
    assert.equal(await r.read(), "hello");
    // and a long pipeline of big values split at arbitrary points
    const val = (i: number) => `${i}:` + "v".repeat(40_000 + i);
    let all = "";
    for (let i = 0; i < 20; i++) all += `*3\r\n$3\r\nSET\r\n$${`big${i}`.length}\r\nbig${i}\r\n$${val(i).length}\r\n${val(i)}\r\n`;
    for (let i = 0; i < all.length; i += 7777) {
      r.writeRaw(all.slice(i, i + 7777));
      if (i % 5 === 0) await sleep(1);
    }
    for (let i = 0; i < 20; i++) assert.deepEqual(await r.read(), new Status("OK"));
    for (let i = 0; i < 20; i++) assert.equal(await r.call("GET", `big${i}`), val(i));
  });
});

test(`protocol (${runtimeName}): unknown command errors cut arguments at NUL like Redis`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(
      r.call("NOSUCH", "a\0b", "c"),
      (e: Error) => e.message === "ERR unknown command 'NOSUCH', with args beginning with: 'a' 'c' ",
    );
  });
});
