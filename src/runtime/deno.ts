// Deno adapter for the runtime contract (types.ts). The only file that touches Deno.*.
// Each connection runs a read loop that pushes chunks to its handler; writes are queued and
// pumped by one async writer per connection so they leave in order.

import process from "node:process";
import type { Conn, ConnHandler, FileStat, Listener, Runtime } from "./types.ts";

const READ_SIZE = 16 * 1024;
const COALESCE_MAX = 1024 * 1024;

class DenoConn implements Conn {
  handler: ConnHandler | null = null;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private writing = false;
  private ending = false;
  closed = false;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(private c: Deno.Conn, readonly isUnix: boolean) {
    const ra = c.remoteAddr as Deno.NetAddr;
    const la = c.localAddr as Deno.NetAddr;
    this.remoteAddress = isUnix ? "" : ra.hostname;
    this.remotePort = isUnix ? 0 : ra.port;
    this.localAddress = isUnix ? "" : la.hostname;
    this.localPort = isUnix ? 0 : la.port;
  }

  write(data: Uint8Array): void {
    if (this.closed || data.length === 0) return;
    const copy = data.slice();
    this.queued += copy.length;
    if (this.writing) {
      this.queue.push(copy);
      return;
    }
    this.writing = true;
    this._send(copy);
  }

  pendingBytes(): number {
    return this.queued;
  }

  /** One write op in flight at a time; the rest queue up and leave merged. */
  private _send(chunk: Uint8Array): void {
    this.c.write(chunk).then((n) => this._written(chunk, n), () => this.close());
  }

  private _written(chunk: Uint8Array, n: number): void {
    if (this.closed) return;
    this.queued -= n;
    if (n < chunk.length) {
      this._send(chunk.subarray(n));
      return;
    }
    if (this.queue.length > 0) {
      this._send(this._takeQueued());
      return;
    }
    this.writing = false;
    if (this.ending) {
      this._closeNow();
      return;
    }
    this.handler?.onDrain?.();
  }

  /** Merge queued chunks (up to COALESCE_MAX bytes) into one buffer. */
  private _takeQueued(): Uint8Array {
    if (this.queue.length === 1) return this.queue.shift()!;
    let n = 0;
    let k = 0;
    while (k < this.queue.length && (k === 0 || n + this.queue[k].length <= COALESCE_MAX)) {
      n += this.queue[k].length;
      k++;
    }
    const out = new Uint8Array(n);
    let p = 0;
    for (let i = 0; i < k; i++) {
      out.set(this.queue[i], p);
      p += this.queue[i].length;
    }
    this.queue.splice(0, k);
    return out;
  }

  private _closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.c.close();
    } catch {
      // already closed by the peer
    }
  }

  close(): void {
    this.queue = [];
    this.queued = 0;
    this._closeNow();
  }

  end(): void {
    if (this.closed) return;
    if (this.queued === 0 && !this.writing) this._closeNow();
    else this.ending = true;
  }

  async readLoop(): Promise<void> {
    const buf = new Uint8Array(READ_SIZE);
    try {
      for (;;) {
        const n = await this.c.read(buf);
        if (n === null || this.closed) break;
        this.handler?.onData(buf.subarray(0, n));
      }
    } catch {
      // reset by peer or closed locally
    }
    this._closeNow();
    const h = this.handler;
    this.handler = null;
    h?.onClose();
  }
}

/**
 * Accept until the listener is closed. Other accept errors (out of file descriptors, a peer
 * that reset before accept) must not end the loop: wait a little and keep accepting.
 */
function serve(l: Deno.Listener, isUnix: boolean, onConnect: (c: Conn) => ConnHandler) {
  (async () => {
    for (;;) {
      let c: Deno.Conn;
      try {
        c = await l.accept();
      } catch (e) {
        if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) return;
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      if (!isUnix) {
        try {
          (c as Deno.TcpConn).setNoDelay(true);
        } catch { /* not a TCP socket */ }
      }
      const conn = new DenoConn(c, isUnix);
      conn.handler = onConnect(conn);
      conn.readLoop();
    }
  })();
}

function toStat(st: Deno.FileInfo): FileStat {
  return {
    size: st.size,
    mtimeMs: st.mtime?.getTime() ?? 0,
    isFile: st.isFile,
    isDirectory: st.isDirectory,
  };
}

export const denoRuntime: Runtime = {
  name: "deno",
  version: Deno.version.deno,

  listenTcp({ host, port, onConnect }) {
    const l = Deno.listen({ hostname: host, port, transport: "tcp" });
    serve(l, false, onConnect);
    const out: Listener = { port: (l.addr as Deno.NetAddr).port, close: () => l.close() };
    return out;
  },

  listenUnix({ path, onConnect }) {
    const l = Deno.listen({ path, transport: "unix" });
    serve(l, true, onConnect);
    return { port: 0, close: () => l.close() };
  },

  async connectTcp(host, port, onOpen) {
    const c = await Deno.connect({ hostname: host, port });
    c.setNoDelay(true);
    const conn = new DenoConn(c, false);
    conn.handler = onOpen(conn);
    conn.readLoop();
  },

  readFileSync: (p) => Deno.readFileSync(p),
  writeFileSync: (p, d) => Deno.writeFileSync(p, d),
  appendFileSync: (p, d) => Deno.writeFileSync(p, d, { append: true }),
  renameSync: (a, b) => Deno.renameSync(a, b),
  unlinkSync(p) {
    try {
      if (!Deno.lstatSync(p).isDirectory) Deno.removeSync(p);
    } catch { /* missing: nothing to do */ }
  },
  statSync(p) {
    try {
      return toStat(Deno.statSync(p));
    } catch {
      return null;
    }
  },
  mkdirSync: (p) => Deno.mkdirSync(p, { recursive: true }),
  chmodSync: (p, m) => Deno.chmodSync(p, m),
  realPathSync: (p) => Deno.realPathSync(p),
  cwd: () => Deno.cwd(),
  chdir: (p) => Deno.chdir(p),

  args: () => [...Deno.args],
  env: (n) => Deno.env.get(n),
  pid: () => Deno.pid,
  exit: (code) => Deno.exit(code),
  onSignal(sig, fn) {
    Deno.addSignalListener(sig, fn);
  },
  rss: () => Deno.memoryUsage().rss,
  cpuUsage: () => process.cpuUsage(),
  hostname: () => Deno.hostname(),
  executable: () => Deno.execPath(),
  gc: () => (globalThis as { gc?: () => void }).gc?.(),
};
