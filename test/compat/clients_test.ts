// Real Redis clients against the server: ioredis, node-redis and (under Bun) Bun's built-in
// client. They negotiate the protocol (HELLO 3 or RESP2), pipeline, run transactions and block.

import assert from "node:assert/strict";
import { runtimeName, test } from "../_harness.ts";
import { startServer } from "../../src/mod.ts";

test(`clients (${runtimeName}): ioredis connects, pipelines, runs MULTI and BLPOP`, async () => {
  const { Redis } = await import("ioredis");
  const srv = await startServer();
  const r = new Redis({ port: srv.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  const r2 = new Redis({ port: srv.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    await r2.connect();
    assert.equal(await r.set("k", "v"), "OK");
    assert.equal(await r.get("k"), "v");
    const res = await r.pipeline().incr("n").incr("n").hset("h", "f", "1").hgetall("h").exec();
    assert.deepEqual(res?.map(([e, v]) => (e ? String(e) : v)), [1, 2, 1, { f: "1" }]);
    const tx = await r.multi().set("a", "1").get("a").exec();
    assert.deepEqual(tx, [[null, "OK"], [null, "1"]]);
    const waiting = r2.blpop("q", 5);
    await new Promise((ok) => setTimeout(ok, 50));
    await r.rpush("q", "job");
    assert.deepEqual(await waiting, ["q", "job"]);
    await assert.rejects(r.lpush("k", "x"), /WRONGTYPE/);
  } finally {
    r.disconnect();
    r2.disconnect();
    await srv.close();
  }
});

test(`clients (${runtimeName}): node-redis connects, pipelines and reads typed replies`, async () => {
  const { createClient } = await import("redis");
  const srv = await startServer();
  const c = createClient({ socket: { port: srv.port, host: "127.0.0.1", reconnectStrategy: false } });
  c.on("error", () => {});
  try {
    await c.connect();
    assert.equal(await c.set("k", "v"), "OK");
    assert.equal(await c.get("k"), "v");
    await c.zAdd("z", [{ score: 2, value: "b" }, { score: 1, value: "a" }]);
    assert.deepEqual(await c.zRange("z", 0, -1), ["a", "b"]);
    const out = await c.multi().incr("n").incrBy("n", 5).exec();
    assert.deepEqual(out, [1, 6]);
    assert.equal(await c.exists("k"), 1);
    assert.equal(await c.dbSize(), 3);
  } finally {
    await c.quit().catch(() => {});
    await srv.close();
  }
});

if (runtimeName === "bun") {
  test("clients (bun): Bun's built-in RedisClient speaks RESP3 to the server", async () => {
    const { RedisClient } = await import(["bun"].join("")) as unknown as {
      RedisClient: new (url: string) => {
        set(k: string, v: string): Promise<string>;
        get(k: string): Promise<string | null>;
        incr(k: string): Promise<number>;
        send(cmd: string, args: string[]): Promise<unknown>;
        close(): void;
      };
    };
    const srv = await startServer();
    const c = new RedisClient(`redis://127.0.0.1:${srv.port}`);
    try {
      assert.equal(await c.set("k", "v"), "OK");
      assert.equal(await c.get("k"), "v");
      assert.equal(await c.incr("n"), 1);
      await c.send("HSET", ["h", "f", "1"]);
      // RESP3 map reply: Bun builds it as a plain (null-prototype) object
      assert.deepEqual({ ...(await c.send("HGETALL", ["h"]) as object) }, { f: "1" });
    } finally {
      c.close();
      await srv.close();
    }
  });
}
