// Configuration: every Redis 7.0 parameter by its redis.conf name (and old aliases), with Redis's
// types, ranges, defaults and validation texts; redis.conf and argv parsing; CONFIG GET/SET and
// REWRITE support. Depends on nothing in the server. Parameters marked `inert` are accepted and
// reported like Redis does but have no effect here (README lists them).

export const IMMUTABLE = 1 << 0;
export const SENSITIVE = 1 << 1;
export const PROTECTED = 1 << 2;
export const HIDDEN = 1 << 3;
export const MULTI_ARG = 1 << 4;
export const DENY_LOADING = 1 << 5;

type Kind = "bool" | "int" | "memory" | "enum" | "string" | "special";
export type ConfigValue = boolean | number | string | unknown;

export interface ParamDef {
  name: string;
  alias?: string;
  kind: Kind;
  /** Default in redis.conf form. */
  def: string;
  min?: number;
  max?: number;
  flags?: number;
  /** Enum choices, in Redis's order. */
  values?: string[];
  /** Enum of combinable flags (shutdown-on-sig*). */
  bitflags?: boolean;
  octal?: boolean;
  /** Memory configs that also accept "N%" (stored as -N). */
  percent?: boolean;
  /** Accepted and reported, but this server does not act on it. */
  inert?: boolean;
  /** Extra validation of a parsed value; returns an error text or null. */
  check?: (v: ConfigValue) => string | null;
  /** Special parameters: parse the raw text (argument list joined) into a value or throw. */
  /** `prev`: the current value, for parameters set piecewise (client-output-buffer-limit). */
  parse?: (raw: string, prev?: ConfigValue) => ConfigValue;
  format?: (v: ConfigValue) => string;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;
const LONG_MAX = Number.MAX_SAFE_INTEGER; // LONG_MAX / LLONG_MAX: beyond what we can represent
const PROTECTED_ACTION = ["no", "yes", "local"];

function bool(name: string, def: boolean, flags = 0, extra: Partial<ParamDef> = {}): ParamDef {
  return { name, kind: "bool", def: def ? "yes" : "no", flags, ...extra };
}
function int(
  name: string,
  min: number,
  max: number,
  def: number,
  flags = 0,
  extra: Partial<ParamDef> = {},
): ParamDef {
  return { name, kind: "int", min, max, def: String(def), flags, ...extra };
}
function mem(
  name: string,
  min: number,
  max: number,
  def: number,
  flags = 0,
  extra: Partial<ParamDef> = {},
): ParamDef {
  return { name, kind: "memory", min, max, def: String(def), flags, ...extra };
}
function str(name: string, def: string, flags = 0, extra: Partial<ParamDef> = {}): ParamDef {
  return { name, kind: "string", def, flags, ...extra };
}
function enm(
  name: string,
  values: string[],
  def: string,
  flags = 0,
  extra: Partial<ParamDef> = {},
): ParamDef {
  return { name, kind: "enum", values, def, flags, ...extra };
}

// ---- special parameters ----

export interface SaveParam {
  seconds: number;
  changes: number;
}

function parseSave(raw: string): SaveParam[] {
  const parts = raw.trim() === "" ? [] : raw.trim().split(/\s+/);
  if (parts.length % 2 !== 0) throw new Error("Invalid save parameters");
  const out: SaveParam[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const s = Number(parts[i]);
    const c = Number(parts[i + 1]);
    if (!/^\d+$/.test(parts[i]) || !/^\d+$/.test(parts[i + 1]) || s < 1 || c < 0) {
      throw new Error("Invalid save parameters");
    }
    out.push({ seconds: s, changes: c });
  }
  return out;
}

export interface ObufLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}
export type ObufLimits = Record<"normal" | "replica" | "pubsub", ObufLimit>;

function parseObuf(raw: string, base?: ObufLimits): ObufLimits {
  const parts = raw.trim().split(/\s+/).filter((p) => p !== "");
  if (parts.length % 4 !== 0) throw new Error("Wrong number of arguments in buffer limit configuration.");
  const out: ObufLimits = base ? structuredClone(base) : {
    normal: { hard: 0, soft: 0, softSeconds: 0 },
    replica: { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 },
    pubsub: { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 },
  };
  for (let i = 0; i < parts.length; i += 4) {
    let cls = parts[i].toLowerCase();
    if (cls === "slave") cls = "replica";
    if (cls !== "normal" && cls !== "replica" && cls !== "pubsub") {
      throw new Error("Invalid client class specified in buffer limit configuration.");
    }
    const hard = parseMemory(parts[i + 1]);
    const soft = parseMemory(parts[i + 2]);
    const secs = /^\d+$/.test(parts[i + 3]) ? Number(parts[i + 3]) : NaN;
    if (Number.isNaN(hard) || Number.isNaN(soft) || Number.isNaN(secs)) {
      throw new Error("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }
    out[cls as keyof ObufLimits] = { hard, soft, softSeconds: secs };
  }
  return out;
}

function formatObuf(v: ConfigValue): string {
  const o = v as ObufLimits;
  const f = (n: string, l: ObufLimit) => `${n} ${l.hard} ${l.soft} ${l.softSeconds}`;
  return [f("normal", o.normal), f("slave", o.replica), f("pubsub", o.pubsub)].join(" ");
}

// notify-keyspace-events class flags (NOTIFY_*)
export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m
export const NOTIFY_LOADED = 1 << 12; // module only
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH |
  NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

const NOTIFY_CHARS: Record<string, number> = {
  A: NOTIFY_ALL,
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
};

function parseNotify(raw: string): number {
  let flags = 0;
  for (const ch of raw) {
    const f = NOTIFY_CHARS[ch];
    if (f === undefined) throw new Error("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    flags |= f;
  }
  return flags;
}

function formatNotify(v: ConfigValue): string {
  const flags = v as number;
  let s = "";
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) s += "A";
  else {
    const order: [number, string][] = [
      [NOTIFY_GENERIC, "g"],
      [NOTIFY_STRING, "$"],
      [NOTIFY_LIST, "l"],
      [NOTIFY_SET, "s"],
      [NOTIFY_HASH, "h"],
      [NOTIFY_ZSET, "z"],
      [NOTIFY_EXPIRED, "x"],
      [NOTIFY_EVICTED, "e"],
      [NOTIFY_STREAM, "t"],
      [NOTIFY_MODULE, "d"],
      [NOTIFY_NEW, "n"],
    ];
    for (const [f, c] of order) if (flags & f) s += c;
  }
  if (flags & NOTIFY_KEYSPACE) s += "K";
  if (flags & NOTIFY_KEYEVENT) s += "E";
  if (flags & NOTIFY_KEY_MISS) s += "m";
  return s;
}

function parseWords(raw: string): string[] {
  return raw.trim() === "" ? [] : raw.trim().split(/\s+/);
}

function parseOomValues(raw: string): number[] {
  const p = parseWords(raw);
  if (p.length !== 3) throw new Error("wrong number of arguments");
  return p.map((x) => {
    const n = Number(x);
    if (!/^-?\d+$/.test(x) || n < -2000 || n > 2000) {
      throw new Error("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
    }
    return n;
  });
}

function parsePercentiles(raw: string): number[] {
  return parseWords(raw).map((x) => {
    const n = Number(x);
    if (x === "" || Number.isNaN(n)) throw new Error("Invalid latency-tracking-info-percentiles parameters");
    if (n < 0 || n > 100) {
      throw new Error("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
    }
    return n;
  });
}

function parseReplicaOf(raw: string): string {
  const p = parseWords(raw);
  if (p.length === 0) return "";
  if (p.length !== 2) throw new Error("wrong number of arguments");
  if (p[0].toLowerCase() === "no" && p[1].toLowerCase() === "one") return "";
  if (!/^\d+$/.test(p[1]) || Number(p[1]) > 65535) throw new Error("Invalid master port");
  return `${p[0]} ${p[1]}`;
}

function special(
  name: string,
  def: string,
  parse: (raw: string, prev?: ConfigValue) => ConfigValue,
  format: (v: ConfigValue) => string,
  flags = MULTI_ARG,
  extra: Partial<ParamDef> = {},
): ParamDef {
  return { name, kind: "special", def, parse, format, flags, ...extra };
}

/** Every parameter of Redis 7.0 (names, aliases, ranges and defaults as redis.conf has them). */
export const PARAMS: ParamDef[] = [
  // booleans
  bool("rdbchecksum", true, IMMUTABLE),
  bool("daemonize", false, IMMUTABLE, { inert: true }),
  bool("io-threads-do-reads", false, IMMUTABLE, { inert: true }),
  bool("always-show-logo", false, IMMUTABLE, { inert: true }),
  bool("protected-mode", true),
  bool("rdbcompression", true),
  bool("rdb-del-sync-files", false, 0, { inert: true }),
  bool("activerehashing", true),
  bool("stop-writes-on-bgsave-error", true),
  bool("set-proc-title", true, IMMUTABLE, { inert: true }),
  bool("dynamic-hz", true),
  bool("lazyfree-lazy-eviction", false),
  bool("lazyfree-lazy-expire", false),
  bool("lazyfree-lazy-server-del", false),
  bool("lazyfree-lazy-user-del", false),
  bool("lazyfree-lazy-user-flush", false),
  bool("repl-disable-tcp-nodelay", false, 0, { inert: true }),
  bool("repl-diskless-sync", true, 0, { inert: true }),
  bool("aof-rewrite-incremental-fsync", true, 0, { inert: true }),
  bool("no-appendfsync-on-rewrite", false, 0, { inert: true }),
  bool("cluster-require-full-coverage", true, 0, { inert: true }),
  bool("rdb-save-incremental-fsync", true, 0, { inert: true }),
  bool("aof-load-truncated", true, 0, { inert: true }),
  bool("aof-use-rdb-preamble", true, 0, { inert: true }),
  bool("aof-timestamp-enabled", false, 0, { inert: true }),
  bool("cluster-replica-no-failover", false, 0, { alias: "cluster-slave-no-failover", inert: true }),
  bool("replica-lazy-flush", false, 0, { alias: "slave-lazy-flush", inert: true }),
  bool("replica-serve-stale-data", true, 0, { alias: "slave-serve-stale-data", inert: true }),
  bool("replica-read-only", true, 0, { alias: "slave-read-only", inert: true }),
  bool("replica-ignore-maxmemory", true, 0, { alias: "slave-ignore-maxmemory", inert: true }),
  bool("jemalloc-bg-thread", true, 0, { inert: true }),
  bool("activedefrag", false),
  bool("syslog-enabled", false, IMMUTABLE, { inert: true }),
  bool("cluster-enabled", false, IMMUTABLE, { inert: true }),
  bool("appendonly", false, DENY_LOADING, {
    check: (v) => v === true ? "Unable to turn on AOF. Check server logs." : null,
  }),
  bool("cluster-allow-reads-when-down", false, 0, { inert: true }),
  bool("cluster-allow-pubsubshard-when-down", true, 0, { inert: true }),
  bool("crash-log-enabled", true, 0, { inert: true }),
  bool("crash-memcheck-enabled", true, 0, { inert: true }),
  bool("use-exit-on-panic", false, HIDDEN, { inert: true }),
  bool("disable-thp", true, IMMUTABLE, { inert: true }),
  bool("cluster-allow-replica-migration", true, 0, { inert: true }),
  bool("replica-announced", true, 0, { inert: true }),
  bool("latency-tracking", true),
  bool("aof-disable-auto-gc", false, 0, { inert: true }),
  bool("replica-ignore-disk-write-errors", false, 0, { inert: true }),
  bool("tls-cluster", false, 0, { inert: true }),
  bool("tls-replication", false, 0, { inert: true }),
  bool("tls-prefer-server-ciphers", false, 0, { inert: true }),
  bool("tls-session-caching", true, 0, { inert: true }),
  // strings
  str("aclfile", "", IMMUTABLE, { inert: true }),
  str("unixsocket", "", IMMUTABLE),
  str("pidfile", "", IMMUTABLE),
  str("replica-announce-ip", "", 0, { alias: "slave-announce-ip", inert: true }),
  str("masteruser", "", SENSITIVE, { inert: true }),
  str("cluster-announce-ip", "", 0, { inert: true }),
  str("cluster-config-file", "nodes.conf", IMMUTABLE, { inert: true }),
  str("cluster-announce-hostname", "", 0, { inert: true }),
  str("syslog-ident", "redis", IMMUTABLE, { inert: true }),
  str("dbfilename", "dump.rdb", PROTECTED, {
    check: (v) => /\//.test(v as string) ? "dbfilename can't be a path, just a filename" : null,
  }),
  str("appendfilename", "appendonly.aof", IMMUTABLE, {
    check: (v) =>
      v === "" ? "appendfilename can't be empty" : /\//.test(v as string)
        ? "appendfilename can't be a path, just a filename"
        : null,
  }),
  str("appenddirname", "appendonlydir", IMMUTABLE, {
    check: (v) =>
      v === "" ? "appenddirname can't be empty" : /\//.test(v as string)
        ? "appenddirname can't be a path, just a dirname"
        : null,
  }),
  str("server_cpulist", "", IMMUTABLE, { inert: true }),
  str("bio_cpulist", "", IMMUTABLE, { inert: true }),
  str("aof_rewrite_cpulist", "", IMMUTABLE, { inert: true }),
  str("bgsave_cpulist", "", IMMUTABLE, { inert: true }),
  str("ignore-warnings", "", 0, { inert: true }),
  str("proc-title-template", "{title} {listen-addr} {server-mode}", 0, { inert: true }),
  str("bind-source-addr", "", 0, { inert: true }),
  str("logfile", "", IMMUTABLE),
  str("masterauth", "", SENSITIVE, { inert: true }),
  str("requirepass", "", SENSITIVE),
  str("tls-cert-file", "", 0, { inert: true }),
  str("tls-key-file", "", 0, { inert: true }),
  str("tls-key-file-pass", "", 0, { inert: true }),
  str("tls-client-cert-file", "", 0, { inert: true }),
  str("tls-client-key-file", "", 0, { inert: true }),
  str("tls-client-key-file-pass", "", 0, { inert: true }),
  str("tls-dh-params-file", "", 0, { inert: true }),
  str("tls-ca-cert-file", "", 0, { inert: true }),
  str("tls-ca-cert-dir", "", 0, { inert: true }),
  str("tls-protocols", "", 0, { inert: true }),
  str("tls-ciphers", "", 0, { inert: true }),
  str("tls-ciphersuites", "", 0, { inert: true }),
  // enums
  enm("supervised", ["upstart", "systemd", "auto", "no"], "no", IMMUTABLE, { inert: true }),
  enm(
    "syslog-facility",
    ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"],
    "local0",
    IMMUTABLE,
    { inert: true },
  ),
  enm("repl-diskless-load", ["disabled", "on-empty-db", "swapdb"], "disabled", DENY_LOADING, {
    inert: true,
  }),
  enm("loglevel", ["debug", "verbose", "notice", "warning"], "notice"),
  enm(
    "maxmemory-policy",
    [
      "volatile-lru",
      "volatile-lfu",
      "volatile-random",
      "volatile-ttl",
      "allkeys-lru",
      "allkeys-lfu",
      "allkeys-random",
      "noeviction",
    ],
    "noeviction",
  ),
  enm("appendfsync", ["everysec", "always", "no"], "everysec"),
  enm("oom-score-adj", ["no", "yes", "relative", "absolute"], "no", 0, { inert: true }),
  enm("acl-pubsub-default", ["allchannels", "resetchannels"], "resetchannels", 0, { inert: true }),
  enm("sanitize-dump-payload", ["no", "yes", "clients"], "no", 0, { inert: true }),
  enm("enable-protected-configs", PROTECTED_ACTION, "no", IMMUTABLE),
  enm("enable-debug-command", PROTECTED_ACTION, "no", IMMUTABLE),
  enm("enable-module-command", PROTECTED_ACTION, "no", IMMUTABLE, { inert: true }),
  enm("cluster-preferred-endpoint-type", ["ip", "hostname", "unknown-endpoint"], "ip", 0, {
    inert: true,
  }),
  enm("propagation-error-behavior", ["ignore", "panic", "panic-on-replicas"], "ignore", 0, {
    inert: true,
  }),
  enm("shutdown-on-sigint", ["default", "save", "nosave", "now", "force"], "default", MULTI_ARG, {
    bitflags: true,
  }),
  enm("shutdown-on-sigterm", ["default", "save", "nosave", "now", "force"], "default", MULTI_ARG, {
    bitflags: true,
  }),
  enm("tls-auth-clients", ["no", "yes", "optional"], "yes", 0, { inert: true }),
  // integers
  int("databases", 1, INT_MAX, 16, IMMUTABLE),
  int("port", 0, 65535, 6379),
  int("io-threads", 1, 128, 1, IMMUTABLE, { inert: true }),
  int("auto-aof-rewrite-percentage", 0, INT_MAX, 100, 0, { inert: true }),
  int("cluster-replica-validity-factor", 0, INT_MAX, 10, 0, {
    alias: "cluster-slave-validity-factor",
    inert: true,
  }),
  int("list-max-listpack-size", INT_MIN, INT_MAX, -2, 0, { alias: "list-max-ziplist-size" }),
  int("tcp-keepalive", 0, INT_MAX, 300),
  int("cluster-migration-barrier", 0, INT_MAX, 1, 0, { inert: true }),
  int("active-defrag-cycle-min", 1, 99, 1),
  int("active-defrag-cycle-max", 1, 99, 25),
  int("active-defrag-threshold-lower", 0, 1000, 10),
  int("active-defrag-threshold-upper", 0, 1000, 100),
  int("lfu-log-factor", 0, INT_MAX, 10),
  int("lfu-decay-time", 0, INT_MAX, 1),
  int("replica-priority", 0, INT_MAX, 100, 0, { alias: "slave-priority", inert: true }),
  int("repl-diskless-sync-delay", 0, INT_MAX, 5, 0, { inert: true }),
  int("maxmemory-samples", 1, INT_MAX, 5),
  int("maxmemory-eviction-tenacity", 0, 100, 10),
  int("timeout", 0, INT_MAX, 0),
  int("replica-announce-port", 0, 65535, 0, 0, { alias: "slave-announce-port", inert: true }),
  int("tcp-backlog", 0, INT_MAX, 511, IMMUTABLE, { inert: true }),
  int("cluster-port", 0, 65535, 0, IMMUTABLE, { inert: true }),
  int("cluster-announce-bus-port", 0, 65535, 0, 0, { inert: true }),
  int("cluster-announce-port", 0, 65535, 0, 0, { inert: true }),
  int("cluster-announce-tls-port", 0, 65535, 0, 0, { inert: true }),
  int("repl-timeout", 1, INT_MAX, 60, 0, { inert: true }),
  int("repl-ping-replica-period", 1, INT_MAX, 10, 0, {
    alias: "repl-ping-slave-period",
    inert: true,
  }),
  int("list-compress-depth", 0, INT_MAX, 0),
  int("rdb-key-save-delay", INT_MIN, INT_MAX, 0, HIDDEN, { inert: true }),
  int("key-load-delay", INT_MIN, INT_MAX, 0, HIDDEN, { inert: true }),
  int("active-expire-effort", 1, 10, 1),
  int("hz", 0, INT_MAX, 10),
  int("min-replicas-to-write", 0, INT_MAX, 0, 0, { alias: "min-slaves-to-write", inert: true }),
  int("min-replicas-max-lag", 0, INT_MAX, 10, 0, { alias: "min-slaves-max-lag", inert: true }),
  int("watchdog-period", 0, INT_MAX, 0, HIDDEN, { inert: true }),
  int("shutdown-timeout", 0, INT_MAX, 10),
  int("repl-diskless-sync-max-replicas", 0, INT_MAX, 0, 0, { inert: true }),
  int("maxclients", 1, UINT_MAX, 10000),
  int("unixsocketperm", 0, 0o777, 0, IMMUTABLE, { octal: true }),
  int("socket-mark-id", 0, UINT_MAX, 0, IMMUTABLE, { inert: true }),
  int("active-defrag-max-scan-fields", 1, LONG_MAX, 1000),
  int("slowlog-max-len", 0, LONG_MAX, 128),
  int("acllog-max-len", 0, LONG_MAX, 128, 0, { inert: true }),
  int("busy-reply-threshold", 0, LONG_MAX, 5000, 0, { alias: "lua-time-limit" }),
  int("cluster-node-timeout", 0, LONG_MAX, 15000, 0, { inert: true }),
  int("slowlog-log-slower-than", -1, LONG_MAX, 10000),
  int("latency-monitor-threshold", 0, LONG_MAX, 0),
  int("stream-node-max-entries", 0, LONG_MAX, 100),
  int("tracking-table-max-keys", 0, LONG_MAX, 1000000, 0, { inert: true }),
  int("repl-backlog-ttl", 0, LONG_MAX, 3600, 0, { inert: true }),
  int("loading-process-events-interval-bytes", 1024, INT_MAX, 2 * 1024 * 1024, HIDDEN, {
    inert: true,
  }),
  int("tls-port", 0, 65535, 0, 0, { inert: true }),
  int("tls-session-cache-size", 0, INT_MAX, 20 * 1024, 0, { inert: true }),
  int("tls-session-cache-timeout", 0, INT_MAX, 300, 0, { inert: true }),
  int("hash-max-listpack-entries", 0, LONG_MAX, 512, 0, { alias: "hash-max-ziplist-entries" }),
  int("set-max-intset-entries", 0, LONG_MAX, 512),
  int("zset-max-listpack-entries", 0, LONG_MAX, 128, 0, { alias: "zset-max-ziplist-entries" }),
  // memory
  mem("proto-max-bulk-len", 1024 * 1024, LONG_MAX, 512 * 1024 * 1024),
  mem("repl-backlog-size", 1, LONG_MAX, 1024 * 1024, 0, { inert: true }),
  mem("maxmemory", 0, LONG_MAX, 0),
  mem("cluster-link-sendbuf-limit", 0, LONG_MAX, 0, 0, { inert: true }),
  mem("active-defrag-ignore-bytes", 1, LONG_MAX, 100 * 1024 * 1024),
  mem("hash-max-listpack-value", 0, LONG_MAX, 64, 0, { alias: "hash-max-ziplist-value" }),
  mem("stream-node-max-bytes", 0, LONG_MAX, 4096),
  mem("zset-max-listpack-value", 0, LONG_MAX, 64, 0, { alias: "zset-max-ziplist-value" }),
  mem("hll-sparse-max-bytes", 0, LONG_MAX, 3000),
  mem("client-query-buffer-limit", 1024 * 1024, LONG_MAX, 1024 * 1024 * 1024),
  mem("maxmemory-clients", -100, LONG_MAX, 0, 0, { percent: true, inert: true }),
  mem("auto-aof-rewrite-min-size", 0, LONG_MAX, 64 * 1024 * 1024, 0, { inert: true }),
  // specials
  special("dir", "", (raw) => raw, (v) => v as string, PROTECTED | DENY_LOADING),
  special("save", "3600 1 300 100 60 10000", parseSave, (v) =>
    (v as SaveParam[]).map((p) => `${p.seconds} ${p.changes}`).join(" ")),
  special("client-output-buffer-limit", "", (raw, prev) => parseObuf(raw, prev as ObufLimits | undefined), formatObuf),
  special("oom-score-adj-values", "0 200 800", parseOomValues, (v) => (v as number[]).join(" "), MULTI_ARG, {
    inert: true,
  }),
  special("notify-keyspace-events", "", parseNotify, formatNotify, 0),
  special("bind", "* -::*", (raw) => {
    const w = parseWords(raw);
    if (w.length > 16) throw new Error("Too many bind addresses specified.");
    return w;
  }, (v) => (v as string[]).join(" ")),
  special("replicaof", "", parseReplicaOf, (v) => v as string, IMMUTABLE | MULTI_ARG, {
    alias: "slaveof",
    inert: true,
  }),
  special("latency-tracking-info-percentiles", "50 99 99.9", parsePercentiles, (v) =>
    (v as number[]).map((n) => String(n)).join(" ")),
];

// ---- value parsing ----

/** Redis memtoull: digits with an optional unit (k=1000, kb=1024, ... gb), case-insensitive. */
export function parseMemory(s: string): number {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(s);
  if (!m) {
    if (/^-\d+$/.test(s)) return Number(s);
    return NaN;
  }
  const units: Record<string, number> = {
    "": 1,
    b: 1,
    k: 1000,
    kb: 1024,
    m: 1000 * 1000,
    mb: 1024 * 1024,
    g: 1000 * 1000 * 1000,
    gb: 1024 * 1024 * 1024,
  };
  const mul = units[m[2].toLowerCase()];
  if (mul === undefined) return NaN;
  return Number(m[1]) * mul;
}

function parseIntStrict(s: string): number {
  if (!/^[+-]?\d+$/.test(s.trim()) || s.trim() !== s) return NaN;
  return Number(s);
}

export class ConfigError extends Error {}

/** Parsed configuration values by canonical name, with change listeners. */
export class Config {
  private readonly defs = new Map<string, ParamDef>();
  private readonly byName = new Map<string, ParamDef>();
  readonly values = new Map<string, ConfigValue>();
  /** Names given on the command line or in the file (CONFIG REWRITE keeps user lines). */
  readonly configFile: string | null = null;
  private listeners: ((name: string) => void)[] = [];

  constructor(cwd = "") {
    for (const d of PARAMS) {
      this.defs.set(d.name, d);
      this.byName.set(d.name, d);
      if (d.alias) this.byName.set(d.alias, d);
    }
    for (const d of PARAMS) this.values.set(d.name, this.parse(d, d.def));
    this.values.set("dir", cwd);
  }

  setConfigFile(path: string | null): void {
    (this as { configFile: string | null }).configFile = path;
  }

  onChange(fn: (name: string) => void): void {
    this.listeners.push(fn);
  }

  /** Definition by name or alias (case-insensitive). */
  lookup(name: string): ParamDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  allNames(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): ConfigValue {
    return this.values.get(name);
  }

  num(name: string): number {
    return this.values.get(name) as number;
  }

  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  str(name: string): string {
    return this.values.get(name) as string;
  }

  /** Value as CONFIG GET prints it. */
  format(d: ParamDef): string {
    return this.formatValue(d, this.values.get(d.name));
  }

  formatValue(d: ParamDef, v: ConfigValue): string {
    switch (d.kind) {
      case "bool":
        return v ? "yes" : "no";
      case "int":
        return d.octal ? (v as number).toString(8) : String(v);
      case "memory":
        if (d.percent && (v as number) < 0) return `${-(v as number)}%`;
        return String(v);
      case "enum":
        return v as string;
      case "string":
        return v as string;
      case "special":
        return d.format!(v);
    }
  }

  /**
   * Parse a raw value for a parameter; throws ConfigError with Redis's text. `prev` is the
   * value being replaced, for parameters that change only the parts given.
   */
  parse(d: ParamDef, raw: string, prev?: ConfigValue): ConfigValue {
    switch (d.kind) {
      case "bool": {
        const l = raw.toLowerCase();
        if (l === "yes") return true;
        if (l === "no") return false;
        throw new ConfigError("argument must be 'yes' or 'no'");
      }
      case "int":
      case "memory": {
        let n: number;
        if (d.kind === "memory") {
          if (d.percent && /^\d+%$/.test(raw)) n = -Number(raw.slice(0, -1));
          else {
            n = parseMemory(raw);
            if (Number.isNaN(n)) {
              throw new ConfigError(
                d.percent ? "argument must be a memory or percent value" : "argument must be a memory value",
              );
            }
          }
        } else if (d.octal) {
          if (!/^[0-7]+$/.test(raw)) throw new ConfigError("argument couldn't be parsed as an octal number");
          n = parseInt(raw, 8);
        } else {
          n = parseIntStrict(raw);
          if (Number.isNaN(n)) throw new ConfigError("argument couldn't be parsed into an integer");
        }
        if (d.percent && n < 0) {
          if (n < d.min!) throw new ConfigError(`percentage argument must be less or equal to ${-d.min!}`);
        } else if (n < d.min! || n > d.max!) {
          const fmt = (x: number) => d.octal ? x.toString(8) : String(x === LONG_MAX ? "9223372036854775807" : x);
          throw new ConfigError(`argument must be between ${fmt(d.min!)} and ${fmt(d.max!)} inclusive`);
        }
        return n;
      }
      case "enum": {
        const words = d.bitflags ? parseWords(raw) : [raw];
        const out: string[] = [];
        for (const w of words) {
          const v = d.values!.find((x) => x === w.toLowerCase());
          if (v === undefined) {
            throw new ConfigError(`argument(s) must be one of the following: ${d.values!.join(", ")}`);
          }
          out.push(v);
        }
        if (d.bitflags) {
          if (out.length === 0) throw new ConfigError(`argument(s) must be one of the following: ${d.values!.join(", ")}`);
          if (out.includes("save") && out.includes("nosave")) {
            throw new ConfigError("shutdown options SAVE and NOSAVE can't be used simultaneously");
          }
          if (out.length > 1 && out.includes("default")) {
            throw new ConfigError(`argument(s) must be one of the following: ${d.values!.join(", ")}`);
          }
          return out.join(" ");
        }
        return out[0];
      }
      case "string":
        return raw;
      case "special":
        try {
          return d.parse!(raw, prev);
        } catch (e) {
          throw new ConfigError((e as Error).message);
        }
    }
  }

  /**
   * Set several parameters atomically (CONFIG SET a 1 b 2): all parse, or none change.
   * `apply` runs after the values are stored and may throw to roll everything back.
   * Returns null or a Redis error text.
   */
  setMany(
    pairs: [string, string][],
    opts: { allowProtected: boolean; apply?: (names: string[]) => void },
  ): string | null {
    const chosen: ParamDef[] = [];
    const parsed: ConfigValue[] = [];
    let unknown: string | null = null;
    let errArg: string | null = null;
    let errStr: string | null = null;
    // the first bad pair decides the error, as in Redis
    for (const [name, raw] of pairs) {
      if (unknown !== null || errArg !== null) break;
      const d = this.lookup(name);
      if (!d) {
        unknown = name;
        continue;
      }
      if (d.flags! & IMMUTABLE || (d.flags! & PROTECTED && !opts.allowProtected)) {
        errStr = d.flags! & IMMUTABLE ? "can't set immutable config" : "can't set protected config";
        errArg = name;
        continue;
      }
      if (chosen.includes(d)) {
        errStr = "duplicate parameter";
        errArg = name;
        continue;
      }
      chosen.push(d);
      parsed.push(raw);
    }
    if (unknown !== null) {
      return `ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`;
    }
    if (errArg !== null) return `ERR CONFIG SET failed (possibly related to argument '${errArg}') - ${errStr}`;
    const old = chosen.map((d) => this.values.get(d.name));
    for (let i = 0; i < chosen.length; i++) {
      const d = chosen[i];
      try {
        const v = this.parse(d, parsed[i] as string, this.values.get(d.name));
        const bad = d.check?.(v);
        if (bad) throw new ConfigError(bad);
        this.values.set(d.name, v);
      } catch (e) {
        for (let j = 0; j < i; j++) this.values.set(chosen[j].name, old[j]);
        return `ERR CONFIG SET failed (possibly related to argument '${d.name}') - ${(e as Error).message}`;
      }
    }
    try {
      opts.apply?.(chosen.map((d) => d.name));
    } catch (e) {
      for (let j = 0; j < chosen.length; j++) this.values.set(chosen[j].name, old[j]);
      try {
        opts.apply?.(chosen.map((d) => d.name));
      } catch {
        // the previous values were in effect before: nothing more to undo
      }
      const arg = e instanceof ConfigApplyError ? e.param : chosen[0].name;
      return `ERR CONFIG SET failed (possibly related to argument '${arg}') - ${(e as Error).message}`;
    }
    for (const d of chosen) for (const l of this.listeners) l(d.name);
    return null;
  }

  /** Set one value at start-up (file or argv); throws ConfigError. */
  setAtStartup(name: string, raw: string): void {
    const d = this.lookup(name);
    if (!d) throw new ConfigError("Bad directive or wrong number of arguments");
    const v = this.parse(d, raw, this.values.get(d.name));
    const bad = d.name === "appendonly" ? null : d.check?.(v);
    if (bad) throw new ConfigError(bad);
    this.values.set(d.name, v);
  }

  /** CONFIG GET: matching [name, value] pairs for glob patterns or exact names. */
  getMatching(patterns: string[], match: (pat: string, s: string) => boolean): [string, string][] {
    const out = new Map<string, string>();
    const seen = new Set<ParamDef>();
    for (const p of patterns) {
      if (!/[*?[]/.test(p)) {
        const d = this.lookup(p);
        if (d && !out.has(p) && !seen.has(d)) {
          out.set(p, this.format(d));
          seen.add(d);
        }
        continue;
      }
      // Names and aliases both match a pattern (CONFIG GET *of gives replicaof and slaveof).
      for (const [name, d] of this.byName) {
        if (d.flags! & HIDDEN || out.has(name)) continue;
        if (match(p, name)) {
          out.set(name, this.format(d));
          seen.add(d);
        }
      }
    }
    return [...out];
  }

  /** Lines for CONFIG REWRITE: every parameter that differs from its default. */
  rewriteLines(): string[] {
    const lines: string[] = [];
    for (const d of PARAMS) {
      if (d.name === "dir" || d.flags! & HIDDEN) continue;
      const cur = this.format(d);
      if (cur === this.formatValue(d, this.parse(d, d.def))) continue;
      lines.push(`${d.name} ${quoteConfigArg(cur, d)}`);
    }
    return lines;
  }
}

function quoteConfigArg(v: string, d: ParamDef): string {
  if (d.flags! & MULTI_ARG && d.kind !== "string") return v === "" ? '""' : v;
  if (v === "" || /[\s"'\\]/.test(v)) return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return v;
}

// ---- redis.conf / argv parsing ----

/** Split a config line like sdssplitargs (quotes, escapes). Returns null on unbalanced quotes. */
export function splitConfigLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (true) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) return out;
    let cur = "";
    let inq = false;
    let insq = false;
    for (;;) {
      if (inq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === "\\" && line[i + 1] === "x" && /[0-9a-fA-F]{2}/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "b" ? "\b" : e === "a" ? "\x07" : e;
        } else if (c === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        } else cur += c;
      } else if (insq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        } else cur += c;
      } else {
        if (i >= n) break;
        const c = line[i];
        if (c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\0") break;
        if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      i++;
    }
    out.push(cur);
  }
}

/** A bad line in redis.conf (or in argv turned into config lines). */
/** An apply step (binding, chdir...) failed for `param`: CONFIG SET names it in the error. */
export class ConfigApplyError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
  }
}

export class ConfigLoadError extends Error {
  constructor(readonly line: number, readonly text: string, readonly error: string) {
    super(`${error} (line ${line}: '${text}')`);
  }
}

/**
 * Apply redis.conf text. Directives: parameter names and aliases (multi-word values joined), plus
 * "include" (via readInclude), "rename-command" and "user" (recorded in `extra`). Throws
 * a ConfigLoadError-shaped object naming the offending line, as Redis does.
 */
export interface ConfigExtras {
  renames: [string, string][];
  users: string[];
  /** A save line was seen: later save lines add to it instead of replacing the default. */
  sawSave?: boolean;
}

export function loadConfigText(
  cfg: Config,
  text: string,
  extra: ConfigExtras,
  readInclude?: (path: string) => string,
): void {
  const lines = text.split("\n");
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const argv = splitConfigLine(raw);
    const fail = (error: string): never => {
      throw new ConfigLoadError(ln + 1, raw, error);
    };
    if (argv === null) fail("Unbalanced quotes in configuration line");
    if (argv!.length === 0) continue;
    const name = argv![0].toLowerCase();
    const args = argv!.slice(1);
    if (name === "include" && args.length === 1) {
      if (readInclude) loadConfigText(cfg, readInclude(args[0]), extra, readInclude);
      continue;
    }
    if (name === "rename-command" && args.length === 2) {
      extra.renames.push([args[0], args[1]]);
      continue;
    }
    if (name === "user" && args.length >= 1) {
      extra.users.push(args.join(" "));
      continue;
    }
    if (name === "loadmodule" || name === "sentinel") fail("Bad directive or wrong number of arguments");
    const d = cfg.lookup(name);
    if (!d) fail("Bad directive or wrong number of arguments");
    if (!(d!.flags! & MULTI_ARG) && args.length !== 1) fail("wrong number of arguments");
    try {
      // "save" lines accumulate in a file; a lone `save ""` resets.
      if (d!.name === "save" && args.length > 0 && args.join("") !== "") {
        const prev = cfg.get("save") as SaveParam[];
        const added = cfg.parse(d!, args.join(" ")) as SaveParam[];
        cfg.values.set("save", extra.sawSave ? [...prev, ...added] : added);
        extra.sawSave = true;
        continue;
      }
      cfg.setAtStartup(d!.name, args.join(" "));
    } catch (e) {
      fail((e as Error).message);
    }
  }
}
