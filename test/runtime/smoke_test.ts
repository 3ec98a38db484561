// Shared conformance smoke test: the same checks under bun test and deno test, against a server
// started in-process on this runtime.

import assert from "node:assert/strict";
import { runtimeName, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { RespError, Status } from "../_resp_client.ts";

test(`smoke (${runtimeName}): PING, SET and GET over a real socket`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("PING"), new Status("PONG"));
    assert.deepEqual(await r.call("SET", "k", "v"), new Status("OK"));
    assert.equal(await r.call("GET", "k"), "v");
    assert.equal(await r.call("GET", "missing"), null);
  });
});

test(`smoke (${runtimeName}): unknown command and wrong arity get Redis's errors`, async () => {
  await withServer({}, async ({ r }) => {
    await assert.rejects(
      r.call("NOPE", "a", "b"),
      new RespError("ERR unknown command 'NOPE', with args beginning with: 'a' 'b' "),
    );
    await assert.rejects(r.call("GET"), new RespError("ERR wrong number of arguments for 'get' command"));
  });
});

test(`smoke (${runtimeName}): pipelined replies arrive in order`, async () => {
  await withServer({}, async ({ r }) => {
    const cmds = [];
    for (let i = 0; i < 100; i++) cmds.push(["SET", `k${i}`, `v${i}`]);
    for (let i = 0; i < 100; i++) cmds.push(["GET", `k${i}`]);
    const replies = await r.pipeline(cmds);
    for (let i = 0; i < 100; i++) assert.equal(replies[100 + i], `v${i}`);
  });
});
