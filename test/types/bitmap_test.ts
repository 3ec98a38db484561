// The bitmap family over a real socket: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
// BITFIELD_RO, with Redis 7.0's replies, error texts, notifications and dirty counting. Range
// scans are checked against a plain JS model over values long enough to use the word paths.

import assert from "node:assert/strict";
import { runtimeName, test } from "../_harness.ts";
import { type ServerCtx, withServer } from "../_server.ts";
import { type RespClient, RespError, Status } from "../_resp_client.ts";
import { OFF_BITS, OFF_MASK } from "../../src/memory/arena.ts";
import {
  ENCODING_NAMES,
  OBJ_ENCODING_RAW,
  OBJ_MODULE,
  objEncoding,
} from "../../src/store/object.ts";
import { registerValueType } from "../../src/store/values.ts";

const T = `bitmap (${runtimeName})`;
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const str = (b: Uint8Array) => String.fromCharCode(...b);

const BIT_OFFSET = "ERR bit offset is not an integer or out of range";
const BIT_VALUE = "ERR bit is not an integer or out of range";
const NOT_INT = "ERR value is not an integer or out of range";
const SYNTAX = "ERR syntax error";
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const BF_TYPE =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

async function rejects(p: Promise<unknown>, text: string): Promise<void> {
  await assert.rejects(p, new RespError(text));
}

/** Record keyspace events through the server's notification hook (what pub/sub plugs into). */
async function recordEvents(ctx: ServerCtx): Promise<string[]> {
  await ctx.r.call("CONFIG", "SET", "notify-keyspace-events", "KEAn");
  const events: string[] = [];
  ctx.srv.server.onNotify = (_type, event, key, dbid) => {
    events.push(`${dbid}:${event}:${str(key)}`);
  };
  return events;
}

/** Store a key of a non-string type (a stand-in module value) to provoke WRONGTYPE. */
function putNonString(ctx: ServerCtx, key: string): void {
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
  const m = ctx.srv.server.heap;
  const v = m.alloc(8);
  const k = enc(key);
  ctx.srv.server.store.dbs[0].setValue(k, 0, k.length, OBJ_MODULE, OBJ_ENCODING_RAW, v, false);
}

/** OBJECT ENCODING of a key, read from the entry. */
function encodingOf(ctx: ServerCtx, key: string): string {
  const k = enc(key);
  const e = ctx.srv.server.store.dbs[0].find(k, 0, k.length);
  assert.notEqual(e, 0, `${key} exists`);
  return ENCODING_NAMES[objEncoding(ctx.srv.server.heap, e)];
}

/**
 * Pipeline in small batches: each batch goes out as one short write, so the test does not
 * depend on how the kernel splits a long request stream.
 */
async function batched(r: RespClient, cmds: (string | number)[][], size = 50): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < cmds.length; i += size) {
    out.push(...await r.pipeline(cmds.slice(i, i + size)));
  }
  return out;
}

/** Deterministic PRNG (mulberry32) so the model comparisons are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value with runs of 0x00, 0xff and random bytes, so word skipping and counting both matter. */
function runsValue(rand: () => number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  let i = 0;
  while (i < len) {
    const run = 1 + Math.floor(rand() * 64);
    const kind = Math.floor(rand() * 3);
    for (let j = 0; j < run && i < len; j++, i++) {
      b[i] = kind === 0 ? 0 : kind === 1 ? 0xff : Math.floor(rand() * 256);
    }
  }
  return b;
}

function modelBit(b: Uint8Array, i: number): number {
  return (b[i >> 3] >> (7 - (i & 7))) & 1;
}

function modelCount(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i <= to; i++) n += modelBit(b, i);
  return n;
}

function modelPos(b: Uint8Array, bit: number, from: number, to: number): number {
  for (let i = from; i <= to; i++) if (modelBit(b, i) === bit) return i;
  return -1;
}

// -- SETBIT and GETBIT --

test(`${T}: SETBIT returns the previous bit and GETBIT reads it back`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("SETBIT", "k", 7, 1), 0);
    assert.equal(await r.call("GET", "k"), "\x01");
    assert.equal(await r.call("SETBIT", "k", 7, 1), 1);
    assert.equal(await r.call("SETBIT", "k", 7, 0), 1);
    assert.equal(await r.call("SETBIT", "k", 0, 1), 0);
    assert.equal(await r.call("GETBIT", "k", 0), 1);
    assert.equal(await r.call("GETBIT", "k", 1), 0);
    assert.equal(await r.call("GET", "k"), "\x80");
  });
});

test(`${T}: SETBIT zero-pads the string up to the addressed byte`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "a");
    assert.equal(await r.call("SETBIT", "k", 33, 1), 0);
    assert.equal(await r.call("GET", "k"), "a\x00\x00\x00\x40");
    assert.equal(await r.call("STRLEN", "k"), 5);
  });
});

test(`${T}: GETBIT reads zero past the end of the string and for a missing key`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "k", "\xff");
    assert.equal(await r.call("GETBIT", "k", 7), 1);
    assert.equal(await r.call("GETBIT", "k", 8), 0);
    assert.equal(await r.call("GETBIT", "k", 4294967295), 0);
    assert.equal(await r.call("GETBIT", "missing", 100), 0);
  });
});

test(`${T}: GETBIT and SETBIT read an integer-encoded value as its digits`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "n", "1"); // "1" is 0x31 = 00110001
    assert.deepEqual(
      await r.pipeline([0, 1, 2, 3, 7].map((i) => ["GETBIT", "n", i])),
      [0, 0, 1, 1, 1],
    );
    assert.equal(await r.call("SETBIT", "n", 6, 1), 0);
    assert.equal(await r.call("GET", "n"), "3");
  });
});

test(`${T}: SETBIT rejects bad offsets and bit values with Redis's errors`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    for (const off of ["-1", "abc", "1.5", "", "4294967296", "#1", "9223372036854775808"]) {
      await rejects(r.call("SETBIT", "k", off, 1), BIT_OFFSET);
      await rejects(r.call("GETBIT", "k", off), BIT_OFFSET);
    }
    for (const v of ["2", "-1", "abc", "", "01"]) {
      await rejects(r.call("SETBIT", "k", 0, v), BIT_VALUE);
    }
    // the offset is checked before the value, both before the key's type
    putNonString(ctx, "obj");
    await rejects(r.call("SETBIT", "obj", -1, 5), BIT_OFFSET);
    await rejects(r.call("SETBIT", "obj", 0, 5), BIT_VALUE);
    await rejects(r.call("SETBIT", "obj", 0, 1), WRONGTYPE);
    await rejects(r.call("GETBIT", "obj", 0), WRONGTYPE);
    assert.equal(await r.call("EXISTS", "k"), 0);
  });
});

test(`${T}: the largest bit offset follows proto-max-bulk-len`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("CONFIG", "SET", "proto-max-bulk-len", 1024 * 1024);
    await rejects(r.call("SETBIT", "k", 8 * 1024 * 1024, 1), BIT_OFFSET);
    await rejects(r.call("BITFIELD", "k", "SET", "u8", "#1048576", 1), BIT_OFFSET);
    assert.equal(await r.call("SETBIT", "k", 8 * 1024 * 1024 - 1, 1), 0);
    assert.equal(await r.call("BITCOUNT", "k"), 1);
    assert.equal(await r.call("BITPOS", "k", 1), 8 * 1024 * 1024 - 1);
    assert.equal(await r.call("GETBIT", "k", 8 * 1024 * 1024 - 1), 1);
  });
});

test(`${T}: SETBIT leaves the value raw-encoded and keeps the TTL`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "k", "12", "EX", 1000);
    assert.equal(encodingOf(ctx, "k"), "int");
    assert.equal(await r.call("SETBIT", "k", 0, 0), 0); // no change, still made raw
    assert.equal(encodingOf(ctx, "k"), "raw");
    await r.call("SETBIT", "k", 100, 1);
    assert.equal(encodingOf(ctx, "k"), "raw");
    assert.equal(await r.call("STRLEN", "k"), 13);
    assert.ok((await r.call("TTL", "k")) as number > 990);
  });
});

test(`${T}: SETBIT counts dirty and notifies only when something changed`, async () => {
  await withServer({}, async (ctx) => {
    const { r, srv } = ctx;
    const events = await recordEvents(ctx);
    const d0 = srv.server.dirty;
    await r.call("SETBIT", "k", 0, 0); // created: always a change
    assert.equal(srv.server.dirty, d0 + 1);
    await r.call("SETBIT", "k", 0, 0); // same bit, same length
    assert.equal(srv.server.dirty, d0 + 1);
    await r.call("SETBIT", "k", 0, 1);
    await r.call("SETBIT", "k", 0, 1);
    assert.equal(srv.server.dirty, d0 + 2);
    await r.call("SETBIT", "k", 90, 0); // length only
    assert.equal(srv.server.dirty, d0 + 3);
    assert.deepEqual(events, ["0:new:k", "0:setbit:k", "0:setbit:k", "0:setbit:k"]);
  });
});

test(`${T}: SETBIT invalidates a WATCH on the key`, async () => {
  await withServer({}, async ({ r, client }) => {
    const other = await client();
    await r.call("SET", "k", "x");
    await r.call("WATCH", "k");
    await other.call("SETBIT", "k", 1, 0); // 'x' = 01111000: bit 1 is 1, clearing changes it
    await r.call("MULTI");
    await r.call("GET", "k");
    assert.equal(await r.call("EXEC"), null);
  });
});

// -- BITCOUNT --

test(`${T}: BITCOUNT counts set bits of whole strings`, async () => {
  await withServer({}, async ({ r }) => {
    for (const v of ["", "\xaa", "\x00\x00\xff", "foobar", "123"]) {
      await r.call("SET", "s", enc(v));
      let n = 0;
      for (const ch of enc(v)) for (let i = 0; i < 8; i++) n += (ch >> i) & 1;
      assert.equal(await r.call("BITCOUNT", "s"), n, `value ${JSON.stringify(v)}`);
      assert.equal(await r.call("BITCOUNT", "s", 0, -1, "BIT"), n);
    }
    assert.equal(await r.call("BITCOUNT", "missing"), 0);
    assert.equal(await r.call("BITCOUNT", "missing", 0, 1000, "bit"), 0);
  });
});

test(`${T}: BITCOUNT handles byte and bit ranges like Redis`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "s", "foobar");
    assert.equal(await r.call("BITCOUNT", "s", 1, 1), 6);
    assert.equal(await r.call("BITCOUNT", "s", 0, 0), 4);
    assert.equal(await r.call("BITCOUNT", "s", 5, 30, "BIT"), 17);
    assert.equal(await r.call("BITCOUNT", "s", -2, -1), 7);
    assert.equal(await r.call("BITCOUNT", "s", -100, 100), 26);
    assert.equal(await r.call("BITCOUNT", "s", 4, 2), 0);
    assert.equal(await r.call("BITCOUNT", "s", 10, 20), 0);
    assert.equal(await r.call("BITCOUNT", "s", 48, 100, "bit"), 0);
    // both negative with start > end answers 0 before the unit is even parsed
    assert.equal(await r.call("BITCOUNT", "s", -1, -2, "nonsense"), 0);
    assert.equal(
      await r.call("BITCOUNT", "s", "-9223372036854775807", "-9223372036854775808"),
      0,
    );
    assert.equal(
      await r.call("BITCOUNT", "s", "-9223372036854775808", "-9223372036854775807"),
      4,
    );
  });
});

test(`${T}: BITCOUNT argument errors`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "s", "foobar");
    await rejects(r.call("BITCOUNT", "s", 0), SYNTAX);
    await rejects(r.call("BITCOUNT", "s", 0, 1, "BIT", "x"), SYNTAX);
    await rejects(r.call("BITCOUNT", "s", 0, 1, "WORD"), SYNTAX);
    await rejects(r.call("BITCOUNT", "s", "a", 1), NOT_INT);
    await rejects(r.call("BITCOUNT", "s", 0, "1.5"), NOT_INT);
    // a missing key answers 0 before the arguments are looked at
    assert.equal(await r.call("BITCOUNT", "missing", 0), 0);
    putNonString(ctx, "obj");
    await rejects(r.call("BITCOUNT", "obj"), WRONGTYPE);
  });
});

test(`${T}: BITCOUNT matches a bit-by-bit model over long values`, async () => {
  await withServer({}, async ({ r }) => {
    const rand = rng(7);
    // keys of different lengths put the value at every alignment inside its entry
    for (const key of ["a", "bb", "ccc", "dddd"]) {
      const v = runsValue(rand, 3000 + Math.floor(rand() * 100));
      await r.call("SET", key, v);
      const bits = v.length * 8;
      assert.equal(await r.call("BITCOUNT", key), modelCount(v, 0, bits - 1));
      const cmds: (string | number)[][] = [];
      const want: number[] = [];
      for (let i = 0; i < 100; i++) {
        const s = Math.floor(rand() * v.length);
        const e = s + Math.floor(rand() * (v.length - s));
        cmds.push(["BITCOUNT", key, s, e]);
        want.push(modelCount(v, s * 8, e * 8 + 7));
        const sb = Math.floor(rand() * bits);
        const eb = sb + Math.floor(rand() * (bits - sb));
        cmds.push(["BITCOUNT", key, sb, eb, "BIT"]);
        want.push(modelCount(v, sb, eb));
      }
      assert.deepEqual(await batched(r, cmds), want);
    }
  });
});

// -- BITPOS --

test(`${T}: BITPOS on missing keys and empty strings`, async () => {
  await withServer({}, async ({ r }) => {
    assert.equal(await r.call("BITPOS", "missing", 0), 0);
    assert.equal(await r.call("BITPOS", "missing", 1), -1);
    assert.equal(await r.call("BITPOS", "missing", 0, 0, -1, "bit"), 0);
    await r.call("SET", "e", "");
    assert.equal(await r.call("BITPOS", "e", 0), -1);
    assert.equal(await r.call("BITPOS", "e", 1), -1);
    assert.equal(await r.call("BITPOS", "e", 0, 0), -1);
  });
});

test(`${T}: BITPOS finds the first set and clear bits`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "s", "\xff\xf0\x00");
    assert.equal(await r.call("BITPOS", "s", 0), 12);
    assert.equal(await r.call("BITPOS", "s", 1), 0);
    assert.equal(await r.call("BITPOS", "s", 1, 2), -1);
    assert.equal(await r.call("BITPOS", "s", 0, 1, -1, "BIT"), 12);
    assert.equal(await r.call("BITPOS", "s", 1, 7, 15, "bit"), 7);
    assert.equal(await r.call("BITPOS", "s", 1, 12, 23, "BIT"), -1);
    assert.equal(await r.call("BITPOS", "s", 0, 2, 1), -1); // empty range
  });
});

test(`${T}: BITPOS for a clear bit treats the string as zero-padded only without an end`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "s", "\xff\xff\xff");
    assert.equal(await r.call("BITPOS", "s", 0), 24);
    assert.equal(await r.call("BITPOS", "s", 0, 0), 24);
    assert.equal(await r.call("BITPOS", "s", 0, 1), 24);
    assert.equal(await r.call("BITPOS", "s", 0, 0, -1), -1);
    assert.equal(await r.call("BITPOS", "s", 0, 0, -1, "bit"), -1);
    assert.equal(await r.call("BITPOS", "s", 0, 0, 100), -1);
  });
});

test(`${T}: BITPOS argument errors`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "s", "\x00");
    await rejects(r.call("BITPOS", "s", 2), "ERR The bit argument must be 1 or 0.");
    await rejects(r.call("BITPOS", "missing", -1), "ERR The bit argument must be 1 or 0.");
    await rejects(r.call("BITPOS", "s", "x"), NOT_INT);
    await rejects(r.call("BITPOS", "s", 1, "x"), NOT_INT);
    await rejects(r.call("BITPOS", "s", 1, 0, "x"), NOT_INT);
    await rejects(r.call("BITPOS", "s", 1, 0, 1, "WORD"), SYNTAX);
    // the unit is checked before the end argument
    await rejects(r.call("BITPOS", "s", 1, 0, "x", "WORD"), SYNTAX);
    await rejects(r.call("BITPOS", "s", 1, 0, 1, "BIT", "x"), SYNTAX);
    putNonString(ctx, "obj");
    await rejects(r.call("BITPOS", "obj", 1), WRONGTYPE);
  });
});

test(`${T}: BITPOS matches a bit-by-bit model over long values`, async () => {
  await withServer({}, async ({ r }) => {
    const rand = rng(11);
    for (const key of ["a", "bb", "ccc", "dddd"]) {
      const v = runsValue(rand, 2000 + Math.floor(rand() * 100));
      // long uniform stretches make the word skipping do the work
      v.fill(0, 100, 900);
      v.fill(0xff, 1000, 1800);
      await r.call("SET", key, v);
      const bits = v.length * 8;
      const cmds: (string | number)[][] = [];
      const want: number[] = [];
      for (let i = 0; i < 150; i++) {
        const bit = i & 1;
        const s = Math.floor(rand() * v.length);
        const e = s + Math.floor(rand() * (v.length - s));
        cmds.push(["BITPOS", key, bit, s, e]);
        want.push(modelPos(v, bit, s * 8, e * 8 + 7));
        const sb = Math.floor(rand() * bits);
        const eb = sb + Math.floor(rand() * (bits - sb));
        cmds.push(["BITPOS", key, bit, sb, eb, "BIT"]);
        want.push(modelPos(v, bit, sb, eb));
        cmds.push(["BITPOS", key, bit, s]);
        const p = modelPos(v, bit, s * 8, bits - 1);
        want.push(p < 0 && bit === 0 ? bits : p);
      }
      assert.deepEqual(await batched(r, cmds), want);
    }
  });
});

// -- BITOP --

test(`${T}: BITOP AND, OR, XOR and NOT zero-pad shorter inputs`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "\xff\x0f\xaa");
    await r.call("SET", "b", "\x0f\xff");
    assert.equal(await r.call("BITOP", "AND", "d", "a", "b"), 3);
    assert.equal(await r.call("GET", "d"), "\x0f\x0f\x00");
    assert.equal(await r.call("BITOP", "or", "d", "a", "b"), 3);
    assert.equal(await r.call("GET", "d"), "\xff\xff\xaa");
    assert.equal(await r.call("BITOP", "Xor", "d", "a", "b", "missing"), 3);
    assert.equal(await r.call("GET", "d"), "\xf0\xf0\xaa");
    assert.equal(await r.call("BITOP", "NOT", "d", "b"), 2);
    assert.equal(await r.call("GET", "d"), "\xf0\x00");
    assert.equal(await r.call("BITOP", "AND", "d", "a", "missing"), 3);
    assert.equal(await r.call("GET", "d"), "\x00\x00\x00");
  });
});

test(`${T}: BITOP matches a byte model over long values of every alignment`, async () => {
  await withServer({}, async ({ r }) => {
    const rand = rng(3);
    const keys = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vals = keys.map(() => runsValue(rand, 500 + Math.floor(rand() * 1500)));
    for (let i = 0; i < keys.length; i++) await r.call("SET", keys[i], vals[i]);
    const ops: [string, (x: number, y: number) => number][] = [
      ["AND", (x, y) => x & y],
      ["OR", (x, y) => x | y],
      ["XOR", (x, y) => x ^ y],
    ];
    for (const [op, f] of ops) {
      const max = Math.max(...vals.map((v) => v.length));
      const want = new Uint8Array(max);
      for (let i = 0; i < max; i++) {
        let acc = i < vals[0].length ? vals[0][i] : 0;
        for (let j = 1; j < vals.length; j++) acc = f(acc, i < vals[j].length ? vals[j][i] : 0);
        want[i] = acc;
      }
      assert.equal(await r.call("BITOP", op, "dest", ...keys), max);
      assert.equal(await r.call("GET", "dest"), str(want), op);
    }
    assert.equal(await r.call("BITOP", "NOT", "dest", "ccc"), vals[2].length);
    assert.equal(await r.call("GET", "dest"), str(vals[2].map((x) => ~x & 0xff)));
  });
});

test(`${T}: BITOP can use its destination as a source`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "s", "\xaa\x55");
    assert.equal(await r.call("BITOP", "NOT", "s", "s"), 2);
    assert.equal(await r.call("GET", "s"), "\x55\xaa");
    await r.call("SET", "t", "\x0f");
    assert.equal(await r.call("BITOP", "OR", "s", "s", "t"), 2);
    assert.equal(await r.call("GET", "s"), "\x5f\xaa");
  });
});

test(`${T}: BITOP replaces the destination, drops its TTL and stores a raw string`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "src", "x");
    await r.call("SET", "dest", "old value", "EX", 1000);
    assert.equal(await r.call("BITOP", "OR", "dest", "src"), 1);
    assert.equal(await r.call("GET", "dest"), "x");
    assert.equal(await r.call("TTL", "dest"), -1);
    assert.equal(encodingOf(ctx, "dest"), "raw");
    putNonString(ctx, "obj");
    assert.equal(await r.call("BITOP", "OR", "obj", "src"), 1);
    assert.equal(await r.call("GET", "obj"), "x");
  });
});

test(`${T}: BITOP with an empty result deletes the destination`, async () => {
  await withServer({}, async (ctx) => {
    const { r, srv } = ctx;
    const events = await recordEvents(ctx);
    await r.call("SET", "dest", "v");
    await r.call("SET", "empty", "");
    events.length = 0;
    const d0 = srv.server.dirty;
    assert.equal(await r.call("BITOP", "AND", "dest", "missing", "empty"), 0);
    assert.equal(await r.call("EXISTS", "dest"), 0);
    assert.deepEqual(events, ["0:del:dest"]);
    assert.equal(srv.server.dirty, d0 + 1);
    // nothing to delete: no event, no dirty
    assert.equal(await r.call("BITOP", "OR", "dest", "missing"), 0);
    assert.deepEqual(events, ["0:del:dest"]);
    assert.equal(srv.server.dirty, d0 + 1);
  });
});

test(`${T}: BITOP notifies "set" on the destination and counts one change`, async () => {
  await withServer({}, async (ctx) => {
    const { r, srv } = ctx;
    const events = await recordEvents(ctx);
    await r.call("SET", "a", "1");
    events.length = 0;
    const d0 = srv.server.dirty;
    await r.call("BITOP", "NOT", "d", "a");
    await r.call("BITOP", "NOT", "d", "a");
    assert.deepEqual(events, ["0:new:d", "0:set:d", "0:set:d"]);
    assert.equal(srv.server.dirty, d0 + 2);
  });
});

test(`${T}: BITOP errors`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("SET", "a", "1");
    await rejects(r.call("BITOP", "NAND", "d", "a"), SYNTAX);
    await rejects(
      r.call("BITOP", "NOT", "d", "a", "a"),
      "ERR BITOP NOT must be called with a single source key.",
    );
    await rejects(r.call("BITOP", "AND", "d"), "ERR wrong number of arguments for 'bitop' command");
    putNonString(ctx, "obj");
    await rejects(r.call("BITOP", "AND", "d", "a", "obj"), WRONGTYPE);
    assert.equal(await r.call("EXISTS", "d"), 0);
  });
});

// -- BITFIELD --

test(`${T}: BITFIELD SET returns the old value and GET reads signed and unsigned fields`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("BITFIELD", "bits", "SET", "i8", 0, -100), [0]);
    assert.deepEqual(await r.call("BITFIELD", "bits", "SET", "i8", 0, 101), [-100]);
    assert.deepEqual(await r.call("BITFIELD", "bits", "GET", "i8", 0, "GET", "u8", 0), [101, 101]);
    assert.deepEqual(await r.call("BITFIELD", "bits", "SET", "u8", 0, 255, "GET", "i8", 0), [
      101,
      -1,
    ]);
    assert.deepEqual(
      await r.call("BITFIELD", "bits", "SET", "u8", 0, 255, "INCRBY", "u8", 0, 100, "GET", "u8", 0),
      [
        255,
        99,
        99,
      ],
    );
    assert.deepEqual(await r.call("BITFIELD", "bits"), []);
  });
});

test(`${T}: BITFIELD uses Redis's bit order for unaligned fields`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("BITFIELD", "k", "SET", "u5", 7, 23), [0]);
    assert.equal(await r.call("GET", "k"), "\x01\x70");
    assert.deepEqual(
      await r.call("BITFIELD", "k", "GET", "u5", 7, "GET", "i5", 7, "GET", "u3", 8),
      [23, -9, 3],
    );
  });
});

test(`${T}: BITFIELD #N offsets count in units of the type's width`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call(
      "BITFIELD",
      "k",
      "SET",
      "u8",
      "#0",
      65,
      "SET",
      "u8",
      "#1",
      66,
      "SET",
      "u8",
      "#2",
      67,
    );
    assert.equal(await r.call("GET", "k"), "ABC");
    assert.deepEqual(await r.call("BITFIELD", "k", "GET", "u4", "#1", "GET", "i12", "#1"), [
      1,
      579,
    ]);
  });
});

test(`${T}: BITFIELD GET past the end reads zeros and does not create the key`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("BITFIELD", "missing", "GET", "i64", 1000), [0]);
    assert.equal(await r.call("EXISTS", "missing"), 0);
    await r.call("SET", "k", "\xff");
    assert.deepEqual(
      await r.call("BITFIELD", "k", "GET", "u16", 0, "GET", "i9", 0, "GET", "u8", 4),
      [
        0xff00,
        -2,
        0xf0,
      ],
    );
    await r.call("SET", "one", "1");
    assert.deepEqual(await r.call("BITFIELD", "one", "GET", "u1", 0), [0]);
  });
});

test(`${T}: BITFIELD overflow WRAP, SAT and FAIL`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("BITFIELD", "b", "SET", "u8", 0, 100);
    assert.deepEqual(await r.call("BITFIELD", "b", "OVERFLOW", "WRAP", "INCRBY", "u8", 0, 257), [
      101,
    ]);
    assert.deepEqual(await r.call("BITFIELD", "b", "overflow", "wrap", "INCRBY", "u8", 0, 255), [
      100,
    ]);
    assert.deepEqual(await r.call("BITFIELD", "b", "OVERFLOW", "SAT", "INCRBY", "u8", 0, 257), [
      255,
    ]);
    assert.deepEqual(await r.call("BITFIELD", "b", "OVERFLOW", "SAT", "INCRBY", "u8", 0, -1000), [
      0,
    ]);
    await r.call("BITFIELD", "b", "SET", "i8", 0, 100);
    assert.deepEqual(await r.call("BITFIELD", "b", "INCRBY", "i8", 0, 257), [101]);
    assert.deepEqual(await r.call("BITFIELD", "b", "OVERFLOW", "SAT", "INCRBY", "i8", 0, 100), [
      127,
    ]);
    assert.deepEqual(await r.call("BITFIELD", "b", "OVERFLOW", "SAT", "INCRBY", "i8", 0, -300), [
      -128,
    ]);
    // FAIL answers nil for that operation only and leaves the field alone
    assert.deepEqual(
      await r.call(
        "BITFIELD",
        "b",
        "OVERFLOW",
        "FAIL",
        "INCRBY",
        "i8",
        0,
        -1,
        "INCRBY",
        "i8",
        0,
        1,
        "GET",
        "i8",
        0,
      ),
      [null, -127, -127],
    );
    // the overflow mode applies to the operations after it
    assert.deepEqual(
      await r.call(
        "BITFIELD",
        "c",
        "INCRBY",
        "u2",
        0,
        5,
        "OVERFLOW",
        "SAT",
        "INCRBY",
        "u2",
        0,
        5,
        "OVERFLOW",
        "FAIL",
        "SET",
        "u2",
        0,
        4,
      ),
      [1, 3, null],
    );
  });
});

test(`${T}: BITFIELD SET with an out-of-range value wraps, saturates or fails`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("BITFIELD", "k", "SET", "u8", 0, 300, "GET", "u8", 0), [0, 44]);
    assert.deepEqual(await r.call("BITFIELD", "k", "SET", "u8", 0, -1, "GET", "u8", 0), [44, 255]);
    assert.deepEqual(
      await r.call("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", 0, 200, "GET", "i8", 0),
      [-1, 127],
    );
    assert.deepEqual(
      await r.call("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", 0, -200, "GET", "i8", 0),
      [127, -128],
    );
    // unsigned: a negative value is a huge uint64, so SAT stores the maximum
    assert.deepEqual(
      await r.call("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", 0, -5, "GET", "u8", 0),
      [128, 255],
    );
    assert.deepEqual(
      await r.call("BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", 0, 256, "GET", "u8", 0),
      [null, 255],
    );
    // Redis's int64 arithmetic in the signed check: the most negative values saturate upward
    assert.deepEqual(
      await r.call(
        "BITFIELD",
        "k",
        "OVERFLOW",
        "SAT",
        "SET",
        "i8",
        0,
        "-9223372036854775808",
        "GET",
        "i8",
        0,
      ),
      [-1, 127],
    );
  });
});

test(`${T}: BITFIELD is exact for 64-bit signed and 63-bit unsigned fields`, async () => {
  await withServer({}, async ({ r }) => {
    const max = 9223372036854775807n;
    const min = -9223372036854775808n;
    assert.deepEqual(
      await r.call("BITFIELD", "k", "SET", "i64", 0, max.toString(), "GET", "i64", 0),
      [0, max],
    );
    assert.deepEqual(await r.call("BITFIELD", "k", "INCRBY", "i64", 0, 1), [min]);
    assert.deepEqual(await r.call("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i64", 0, -1), [
      min,
    ]);
    assert.deepEqual(await r.call("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "i64", 0, -1), [
      null,
    ]);
    assert.deepEqual(await r.call("BITFIELD", "k", "INCRBY", "i64", 0, max.toString()), [-1]);
    assert.deepEqual(await r.call("BITFIELD", "k", "GET", "u63", 0, "GET", "u63", 1), [max, max]);
    // bits 3..65: 61 ones from the old value, then two zero bits the string grows by
    assert.deepEqual(
      await r.call(
        "BITFIELD",
        "k",
        "SET",
        "u63",
        3,
        "9007199254740993",
        "GET",
        "u63",
        3,
        "GET",
        "i64",
        3,
      ),
      [max - 3n, 9007199254740993n, 18014398509481986n],
    );
    assert.equal(await r.call("STRLEN", "k"), 9);
    assert.deepEqual(
      await r.call("BITFIELD", "j", "SET", "i33", 5, "-4294967296", "INCRBY", "i33", 5, -1),
      [0, 4294967295],
    );
  });
});

test(`${T}: BITFIELD argument errors are reported before the key is touched`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    for (const t of ["u64", "i65", "u0", "x8", "i", "I8", "i08", "", "u-1"]) {
      await rejects(r.call("BITFIELD", "k", "GET", t, 0), BF_TYPE);
    }
    await rejects(r.call("BITFIELD", "k", "GET", "u8", -1), BIT_OFFSET);
    await rejects(r.call("BITFIELD", "k", "GET", "u8", "#-1"), BIT_OFFSET);
    await rejects(r.call("BITFIELD", "k", "GET", "u8", "4294967296"), BIT_OFFSET);
    await rejects(r.call("BITFIELD", "k", "SET", "u8", 0, "x"), NOT_INT);
    await rejects(r.call("BITFIELD", "k", "INCRBY", "u8", 0, "9223372036854775808"), NOT_INT);
    await rejects(
      r.call("BITFIELD", "k", "OVERFLOW", "BAD"),
      "ERR Invalid OVERFLOW type specified",
    );
    await rejects(r.call("BITFIELD", "k", "GET", "u8"), SYNTAX);
    await rejects(r.call("BITFIELD", "k", "SET", "u8", 0), SYNTAX);
    await rejects(r.call("BITFIELD", "k", "FOO", "u8", 0), SYNTAX);
    await rejects(r.call("BITFIELD", "k", "OVERFLOW"), SYNTAX);
    // an error in a later operation cancels the earlier ones
    await rejects(r.call("BITFIELD", "k", "SET", "u8", 0, 1, "GET", "u64", 0), BF_TYPE);
    assert.equal(await r.call("EXISTS", "k"), 0);
    putNonString(ctx, "obj");
    await rejects(r.call("BITFIELD", "obj", "GET", "u8", 0), WRONGTYPE);
    await rejects(r.call("BITFIELD", "obj"), WRONGTYPE);
    await rejects(r.call("BITFIELD", "obj", "SET", "u8", 0, 1), WRONGTYPE);
  });
});

test(`${T}: BITFIELD_RO only allows GET`, async () => {
  await withServer({}, async (ctx) => {
    const { r } = ctx;
    await r.call("BITFIELD", "k", "SET", "u8", 0, 200);
    assert.deepEqual(await r.call("BITFIELD_RO", "k", "GET", "u8", 0, "GET", "i8", 0), [200, -56]);
    assert.deepEqual(await r.call("BITFIELD_RO", "k"), []);
    const err = "ERR BITFIELD_RO only supports the GET subcommand";
    await rejects(r.call("BITFIELD_RO", "k", "SET", "u8", 0, 1), err);
    await rejects(r.call("BITFIELD_RO", "k", "GET", "u8", 0, "INCRBY", "u8", 0, 1), err);
    // argument errors come first
    await rejects(r.call("BITFIELD_RO", "k", "SET", "u64", 0, 1), BF_TYPE);
    putNonString(ctx, "obj");
    await rejects(r.call("BITFIELD_RO", "obj", "SET", "u8", 0, 1), err);
    await rejects(r.call("BITFIELD_RO", "obj", "GET", "u8", 0), WRONGTYPE);
    assert.deepEqual(await r.call("BITFIELD_RO", "k", "GET", "u8", 0), [200]);
  });
});

test(`${T}: BITFIELD counts one change per write that changed something`, async () => {
  await withServer({}, async (ctx) => {
    const { r, srv } = ctx;
    const events = await recordEvents(ctx);
    const d0 = srv.server.dirty;
    await r.call("BITFIELD", "k", "SET", "i5", 0, 0); // created
    assert.equal(srv.server.dirty, d0 + 1);
    await r.call("BITFIELD", "k", "SET", "i5", 0, 0, "GET", "u8", 0);
    assert.equal(srv.server.dirty, d0 + 1);
    await r.call("BITFIELD", "k", "SET", "i5", 0, 1, "SET", "i5", 0, 1, "INCRBY", "u3", 5, 1);
    assert.equal(srv.server.dirty, d0 + 3);
    await r.call("BITFIELD", "k", "SET", "i5", 90, 0, "SET", "u2", 0, 0); // grows: both count
    assert.equal(srv.server.dirty, d0 + 5);
    await r.call("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", 0, 9);
    assert.equal(srv.server.dirty, d0 + 5);
    assert.deepEqual(events, ["0:new:k", "0:setbit:k", "0:setbit:k", "0:setbit:k"]);
    assert.equal(encodingOf(ctx, "k"), "raw");
  });
});

test(`${T}: BITFIELD with FAIL on a new key still creates the zeroed key`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", 8, 999), [
      null,
    ]);
    assert.equal(await r.call("GET", "k"), "\x00\x00");
  });
});

test(`${T}: BITFIELD wrap arithmetic matches a model for every width`, async () => {
  await withServer({}, async ({ r }) => {
    const rand = rng(5);
    const rnd64 = () =>
      BigInt.asIntN(
        64,
        (BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32)),
      );
    const cmds: (string | number)[][] = [];
    const want: bigint[] = [];
    for (let i = 0; i < 300; i++) {
      const signed = rand() < 0.5;
      const bits = 1 + Math.floor(rand() * (signed ? 64 : 63));
      const type = `${signed ? "i" : "u"}${bits}`;
      const v = rand() < 0.5 ? rnd64() : BigInt(Math.floor(rand() * 2 ** 20) - 2 ** 19);
      const inc = rand() < 0.5 ? rnd64() : BigInt(Math.floor(rand() * 2 ** 20) - 2 ** 19);
      const off = Math.floor(rand() * 40);
      cmds.push([
        "BITFIELD",
        `k${i}`,
        "SET",
        type,
        off,
        v.toString(),
        "INCRBY",
        type,
        off,
        inc.toString(),
      ]);
      const wrap = (x: bigint) => signed ? BigInt.asIntN(bits, x) : BigInt.asUintN(bits, x);
      want.push(wrap(wrap(v) + inc));
    }
    const got = (await batched(r, cmds)) as [unknown, number | bigint][];
    assert.deepEqual(got.map((x) => BigInt(x[1])), want);
  });
});

test(`${T}: bitmap commands are listed with Redis's arity and flags`, async () => {
  await withServer({}, async ({ r }) => {
    const info = (await r.call("COMMAND", "INFO", "setbit", "bitfield_ro", "bitop")) as unknown[][];
    assert.equal(info[0][0], "setbit");
    assert.equal(info[0][1], 4);
    assert.deepEqual(info[0][2], [new Status("write"), new Status("denyoom")]);
    assert.equal(info[1][1], -2);
    assert.deepEqual(info[1][2], [new Status("readonly"), new Status("fast")]);
    assert.deepEqual(info[2].slice(1, 6), [
      -4,
      [new Status("write"), new Status("denyoom")],
      2,
      -1,
      1,
    ]);
  });
});
