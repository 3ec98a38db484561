// INFO: Redis 7.0's report, section by section, built from the server's own counters. Also owns
// the per-command latency histograms (INFO latencystats, LATENCY HISTOGRAM) and the latency
// monitor's event series (LATENCY LATEST/HISTORY/GRAPH), both fed from the call hook this family
// installs. Imports the server only through its public fields; knows no other family.

import type { Argv } from "../protocol/resp_parser.ts";
import { CF_MONITOR, CF_REPLICA, CF_TRACKING, type Client } from "./client.ts";
import { type Command, defineCommands, FAST, LOADING, STALE } from "./command.ts";
import { bytesToHuman, memoryOverview } from "./memory_stats.ts";
import type { Server } from "./server.ts";

export { bytesToHuman };

// ---- latency histograms (an HDR histogram: 1 ns .. 1 s, 2 significant digits) ----

const H_SUB_HALF_MAG = 7; // sub_bucket_half_count_magnitude
const H_SUB_HALF = 1 << H_SUB_HALF_MAG; // 128
const H_SUB_MASK = 255; // sub_bucket_mask
const H_BUCKETS = 23; // enough buckets for 1e9 with 256 sub-buckets
const H_LEN = (H_BUCKETS + 1) * H_SUB_HALF; // counts_len
const H_MIN = 1; // LATENCY_HISTOGRAM_MIN_VALUE (ns)
const H_MAX = 1_000_000_000; // LATENCY_HISTOGRAM_MAX_VALUE (ns)

function _bucketIndex(v: number): number {
  return 32 - Math.clz32(v | H_SUB_MASK) - (H_SUB_HALF_MAG + 1);
}

function _valueAtIndex(idx: number): number {
  let bucket = (idx >> H_SUB_HALF_MAG) - 1;
  let sub = (idx & (H_SUB_HALF - 1)) + H_SUB_HALF;
  if (bucket < 0) {
    sub -= H_SUB_HALF;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

function _lowestEquivalent(v: number): number {
  const b = _bucketIndex(v);
  return (v >>> b) * 2 ** b;
}

function _highestEquivalent(v: number): number {
  const b = _bucketIndex(v);
  const sub = v >>> b;
  const size = 2 ** (sub >= 2 * H_SUB_HALF ? b + 1 : b);
  return sub * 2 ** b + size - 1;
}

/** Per-command latency distribution, in nanoseconds, with HDR's bucket layout and percentiles. */
export class LatencyHistogram {
  readonly counts = new Float64Array(H_LEN);
  total = 0;

  record(ns: number): void {
    let v = Math.floor(ns);
    if (v < H_MIN) v = H_MIN;
    if (v > H_MAX) v = H_MAX;
    const b = _bucketIndex(v);
    const idx = ((b + 1) << H_SUB_HALF_MAG) + ((v >>> b) - H_SUB_HALF);
    this.counts[idx]++;
    this.total++;
  }

  /** hdr_value_at_percentile: highest value equivalent to the percentile's bucket. */
  valueAtPercentile(p: number): number {
    const req = p < 100 ? p : 100;
    let want = Math.floor((req / 100) * this.total + 0.5);
    if (want < 1) want = 1;
    let acc = 0;
    let v = 0;
    for (let i = 0; i < H_LEN; i++) {
      acc += this.counts[i];
      if (acc >= want) {
        v = _valueAtIndex(i);
        break;
      }
    }
    return p === 0 ? _lowestEquivalent(v) : _highestEquivalent(v);
  }

  /**
   * The cumulative distribution LATENCY HISTOGRAM reports: HDR's logarithmic iteration with a
   * first bucket of 1024 ns and base 2, as [usec, cumulative count] pairs where the count grew.
   */
  cdf(): [number, number][] {
    const out: [number, number][] = [];
    let idx = -1;
    let cumulative = 0;
    let value = 0;
    let highest = 0;
    let level = 1024;
    let levelLowest = _lowestEquivalent(level);
    let prev = 0;
    const moveNext = (): boolean => {
      idx++;
      if (idx >= H_LEN) return false;
      cumulative += this.counts[idx];
      value = _valueAtIndex(idx);
      highest = _highestEquivalent(value);
      return true;
    };
    for (;;) {
      const more = cumulative < this.total ||
        (idx < H_LEN && _valueAtIndex(idx + 1) > levelLowest);
      if (!more) break;
      for (;;) {
        if (value >= levelLowest) {
          level *= 2;
          levelLowest = _lowestEquivalent(level);
          break;
        }
        if (!moveNext()) break;
      }
      if (cumulative > prev) out.push([Math.floor(highest / 1000), cumulative]);
      prev = cumulative;
      if (idx >= H_LEN) break;
    }
    return out;
  }
}

// ---- latency monitor (latency-monitor-threshold) ----

/** Samples kept per event (LATENCY_TS_LEN). */
export const LATENCY_TS_LEN = 160;

export interface LatencySeries {
  idx: number;
  /** All-time high since the last reset (ms). */
  max: number;
  /** Unix seconds per slot (0: empty). */
  time: Float64Array;
  latency: Float64Array;
}

interface InfoState {
  hists: Map<Command, LatencyHistogram>;
  events: Map<string, LatencySeries>;
}

const _state = new WeakMap<Server, InfoState>();

function _st(s: Server): InfoState {
  let st = _state.get(s);
  if (!st) {
    st = { hists: new Map(), events: new Map() };
    _state.set(s, st);
  }
  return st;
}

/** The latency histogram of a command, or undefined when it never ran while tracking was on. */
export function commandHistogram(s: Server, cmd: Command): LatencyHistogram | undefined {
  return _st(s).hists.get(cmd);
}

/** The latency monitor's event series, in creation order. */
export function latencyEvents(s: Server): Map<string, LatencySeries> {
  return _st(s).events;
}

/** latencyAddSample: one sample per second per event, keeping the highest. */
export function latencyAddSample(s: Server, event: string, ms: number): void {
  const events = _st(s).events;
  let ts = events.get(event);
  if (!ts) {
    ts = {
      idx: 0,
      max: 0,
      time: new Float64Array(LATENCY_TS_LEN),
      latency: new Float64Array(LATENCY_TS_LEN),
    };
    events.set(event, ts);
  }
  const now = Math.floor(Date.now() / 1000);
  if (ms > ts.max) ts.max = ms;
  const prev = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
  if (ts.time[prev] === now) {
    if (ms > ts.latency[prev]) ts.latency[prev] = ms;
    return;
  }
  ts.time[ts.idx] = now;
  ts.latency[ts.idx] = ms;
  ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
}

/** Add a sample when the latency monitor is on and `ms` reaches its threshold. */
export function latencyAddSampleIfNeeded(s: Server, event: string, ms: number): void {
  const t = s.config.num("latency-monitor-threshold");
  if (t > 0 && ms >= t) latencyAddSample(s, event, ms);
}

/** LATENCY RESET: drop one event's series (or all with null); returns how many were dropped. */
export function latencyResetEvent(s: Server, event: string | null): number {
  const events = _st(s).events;
  if (event === null) {
    const n = events.size;
    events.clear();
    return n;
  }
  return events.delete(event) ? 1 : 0;
}

/**
 * Install the call hook: a latency histogram per command (latency-tracking) and the
 * "command"/"fast-command" monitor events. HOT PATH: runs after every command, so the config
 * values are cached here and refreshed on CONFIG SET.
 */
function _init(s: Server): void {
  const st = _st(s);
  let tracking = s.config.bool("latency-tracking");
  let threshold = s.config.num("latency-monitor-threshold");
  s.config.onChange((name) => {
    if (name === "latency-tracking") tracking = s.config.bool(name);
    else if (name === "latency-monitor-threshold") threshold = s.config.num(name);
  });
  const prevCall = s.onCallDone;
  s.onCallDone = (c, cmd, usec) => {
    if (prevCall !== null) prevCall(c, cmd, usec);
    if (tracking) {
      let h = st.hists.get(cmd);
      if (h === undefined) {
        h = new LatencyHistogram();
        st.hists.set(cmd, h);
      }
      h.record(usec * 1000);
    }
    if (threshold > 0 && usec >= threshold * 1000) {
      latencyAddSample(s, cmd.flags & FAST ? "fast-command" : "command", Math.floor(usec / 1000));
    }
  };
  s.onLatencySample = (event, ms) => latencyAddSampleIfNeeded(s, event, ms);
  const prevReset = s.onResetStats;
  s.onResetStats = () => {
    prevReset?.();
    st.hists.clear();
  };
}

// ---- INFO sections ----

type Field = [string, string | number];

/**
 * A family with state INFO should show registers a hook per section: it may replace values of
 * the fields given (in place) or append its own, e.g. persistence filling rdb_* and aof_*.
 */
export type InfoHook = (s: Server, fields: Field[]) => void;

const _hooks = new Map<string, InfoHook[]>();

export function addInfoHook(section: string, hook: InfoHook): void {
  const list = _hooks.get(section) ?? [];
  list.push(hook);
  _hooks.set(section, list);
}

/** Set a field's value in a section's list (used by hooks). */
export function setInfoField(fields: Field[], name: string, value: string | number): void {
  for (const f of fields) {
    if (f[0] === name) {
      f[1] = value;
      return;
    }
  }
  fields.push([name, value]);
}

const DEFAULT_SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "module_list",
  "errorstats",
  "cluster",
  "keyspace",
];

/** Characters INFO replaces with "_" in names it prints (getSafeInfoString). */
function _safe(s: string): string {
  return /[#:\n\r]/.test(s) ? s.replace(/[#:\n\r]/g, "_") : s;
}

const f2 = (
  v: number,
) => (Number.isFinite(v) ? v.toFixed(2) : v > 0 ? "inf" : v < 0 ? "-inf" : "nan");

/** "sec.usec" as getrusage times print. */
function _cpuTime(us: number): string {
  const t = Math.max(0, Math.floor(us));
  return `${Math.floor(t / 1e6)}.${String(t % 1e6).padStart(6, "0")}`;
}

let _osString: string | null = null;

function _os(s: Server): string {
  if (_osString === null) {
    const read = (p: string) => {
      try {
        return new TextDecoder().decode(s.rt.readFileSync(p)).trim();
      } catch {
        return "";
      }
    };
    const sys = read("/proc/sys/kernel/ostype");
    _osString = sys
      ? `${sys} ${read("/proc/sys/kernel/osrelease")} ${read("/proc/sys/kernel/arch")}`
      : s.rt.name;
  }
  return _osString;
}

let _totalMem = -1;

function _totalSystemMemory(s: Server): number {
  if (_totalMem < 0) {
    _totalMem = 0;
    try {
      const t = new TextDecoder().decode(s.rt.readFileSync("/proc/meminfo"));
      const m = /MemTotal:\s+(\d+)\s*kB/.exec(t);
      if (m) _totalMem = Number(m[1]) * 1024;
    } catch {
      // not Linux: leave 0
    }
  }
  return _totalMem;
}

function serverSection(s: Server): Field[] {
  const nowUs = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const uptime = s.uptimeSeconds();
  const hz = s.config.num("hz");
  return [
    ["redis_version", "7.0.15"],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", "standalone"],
    ["os", _os(s)],
    ["arch_bits", 64],
    ["monotonic_clock", "POSIX clock_gettime"],
    ["multiplexing_api", "epoll"],
    ["atomicvar_api", "c11-builtin"],
    ["gcc_version", "0.0.0"],
    ["process_id", s.rt.pid()],
    ["process_supervised", "no"],
    ["run_id", s.runId],
    ["tcp_port", s.config.num("port")],
    ["server_time_usec", nowUs],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", hz],
    ["configured_hz", hz],
    ["lru_clock", s.store.lruClock],
    ["executable", s.executable],
    ["config_file", s.configFile],
    ["io_threads_active", 0],
  ];
}

function clientsSection(s: Server): Field[] {
  let connected = 0;
  let tracking = 0;
  let maxIn = 0;
  let maxOut = 0;
  for (const c of s.clients.values()) {
    if (!(c.flags & CF_REPLICA) || c.flags & CF_MONITOR) connected++;
    if (c.flags & CF_TRACKING) tracking++;
    if (c !== currentInfoClient) {
      if (c.queryBufLen > maxIn) maxIn = c.queryBufLen;
      const out = c.conn?.pendingBytes() ?? 0;
      if (out > maxOut) maxOut = out;
    }
  }
  return [
    ["connected_clients", connected],
    ["cluster_connections", 0],
    ["maxclients", s.config.num("maxclients")],
    ["client_recent_max_input_buffer", maxIn],
    ["client_recent_max_output_buffer", maxOut],
    ["blocked_clients", s.blocking.blockedCount() + s.pausedCount()],
    ["tracking_clients", tracking],
    ["clients_in_timeout_table", 0],
  ];
}

function memorySection(s: Server): Field[] {
  const o = memoryOverview(s);
  const used = o.usedMemory;
  if (used > s.peakMemory) s.peakMemory = used;
  const peak = s.peakMemory;
  const net = used > o.startup ? used - o.startup : 1;
  const total = _totalSystemMemory(s);
  const maxmemory = s.config.num("maxmemory");
  return [
    ["used_memory", used],
    ["used_memory_human", bytesToHuman(used)],
    ["used_memory_rss", o.rss],
    ["used_memory_rss_human", bytesToHuman(o.rss)],
    ["used_memory_peak", peak],
    ["used_memory_peak_human", bytesToHuman(peak)],
    ["used_memory_peak_perc", `${f2(peak > 0 ? (used * 100) / peak : 0)}%`],
    ["used_memory_overhead", o.overheadTotal],
    ["used_memory_startup", o.startup],
    ["used_memory_dataset", o.dataset],
    ["used_memory_dataset_perc", `${f2((o.dataset * 100) / net)}%`],
    ["allocator_allocated", o.allocated],
    ["allocator_active", o.active],
    ["allocator_resident", o.resident],
    ["total_system_memory", total],
    ["total_system_memory_human", bytesToHuman(total)],
    ["used_memory_lua", 0],
    ["used_memory_vm_eval", 0],
    ["used_memory_lua_human", "0B"],
    ["used_memory_scripts_eval", 0],
    ["number_of_cached_scripts", 0],
    ["number_of_functions", 0],
    ["number_of_libraries", 0],
    ["used_memory_vm_functions", 0],
    ["used_memory_vm_total", 0],
    ["used_memory_vm_total_human", "0B"],
    ["used_memory_functions", 0],
    ["used_memory_scripts", 0],
    ["used_memory_scripts_human", "0B"],
    ["maxmemory", maxmemory],
    ["maxmemory_human", bytesToHuman(maxmemory)],
    ["maxmemory_policy", s.config.str("maxmemory-policy")],
    ["allocator_frag_ratio", f2(o.allocatorFragRatio)],
    ["allocator_frag_bytes", o.allocatorFragBytes],
    ["allocator_rss_ratio", f2(o.allocatorRssRatio)],
    ["allocator_rss_bytes", o.allocatorRssBytes],
    ["rss_overhead_ratio", f2(o.rssOverheadRatio)],
    ["rss_overhead_bytes", o.rssOverheadBytes],
    ["mem_fragmentation_ratio", f2(o.fragRatio)],
    ["mem_fragmentation_bytes", o.fragBytes],
    ["mem_not_counted_for_evict", 0],
    ["mem_replication_backlog", 0],
    ["mem_total_replication_buffers", 0],
    ["mem_clients_slaves", 0],
    ["mem_clients_normal", o.clientsNormal],
    ["mem_cluster_links", 0],
    ["mem_aof_buffer", 0],
    ["mem_allocator", MEM_ALLOCATOR],
    ["active_defrag_running", s.defragger.running ? 1 : 0],
    ["lazyfree_pending_objects", s.lazyfree.pending()],
    ["lazyfreed_objects", s.lazyfree.freedObjects],
  ];
}

/**
 * INFO mem_allocator. Our arena allocator uses jemalloc's size classes and reports jemalloc's
 * statistics, so the name says both (Redis's tests key jemalloc-specific checks on "jemalloc").
 */
export const MEM_ALLOCATOR = "arena (jemalloc size classes)";

function persistenceSection(s: Server): Field[] {
  return [
    ["loading", 0],
    ["async_loading", 0],
    ["current_cow_peak", 0],
    ["current_cow_size", 0],
    ["current_cow_size_age", 0],
    ["current_fork_perc", "0.00"],
    ["current_save_keys_processed", 0],
    ["current_save_keys_total", 0],
    ["rdb_changes_since_last_save", s.dirty],
    ["rdb_bgsave_in_progress", 0],
    ["rdb_last_save_time", Math.floor(s.lastSaveMs / 1000)],
    ["rdb_last_bgsave_status", "ok"],
    ["rdb_last_bgsave_time_sec", -1],
    ["rdb_current_bgsave_time_sec", -1],
    ["rdb_saves", 0],
    ["rdb_last_cow_size", 0],
    ["rdb_last_load_keys_expired", 0],
    ["rdb_last_load_keys_loaded", 0],
    ["aof_enabled", 0],
    ["aof_rewrite_in_progress", 0],
    ["aof_rewrite_scheduled", 0],
    ["aof_last_rewrite_time_sec", -1],
    ["aof_current_rewrite_time_sec", -1],
    ["aof_last_bgrewrite_status", "ok"],
    ["aof_rewrites", 0],
    ["aof_rewrites_consecutive_failures", 0],
    ["aof_last_write_status", "ok"],
    ["aof_last_cow_size", 0],
    ["module_fork_in_progress", 0],
    ["module_fork_last_cow_size", 0],
  ];
}

function statsSection(s: Server): Field[] {
  const ev = s.evictor;
  const now = Date.now();
  const curEvict = ev.exceededSince ? now - ev.exceededSince : 0;
  const ex = s.activeExpire.stats;
  const d = s.defragger;
  return [
    ["total_connections_received", s.numConnections],
    ["total_commands_processed", s.numCommands],
    ["instantaneous_ops_per_sec", Math.floor(s.instantaneous("ops"))],
    ["total_net_input_bytes", s.netInput],
    ["total_net_output_bytes", s.netOutput],
    ["total_net_repl_input_bytes", 0],
    ["total_net_repl_output_bytes", 0],
    ["instantaneous_input_kbps", f2(s.instantaneous("in") / 1024)],
    ["instantaneous_output_kbps", f2(s.instantaneous("out") / 1024)],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", s.rejectedConnections],
    ["sync_full", 0],
    ["sync_partial_ok", 0],
    ["sync_partial_err", 0],
    ["expired_keys", s.store.expiredKeys],
    ["expired_stale_perc", f2(ex.staleRatio * 100)],
    ["expired_time_cap_reached_count", ex.timeCapReached],
    ["expire_cycle_cpu_milliseconds", Math.floor(ex.cpuMs)],
    ["evicted_keys", ev.evictedKeys],
    ["evicted_clients", 0],
    ["total_eviction_exceeded_time", Math.floor(ev.exceededTotalMs + curEvict)],
    ["current_eviction_exceeded_time", Math.floor(curEvict)],
    ["keyspace_hits", s.store.hits],
    ["keyspace_misses", s.store.misses],
    ["pubsub_channels", 0],
    ["pubsub_patterns", 0],
    ["pubsubshard_channels", 0],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", d.hits],
    ["active_defrag_misses", d.misses],
    ["active_defrag_key_hits", d.keyHits],
    ["active_defrag_key_misses", d.keyMisses],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", 0],
    ["tracking_total_items", 0],
    ["tracking_total_prefixes", 0],
    ["unexpected_error_replies", s.unexpectedErrorReplies],
    ["total_error_replies", s.totalErrorReplies],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", s.readsProcessed],
    ["total_writes_processed", s.writesProcessed],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", 0],
    ["reply_buffer_expands", 0],
  ];
}

function replicationSection(s: Server): Field[] {
  return [
    ["role", "master"],
    ["connected_slaves", 0],
    ["master_failover_state", "no-failover"],
    ["master_replid", s.replId],
    ["master_replid2", s.replId2],
    ["master_repl_offset", s.masterReplOffset],
    ["second_repl_offset", s.secondReplOffset],
    ["repl_backlog_active", 0],
    ["repl_backlog_size", s.config.num("repl-backlog-size")],
    ["repl_backlog_first_byte_offset", 0],
    ["repl_backlog_histlen", 0],
  ];
}

function cpuSection(s: Server): Field[] {
  const u = s.rt.cpuUsage();
  return [
    ["used_cpu_sys", _cpuTime(u.system)],
    ["used_cpu_user", _cpuTime(u.user)],
    ["used_cpu_sys_children", "0.000000"],
    ["used_cpu_user_children", "0.000000"],
    ["used_cpu_sys_main_thread", _cpuTime(u.system)],
    ["used_cpu_user_main_thread", _cpuTime(u.user)],
  ];
}

/** Every command then its subcommands, in table order. */
function _allCommands(s: Server): Command[] {
  return s.commands.all();
}

function commandstatsSection(s: Server): Field[] {
  const out: Field[] = [];
  for (const c of _allCommands(s)) {
    if (c.calls === 0 && c.failedCalls === 0 && c.rejectedCalls === 0) continue;
    const usec = Math.floor(c.usec);
    const per = c.calls === 0 ? 0 : usec / c.calls;
    out.push([
      `cmdstat_${_safe(c.fullName)}`,
      `calls=${c.calls},usec=${usec},usec_per_call=${
        per.toFixed(2)
      },rejected_calls=${c.rejectedCalls},failed_calls=${c.failedCalls}`,
    ]);
  }
  return out;
}

function errorstatsSection(s: Server): Field[] {
  const names = [...s.errorStats.keys()].sort();
  return names.map((n) => [`errorstat_${_safe(n)}`, `count=${s.errorStats.get(n)}`]);
}

/** A percentile as "%f" prints it, trailing zeros trimmed ("50", "99.9"). */
function _pctLabel(p: number): string {
  let t = p.toFixed(6);
  if (t.includes(".")) t = t.replace(/0+$/, "").replace(/\.$/, "");
  return t;
}

function latencystatsSection(s: Server): Field[] {
  const out: Field[] = [];
  if (!s.config.bool("latency-tracking")) return out;
  const pcts = s.config.get("latency-tracking-info-percentiles") as number[];
  const hists = _st(s).hists;
  for (const c of _allCommands(s)) {
    const h = hists.get(c);
    if (!h) continue;
    const parts = pcts.map((p) => `p${_pctLabel(p)}=${(h.valueAtPercentile(p) / 1000).toFixed(3)}`);
    out.push([`latency_percentiles_usec_${_safe(c.fullName)}`, parts.join(",")]);
  }
  return out;
}

function keyspaceSection(s: Server): Field[] {
  const out: Field[] = [];
  for (const db of s.store.dbs) {
    const keys = db.size();
    const vkeys = db.expiresCount();
    if (keys || vkeys) {
      out.push([`db${db.id}`, `keys=${keys},expires=${vkeys},avg_ttl=${Math.floor(db.avgTtl)}`]);
    }
  }
  return out;
}

interface SectionDef {
  name: string;
  title: string;
  /** Other names that select it ("modules" also selects the module list). */
  alias?: string;
  gen: (s: Server) => Field[];
}

/** Sections in the order INFO prints them. */
const SECTIONS: SectionDef[] = [
  { name: "server", title: "Server", gen: serverSection },
  { name: "clients", title: "Clients", gen: clientsSection },
  { name: "memory", title: "Memory", gen: memorySection },
  { name: "persistence", title: "Persistence", gen: persistenceSection },
  { name: "stats", title: "Stats", gen: statsSection },
  { name: "replication", title: "Replication", gen: replicationSection },
  { name: "cpu", title: "CPU", gen: cpuSection },
  { name: "module_list", title: "Modules", alias: "modules", gen: () => [] },
  { name: "commandstats", title: "Commandstats", gen: commandstatsSection },
  { name: "errorstats", title: "Errorstats", gen: errorstatsSection },
  { name: "latencystats", title: "Latencystats", gen: latencystatsSection },
  { name: "cluster", title: "Cluster", gen: () => [["cluster_enabled", 0]] },
  { name: "keyspace", title: "Keyspace", gen: keyspaceSection },
];

/** The client running INFO (its own query buffer is not "recent max input"). */
let currentInfoClient: Client | null = null;

/**
 * genRedisInfoString: the selected sections, each "# Title" then "name:value" lines, CRLF line
 * ends, a blank line between sections. `args` are INFO's arguments (empty: the default set).
 */
export function genInfoString(s: Server, args: string[]): string {
  const wanted = new Set<string>();
  let all = false;
  if (args.length === 0) { for (const d of DEFAULT_SECTIONS) wanted.add(d); }
  for (const raw of args) {
    const a = raw.toLowerCase();
    if (a === "default") { for (const d of DEFAULT_SECTIONS) wanted.add(d); }
    else if (a === "all" || a === "everything") all = true;
    else wanted.add(a);
  }
  let out = "";
  let n = 0;
  for (const sec of SECTIONS) {
    if (!all && !wanted.has(sec.name) && !(sec.alias && wanted.has(sec.alias))) continue;
    const fields = sec.gen(s);
    for (const h of _hooks.get(sec.name) ?? []) h(s, fields);
    if (n++ > 0) out += "\r\n";
    out += `# ${sec.title}\r\n`;
    for (const [k, v] of fields) out += `${k}:${v}\r\n`;
  }
  return out;
}

/** The value of one INFO field (tests and MEMORY DOCTOR-like reports). */
export function infoField(s: Server, section: string, name: string): string | undefined {
  const sec = SECTIONS.find((d) => d.name === section);
  if (!sec) return undefined;
  const fields = sec.gen(s);
  for (const h of _hooks.get(sec.name) ?? []) h(s, fields);
  const f = fields.find((x) => x[0] === name);
  return f === undefined ? undefined : String(f[1]);
}

// ---- INFO command ----

// INFO [section [section ...]]
function infoCommand(c: Client, argv: Argv): void {
  const args: string[] = [];
  for (let i = 1; i < argv.argc; i++) args.push(argv.str(i));
  currentInfoClient = c;
  let text: string;
  try {
    text = genInfoString(c.server, args);
  } finally {
    currentInfoClient = null;
  }
  c.reply.verbatim(text, "txt");
}

export const infoCommands = defineCommands("server", [
  {
    name: "info",
    arity: -1,
    flags: LOADING | STALE,
    handler: infoCommand,
    summary: "Returns information and statistics about the server",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "[section ...]",
    acl: ["dangerous"],
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
  },
], _init);
