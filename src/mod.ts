// Embed API: start a real server in-process (Bun or Deno) on a given or free port.
//   import { startServer } from "<this package>";
//   const srv = await startServer({ config: { "maxmemory": "100mb" } });
//   ... connect any Redis client to 127.0.0.1:srv.port ...
//   await srv.close();

import { loadRuntime } from "./runtime/mod.ts";
import { buildServer } from "./server/bootstrap.ts";
import type { Server } from "./server/server.ts";

export interface StartOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Extra redis.conf parameters by name, e.g. { "hz": 100, "save": "" }. */
  config?: Record<string, string | number | boolean>;
  /** Receive log lines (default: dropped). */
  log?: (line: string) => void;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  readonly server: Server;
  /** Stop listening and disconnect every client. */
  close(): Promise<void>;
}

function confValue(v: string | number | boolean): string {
  if (typeof v === "boolean") return v ? "yes" : "no";
  const s = String(v);
  return s === "" ? '""' : /[\s"]/.test(s) ? `"${s.replace(/(["\\])/g, "\\$1")}"` : s;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const rt = await loadRuntime();
  const host = opts.host ?? "127.0.0.1";
  const lines = [`port ${opts.port ?? 6379}`, `bind ${host}`, `save ""`];
  for (const [k, v] of Object.entries(opts.config ?? {})) lines.push(`${k} ${confValue(v)}`);
  let closed = false;
  const server = buildServer({
    runtime: rt,
    texts: [lines.join("\n")],
    logSink: opts.log ?? (() => {}),
    ephemeralPort: opts.port === undefined || opts.port === 0,
    onShutdown: () => {
      closed = true;
    },
  });
  const port = await server.start();
  return {
    port,
    host,
    server,
    close() {
      if (!closed) {
        closed = true;
        server.close();
      }
      return Promise.resolve();
    },
  };
}

export type { Server };
