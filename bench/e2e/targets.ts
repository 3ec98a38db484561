// Benchmark targets: start our server under Bun or Deno, or redis-server, on a port and pinned to
// a CPU; wait until it answers PING; read its RSS, CPU time and INFO; stop it. Every process
// started here (targets, load drivers) is tracked and killed when the harness exits, is
// interrupted or fails, and each target also gets a tiny shell watchdog that stops it if the
// harness process disappears without cleaning up (kill -9). Reusable by the memory benchmark.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Control, readInfo } from "./resp.ts";

/** Repository root (bench/e2e/../..). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type TargetName = "bun" | "deno" | "redis";
export const TARGET_NAMES: readonly TargetName[] = ["redis", "bun", "deno"];

// ---- executables ----

/** Absolute path of an executable found in PATH, or null. */
export function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** The project's pinned engine (node_modules/.bin/<name>), else one from PATH. */
export function engineBinary(name: "bun" | "deno"): string | null {
  const local = path.join(ROOT, "node_modules", ".bin", name);
  return fs.existsSync(local) ? local : which(name);
}

/** Command line that runs a TypeScript file under an engine. */
export function engineCommand(engine: "bun" | "deno", script: string): string[] {
  const bin = engineBinary(engine);
  if (!bin) throw new Error(`No ${engine} executable found`);
  if (engine === "bun") return [bin, script];
  // as `deno task server` runs it: --expose-gc so MEMORY PURGE and cron can collect dropped
  // arena chunks, and a fixed glibc mmap threshold so those chunks go back to the system
  // (see README, "Memory under Deno")
  return ["env", "MALLOC_MMAP_THRESHOLD_=524288", bin, "run", "-A", "--v8-flags=--expose-gc", script];
}

/** The engine running this script. */
export function currentEngine(): "bun" | "deno" {
  return typeof (globalThis as Record<string, unknown>).Bun !== "undefined" ? "bun" : "deno";
}

/** First line of `<bin> --version`, or null. */
export function versionOf(bin: string): string | null {
  try {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 10_000 });
    return r.status === 0 ? String(r.stdout).split("\n")[0].trim() : null;
  } catch {
    return null;
  }
}

// ---- CPU pinning ----

let _taskset: string | null | undefined;

/** taskset's path when it exists and the machine has at least two CPUs to pin to. */
export function tasksetPath(): string | null {
  if (_taskset === undefined) {
    const cpus = typeof os.availableParallelism === "function"
      ? os.availableParallelism()
      : os.cpus().length;
    _taskset = cpus >= 2 ? which("taskset") : null;
  }
  return _taskset;
}

/** Prefix a command with `taskset -c cpu` when pinning is possible and asked for. */
export function pinned(cmd: string[], cpu: number | null): string[] {
  const ts = cpu === null ? null : tasksetPath();
  return ts ? [ts, "-c", String(cpu), ...cmd] : cmd;
}

// ---- process tracking and cleanup ----

const live = new Set<ChildProcess>();
/** Temporary directories of targets not stopped yet (removed at exit whatever happens). */
const liveDirs = new Set<string>();
let cleanupInstalled = false;
let interrupted = false;

/** Kill every tracked process now (SIGKILL) and remove target directories. Synchronous. */
export function killAllNow(): void {
  for (const c of live) {
    try {
      c.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const d of liveDirs) fs.rmSync(d, { recursive: true, force: true });
  liveDirs.clear();
}

/** Hooks run on SIGINT/SIGTERM/SIGHUP before the harness exits (stop targets gracefully). */
const interruptHooks: (() => Promise<void>)[] = [];

export function onInterrupt(fn: () => Promise<void>): void {
  interruptHooks.push(fn);
}

/** True once SIGINT/SIGTERM/SIGHUP arrived: long loops should stop. */
export function wasInterrupted(): boolean {
  return interrupted;
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", killAllNow);
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const sig of Object.keys(codes)) {
    try {
      process.on(sig as NodeJS.Signals, async () => {
        if (interrupted) return;
        interrupted = true;
        console.error(`\n${sig}: stopping every process the harness started...`);
        const watchdog = setTimeout(() => process.exit(codes[sig]), 8000);
        for (const h of interruptHooks) {
          try {
            await h();
          } catch {
            // keep stopping the others
          }
        }
        killAllNow();
        clearTimeout(watchdog);
        process.exit(codes[sig]);
      });
    } catch {
      // signal not supported here
    }
  }
}

export interface Spawned {
  child: ChildProcess;
  /** Resolves when the process exited: code (or null when killed) and the signal. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Everything it wrote so far (stdout and stderr separately, capped at `keep` bytes). */
  stdout(): string;
  stderr(): string;
}

/** Spawn a tracked process with piped output. */
export function spawnTracked(cmd: string[], opts: { cwd?: string; keep?: number } = {}): Spawned {
  installCleanup();
  const keep = opts.keep ?? 256 * 1024;
  const child = spawn(cmd[0], cmd.slice(1), {
    cwd: opts.cwd ?? ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Uint8Array) => {
    out += new TextDecoder().decode(d);
    if (out.length > keep) out = out.slice(out.length - keep);
  });
  child.stderr?.on("data", (d: Uint8Array) => {
    err += new TextDecoder().decode(d);
    if (err.length > keep) err = err.slice(err.length - keep);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on("error", (e: Error) => {
      err += `\n${e.message}`;
      live.delete(child);
      resolve({ code: -1, signal: null });
    });
    child.on("exit", (code: number | null, signal: string | null) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** Run a tracked process to completion; kills it after timeoutMs. */
export async function runTracked(
  cmd: string[],
  timeoutMs: number,
): Promise<
  { code: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean }
> {
  const p = spawnTracked(cmd);
  let timedOut = false;
  const t = setTimeout(() => {
    timedOut = true;
    p.child.kill("SIGKILL");
  }, timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(t);
  return { code, signal, stdout: p.stdout(), stderr: p.stderr(), timedOut };
}

// A watchdog per target: if the harness (pid $1) goes away while the target (pid $2, identified
// by its start time so a recycled pid is never hit) still runs, stop the target and remove its
// temporary directory ($3).
const GUARD_SCRIPT = [
  'p=$1; t=$2; d=$3; st=$(cut -d" " -f22 /proc/$t/stat 2>/dev/null)',
  "while [ -d /proc/$t ]; do",
  "  if ! kill -0 $p 2>/dev/null; then",
  '    if [ "$(cut -d" " -f22 /proc/$t/stat 2>/dev/null)" = "$st" ]; then',
  "      kill -TERM $t 2>/dev/null; sleep 3; kill -KILL $t 2>/dev/null",
  "    fi",
  '    rm -rf "$d"',
  "    exit 0",
  "  fi",
  "  sleep 0.5",
  "done",
].join("\n");

function startGuard(targetPid: number, dir: string): ChildProcess | null {
  if (!fs.existsSync(`/proc/${targetPid}/stat`)) return null; // not Linux: no watchdog
  const g = spawn(
    "sh",
    ["-c", GUARD_SCRIPT, "guard", String(process.pid), String(targetPid), dir],
    {
      stdio: "ignore",
    },
  );
  live.add(g);
  g.on("exit", () => live.delete(g));
  g.on("error", () => live.delete(g));
  return g;
}

// ---- /proc readers ----

/** Resident set size of a process in bytes (VmRSS), or -1 when unreadable. */
export function readRss(pid: number): number {
  return readStatusKb(pid, "VmRSS");
}

/**
 * The anonymous part of a process's RSS (RssAnon): RSS without the file-backed pages of its
 * binary and libraries. Bun's and Deno's binaries are ~100 MB and page in as code paths are
 * first used, which moves VmRSS by a few MB that are not data.
 */
export function readRssAnon(pid: number): number {
  return readStatusKb(pid, "RssAnon");
}

/** A "<field>: N kB" line of /proc/<pid>/status in bytes, or -1 when unreadable. */
function readStatusKb(pid: number, field: string): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(s);
    return m ? Number(m[1]) * 1024 : -1;
  } catch {
    return -1;
  }
}

/** CPU time (user + system, all threads) of a process in seconds, or -1 when unreadable. */
export function readCpuSeconds(pid: number): number {
  return readCpuFields(pid, 11, 12); // utime, stime (fields 14 and 15 of /proc/pid/stat)
}

/**
 * CPU seconds (user + system) of this process's reaped children: the delta across a driver run
 * is what that driver process used, whatever it is (redis-benchmark or the load generator).
 */
export function readChildrenCpuSeconds(): number {
  return readCpuFields("self", 13, 14);
}

function readCpuFields(pid: number | "self", a: number, b: number): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return (Number(f[a]) + Number(f[b])) / 100; // USER_HZ ticks
  } catch {
    return -1;
  }
}

// ---- ports ----

/** True if nothing listens on the port and we may bind it. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ port, host: "0.0.0.0" }, () => s.close(() => resolve(true)));
  });
}

/** The first free port at or after `from` (and below `to`), skipping `taken`. */
export async function freePort(from: number, to: number, taken: Set<number>): Promise<number> {
  for (let p = from; p < to; p++) {
    if (taken.has(p)) continue;
    if (await portFree(p)) {
      taken.add(p);
      return p;
    }
  }
  throw new Error(`No free port in ${from}-${to - 1}`);
}

// ---- targets ----

export interface TargetDef {
  name: TargetName;
  /** Why it cannot run here, or null when it can. */
  unavailable(): string | null;
  /** Command line (before pinning) for a server on `port` writing its files to `dir`. */
  command(port: number, dir: string, extra: readonly string[]): string[];
  version(): string | null;
}

const SERVER_ARGS = (
  port: number,
  dir: string,
) => ["--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir];

export const TARGETS: Record<TargetName, TargetDef> = {
  bun: {
    name: "bun",
    unavailable: () => (engineBinary("bun") ? null : "bun is not installed"),
    command: (port, dir, extra) => [
      ...engineCommand("bun", path.join(ROOT, "src", "main.ts")),
      ...SERVER_ARGS(port, dir),
      ...extra,
    ],
    version: () => versionOf(engineBinary("bun") ?? "bun"),
  },
  deno: {
    name: "deno",
    unavailable: () => (engineBinary("deno") ? null : "deno is not installed"),
    command: (port, dir, extra) => [
      ...engineCommand("deno", path.join(ROOT, "src", "main.ts")),
      ...SERVER_ARGS(port, dir),
      ...extra,
    ],
    version: () => versionOf(engineBinary("deno") ?? "deno"),
  },
  redis: {
    name: "redis",
    unavailable: () => (which("redis-server") ? null : "redis-server is not installed"),
    command: (port, dir, extra) => ["redis-server", ...SERVER_ARGS(port, dir), ...extra],
    version: () => versionOf("redis-server"),
  },
};

export interface StartOptions {
  port: number;
  /** CPU to pin the server to (taskset -c), or null for no pinning. */
  cpu: number | null;
  /** More server options ("--maxmemory", "1gb", ...). */
  extraArgs?: readonly string[];
  readyTimeoutMs?: number;
}

export interface Target {
  name: TargetName;
  port: number;
  pid: number;
  /** Server output so far (for error reports). */
  log(): string;
  /** True once the process exited. */
  exited(): boolean;
  rss(): number;
  /** RssAnon: RSS without file-backed pages (see readRssAnon). */
  rssAnon(): number;
  cpuSeconds(): number;
  info(section?: string): Promise<Map<string, string>>;
  /** SIGTERM, then SIGKILL after a grace period; removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Start a target and wait until it answers PING. Throws with its output if it does not. */
export async function startTarget(name: TargetName, opts: StartOptions): Promise<Target> {
  const def = TARGETS[name];
  const why = def.unavailable();
  if (why) throw new Error(why);
  installCleanup();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `redis-ts-bench-${name}-`));
  liveDirs.add(dir);
  const p = spawnTracked(pinned(def.command(opts.port, dir, opts.extraArgs ?? []), opts.cpu), {
    keep: 64 * 1024,
  });
  let done = false;
  p.exited.then(() => (done = true));
  const pid = p.child.pid ?? -1;
  const log = () => (p.stdout() + p.stderr()).trim();
  let guard: ChildProcess | null = null;

  let stopping: Promise<void> | null = null;
  const stop = () =>
    stopping ??= (async () => {
      if (!done) {
        p.child.kill("SIGTERM");
        const killer = setTimeout(() => p.child.kill("SIGKILL"), 5000);
        await p.exited;
        clearTimeout(killer);
      }
      guard?.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    })();

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (done) {
      fs.rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
      throw new Error(`${name} server exited during start-up:\n${log().slice(-2000)}`);
    }
    try {
      const c = await Control.connect(opts.port, "127.0.0.1", 1000);
      try {
        if ((await c.call("PING")) === "PONG") break;
      } finally {
        c.close();
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${name} server did not answer PING on port ${opts.port}:\n${log().slice(-2000)}`,
      );
    }
    await sleep(100);
  }
  guard = startGuard(pid, dir);
  return {
    name,
    port: opts.port,
    pid,
    log,
    exited: () => done,
    rss: () => readRss(pid),
    rssAnon: () => readRssAnon(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    info: (section?: string) => readInfo(opts.port, section),
    stop,
  };
}
