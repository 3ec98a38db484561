// The runtime contract: everything the server needs from Bun or Deno. Adapters in bun.ts and
// deno.ts fill it with closures over native objects; nothing outside src/runtime/ touches Bun.*
// or Deno.*. Must not import anything from the server.

/** One accepted (or dialed) stream connection. */
export interface Conn {
  /**
   * Queue bytes for sending, in order. The adapter copies what it cannot send at once, so the
   * caller may reuse `data` as soon as this returns.
   */
  write(data: Uint8Array): void;
  /** Bytes accepted by write() but not yet handed to the kernel. */
  pendingBytes(): number;
  /** Close now, dropping unsent bytes. */
  close(): void;
  /** Close once everything queued has been sent. */
  end(): void;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** Unix-socket connections report this as true (addresses are then paths). */
  readonly isUnix: boolean;
}

/** What the server attaches to a connection. Callbacks run on the one JS thread. */
export interface ConnHandler {
  /** New bytes. `chunk` is only valid during the call: copy what must outlive it. */
  onData(chunk: Uint8Array): void;
  /** The peer closed, the socket errored, or close() was called. Called once. */
  onClose(): void;
  /** Everything queued has been sent (output buffer drained). */
  onDrain?(): void;
}

export interface Listener {
  /** Bound port (TCP) or 0 (unix). */
  readonly port: number;
  /** Stop accepting; connections already accepted stay open. */
  close(): void;
}

export interface ListenOptions {
  host: string;
  port: number;
  onConnect(conn: Conn): ConnHandler;
}

export interface UnixListenOptions {
  path: string;
  onConnect(conn: Conn): ConnHandler;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
}

export interface Runtime {
  readonly name: "bun" | "deno";
  readonly version: string;
  /** Bind and listen now (throws when the address is taken). */
  listenTcp(opts: ListenOptions): Listener;
  listenUnix(opts: UnixListenOptions): Listener;
  connectTcp(host: string, port: number, onOpen: (conn: Conn) => ConnHandler): Promise<void>;

  // files (synchronous forms are for start-up and explicit admin commands only)
  readFileSync(path: string): Uint8Array;
  writeFileSync(path: string, data: Uint8Array): void;
  /** Append to a file, creating it if missing (the log file). */
  appendFileSync(path: string, data: Uint8Array): void;
  renameSync(from: string, to: string): void;
  /** Remove a file or socket (never a directory, never recursively); a missing path is fine. */
  unlinkSync(path: string): void;
  statSync(path: string): FileStat | null;
  mkdirSync(path: string): void;
  chmodSync(path: string, mode: number): void;
  realPathSync(path: string): string;
  cwd(): string;
  chdir(path: string): void;

  // process
  args(): string[];
  env(name: string): string | undefined;
  pid(): number;
  exit(code: number): never;
  onSignal(sig: "SIGTERM" | "SIGINT", fn: () => void): void;
  /** Resident set size of the process in bytes. */
  rss(): number;
  /** Process CPU time (user, system) in microseconds. */
  cpuUsage(): { user: number; system: number };
  hostname(): string;
  /** Executable path and the script's argv, as INFO server reports them. */
  executable(): string;
  /** Ask the engine to collect garbage if it exposes that (tests and MEMORY PURGE). */
  gc(): void;
}
