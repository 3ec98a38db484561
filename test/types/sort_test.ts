// SORT and SORT_RO over lists, sets and sorted sets: numeric and ALPHA order, BY patterns (keys
// and hash fields), GET, LIMIT, DESC, STORE, and Redis's errors.

import assert from "node:assert/strict";
import { runtimeName, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { RespError } from "../_resp_client.ts";

const T = `sort (${runtimeName}):`;

test(`${T} numeric and ALPHA sorting of lists, sets and sorted sets`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "l", "3", "10", "1", "2.5");
    assert.deepEqual(await r.call("SORT", "l"), ["1", "2.5", "3", "10"]);
    assert.deepEqual(await r.call("SORT", "l", "DESC"), ["10", "3", "2.5", "1"]);
    assert.deepEqual(await r.call("SORT", "l", "ALPHA"), ["1", "10", "2.5", "3"]);
    await r.call("SADD", "s", "5", "3", "9");
    assert.deepEqual(await r.call("SORT", "s"), ["3", "5", "9"]);
    await r.call("ZADD", "z", "1", "b", "2", "a", "3", "c");
    assert.deepEqual(await r.call("SORT", "z", "ALPHA"), ["a", "b", "c"]);
    assert.deepEqual(await r.call("SORT", "missing"), []);
  });
});

test(`${T} BY keys and hash fields, GET patterns, LIMIT`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "ids", "1", "2", "3");
    await r.call("MSET", "w_1", "30", "w_2", "10", "w_3", "20", "name_1", "one", "name_3", "three");
    await r.call("HSET", "h_1", "w", "3");
    await r.call("HSET", "h_2", "w", "1");
    await r.call("HSET", "h_3", "w", "2");
    assert.deepEqual(await r.call("SORT", "ids", "BY", "w_*"), ["2", "3", "1"]);
    assert.deepEqual(await r.call("SORT", "ids", "BY", "h_*->w"), ["2", "3", "1"]);
    assert.deepEqual(await r.call("SORT", "ids", "BY", "w_*", "LIMIT", "1", "1"), ["3"]);
    assert.deepEqual(await r.call("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "name_*"), [
      "2",
      null,
      "3",
      "three",
      "1",
      "one",
    ]);
    // BY without '*' does not sort: list order stays, DESC reverses it
    assert.deepEqual(await r.call("SORT", "ids", "BY", "nosort", "DESC"), ["3", "2", "1"]);
    // a pattern ending in "->" names a key, not a hash field
    assert.deepEqual(await r.call("SORT", "ids", "GET", "h_*->"), [null, null, null]);
  });
});

test(`${T} STORE writes a list, and an empty result deletes the destination`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "l", "3", "1", "2");
    assert.equal(await r.call("SORT", "l", "STORE", "dst"), 3);
    assert.deepEqual(await r.call("LRANGE", "dst", "0", "-1"), ["1", "2", "3"]);
    assert.equal(await r.call("SORT", "nothing", "STORE", "dst"), 0);
    assert.equal(await r.call("EXISTS", "dst"), 0);
    // a set sorted with a constant BY and STORE is still sorted (ALPHA)
    await r.call("SADD", "s", "b", "c", "a");
    assert.equal(await r.call("SORT", "s", "BY", "nosort", "STORE", "d2"), 3);
    assert.deepEqual(await r.call("LRANGE", "d2", "0", "-1"), ["a", "b", "c"]);
  });
});

test(`${T} errors: bad doubles, wrong type, syntax, SORT_RO with STORE`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "l", "1", "x");
    await assert.rejects(
      r.call("SORT", "l"),
      new RespError("ERR One or more scores can't be converted into double"),
    );
    await r.call("SET", "str", "v");
    await assert.rejects(r.call("SORT", "str"), (e: Error) => e.message.startsWith("WRONGTYPE"));
    await assert.rejects(r.call("SORT", "l", "FOO"), new RespError("ERR syntax error"));
    await assert.rejects(r.call("SORT_RO", "l", "STORE", "d"), new RespError("ERR syntax error"));
    await assert.rejects(
      r.call("SORT", "l", "LIMIT", "a", "1"),
      new RespError("ERR value is not an integer or out of range"),
    );
    assert.deepEqual(await r.call("SORT_RO", "l", "ALPHA"), ["1", "x"]);
  });
});

test(`${T} a listpack sorted set is converted to a skiplist by SORT, as Redis does`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("ZADD", "z", "1", "10", "2", "2");
    assert.equal(await r.call("OBJECT", "ENCODING", "z"), "listpack");
    assert.deepEqual(await r.call("SORT", "z"), ["2", "10"]);
    assert.equal(await r.call("OBJECT", "ENCODING", "z"), "skiplist");
  });
});

test(`${T} options end at a NUL byte (strcasecmp), for SORT and for COMMAND GETKEYS`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("RPUSH", "l", "b", "a", "c");
    const top = await r.call("SORT", "l", "alpha\0", "LIMIT\0x", "0", "2", "desc\0");
    assert.deepEqual(top, ["c", "b"]);
    assert.equal(await r.call("SORT", "l", "ALPHA", "store\0", "dst"), 3);
    await assert.rejects(r.call("SORT", "l", "alp\0ha"), new RespError("ERR syntax error"));
    const getkeys = (...args: string[]) => r.call("COMMAND", "GETKEYS", "SORT", "k", ...args);
    assert.deepEqual(await getkeys("store\0", "d"), ["k", "d"]);
    // the word after STORE is looked at as an option too, as sortGetKeys does
    assert.deepEqual(await getkeys("STORE", "store", "dst"), ["k", "dst"]);
  });
});
