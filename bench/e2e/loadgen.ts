// The TypeScript load generator: what redis-benchmark does, for machines without it (or with
// --driver ts). N concurrent connections, each sending a pipeline of P requests and waiting for
// all P replies before the next one (closed loop); __rand_int__ is rewritten in place in the
// pre-encoded request buffer before each send; replies are counted by a streaming RESP scanner
// that never builds values. Sockets come from the project's runtime adapter (Bun.connect or
// Deno.connect behind src/runtime), so it runs natively on both engines.
//
// As a script it reads one JSON spec and prints one JSON result line (used by the harness,
// which runs it pinned to its own CPU):
//   bun bench/e2e/loadgen.ts '{"port":7300,"clients":50,"requests":100000,"pipeline":16,
//     "keyspace":100000,"command":["SET","key:__rand_int__","xxx"]}'

import process from "node:process";
import { loadRuntime } from "../../src/runtime/mod.ts";
import type { Conn, Runtime } from "../../src/runtime/types.ts";
import { RAND } from "./workloads.ts";

export interface LoadSpec {
  host?: string;
  port: number;
  clients: number;
  /** Total requests (commands) to send; rounded up to whole pipelines per client. */
  requests: number;
  pipeline: number;
  /** 0: keep __rand_int__ literally, as redis-benchmark does without -r. */
  keyspace: number;
  /** Multibulk command (data already substituted) ... */
  command?: string[];
  /** ... or an inline request line (sent with \r\n). */
  inline?: string;
  /** Give up after this many seconds (default 300). */
  timeoutSec?: number;
  /** Linux pid of the server: its CPU time over the timed phase is reported. */
  serverPid?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  errors: number;
  firstError: string | null;
  /** CPU time the generator used during the timed phase, as % of one core. */
  loadgenCpu: number;
  /** CPU time the server used during the timed phase, as % of one core (if serverPid). */
  serverCpu: number | null;
}

// ---- request templates ----

function _latin1(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff);
  return out;
}

function _encode(spec: LoadSpec): number[] {
  if (spec.inline !== undefined) return _latin1(spec.inline + "\r\n");
  const args = spec.command ?? [];
  const out = _latin1(`*${args.length}\r\n`);
  for (const a of args) out.push(..._latin1(`$${a.length}\r\n${a}\r\n`));
  return out;
}

/** One client's request buffer: `pipeline` copies of the command and the RAND positions. */
function _template(spec: LoadSpec): { buf: Uint8Array; rand: Int32Array } {
  const one = _encode(spec);
  const buf = new Uint8Array(one.length * spec.pipeline);
  for (let i = 0; i < spec.pipeline; i++) buf.set(one, i * one.length);
  const rand: number[] = [];
  const needle = _latin1(RAND);
  if (spec.keyspace > 0) {
    for (let i = 0; i + needle.length <= buf.length; i++) {
      let k = 0;
      while (k < needle.length && buf[i + k] === needle[k]) k++;
      if (k === needle.length) {
        rand.push(i);
        i += needle.length - 1;
      }
    }
  }
  return { buf, rand: Int32Array.from(rand) };
}

// ---- reply counting ----

/**
 * Counts complete top-level replies in a RESP2/RESP3 stream without building values. Keeps
 * its state across chunks: a header line split between reads, a bulk payload still to skip,
 * and how many elements open aggregates still expect.
 */
export class ReplyCounter {
  /** Elements still expected by the open aggregates (0 at top level). */
  private need = 0;
  /** Payload bytes (plus CRLF) of the current bulk still to skip. */
  private skip = 0;
  private carry = new Uint8Array(64);
  private carryLen = 0;
  errors = 0;
  firstError: string | null = null;

  /** Feed a chunk; returns the number of top-level replies it completed. */
  feed(b: Uint8Array): number {
    let done = 0;
    let p = 0;
    const n = b.length;
    if (this.carryLen > 0) {
      const nl = b.indexOf(10);
      const upto = nl < 0 ? n : nl + 1;
      this._carry(b, 0, upto);
      if (nl < 0) return 0;
      done += this._line(this.carry, 0, this.carryLen - 1);
      this.carryLen = 0;
      p = upto;
    }
    while (p < n) {
      if (this.skip > 0) {
        const s = n - p < this.skip ? n - p : this.skip;
        this.skip -= s;
        p += s;
        if (this.skip === 0) done += this._value();
        continue;
      }
      let nl = p;
      while (nl < n && b[nl] !== 10) nl++;
      if (nl === n) {
        this._carry(b, p, n);
        break;
      }
      done += this._line(b, p, nl);
      p = nl + 1;
    }
    return done;
  }

  private _carry(b: Uint8Array, from: number, to: number): void {
    const len = to - from;
    if (this.carryLen + len > this.carry.length) {
      const nc = new Uint8Array((this.carryLen + len) * 2);
      nc.set(this.carry.subarray(0, this.carryLen));
      this.carry = nc;
    }
    this.carry.set(b.subarray(from, to), this.carryLen);
    this.carryLen += len;
  }

  /** One header line b[p..nl) (nl is the \n). Returns replies completed. */
  private _line(b: Uint8Array, p: number, nl: number): number {
    const t = b[p];
    switch (t) {
      case 36: { // $ bulk, = verbatim, ! blob error
        const len = _int(b, p + 1, nl);
        if (len < 0) return this._value();
        this.skip = len + 2;
        return 0;
      }
      case 61:
      case 33: {
        const len = _int(b, p + 1, nl);
        if (t === 33) this._error(`(blob error of ${len} bytes)`);
        this.skip = len + 2;
        return 0;
      }
      case 42: // * array, ~ set, > push
      case 126:
      case 62:
        return this._aggregate(_int(b, p + 1, nl));
      case 37: // % map
      case 124: { // | attribute (its pairs precede the reply they annotate; counted as a value)
        const pairs = _int(b, p + 1, nl);
        return this._aggregate(pairs < 0 ? pairs : pairs * 2);
      }
      case 45: {
        let end = nl;
        if (end > p && b[end - 1] === 13) end--;
        let s = "";
        for (let i = p + 1; i < end && i < p + 201; i++) s += String.fromCharCode(b[i]);
        this._error(s);
        return this._value();
      }
      default: // + : _ # , ( and anything else is a one-line value
        return this._value();
    }
  }

  private _aggregate(count: number): number {
    if (count <= 0) return this._value();
    if (this.need > 0) this.need += count - 1;
    else this.need = count;
    return 0;
  }

  private _value(): number {
    if (this.need === 0) return 1;
    this.need--;
    return this.need === 0 ? 1 : 0;
  }

  private _error(s: string): void {
    this.errors++;
    if (this.firstError === null) this.firstError = s;
  }
}

/** Decimal integer in b[p..nl) (stops at \r). */
function _int(b: Uint8Array, p: number, nl: number): number {
  let neg = false;
  if (b[p] === 45) {
    neg = true;
    p++;
  }
  let v = 0;
  for (; p < nl; p++) {
    const c = b[p];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

// ---- the run ----

/** Linux CPU time (user + system) of a process, in clock ticks; -1 when unreadable. */
export function procCpuTicks(pid: number, readFile: (p: string) => Uint8Array): number {
  try {
    const s = new TextDecoder().decode(readFile(`/proc/${pid}/stat`));
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
  } catch {
    return -1;
  }
}

const CLK_TCK = 100; // USER_HZ: 100 on every Linux architecture the runtimes support

/** Run one load and resolve with its throughput. Never throws for server errors. */
export async function runLoad(spec: LoadSpec, rt?: Runtime): Promise<LoadResult> {
  const runtime = rt ?? await loadRuntime();
  const host = spec.host ?? "127.0.0.1";
  const counter = new ReplyCounter();
  const { buf: tmpl, rand } = _template(spec);
  const pipeline = spec.pipeline;
  let issued = 0;
  let received = 0;
  let active = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((res) => (finish = res));
  let stopped = false;
  let rng = 0x9e3779b9;

  interface Cl {
    conn: Conn | null;
    buf: Uint8Array;
    waiting: number;
  }
  const clients: Cl[] = [];

  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const c of clients) c.conn?.close();
    finish();
  };

  const send = (c: Cl) => {
    if (issued >= spec.requests || stopped) {
      active--;
      const conn = c.conn;
      c.conn = null; // before close(): onClose must not see a live connection
      conn?.close();
      if (active === 0) stop();
      return;
    }
    const b = c.buf;
    for (let i = 0; i < rand.length; i++) {
      // xorshift32, then 12 zero-padded digits written backwards, as redis-benchmark does
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      let r = (rng >>> 0) % spec.keyspace;
      let q = rand[i] + 11;
      for (let j = 0; j < 12; j++) {
        b[q--] = 48 + (r % 10);
        r = Math.floor(r / 10);
      }
    }
    issued += pipeline;
    c.waiting = pipeline;
    c.conn!.write(b);
  };

  const connects: Promise<void>[] = [];
  for (let i = 0; i < spec.clients; i++) {
    const c: Cl = { conn: null, buf: tmpl.slice(), waiting: 0 };
    clients.push(c);
    connects.push(runtime.connectTcp(host, spec.port, (conn) => {
      c.conn = conn;
      return {
        onData(chunk: Uint8Array) {
          const n = counter.feed(chunk);
          if (n === 0) return;
          received += n;
          if (counter.firstError !== null) return stop(); // redis-benchmark exits on an error too
          c.waiting -= n;
          if (c.waiting <= 0) send(c);
        },
        onClose() {
          if (c.conn !== null && !stopped) {
            counter.errors++;
            counter.firstError ??= "Connection closed by the server";
            stop();
          }
        },
      };
    }));
  }
  await Promise.all(connects);

  const timeoutMs = (spec.timeoutSec ?? 300) * 1000;
  const timer = setTimeout(() => {
    counter.errors++;
    counter.firstError ??= `Timed out after ${timeoutMs / 1000} s (${received} replies)`;
    stop();
  }, timeoutMs);

  const srvBefore = spec.serverPid ? procCpuTicks(spec.serverPid, runtime.readFileSync) : -1;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  active = clients.length;
  for (const c of clients) send(c);
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const srvAfter = spec.serverPid ? procCpuTicks(spec.serverPid, runtime.readFileSync) : -1;
  clearTimeout(timer);
  return {
    requests: received,
    seconds,
    rps: received / seconds,
    errors: counter.errors,
    firstError: counter.firstError,
    loadgenCpu: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    serverCpu: srvBefore >= 0 && srvAfter >= 0
      ? ((srvAfter - srvBefore) / CLK_TCK / seconds) * 100
      : null,
  };
}

// ---- script entry ----

if (import.meta.main) {
  const arg = process.argv[2];
  if (!arg) {
    console.error("Usage: loadgen.ts '<json LoadSpec>'");
    process.exit(2);
  }
  try {
    console.log(JSON.stringify(await runLoad(JSON.parse(arg) as LoadSpec)));
  } catch (e) {
    console.log(JSON.stringify({ fatal: (e as Error).message ?? String(e) }));
  }
  process.exit(0);
}
