// Streams: value ops and the command table. The family lives in this folder: id.ts (IDs and
// 64-bit words), btree.ts (the arena B+tree), stream.ts (the structure API), rax_estimate.ts
// (XINFO radix-tree-nodes) and commands.ts (the handlers).

import {
  BLOCKING,
  defineCommands,
  DENYOOM,
  FAST,
  LOADING,
  READONLY,
  STALE,
  WRITE,
} from "../../server/command.ts";
import type { Server } from "../../server/server.ts";
import { OBJ_STREAM } from "../../store/object.ts";
import { registerValueType } from "../../store/values.ts";
import {
  xackCommand,
  xaddCommand,
  xautoclaimCommand,
  xclaimCommand,
  xdelCommand,
  xgroupCommand,
  xinfoCommand,
  xlenCommand,
  xpendingCommand,
  xrangeCommand,
  xreadCommand,
  xreadGetKeys,
  xreadgroupCommand,
  xrevrangeCommand,
  xsetidCommand,
  xtrimCommand,
} from "./commands.ts";
import { idDigestBytes } from "./id.ts";
import {
  streamDup,
  streamForEach,
  streamFree,
  streamFreeEffort,
  streamFreeSome,
  streamMemUsage,
} from "./stream.ts";

export * from "./stream.ts";

registerValueType(OBJ_STREAM, {
  free(m, v) {
    streamFree(m, v);
  },
  dup(m, v) {
    return streamDup(m, v);
  },
  usage(m, v, samples) {
    return streamMemUsage(m, v, samples);
  },
  freeEffort(m, v) {
    return streamFreeEffort(m, v);
  },
  freeSome(m, v, budget) {
    return streamFreeSome(m, v, budget);
  },
  digest(m, v, d, ops) {
    // xorObjectDigest for streams: each live entry mixes "ms.seq", then its fields and values
    streamForEach(m, v, (id, it) => {
      ops.mix(d, idDigestBytes(id));
      it.forEachField((f, val) => {
        ops.mix(d, f);
        ops.mix(d, val);
      });
    });
  },
});

/**
 * Clients blocked in XREADGROUP must learn when their stream key is deleted, overwritten or
 * flushed away (Redis signals the key as ready from dbDelete/dbOverwrite): the store reports
 * such keys through its unlinkedStream hook.
 */
function _init(server: Server): void {
  server.store.hooks.unlinkedStream = (db, b, off, len) => {
    server.blocking.signalKeyAsReady(db, b, off, len);
  };
}

const KEY1 = { first: 1, last: 1, step: 1 };
const KEY2 = { first: 2, last: 2, step: 1 };
const TRIM =
  "trim=[strategy=(MAXLEN|MINID) [operator=(EQUAL|APPROXIMATELY)] threshold [LIMIT count:integer]]";

export const streamCommands = defineCommands("stream", [
  {
    name: "xadd",
    arity: -5,
    flags: WRITE | DENYOOM | FAST,
    handler: xaddCommand,
    keys: KEY1,
    keySpecs: [{
      notes: "UPDATE instead of INSERT because of the optional trimming feature",
      flags: ["RW", "update"],
      bs: { index: 1 },
      fk: { lastkey: 0, keystep: 1, limit: 0 },
    }],
    summary: "Appends an entry to a stream, creating the stream unless NOMKSTREAM",
    since: "5.0.0",
    complexity:
      "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
    syntax: `key [NOMKSTREAM] ${TRIM} id_or_auto field_value=(field value) ...`,
    tips: ["nondeterministic_output"],
  },
  {
    name: "xrange",
    arity: -4,
    flags: READONLY,
    handler: xrangeCommand,
    keys: KEY1,
    keyFlags: ["RO", "access"],
    summary: "Returns the entries of a stream whose IDs lie within a range",
    since: "5.0.0",
    complexity: "O(N) with N being the number of elements being returned.",
    syntax: "key start end [COUNT count:integer]",
  },
  {
    name: "xrevrange",
    arity: -4,
    flags: READONLY,
    handler: xrevrangeCommand,
    keys: KEY1,
    keyFlags: ["RO", "access"],
    summary: "Returns the entries of a stream within a range of IDs, newest first",
    since: "5.0.0",
    complexity: "O(N) with N being the number of elements returned.",
    syntax: "key end start [COUNT count:integer]",
  },
  {
    name: "xlen",
    arity: 2,
    flags: READONLY | FAST,
    handler: xlenCommand,
    keys: KEY1,
    keyFlags: ["RO"],
    summary: "Returns how many entries a stream holds",
    since: "5.0.0",
    complexity: "O(1)",
    syntax: "key",
  },
  {
    name: "xdel",
    arity: -3,
    flags: WRITE | FAST,
    handler: xdelCommand,
    keys: KEY1,
    keyFlags: ["RW", "delete"],
    summary: "Removes entries from a stream by ID; returns how many existed",
    since: "5.0.0",
    complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
    syntax: "key ID ...",
  },
  {
    name: "xtrim",
    arity: -4,
    flags: WRITE,
    handler: xtrimCommand,
    keys: KEY1,
    keyFlags: ["RW", "delete"],
    summary: "Removes the oldest entries of a stream, by count or below an ID",
    since: "5.0.0",
    complexity: "O(N), with N being the number of evicted entries.",
    syntax: `key ${TRIM.replace(/^trim=\[/, "trim=(").replace(/\]$/, ")")}`,
    tips: ["nondeterministic_output"],
  },
  {
    name: "xread",
    arity: -4,
    flags: READONLY | BLOCKING,
    handler: xreadCommand,
    getKeys: xreadGetKeys,
    keySpecs: [{
      flags: ["RO", "access"],
      bs: { keyword: "STREAMS", startfrom: 1 },
      fk: { lastkey: -1, keystep: 1, limit: 2 },
    }],
    summary: "Returns entries added after the given IDs in one or more streams, optionally waiting",
    since: "5.0.0",
    complexity:
      "For each stream mentioned: O(N) with N being the number of elements being returned.",
    syntax: "[COUNT count:integer] [BLOCK milliseconds:integer] STREAMS (key ... ID ...)",
  },
  {
    name: "xreadgroup",
    arity: -7,
    flags: WRITE | BLOCKING,
    handler: xreadgroupCommand,
    getKeys: xreadGetKeys,
    keySpecs: [{
      flags: ["RO", "access"],
      bs: { keyword: "STREAMS", startfrom: 4 },
      fk: { lastkey: -1, keystep: 1, limit: 2 },
    }],
    summary:
      "Reads new entries (or a consumer's pending history) through a consumer group, optionally waiting",
    since: "5.0.0",
    complexity: "For each stream mentioned: O(M) with M being the number of elements returned.",
    syntax:
      "GROUP (group consumer) [COUNT count:integer] [BLOCK milliseconds:integer] [NOACK] STREAMS (key ... ID ...)",
  },
  {
    name: "xgroup",
    arity: -2,
    flags: 0,
    summary: "A container for consumer group commands",
    since: "5.0.0",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "create",
        arity: -5,
        flags: WRITE | DENYOOM,
        handler: xgroupCommand,
        keys: KEY2,
        keyFlags: ["RW", "insert"],
        summary: "Creates a consumer group, optionally creating an empty stream",
        since: "5.0.0",
        complexity: "O(1)",
        syntax: "key groupname id=(ID|NEW_ID) [MKSTREAM] [ENTRIESREAD entries_read:integer]",
      },
      {
        name: "createconsumer",
        arity: 5,
        flags: WRITE | DENYOOM,
        handler: xgroupCommand,
        keys: KEY2,
        keyFlags: ["RW", "insert"],
        summary: "Creates a consumer in a consumer group",
        since: "6.2.0",
        complexity: "O(1)",
        syntax: "key groupname consumername",
      },
      {
        name: "delconsumer",
        arity: 5,
        flags: WRITE,
        handler: xgroupCommand,
        keys: KEY2,
        keyFlags: ["RW", "delete"],
        summary: "Deletes a consumer from a consumer group, dropping its pending entries",
        since: "5.0.0",
        complexity: "O(1)",
        syntax: "key groupname consumername",
      },
      {
        name: "destroy",
        arity: 4,
        flags: WRITE,
        handler: xgroupCommand,
        keys: KEY2,
        keyFlags: ["RW", "delete"],
        summary: "Destroys a consumer group",
        since: "5.0.0",
        complexity:
          "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        syntax: "key groupname",
      },
      {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        handler: xgroupCommand,
        summary: "Returns helpful text about the XGROUP subcommands",
        since: "5.0.0",
        complexity: "O(1)",
        acl: ["stream"],
      },
      {
        name: "setid",
        arity: -5,
        flags: WRITE,
        handler: xgroupCommand,
        keys: KEY2,
        keyFlags: ["RW", "update"],
        summary: "Sets the last delivered ID of a consumer group",
        since: "5.0.0",
        complexity: "O(1)",
        syntax: "key groupname id=(ID|NEW_ID) [ENTRIESREAD entries_read:integer]",
      },
    ],
  },
  {
    name: "xsetid",
    arity: -3,
    flags: WRITE | DENYOOM | FAST,
    handler: xsetidCommand,
    keys: KEY1,
    keyFlags: ["RW", "update"],
    summary: "Sets a stream's last ID and counters (used for replication)",
    since: "5.0.0",
    complexity: "O(1)",
    syntax: "key last-id [ENTRIESADDED entries_added:integer] [MAXDELETEDID max_deleted_entry_id]",
  },
  {
    name: "xack",
    arity: -4,
    flags: WRITE | FAST,
    handler: xackCommand,
    keys: KEY1,
    keyFlags: ["RW", "update"],
    summary: "Acknowledges entries of a consumer group, removing them from its pending list",
    since: "5.0.0",
    complexity: "O(1) for each message ID processed.",
    syntax: "key group ID ...",
  },
  {
    name: "xpending",
    arity: -3,
    flags: READONLY,
    handler: xpendingCommand,
    keys: KEY1,
    keyFlags: ["RO", "access"],
    summary: "Summarises or lists the pending entries of a consumer group",
    since: "5.0.0",
    complexity: "O(N) with N being the number of elements returned.",
    syntax: "key group [filters=([IDLE min-idle-time:integer] start end count:integer [consumer])]",
    tips: ["nondeterministic_output"],
  },
  {
    name: "xclaim",
    arity: -6,
    flags: WRITE | FAST,
    handler: xclaimCommand,
    keys: KEY1,
    keyFlags: ["RW", "update"],
    summary: "Transfers pending entries of a consumer group to another consumer",
    since: "5.0.0",
    complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
    syntax:
      "key group consumer min-idle-time ID ... [IDLE ms:integer] [TIME unix-time-milliseconds:unix-time] [RETRYCOUNT count:integer] [FORCE] [JUSTID] [LASTID id]",
    tips: ["nondeterministic_output"],
  },
  {
    name: "xautoclaim",
    arity: -6,
    flags: WRITE | FAST,
    handler: xautoclaimCommand,
    keys: KEY1,
    keyFlags: ["RW", "delete"],
    summary: "Transfers pending entries idle for long enough to another consumer, scanning the PEL",
    since: "6.2.0",
    complexity: "O(1) if COUNT is small.",
    syntax: "key group consumer min-idle-time start [COUNT count:integer] [JUSTID]",
    tips: ["nondeterministic_output"],
  },
  {
    name: "xinfo",
    arity: -2,
    flags: 0,
    summary: "A container for stream introspection commands",
    since: "5.0.0",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "consumers",
        arity: 4,
        flags: READONLY,
        handler: xinfoCommand,
        keys: KEY2,
        keyFlags: ["RO", "access"],
        summary: "Lists the consumers of a consumer group",
        since: "5.0.0",
        complexity: "O(1)",
        syntax: "key groupname",
        tips: ["nondeterministic_output"],
      },
      {
        name: "groups",
        arity: 3,
        flags: READONLY,
        handler: xinfoCommand,
        keys: KEY2,
        keyFlags: ["RO", "access"],
        summary: "Lists the consumer groups of a stream",
        since: "5.0.0",
        complexity: "O(1)",
        syntax: "key",
      },
      {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        handler: xinfoCommand,
        summary: "Returns helpful text about the XINFO subcommands",
        since: "5.0.0",
        complexity: "O(1)",
        acl: ["stream"],
      },
      {
        name: "stream",
        arity: -3,
        flags: READONLY,
        handler: xinfoCommand,
        keys: KEY2,
        keyFlags: ["RO", "access"],
        summary: "Describes a stream, optionally with all its groups, consumers and entries",
        since: "5.0.0",
        complexity: "O(1)",
        syntax: "key [full=(FULL [COUNT count:integer])]",
      },
    ],
  },
], _init);
