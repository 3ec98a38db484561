// Micro benchmark of command lookup and of the whole dispatch path without sockets: a real
// Server (buildServer, not started), a fake client, and server.processCommand(c, argv) for
// PING/SET/GET, as a connection runs it after parsing; the reply buffer is reset after each call.
//   bun bench/dispatch_bench.ts [name-regex]
//   deno run -A bench/dispatch_bench.ts [name-regex]

import { bench, do_not_optimize, group } from "mitata";
import { loadRuntime } from "../src/runtime/mod.ts";
import { buildServer } from "../src/server/bootstrap.ts";
import { Argv, PARSE_ERROR, PARSE_INCOMPLETE, RequestParser } from "../src/protocol/resp_parser.ts";
import { latin1, mbulk, prng, randKey, runBenches } from "./_common.ts";

const runtime = await loadRuntime();
const server = buildServer({ runtime, texts: ['save ""\nappendonly no'] });
const c = server.fakeClient();

const KEYS = 100_000;
const rnd = prng(7);

// argv sets for the random-key benches: one Argv per key, built once.
const POOL = 1024;
const setArgvs: Argv[] = [];
const getArgvs: Argv[] = [];
for (let i = 0; i < POOL; i++) {
  const k = randKey("key:", Math.floor(rnd() * KEYS));
  setArgvs.push(Argv.of(["SET", k, "xxx"]));
  getArgvs.push(Argv.of(["GET", k]));
}
const PING = Argv.of(["PING"]);
const SET_ONE = Argv.of(["SET", "key:__rand_int__", "xxx"]);
const GET_ONE = Argv.of(["GET", "key:__rand_int__"]);
const GET_MISS = Argv.of(["GET", "no-such-key"]);
const SET_EX = Argv.of(["SET", "key:__rand_int__", "xxx", "EX", "1000"]);
const UNKNOWN = Argv.of(["NOSUCHCOMMAND", "a"]);

/** Run one command and return its reply length (the reply is then dropped). */
function call(argv: Argv): number {
  server.processCommand(c, argv);
  const n = c.reply.len;
  c.reply.reset();
  return n;
}

// Fill the keyspace so GETs of random keys hit, and check the replies are what Redis sends.
for (let i = 0; i < KEYS; i++) call(Argv.of(["SET", randKey("key:", i), "xxx"]));
call(SET_ONE);
server.processCommand(c, GET_ONE);
if (c.reply.len !== 9) {
  throw new Error(`GET replied ${c.reply.len} bytes, expected 9 ($3\\r\\nxxx\\r\\n)`);
}
c.reply.reset();

const names = ["get", "SET", "Ping", "incr", "nosuchcommand"].map(latin1);
const table = server.commands;

group("command lookup", () => {
  bench("lookup GET (lowercase)", () => do_not_optimize(table.lookup(names[0], 0, 3)));
  bench("lookup SET (uppercase)", () => do_not_optimize(table.lookup(names[1], 0, 3)));
  bench("lookup Ping (mixed case)", () => do_not_optimize(table.lookup(names[2], 0, 4)));
  bench("lookup unknown command", () => do_not_optimize(table.lookup(names[4], 0, 13)));
});

let i = 0;
group("processCommand", () => {
  bench("PING", () => do_not_optimize(call(PING)));
  bench("SET one key", () => do_not_optimize(call(SET_ONE)));
  bench("GET one key", () => do_not_optimize(call(GET_ONE)));
  bench("GET missing key", () => do_not_optimize(call(GET_MISS)));
  bench("SET one key EX 1000", () => do_not_optimize(call(SET_EX)));
  bench(`SET random key of ${KEYS}`, () => do_not_optimize(call(setArgvs[i++ & (POOL - 1)])));
  bench(`GET random key of ${KEYS}`, () => do_not_optimize(call(getArgvs[i++ & (POOL - 1)])));
  bench("unknown command (error reply)", () => do_not_optimize(call(UNKNOWN)));
});

// Parse + dispatch of a 16-command pipeline, which is what a client read does minus the socket.
const PIPE = 16;
const pipeBufs: Uint8Array[] = [];
for (let k = 0; k < 64; k++) {
  const parts: number[] = [];
  for (let j = 0; j < PIPE; j++) {
    const key = randKey("key:", Math.floor(rnd() * KEYS));
    for (const b of mbulk(j & 1 ? ["GET", key] : ["SET", key, "xxx"])) parts.push(b);
  }
  pipeBufs.push(new Uint8Array(parts));
}
const parser = new RequestParser();
group("parse + processCommand", () => {
  bench(`SET/GET x${PIPE} pipelined`, () => {
    const buf = pipeBufs[i++ & 63];
    let pos = 0;
    while (pos < buf.length) {
      const next = parser.parse(buf, pos, buf.length);
      if (next === PARSE_INCOMPLETE || next === PARSE_ERROR) {
        throw new Error("Bench input did not parse");
      }
      server.processCommand(c, parser.argv);
      pos = next;
    }
    const n = c.reply.len;
    c.reply.reset();
    return do_not_optimize(n);
  });
});

await runBenches();
server.close();
