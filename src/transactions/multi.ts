// Transactions: MULTI/EXEC/DISCARD and optimistic locking with WATCH/UNWATCH. Dispatch queues
// commands while a client is in MULTI; EXEC runs them through call() with no other client in
// between. WATCHed keys are invalidated by signalModifiedKey and by expiry.

import { EXEC_WITHOUT_MULTI, EXECABORT, MULTI_NESTED, WATCH_IN_MULTI } from "../protocol/errors.ts";
import { fromLatin1 } from "../protocol/bytes.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import { CF_DIRTY_CAS, CF_DIRTY_EXEC, CF_MULTI, type Client } from "../server/client.ts";
import {
  ALLOW_BUSY,
  defineCommands,
  FAST,
  LOADING,
  NOSCRIPT,
  SKIP_SLOWLOG,
  STALE,
} from "../server/command.ts";
import { call } from "../server/dispatch.ts";

/** Leave MULTI state and forget the queue (DISCARD, EXEC, RESET, errors). */
export function discardTransaction(c: Client): void {
  c.mstate = [];
  c.mstateFlags = 0;
  c.flags &= ~(CF_MULTI | CF_DIRTY_CAS | CF_DIRTY_EXEC);
  c.server.unwatchAll(c);
}

// MULTI
function multiCommand(c: Client): void {
  if (c.flags & CF_MULTI) {
    c.error(MULTI_NESTED);
    return;
  }
  c.flags |= CF_MULTI;
  c.reply.ok();
}

// DISCARD
function discardCommand(c: Client): void {
  if (!(c.flags & CF_MULTI)) {
    c.error("ERR DISCARD without MULTI");
    return;
  }
  discardTransaction(c);
  c.reply.ok();
}

/** A watched key that was alive at WATCH time has expired since: the transaction fails. */
function watchedKeyExpired(c: Client): boolean {
  const s = c.server;
  for (const w of c.watched) {
    if (w.expiredAtWatch) continue;
    const db = s.store.dbs[w.db];
    const kb = fromLatin1(w.key);
    const e = db.find(kb, 0, kb.length);
    if (e !== 0 && db.isExpired(e)) return true;
  }
  return false;
}

// EXEC
function execCommand(c: Client): void {
  if (!(c.flags & CF_MULTI)) {
    c.error(EXEC_WITHOUT_MULTI);
    return;
  }
  if (watchedKeyExpired(c)) c.flags |= CF_DIRTY_CAS;
  if (c.flags & CF_DIRTY_EXEC) {
    discardTransaction(c);
    c.error(EXECABORT);
    return;
  }
  if (c.flags & CF_DIRTY_CAS) {
    discardTransaction(c);
    c.reply.nullArray();
    return;
  }
  // the client stays in MULTI state (flag x, multi=N in CLIENT LIST) until the queue has run
  const queue = c.mstate;
  c.server.unwatchAll(c);
  c.server.inExec = true;
  c.reply.arrayLen(queue.length);
  try {
    for (const q of queue) call(c.server, c, q.cmd, q.argv);
  } finally {
    c.server.inExec = false;
  }
  c.mstate = [];
  c.mstateFlags = 0;
  c.flags &= ~(CF_MULTI | CF_DIRTY_CAS | CF_DIRTY_EXEC);
}

// WATCH key [key ...]
function watchCommand(c: Client, argv: Argv): void {
  if (c.flags & CF_MULTI) {
    c.error(WATCH_IN_MULTI);
    return;
  }
  // A client already flagged dirty need not watch more keys (Redis does the same).
  if (c.flags & CF_DIRTY_CAS) {
    c.reply.ok();
    return;
  }
  const db = c.db;
  for (let i = 1; i < argv.argc; i++) {
    const e = db.find(argv.buf, argv.off[i], argv.len[i]);
    c.server.watch(c, db.id, argv.str(i), e !== 0 && db.isExpired(e));
  }
  c.reply.ok();
}

// UNWATCH
function unwatchCommand(c: Client): void {
  c.server.unwatchAll(c);
  c.flags &= ~CF_DIRTY_CAS;
  c.reply.ok();
}

export const transactionCommands = defineCommands("transactions", [
  {
    name: "multi",
    arity: 1,
    flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
    handler: multiCommand,
    summary: "Start a transaction",
    since: "1.2.0",
    complexity: "O(1)",
  },
  {
    name: "exec",
    arity: 1,
    flags: NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG,
    handler: execCommand,
    summary: "Execute all commands issued after MULTI",
    since: "1.2.0",
    complexity: "Depends on commands in the transaction",
  },
  {
    name: "discard",
    arity: 1,
    flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
    handler: discardCommand,
    summary: "Discard all commands issued after MULTI",
    since: "2.0.0",
    complexity: "O(N), when N is the number of queued commands",
  },
  {
    name: "watch",
    arity: -2,
    flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
    handler: watchCommand,
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RO"],
    summary: "Monitor changes to keys to determine execution of the MULTI/EXEC block",
    since: "2.2.0",
    complexity: "O(1) for every key.",
    syntax: "key ...",
  },
  {
    name: "unwatch",
    arity: 1,
    flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
    handler: unwatchCommand,
    summary: "Forget about all watched keys",
    since: "2.2.0",
    complexity: "O(1)",
  },
]);
