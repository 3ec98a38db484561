// A connected client: its query buffer and parser, reply writer, selected db, connection state
// (name, protocol, auth, MULTI, blocking, reply mode) and the per-read processing loop.
// Depends on protocol/ and the runtime contract; the server drives it through dispatch.

import type { Conn, ConnHandler } from "../runtime/types.ts";
import { Argv, PARSE_ERROR, PARSE_INCOMPLETE, RequestParser } from "../protocol/resp_parser.ts";
import { Reply } from "../protocol/reply.ts";
import type { Db } from "../store/db.ts";
import type { Command } from "./command.ts";
import type { Server } from "./server.ts";

// client flags (CLIENT_*, the ones CLIENT LIST reports)
export const CF_MULTI = 1 << 0; // x
export const CF_DIRTY_CAS = 1 << 1; // watched key touched
export const CF_DIRTY_EXEC = 1 << 2; // queued command failed: EXECABORT
export const CF_CLOSE_AFTER_REPLY = 1 << 3; // c
export const CF_BLOCKED = 1 << 4; // b
export const CF_MONITOR = 1 << 5; // O
export const CF_PUBSUB = 1 << 6; // P
export const CF_UNBLOCKED = 1 << 7; // u
export const CF_NO_EVICT = 1 << 8; // e
export const CF_CLOSE_ASAP = 1 << 9; // A
export const CF_READONLY = 1 << 10; // r (cluster READONLY)
export const CF_TRACKING = 1 << 11; // t
export const CF_REPLICA = 1 << 12; // S
export const CF_MASTER = 1 << 13; // M
export const CF_NO_TOUCH = 1 << 14; // T

export const REPLY_ON = 0;
export const REPLY_OFF = 1;
export const REPLY_SKIP_NEXT = 2; // set by CLIENT REPLY SKIP, becomes SKIP for the next command
export const REPLY_SKIP = 3;

const QBUF_MIN = 4096;

/** A reply bigger than this closes the client whatever the limits (see replyOverLimit). */
const REPLY_SAFETY_CAP = 1 << 30;

export class Client implements ConnHandler {
  readonly id: number;
  readonly reply = new Reply();
  readonly parser = new RequestParser();
  db: Db;
  name = "";
  libName = "";
  libVer = "";
  flags = 0;
  authenticated: boolean;
  user = "default";
  readonly createdAt: number;
  /** Last interaction (ms, server clock) for idle time and timeouts. */
  lastInteraction: number;
  /** Last command (for CLIENT LIST cmd=). */
  lastCmd: Command | null = null;
  /** The command being executed (and its argv). */
  cmd: Command | null = null;
  argv: Argv | null = null;
  replyMode = REPLY_ON;
  /** When the pending output first went over the soft limit (0: it is under). */
  obufSoftSince = 0;
  /** Arguments of the running command that SLOWLOG and MONITOR must not show (passwords). */
  redacted: number[] | null = null;
  /** MULTI queue. */
  mstate: { cmd: Command; argv: Argv }[] = [];
  mstateFlags = 0;
  /** WATCHed keys: db id + latin1 key. */
  watched: { db: number; key: string; expiredAtWatch: boolean }[] = [];
  /** Blocking state (set by blocking.ts). */
  bstate: unknown = null;
  /** Pub/Sub subscriptions (counts used by CLIENT LIST). */
  subscriptions = 0;
  psubscriptions = 0;
  /** Set when a command errored (dispatch counts failed calls). */
  errored = false;
  closed = false;

  /** Unparsed bytes kept between reads. */
  private qbuf: Uint8Array = new Uint8Array(0);
  private qlen = 0;
  /** Total bytes read / written (INFO stats). */
  netIn = 0;
  netOut = 0;
  /** Peak query buffer size (CLIENT LIST qbuf). */
  queryBufPeak = 0;
  /** Queued in the reply-flush list. */
  pendingWrite = false;
  private reading = false;

  constructor(readonly server: Server, readonly conn: Conn | null, id: number, now: number) {
    this.id = id;
    this.db = server.store.dbs[0];
    this.createdAt = now;
    this.lastInteraction = now;
    this.authenticated = !server.requirePass();
  }

  get addr(): string {
    if (!this.conn) return "";
    if (this.conn.isUnix) return `${this.server.unixSocketPath()}:0`;
    return `${this.conn.remoteAddress}:${this.conn.remotePort}`;
  }

  get laddr(): string {
    if (!this.conn) return "";
    if (this.conn.isUnix) return `${this.server.unixSocketPath()}:0`;
    return `${this.conn.localAddress}:${this.conn.localPort}`;
  }

  get queryBufLen(): number {
    return this.curQbuf >= 0 ? this.curQbuf : this.qlen;
  }

  /** While a command runs: the size of the buffer it came from (CLIENT LIST qbuf=). */
  private curQbuf = -1;

  /**
   * HELP subcommands (addReplyHelp): status lines, a header naming the command as the client
   * typed it (upper-cased), the given lines, and the standard HELP footer.
   */
  replyHelp(lines: readonly string[], name = this.argv ? this.argv.str(0) : ""): void {
    name = name.toUpperCase();
    const r = this.reply;
    r.arrayLen(lines.length + 3);
    r.simple(`${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
    for (const l of lines) r.simple(l);
    r.simple("HELP");
    r.simple("    Prints this help.");
  }

  /** Reply with an error (text includes the code: "ERR ...", "WRONGTYPE ..."). */
  error(text: string): void {
    this.errored = true;
    this.server.countError(text);
    this.reply.error(text);
  }

  // ---- input ----

  onData(chunk: Uint8Array): void {
    if (this.closed || this.flags & CF_CLOSE_ASAP) return;
    this.netIn += chunk.length;
    this.server.netInput += chunk.length;
    this.server.readsProcessed++;
    this.lastInteraction = this.server.clockMs;
    if (this.qlen === 0) {
      this._process(chunk, 0, chunk.length);
    } else {
      this._append(chunk);
      this._process(this.qbuf, 0, this.qlen);
    }
    this.server.afterEvent();
  }

  onClose(): void {
    this.closed = true;
    this.server.onClientClosed(this);
  }

  onDrain(): void {
    this.server.onClientDrained(this);
  }

  private _append(chunk: Uint8Array): void {
    const need = this.qlen + chunk.length;
    if (need > this.qbuf.length) {
      let cap = Math.max(QBUF_MIN, this.qbuf.length * 2);
      while (cap < need) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(this.qbuf.subarray(0, this.qlen));
      this.qbuf = nb;
      this.parser.rebase(nb, 0);
    }
    this.qbuf.set(chunk, this.qlen);
    this.qlen = need;
    if (this.qlen > this.queryBufPeak) this.queryBufPeak = this.qlen;
  }

  /** Cron: give back a big query buffer that is empty and has been idle for 2 s. */
  trimQueryBuffer(now: number): void {
    if (this.qlen === 0 && this.qbuf.length > 32 * 1024 && now - this.lastInteraction > 2000 && !this.reading) {
      this.qbuf = new Uint8Array(0);
      this.queryBufPeak = 0;
    }
  }

  /** Resume processing buffered input (after unblock / unpause). */
  resume(): void {
    if (this.qlen === 0 || this.closed || this.reading) return;
    this._process(this.qbuf, 0, this.qlen);
  }

  /** True while commands from this client must wait (blocked, paused). */
  private _held(): boolean {
    return (this.flags & CF_BLOCKED) !== 0 || this.server.isPausedFor(this);
  }

  /**
   * Parse and run every complete command in buf[pos..end). Bytes that are not consumed
   * (an incomplete command, or commands held back while blocked/paused) are kept in qbuf.
   */
  private _process(buf: Uint8Array, pos: number, end: number): void {
    const parser = this.parser;
    this.reading = true;
    parser.authRequired = this.server.authRequired(this);
    parser.maxBulkLen = this.server.protoMaxBulkLen;
    while (pos < end) {
      if (this.flags & (CF_CLOSE_AFTER_REPLY | CF_CLOSE_ASAP) || this.closed || this._held()) break;
      const r = parser.parse(buf, pos, end);
      if (r === PARSE_INCOMPLETE) break;
      if (r === PARSE_ERROR) {
        this.error(`ERR ${parser.error}`);
        this.server.log("verbose", `Protocol error (${parser.error}) from client: ${this.describe()}`);
        this.flags |= CF_CLOSE_AFTER_REPLY;
        this.server.markPendingWrite(this);
        pos = end;
        break;
      }
      if (parser.argv.argc > 0) {
        this.curQbuf = end;
        let ran = true;
        try {
          ran = this.server.processCommand(this, parser.argv);
        } catch (e) {
          // a bug outside the handler (handlers are guarded in call): the client survives
          this.server.log("warning", `Processing a command failed: ${(e as Error).stack ?? e}`);
          this.error("ERR internal error");
          this.server.markPendingWrite(this);
        }
        this.curQbuf = -1;
        if (!ran) {
          // held back by CLIENT PAUSE: parse it again when the pause ends
          this.server.holdClient(this);
          break;
        }
        parser.authRequired = this.server.authRequired(this);
      }
      pos = r;
    }
    this.reading = false;
    // Keep what was not consumed.
    const keepFrom = parser.midCommand ? parser.commandStart : pos;
    const left = end - keepFrom;
    if (left <= 0) {
      // The buffer is kept for the next batch (cron trims it when the client goes idle, as
      // Redis's clientsCronResizeQueryBuffer does): reallocating it per batch is pure garbage.
      this.qlen = 0;
      return;
    }
    if (left > this.server.queryBufLimit) {
      this.server.log("warning", `Closing client that reached max query buffer length: ${this.describe()}`);
      this.server.closeClient(this);
      return;
    }
    const big = parser.pendingBulk;
    const want = Math.max(left + big, QBUF_MIN);
    if (buf === this.qbuf && want <= this.qbuf.length) {
      if (keepFrom > 0) this.qbuf.copyWithin(0, keepFrom, end);
    } else {
      // The leftover lives in `buf` (the read chunk, or a qbuf too small for what comes next).
      const nb = want > this.qbuf.length ? new Uint8Array(want) : this.qbuf;
      if (nb === buf) nb.copyWithin(0, keepFrom, end);
      else nb.set(buf.subarray(keepFrom, end));
      this.qbuf = nb;
    }
    this.qlen = left;
    if (this.qlen > this.queryBufPeak) this.queryBufPeak = this.qlen;
    if (parser.midCommand) parser.rebase(this.qbuf, keepFrom);
  }

  // ---- output ----

  /** Hand pending reply bytes to the connection. */
  flush(): void {
    const r = this.reply;
    if (r.len === 0 || !this.conn) return;
    this.conn.write(r.buf.subarray(0, r.len));
    this.netOut += r.len;
    this.server.netOutput += r.len;
    this.server.writesProcessed++;
    r.reset();
  }

  /**
   * For commands that build huge replies in a loop (random picks with a negative count): is
   * the output over the client's hard limit? Then the client is closed, as Redis closes it
   * when a reply passes the limit, and the loop should stop.
   */
  replyOverLimit(): boolean {
    if (this.flags & CF_CLOSE_ASAP) return true;
    const used = this.reply.len + (this.conn?.pendingBytes() ?? 0);
    // past 1 GiB the reply buffer could not grow again: stop before the process runs out
    if (used < REPLY_SAFETY_CAP) {
      const limits = this.server.obufLimits;
      if (limits === null) return false;
      const l = this.subscriptions + this.psubscriptions > 0 ? limits.pubsub : limits.normal;
      if (l.hard === 0 || used < l.hard) return false;
    }
    this.server.log("warning", `Client ${this.describe()} closed for overcoming of output buffer limits.`);
    this.flags |= CF_CLOSE_ASAP;
    return true;
  }

  /** Hide argument i of the running command from SLOWLOG and MONITOR. */
  redactArg(i: number): void {
    (this.redacted ??= []).push(i);
  }

  /** One line of CLIENT LIST / CLIENT INFO. */
  describe(): string {
    const s = this.server;
    const now = s.clockMs;
    let flags = "";
    if (this.flags & CF_REPLICA) flags += "S";
    if (this.flags & CF_MASTER) flags += "M";
    if (this.flags & CF_PUBSUB) flags += "P";
    if (this.flags & CF_MULTI) flags += "x";
    if (this.flags & CF_BLOCKED || s.isPausedFor(this)) flags += "b";
    if (this.flags & CF_TRACKING) flags += "t";
    if (this.flags & CF_DIRTY_CAS) flags += "d";
    if (this.flags & CF_CLOSE_AFTER_REPLY) flags += "c";
    if (this.flags & CF_UNBLOCKED) flags += "u";
    if (this.flags & CF_CLOSE_ASAP) flags += "A";
    if (this.conn?.isUnix) flags += "U";
    if (this.flags & CF_READONLY) flags += "r";
    if (this.flags & CF_NO_EVICT) flags += "e";
    if (this.flags & CF_MONITOR) flags += "O";
    if (flags === "") flags = "N";
    const cmd = this.lastCmd ? this.lastCmd.fullName : "NULL";
    const obl = this.reply.len;
    const oll = 0;
    const omem = (this.conn?.pendingBytes() ?? 0) + this.reply.len;
    const qbufFree = Math.max(0, this.qbuf.length - this.qlen);
    const totMem = this.qbuf.length + this.reply.buf.length + omem;
    return `id=${this.id} addr=${this.addr} laddr=${this.laddr} fd=${this.conn ? 8 : -1}` +
      ` name=${this.name} age=${Math.floor((now - this.createdAt) / 1000)}` +
      ` idle=${Math.floor((now - this.lastInteraction) / 1000)} flags=${flags} db=${this.db.id}` +
      ` sub=${this.subscriptions} psub=${this.psubscriptions} ssub=0` +
      ` multi=${this.flags & CF_MULTI ? this.mstate.length : -1} qbuf=${this.queryBufLen}` +
      ` qbuf-free=${qbufFree} argv-mem=${this.argvMem()} multi-mem=0 rbs=${this.reply.buf.length}` +
      ` rbp=${this.reply.buf.length} obl=${obl} oll=${oll} omem=${omem} tot-mem=${totMem}` +
      ` events=r${this.conn && this.conn.pendingBytes() > 0 ? "w" : ""} cmd=${cmd} user=${this.user}` +
      ` redir=-1 resp=${this.reply.resp}`;
  }

  private argvMem(): number {
    const a = this.argv;
    if (!a) return 0;
    let n = 0;
    for (let i = 0; i < a.argc; i++) n += a.len[i];
    return n;
  }
}
