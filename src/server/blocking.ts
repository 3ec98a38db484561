// Blocking commands (BLPOP, BLMOVE, BZPOPMIN, ...): clients blocked on keys, served in the order
// they blocked when a key becomes ready, with per-client timeouts at millisecond precision.
//
// A family blocks a client with block(c, spec). Writers call signalKeyAsReady(db, key) after
// adding data; after the current command (or EXEC) ends, handleReadyKeys() walks the ready keys
// and offers each to its blocked clients, first blocked first served, through spec.serve().
// Served or timed-out clients are unblocked; their remaining pipelined input resumes after the
// event. Nothing here blocks the event loop.

import { fromLatin1, toLatin1 } from "../protocol/bytes.ts";
import { ldIsZero, ldToNumber, parseLongDouble } from "../protocol/long_double.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Db } from "../store/db.ts";
import { CF_BLOCKED, CF_MULTI, type Client, REPLY_OFF } from "./client.ts";
import type { Server } from "./server.ts";

export interface BlockSpec {
  /** Keys to wait on, in the client's db at block time (copies: they outlive the argv). */
  keys: Uint8Array[];
  /** Absolute deadline in unix ms, or 0 to wait forever. */
  deadline: number;
  /**
   * Try to serve the client from `key` (its index in `keys`) now that it may hold data. Write the
   * reply and return true to unblock; return false to keep waiting (empty, wrong type...).
   */
  serve(c: Client, key: Uint8Array, index: number): boolean;
  /** Write the timeout reply (null array, null bulk...). */
  timeout(c: Client): void;
}

interface BlockState {
  spec: BlockSpec;
  db: Db;
  names: string[];
  timer: ReturnType<typeof setTimeout> | null;
  since: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class Blocking {
  /** Per db: latin1 key -> clients blocked on it, oldest first. */
  private readonly waiting = new Map<number, Map<string, Client[]>>();
  private readonly ready: { db: Db; name: string }[] = [];
  private readonly readySet = new Set<string>();
  private readonly unblocked: Client[] = [];
  private blocked = 0;
  /** Keys with blocked clients (INFO total_blocking_keys). */
  private keyCount = 0;

  constructor(private readonly server: Server) {}

  blockedCount(): number {
    return this.blocked;
  }

  blockingKeys(): number {
    return this.keyCount;
  }

  /** Blocking commands run inside MULTI/EXEC (and scripts) must not block: they act non-blocking. */
  canBlock(c: Client): boolean {
    return !this.server.inExec && !(c.flags & CF_MULTI) && !this.server.inScript;
  }

  /** Block `c` on spec.keys until served, timed out or unblocked. */
  block(c: Client, spec: BlockSpec): void {
    const db = c.db;
    let byKey = this.waiting.get(db.id);
    if (!byKey) {
      byKey = new Map();
      this.waiting.set(db.id, byKey);
    }
    const names: string[] = [];
    for (const k of spec.keys) {
      const name = toLatin1(k);
      if (names.includes(name)) continue;
      names.push(name);
      let list = byKey.get(name);
      if (!list) {
        list = [];
        byKey.set(name, list);
        this.keyCount++;
      }
      list.push(c);
    }
    const st: BlockState = { spec, db, names, timer: null, since: Date.now() };
    if (spec.deadline > 0) {
      const arm = () => {
        const left = spec.deadline - Date.now();
        st.timer = setTimeout(() => {
          if (c.bstate !== st) return;
          if (Date.now() < spec.deadline) return arm();
          replyUnlessOff(c, () => spec.timeout(c));
          this.unblock(c, true);
          this.server.markPendingWrite(c);
          this.server.afterEvent();
        }, Math.max(0, Math.min(left, MAX_TIMER_MS)));
      };
      arm();
    }
    c.bstate = st;
    c.flags |= CF_BLOCKED;
    this.blocked++;
  }

  /** Release a blocked client (served, timed out, killed). Its pending input resumes later. */
  unblock(c: Client, _timedOut: boolean): void {
    const st = c.bstate as BlockState | null;
    if (!st || !(c.flags & CF_BLOCKED)) return;
    if (st.timer) clearTimeout(st.timer);
    const byKey = this.waiting.get(st.db.id);
    if (byKey) {
      for (const name of st.names) {
        const list = byKey.get(name);
        if (!list) continue;
        const i = list.indexOf(c);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) {
          byKey.delete(name);
          this.keyCount--;
        }
      }
    }
    c.bstate = null;
    c.flags &= ~CF_BLOCKED;
    this.blocked--;
    if (!c.closed) this.unblocked.push(c);
  }

  /** CLIENT UNBLOCK: reply as on timeout, or with an -UNBLOCKED error. */
  unblockByClient(c: Client, asError: boolean): void {
    const st = c.bstate as BlockState | null;
    if (!st) return;
    replyUnlessOff(c, () => {
      if (asError) {
        c.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        if (c.lastCmd) c.lastCmd.failedCalls++; // updateStatsOnUnblock: the blocked call failed
      } else {
        st.spec.timeout(c);
      }
    });
    this.unblock(c, true);
    this.server.markPendingWrite(c);
  }

  /** A key may have new data: remember it if someone waits on it. HOT PATH: cheap when idle. */
  signalKeyAsReady(db: Db, b: Uint8Array, off = 0, len = b.length - off): void {
    if (this.blocked === 0) return;
    const byKey = this.waiting.get(db.id);
    if (!byKey) return;
    const name = toLatin1(b, off, len);
    if (!byKey.has(name)) return;
    const tag = `${db.id}\0${name}`;
    if (this.readySet.has(tag)) return;
    this.readySet.add(tag);
    this.ready.push({ db, name });
  }

  hasReadyKeys(): boolean {
    return this.ready.length > 0;
  }

  hasUnblocked(): boolean {
    return this.unblocked.length > 0;
  }

  /**
   * Serve clients blocked on ready keys, oldest first, until each key runs dry. Serving may make
   * other keys ready (BLMOVE pushes), which are handled in the same pass.
   */
  handleReadyKeys(): void {
    const s = this.server;
    while (this.ready.length > 0) {
      const batch = this.ready.splice(0, this.ready.length);
      this.readySet.clear();
      for (const { db, name } of batch) {
        const list = this.waiting.get(db.id)?.get(name);
        if (!list) continue;
        const key = fromLatin1(name);
        for (const c of [...list]) {
          const st = c.bstate as BlockState | null;
          if (!st || st.db !== db) continue;
          const idx = st.spec.keys.findIndex((k) => k.length === key.length && toLatin1(k) === name);
          const prevDb = c.db;
          c.db = db;
          s.updateCommandTime();
          const errorsBefore = s.totalErrorReplies;
          let served = false;
          replyUnlessOff(c, () => served = st.spec.serve(c, key, idx));
          c.db = prevDb;
          if (served) {
            // served with an error reply (BLMOVE onto a wrong type): the blocked call failed
            if (s.totalErrorReplies !== errorsBefore && c.lastCmd) c.lastCmd.failedCalls++;
            this.unblock(c, false);
            s.markPendingWrite(c);
          }
        }
      }
    }
  }

  /** After the event: let unblocked clients run the commands they pipelined meanwhile. */
  resumeUnblocked(): void {
    while (this.unblocked.length > 0) {
      const c = this.unblocked.shift()!;
      c.resume();
      if (this.ready.length > 0) this.handleReadyKeys();
    }
  }

  /** Names (latin1) of the keys clients wait on in a db. */
  waitedKeys(dbid: number): string[] {
    return [...(this.waiting.get(dbid)?.keys() ?? [])];
  }

  /** SWAPDB: keys with waiters in either db may now hold data. */
  onSwapDb(a: number, b: number): void {
    for (const id of [a, b]) {
      const byKey = this.waiting.get(id);
      if (!byKey) continue;
      const db = this.server.store.dbs[id];
      for (const name of byKey.keys()) {
        const kb = fromLatin1(name);
        if (db.find(kb, 0, kb.length) !== 0) this.signalKeyAsReady(db, kb);
      }
    }
  }

  close(): void {
    for (const byKey of this.waiting.values()) {
      for (const list of byKey.values()) {
        for (const c of list) {
          const st = c.bstate as BlockState | null;
          if (st?.timer) clearTimeout(st.timer);
        }
      }
    }
    this.waiting.clear();
  }
}

/**
 * Parse a blocking timeout argument (seconds, may be fractional) into an absolute deadline in
 * unix ms (0 = forever), or reply Redis's error and return null.
 */
export function parseBlockTimeout(c: Client, argv: Argv, i: number): number | null {
  // getTimeoutFromObjectOrReply(UNIT_SECONDS): a long double (strtold rules: "inf", hex, values
  // beyond the double range), times 1000, rounded up. A product outside the long long range
  // converts to LLONG_MIN, so Redis reports it as negative.
  const ld = parseLongDouble(argv.buf, argv.off[i], argv.len[i]);
  if (ld === null) {
    c.error("ERR timeout is not a float or out of range");
    return null;
  }
  const t = ldToNumber(ld);
  let ms: number;
  if (t === 0 && !ldIsZero(ld)) ms = ld.neg ? 0 : 1; // below the double range: ceil gives 1 or -0
  else ms = Math.ceil(t * 1000);
  if (ms < 0 || !(ms < 2 ** 63)) {
    c.error("ERR timeout is negative");
    return null;
  }
  if (ms === 0) return 0;
  return c.server.store.now + ms;
}

/**
 * Write a blocked client's late reply, dropped under CLIENT REPLY OFF as the reply of any
 * command would be (dispatch only covers replies written while the command runs).
 */
function replyUnlessOff(c: Client, write: () => void): void {
  const mark = c.reply.len;
  write();
  if (c.replyMode === REPLY_OFF) c.reply.len = mark;
}
