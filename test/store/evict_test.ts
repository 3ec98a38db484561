// maxmemory and the eight eviction policies, checked the way Redis documents them: the limit is
// honoured, only allkeys-* policies remove keys without a TTL, volatile-* policies remove only
// keys with one, and LRU/LFU/TTL policies prefer the right victims.

import assert from "node:assert/strict";
import { runtimeName, sleep, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { RespClient, RespError } from "../_resp_client.ts";

async function usedMemory(r: RespClient): Promise<number> {
  const info = (await r.call("INFO", "memory")) as string;
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

async function evicted(r: RespClient): Promise<number> {
  const info = (await r.call("INFO", "stats")) as string;
  return Number(/evicted_keys:(\d+)/.exec(info)![1]);
}

const VALUE = "x".repeat(1000);

for (const policy of ["allkeys-random", "allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"]) {
  test(`maxmemory (${runtimeName}): the limit is honoured with ${policy}`, async () => {
    await withServer({}, async ({ r }) => {
      const limit = (await usedMemory(r)) + 100 * 1024;
      await r.call("CONFIG", "SET", "maxmemory", limit);
      await r.call("CONFIG", "SET", "maxmemory-policy", policy);
      const volatile = policy.startsWith("volatile");
      for (let i = 0; i < 500; i++) {
        if (volatile) await r.call("SET", `k${i}`, VALUE, "EX", 10000);
        else await r.call("SET", `k${i}`, VALUE);
      }
      assert.ok((await usedMemory(r)) < limit + 4096, "used_memory above the limit");
      assert.ok((await evicted(r)) > 0, "nothing was evicted");
      const left = (await r.call("DBSIZE")) as number;
      assert.ok(left > 20 && left < 500, `${left} keys left`);
    });
  });
}

for (const policy of ["allkeys-random", "allkeys-lru", "volatile-lru", "volatile-random", "volatile-ttl", "noeviction"]) {
  test(`maxmemory (${runtimeName}): only allkeys-* remove keys without TTL (${policy})`, async () => {
    await withServer({}, async ({ r }) => {
      const limit = (await usedMemory(r)) + 100 * 1024;
      await r.call("CONFIG", "SET", "maxmemory", limit);
      await r.call("CONFIG", "SET", "maxmemory-policy", policy);
      let n = 0;
      while ((await usedMemory(r)) + 4096 <= limit) await r.call("SET", `k${n++}`, VALUE);
      let oom = 0;
      for (let j = 0; j < n; j++) {
        try {
          await r.call("SET", `more${j}`, VALUE);
        } catch (e) {
          assert.equal((e as RespError).message, "OOM command not allowed when used memory > 'maxmemory'.");
          oom++;
        }
      }
      if (policy.startsWith("allkeys")) {
        assert.equal(oom, 0);
        assert.ok((await usedMemory(r)) < limit + 4096);
      } else {
        assert.ok(oom > 0, "expected OOM errors");
        // reads and deletes still work when out of memory
        assert.equal(await r.call("GET", "k0"), VALUE);
        assert.equal(await r.call("DEL", "k0"), 1);
      }
    });
  });
}

for (const policy of ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"]) {
  test(`maxmemory (${runtimeName}): ${policy} removes only keys with a TTL`, async () => {
    await withServer({}, async ({ r }) => {
      const limit = (await usedMemory(r)) + 100 * 1024;
      await r.call("CONFIG", "SET", "maxmemory", limit);
      await r.call("CONFIG", "SET", "maxmemory-policy", policy);
      for (let i = 0; i < 40; i++) await r.call("SET", `keep${i}`, VALUE);
      for (let i = 0; i < 300; i++) await r.call("SET", `vol${i}`, VALUE, "EX", 10000);
      for (let i = 0; i < 40; i++) assert.equal(await r.call("EXISTS", `keep${i}`), 1, `keep${i} was evicted`);
      assert.ok((await evicted(r)) > 0);
    });
  });
}

test(`maxmemory (${runtimeName}): volatile-ttl evicts the keys that expire soonest`, async () => {
  await withServer({}, async ({ r }) => {
    const limit = (await usedMemory(r)) + 150 * 1024;
    await r.call("CONFIG", "SET", "maxmemory", limit);
    await r.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
    for (let i = 0; i < 60; i++) await r.call("SET", `late${i}`, VALUE, "EX", 100000);
    for (let i = 0; i < 60; i++) await r.call("SET", `soon${i}`, VALUE, "EX", 100);
    for (let i = 0; i < 200; i++) await r.call("SET", `fill${i}`, VALUE, "EX", 50000);
    let late = 0;
    let soon = 0;
    for (let i = 0; i < 60; i++) {
      late += (await r.call("EXISTS", `late${i}`)) as number;
      soon += (await r.call("EXISTS", `soon${i}`)) as number;
    }
    assert.ok(late > soon, `late survivors ${late}, soon survivors ${soon}`);
    assert.ok(soon < 15, `${soon} soon-expiring keys survived`);
  });
});

test(`maxmemory (${runtimeName}): allkeys-lru keeps recently used keys`, async () => {
  await withServer({ "maxmemory-samples": 10 }, async ({ r }) => {
    for (let i = 0; i < 100; i++) await r.call("SET", `old${i}`, VALUE);
    await sleep(2100); // the LRU clock ticks in seconds
    for (let i = 0; i < 50; i++) await r.call("GET", `old${i}`);
    const limit = (await usedMemory(r)) + 40 * 1024;
    await r.call("CONFIG", "SET", "maxmemory", limit);
    await r.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
    for (let i = 0; i < 80; i++) await r.call("SET", `new${i}`, VALUE);
    let hot = 0;
    let cold = 0;
    for (let i = 0; i < 50; i++) hot += (await r.call("EXISTS", `old${i}`)) as number;
    for (let i = 50; i < 100; i++) cold += (await r.call("EXISTS", `old${i}`)) as number;
    assert.ok(hot >= 45, `only ${hot}/50 recently used keys survived`);
    assert.ok(cold < hot, `cold ${cold} >= hot ${hot}`);
  });
});

test(`maxmemory (${runtimeName}): allkeys-lfu keeps frequently used keys`, async () => {
  await withServer({ "maxmemory-policy": "allkeys-lfu", "maxmemory-samples": 10 }, async ({ r }) => {
    for (let i = 0; i < 100; i++) await r.call("SET", `k${i}`, VALUE);
    const cmds = [];
    for (let rep = 0; rep < 200; rep++) for (let i = 0; i < 30; i++) cmds.push(["GET", `k${i}`]);
    await r.pipeline(cmds);
    const freq = (await r.call("OBJECT", "FREQ", "k0")) as number;
    assert.ok(freq > 5, `OBJECT FREQ of a hot key is ${freq}`);
    const limit = (await usedMemory(r)) + 20 * 1024;
    await r.call("CONFIG", "SET", "maxmemory", limit);
    for (let i = 0; i < 100; i++) await r.call("SET", `new${i}`, VALUE);
    let hot = 0;
    for (let i = 0; i < 30; i++) hot += (await r.call("EXISTS", `k${i}`)) as number;
    assert.ok(hot >= 27, `only ${hot}/30 frequently used keys survived`);
  });
});

test(`maxmemory (${runtimeName}): noeviction refuses writes that grow memory, allows the rest`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", VALUE);
    await r.call("CONFIG", "SET", "maxmemory", 1);
    await assert.rejects(r.call("SET", "b", VALUE), new RespError("OOM command not allowed when used memory > 'maxmemory'."));
    assert.equal(await r.call("GET", "a"), VALUE);
    assert.equal(await r.call("DEL", "a"), 1);
    await r.call("CONFIG", "SET", "maxmemory", 0);
    assert.equal(String(await r.call("SET", "b", "1")), "OK");
  });
});
