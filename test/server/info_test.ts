// INFO over a real socket: section selection (default/all/everything, several sections,
// case-insensitive names), Redis 7.0's layout and field order, and values taken from the
// server's counters (keyspace, commandstats, errorstats, latencystats, memory, stats).

import assert from "node:assert/strict";
import { runtimeName, test } from "../_harness.ts";
import { withServer } from "../_server.ts";
import { RespError, Verbatim } from "../_resp_client.ts";
import { bytesToHuman, LatencyHistogram } from "../../src/server/info.ts";

const T = `INFO (${runtimeName})`;

/** Section titles in the order they appear. */
function titles(info: string): string[] {
  return info.split("\r\n").filter((l) => l.startsWith("# ")).map((l) => l.slice(2));
}

/** name -> value of every "name:value" line. */
function fields(info: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of info.split("\r\n")) {
    const i = l.indexOf(":");
    if (i > 0 && !l.startsWith("#")) m.set(l.slice(0, i), l.slice(i + 1));
  }
  return m;
}

/** Field names of one section, in order. */
function sectionNames(info: string, title: string): string[] {
  const lines = info.split("\r\n");
  const at = lines.indexOf(`# ${title}`);
  assert.ok(at >= 0, `section ${title} present`);
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && lines[i] !== ""; i++) out.push(lines[i].split(":")[0]);
  return out;
}

const DEFAULT = [
  "Server",
  "Clients",
  "Memory",
  "Persistence",
  "Stats",
  "Replication",
  "CPU",
  "Modules",
  "Errorstats",
  "Cluster",
  "Keyspace",
];
const ALL = [
  "Server",
  "Clients",
  "Memory",
  "Persistence",
  "Stats",
  "Replication",
  "CPU",
  "Modules",
  "Commandstats",
  "Errorstats",
  "Latencystats",
  "Cluster",
  "Keyspace",
];

test(`${T}: no argument and "default" give the default sections in Redis's order`, async () => {
  await withServer({}, async ({ r }) => {
    const info = await r.call("INFO") as string;
    assert.deepEqual(titles(info), DEFAULT);
    assert.ok(info.startsWith("# Server\r\nredis_version:7.0.15\r\n"));
    assert.ok(info.includes("\r\n\r\n# Clients\r\n"), "sections are separated by a blank line");
    assert.ok(info.endsWith("# Keyspace\r\n"), "empty keyspace section ends the report");
    assert.ok(!/[^\r]\n/.test(info), "every line ends with CRLF");
    assert.deepEqual(titles(await r.call("INFO", "default") as string), DEFAULT);
    assert.ok(!info.includes("rejected_calls"));
  });
});

test(`${T}: "all" and "everything" add commandstats and latencystats`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("PING");
    for (const a of ["all", "everything", "ALL"]) {
      const info = await r.call("INFO", a) as string;
      assert.deepEqual(titles(info), ALL, a);
      assert.ok(info.includes("cmdstat_ping:calls=1,"), a);
    }
  });
});

test(`${T}: section names are case-insensitive, unknown ones are empty, repeats print once`, async () => {
  await withServer({}, async ({ r }) => {
    assert.deepEqual(titles(await r.call("INFO", "cpu") as string), ["CPU"]);
    assert.deepEqual(titles(await r.call("INFO", "commandSTATS") as string), ["Commandstats"]);
    assert.equal(await r.call("INFO", "sentinel"), "");
    assert.equal(await r.call("INFO", "nosuchsection", "another"), "");
    assert.deepEqual(titles(await r.call("INFO", "keyspace", "cpu", "CPU") as string), [
      "CPU",
      "Keyspace",
    ]);
    const cpuAll = await r.call("INFO", "cpu", "all") as string;
    assert.deepEqual(titles(cpuAll), ALL);
    assert.equal(cpuAll.split("used_cpu_user_children").length, 2, "no section twice");
    const cpuDefault = await r.call("INFO", "cpu", "default") as string;
    assert.deepEqual(titles(cpuDefault), DEFAULT);
    assert.deepEqual(titles(await r.call("INFO", "modules") as string), ["Modules"]);
  });
});

test(`${T}: fields come in Redis 7.0's order`, async () => {
  await withServer({}, async ({ r }) => {
    const info = await r.call("INFO", "everything") as string;
    assert.deepEqual(sectionNames(info, "Clients"), [
      "connected_clients",
      "cluster_connections",
      "maxclients",
      "client_recent_max_input_buffer",
      "client_recent_max_output_buffer",
      "blocked_clients",
      "tracking_clients",
      "clients_in_timeout_table",
    ]);
    assert.deepEqual(sectionNames(info, "Replication"), [
      "role",
      "connected_slaves",
      "master_failover_state",
      "master_replid",
      "master_replid2",
      "master_repl_offset",
      "second_repl_offset",
      "repl_backlog_active",
      "repl_backlog_size",
      "repl_backlog_first_byte_offset",
      "repl_backlog_histlen",
    ]);
    const server = sectionNames(info, "Server");
    assert.deepEqual(server.slice(0, 5), [
      "redis_version",
      "redis_git_sha1",
      "redis_git_dirty",
      "redis_build_id",
      "redis_mode",
    ]);
    assert.deepEqual(server.slice(-4), [
      "lru_clock",
      "executable",
      "config_file",
      "io_threads_active",
    ]);
    const mem = sectionNames(info, "Memory");
    assert.equal(mem.length, 51);
    assert.deepEqual(mem.slice(0, 3), ["used_memory", "used_memory_human", "used_memory_rss"]);
    assert.deepEqual(mem.slice(-3), [
      "active_defrag_running",
      "lazyfree_pending_objects",
      "lazyfreed_objects",
    ]);
    assert.equal(sectionNames(info, "Persistence").length, 30);
    const stats = sectionNames(info, "Stats");
    assert.equal(stats.length, 50);
    assert.deepEqual(stats.slice(0, 3), [
      "total_connections_received",
      "total_commands_processed",
      "instantaneous_ops_per_sec",
    ]);
    assert.equal(sectionNames(info, "CPU").length, 6);
    assert.deepEqual(sectionNames(info, "Cluster"), ["cluster_enabled"]);
  });
});

test(`${T}: server and clients fields report this server`, async () => {
  await withServer({ hz: 25, maxclients: 123 }, async ({ r, port, srv, client }) => {
    await client();
    const f = fields(await r.call("INFO", "server", "clients") as string);
    assert.equal(f.get("tcp_port"), String(port));
    assert.equal(f.get("run_id"), srv.server.runId);
    assert.equal(f.get("run_id")!.length, 40);
    assert.equal(f.get("hz"), "25");
    assert.equal(f.get("configured_hz"), "25");
    assert.equal(f.get("maxclients"), "123");
    assert.equal(f.get("connected_clients"), "2");
    assert.equal(f.get("blocked_clients"), "0");
    assert.equal(f.get("lru_clock"), String(srv.server.store.lruClock));
    assert.equal(f.get("process_id"), String(srv.server.rt.pid()));
    assert.match(f.get("server_time_usec")!, /^\d{16}$/);
    assert.equal(f.get("redis_mode"), "standalone");
  });
});

test(`${T}: keyspace lists databases with keys and expires`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("SET", "a", "1");
    await r.call("SET", "b", "2", "EX", "100");
    await r.call("SELECT", "3");
    await r.call("SET", "c", "3");
    const info = await r.call("INFO", "keyspace") as string;
    assert.match(
      info,
      /^# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n$/,
    );
  });
});

test(`${T}: commandstats count calls, failed and rejected calls, with container|sub names`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("CONFIG", "RESETSTAT");
    await r.call("SET", "k", "v");
    await r.call("SET", "k", "v");
    await assert.rejects(r.call("GET"), RespError); // rejected: arity
    await r.call("SET", "n", "x");
    await assert.rejects(r.call("SET", "k", "v", "EX", "0"), RespError); // failed
    await r.call("CONFIG", "GET", "maxmemory");
    const info = await r.call("INFO", "commandstats") as string;
    const f = fields(info);
    assert.match(
      f.get("cmdstat_set")!,
      /^calls=4,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1$/,
    );
    assert.equal(
      f.get("cmdstat_get"),
      "calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0",
    );
    assert.match(f.get("cmdstat_config|get")!, /^calls=1,/);
    assert.ok(!f.has("cmdstat_config"), "a container is listed only when called itself");
    assert.match(f.get("cmdstat_config|resetstat")!, /^calls=1,/);
  });
});

test(`${T}: errorstats counts error replies by code, in sorted order`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("CONFIG", "RESETSTAT");
    await r.call("SET", "s", "x");
    await assert.rejects(r.call("NOSUCHCMD"), RespError);
    await assert.rejects(r.call("GET"), RespError);
    await assert.rejects(r.call("INCR", "s"), RespError);
    const info = await r.call("INFO", "errorstats") as string;
    assert.equal(info, "# Errorstats\r\nerrorstat_ERR:count=3\r\n");
    const stats = fields(await r.call("INFO", "stats") as string);
    assert.equal(stats.get("total_error_replies"), "3");
  });
});

test(`${T}: latencystats reports the configured percentiles and follows latency-tracking`, async () => {
  await withServer({ "latency-tracking-info-percentiles": "50 99.9 100" }, async ({ r }) => {
    await r.call("PING");
    await r.call("PING");
    const info = await r.call("INFO", "latencystats") as string;
    assert.match(
      info,
      /^# Latencystats\r\nlatency_percentiles_usec_ping:p50=\d+\.\d{3},p99\.9=\d+\.\d{3},p100=\d+\.\d{3}\r\n/,
    );
    await r.call("CONFIG", "RESETSTAT");
    assert.ok(
      !(await r.call("INFO", "latencystats") as string).includes("ping"),
      "RESETSTAT clears histograms",
    );
    await r.call("CONFIG", "SET", "latency-tracking", "no");
    await r.call("PING");
    assert.equal(await r.call("INFO", "latencystats"), "# Latencystats\r\n");
  });
});

test(`${T}: memory fields follow the allocator and maxmemory settings`, async () => {
  await withServer({ maxmemory: "10mb", "maxmemory-policy": "allkeys-lru" }, async ({ r, srv }) => {
    for (let i = 0; i < 100; i++) await r.call("SET", `key:${i}`, "x".repeat(100));
    const f = fields(await r.call("INFO", "memory") as string);
    const used = Number(f.get("used_memory"));
    assert.ok(used >= srv.server.heap.allocated && used > 0);
    assert.equal(f.get("used_memory_human"), bytesToHuman(used));
    assert.equal(f.get("maxmemory"), String(10 * 1024 * 1024));
    assert.equal(f.get("maxmemory_human"), "10.00M");
    assert.equal(f.get("maxmemory_policy"), "allkeys-lru");
    assert.ok(Number(f.get("used_memory_peak")) >= used);
    assert.equal(f.get("allocator_allocated"), String(srv.server.heap.allocated));
    assert.match(f.get("allocator_frag_ratio")!, /^\d+\.\d\d$/);
    assert.match(f.get("mem_fragmentation_ratio")!, /^\d+\.\d\d$/);
    assert.match(f.get("used_memory_peak_perc")!, /^\d+\.\d\d%$/);
    assert.match(f.get("mem_allocator")!, /jemalloc/);
  });
});

test(`${T}: stats and persistence fields count hits, misses, expiries and changes`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("CONFIG", "RESETSTAT");
    const before = Number(
      fields(await r.call("INFO", "persistence") as string).get("rdb_changes_since_last_save"),
    );
    await r.call("SET", "a", "1");
    await r.call("GET", "a");
    await r.call("GET", "nope");
    await r.call("SET", "t", "1", "PX", "1");
    await new Promise((res) => setTimeout(res, 20));
    await r.call("GET", "t");
    const f = fields(await r.call("INFO", "stats", "persistence") as string);
    assert.equal(f.get("keyspace_hits"), "1");
    assert.equal(f.get("keyspace_misses"), "2");
    assert.equal(f.get("expired_keys"), "1");
    assert.equal(
      Number(f.get("rdb_changes_since_last_save")),
      before + 2,
      "a lazy expiry is not a change",
    );
    assert.equal(f.get("aof_enabled"), "0");
    assert.equal(f.get("loading"), "0");
  });
});

test(`${T}: INFO is a verbatim string in RESP3`, async () => {
  await withServer({}, async ({ r }) => {
    await r.call("HELLO", "3");
    const v = await r.call("INFO", "cpu");
    assert.ok(v instanceof Verbatim);
    assert.equal(v.format, "txt");
    assert.ok(v.text.startsWith("# CPU\r\nused_cpu_sys:"));
  });
});

test(`${T}: bytesToHuman formats like Redis`, () => {
  assert.equal(bytesToHuman(0), "0B");
  assert.equal(bytesToHuman(1023), "1023B");
  assert.equal(bytesToHuman(1024), "1.00K");
  assert.equal(bytesToHuman(1536 * 1024), "1.50M");
  assert.equal(bytesToHuman(25276502016), "23.54G");
});

test(`${T}: the latency histogram keeps HDR's buckets and percentiles`, () => {
  const h = new LatencyHistogram();
  h.record(1000);
  // 1000 ns falls in a bucket of width 4: percentiles report its highest value
  assert.equal(h.valueAtPercentile(50), 1003);
  assert.deepEqual(h.cdf(), [[1, 1]]);
  const g = new LatencyHistogram();
  for (let v = 1; v <= 100; v++) g.record(v); // below 256 ns every value is exact
  assert.equal(g.valueAtPercentile(50), 50);
  assert.equal(g.valueAtPercentile(99), 99);
  assert.equal(g.valueAtPercentile(100), 100);
  g.record(0); // clamped to 1 ns
  g.record(5e9); // clamped to 1 s
  assert.equal(g.total, 102);
  assert.equal(g.valueAtPercentile(100), 1_000_000_000 + 2 ** 22 - 1 - (1_000_000_000 % 2 ** 22));
  const cdf = g.cdf();
  assert.deepEqual(cdf[0], [1, 101]);
  assert.equal(cdf[cdf.length - 1][1], 102);
});
