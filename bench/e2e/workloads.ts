// The end-to-end workloads: one small declarative entry per redis-benchmark test. Both drivers
// read these entries: redis-benchmark runs `-t <test>` and its CSV row `<title>` is kept; the
// TypeScript load generator sends `command` (or the `inline` line) with the same placeholders.
// Imports nothing; adding a workload means adding an entry to WORKLOADS.

/** Replaced by a random 12-digit number in [0, keyspace) when a keyspace is set (-r). */
export const RAND = "__rand_int__";
/** Replaced by the payload: `datasize` bytes made the way redis-benchmark makes them (-d). */
export const DATA = "__data__";

export interface WorkloadOptions {
  /** redis-benchmark -r: 0 means no randomization (every key is literally "key:__rand_int__"). */
  keyspace: number;
  /** redis-benchmark -d: payload size in bytes. */
  datasize: number;
}

export interface Workload {
  /** Name shown in the results table (redis-benchmark's title without its parenthesised note). */
  name: string;
  /** redis-benchmark's -t name. */
  test: string;
  /** redis-benchmark's CSV title when it differs from `name` ("MSET (10 keys)"). */
  title?: string;
  /** The command as arguments, with RAND and DATA placeholders. */
  command?: readonly string[] | ((o: WorkloadOptions) => readonly string[]);
  /** An inline (telnet-style) request line instead of a multibulk command. */
  inline?: string;
  /**
   * A command run before the timed one, with the same request count, by the TypeScript driver
   * (redis-benchmark runs it itself as part of `-t`, as for LRANGE's "LPUSH (needed to
   * benchmark LRANGE)").
   */
  prepare?: readonly string[];
}

const KEY = `key:${RAND}`;

export const WORKLOADS: readonly Workload[] = [
  { name: "PING_INLINE", test: "ping_inline", inline: "PING" },
  { name: "PING_MBULK", test: "ping_mbulk", command: ["PING"] },
  { name: "SET", test: "set", command: ["SET", KEY, DATA] },
  { name: "GET", test: "get", command: ["GET", KEY] },
  { name: "INCR", test: "incr", command: ["INCR", `counter:${RAND}`] },
  {
    name: "MSET",
    test: "mset",
    title: "MSET (10 keys)",
    command: ["MSET", ...Array.from({ length: 10 }, () => [KEY, DATA]).flat()],
  },
  // The rest of redis-benchmark's suite; not in DEFAULT_TESTS until the commands exist.
  { name: "LPUSH", test: "lpush", command: ["LPUSH", "mylist", DATA] },
  { name: "RPUSH", test: "rpush", command: ["RPUSH", "mylist", DATA] },
  { name: "LPOP", test: "lpop", command: ["LPOP", "mylist"] },
  { name: "RPOP", test: "rpop", command: ["RPOP", "mylist"] },
  { name: "SADD", test: "sadd", command: ["SADD", "myset", `element:${RAND}`] },
  { name: "HSET", test: "hset", command: ["HSET", "myhash", `element:${RAND}`, DATA] },
  { name: "SPOP", test: "spop", command: ["SPOP", "myset"] },
  {
    name: "ZADD",
    test: "zadd",
    // the score is random only with -r, as in redis-benchmark
    command: (o) => ["ZADD", "myzset", o.keyspace > 0 ? RAND : "0", `element:${RAND}`],
  },
  { name: "ZPOPMIN", test: "zpopmin", command: ["ZPOPMIN", "myzset"] },
  ...[100, 300, 500, 600].map((n): Workload => ({
    name: `LRANGE_${n}`,
    test: `lrange_${n}`,
    title: `LRANGE_${n} (first ${n} elements)`,
    command: ["LRANGE", "mylist", "0", String(n - 1)],
    prepare: ["LPUSH", "mylist", DATA],
  })),
];

/** The workloads run when --tests is not given (redis-benchmark's classic string set). */
export const DEFAULT_TESTS = ["ping_inline", "ping_mbulk", "set", "get", "incr", "mset"];

/**
 * Workloads selected by redis-benchmark style names ("set,get"; "ping" for both PINGs and
 * "lrange" for every LRANGE_*, as -t does), in the order given. Throws on an unknown name.
 */
export function selectWorkloads(names: readonly string[]): Workload[] {
  const out: Workload[] = [];
  for (const raw of names) {
    const n = raw.trim().toLowerCase();
    if (n === "") continue;
    const found = WORKLOADS.filter((w) =>
      w.test === n || w.name.toLowerCase() === n ||
      ((n === "ping" || n === "lrange") && w.test.startsWith(`${n}_`))
    );
    if (found.length === 0) {
      throw new Error(`Unknown test "${raw}" (known: ${WORKLOADS.map((w) => w.test).join(", ")})`);
    }
    for (const w of found) if (!out.includes(w)) out.push(w);
  }
  return out;
}

/** The CSV title redis-benchmark prints for a workload. */
export function csvTitle(w: Workload): string {
  return w.title ?? w.name;
}

/** redis-benchmark's payload: `n` bytes from its fixed-seed generator, so values match. */
export function benchmarkData(n: number): string {
  let state = 1234;
  let s = "";
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    s += String.fromCharCode(48 + ((state >>> 16) & 63));
  }
  return s;
}

/** The command's arguments with DATA filled in (RAND is left for the generator). */
export function commandArgs(w: Workload, o: WorkloadOptions): string[] | null {
  if (!w.command) return null;
  const args = typeof w.command === "function" ? w.command(o) : w.command;
  const data = benchmarkData(o.datasize);
  return args.map((a) => a.split(DATA).join(data));
}
