// Server introspection over a real socket: COMMAND and its subcommands (reply shapes in RESP2
// and RESP3, key specs, GETKEYS/GETKEYSANDFLAGS), TIME/LASTSAVE/ROLE/LOLWUT, MONITOR, SHUTDOWN
// and LATENCY; plus the key-spec derivation (legacy range, movablekeys) on synthetic specs.

import assert from "node:assert/strict";
import { runtimeName, sleep, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { type Reply, RespError, Status } from "../_resp_client.ts";
import { Argv } from "../../src/protocol/resp_parser.ts";
import {
  buildCommand,
  type CommandDef,
  MOVABLE_KEYS,
  READONLY,
  WRITE,
} from "../../src/server/command.ts";
import { getKeysWithFlags, keyInfo, setShutdownSaver } from "../../src/server/introspection.ts";

const T = `introspection (${runtimeName})`;
const OK = new Status("OK");
const st = (...xs: string[]) => xs.map((x) => new Status(x));

// ---- COMMAND ----

test(`${T}: COMMAND, COMMAND COUNT and COMMAND LIST agree with the table`, async () => {
  await withServer({}, async ({ r, srv }) => {
    const all = await r.call("COMMAND") as Reply[][];
    const count = await r.call("COMMAND", "COUNT");
    assert.equal(count, srv.server.commands.byName.size);
    assert.equal(all.length, count);
    const list = await r.call("COMMAND", "LIST") as string[];
    assert.equal(list.length, srv.server.commands.all().length);
    assert.ok(list.includes("set") && list.includes("config|get") && list.includes("command|docs"));
    assert.deepEqual(all.map((c) => c[0]).sort(), list.filter((n) => !n.includes("|")).sort());
  });
});

test(`${T}: COMMAND INFO GET has Redis's ten fields with the key spec`, async () => {
  await withServer({}, async ({ r }) => {
    const info = await r.call("COMMAND", "INFO", "get");
    assert.deepEqual(info, [[
      "get",
      2,
      st("readonly", "fast"),
      1,
      1,
      1,
      st("@read", "@string", "@fast"),
      [],
      [[
        "flags",
        st("RO", "access"),
        "begin_search",
        ["type", "index", "spec", ["index", 1]],
        "find_keys",
        ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]],
      ]],
      [],
    ]]);
  });
});

test(`${T}: COMMAND INFO in RESP3 uses sets and maps`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HELLO", "3");
    const [info] = await r.call("COMMAND", "INFO", "get") as Reply[][];
    assert.deepEqual(info[2], new Set(st("readonly", "fast")));
    const specs = info[8] as Set<Map<Reply, Reply>>;
    assert.ok(specs instanceof Set);
    const spec = [...specs][0];
    assert.deepEqual(spec.get("flags"), new Set(st("RO", "access")));
    assert.deepEqual(
      spec.get("begin_search"),
      new Map<Reply, Reply>([["type", "index"], ["spec", new Map([["index", 1]])]]),
    );
    assert.deepEqual(info[9], new Set());
  });
});

test(`${T}: COMMAND INFO looks up container|sub names and replies null for unknown ones`, async () => {
  await withServer({}, async ({ r }) => {
    const reply = await r.call(
      "COMMAND",
      "INFO",
      "CONFIG|GET",
      "nosuch",
      "get|key",
      "config|get|key",
    ) as Reply[];
    assert.equal((reply[0] as Reply[])[0], "config|get");
    assert.equal((reply[0] as Reply[])[1], -3);
    assert.deepEqual(reply.slice(1), [null, null, null]);
    const [latency] = await r.call("COMMAND", "INFO", "latency") as Reply[][];
    assert.deepEqual(latency.slice(0, 7), ["latency", -2, [], 0, 0, 0, st("@slow")]);
    const subs = (latency[9] as Reply[][]).map((s) => s[0]);
    assert.deepEqual(subs.sort(), [
      "latency|doctor",
      "latency|graph",
      "latency|help",
      "latency|histogram",
      "latency|history",
      "latency|latest",
      "latency|reset",
    ]);
  });
});

test(`${T}: COMMAND DOCS describes arguments as redis-cli expects`, async () => {
  await withServer({}, async ({ r }) => {
    const docs = await r.call("COMMAND", "DOCS", "command|list", "nosuch") as Reply[];
    assert.equal(docs.length, 2, "unknown names are left out");
    assert.equal(docs[0], "command|list");
    const d = docs[1] as Reply[];
    const map = new Map<Reply, Reply>();
    for (let i = 0; i < d.length; i += 2) map.set(d[i], d[i + 1]);
    assert.equal(map.get("since"), "7.0.0");
    assert.equal(map.get("group"), "server");
    assert.deepEqual(map.get("arguments"), [[
      "name",
      "filterby",
      "type",
      "oneof",
      "token",
      "FILTERBY",
      "flags",
      st("optional"),
      "arguments",
      [
        ["name", "module-name", "type", "string", "token", "MODULE"],
        ["name", "category", "type", "string", "token", "ACLCAT"],
        ["name", "pattern", "type", "pattern", "token", "PATTERN"],
      ],
    ]]);
    const [, get] = await r.call("COMMAND", "DOCS", "get") as Reply[];
    const args = (get as Reply[])[(get as Reply[]).indexOf("arguments") + 1];
    assert.deepEqual(args, [["name", "key", "type", "key", "key_spec_index", 0]]);
    const [, debug] = await r.call("COMMAND", "DOCS", "debug") as Reply[];
    assert.deepEqual((debug as Reply[])[(debug as Reply[]).indexOf("doc_flags") + 1], st("syscmd"));
    await r.call("HELLO", "3");
    const all = await r.call("COMMAND", "DOCS") as Map<Reply, Reply>;
    assert.ok(all instanceof Map);
    const cfg = all.get("config") as Map<Reply, Reply>;
    assert.ok((cfg.get("subcommands") as Map<Reply, Reply>).has("config|get"));
  });
});

test(`${T}: COMMAND LIST FILTERBY pattern, ACL category and module`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "get"), ["get"]);
    const re = await r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "config|*re*") as string[];
    assert.deepEqual(re.sort(), ["config|resetstat", "config|rewrite"]);
    assert.ok(
      (await r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "CONFIG*") as string[]).includes(
        "config|get",
      ),
    );
    const fast = await r.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "fast") as string[];
    assert.ok(fast.includes("get") && fast.includes("time") && !fast.includes("info"));
    assert.deepEqual(await r.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcat"), []);
    assert.deepEqual(await r.call("COMMAND", "LIST", "FILTERBY", "MODULE", "mymod"), []);
    for (
      const args of [["bad"], ["FILTERBY", "bad", "x"], ["FILTERBY", "PATTERN"], [
        "FILTERBY",
        "PATTERN",
        "a",
        "b",
      ]]
    ) {
      await assert.rejects(r.call("COMMAND", "LIST", ...args), new RespError("ERR syntax error"));
    }
  });
});

test(`${T}: COMMAND GETKEYS and GETKEYSANDFLAGS`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "GET", "k"), ["k"]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"), ["a", "b"]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYSANDFLAGS", "GET", "k"), [[
      "k",
      st("RO", "access"),
    ]]);
    assert.deepEqual(
      await r.call("COMMAND", "GETKEYSANDFLAGS", "MSET", "a", "1", "b", "2"),
      [["a", st("OW", "update")], ["b", st("OW", "update")]],
    );
    assert.deepEqual(await r.call("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v"), [[
      "k",
      st("OW", "update"),
    ]]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "GET"), [[
      "k",
      st("RW", "access", "update"),
    ]]);
    assert.deepEqual(await r.call("COMMAND", "GETKEYS", "MEMORY", "USAGE", "k"), ["k"]);
    const cases: [string[], string][] = [
      [["NOSUCH", "a"], "ERR Invalid command specified"],
      [["CONFIG", "NOSUCH", "a"], "ERR Invalid command specified"],
      [["CONFIG", "GET", "x"], "ERR The command has no key arguments"],
      [["PING", "x"], "ERR The command has no key arguments"],
      [["GET", "a", "b"], "ERR Invalid number of arguments specified for command"],
    ];
    for (const [args, err] of cases) {
      await assert.rejects(
        r.call("COMMAND", "GETKEYS", ...args),
        new RespError(err),
        args.join(" "),
      );
    }
    await assert.rejects(
      r.call("COMMAND", "GETKEYS", "GET"),
      new RespError("ERR wrong number of arguments for 'command|getkeys' command"),
    );
  });
});

test(`${T}: COMMAND HELP lists the subcommands as status lines`, async () => {
  await withServer({}, async ({ r }) => {
    const help = await r.call("COMMAND", "HELP") as Status[];
    assert.deepEqual(
      help[0],
      new Status("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
    );
    assert.deepEqual(help.slice(-2), st("HELP", "    Prints this help."));
    assert.equal(help.length, 21);
  });
});

// ---- key spec derivation ----

function cmdOf(def: Partial<CommandDef>) {
  return buildCommand(
    { name: "x", arity: -2, flags: READONLY, summary: "s", since: "1.0.0", ...def },
    "generic",
    null,
  );
}

test(`${T}: key specs give the legacy key range and movablekeys as Redis derives them`, () => {
  const range = { lastkey: 0, keystep: 1, limit: 0 };
  // one plain range spec: its own triple
  let k = keyInfo(cmdOf({ keys: { first: 1, last: -1, step: 2 }, keyFlags: ["OW", "update"] }));
  assert.deepEqual([k.first, k.last, k.step, k.movable], [1, -1, 2, false]);
  // two consecutive index specs (LMOVE): merged, not movable
  k = keyInfo(
    cmdOf({
      keySpecs: [{ flags: ["RW"], bs: { index: 1 }, fk: range }, {
        flags: ["RW"],
        bs: { index: 2 },
        fk: range,
      }],
    }),
  );
  assert.deepEqual([k.first, k.last, k.step, k.movable], [1, 2, 1, false]);
  // a range to the end after a fixed key (BITOP-like)
  k = keyInfo(
    cmdOf({
      keySpecs: [{ flags: ["OW"], bs: { index: 2 }, fk: range }, {
        flags: ["RO"],
        bs: { index: 3 },
        fk: { lastkey: -1, keystep: 1, limit: 0 },
      }],
    }),
  );
  assert.deepEqual([k.first, k.last, k.step, k.movable], [2, -1, 1, false]);
  // keynum and keyword specs make the command movable (ZUNIONSTORE, SORT ... STORE)
  k = keyInfo(
    cmdOf({
      keySpecs: [{ flags: ["OW"], bs: { index: 1 }, fk: range }, {
        flags: ["RO"],
        bs: { index: 2 },
        fk: { keynumidx: 0, firstkey: 1, keystep: 1 },
      }],
    }),
  );
  assert.deepEqual([k.first, k.last, k.step, k.movable], [1, 1, 1, true]);
  k = keyInfo(
    cmdOf({
      keySpecs: [{
        flags: ["RO"],
        bs: { keyword: "STREAMS", startfrom: 1 },
        fk: { lastkey: -1, keystep: 1, limit: 2 },
      }],
    }),
  );
  assert.deepEqual([k.first, k.last, k.step, k.movable], [0, 0, 0, true]);
  // an incomplete spec keeps its range but is movable
  k = keyInfo(cmdOf({ keySpecs: [{ flags: ["RO", "incomplete"], bs: { index: 1 }, fk: range }] }));
  assert.deepEqual([k.first, k.last, k.movable], [1, 1, true]);
  // derived: getKeys with MOVABLE_KEYS adds an unknown spec after the fixed range
  k = keyInfo(
    cmdOf({
      flags: WRITE | MOVABLE_KEYS,
      keys: { first: 1, last: 1, step: 1 },
      getKeys: () => [1],
      keyFlags: ["OW", "update"],
    }),
  );
  assert.equal(k.specs.length, 2);
  assert.equal(k.specs[1].bs, "unknown");
  assert.deepEqual([k.first, k.last, k.step, k.movable], [1, 1, 1, true]);
});

test(`${T}: keys are found through keyword, keynum and limited range specs`, () => {
  const xread = cmdOf({
    arity: -4,
    keySpecs: [{
      flags: ["RO", "access"],
      bs: { keyword: "STREAMS", startfrom: 1 },
      fk: { lastkey: -1, keystep: 1, limit: 2 },
    }],
  });
  const keys = (c: ReturnType<typeof cmdOf>, ...args: string[]) =>
    getKeysWithFlags(c, Argv.of(args)).map((k) => `${args[k.pos]}:${k.flags.join(",")}`);
  assert.deepEqual(keys(xread, "XREAD", "COUNT", "2", "streams", "a", "b", "0", "0"), [
    "a:RO,access",
    "b:RO,access",
  ]);
  assert.deepEqual(keys(xread, "XREAD", "COUNT", "2", "a", "b"), []);
  const zunion = cmdOf({
    arity: -4,
    keySpecs: [
      { flags: ["OW", "update"], bs: { index: 1 }, fk: { lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ["RO", "access"], bs: { index: 2 }, fk: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    ],
  });
  assert.deepEqual(keys(zunion, "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"), [
    "d:OW,update",
    "a:RO,access",
    "b:RO,access",
  ]);
  assert.deepEqual(keys(zunion, "ZUNIONSTORE", "d", "3", "a", "b"), [], "more keys than arguments");
  assert.deepEqual(keys(zunion, "ZUNIONSTORE", "d", "x", "a"), [], "a non-numeric key count");
  const sortLike = cmdOf({
    arity: -2,
    keySpecs: [
      { flags: ["RO", "access"], bs: { index: 1 }, fk: { lastkey: 0, keystep: 1, limit: 0 } },
      {
        flags: ["OW", "update"],
        bs: { keyword: "STORE", startfrom: -1 },
        fk: { lastkey: 0, keystep: 1, limit: 0 },
      },
    ],
  });
  assert.deepEqual(keys(sortLike, "SORT", "k", "STORE", "d"), ["k:RO,access", "d:OW,update"]);
  assert.deepEqual(keys(sortLike, "SORT", "k"), ["k:RO,access"]);
});

// ---- TIME, LASTSAVE, ROLE, LOLWUT ----

test(`${T}: TIME, LASTSAVE, ROLE and LOLWUT`, async () => {
  await withServer({}, async ({ r, srv }) => {
    const [sec, usec] = await r.call("TIME") as string[];
    assert.match(sec, /^\d+$/);
    assert.match(usec, /^\d{1,6}$/);
    assert.ok(Math.abs(Number(sec) - Date.now() / 1000) < 5);
    assert.equal(await r.call("LASTSAVE"), Math.floor(srv.server.lastSaveMs / 1000));
    assert.deepEqual(await r.call("ROLE"), ["master", 0, []]);
    assert.equal(await r.call("LOLWUT"), "Redis ver. 7.0.15\n");
    await assert.rejects(
      r.call("LOLWUT", "VERSION", "x"),
      new RespError("ERR value is not an integer or out of range"),
    );
    await assert.rejects(
      r.call("TIME", "x"),
      new RespError("ERR wrong number of arguments for 'time' command"),
    );
  });
});

// ---- MONITOR ----

test(`${T}: MONITOR streams other clients' commands in Redis's format, not admin ones`, async () => {
  await withServer({}, async ({ r, client }) => {
    const mon = await client();
    assert.deepEqual(await mon.call("MONITOR"), OK);
    await r.call("SET", "foo", 'a b\n"\x01');
    await r.call("CONFIG", "GET", "maxmemory"); // admin: not shown
    await r.call("SELECT", "2");
    await r.call("GET", "foo");
    const l1 = await mon.read() as Status;
    assert.match(l1.value, /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "foo" "a b\\n\\"\\x01"$/);
    assert.match((await mon.read() as Status).value, /\[2 127\.0\.0\.1:\d+\] "SELECT" "2"$/);
    assert.match((await mon.read() as Status).value, /\[2 127\.0\.0\.1:\d+\] "GET" "foo"$/);
  });
});

test(`${T}: MONITOR shows MULTI/EXEC in execution order and refuses to run inside EXEC`, async () => {
  await withServer({}, async ({ r, client }) => {
    const mon = await client();
    await mon.call("MONITOR");
    await r.call("MULTI");
    await r.call("SET", "k", "v");
    await r.call("EXEC");
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) {
      lines.push((await mon.read() as Status).value.replace(/^.*\] /, ""));
    }
    assert.deepEqual(lines, ['"MULTI"', '"SET" "k" "v"', '"EXEC"']);
    await r.call("MULTI");
    await r.call("MONITOR");
    assert.deepEqual(await r.call("EXEC"), [
      new RespError("ERR MONITOR isn't allowed for DENY BLOCKING client"),
    ]);
  });
});

test(`${T}: a second MONITOR on a monitoring client is ignored without a reply`, async () => {
  await withServer({}, async ({ r, client }) => {
    const mon = await client();
    await mon.call("MONITOR");
    mon.send("MONITOR");
    await sleep(20);
    await r.call("PING");
    assert.match((await mon.read() as Status).value, /"PING"$/);
  });
});

// ---- SHUTDOWN ----

test(`${T}: SHUTDOWN rejects bad option combinations and ABORT without a shutdown`, async () => {
  await withServer({}, async ({ r }) => {
    for (const args of [["NOSAVE", "SAVE"], ["ABORT", "NOW"], ["BOGUS"]]) {
      await assert.rejects(r.call("SHUTDOWN", ...args), new RespError("ERR syntax error"));
    }
    await assert.rejects(
      r.call("SHUTDOWN", "ABORT"),
      new RespError("ERR No shutdown in progress."),
    );
    await r.call("MULTI");
    await assert.rejects(
      r.call("SHUTDOWN"),
      new RespError("ERR Command not allowed inside a transaction"),
    );
    await r.call("DISCARD");
  });
});

test(`${T}: SHUTDOWN NOSAVE closes every connection and stops the server`, async () => {
  await withServer({}, async ({ r, srv, client }) => {
    const other = await client();
    r.send("SHUTDOWN", "NOSAVE");
    await r.waitClosed();
    await other.waitClosed();
    assert.ok(srv.server.isShuttingDown);
  });
});

test(`${T}: SHUTDOWN SAVE without persistence shuts down; a failing save needs FORCE`, async () => {
  await withServer({}, async ({ r, srv }) => {
    let saves = 0;
    setShutdownSaver(srv.server, () => {
      saves++;
      return false;
    });
    await assert.rejects(
      r.call("SHUTDOWN", "SAVE"),
      new RespError("ERR Errors trying to SHUTDOWN. Check logs."),
    );
    assert.equal(saves, 1);
    assert.ok(!srv.server.isShuttingDown);
    r.send("SHUTDOWN", "SAVE", "FORCE");
    await r.waitClosed();
    assert.equal(saves, 2);
    assert.ok(srv.server.isShuttingDown);
  });
  await withServer({}, async ({ r, srv }) => {
    r.send("SHUTDOWN", "SAVE");
    await r.waitClosed();
    assert.ok(srv.server.isShuttingDown);
  });
});

// ---- LATENCY ----

test(`${T}: LATENCY records events over latency-monitor-threshold`, async () => {
  await withServer({ "enable-debug-command": "yes" }, async ({ r, srv }) => {
    assert.deepEqual(await r.call("LATENCY", "LATEST"), []);
    await r.call("DEBUG", "SLEEP", "0.02"); // monitor off: nothing recorded
    assert.deepEqual(await r.call("LATENCY", "LATEST"), []);
    await r.call("CONFIG", "SET", "latency-monitor-threshold", "10");
    await r.call("DEBUG", "SLEEP", "0.03");
    const [[name, time, latest, max]] = await r.call("LATENCY", "LATEST") as [
      string,
      number,
      number,
      number,
    ][];
    assert.equal(name, "command");
    assert.ok(Math.abs(time - Date.now() / 1000) < 5);
    assert.ok(latest >= 30 && max === latest, `latency ${latest}`);
    const hist = await r.call("LATENCY", "HISTORY", "command") as number[][];
    assert.equal(hist.length, 1);
    assert.deepEqual(hist[0], [time, latest]);
    assert.deepEqual(await r.call("LATENCY", "HISTORY", "nosuch"), []);
    const graph = await r.call("LATENCY", "GRAPH", "command") as string;
    assert.ok(
      graph.startsWith(
        `command - high ${latest} ms, low ${latest} ms (all time high ${latest} ms)\n${
          "-".repeat(80)
        }\n`,
      ),
    );
    await assert.rejects(
      r.call("LATENCY", "GRAPH", "nosuch"),
      new RespError("ERR No samples available for event 'nosuch'"),
    );
    assert.match(await r.call("LATENCY", "DOCTOR") as string, /command/);
    srv.server.latencySample("expire-cycle", 25); // internal events report through the server
    srv.server.latencySample("eviction-cycle", 5); // under the threshold: dropped
    const events = (await r.call("LATENCY", "LATEST") as Reply[][]).map((e) => e[0]);
    assert.deepEqual(events, ["command", "expire-cycle"]);
    assert.equal(await r.call("LATENCY", "RESET", "nosuch", "command"), 1);
    assert.equal(await r.call("LATENCY", "RESET"), 1);
    assert.equal(await r.call("LATENCY", "RESET"), 0);
    await assert.rejects(
      r.call("LATENCY", "NOSUCH"),
      new RespError("ERR unknown subcommand 'NOSUCH'. Try LATENCY HELP."),
    );
  });
});

test(`${T}: LATENCY HISTOGRAM gives per-command cumulative distributions`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "1");
    await r.call("SET", "a", "2");
    await r.call("CONFIG", "GET", "hz");
    const h = await r.call("LATENCY", "HISTOGRAM", "set", "config", "nosuch") as Reply[];
    assert.equal(h[0], "set");
    const set = h[1] as Reply[];
    assert.deepEqual(set.slice(0, 3), ["calls", 2, "histogram_usec"]);
    const buckets = set[3] as number[];
    assert.equal(buckets.length % 2, 0);
    assert.equal(buckets[buckets.length - 1], 2, "the last bucket counts every call");
    for (let i = 2; i < buckets.length; i += 2) {
      assert.ok(buckets[i] > buckets[i - 2], "bucket bounds grow");
    }
    assert.equal(h[2], "config|get", "a container expands to its subcommands");
    assert.equal(h.length, 4);
    await r.call("HELLO", "3");
    const m = await r.call("LATENCY", "HISTOGRAM") as Map<Reply, Reply>;
    assert.ok(m instanceof Map && m.has("set") && m.has("hello"));
    const help = await r.call("LATENCY", "HELP");
    assert.ok(Array.isArray(help) && help.length === 17);
  });
});
