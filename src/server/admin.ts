// Server administration commands that act on whole databases or the process: FLUSHALL,
// FLUSHDB, DBSIZE, SWAPDB, FUNCTION (FLUSH only until scripting lands).

import { fromLatin1 } from "../protocol/bytes.ts";
import { INVALID_DB, SYNTAX } from "../protocol/errors.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Db } from "../store/db.ts";
import { CF_DIRTY_CAS, type Client } from "./client.ts";
import { defineCommands, FAST, NOSCRIPT, READONLY, WRITE } from "./command.ts";
import type { Server } from "./server.ts";

/** FLUSH* [ASYNC|SYNC] -> lazy?, or null after replying a syntax error. */
function flushMode(c: Client, argv: Argv): boolean | null {
  if (argv.argc > 2) {
    c.error(SYNTAX);
    return null;
  }
  if (argv.argc === 2) {
    const m = argv.lower(1);
    if (m === "sync") return false;
    if (m === "async") return true;
    c.error(SYNTAX);
    return null;
  }
  return c.server.config.bool("lazyfree-lazy-user-flush");
}

/**
 * touchAllWatchedKeysInDb: `emptied` is being flushed (replacedWith null) or swapped with
 * `replacedWith`. Watched keys of `emptied` that exist there (or in replacedWith) fail their
 * transactions, except where nothing changes logically: a key already expired at WATCH time
 * that is now gone, or replaced with another expired key; a missing key replaced with an
 * expired one (it then counts as expired at WATCH time).
 */
export function touchWatchedKeysInDb(s: Server, emptied: Db, replacedWith: Db | null): void {
  if (s.watchedKeyCount() === 0) return;
  for (const c of s.clients.values()) {
    for (const w of c.watched) {
      if (w.db !== emptied.id) continue;
      const b = fromLatin1(w.key);
      const inEmptied = emptied.find(b, 0, b.length) !== 0;
      const other = replacedWith ? replacedWith.find(b, 0, b.length) : 0;
      if (!inEmptied && other === 0) continue;
      if (w.expiredAtWatch) {
        if (other === 0) {
          w.expiredAtWatch = false;
          continue;
        }
        if (replacedWith!.isExpired(other)) continue;
      } else if (!inEmptied && replacedWith!.isExpired(other)) {
        w.expiredAtWatch = true;
        continue;
      }
      c.flags |= CF_DIRTY_CAS;
    }
  }
}

/** Empty one db or all of them; returns the number of keys removed. */
export function emptyData(s: Server, dbid: number, lazy: boolean): number {
  let removed = 0;
  for (const db of s.store.dbs) {
    if (dbid !== -1 && db.id !== dbid) continue;
    touchWatchedKeysInDb(s, db, null);
    removed += db.clear(lazy);
  }
  return removed;
}

// FLUSHALL [ASYNC|SYNC]
function flushallCommand(c: Client, argv: Argv): void {
  const lazy = flushMode(c, argv);
  if (lazy === null) return;
  const s = c.server;
  s.dirty += emptyData(s, -1, lazy);
  s.dirty++;
  s.onFlushAll?.();
  c.reply.ok();
}

// FLUSHDB [ASYNC|SYNC]
function flushdbCommand(c: Client, argv: Argv): void {
  const lazy = flushMode(c, argv);
  if (lazy === null) return;
  const s = c.server;
  s.dirty += emptyData(s, c.db.id, lazy);
  c.reply.ok();
}

// DBSIZE
function dbsizeCommand(c: Client): void {
  c.reply.int(c.db.size());
}

// SWAPDB index1 index2
function swapdbCommand(c: Client, argv: Argv): void {
  const s = c.server;
  if (s.config.bool("cluster-enabled")) {
    c.error("ERR SWAPDB is not allowed in cluster mode");
    return;
  }
  // getIntFromObjectOrReply: a long long that fits in a C int.
  const a = argv.int(1);
  if (Number.isNaN(a) || a < -2147483648 || a > 2147483647) {
    c.error("ERR invalid first DB index");
    return;
  }
  const b = argv.int(2);
  if (Number.isNaN(b) || b < -2147483648 || b > 2147483647) {
    c.error("ERR invalid second DB index");
    return;
  }
  const dbs = s.store.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) {
    c.error(INVALID_DB);
    return;
  }
  if (a !== b) {
    const da = dbs[a];
    const db2 = dbs[b];
    touchWatchedKeysInDb(s, da, db2);
    touchWatchedKeysInDb(s, db2, da);
    da.swapWith(db2);
    s.blocking.onSwapDb(a, b);
  }
  // Counted even when both indexes are the same, as Redis does.
  s.dirty++;
  c.reply.ok();
}

// FUNCTION FLUSH [ASYNC|SYNC] (functions arrive with scripting; the Tcl suite sends this first)
function functionFlush(c: Client, argv: Argv): void {
  if (argv.argc > 3) {
    c.error(SYNTAX);
    return;
  }
  if (argv.argc === 3) {
    const m = argv.lower(2);
    if (m !== "sync" && m !== "async") {
      c.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
      return;
    }
  }
  c.reply.ok();
}

export const adminCommands = defineCommands("server", [
  {
    name: "flushall",
    arity: -1,
    flags: WRITE,
    handler: flushallCommand,
    keyFlags: [],
    summary: "Removes all keys from all databases",
    since: "1.0.0",
    complexity: "O(N) where N is the total number of keys in all databases",
    syntax: "[ASYNC|SYNC]",
    acl: ["keyspace", "dangerous"],
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  },
  {
    name: "flushdb",
    arity: -1,
    flags: WRITE,
    handler: flushdbCommand,
    summary: "Removes all keys from the current database",
    since: "1.0.0",
    complexity: "O(N) where N is the number of keys in the selected database",
    syntax: "[ASYNC|SYNC]",
    acl: ["keyspace", "dangerous"],
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  },
  {
    name: "dbsize",
    arity: 1,
    flags: READONLY | FAST,
    handler: dbsizeCommand,
    summary: "Returns the number of keys in the database",
    since: "1.0.0",
    complexity: "O(1)",
    acl: ["keyspace"],
    tips: ["request_policy:all_shards", "response_policy:agg_sum"],
  },
  {
    name: "swapdb",
    arity: 3,
    flags: WRITE | FAST,
    handler: swapdbCommand,
    summary: "Swaps two Redis databases",
    since: "4.0.0",
    complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    syntax: "index1:integer index2:integer",
    acl: ["keyspace", "dangerous"],
  },
  {
    name: "function",
    arity: -2,
    flags: 0,
    summary: "A container for function commands",
    since: "7.0.0",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "flush",
        arity: -2,
        flags: NOSCRIPT | WRITE,
        handler: functionFlush,
        summary: "Deletes all libraries and functions",
        since: "7.0.0",
        complexity: "O(N) where N is the number of functions deleted",
        syntax: "[ASYNC|SYNC]",
        acl: ["scripting"],
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
      },
    ],
  },
]);
