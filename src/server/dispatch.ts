// processCommand and call: every flag-driven check in one place, in Redis's order (existence,
// arity, protected, auth, NO_MULTI, OOM, pub/sub context, pause, MULTI queueing), then the call
// with its bookkeeping (cached time, stats, MONITOR feed). Handlers never repeat these checks.

import { arityError, NOAUTH, OOM, unknownCommandError, unknownSubcommandError } from "../protocol/errors.ts";
import { toLatin1 } from "../protocol/bytes.ts";
import { R_QUEUED } from "../protocol/reply.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import {
  CF_CLOSE_AFTER_REPLY,
  CF_DIRTY_EXEC,
  CF_MULTI,
  CF_PUBSUB,
  CF_REPLICA,
  REPLY_OFF,
  REPLY_ON,
  REPLY_SKIP,
  REPLY_SKIP_NEXT,
} from "./client.ts";
import type { Client } from "./client.ts";
import {
  type Command,
  DENYOOM,
  MAY_REPLICATE,
  NO_AUTH,
  NO_MULTI,
  PROTECTED,
  WRITE,
} from "./command.ts";
import type { Server } from "./server.ts";

const TX_CONTROL = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);
const PUBSUB_ALLOWED = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);
const HOST_LIT = new Uint8Array([104, 111, 115, 116, 58]); // "host:"
const POST_LIT = new Uint8Array([112, 111, 115, 116]); // "post"
let lastSecurityWarning = -Infinity;

/** Look up argv's command, descending into a container's subcommand. */
export function lookupCommand(server: Server, argv: Argv): Command | undefined {
  const base = server.commands.lookup(argv.buf, argv.off[0], argv.len[0]);
  if (!base || !base.subs || argv.argc < 2) return base;
  // no subcommand name is long: do not decode a huge argument just to miss
  return argv.len[1] > 64 ? undefined : base.subs.get(argv.lower(1));
}

/** The first 128 bytes of argument i as latin1 (error texts show no more). */
function _head(argv: Argv, i: number): string {
  const o = argv.off[i];
  return toLatin1(argv.buf, o, Math.min(argv.len[i], 128));
}

/** Reject before execution: counts rejected_calls and, inside MULTI, poisons the transaction. */
function reject(c: Client, cmd: Command | undefined, text: string): void {
  if (c.flags & CF_MULTI) c.flags |= CF_DIRTY_EXEC;
  if (cmd) cmd.rejectedCalls++;
  c.error(text);
}

/**
 * Run one parsed command for a client. Returns false when the command was held back (the
 * server is paused for it) and must be parsed again later; true otherwise.
 */
export function processCommand(server: Server, c: Client, argv: Argv): boolean {
  if (argv.is(0, HOST_LIT) || argv.is(0, POST_LIT)) {
    // logged at most once a minute, as Redis does: the attacker controls how often this runs
    if (server.clockMs - lastSecurityWarning > 60000) {
      lastSecurityWarning = server.clockMs;
      server.log("warning", "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.");
    }
    server.closeClient(c);
    return true;
  }
  const cmd = lookupCommand(server, argv);
  c.lastCmd = cmd ?? null;
  const replyMark = c.reply.len;
  if (!_checkAndRun(server, c, cmd, argv)) return false;
  // CLIENT REPLY OFF/SKIP: drop what this command wrote. The mode is read after the command
  // ran, as Redis checks it when the reply is added: CLIENT REPLY ON gets its +OK.
  if (c.replyMode === REPLY_OFF || c.replyMode === REPLY_SKIP) c.reply.len = replyMark;
  if (c.replyMode === REPLY_SKIP) c.replyMode = REPLY_ON;
  else if (c.replyMode === REPLY_SKIP_NEXT) c.replyMode = REPLY_SKIP;
  server.markPendingWrite(c);
  return true;
}

function _checkAndRun(server: Server, c: Client, cmd: Command | undefined, argv: Argv): boolean {
  if (!cmd) {
    const base = server.commands.lookup(argv.buf, argv.off[0], argv.len[0]);
    if (base && base.subs) {
      reject(c, undefined, unknownSubcommandError(_head(argv, 1), argv.str(0)));
    } else {
      const args: string[] = [];
      let total = 0;
      for (let i = 1; i < argv.argc && total < 128; i++) {
        const s = _head(argv, i);
        args.push(s);
        total += s.length + 3;
      }
      reject(c, undefined, unknownCommandError(_head(argv, 0), args));
    }
    return true;
  }
  const argc = argv.argc;
  if ((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity) {
    reject(c, cmd, arityError(cmd.fullName));
    return true;
  }
  const flags = cmd.flags;
  if (flags & PROTECTED && !server.allowProtected("enable-debug-command", c)) {
    reject(
      c,
      cmd,
      'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
    );
    return true;
  }
  if (!c.authenticated && server.requirePassSet && !(flags & NO_AUTH)) {
    reject(c, cmd, NOAUTH);
    return true;
  }
  const inMulti = (c.flags & CF_MULTI) !== 0;
  if (inMulti && flags & NO_MULTI) {
    reject(c, cmd, "ERR Command not allowed inside a transaction");
    return true;
  }
  const isExec = cmd.fullName === "exec";
  if (server.maxmemory > 0) {
    const oom = !server.performEvictions();
    let denyOom = (flags & DENYOOM) !== 0 || (isExec && (c.mstateFlags & DENYOOM) !== 0);
    if (inMulti && !isExec && cmd.fullName !== "discard" && cmd.fullName !== "quit" && cmd.fullName !== "reset") {
      denyOom = true;
    }
    if (oom && denyOom) {
      reject(c, cmd, OOM);
      return true;
    }
  }
  const isWrite = (flags & WRITE) !== 0 || (isExec && (c.mstateFlags & WRITE) !== 0);
  const mayReplicate = isWrite || (flags & MAY_REPLICATE) !== 0 ||
    (isExec && (c.mstateFlags & MAY_REPLICATE) !== 0);
  const writeErr = server.writeDeniedError(isWrite, cmd);
  if (writeErr !== null) {
    reject(c, cmd, writeErr);
    return true;
  }
  if (c.flags & CF_PUBSUB && c.reply.resp === 2 && !PUBSUB_ALLOWED.has(cmd.fullName)) {
    reject(
      c,
      cmd,
      `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    );
    return true;
  }
  if (!(c.flags & CF_REPLICA) && server.pausedFor(mayReplicate)) return false;
  if (inMulti && !TX_CONTROL.has(cmd.fullName)) {
    c.mstate.push({ cmd, argv: argv.clone() });
    c.mstateFlags |= flags;
    c.reply.raw(R_QUEUED);
    return true;
  }
  call(server, c, cmd, argv);
  // Clients blocked on keys this command filled are served before the next command runs.
  if (server.blocking.hasReadyKeys()) server.blocking.handleReadyKeys();
  return true;
}

/**
 * Execute a command: set the command time (outermost call only), run the handler, update
 * commandstats and feed MONITOR. EXEC and scripts call this for each inner command.
 */
export function call(server: Server, c: Client, cmd: Command, argv: Argv): void {
  const outermost = server.callDepth === 0;
  const t0 = performance.now();
  if (outermost) server.setCommandTime(t0);
  server.callDepth++;
  const prevCmd = c.cmd;
  const prevArgv = c.argv;
  c.cmd = cmd;
  c.argv = argv;
  c.errored = false;
  const dirtyBefore = server.dirty;
  const replyMark = c.reply.len;
  try {
    cmd.handler!(c, argv);
  } catch (e) {
    c.reply.len = replyMark; // drop a half-written reply: the error must be the whole reply
    server.log("warning", `Command '${cmd.fullName}' failed: ${(e as Error).stack ?? e}`);
    if (/Arena exhausted|allocation failed|Invalid array buffer length/.test((e as Error).message)) {
      // the arena (or the runtime) could not grow: the data set does not fit in this process
      c.error("OOM out of memory: the server could not allocate memory for this command");
    } else {
      c.error(`ERR internal error in '${cmd.fullName}': ${(e as Error).message}`);
    }
  }
  const usec = (performance.now() - t0) * 1000;
  server.callDepth--;
  cmd.calls++;
  cmd.usec += usec;
  if (c.errored) cmd.failedCalls++;
  c.errored = false;
  server.numCommands++;
  server.afterCall(c, cmd, argv, usec, server.dirty !== dirtyBefore);
  c.cmd = prevCmd;
  c.argv = prevArgv;
  if (c.flags & CF_CLOSE_AFTER_REPLY && outermost) server.markPendingWrite(c);
}
