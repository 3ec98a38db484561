// Bun adapter for the runtime contract (types.ts). The only file that touches Bun.*.
// Sockets come from Bun.listen/Bun.connect (uSockets); Bun's write() is synchronous and partial,
// so unsent bytes are kept here and retried on drain.

import * as fs from "node:fs";
import * as os from "node:os";
import process from "node:process";
import type { Conn, ConnHandler, FileStat, Listener, Runtime } from "./types.ts";

// deno-lint-ignore no-explicit-any
declare const Bun: any;
// deno-lint-ignore no-explicit-any
type BunSocket = any;

const COALESCE_MAX = 1024 * 1024;

class BunConn implements Conn {
  handler: ConnHandler | null = null;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private ending = false;
  closed = false;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(private sock: BunSocket, readonly isUnix: boolean) {
    this.remoteAddress = isUnix ? "" : (sock.remoteAddress ?? "");
    this.remotePort = isUnix ? 0 : (sock.remotePort ?? 0);
    this.localAddress = isUnix ? "" : (sock.localAddress ?? "");
    this.localPort = isUnix ? 0 : (sock.localPort ?? 0);
  }

  write(data: Uint8Array): void {
    if (this.closed || data.length === 0) return;
    if (this.queued === 0) {
      let n = this.sock.write(data);
      if (n === data.length) return;
      if (n < 0) n = 0;
      this.queue.push(data.slice(n));
      this.queued += data.length - n;
      return;
    }
    this.queue.push(data.slice());
    this.queued += data.length;
  }

  pendingBytes(): number {
    return this.queued;
  }

  /** Socket writable again: push out what is queued. */
  drain(): void {
    while (this.queued > 0 && !this.closed) {
      let chunk = this.queue[0];
      if (this.queue.length > 1 && chunk.length < COALESCE_MAX) {
        let n = 0;
        let k = 0;
        while (k < this.queue.length && n + this.queue[k].length <= COALESCE_MAX) {
          n += this.queue[k].length;
          k++;
        }
        if (k > 1) {
          const merged = new Uint8Array(n);
          let p = 0;
          for (let i = 0; i < k; i++) {
            merged.set(this.queue[i], p);
            p += this.queue[i].length;
          }
          this.queue.splice(0, k, merged);
          chunk = merged;
        }
      }
      let n = this.sock.write(chunk);
      if (n < 0) n = 0;
      this.queued -= n;
      if (n < chunk.length) {
        this.queue[0] = chunk.subarray(n);
        return;
      }
      this.queue.shift();
    }
    if (this.closed) return;
    if (this.ending) {
      this.sock.end();
      return;
    }
    this.handler?.onDrain?.();
  }

  close(): void {
    if (this.closed) return;
    this.queue = [];
    this.queued = 0;
    this.sock.terminate(); // now, unsent bytes dropped: a peer that stopped reading cannot hold it
    this.closed = true;
  }

  end(): void {
    if (this.closed) return;
    if (this.queued === 0) {
      this.sock.end();
      this.closed = true;
      return;
    }
    this.ending = true;
  }
}

function socketHandlers(isUnix: boolean, onConnect: (c: Conn) => ConnHandler) {
  return {
    open(s: BunSocket) {
      if (!isUnix) s.setNoDelay?.(true);
      const conn = new BunConn(s, isUnix);
      s.data = conn;
      conn.handler = onConnect(conn);
    },
    data(s: BunSocket, chunk: Uint8Array) {
      const conn = s.data as BunConn;
      if (!conn.closed) conn.handler?.onData(chunk);
    },
    drain(s: BunSocket) {
      (s.data as BunConn).drain();
    },
    close(s: BunSocket) {
      const conn = s.data as BunConn | undefined;
      if (!conn) return;
      conn.closed = true;
      const h = conn.handler;
      conn.handler = null;
      h?.onClose();
    },
    error(s: BunSocket) {
      (s.data as BunConn | undefined)?.close();
    },
  };
}

function toStat(st: fs.Stats): FileStat {
  return { size: st.size, mtimeMs: st.mtimeMs, isFile: st.isFile(), isDirectory: st.isDirectory() };
}

export const bunRuntime: Runtime = {
  name: "bun",
  version: Bun.version,

  listenTcp({ host, port, onConnect }) {
    const srv = Bun.listen({ hostname: host, port, socket: socketHandlers(false, onConnect) });
    const l: Listener = {
      port: srv.port,
      close: () => srv.stop(false), // stop listening; connections stay (CONFIG SET port/bind)
    };
    return l;
  },

  listenUnix({ path, onConnect }) {
    const srv = Bun.listen({ unix: path, socket: socketHandlers(true, onConnect) });
    return { port: 0, close: () => srv.stop(false) };
  },

  async connectTcp(host, port, onOpen) {
    await Bun.connect({ hostname: host, port, socket: socketHandlers(false, onOpen) });
  },

  readFileSync: (p) => new Uint8Array(fs.readFileSync(p)),
  writeFileSync: (p, d) => fs.writeFileSync(p, d),
  appendFileSync: (p, d) => fs.appendFileSync(p, d),
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync(p) {
    try {
      fs.unlinkSync(p);
    } catch { /* missing, or a directory: left alone */ }
  },
  statSync(p) {
    try {
      return toStat(fs.statSync(p));
    } catch {
      return null;
    }
  },
  mkdirSync: (p) => fs.mkdirSync(p, { recursive: true }),
  chmodSync: (p, m) => fs.chmodSync(p, m),
  realPathSync: (p) => fs.realpathSync(p),
  cwd: () => process.cwd(),
  chdir: (p) => process.chdir(p),

  args: () => process.argv.slice(2),
  env: (n) => process.env[n],
  pid: () => process.pid,
  exit: (code) => process.exit(code),
  onSignal(sig, fn) {
    process.on(sig, fn);
  },
  rss: () => process.memoryUsage.rss(),
  cpuUsage: () => process.cpuUsage(),
  hostname: () => os.hostname(),
  executable: () => process.execPath,
  gc: () => Bun.gc(true),
};
