// SLOWLOG: commands slower than slowlog-log-slower-than microseconds, newest first, at most
// slowlog-max-len entries; arguments trimmed the way Redis trims them (32 args, 128 bytes each).

import { ADMIN, defineCommands, LOADING, SKIP_SLOWLOG, STALE } from "./command.ts";
import type { Client } from "./client.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Command } from "./command.ts";
import type { Server } from "./server.ts";

const SLOWLOG_ENTRY_MAX_ARGC = 32;
const SLOWLOG_ENTRY_MAX_STRING = 128;

interface Entry {
  id: number;
  time: number;
  usec: number;
  args: string[];
  peer: string;
  name: string;
}

export class SlowLog {
  private entries: Entry[] = [];
  private nextId = 0;

  constructor(private readonly server: Server) {}

  maybeAdd(c: Client, cmd: Command, argv: Argv, usec: number): void {
    const threshold = this.server.slowlogThreshold;
    if (threshold < 0 || usec < threshold || cmd.flags & SKIP_SLOWLOG) return;
    const argc = Math.min(argv.argc, SLOWLOG_ENTRY_MAX_ARGC);
    const args: string[] = [];
    for (let i = 0; i < argc; i++) {
      if (argc !== argv.argc && i === argc - 1) {
        args.push(`... (${argv.argc - argc + 1} more arguments)`);
        break;
      }
      const len = argv.len[i];
      if (c.redacted?.includes(i)) {
        args.push("(redacted)");
      } else if (len > SLOWLOG_ENTRY_MAX_STRING) {
        const o = argv.off[i];
        args.push(
          String.fromCharCode(...argv.buf.subarray(o, o + SLOWLOG_ENTRY_MAX_STRING)) +
            `... (${len - SLOWLOG_ENTRY_MAX_STRING} more bytes)`,
        );
      } else args.push(argv.str(i));
    }
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      usec: Math.floor(usec),
      args,
      peer: c.addr,
      name: c.name,
    });
    this.bytes += SlowLog._size(this.entries[0]);
    const max = this.server.config.num("slowlog-max-len");
    while (this.entries.length > max) this.bytes -= SlowLog._size(this.entries.pop()!);
  }

  /** Bytes the entries hold (kept as entries come and go: used_memory reads it often). */
  memory(): number {
    return this.bytes;
  }

  private bytes = 0;

  private static _size(e: Entry): number {
    let n = 0;
    for (const a of e.args) n += a.length + 16;
    return n;
  }

  resetStats(): void {}

  get(count: number): Entry[] {
    return count < 0 ? this.entries : this.entries.slice(0, count);
  }

  len(): number {
    return this.entries.length;
  }

  reset(): void {
    this.entries = [];
    this.bytes = 0;
  }
}

// SLOWLOG GET [count]
function slowlogGet(c: Client, argv: Argv): void {
  let count = 10;
  if (argv.argc === 3) {
    count = argv.int(2);
    if (Number.isNaN(count) || count < -1) {
      c.error("ERR count should be greater than or equal to -1");
      return;
    }
  }
  const list = c.server.slowlog.get(count);
  const r = c.reply;
  r.arrayLen(list.length);
  for (const e of list) {
    r.arrayLen(6);
    r.int(e.id);
    r.int(e.time);
    r.int(e.usec);
    r.strArray(e.args);
    r.bulkStr(e.peer);
    r.bulkStr(e.name);
  }
}

// SLOWLOG LEN
function slowlogLen(c: Client): void {
  c.reply.int(c.server.slowlog.len());
}

// SLOWLOG RESET
function slowlogReset(c: Client): void {
  c.server.slowlog.reset();
  c.reply.ok();
}

// SLOWLOG HELP
function slowlogHelp(c: Client): void {
  c.replyHelp([
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
  ]);
}

export const slowlogCommands = defineCommands("server", [
  {
    name: "slowlog",
    arity: -2,
    flags: 0,
    summary: "A container for slow log commands",
    since: "2.2.12",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "get",
        arity: -2,
        flags: ADMIN | LOADING | STALE,
        handler: slowlogGet,
        summary: "Get the slow log's entries",
        since: "2.2.12",
        complexity: "O(N) where N is the number of entries returned",
        syntax: "[count:integer]",
        tips: ["request_policy:all_nodes", "nondeterministic_output"],
      },
      {
        name: "len",
        arity: 2,
        flags: ADMIN | LOADING | STALE,
        handler: slowlogLen,
        summary: "Get the slow log's length",
        since: "2.2.12",
        complexity: "O(1)",
        tips: ["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"],
      },
      {
        name: "reset",
        arity: 2,
        flags: ADMIN | LOADING | STALE,
        handler: slowlogReset,
        summary: "Clear all entries from the slow log",
        since: "2.2.12",
        complexity: "O(N) where N is the number of entries in the slowlog",
        tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
      },
      {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        handler: slowlogHelp,
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        complexity: "O(1)",
      },
    ],
  },
]);
