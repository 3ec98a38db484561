// RequestParser unit tests: multibulk and inline requests, input split at every byte boundary,
// and Redis's exact protocol error texts.

import assert from "node:assert/strict";
import { rng, test } from "../_harness.ts";
import { PARSE_ERROR, PARSE_INCOMPLETE, RequestParser } from "../../src/protocol/resp_parser.ts";

const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Feed `input` in pieces cut at `cuts`, returning every parsed command as string arrays. */
function feed(input: Uint8Array, cuts: number[]): (string[] | string)[] {
  const p = new RequestParser();
  const out: (string[] | string)[] = [];
  let buf = new Uint8Array(0);
  let start = 0;
  const points = [...cuts, input.length];
  let prev = 0;
  for (const cut of points) {
    const nb = new Uint8Array(buf.length - start + cut - prev);
    nb.set(buf.subarray(start));
    nb.set(input.subarray(prev, cut), buf.length - start);
    if (p.midCommand) p.rebase(nb, start);
    buf = nb;
    start = 0;
    prev = cut;
    let pos = 0;
    for (;;) {
      if (pos >= buf.length) break;
      const r = p.parse(buf, pos, buf.length);
      if (r === PARSE_INCOMPLETE) break;
      if (r === PARSE_ERROR) {
        out.push(p.error);
        return out;
      }
      const a = p.argv;
      const args: string[] = [];
      for (let i = 0; i < a.argc; i++) args.push(a.str(i));
      if (args.length) out.push(args);
      pos = r;
    }
    start = p.midCommand ? p.commandStart : pos;
  }
  return out;
}

test("multibulk commands parse whole and split at every byte", () => {
  const input = b("*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$0\r\n\r\n*1\r\n$4\r\nPING\r\n");
  const want = [["SET", "k\r\n", ""], ["PING"]];
  assert.deepEqual(feed(input, []), want);
  for (let i = 1; i < input.length; i++) assert.deepEqual(feed(input, [i]), want, `cut at ${i}`);
  const r = rng(3);
  for (let t = 0; t < 200; t++) {
    const cuts = [...new Set(Array.from({ length: 5 }, () => 1 + Math.floor(r() * (input.length - 1))))]
      .sort((x, y) => x - y);
    assert.deepEqual(feed(input, cuts), want);
  }
});

test("inline commands split on spaces and honour quotes and escapes", () => {
  assert.deepEqual(feed(b("set a b\r\n"), []), [["set", "a", "b"]]);
  assert.deepEqual(feed(b('set "a b" \'c d\'\n'), []), [["set", "a b", "c d"]]);
  assert.deepEqual(feed(b('echo "\\x41\\n\\"q"\r\n'), []), [["echo", 'A\n"q']]);
  assert.deepEqual(feed(b("\r\n\r\nping\r\n"), []), [["ping"]]);
  const input = b("ping\r\necho hello\r\n");
  for (let i = 1; i < input.length; i++) {
    assert.deepEqual(feed(input, [i]), [["ping"], ["echo", "hello"]], `cut at ${i}`);
  }
});

test("protocol errors carry Redis's texts", () => {
  assert.deepEqual(feed(b("*3000000000\r\n"), []), ["Protocol error: invalid multibulk length"]);
  assert.deepEqual(feed(b("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"), []), [
    "Protocol error: expected '$', got 'f'",
  ]);
  assert.deepEqual(feed(b("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n"), []), [
    "Protocol error: invalid bulk length",
  ]);
  assert.deepEqual(feed(b("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n"), []), [
    "Protocol error: invalid bulk length",
  ]);
  assert.deepEqual(feed(b('set """test-key""" test-value\r\n'), []), [
    "Protocol error: unbalanced quotes in request",
  ]);
  assert.deepEqual(feed(b("*-10\r\n*1\r\n$4\r\nPING\r\n"), []), [["PING"]]);
  const big = new Uint8Array(70 * 1024).fill(65);
  assert.deepEqual(feed(big, []), ["Protocol error: too big inline request"]);
  big[0] = 42; // "*AAAA..." with no CR
  assert.deepEqual(feed(big, []), ["Protocol error: too big mbulk count string"]);
});

test("unauthenticated clients get small multibulk limits", () => {
  const p = new RequestParser();
  p.authRequired = true;
  const buf = b("*2\r\n$20000\r\n");
  assert.equal(p.parse(buf, 0, buf.length), PARSE_ERROR);
  assert.equal(p.error, "Protocol error: unauthenticated bulk length");
});
