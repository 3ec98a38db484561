// Micro benchmark of the request parser (src/protocol/resp_parser.ts): pipelined multibulk
// SET/GET as redis-benchmark sends them (-P 16, -r 100000 key shape), MSET, inline commands,
// and a pipeline that arrives split across reads.
//   bun bench/resp_parser_bench.ts [name-regex]
//   deno run -A bench/resp_parser_bench.ts [name-regex]

import { bench, do_not_optimize, group } from "mitata";
import { PARSE_ERROR, PARSE_INCOMPLETE, RequestParser } from "../src/protocol/resp_parser.ts";
import { concat, latin1, mbulk, prng, randKey, runBenches } from "./_common.ts";

const PIPELINE = 16;
const rnd = prng(1);

function pipelined(make: (i: number) => Uint8Array, n = PIPELINE): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < n; i++) parts.push(make(i));
  return concat(parts);
}

const key = () => randKey("key:", Math.floor(rnd() * 100000));

const SET_1 = mbulk(["SET", key(), "xxx"]);
const GET_1 = mbulk(["GET", key()]);
const SET_P = pipelined(() => mbulk(["SET", key(), "xxx"]));
const GET_P = pipelined(() => mbulk(["GET", key()]));
const SET_1K_P = pipelined(() => mbulk(["SET", key(), "v".repeat(1024)]));
const MSET_P = pipelined(() => {
  const a = ["MSET"];
  for (let k = 0; k < 10; k++) a.push(key(), "xxx");
  return mbulk(a);
});
const PING_INLINE_P = pipelined(() => latin1("PING\r\n"));
const SET_INLINE_P = pipelined(() => latin1(`SET ${key()} xxx\r\n`));
const QUOTED_INLINE_P = pipelined(() => latin1(`SET "${key()}" "a b\\x41\\n"\r\n`));

const parser = new RequestParser();

/** Parse every command in buf[0..end); returns the number of arguments seen. */
function parseAll(buf: Uint8Array, end = buf.length): number {
  let pos = 0;
  let args = 0;
  while (pos < end) {
    const next = parser.parse(buf, pos, end);
    if (next === PARSE_INCOMPLETE || next === PARSE_ERROR) {
      throw new Error("Bench input did not parse");
    }
    args += parser.argv.argc;
    pos = next;
  }
  return args;
}

// A sanity check before timing: every input parses to the expected argument count.
if (parseAll(SET_P) !== 3 * PIPELINE || parseAll(MSET_P) !== 21 * PIPELINE) {
  throw new Error("Bench inputs parse to unexpected argument counts");
}
if (parseAll(QUOTED_INLINE_P) !== 3 * PIPELINE) throw new Error("Quoted inline input misparsed");

/**
 * The pipeline delivered in reads of `chunk` bytes, as a client does with the bytes it has:
 * unparsed bytes stay in place (the buffer only grows) and the parser resumes.
 */
function parseSplit(buf: Uint8Array, chunk: number): number {
  let pos = 0;
  let end = 0;
  let args = 0;
  parser.reset();
  while (pos < buf.length) {
    end = Math.min(buf.length, end + chunk);
    for (;;) {
      const next = parser.parse(buf, parser.midCommand ? parser.commandStart : pos, end);
      if (next === PARSE_INCOMPLETE) break;
      if (next === PARSE_ERROR) throw new Error("Bench input did not parse");
      args += parser.argv.argc;
      pos = next;
      if (pos >= end) break;
    }
  }
  return args;
}
if (parseSplit(SET_P, 7) !== 3 * PIPELINE) throw new Error("Split input misparsed");

group("multibulk", () => {
  bench("SET key val (1 command)", () => do_not_optimize(parseAll(SET_1)));
  bench("GET key (1 command)", () => do_not_optimize(parseAll(GET_1)));
  bench(`SET x${PIPELINE} pipelined`, () => do_not_optimize(parseAll(SET_P)));
  bench(`GET x${PIPELINE} pipelined`, () => do_not_optimize(parseAll(GET_P)));
  bench(`SET 1KB value x${PIPELINE} pipelined`, () => do_not_optimize(parseAll(SET_1K_P)));
  bench(`MSET 10 keys x${PIPELINE} pipelined`, () => do_not_optimize(parseAll(MSET_P)));
});

group("inline", () => {
  bench(`PING x${PIPELINE} inline`, () => do_not_optimize(parseAll(PING_INLINE_P)));
  bench(`SET key val x${PIPELINE} inline`, () => do_not_optimize(parseAll(SET_INLINE_P)));
  bench(`SET quoted+escapes x${PIPELINE} inline`, () => do_not_optimize(parseAll(QUOTED_INLINE_P)));
});

group("split reads", () => {
  bench(`SET x${PIPELINE} in 64-byte reads`, () => do_not_optimize(parseSplit(SET_P, 64)));
  bench(`SET x${PIPELINE} in 7-byte reads`, () => do_not_optimize(parseSplit(SET_P, 7)));
});

await runBenches();
