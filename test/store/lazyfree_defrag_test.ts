// Lazy free and active defrag over a real socket: UNLINK and FLUSHALL ASYNC hand big values to
// the lazy-free job, which frees them in steps; active defrag moves entries out of sparse slabs.

import assert from "node:assert/strict";
import { runtimeName, sleep, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import type { RespClient } from "../_resp_client.ts";

async function info(r: RespClient, field: string): Promise<number> {
  const text = (await r.call("INFO", "everything")) as string;
  const m = new RegExp(`^${field}:([\\d.]+)`, "m").exec(text);
  assert.ok(m, `INFO has no ${field}`);
  return Number(m[1]);
}

async function fillHash(r: RespClient, key: string, n: number): Promise<void> {
  const cmds = [];
  for (let i = 0; i < n; i += 100) {
    const args: string[] = ["HSET", key];
    for (let j = i; j < i + 100; j++) args.push(`field:${j}`, `value:${j}`);
    cmds.push(args);
  }
  await r.pipeline(cmds);
}

test(`lazyfree (${runtimeName}): UNLINK of a big hash frees it in the background`, async () => {
  await withServer({}, async ({ r }) => {
    await fillHash(r, "big", 20000);
    const used = await info(r, "used_memory");
    assert.equal(await r.call("UNLINK", "big"), 1);
    assert.equal(await r.call("EXISTS", "big"), 0);
    for (let i = 0; i < 100 && (await info(r, "lazyfree_pending_objects")) > 0; i++) await sleep(20);
    assert.equal(await info(r, "lazyfree_pending_objects"), 0);
    assert.equal(await info(r, "lazyfreed_objects"), 1);
    assert.ok((await info(r, "used_memory")) < used / 2, "memory was not given back");
  });
});

test(`lazyfree (${runtimeName}): FLUSHALL ASYNC empties at once and frees big values later`, async () => {
  await withServer({}, async ({ r }) => {
    await fillHash(r, "h1", 5000);
    await fillHash(r, "h2", 5000);
    await r.call("SET", "s", "x");
    assert.equal(String(await r.call("FLUSHALL", "ASYNC")), "OK");
    assert.equal(await r.call("DBSIZE"), 0);
    for (let i = 0; i < 100 && (await info(r, "lazyfree_pending_objects")) > 0; i++) await sleep(20);
    assert.equal(await info(r, "lazyfree_pending_objects"), 0);
    // like Redis, a database freed in the background counts each of its keys
    assert.equal(await info(r, "lazyfreed_objects"), 3);
  });
});

test(`defrag (${runtimeName}): active defrag moves entries out of sparse slabs`, async () => {
  await withServer({ hz: 100 }, async ({ r }) => {
    const cmds = [];
    for (let i = 0; i < 60000; i++) cmds.push(["SET", `key:${i}`, "v".repeat(20)]);
    for (let i = 0; i < cmds.length; i += 5000) await r.pipeline(cmds.slice(i, i + 5000));
    // delete 9 keys in 10: every slab is left sparse
    const dels = [];
    for (let i = 0; i < 60000; i++) if (i % 10 !== 0) dels.push(["DEL", `key:${i}`]);
    for (let i = 0; i < dels.length; i += 5000) await r.pipeline(dels.slice(i, i + 5000));
    const fragBefore = await info(r, "allocator_frag_ratio");
    assert.ok(fragBefore > 2, `fragmentation ${fragBefore} is not high enough to test`);
    await r.call(
      "CONFIG",
      "SET",
      "activedefrag",
      "yes",
      "active-defrag-ignore-bytes",
      "1",
      "active-defrag-threshold-lower",
      "5",
    );
    // passes repeat while fragmentation stays above the lower threshold
    let fragAfter = fragBefore;
    for (let i = 0; i < 250 && fragAfter >= fragBefore / 2; i++) {
      await sleep(20);
      fragAfter = await info(r, "allocator_frag_ratio");
    }
    assert.ok((await info(r, "active_defrag_hits")) > 0, "nothing was moved");
    assert.ok(fragAfter < fragBefore / 2, `fragmentation ${fragBefore} -> ${fragAfter}`);
    for (let i = 0; i < 60000; i += 10) assert.equal(await r.call("GET", `key:${i}`), "v".repeat(20));
  });
});

test(`lazyfree (${runtimeName}): dropping many arena bytes makes cron ask the engine to collect`, async () => {
  await withServer({ hz: 50 }, async ({ r, srv }) => {
    // Dropped ArrayBuffers only leave the process when the engine collects, and the hot paths
    // make no JS garbage that would trigger it, so cron asks after a large release.
    const rt = srv.server.rt;
    const gc = rt.gc;
    let collections = 0;
    rt.gc = () => {
      collections++;
      gc.call(rt);
    };
    try {
      const value = "x".repeat(1024 * 1024);
      await r.pipeline(Array.from({ length: 48 }, (_, i) => ["SET", `big:${i}`, value]));
      await sleep(1100); // past the once-a-second limit, whatever ran before
      const before = collections;
      assert.equal(String(await r.call("FLUSHALL")), "OK");
      assert.ok(srv.server.heap.releasedSinceGc >= 32 * 1024 * 1024 || collections > before);
      for (let i = 0; i < 100 && collections === before; i++) await sleep(20);
      assert.equal(collections, before + 1, "cron did not collect after FLUSHALL");
      assert.equal(srv.server.heap.releasedSinceGc, 0);
      // small frees alone do not collect
      await r.call("SET", "k", "v");
      await r.call("DEL", "k");
      await sleep(300);
      assert.equal(collections, before + 1);
    } finally {
      rt.gc = gc;
    }
  });
});
