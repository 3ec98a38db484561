// The sets family over a real socket: SADD/SREM/SISMEMBER/SMISMEMBER/SCARD/SMEMBERS, SPOP and
// SRANDMEMBER count paths, SMOVE, SINTER/SUNION/SDIFF with their STORE and CARD forms, SSCAN,
// with Redis 7.0's replies (RESP2 and RESP3), error texts, intset/hashtable transitions and
// keyspace events. Also the Set API directly over a heap (seeded model test, iterator, dup, free).

import assert from "node:assert/strict";
import { rng, runtimeName, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { errorOfCall, type RespClient, RespError } from "../_resp_client.ts";
import { Heap } from "../../src/memory/allocator.ts";
import { valueOps } from "../../src/store/values.ts";
import {
  ENCODING_NAMES,
  OBJ_ENCODING_HT,
  OBJ_SET,
  objAux,
  objEncoding,
} from "../../src/store/object.ts";
import {
  SetIter,
  setMaxIntsetEntries,
  SetMember,
  setMemberBytes,
  setTypeAdd,
  setTypeCreate,
  setTypeDup,
  setTypeFree,
  setTypeIsMember,
  setTypeRandom,
  setTypeRemove,
  setTypeSize,
  SetVal,
} from "../../src/types/set.ts";

const T = `sets (${runtimeName})`;
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const SYNTAX = "ERR syntax error";
const POSITIVE = "ERR value is out of range, must be positive";
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const str = (b: Uint8Array) => String.fromCharCode(...b);

/** Both encodings with members that keep a fresh set in that encoding. */
const ENCODINGS = [
  { name: "intset", members: ["1", "2", "3", "-7", "100000"] },
  { name: "hashtable", members: ["a", "b", "c", "", "x\r\ny\0z"] },
];

function entryOf(ctx: ServerCtx, key: string): number {
  const b = enc(key);
  return ctx.srv.server.store.dbs[0].find(b, 0, b.length);
}

async function encodingOf(r: RespClient, key: string): Promise<string> {
  return (await r.call("OBJECT", "ENCODING", key)) as string;
}

async function members(r: RespClient, key: string): Promise<string[]> {
  return ((await r.call("SMEMBERS", key)) as string[]).slice().sort();
}

/** The raw first line of a reply (to tell *0 from ~0 and $-1 from *-1). */
async function rawLine(r: RespClient, ...args: string[]): Promise<string> {
  r.send(...args);
  const line = await r.readLine();
  // Drain the rest of a non-empty aggregate so the next call starts clean.
  const n = Number(line.slice(1));
  if ((line[0] === "*" || line[0] === "~") && n > 0) {
    for (let i = 0; i < n * 2; i++) await r.readLine();
  }
  return line;
}

async function recordEvents(ctx: ServerCtx): Promise<string[]> {
  await ctx.r.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
  const events: string[] = [];
  ctx.srv.server.onNotify = (_type, event, key) => {
    events.push(`${event}:${str(key)}`);
  };
  return events;
}

const sorted = (a: string[]) => a.slice().sort();

// -- SADD, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS --

for (const { name, members: ms } of ENCODINGS) {
  test(`${T}: SADD, SCARD, SISMEMBER, SMISMEMBER and SMEMBERS on a ${name} set`, async () => {
    await withServer({}, async ({ r }) => {
      assert.equal(await r.call("SADD", "s", ms[0]), 1);
      assert.equal(await encodingOf(r, "s"), name);
      assert.equal(await r.call("SADD", "s", ...ms), ms.length - 1);
      assert.equal(await r.call("SADD", "s", ms[1]), 0);
      assert.equal(await encodingOf(r, "s"), name);
      assert.equal(await r.call("SCARD", "s"), ms.length);
      for (const x of ms) assert.equal(await r.call("SISMEMBER", "s", x), 1);
      assert.equal(await r.call("SISMEMBER", "s", "nope"), 0);
      assert.equal(await r.call("SISMEMBER", "s", "4"), 0);
      assert.deepEqual(await r.call("SMISMEMBER", "s", ms[0], "nope", ms[2]), [1, 0, 1]);
      assert.deepEqual(await members(r, "s"), sorted(ms));
    });
  });
}

test(`${T}: an intset lists its members in ascending numeric order`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "30", "-2", "7", "100000", "0");
    assert.deepEqual(await r.call("SMEMBERS", "s"), ["-2", "0", "7", "30", "100000"]);
  });
});

test(`${T}: missing keys read as empty sets and other types reply WRONGTYPE`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("SCARD", "none"), 0);
    assert.equal(await r.call("SISMEMBER", "none", "a"), 0);
    assert.deepEqual(await r.call("SMISMEMBER", "none", "a", "b"), [0, 0]);
    assert.deepEqual(await r.call("SMEMBERS", "none"), []);
    await r.call("SET", "str", "x");
    for (
      const cmd of [
        ["SADD", "str", "a"],
        ["SREM", "str", "a"],
        ["SCARD", "str"],
        ["SISMEMBER", "str", "a"],
        ["SMISMEMBER", "str", "a"],
        ["SMEMBERS", "str"],
        ["SPOP", "str"],
        ["SPOP", "str", "2"],
        ["SRANDMEMBER", "str"],
        ["SRANDMEMBER", "str", "2"],
        ["SSCAN", "str", "0"],
      ]
    ) {
      assert.equal(await errorOfCall(r, ...cmd), WRONGTYPE, cmd.join(" "));
    }
    assert.equal(await r.call("GET", "str"), "x");
  });
});

test(`${T}: SADD and SMISMEMBER check their arity`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await errorOfCall(r, "SADD", "s"), "ERR wrong number of arguments for 'sadd' command");
    assert.equal(
      await errorOfCall(r, "SMISMEMBER", "s"),
      "ERR wrong number of arguments for 'smismember' command",
    );
  });
});

test(`${T}: members are binary safe`, async () => {
  await withServer({}, async ({ r }) => {
    const bin = new Uint8Array([0, 255, 13, 10, 0]);
    assert.equal(await r.call("SADD", "s", bin, "", "\r\n"), 3);
    assert.equal(await encodingOf(r, "s"), "hashtable");
    assert.equal(await r.call("SISMEMBER", "s", bin), 1);
    assert.equal(await r.call("SISMEMBER", "s", ""), 1);
    assert.deepEqual(await members(r, "s"), sorted([str(bin), "", "\r\n"]));
    assert.equal(await r.call("SREM", "s", bin), 1);
    assert.equal(await r.call("SISMEMBER", "s", bin), 0);
  });
});

// -- encodings --

test(`${T}: a non-integer member converts an intset to a hashtable for good`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "1", "2", "3");
    assert.equal(await encodingOf(r, "s"), "intset");
    assert.equal(await r.call("SADD", "s", "a"), 1);
    assert.equal(await encodingOf(r, "s"), "hashtable");
    await r.call("SREM", "s", "a");
    assert.equal(await encodingOf(r, "s"), "hashtable");
    assert.deepEqual(await members(r, "s"), ["1", "2", "3"]);
    assert.equal(await r.call("SISMEMBER", "s", "2"), 1);
  });
});

test(`${T}: only canonical int64 text is an integer member`, async () => {
  await withServer({}, async ({ r }) => {
    for (const x of ["01", "+1", " 1", "1 ", "-0", "1.0", "9223372036854775808", "0x10", "1e3"]) {
      await r.call("DEL", "s");
      await r.call("SADD", "s", x);
      assert.equal(await encodingOf(r, "s"), "hashtable", x);
    }
    for (const x of ["0", "-1", "9223372036854775807", "-9223372036854775808"]) {
      await r.call("DEL", "s");
      await r.call("SADD", "s", x);
      assert.equal(await encodingOf(r, "s"), "intset", x);
    }
  });
});

test(`${T}: integers beyond 2^53 are kept exactly in an intset`, async () => {
  await withServer({}, async ({ r }) => {
    const big = ["9007199254740993", "-9223372036854775808", "9223372036854775807", "12"];
    await r.call("SADD", "s", ...big);
    assert.equal(await encodingOf(r, "s"), "intset");
    assert.deepEqual(await r.call("SMEMBERS", "s"), [
      "-9223372036854775808",
      "12",
      "9007199254740993",
      "9223372036854775807",
    ]);
    assert.equal(await r.call("SISMEMBER", "s", "9007199254740993"), 1);
    assert.equal(await r.call("SISMEMBER", "s", "9007199254740992"), 0);
    assert.equal(await r.call("SREM", "s", "9007199254740992"), 0);
    assert.equal(await r.call("SREM", "s", "9007199254740993"), 1);
    assert.equal(await r.call("SADD", "s", "x"), 1);
    assert.equal(await encodingOf(r, "s"), "hashtable");
    assert.equal(await r.call("SISMEMBER", "s", "9223372036854775807"), 1);
    assert.equal(await r.call("SISMEMBER", "s", "-9223372036854775808"), 1);
  });
});

test(`${T}: an intset converts past set-max-intset-entries, exactly at the boundary`, async () => {
  await withServer({ "set-max-intset-entries": 4 }, async ({ r }) => {
    await r.call("SADD", "s", "1", "2", "3", "4");
    assert.equal(await encodingOf(r, "s"), "intset");
    assert.equal(await r.call("SADD", "s", "4"), 0);
    assert.equal(await encodingOf(r, "s"), "intset");
    assert.equal(await r.call("SADD", "s", "5"), 1);
    assert.equal(await encodingOf(r, "s"), "hashtable");
    assert.deepEqual(await members(r, "s"), ["1", "2", "3", "4", "5"]);
    await r.call("CONFIG", "SET", "set-max-intset-entries", "0");
    await r.call("SADD", "z", "1");
    assert.equal(await encodingOf(r, "z"), "hashtable");
  });
});

test(`${T}: the default set-max-intset-entries is 512`, async () => {
  await withServer({}, async ({ r }) => {
    const ints = Array.from({ length: 512 }, (_, i) => String(i));
    await r.call("SADD", "s", ...ints);
    assert.equal(await encodingOf(r, "s"), "intset");
    await r.call("SADD", "s", "512");
    assert.equal(await encodingOf(r, "s"), "hashtable");
    assert.equal(await r.call("SCARD", "s"), 513);
  });
});

// -- SREM --

for (const { name, members: ms } of ENCODINGS) {
  test(`${T}: SREM on a ${name} set counts removals and deletes the emptied key`, async () => {
    await withServer({}, async (ctx) => {
      const { r } = ctx;
      await r.call("SADD", "s", ...ms);
      assert.equal(await encodingOf(r, "s"), name);
      assert.equal(await r.call("SREM", "s", "nope", "99"), 0);
      assert.equal(await r.call("SREM", "s", ms[0], ms[0], ms[1]), 2);
      assert.deepEqual(await members(r, "s"), sorted(ms.slice(2)));
      const events = await recordEvents(ctx);
      assert.equal(await r.call("SREM", "s", ...ms, "extra"), ms.length - 2);
      assert.equal(await r.call("EXISTS", "s"), 0);
      assert.deepEqual(events, ["srem:s", "del:s"]);
      assert.equal(await r.call("SREM", "s", ms[0]), 0);
    });
  });
}

// -- SMOVE --

test(`${T}: SMOVE moves a member and converts the destination when needed`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "src", "1", "a", "b");
    await r.call("SADD", "dst", "2", "3", "4");
    assert.equal(await r.call("SMOVE", "src", "dst", "1"), 1);
    assert.equal(await encodingOf(r, "dst"), "intset");
    assert.equal(await r.call("SMOVE", "src", "dst", "a"), 1);
    assert.equal(await encodingOf(r, "dst"), "hashtable");
    assert.deepEqual(await members(r, "src"), ["b"]);
    assert.deepEqual(await members(r, "dst"), ["1", "2", "3", "4", "a"]);
    assert.equal(await r.call("SMOVE", "src", "dst", "zz"), 0);
    assert.equal(await r.call("SMOVE", "nosrc", "dst", "2"), 0);
    // the last member: the source key goes away, a new destination takes the member's encoding
    assert.equal(await r.call("SMOVE", "src", "new", "b"), 1);
    assert.equal(await r.call("EXISTS", "src"), 0);
    assert.equal(await encodingOf(r, "new"), "hashtable");
    assert.equal(await r.call("SMOVE", "dst", "new2", "3"), 1);
    assert.equal(await encodingOf(r, "new2"), "intset");
  });
});

test(`${T}: SMOVE with the same source and destination only tests membership`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "a", "b");
    assert.equal(await r.call("SMOVE", "s", "s", "a"), 1);
    assert.equal(await r.call("SMOVE", "s", "s", "z"), 0);
    assert.deepEqual(await members(r, "s"), ["a", "b"]);
  });
});

test(`${T}: SMOVE checks types only when the source exists`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "str", "x");
    await r.call("SADD", "s", "a");
    assert.equal(await r.call("SMOVE", "nosrc", "str", "a"), 0);
    assert.equal(await errorOfCall(r, "SMOVE", "str", "s", "a"), WRONGTYPE);
    assert.equal(await errorOfCall(r, "SMOVE", "s", "str", "a"), WRONGTYPE);
    assert.deepEqual(await members(r, "s"), ["a"]);
  });
});

test(`${T}: SMOVE touches the destination only when the member was added`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SADD", "src", "a", "b");
    await r.call("SADD", "dst", "a");
    const events = await recordEvents(ctx);
    await r.call("WATCH", "dst");
    const r2 = await ctx.client();
    assert.equal(await r2.call("SMOVE", "src", "dst", "a"), 1);
    await r.call("MULTI");
    await r.call("SADD", "dst", "c");
    assert.deepEqual(await r.call("EXEC"), [1]);
    assert.deepEqual(events.slice(0, 1), ["srem:src"]);
    events.length = 0;
    assert.equal(await r2.call("SMOVE", "src", "dst", "b"), 1);
    assert.deepEqual(events, ["srem:src", "del:src", "sadd:dst"]);
  });
});

// -- SPOP --

for (const { name, members: ms } of ENCODINGS) {
  test(`${T}: SPOP without a count on a ${name} set pops every member once`, async () => {
    await withServer({}, async (ctx) => {
      const { r } = ctx;
      await r.call("SADD", "s", ...ms);
      assert.equal(await encodingOf(r, "s"), name);
      const events = await recordEvents(ctx);
      const got: string[] = [];
      for (let i = 0; i < ms.length; i++) got.push((await r.call("SPOP", "s")) as string);
      assert.deepEqual(sorted(got), sorted(ms));
      assert.equal(await r.call("EXISTS", "s"), 0);
      assert.equal(await r.call("SPOP", "s"), null);
      assert.equal(events.at(-1), "del:s");
      assert.equal(events.filter((e) => e === "spop:s").length, ms.length);
    });
  });

  test(`${T}: SPOP with a count on a ${name} set takes each path`, async () => {
    await withServer({}, async ({ r }) => {
      const big = name === "intset"
        ? Array.from({ length: 20 }, (_, i) => String(i + 1))
        : Array.from({ length: 20 }, (_, i) => `m${i}`);
      // path 2: few popped
      await r.call("SADD", "s", ...big);
      const two = (await r.call("SPOP", "s", "2")) as string[];
      assert.equal(two.length, 2);
      assert.equal(await r.call("SCARD", "s"), 18);
      assert.deepEqual(sorted([...two, ...(await members(r, "s"))]), sorted(big));
      // path 3: most popped, the rest moves to a rebuilt set
      await r.call("DEL", "s");
      await r.call("SADD", "s", ...big);
      const many = (await r.call("SPOP", "s", "18")) as string[];
      assert.equal(new Set(many).size, 18);
      assert.equal(await r.call("SCARD", "s"), 2);
      assert.equal(await encodingOf(r, "s"), name);
      assert.deepEqual(sorted([...many, ...(await members(r, "s"))]), sorted(big));
      // path 1: everything
      const rest = (await r.call("SPOP", "s", "30")) as string[];
      assert.equal(rest.length, 2);
      assert.equal(await r.call("EXISTS", "s"), 0);
    });
  });
}

test(`${T}: SPOP with a count rebuilds a hashtable of integers as an intset`, async () => {
  await withServer({ "set-max-intset-entries": 4 }, async ({ r }) => {
    await r.call("SADD", "s", ...Array.from({ length: 10 }, (_, i) => String(i)));
    assert.equal(await encodingOf(r, "s"), "hashtable");
    assert.equal(((await r.call("SPOP", "s", "9")) as string[]).length, 9);
    assert.equal(await encodingOf(r, "s"), "intset");
    await r.call("SADD", "t", ...Array.from({ length: 10 }, (_, i) => String(i)));
    await r.call("SPOP", "t", "2");
    assert.equal(await encodingOf(r, "t"), "hashtable");
  });
});

test(`${T}: SPOP with a count keeps the key's TTL while members remain`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", ...Array.from({ length: 20 }, (_, i) => `m${i}`));
    await r.call("EXPIRE", "s", "1000");
    await r.call("SPOP", "s", "18");
    assert.equal(await r.call("TTL", "s"), 1000);
    await r.call("SPOP", "s", "1");
    assert.equal(await r.call("TTL", "s"), 1000);
  });
});

test(`${T}: SPOP count errors, zero and missing keys`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "a");
    assert.equal(await errorOfCall(r, "SPOP", "s", "-1"), POSITIVE);
    assert.equal(await errorOfCall(r, "SPOP", "s", "abc"), POSITIVE);
    assert.equal(await errorOfCall(r, "SPOP", "nokey", "1.5"), POSITIVE);
    assert.equal(await errorOfCall(r, "SPOP", "s", "1", "2"), SYNTAX);
    assert.deepEqual(await r.call("SPOP", "s", "0"), []);
    assert.deepEqual(await r.call("SPOP", "nokey", "5"), []);
    assert.equal(await r.call("SCARD", "s"), 1);
    assert.equal(await rawLine(r, "SPOP", "nokey"), "$-1");
    assert.equal(await rawLine(r, "SPOP", "nokey", "3"), "*0");
    await r.call("HELLO", "3");
    assert.equal(await rawLine(r, "SPOP", "nokey"), "_");
    assert.equal(await rawLine(r, "SPOP", "nokey", "3"), "~0");
    assert.equal(await rawLine(r, "SPOP", "s", "0"), "~0");
    const popped = await r.call("SPOP", "s", "4");
    assert.ok(popped instanceof Set);
    assert.deepEqual([...popped], ["a"]);
  });
});

// -- SRANDMEMBER --

for (const { name } of ENCODINGS) {
  test(`${T}: SRANDMEMBER count semantics on a ${name} set`, async () => {
    await withServer({}, async ({ r }) => {
      const big = name === "intset"
        ? Array.from({ length: 50 }, (_, i) => String(i))
        : Array.from({ length: 50 }, (_, i) => `m${i}`);
      await r.call("SADD", "s", ...big);
      assert.equal(await encodingOf(r, "s"), name);
      const all = new Set(big);
      assert.ok(all.has((await r.call("SRANDMEMBER", "s")) as string));
      // negative: exactly |count| members, repeats allowed
      const rep = (await r.call("SRANDMEMBER", "s", "-200")) as string[];
      assert.equal(rep.length, 200);
      assert.ok(rep.every((x) => all.has(x)));
      assert.ok(new Set(rep).size < 200);
      // positive: distinct members, at most the set size (paths 2, 3 and 4)
      for (const n of [1, 5, 20, 45, 50, 100]) {
        const got = (await r.call("SRANDMEMBER", "s", String(n))) as string[];
        assert.equal(got.length, Math.min(n, 50), `count ${n}`);
        assert.equal(new Set(got).size, got.length, `count ${n} distinct`);
        assert.ok(got.every((x) => all.has(x)));
      }
      assert.deepEqual(sorted((await r.call("SRANDMEMBER", "s", "50")) as string[]), sorted(big));
      assert.equal(await r.call("SCARD", "s"), 50);
    });
  });

  test(`${T}: SRANDMEMBER spreads its picks evenly on a ${name} set`, async () => {
    await withServer({}, async ({ r }) => {
      const ten = name === "intset"
        ? Array.from({ length: 10 }, (_, i) => String(i))
        : ["1", "5", "10", "50", "125", "MARY", "PATRICIA", "LINDA", "BARBARA", "ELIZABETH"];
      await r.call("SADD", "s", ...ten);
      assert.equal(await encodingOf(r, "s"), name);
      const chi = (picks: string[]) => {
        const counts = new Map<string, number>();
        for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
        const expected = picks.length / ten.length;
        let x = 0;
        for (const k of ten) x += ((counts.get(k) ?? 0) - expected) ** 2 / expected;
        return x;
      };
      // df = 9: 40 has a probability of about 1e-5
      assert.ok(chi((await r.call("SRANDMEMBER", "s", "-1000")) as string[]) < 40);
      for (const size of [8, 2]) {
        const picks: string[] = [];
        for (let i = 0; i < 1000 / size; i++) {
          picks.push(...((await r.call("SRANDMEMBER", "s", String(size))) as string[]));
        }
        assert.ok(chi(picks) < 40, `size ${size}`);
      }
    });
  });
}

test(`${T}: SRANDMEMBER errors and empty replies`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "a");
    assert.equal(
      await errorOfCall(r, "SRANDMEMBER", "s", "-9223372036854775808"),
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    );
    assert.equal(
      await errorOfCall(r, "SRANDMEMBER", "s", "9223372036854775808"),
      "ERR value is not an integer or out of range",
    );
    assert.equal(
      await errorOfCall(r, "SRANDMEMBER", "s", "abc"),
      "ERR value is not an integer or out of range",
    );
    assert.equal(await errorOfCall(r, "SRANDMEMBER", "s", "1", "2"), SYNTAX);
    assert.deepEqual(await r.call("SRANDMEMBER", "s", "-2"), ["a", "a"]);
    assert.equal(await rawLine(r, "SRANDMEMBER", "nokey"), "$-1");
    assert.equal(await rawLine(r, "SRANDMEMBER", "nokey", "5"), "*0");
    assert.equal(await rawLine(r, "SRANDMEMBER", "s", "0"), "*0");
    await r.call("HELLO", "3");
    assert.equal(await rawLine(r, "SRANDMEMBER", "nokey"), "_");
    assert.equal(await rawLine(r, "SRANDMEMBER", "nokey", "5"), "*0");
    assert.equal(await rawLine(r, "SRANDMEMBER", "s", "2"), "*1");
  });
});

// -- SINTER, SINTERCARD, SINTERSTORE --

/** Five sets as Redis's suite builds them; `large` decides the encoding. */
async function makeSets(r: RespClient, large: string): Promise<void> {
  await r.call("DEL", "set1", "set2", "set3", "set4", "set5");
  await r.call("SADD", "set1", ...Array.from({ length: 200 }, (_, i) => String(i)));
  await r.call("SADD", "set2", ...Array.from({ length: 200 }, (_, i) => String(i + 195)));
  await r.call("SADD", "set3", "199", "195", "1000", "2000");
  await r.call("SADD", "set4", ...Array.from({ length: 195 }, (_, i) => String(i + 5)));
  await r.call("SADD", "set5", "0");
  for (let i = 1; i <= 5; i++) await r.call("SADD", `set${i}`, large);
}

for (const [name, large] of [["intset", "200"], ["hashtable", "foo"]]) {
  test(`${T}: SINTER, SINTERCARD and SINTERSTORE on ${name} sets`, async () => {
    await withServer({}, async ({ r }) => {
      await makeSets(r, large);
      for (let i = 1; i <= 5; i++) assert.equal(await encodingOf(r, `set${i}`), name);
      const two = sorted(["195", "196", "197", "198", "199", large]);
      assert.deepEqual(sorted((await r.call("SINTER", "set1", "set2")) as string[]), two);
      assert.equal(await r.call("SINTERCARD", "2", "set1", "set2"), 6);
      assert.equal(await r.call("SINTERCARD", "2", "set1", "set2", "LIMIT", "0"), 6);
      assert.equal(await r.call("SINTERCARD", "2", "set1", "set2", "limit", "3"), 3);
      assert.equal(await r.call("SINTERCARD", "2", "set1", "set2", "LIMIT", "10"), 6);
      assert.equal(await r.call("SINTERSTORE", "res", "set1", "set2"), 6);
      assert.equal(await encodingOf(r, "res"), name);
      assert.deepEqual(await members(r, "res"), two);
      const three = sorted(["195", "199", large]);
      assert.deepEqual(sorted((await r.call("SINTER", "set1", "set2", "set3")) as string[]), three);
      assert.equal(await r.call("SINTERCARD", "3", "set1", "set2", "set3", "LIMIT", "2"), 2);
      assert.deepEqual(
        sorted((await r.call("SINTER", "set1", "set1", "set1")) as string[]),
        await members(r, "set1"),
      );
    });
  });

  test(`${T}: SUNION, SDIFF and their STORE forms on ${name} sets`, async () => {
    await withServer({}, async ({ r }) => {
      await makeSets(r, large);
      const union = sorted([
        ...new Set([...(await members(r, "set1")), ...(await members(r, "set2"))]),
      ]);
      assert.deepEqual(sorted((await r.call("SUNION", "set1", "set2")) as string[]), union);
      assert.deepEqual(
        sorted((await r.call("SUNION", "nokey1", "set1", "set2", "nokey2")) as string[]),
        union,
      );
      assert.equal(await r.call("SUNIONSTORE", "res", "set1", "set2"), union.length);
      assert.equal(await encodingOf(r, "res"), name);
      assert.deepEqual(await members(r, "res"), union);
      assert.deepEqual(sorted((await r.call("SDIFF", "set1", "set4")) as string[]), [
        "0",
        "1",
        "2",
        "3",
        "4",
      ]);
      assert.deepEqual(sorted((await r.call("SDIFF", "set1", "set4", "set5")) as string[]), [
        "1",
        "2",
        "3",
        "4",
      ]);
      assert.equal(await r.call("SDIFFSTORE", "res", "set1", "set4", "set5"), 4);
      // the result holds only integers and is small: an intset whatever the sources were
      assert.equal(await encodingOf(r, "res"), "intset");
      assert.deepEqual(await members(r, "res"), ["1", "2", "3", "4"]);
      assert.deepEqual(await r.call("SDIFF", "set1", "set1", "set1"), []);
    });
  });
}

test(`${T}: SINTER between an intset and a hashtable of the same integers`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "a", "1", "2", "3");
    await r.call("SADD", "b", "1", "2", "3", "x");
    await r.call("SREM", "b", "x");
    assert.equal(await encodingOf(r, "a"), "intset");
    assert.equal(await encodingOf(r, "b"), "hashtable");
    assert.deepEqual(sorted((await r.call("SINTER", "a", "b")) as string[]), ["1", "2", "3"]);
    assert.deepEqual(sorted((await r.call("SINTER", "b", "a")) as string[]), ["1", "2", "3"]);
    assert.deepEqual(await r.call("SDIFF", "a", "b"), []);
    assert.deepEqual(await r.call("SDIFF", "b", "a"), []);
    await r.call("SADD", "c", "9007199254740993", "4");
    await r.call("SADD", "d", "9007199254740993", "q");
    assert.deepEqual(await r.call("SINTER", "c", "d"), ["9007199254740993"]);
  });
});

test(`${T}: SDIFF gives the same answer through both algorithms`, async () => {
  await withServer({}, async ({ r }) => {
    const first = Array.from({ length: 100 }, (_, i) => `m${i}`);
    await r.call("SADD", "big", ...first);
    await r.call("SADD", "x", "m1", "m2", "zz");
    await r.call("SADD", "y", "m3", "m99");
    const expect = sorted(first.filter((m) => !["m1", "m2", "m3", "m99"].includes(m)));
    // 3 sets, 100 vs 3 + 2 others: algorithm 2 (add then remove)
    assert.deepEqual(sorted((await r.call("SDIFF", "big", "x", "y")) as string[]), expect);
    // 2 sets: always algorithm 1
    assert.deepEqual(
      sorted((await r.call("SDIFF", "big", "x")) as string[]),
      sorted(first.filter((m) => m !== "m1" && m !== "m2")),
    );
    assert.equal(await r.call("SDIFFSTORE", "out", "big", "x", "y"), 96);
    assert.deepEqual(await members(r, "out"), expect);
    assert.deepEqual(await r.call("SDIFF", "nokey", "big"), []);
    assert.deepEqual(sorted((await r.call("SDIFF", "x", "nokey")) as string[]), ["m1", "m2", "zz"]);
  });
});

test(`${T}: set algebra reports WRONGTYPE for any non-set key, missing ones included`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "str", "x");
    await r.call("SADD", "s", "a");
    for (const cmd of ["SINTER", "SUNION", "SDIFF"]) {
      assert.equal(await errorOfCall(r, cmd, "str", "nokey"), WRONGTYPE, cmd);
      assert.equal(await errorOfCall(r, cmd, "nokey", "str"), WRONGTYPE, cmd);
      assert.equal(await errorOfCall(r, cmd, "s", "str"), WRONGTYPE, cmd);
      await r.call("SADD", "dst", "keep");
      assert.equal(await errorOfCall(r, `${cmd}STORE`, "dst", "nokey", "str"), WRONGTYPE, cmd);
      assert.deepEqual(await members(r, "dst"), ["keep"]);
    }
    assert.equal(await errorOfCall(r, "SINTERCARD", "2", "nokey", "str"), WRONGTYPE);
  });
});

test(`${T}: a *STORE with an empty result deletes the destination`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SADD", "a", "x", "y");
    await r.call("SADD", "b", "z");
    for (const cmd of ["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]) {
      await r.call("SET", "dst", "old");
      const events = await recordEvents(ctx);
      assert.equal(await r.call(cmd, "dst", "nokey1", "nokey2"), 0, cmd);
      assert.equal(await r.call("EXISTS", "dst"), 0, cmd);
      assert.deepEqual(events, ["del:dst"], cmd);
      events.length = 0;
      assert.equal(await r.call(cmd, "dst", "nokey1", "nokey2"), 0, cmd);
      assert.deepEqual(events, [], cmd);
    }
    assert.equal(await r.call("SINTERSTORE", "dst", "a", "b"), 0);
    assert.equal(await r.call("SDIFFSTORE", "dst", "a", "a"), 0);
  });
});

test(`${T}: a *STORE replaces any value, drops the TTL and sends its event`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SADD", "a", "1", "2", "x");
    await r.call("SADD", "b", "2", "x", "3");
    await r.call("SET", "dst", "old", "EX", "100");
    const events = await recordEvents(ctx);
    assert.equal(await r.call("SINTERSTORE", "dst", "a", "b"), 2);
    assert.equal(await r.call("TTL", "dst"), -1);
    assert.equal(String(await r.call("TYPE", "dst")), "set");
    assert.equal(await r.call("SUNIONSTORE", "dst", "a", "b"), 4);
    assert.equal(await r.call("SDIFFSTORE", "dst", "a", "b"), 1);
    assert.deepEqual(events, ["sinterstore:dst", "sunionstore:dst", "sdiffstore:dst"]);
    // the destination may also be a source
    assert.equal(await r.call("SUNIONSTORE", "a", "a", "b"), 4);
    assert.deepEqual(await members(r, "a"), ["1", "2", "3", "x"]);
  });
});

test(`${T}: *STORE results are intsets only when they fit set-max-intset-entries`, async () => {
  await withServer({ "set-max-intset-entries": 4 }, async ({ r }) => {
    await r.call("SADD", "a", "1", "2", "3");
    await r.call("SADD", "b", "4", "5");
    await r.call("SADD", "h", "a", "1");
    assert.equal(await r.call("SUNIONSTORE", "d", "a", "b"), 5);
    assert.equal(await encodingOf(r, "d"), "hashtable");
    assert.equal(await r.call("SUNIONSTORE", "d", "a"), 3);
    assert.equal(await encodingOf(r, "d"), "intset");
    assert.equal(await r.call("SINTERSTORE", "d", "h", "a"), 1);
    assert.equal(await encodingOf(r, "d"), "intset");
    assert.equal(await r.call("SDIFFSTORE", "d", "h", "a"), 1);
    assert.equal(await encodingOf(r, "d"), "hashtable");
  });
});

test(`${T}: SINTERCARD argument errors`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(
      await errorOfCall(r, "SINTERCARD", "1"),
      "ERR wrong number of arguments for 'sintercard' command",
    );
    for (const n of ["0", "a", "-1", "9223372036854775808"]) {
      assert.equal(await errorOfCall(r, "SINTERCARD", n, "s"), "ERR numkeys should be greater than 0");
    }
    assert.equal(
      await errorOfCall(r, "SINTERCARD", "2", "s"),
      "ERR Number of keys can't be greater than number of args",
    );
    assert.equal(await errorOfCall(r, "SINTERCARD", "1", "s", "s2"), SYNTAX);
    assert.equal(await errorOfCall(r, "SINTERCARD", "1", "s", "LIMIT"), SYNTAX);
    assert.equal(
      await errorOfCall(r, "SINTERCARD", "1", "s", "LIMIT", "-1"),
      "ERR LIMIT can't be negative",
    );
    assert.equal(
      await errorOfCall(r, "SINTERCARD", "1", "s", "LIMIT", "a"),
      "ERR LIMIT can't be negative",
    );
    assert.equal(await r.call("SINTERCARD", "1", "nokey", "LIMIT", "10"), 0);
  });
});

test(`${T}: RESP3 replies sets for SMEMBERS, SINTER, SUNION, SDIFF and arrays elsewhere`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "a", "1", "2");
    await r.call("SADD", "b", "2", "3");
    await r.call("HELLO", "3");
    for (
      const cmd of [["SMEMBERS", "a"], ["SINTER", "a", "b"], ["SUNION", "a", "b"], [
        "SDIFF",
        "a",
        "b",
      ]]
    ) {
      assert.ok((await r.call(...cmd)) instanceof Set, cmd[0]);
    }
    assert.equal(await rawLine(r, "SINTER", "a", "nokey"), "~0");
    assert.equal(await rawLine(r, "SMEMBERS", "nokey"), "~0");
    assert.deepEqual(await r.call("SMISMEMBER", "a", "1", "3"), [1, 0]);
    assert.ok(Array.isArray(await r.call("SRANDMEMBER", "a", "2")));
    assert.ok(Array.isArray(await r.call("SSCAN", "a", "0")));
  });
});

// -- SSCAN --

test(`${T}: SSCAN returns a whole intset at once, filtered by MATCH`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "1", "12", "2", "-13");
    assert.deepEqual(await r.call("SSCAN", "s", "0"), ["0", ["-13", "1", "2", "12"]]);
    assert.deepEqual(await r.call("SSCAN", "s", "0", "MATCH", "*1*", "COUNT", "1"), ["0", [
      "-13",
      "1",
      "12",
    ]]);
    assert.deepEqual(await r.call("SSCAN", "nokey", "0", "BOGUS"), ["0", []]);
  });
});

test(`${T}: SSCAN walks a hashtable to cursor 0 and sees every member`, async () => {
  await withServer({}, async ({ r }) => {
    const all = Array.from({ length: 1000 }, (_, i) => `m:${i}`);
    await r.call("SADD", "s", ...all);
    const seen = new Set<string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, batch] = (await r.call("SSCAN", "s", cursor, "COUNT", "50")) as [
        string,
        string[],
      ];
      for (const x of batch) seen.add(x);
      cursor = next;
      calls++;
    } while (cursor !== "0");
    assert.equal(seen.size, 1000);
    assert.ok(calls > 5);
    const matched = new Set<string>();
    cursor = "0";
    do {
      const [next, batch] = (await r.call("SSCAN", "s", cursor, "MATCH", "m:1?")) as [
        string,
        string[],
      ];
      for (const x of batch) matched.add(x);
      cursor = next;
    } while (cursor !== "0");
    assert.deepEqual(sorted([...matched]), sorted(Array.from({ length: 10 }, (_, i) => `m:1${i}`)));
  });
});

test(`${T}: SSCAN argument errors`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "a");
    assert.equal(await errorOfCall(r, "SSCAN", "s", "abc"), "ERR invalid cursor");
    assert.equal(await errorOfCall(r, "SSCAN", "nokey", "abc"), "ERR invalid cursor");
    assert.equal(await errorOfCall(r, "SSCAN", "s", "0", "COUNT", "0"), SYNTAX);
    assert.equal(
      await errorOfCall(r, "SSCAN", "s", "0", "COUNT", "x"),
      "ERR value is not an integer or out of range",
    );
    assert.equal(await errorOfCall(r, "SSCAN", "s", "0", "TYPE", "set"), SYNTAX);
    assert.equal(await errorOfCall(r, "SSCAN", "s", "0", "MATCH"), SYNTAX);
  });
});

// -- keyspace side effects --

test(`${T}: SADD counts dirty and notifies only when something was added`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const events = await recordEvents(ctx);
    const dirty0 = ctx.srv.server.dirty;
    assert.equal(await r.call("SADD", "s", "a", "b", "a"), 2);
    assert.equal(await r.call("SADD", "s", "a"), 0);
    assert.equal(ctx.srv.server.dirty - dirty0, 2);
    assert.deepEqual(events, ["sadd:s"]);
  });
});

// -- value ops: COPY, MEMORY USAGE, DEBUG DIGEST-VALUE, DEL / UNLINK --

test(`${T}: COPY duplicates both encodings and the digest ignores the encoding`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async ({ r }) => {
    await r.call("SADD", "i", "1", "2", "3");
    await r.call("SADD", "h", "1", "2", "3", "x");
    await r.call("SREM", "h", "x");
    assert.equal(await r.call("COPY", "i", "i2"), 1);
    assert.equal(await r.call("COPY", "h", "h2"), 1);
    assert.equal(await encodingOf(r, "i2"), "intset");
    assert.equal(await encodingOf(r, "h2"), "hashtable");
    await r.call("SADD", "h2", "extra");
    assert.equal(await r.call("SCARD", "h"), 3);
    await r.call("SREM", "h2", "extra");
    const digests = async (...keys: string[]) =>
      ((await r.call("DEBUG", "DIGEST-VALUE", ...keys)) as unknown[]).map(String);
    const [di, dh, di2] = await digests("i", "h", "i2");
    assert.equal(di, dh);
    assert.equal(di, di2);
    const [dh2] = await digests("h2");
    assert.equal(dh2, dh);
    await r.call("SADD", "h2", "4");
    const [dh3] = await digests("h2");
    assert.notEqual(dh3, dh);
  });
});

test(`${T}: MEMORY USAGE grows with the set and DEL gives every byte back`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const heap = ctx.srv.server.heap;
    await r.call("SET", "warm", "x");
    await r.call("DEL", "warm");
    const before = heap.allocated;
    await r.call("SADD", "i", ...Array.from({ length: 100 }, (_, i) => String(i)));
    await r.call("SADD", "h", ...Array.from({ length: 1000 }, (_, i) => `member:${i}`));
    const ui = (await r.call("MEMORY", "USAGE", "i")) as number;
    const uh = (await r.call("MEMORY", "USAGE", "h", "SAMPLES", "0")) as number;
    assert.ok(ui >= 8 + 2 * 100 && ui < 600, `intset usage ${ui}`);
    assert.ok(uh > 1000 * 24, `hashtable usage ${uh}`);
    await r.call("DEL", "i", "h");
    assert.equal(heap.allocated, before);
  });
});

test(`${T}: UNLINK of a big hashtable set frees it in the background`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    const heap = ctx.srv.server.heap;
    await r.call("SET", "warm", "x");
    await r.call("DEL", "warm");
    const before = heap.allocated;
    for (let k = 0; k < 10; k++) {
      await r.call("SADD", "s", ...Array.from({ length: 2000 }, (_, i) => `m:${k}:${i}`));
    }
    assert.equal(await r.call("UNLINK", "s"), 1);
    assert.equal(await r.call("EXISTS", "s"), 0);
    const deadline = Date.now() + 5000;
    while (heap.allocated !== before && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.equal(heap.allocated, before);
  });
});

test(`${T}: the command table matches Redis's arity, flags and keys`, async () => {
  await withServer({}, async ({ r }) => {
    const raw = (await r.call(
      "COMMAND",
      "INFO",
      "sadd",
      "sintercard",
      "smove",
      "sunionstore",
    )) as unknown[][];
    const info = raw.map((c) => [c[0], c[1], (c[2] as unknown[]).map(String), c[3], c[4], c[5]]);
    assert.deepEqual(info[0].slice(0, 6), ["sadd", -3, ["write", "denyoom", "fast"], 1, 1, 1]);
    assert.deepEqual(info[1].slice(0, 6), ["sintercard", -3, ["readonly", "movablekeys"], 0, 0, 0]);
    assert.deepEqual(info[2].slice(0, 6), ["smove", 4, ["write", "fast"], 1, 2, 1]);
    assert.deepEqual(info[3].slice(0, 6), ["sunionstore", -3, ["write", "denyoom"], 1, -1, 1]);
    assert.deepEqual(
      await r.call("COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"),
      ["a", "b"],
    );
  });
});

test(`${T}: a key read through the entry handle exposes the set encoding`, async () => {
  await withServer({}, async (ctx) => {
    await ctx.r.call("SADD", "s", "1", "2");
    const m = ctx.srv.server.heap;
    const e = entryOf(ctx, "s");
    assert.equal(ENCODING_NAMES[objEncoding(m, e)], "intset");
    const it = new SetIter();
    it.init(objEncoding(m, e), objAux(m, e));
    const got: number[] = [];
    while (it.next(m)) got.push(it.num);
    assert.deepEqual(got, [1, 2]);
  });
});

// -- Set API over a heap --

test(`${T}: the Set API agrees with a JS Set model through conversions (seeded)`, () => {
  const m = new Heap();
  const rand = rng(7);
  const base = m.allocated;
  for (const max of [0, 8, 64, 512]) {
    const sv = new SetVal();
    const model = new Set<string>();
    const cap = setMaxIntsetEntries(max);
    let created = false;
    let converted = false;
    for (let step = 0; step < 3000; step++) {
      const roll = rand();
      const x = roll < 0.02
        ? `s${Math.floor(rand() * 50)}`
        : roll < 0.05
        ? String(BigInt(Math.floor(rand() * 2 ** 31)) * 2n ** 32n + 7n)
        : String(Math.floor(rand() * 200) - 100);
      const b = enc(x);
      if (!created) {
        setTypeCreate(m, sv, b, 0, b.length);
        created = true;
      }
      if (rand() < 0.6) {
        assert.equal(setTypeAdd(m, sv, b, 0, b.length, cap), !model.has(x), `add ${x}`);
        model.add(x);
      } else {
        assert.equal(setTypeRemove(m, sv, b, 0, b.length), model.has(x), `remove ${x}`);
        model.delete(x);
      }
      if (sv.enc === OBJ_ENCODING_HT) converted = true;
      else assert.ok(!converted, "a hashtable never goes back to an intset");
      assert.equal(setTypeSize(m, sv.enc, sv.h), model.size);
      if (step % 97 === 0) {
        const it = new SetIter();
        it.init(sv.enc, sv.h);
        const seen: string[] = [];
        while (it.next(m)) {
          setMemberBytes(it);
          seen.push(str(it.buf.subarray(it.off, it.off + it.len)));
        }
        assert.deepEqual(sorted(seen), sorted([...model]));
        for (const y of ["0", "5", "s3", "-100", "zz"]) {
          const yb = enc(y);
          assert.equal(setTypeIsMember(m, sv.enc, sv.h, yb, 0, yb.length), model.has(y));
        }
        if (model.size > 0) {
          const mem = new SetMember();
          setTypeRandom(m, sv.enc, sv.h, mem);
          setMemberBytes(mem);
          assert.ok(model.has(str(mem.buf.subarray(mem.off, mem.off + mem.len))));
        }
      }
    }
    const copy = setTypeDup(m, sv.enc, sv.h);
    assert.equal(setTypeSize(m, sv.enc, copy), model.size);
    setTypeFree(m, sv.enc, copy);
    setTypeFree(m, sv.enc, sv.h);
    assert.equal(m.allocated, base, `heap back to empty (max ${max})`);
    if (max === 0) assert.equal(sv.enc, OBJ_ENCODING_HT);
  }
});

test(`${T}: defrag moves a hashtable set's allocations and keeps every member`, () => {
  const m = new Heap();
  const sv = new SetVal();
  const first = enc("m0");
  setTypeCreate(m, sv, first, 0, first.length);
  const filler: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const b = enc(`m${i}`);
    setTypeAdd(m, sv, b, 0, b.length, 512);
    filler.push(m.alloc(24), m.alloc(24));
  }
  // Free the fillers of the first half: those slabs end up half empty, below the average.
  const half = filler.length / 2;
  for (let i = 0; i < half; i++) m.free(filler[i]);
  const refs = () => {
    const it = new SetIter();
    it.init(OBJ_ENCODING_HT, h);
    const out = new Set<number>();
    while (it.next(m)) out.add(it.ref);
    return out;
  };
  const ops = valueOps(OBJ_SET);
  let h = sv.h;
  const old = refs();
  const before = m.allocated;
  h = ops.defrag!(m, h, OBJ_ENCODING_HT);
  assert.equal(m.allocated, before, "defrag neither leaks nor loses allocations");
  const now = refs();
  let moved = 0;
  for (const e of now) if (!old.has(e)) moved++;
  assert.ok(moved > 100, `entries moved: ${moved}`);
  assert.equal(now.size, 3000);
  assert.equal(setTypeSize(m, OBJ_ENCODING_HT, h), 3000);
  for (let i = 0; i < 3000; i++) {
    const b = enc(`m${i}`);
    assert.ok(setTypeIsMember(m, OBJ_ENCODING_HT, h, b, 0, b.length), `m${i}`);
  }
  setTypeFree(m, OBJ_ENCODING_HT, h);
  for (let i = half; i < filler.length; i++) m.free(filler[i]);
  assert.equal(m.allocated, 0);
});

test(`${T}: SINTERCARD reads LIMIT up to a NUL byte; COMMAND GETKEYS reads numkeys with atoi`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SADD", "s", "a", "b", "c");
    assert.equal(await r.call("SINTERCARD", "1", "s", "limit\0", "2"), 2);
    assert.equal(await r.call("SINTERCARD", "1", "s", "LIMIT\0x", "0"), 3);
    await assert.rejects(r.call("SINTERCARD", "1", "s", "lim\0it", "2"), new RespError(SYNTAX));
    const keys = await r.call("COMMAND", "GETKEYS", "SINTERCARD", "2x", "a", "b");
    assert.deepEqual(keys, ["a", "b"]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "SINTERCARD", "1", "a", "b"), ["a"]);
  });
});
