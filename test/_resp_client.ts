// A tiny RESP2/RESP3 client for tests: exact reply shapes (status vs bulk, RESP3 types), raw
// byte access for protocol tests, pipelining. Uses node:net, which Bun and Deno both provide.

import * as net from "node:net";

/** An error reply. Thrown by call(); returned in place by pipeline(). */
export class RespError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RespError";
  }
}

/** A simple-string reply ("+OK"), kept apart from bulk strings so tests can tell them apart. */
export class Status {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** RESP3 double (",1.5"). */
export class Double {
  constructor(readonly value: number, readonly text: string) {}
}

/** RESP3 verbatim string ("=txt:..."). */
export class Verbatim {
  constructor(readonly format: string, readonly text: string) {}
}

/** RESP3 push message (">"). */
export class Push {
  constructor(readonly items: Reply[]) {}
}

/** RESP3 big number ("("). */
export class BigNum {
  constructor(readonly text: string) {}
}

export type Reply =
  | string
  | number
  | bigint
  | null
  | boolean
  | Status
  | RespError
  | Double
  | Verbatim
  | BigNum
  | Push
  | Reply[]
  | Map<Reply, Reply>
  | Set<Reply>;

type Arg = string | number | Uint8Array;

function encodeCommand(args: Arg[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const te = (s: string) => {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    return b;
  };
  parts.push(te(`*${args.length}\r\n`));
  for (const a of args) {
    const b = a instanceof Uint8Array ? a : te(String(a));
    parts.push(te(`$${b.length}\r\n`), b, te("\r\n"));
  }
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  }
  return s;
}

const INCOMPLETE = Symbol("incomplete");

export class RespClient {
  private sock!: net.Socket;
  private buf = new Uint8Array(0);
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Push messages received while not expecting them. */
  readonly pushes: Push[] = [];

  static async connect(port: number, host = "127.0.0.1"): Promise<RespClient> {
    const c = new RespClient();
    await new Promise<void>((resolve, reject) => {
      c.sock = net.createConnection({ port, host }, () => resolve());
      c.sock.once("error", reject);
    });
    c.sock.setNoDelay(true);
    c.sock.on("data", (d: Uint8Array) => {
      const nb = new Uint8Array(c.buf.length + d.length);
      nb.set(c.buf);
      nb.set(d, c.buf.length);
      c.buf = nb;
      c.wake();
    });
    c.sock.on("close", () => {
      c.closed = true;
      c.wake();
    });
    c.sock.on("error", () => {
      c.closed = true;
      c.wake();
    });
    return c;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitData(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("Timed out waiting for a reply")), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send raw bytes (or a latin1 string). */
  writeRaw(data: Uint8Array | string): void {
    if (typeof data === "string") {
      const b = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) b[i] = data.charCodeAt(i) & 0xff;
      data = b;
    }
    this.sock.write(data);
  }

  /** Send a command without waiting. */
  send(...args: Arg[]): void {
    this.sock.write(encodeCommand(args));
  }

  /** Read the next reply (errors are returned, not thrown). */
  async read(timeoutMs = 10_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.tryParse();
      if (r !== INCOMPLETE) {
        if (r instanceof Push && this.skipPushes) {
          this.pushes.push(r);
          continue;
        }
        return r as Reply;
      }
      if (this.closed) throw new Error("Connection closed");
      await this.waitData(Math.max(1, deadline - Date.now()));
    }
  }

  /** When true, read() sets RESP3 push messages aside (in `pushes`). */
  skipPushes = false;

  /** Read one raw line (without CRLF), for protocol tests. */
  async readLine(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.buf.indexOf(10);
      if (i >= 0) {
        const line = latin1(this.buf.subarray(0, i > 0 && this.buf[i - 1] === 13 ? i - 1 : i));
        this.buf = this.buf.slice(i + 1);
        return line;
      }
      if (this.closed) throw new Error("Connection closed");
      await this.waitData(Math.max(1, deadline - Date.now()));
    }
  }

  /** Everything received so far, raw, consumed. */
  takeRaw(): string {
    const s = latin1(this.buf);
    this.buf = new Uint8Array(0);
    return s;
  }

  /** Wait until the server closes the connection. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("Connection still open");
      await this.waitData(Math.max(1, deadline - Date.now())).catch(() => {});
    }
  }

  /** Send a command and return its reply; error replies throw RespError. */
  async call(...args: Arg[]): Promise<Reply> {
    this.send(...args);
    const r = await this.read();
    if (r instanceof RespError) throw r;
    return r;
  }

  /** Send several commands at once; returns every reply (errors in place). */
  async pipeline(cmds: Arg[][]): Promise<Reply[]> {
    const parts = cmds.map(encodeCommand);
    let n = 0;
    for (const p of parts) n += p.length;
    const all = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    this.sock.write(all);
    const out: Reply[] = [];
    for (let i = 0; i < cmds.length; i++) out.push(await this.read());
    return out;
  }

  close(): void {
    this.closed = true;
    this.sock.destroy();
  }

  private tryParse(): Reply | typeof INCOMPLETE {
    const r = parseReply(this.buf, 0);
    if (r === null) return INCOMPLETE;
    this.buf = this.buf.slice(r.end);
    return r.value;
  }
}

function findCRLF(b: Uint8Array, from: number): number {
  for (let i = from; i + 1 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10) return i;
  return -1;
}

/** Parse one reply at pos; null when incomplete. */
export function parseReply(b: Uint8Array, pos: number): { value: Reply; end: number } | null {
  if (pos >= b.length) return null;
  const e = findCRLF(b, pos);
  if (e < 0) return null;
  const type = String.fromCharCode(b[pos]);
  const line = latin1(b.subarray(pos + 1, e));
  const next = e + 2;
  const agg = (n: number, build: (items: Reply[]) => Reply) => {
    const items: Reply[] = [];
    let p = next;
    for (let i = 0; i < n; i++) {
      const r = parseReply(b, p);
      if (r === null) return null;
      items.push(r.value);
      p = r.end;
    }
    return { value: build(items), end: p };
  };
  switch (type) {
    case "+":
      return { value: new Status(line), end: next };
    case "-":
      return { value: new RespError(line), end: next };
    case ":": {
      const n = Number(line);
      return { value: Number.isSafeInteger(n) ? n : BigInt(line), end: next };
    }
    case "$":
    case "=": {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      if (b.length < next + n + 2) return null;
      const s = latin1(b.subarray(next, next + n));
      if (type === "=") return { value: new Verbatim(s.slice(0, 3), s.slice(4)), end: next + n + 2 };
      return { value: s, end: next + n + 2 };
    }
    case "*": {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      return agg(n, (items) => items);
    }
    case "%":
      return agg(Number(line) * 2, (items) => {
        const m = new Map<Reply, Reply>();
        for (let i = 0; i < items.length; i += 2) m.set(items[i], items[i + 1]);
        return m;
      });
    case "~":
      return agg(Number(line), (items) => new Set(items));
    case ">":
      return agg(Number(line), (items) => new Push(items));
    case "_":
      return { value: null, end: next };
    case "#":
      return { value: line === "t", end: next };
    case ",":
      return {
        value: new Double(line === "inf" ? Infinity : line === "-inf" ? -Infinity : Number(line), line),
        end: next,
      };
    case "(":
      return { value: new BigNum(line), end: next };
    case "|": {
      // attribute: skip it and return the following reply
      const a = agg(Number(line) * 2, () => null);
      if (a === null) return null;
      return parseReply(b, a.end);
    }
    default:
      throw new Error(`Bad reply type byte ${b[pos]} in ${JSON.stringify(latin1(b.subarray(pos, pos + 40)))}`);
  }
}

/** The text of the error reply a call ends with (fails when the call succeeds). */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RespError) return e.message;
    throw e;
  }
  throw new Error("expected an error reply");
}

/** The error text of the reply to one command; throws when the command succeeds. */
export function errorOfCall(r: RespClient, ...args: Arg[]): Promise<string> {
  return errorOf(r.call(...args));
}
