// A minimal RESP2 control client for the harness (readiness PING, preflight of a workload's
// command, INFO, FLUSHALL): one request at a time over node:net, which Bun and Deno both
// provide. Not used for load; see loadgen.ts for that.

import * as net from "node:net";

/** An error reply, returned (not thrown) so callers can report it. */
export class ReplyError {
  constructor(readonly message: string) {}
}

export type Value = string | number | null | ReplyError | Value[];

/** Parse one RESP2 value at b[p..]; null when incomplete. */
function _parse(b: Uint8Array, p: number): [Value, number] | null {
  let nl = p;
  while (nl < b.length && b[nl] !== 10) nl++;
  if (nl >= b.length) return null;
  let line = "";
  for (let i = p + 1; i < nl - 1; i++) line += String.fromCharCode(b[i]);
  const next = nl + 1;
  switch (b[p]) {
    case 43: // +
      return [line, next];
    case 45: // -
      return [new ReplyError(line), next];
    case 58: // :
      return [Number(line), next];
    case 36: { // $
      const n = Number(line);
      if (n < 0) return [null, next];
      if (b.length < next + n + 2) return null;
      let s = "";
      for (let i = next; i < next + n; i++) s += String.fromCharCode(b[i]);
      return [s, next + n + 2];
    }
    case 42: { // *
      const n = Number(line);
      if (n < 0) return [null, next];
      const out: Value[] = [];
      let q = next;
      for (let i = 0; i < n; i++) {
        const r = _parse(b, q);
        if (r === null) return null;
        out.push(r[0]);
        q = r[1];
      }
      return [out, q];
    }
    default:
      throw new Error(`Unexpected RESP type byte ${b[p]} from the server`);
  }
}

function _mbulk(args: readonly string[]): Uint8Array {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export class Control {
  private buf = new Uint8Array(0);
  private waiter: (() => void) | null = null;
  private closedErr: Error | null = null;

  private constructor(private sock: net.Socket) {
    sock.on("data", (chunk: Uint8Array) => {
      const nb = new Uint8Array(this.buf.length + chunk.length);
      nb.set(this.buf);
      nb.set(chunk, this.buf.length);
      this.buf = nb;
      this.waiter?.();
    });
    const onEnd = (e?: Error) => {
      this.closedErr ??= e ?? new Error("Connection closed by the server");
      this.waiter?.();
    };
    sock.on("close", () => onEnd());
    sock.on("error", onEnd);
  }

  /** Connect to host:port; rejects on refusal or after timeoutMs. */
  static connect(port: number, host = "127.0.0.1", timeoutMs = 2000): Promise<Control> {
    return new Promise((resolve, reject) => {
      const sock = net.createConnection({ port, host });
      const t = setTimeout(() => {
        sock.destroy();
        reject(new Error(`Connect to ${host}:${port} timed out`));
      }, timeoutMs);
      sock.once("connect", () => {
        clearTimeout(t);
        resolve(new Control(sock));
      });
      sock.once("error", (e: Error) => {
        clearTimeout(t);
        reject(e);
      });
    });
  }

  /** Send a command (multibulk) and read its reply. */
  call(...args: string[]): Promise<Value> {
    return this.raw(_mbulk(args));
  }

  /** Send raw bytes (an inline request, say) and read one reply. */
  async raw(bytes: Uint8Array, timeoutMs = 10_000): Promise<Value> {
    this.sock.write(bytes);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.buf.length > 0 ? _parse(this.buf, 0) : null;
      if (r !== null) {
        this.buf = this.buf.slice(r[1]);
        return r[0];
      }
      if (this.closedErr) throw this.closedErr;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("No reply from the server");
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiter = () => {
          clearTimeout(t);
          res();
        };
      });
      this.waiter = null;
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Connect, run one command, close. */
export async function callOnce(port: number, ...args: string[]): Promise<Value> {
  const c = await Control.connect(port);
  try {
    return await c.call(...args);
  } finally {
    c.close();
  }
}

/**
 * INFO [section] parsed into a field map ("used_memory" -> "1234"). Throws with the server's
 * error text when INFO fails (a server without INFO yet).
 */
export async function readInfo(port: number, section?: string): Promise<Map<string, string>> {
  const v = await callOnce(port, ...(section ? ["INFO", section] : ["INFO"]));
  if (v instanceof ReplyError) throw new Error(v.message);
  if (typeof v !== "string") throw new Error("INFO did not reply with a bulk string");
  const out = new Map<string, string>();
  for (const line of v.split("\r\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}
