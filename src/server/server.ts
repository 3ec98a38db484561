// The server: listeners and clients, the reply flush after each event, cron at `hz`, client
// pause, statistics, and the hooks the store and command families call (signalModifiedKey,
// keyspace notifications, dirty counter). Receives a Runtime; never imports an adapter.

import { type Config, NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW, type ObufLimits } from "../config.ts";
import { OBJ_LIST, OBJ_STREAM, OBJ_ZSET } from "../store/object.ts";
import { Heap } from "../memory/allocator.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import { fromLatin1, randomHex40, toLatin1, utf8 } from "../protocol/bytes.ts";
import type { Conn, Listener, Runtime } from "../runtime/types.ts";
import { ActiveExpire } from "../store/expire.ts";
import { type Db, Store } from "../store/db.ts";
import { dictIsRehashing, dictRehashMs, dictResizePolicy } from "../encoding/dict.ts";
import { Evictor } from "../store/evict.ts";
import { LazyFree } from "../store/lazyfree.ts";
import { Defragger } from "../store/defrag.ts";
import {
  CF_BLOCKED,
  CF_CLOSE_AFTER_REPLY,
  CF_CLOSE_ASAP,
  CF_DIRTY_CAS,
  CF_MONITOR,
  Client,
} from "./client.ts";
import { ADMIN, type Command, type CommandFamily, SKIP_MONITOR } from "./command.ts";
import { CommandTable } from "./command_table.ts";
import { processCommand } from "./dispatch.ts";
import { Blocking } from "./blocking.ts";
import { SlowLog } from "./slowlog.ts";

/** Parameters mirrored into fields for the hot paths (applyConfig keeps them in sync). */
const HOT_CONFIGS = [
  "proto-max-bulk-len",
  "client-query-buffer-limit",
  "maxmemory",
  "maxmemory-policy",
  "lfu-log-factor",
  "lfu-decay-time",
  "loglevel",
  "notify-keyspace-events",
  "timeout",
  "client-output-buffer-limit",
  "lazyfree-lazy-expire",
  "lazyfree-lazy-server-del",
  "slowlog-log-slower-than",
  "lazyfree-lazy-eviction",
  "requirepass",
  "lazyfree-lazy-user-del",
];

/** Encoding limits the type families read on every write (Server.limits). */
export interface EncodingLimits {
  listMaxListpackSize: number;
  listCompressDepth: number;
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

/** The parameters mirrored into Server.limits, and the field each one sets. */
const LIMIT_CONFIGS = new Map<string, keyof EncodingLimits>([
  ["list-max-listpack-size", "listMaxListpackSize"],
  ["list-compress-depth", "listCompressDepth"],
  ["hash-max-listpack-entries", "hashMaxListpackEntries"],
  ["hash-max-listpack-value", "hashMaxListpackValue"],
  ["set-max-intset-entries", "setMaxIntsetEntries"],
  ["zset-max-listpack-entries", "zsetMaxListpackEntries"],
  ["zset-max-listpack-value", "zsetMaxListpackValue"],
  ["stream-node-max-bytes", "streamNodeMaxBytes"],
  ["stream-node-max-entries", "streamNodeMaxEntries"],
]);

/** Arena bytes dropped after which cron asks the engine to collect (at most once a second). */
const GC_AFTER_RELEASE = 32 * 1024 * 1024;

export type LogLevel = "debug" | "verbose" | "notice" | "warning";
const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const LEVEL_CHAR: Record<LogLevel, string> = { debug: ".", verbose: "-", notice: "*", warning: "#" };

export const PAUSE_OFF = 0;
export const PAUSE_WRITE = 1;
export const PAUSE_ALL = 2;

export interface ServerOptions {
  runtime: Runtime;
  config: Config;
  families: CommandFamily[];
  /** rename-command directives from the config file. */
  renames?: [string, string][];
  /** Called when SHUTDOWN (or a signal) stops the server; main.ts exits the process. */
  onShutdown?: (code: number) => void;
  /** Where log lines go when no logfile is set (default: stdout). */
  logSink?: (line: string) => void;
  executable?: string;
  configFile?: string | null;
  /** Listen on a free TCP port (the embed API); `port` in the config is then ignored. */
  ephemeralPort?: boolean;
}

interface InstMetric {
  samples: Float64Array;
  idx: number;
  lastValue: number;
  lastTime: number;
}

function _metric(): InstMetric {
  return { samples: new Float64Array(16), idx: 0, lastValue: 0, lastTime: 0 };
}

export class Server {
  readonly rt: Runtime;
  readonly config: Config;
  readonly heap: Heap;
  readonly store: Store;
  readonly commands: CommandTable;
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly activeExpire: ActiveExpire;
  readonly evictor: Evictor;
  readonly lazyfree: LazyFree;
  readonly defragger: Defragger;
  readonly blocking: Blocking;
  readonly slowlog: SlowLog;
  private readonly opts: ServerOptions;
  private tcpListeners: Listener[] = [];
  private unixListener: Listener | null = null;
  private pendingWrites: Client[] = [];
  private nextClientId = 1;
  private cronTimer: ReturnType<typeof setInterval> | null = null;
  private cronHz = 0;
  private shuttingDown = false;

  // time
  clockMs = Date.now();
  readonly startTimeMs = Date.now();
  readonly runId: string;
  callDepth = 0;
  cronloops = 0;
  /** EXEC is running its queue (blocking commands must not block). */
  inExec = false;
  /** A script is running (blocking commands must not block). */
  inScript = false;
  /** DEBUG SET-ACTIVE-EXPIRE: cron expires keys in the background only when true. */
  activeExpireEnabled = true;

  // replication identity (INFO replication, ROLE, DEBUG CHANGE-REPL-ID)
  replId = randomHex40();
  replId2 = "0000000000000000000000000000000000000000";
  masterReplOffset = 0;
  secondReplOffset = -1;

  // replication-ish bookkeeping used by INFO and persistence later
  dirty = 0;
  lastSaveMs = Date.now();

  // stats (INFO)
  numCommands = 0;
  numConnections = 0;
  rejectedConnections = 0;
  netInput = 0;
  netOutput = 0;
  /** Read events and reply writes (INFO total_reads_processed / total_writes_processed). */
  readsProcessed = 0;
  writesProcessed = 0;
  totalErrorReplies = 0;
  readonly errorStats = new Map<string, number>();
  unexpectedErrorReplies = 0;
  peakMemory = 0;
  peakMemoryTime = 0;
  /** used_memory right after start-up (MEMORY STATS startup.allocated). */
  startupMemory = 0;
  private readonly instOps = _metric();
  private readonly instIn = _metric();
  private readonly instOut = _metric();

  // pause (CLIENT PAUSE)
  pauseType = PAUSE_OFF;
  pauseEndMs = 0;
  private readonly pausedClients = new Set<Client>();

  // watched keys: "db\0key" -> clients
  private readonly watchedKeys = new Map<string, Set<Client>>();

  // hot config values, refreshed on CONFIG SET
  protoMaxBulkLen = 512 * 1024 * 1024;
  queryBufLimit = 1024 * 1024 * 1024;
  maxmemory = 0;
  notifyFlags = 0;
  slowlogThreshold = 10000;
  evictPolicy = "noeviction";
  lazyEviction = false;
  lazyUserDel = false;
  /** Encoding limits, mirrored from LIMIT_CONFIGS (the defaults are replaced at start). */
  readonly limits: EncodingLimits = {
    listMaxListpackSize: -2,
    listCompressDepth: 0,
    hashMaxListpackEntries: 512,
    hashMaxListpackValue: 64,
    setMaxIntsetEntries: 512,
    zsetMaxListpackEntries: 128,
    zsetMaxListpackValue: 64,
    streamNodeMaxBytes: 4096,
    streamNodeMaxEntries: 100,
  };
  private logLevel = LEVELS.notice;
  private maxIdleMs = 0;
  obufLimits: ObufLimits | null = null;

  constructor(opts: ServerOptions) {
    this.opts = opts;
    this.rt = opts.runtime;
    this.config = opts.config;
    this.heap = new Heap();
    this.store = new Store(this.heap, this.config.num("databases"));
    this.store.hooks.expired = (db, key) => this.onKeyExpired(db, key);
    this.store.hooks.flushing = (db) => {
      for (const name of this.blocking.waitedKeys(db.id)) {
        const kb = fromLatin1(name);
        db.unlinkedKey(kb, 0, kb.length);
      }
    };
    this.store.hooks.added = (db, b, off, len, type) => {
      if (this.notifyFlags & NOTIFY_NEW) this.notify(NOTIFY_NEW, "new", b.slice(off, off + len), db.id);
      if (type === OBJ_LIST || type === OBJ_ZSET || type === OBJ_STREAM) {
        this.blocking.signalKeyAsReady(db, b, off, len);
      }
    };
    this.commands = new CommandTable(opts.families);
    for (const [from, to] of opts.renames ?? []) {
      if (!this.commands.rename(from, to)) throw new Error(`No such command in rename-command: "${from}"`);
    }
    this.activeExpire = new ActiveExpire(this.store);
    this.evictor = new Evictor(this);
    this.lazyfree = new LazyFree(this);
    this.defragger = new Defragger(this);
    this.blocking = new Blocking(this);
    this.slowlog = new SlowLog(this);
    this.runId = randomHex40();
    this.config.onChange((name) => this.applyConfig(name));
    for (const n of HOT_CONFIGS) this.applyConfig(n);
    for (const n of LIMIT_CONFIGS.keys()) this.applyConfig(n);
    this.store.updateLruClock(this.clockMs);
    for (const f of opts.families) f.init?.(this);
  }

  /** INFO server executable: the path the embedder gave, else the runtime's. */
  get executable(): string {
    return this.opts.executable ?? this.rt.executable();
  }

  /** INFO server config_file (absolute path, or "" when started without one). */
  get configFile(): string {
    return this.opts.configFile ?? "";
  }

  // ---- lifecycle ----

  /**
   * Listen on `port` at every `bind` address ("-" marks an optional one). All or nothing:
   * throws (after closing what it opened) when a required address cannot be bound.
   */
  bindTcp(port: number, binds: string[]): Listener[] {
    const out: Listener[] = [];
    let firstErr: unknown = null;
    for (const b of binds.length ? binds : ["*"]) {
      const optional = b.startsWith("-");
      const addr = optional ? b.slice(1) : b;
      const host = addr === "*" ? "0.0.0.0" : addr === "::*" ? "::" : addr;
      try {
        const l = this.rt.listenTcp({ host, port, onConnect: (conn) => this.acceptClient(conn) });
        out.push(l);
        port = l.port; // with port 0 every address shares the port the first one got
      } catch (e) {
        if (!optional) firstErr ??= e;
      }
    }
    if (out.length === 0 || firstErr) {
      for (const l of out) l.close();
      throw new Error(`Could not create server TCP listening socket ${binds.join(" ")}:${port}: ${firstErr}`);
    }
    return out;
  }

  /**
   * Replace the TCP listeners (CONFIG SET port / bind). Existing clients stay connected. The
   * old listeners close first (the new set may reuse their address and port); when the new set
   * cannot be bound the old one is bound again and the error is thrown.
   */
  rebindTcp(port: number, binds: string[]): void {
    const key = `${port} ${binds.join(" ")}`;
    if (key === this.boundTcp) return;
    for (const l of this.tcpListeners) l.close();
    this.tcpListeners = [];
    const oldPort = this.boundPort;
    const oldBinds = this.boundBinds;
    try {
      this.tcpListeners = port === 0 ? [] : this.bindTcp(port, binds);
    } catch (e) {
      if (oldPort === port && /in use|AddrInUse/i.test(String(e))) {
        // Deno frees a closed listener's port only once its pending accept settles (next
        // tick): the same port is bound again from a timer, the old set if that fails
        this._bindLater(port, binds, oldBinds, 10);
      } else {
        if (oldPort !== 0) this.tcpListeners = this.bindTcp(oldPort, oldBinds);
        throw e;
      }
    }
    this.boundTcp = key;
    this.boundPort = port;
    this.boundBinds = binds;
  }

  private _bindLater(port: number, binds: string[], oldBinds: string[], tries: number): void {
    setTimeout(() => {
      if (this.cronTimer === null) return; // closed meanwhile
      try {
        this.tcpListeners = this.bindTcp(port, binds);
      } catch (e) {
        if (tries > 1) return this._bindLater(port, binds, oldBinds, tries - 1);
        this.log("warning", `Failed to bind ${binds.join(" ")}:${port} (${e}), keeping the old addresses`);
        try {
          this.tcpListeners = this.bindTcp(port, oldBinds);
        } catch (e2) {
          this.log("warning", `Failed to bind the old addresses again: ${e2}`);
        }
        this.boundTcp = `${port} ${oldBinds.join(" ")}`;
        this.boundBinds = oldBinds;
        this.config.values.set("bind", oldBinds);
      }
    }, 10);
  }

  /** "port bind..." the TCP listeners serve (rebindTcp skips no-op changes). */
  private boundTcp = "";
  private boundPort = 0;
  private boundBinds: string[] = [];

  /** Bind the listeners and start cron. Resolves with the TCP port (0 when TCP is off). */
  start(): Promise<number> {
    let port = this.opts.ephemeralPort ? 0 : this.config.num("port");
    if (port !== 0 || this.opts.ephemeralPort) {
      const binds = this.config.get("bind") as string[];
      this.tcpListeners = this.bindTcp(port, binds);
      port = this.tcpListeners[0].port;
      this.config.values.set("port", port);
      this.boundTcp = `${port} ${binds.join(" ")}`;
      this.boundPort = port;
      this.boundBinds = binds;
    }
    const us = this.config.str("unixsocket");
    if (us) {
      this.rt.unlinkSync(us);
      this.unixListener = this.rt.listenUnix({ path: us, onConnect: (conn) => this.acceptClient(conn) });
      const perm = this.config.num("unixsocketperm");
      if (perm) this.rt.chmodSync(us, perm);
    }
    this.startCron();
    this.startupMemory = this.usedMemory();
    this.peakMemory = this.startupMemory;
    this.log("notice", `Server initialized (${this.rt.name} ${this.rt.version})`);
    this.log("notice", "Ready to accept connections");
    return Promise.resolve(port);
  }

  private startCron(): void {
    const hz = Math.max(1, Math.min(500, this.config.num("hz")));
    if (this.cronTimer && hz === this.cronHz) return;
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronHz = hz;
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
  }

  /** Stop listening, disconnect clients, stop timers. */
  close(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
    for (const l of this.tcpListeners) l.close();
    this.tcpListeners = [];
    this.unixListener?.close();
    this.unixListener = null;
    for (const c of [...this.clients.values()]) this.closeClient(c);
    this.blocking.close();
    const us = this.config.str("unixsocket");
    if (us) this.rt.unlinkSync(us);
  }

  /** SHUTDOWN / SIGTERM: close everything and tell the embedder. */
  shutdown(code = 0): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log("warning", "User requested shutdown...");
    const pid = this.config.str("pidfile");
    if (pid) this.rt.unlinkSync(pid);
    this.log("warning", "Redis is now ready to exit, bye bye...");
    this.close();
    this.opts.onShutdown?.(code);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  // ---- logging ----

  log(level: LogLevel, msg: string): void {
    if (LEVELS[level] < this.logLevel) return;
    const d = new Date();
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const p2 = (n: number) => String(n).padStart(2, "0");
    const ts = `${p2(d.getDate())} ${months[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${
      p2(d.getMinutes())
    }:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
    const line = `${this.rt.pid()}:M ${ts} ${LEVEL_CHAR[level]} ${msg}`;
    const file = this.config.str("logfile");
    if (file) {
      try {
        this.rt.appendFileSync(file, utf8(line + "\n"));
      } catch {
        // logging must never take the server down
      }
      return;
    }
    (this.opts.logSink ?? console.log)(line);
  }

  // ---- config ----

  private applyConfig(name: string): void {
    const cfg = this.config;
    const limit = LIMIT_CONFIGS.get(name);
    if (limit !== undefined) {
      this.limits[limit] = cfg.num(name);
      return;
    }
    switch (name) {
      case "proto-max-bulk-len":
        this.protoMaxBulkLen = cfg.num(name);
        break;
      case "client-query-buffer-limit":
        this.queryBufLimit = cfg.num(name);
        break;
      case "maxmemory":
        this.maxmemory = cfg.num(name);
        if (this.maxmemory > 0 && this.usedMemory() > this.maxmemory) {
          this.log("warning", "WARNING: the new maxmemory value set via CONFIG SET is smaller than the current memory usage. This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.");
        }
        break;
      case "maxmemory-policy":
        this.evictPolicy = cfg.str(name);
        this.store.lfu = this.evictPolicy.endsWith("lfu");
        break;
      case "lazyfree-lazy-eviction":
        this.lazyEviction = cfg.bool(name);
        break;
      case "lfu-log-factor":
        this.store.lfuLogFactor = cfg.num(name);
        break;
      case "lfu-decay-time":
        this.store.lfuDecayTime = cfg.num(name);
        break;
      case "loglevel":
        this.logLevel = LEVELS[cfg.str(name) as LogLevel];
        break;
      case "notify-keyspace-events":
        this.notifyFlags = cfg.num(name);
        break;
      case "timeout":
        this.maxIdleMs = cfg.num(name) * 1000;
        break;
      case "hz":
        if (this.cronTimer) this.startCron();
        break;
      case "client-output-buffer-limit":
        this.obufLimits = cfg.get(name) as ObufLimits;
        break;
      case "lazyfree-lazy-expire":
        this.store.lazyExpire = cfg.bool(name);
        break;
      case "lazyfree-lazy-server-del":
        this.store.lazyServerDel = cfg.bool(name);
        break;
      case "slowlog-log-slower-than":
        this.slowlogThreshold = cfg.num(name);
        break;
      case "requirepass":
        this.requirePassSet = cfg.str(name) !== "";
        break;
      case "lazyfree-lazy-user-del":
        this.lazyUserDel = cfg.bool(name);
        break;
    }
  }

  /** enable-debug-command & co: "yes", or "local" and the client is on loopback/unix. */
  allowProtected(configName: string, c: Client): boolean {
    const v = this.config.str(configName);
    if (v === "yes") return true;
    if (v === "local") return this.isLocal(c);
    return false;
  }

  isLocal(c: Client): boolean {
    if (!c.conn) return true;
    if (c.conn.isUnix) return true;
    const a = c.conn.remoteAddress;
    return a === "127.0.0.1" || a === "::1" || a === "::ffff:127.0.0.1" || a.startsWith("127.");
  }

  requirePass(): string {
    return this.config.str("requirepass");
  }

  /** The default user has a password (requirepass is set), mirrored from config. */
  requirePassSet = false;

  /** Must this client authenticate before running commands? (Redis's authRequired) */
  authRequired(c: Client): boolean {
    return !c.authenticated && this.requirePassSet;
  }

  unixSocketPath(): string {
    return this.config.str("unixsocket");
  }

  // ---- clients ----

  private acceptClient(conn: Conn): Client {
    const c = new Client(this, conn, this.nextClientId++, this.clockMs);
    if (this.clients.size >= this.config.num("maxclients")) {
      conn.write(fromLatin1("-ERR max number of clients reached\r\n"));
      conn.end();
      this.rejectedConnections++;
      c.closed = true;
      return c;
    }
    if (this.config.bool("protected-mode") && !this.requirePass() && !this.isLocal(c)) {
      conn.write(fromLatin1(
        "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n",
      ));
      conn.end();
      this.rejectedConnections++;
      c.closed = true;
      return c;
    }
    this.clients.set(c.id, c);
    this.numConnections++;
    return c;
  }

  /** A client made in-process with no socket (micro benchmarks; scripts and AOF later). */
  fakeClient(): Client {
    return new Client(this, null, this.nextClientId++, this.clockMs);
  }

  /** Disconnect now (CLIENT KILL, protocol abuse, limits). */
  closeClient(c: Client): void {
    if (!c.closed) {
      c.closed = true;
      c.conn?.close();
    }
    this.onClientClosed(c);
  }

  onClientClosed(c: Client): void {
    if (!this.clients.has(c.id)) return;
    this.clients.delete(c.id);
    this.unwatchAll(c);
    this.monitors.delete(c);
    this.pausedClients.delete(c);
    if (c.flags & CF_BLOCKED) this.blocking.unblock(c, false);
    this.onClientFreed?.(c);
  }

  /** Families with per-client state (pub/sub, tracking) hook client teardown here. */
  onClientFreed: ((c: Client) => void) | null = null;
  /** ...and RESET here. */
  onClientReset: ((c: Client) => void) | null = null;

  /** True when this server replicates from a primary (replication is a later issue). */
  isReplica(): boolean {
    return false;
  }

  onClientDrained(_c: Client): void {}

  markPendingWrite(c: Client): void {
    if (!c.pendingWrite) {
      c.pendingWrite = true;
      this.pendingWrites.push(c);
    }
  }

  /** End of an event: send every pending reply (one write per client), close as requested. */
  afterEvent(): void {
    if (this.callDepth > 0) return; // never from inside a command
    if (this.toResume.length > 0) {
      const list = this.toResume;
      this.toResume = [];
      for (const c of list) c.resume();
    }
    if (this.activeExpire.mayRunFast() && this.pauseType === PAUSE_OFF && this.activeExpireEnabled) {
      this.activeExpire.cycle(false, this.config.num("hz"), this.config.num("active-expire-effort"));
    }
    if (this.blocking.hasReadyKeys()) this.blocking.handleReadyKeys();
    if (this.blocking.hasUnblocked()) this.blocking.resumeUnblocked();
    const list = this.pendingWrites;
    if (list.length === 0) return;
    this.pendingWrites = [];
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      c.pendingWrite = false;
      if (c.closed) continue;
      c.flush();
      if (c.flags & (CF_CLOSE_AFTER_REPLY | CF_CLOSE_ASAP)) {
        if (c.flags & CF_CLOSE_ASAP) this.closeClient(c);
        else {
          c.conn?.end();
          c.closed = true;
          this.onClientClosed(c);
        }
      } else if (this.obufLimits !== null && c.conn && c.conn.pendingBytes() > 0) {
        this.checkOutputLimits(c);
      }
    }
    if (this.lazyfree.hasWork()) this.lazyfree.step(1);
  }

  private checkOutputLimits(c: Client): void {
    const l = c.subscriptions + c.psubscriptions > 0 ? this.obufLimits!.pubsub : this.obufLimits!.normal;
    const used = c.conn!.pendingBytes();
    let over = l.hard > 0 && used >= l.hard;
    if (!over && l.soft > 0 && used >= l.soft) {
      // over the soft limit: closed once it has stayed over for more than softSeconds
      const now = this.clockMs;
      if (c.obufSoftSince === 0) c.obufSoftSince = now;
      else over = now - c.obufSoftSince > l.softSeconds * 1000;
    } else if (!over) {
      c.obufSoftSince = 0;
    }
    if (over) {
      this.log("warning", `Client ${c.describe()} scheduled to be closed ASAP for overcoming of output buffer limits.`);
      this.closeClient(c);
    }
  }

  processCommand(c: Client, argv: Argv): boolean {
    return processCommand(this, c, argv);
  }

  /** Time of the command being run: every TTL comparison in it uses this instant. */
  updateCommandTime(): void {
    this.setCommandTime(performance.now());
  }

  /**
   * Set the command time from a monotonic reading (performance.now() ms) the caller already
   * took: one clock read per command. Wall time = monotonic + an offset re-synced in cron, so
   * TTLs still follow the system clock.
   */
  setCommandTime(perfNow: number): void {
    const now = Math.floor(this.wallOffset + perfNow);
    this.clockMs = now;
    this.store.now = now;
  }

  /** Date.now() - performance.now(), refreshed by cron. */
  private wallOffset = Date.now() - performance.now();

  /** Error reply bookkeeping (INFO errorstats, total_error_replies). */
  countError(text: string): void {
    this.totalErrorReplies++;
    const sp = text.indexOf(" ");
    const code = sp < 0 ? text : text.slice(0, sp);
    if (this.errorStats.size >= 128 && !this.errorStats.has(code)) return;
    this.errorStats.set(code, (this.errorStats.get(code) ?? 0) + 1);
  }

  /** After each call: slowlog, MONITOR. */
  afterCall(c: Client, cmd: Command, argv: Argv, usec: number, _dirtied: boolean): void {
    this.slowlog.maybeAdd(c, cmd, argv, usec);
    this.onCallDone?.(c, cmd, usec);
    if (this.monitors.size > 0 && !(cmd.flags & (SKIP_MONITOR | ADMIN))) {
      this.feedMonitors(c, argv);
    }
    c.redacted = null;
  }

  /** Installed by the INFO family: per-command latency histograms and the latency monitor. */
  onCallDone: ((c: Client, cmd: Command, usec: number) => void) | null = null;
  /** Installed by families with statistics of their own: CONFIG RESETSTAT clears them. */
  onResetStats: (() => void) | null = null;
  /** Installed by the INFO family: the latency monitor (LATENCY LATEST/HISTORY). */
  onLatencySample: ((event: string, ms: number) => void) | null = null;

  /** Report how long a named internal event took (ms); kept when over latency-monitor-threshold. */
  latencySample(event: string, ms: number): void {
    this.onLatencySample?.(event, Math.floor(ms));
  }

  private feedMonitors(c: Client, argv: Argv): void {
    const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const t = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}`;
    const who = !c.conn ? "lua" : c.conn.isUnix ? `unix:${this.unixSocketPath()}` : c.addr;
    let line = `${t} [${c.db.id} ${who}]`;
    for (let i = 0; i < argv.argc; i++) {
      line += c.redacted?.includes(i) ? ' "(redacted)"' : ` "${_reprArg(argv.bytes(i))}"`;
    }
    for (const m of this.monitors) {
      if (m === c && c.flags & CF_MONITOR && argv.is(0, MONITOR_LIT)) continue;
      m.reply.simple(line);
      this.markPendingWrite(m);
    }
  }

  // ---- pause ----

  pause(type: number, endMs: number): void {
    // pauses combine: the stricter type and the later end win
    if (type > this.pauseType) this.pauseType = type;
    if (endMs > this.pauseEndMs) this.pauseEndMs = endMs;
    this.store.expireDeletesPaused = true;
  }

  /**
   * End the pause. Held clients are only queued here: they run from afterEvent, never inside
   * the command (CLIENT UNPAUSE, maybe in a MULTI) that ended the pause.
   */
  unpause(): void {
    this.pauseType = PAUSE_OFF;
    this.pauseEndMs = 0;
    this.store.expireDeletesPaused = false;
    for (const c of this.pausedClients) this.toResume.push(c);
    this.pausedClients.clear();
  }

  /** Clients released by the end of a pause, run by afterEvent. */
  private toResume: Client[] = [];

  /** Is the command (write-like or not) held back by a pause? A pause past its end is over. */
  pausedFor(mayReplicate: boolean): boolean {
    if (this.pauseType === PAUSE_OFF) return false;
    if (Date.now() >= this.pauseEndMs) {
      this.unpause();
      return false;
    }
    return this.pauseType === PAUSE_ALL || mayReplicate;
  }

  /** A client whose next command is held by the pause (dispatch returned false). */
  isPausedFor(c: Client): boolean {
    return this.pausedClients.has(c);
  }

  holdClient(c: Client): void {
    this.pausedClients.add(c);
  }

  /** Clients held by a pause (Redis counts them in blocked_clients). */
  pausedCount(): number {
    return this.pausedClients.size;
  }

  // ---- keyspace hooks ----

  /**
   * signalModifiedKey: invalidates WATCH on the key, except for a watcher that saw the key
   * already expired and finds it now gone: logically nothing changed for it.
   */
  signalModifiedKey(db: Db, b: Uint8Array, off: number, len: number): void {
    if (this.watchedKeys.size === 0) return;
    const key = toLatin1(b, off, len);
    const set = this.watchedKeys.get(`${db.id}\0${key}`);
    if (!set) return;
    let gone: boolean | null = null;
    for (const c of set) {
      const w = c.watched.find((w) => w.db === db.id && w.key === key);
      if (w?.expiredAtWatch) {
        gone ??= db.find(b, off, len) === 0;
        if (gone) {
          w.expiredAtWatch = false;
          continue;
        }
      }
      c.flags |= CF_DIRTY_CAS;
    }
  }

  watch(c: Client, dbid: number, key: string, expiredAtWatch: boolean): void {
    if (c.watched.some((w) => w.db === dbid && w.key === key)) return;
    c.watched.push({ db: dbid, key, expiredAtWatch });
    const k = `${dbid}\0${key}`;
    let set = this.watchedKeys.get(k);
    if (!set) {
      set = new Set();
      this.watchedKeys.set(k, set);
    }
    set.add(c);
  }

  unwatchAll(c: Client): void {
    for (const w of c.watched) {
      const k = `${w.db}\0${w.key}`;
      const set = this.watchedKeys.get(k);
      if (set) {
        set.delete(c);
        if (set.size === 0) this.watchedKeys.delete(k);
      }
    }
    c.watched = [];
  }

  watchedKeyCount(): number {
    return this.watchedKeys.size;
  }

  /** Keyspace notification (notify-keyspace-events). Families call this after writes. */
  notify(type: number, event: string, key: Uint8Array | string, dbid: number): void {
    const flags = this.notifyFlags;
    if (!(flags & type)) return;
    this.onNotify?.(type, event, typeof key === "string" ? fromLatin1(key) : key, dbid);
  }

  /** Installed by the pub/sub family: publishes __keyspace@/__keyevent@ messages. */
  onNotify: ((type: number, event: string, key: Uint8Array, dbid: number) => void) | null = null;

  /** A lookup missed (keymiss notifications). */
  keyMiss(key: Uint8Array, dbid: number): void {
    if (this.notifyFlags & NOTIFY_KEY_MISS) this.notify(NOTIFY_KEY_MISS, "keymiss", key, dbid);
  }

  private onKeyExpired(db: Db, key: Uint8Array): void {
    this.signalModifiedKey(db, key, 0, key.length);
    this.notify(NOTIFY_EXPIRED, "expired", key, db.id);
    this.onPropagateDelete?.(db, key);
  }

  /** Installed by persistence/replication: propagate DEL of an expired/evicted key. */
  onPropagateDelete: ((db: Db, key: Uint8Array) => void) | null = null;

  /** Error text if writes are refused right now (persistence errors, read-only replica). */
  writeDeniedError(_isWrite: boolean, _cmd: Command): string | null {
    return null;
  }

  // ---- memory ----

  /**
   * used_memory: the allocator's live bytes plus client buffers and the slow log. Client buffers
   * are summed by refreshClientMemory (cron, INFO, MEMORY), so this stays O(1): dispatch calls
   * it before every command when maxmemory is set.
   */
  usedMemory(): number {
    return this.heap.allocated + this.clientMem + this.slowlog.memory();
  }

  /** Client query/reply/pending-write buffers, as of the last refresh. */
  private clientMem = 0;

  /** Re-sum client buffers (INFO mem_clients_normal); returns the total. */
  refreshClientMemory(): number {
    let n = 0;
    for (const c of this.clients.values()) {
      n += c.reply.buf.length + c.queryBufLen + (c.conn?.pendingBytes() ?? 0);
    }
    this.clientMem = n;
    return n;
  }

  /** Memory used by clients (INFO mem_clients_normal); `fresh`: re-sum them first. */
  clientsMemory(fresh = true): number {
    return fresh ? this.refreshClientMemory() : this.clientMem;
  }

  /** Evict until under maxmemory; false when still over (command may be refused). */
  performEvictions(): boolean {
    return this.evictor.perform();
  }

  // ---- cron ----

  private cron(): void {
    const now = Date.now();
    this.wallOffset = now - performance.now();
    this.clockMs = now;
    this.store.now = now;
    this.store.updateLruClock(now);
    this.cronloops++;
    const hz = this.cronHz;
    // statistics every 100 ms
    this._trackMetric(this.instOps, this.numCommands, now);
    this._trackMetric(this.instIn, this.netInput, now);
    this._trackMetric(this.instOut, this.netOutput, now);
    this.refreshClientMemory();
    const used = this.usedMemory();
    if (used > this.peakMemory) {
      this.peakMemory = used;
      this.peakMemoryTime = now;
    }
    // pause expiry
    if (this.pauseType !== PAUSE_OFF && now >= this.pauseEndMs) this.unpause();
    // clients: idle timeouts and blocked timeouts
    if (this.maxIdleMs > 0) {
      for (const c of [...this.clients.values()]) {
        if (c.flags & (CF_BLOCKED | CF_MONITOR) || c.subscriptions + c.psubscriptions > 0) continue;
        if (now - c.lastInteraction > this.maxIdleMs) {
          this.log("verbose", "Closing idle client");
          this.closeClient(c);
        }
      }
    }
    for (const c of this.clients.values()) {
      c.trimQueryBuffer(now);
      c.reply.cronResize(now);
    }
    // databases
    if (this.pauseType === PAUSE_OFF && this.activeExpireEnabled) {
      const t0 = performance.now();
      this.activeExpire.cycle(true, hz, this.config.num("active-expire-effort"));
      this.latencySample("expire-cycle", performance.now() - t0);
    }
    // shrink where needed, then give one millisecond of rehashing to the first db that needs it
    let rehash = this.config.bool("activerehashing") && dictResizePolicy.canResize;
    for (const db of this.store.dbs) {
      db.shrinkIfNeeded();
      if (rehash && dictIsRehashing(this.heap, db.dict)) {
        dictRehashMs(this.heap, db.dict, 1);
        rehash = false;
      }
    }
    if (this.maxmemory > 0) this.evictor.perform();
    this.lazyfree.step(5);
    this.defragger.cron();
    if (this.heap.releasedSinceGc >= GC_AFTER_RELEASE && now - this.lastGcMs >= 1000) {
      this.collectGarbage();
    }
    this.onCron?.(now);
    this.afterEvent();
  }

  /**
   * Ask the engine for a full collection, so arena chunks dropped by FLUSHALL, eviction or
   * lazy free leave the process (MEMORY PURGE, and cron after GC_AFTER_RELEASE bytes).
   * Under Deno this needs `--v8-flags=--expose-gc` (the server task passes it).
   */
  collectGarbage(): void {
    this.heap.releasedSinceGc = 0;
    this.lastGcMs = Date.now();
    this.rt.gc();
  }
  private lastGcMs = 0;

  /** Persistence hooks FLUSHALL (it saves an empty snapshot when save points are set). */
  onFlushAll: (() => void) | null = null;

  /** Families with periodic work (persistence save points later) hook cron here. */
  onCron: ((now: number) => void) | null = null;

  private _trackMetric(m: InstMetric, value: number, now: number): void {
    if (now - m.lastTime < 100) return;
    if (m.lastTime > 0) {
      const dt = now - m.lastTime;
      m.samples[m.idx] = ((value - m.lastValue) * 1000) / dt;
      m.idx = (m.idx + 1) % m.samples.length;
    }
    m.lastTime = now;
    m.lastValue = value;
  }

  instantaneous(which: "ops" | "in" | "out"): number {
    const m = which === "ops" ? this.instOps : which === "in" ? this.instIn : this.instOut;
    let s = 0;
    for (let i = 0; i < m.samples.length; i++) s += m.samples[i];
    return s / m.samples.length;
  }

  /** Redis's uptime in seconds. */
  uptimeSeconds(): number {
    return Math.floor((Date.now() - this.startTimeMs) / 1000);
  }

  /** Reset INFO stats (CONFIG RESETSTAT). */
  resetStats(): void {
    this.numCommands = 0;
    this.numConnections = 0;
    this.rejectedConnections = 0;
    this.netInput = 0;
    this.netOutput = 0;
    this.readsProcessed = 0;
    this.writesProcessed = 0;
    this.totalErrorReplies = 0;
    this.errorStats.clear();
    this.store.hits = 0;
    this.store.misses = 0;
    this.store.expiredKeys = 0;
    this.evictor.resetStats();
    this.activeExpire.stats.timeCapReached = 0;
    this.activeExpire.stats.staleRatio = 0;
    this.activeExpire.stats.cpuMs = 0;
    this.peakMemory = this.usedMemory();
    for (const c of this.commands.all()) {
      c.calls = 0;
      c.usec = 0;
      c.rejectedCalls = 0;
      c.failedCalls = 0;
    }
    this.slowlog.resetStats();
    this.onResetStats?.();
  }
}

const MONITOR_LIT = new Uint8Array([109, 111, 110, 105, 116, 111, 114]);

/** MONITOR quoting: printable ASCII as is, \\ \" \n \r \t \a \b escapes, others \xHH. */
function _reprArg(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    switch (c) {
      case 92:
        s += "\\\\";
        break;
      case 34:
        s += '\\"';
        break;
      case 10:
        s += "\\n";
        break;
      case 13:
        s += "\\r";
        break;
      case 9:
        s += "\\t";
        break;
      case 7:
        s += "\\a";
        break;
      case 8:
        s += "\\b";
        break;
      default:
        if (c >= 32 && c < 127) s += String.fromCharCode(c);
        else s += "\\x" + c.toString(16).padStart(2, "0");
    }
  }
  return s;
}
