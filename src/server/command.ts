// Command specs: what a command is, declared as data next to its family. Flags keep Redis's
// names and bits (server.h CMD_*); dispatch.ts enforces them, handlers never re-check them.
// Also parses each spec's `syntax` line into COMMAND DOCS argument trees.

import type { Argv } from "../protocol/resp_parser.ts";
import type { Client } from "./client.ts";
import type { Server } from "./server.ts";

// ---- flags (CMD_*) ----
/** The command may modify the dataset. */
export const WRITE = 1 << 0;
/** The command only reads data. */
export const READONLY = 1 << 1;
/** The command may grow memory: refused when over maxmemory (after eviction). */
export const DENYOOM = 1 << 2;
export const MODULE = 1 << 3;
/** Administrative command (also @admin @dangerous). */
export const ADMIN = 1 << 4;
/** Pub/Sub related. */
export const PUBSUB = 1 << 5;
/** Not allowed from scripts. */
export const NOSCRIPT = 1 << 6;
/** May block the client. */
export const BLOCKING = 1 << 8;
/** Allowed while loading the dataset. */
export const LOADING = 1 << 9;
/** Allowed on a replica with stale data. */
export const STALE = 1 << 10;
/** Not shown to MONITOR. */
export const SKIP_MONITOR = 1 << 11;
/** Not logged to SLOWLOG. */
export const SKIP_SLOWLOG = 1 << 12;
export const ASKING = 1 << 13;
/** O(1) or O(log N): @fast. */
export const FAST = 1 << 14;
/** Allowed before AUTH. */
export const NO_AUTH = 1 << 15;
/** May replicate even though not WRITE (e.g. PUBLISH, EVAL). */
export const MAY_REPLICATE = 1 << 16;
export const NO_MANDATORY_KEYS = 1 << 19;
/** Only allowed when enabled by a config (DEBUG, MODULE). */
export const PROTECTED = 1 << 20;
export const NO_ASYNC_LOADING = 1 << 23;
/** Not allowed inside MULTI. */
export const NO_MULTI = 1 << 24;
/** Key positions need getKeys (COMMAND INFO "movablekeys"). */
export const MOVABLE_KEYS = 1 << 25;
/** Allowed while a script is busy. */
export const ALLOW_BUSY = 1 << 26;

/** Flags by the names COMMAND INFO reports, in its order (may_replicate and protected are not shown). */
export const FLAG_NAMES: [number, string][] = [
  [WRITE, "write"],
  [READONLY, "readonly"],
  [DENYOOM, "denyoom"],
  [MODULE, "module"],
  [ADMIN, "admin"],
  [PUBSUB, "pubsub"],
  [NOSCRIPT, "noscript"],
  [BLOCKING, "blocking"],
  [LOADING, "loading"],
  [STALE, "stale"],
  [SKIP_MONITOR, "skip_monitor"],
  [SKIP_SLOWLOG, "skip_slowlog"],
  [ASKING, "asking"],
  [FAST, "fast"],
  [NO_AUTH, "no_auth"],
  [NO_MANDATORY_KEYS, "no_mandatory_keys"],
  [NO_ASYNC_LOADING, "no_async_loading"],
  [NO_MULTI, "no_multi"],
  [MOVABLE_KEYS, "movablekeys"],
  [ALLOW_BUSY, "allow_busy"],
];

// ---- ACL categories ----
export const ACL_CATEGORIES = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
] as const;
export type AclCategory = typeof ACL_CATEGORIES[number];

/** Category implied by a command's group. */
const GROUP_CATEGORY: Record<string, AclCategory | undefined> = {
  generic: "keyspace",
  string: "string",
  list: "list",
  set: "set",
  sorted_set: "sortedset",
  hash: "hash",
  bitmap: "bitmap",
  hyperloglog: "hyperloglog",
  geo: "geo",
  stream: "stream",
  pubsub: "pubsub",
  transactions: "transaction",
  scripting: "scripting",
  connection: "connection",
};

export type Handler = (c: Client, argv: Argv) => void;

/**
 * One Redis key spec (COMMAND INFO, COMMAND GETKEYSANDFLAGS): where the search for keys begins
 * and how the keys are found from there. Declare `keySpecs` when a command's keys need more than
 * one range or different flags per key; otherwise they are derived from keys/getKeys/keyFlags.
 */
export interface KeySpecDef {
  /** RO/RW/OW/RM, access/update/insert/delete, not_key, incomplete, variable_flags. */
  flags: string[];
  notes?: string;
  /** An argument index; a keyword searched from `startfrom` (negative: backwards from the end); or unknown. */
  bs: { index: number } | { keyword: string; startfrom: number } | "unknown";
  /**
   * A range (`lastkey` relative to the first key, negative counts from the end; `limit` splits
   * the rest), a key count at `keynumidx` (relative to the begin index) with keys from `firstkey`,
   * or unknown.
   */
  fk:
    | { lastkey: number; keystep: number; limit: number }
    | { keynumidx: number; firstkey: number; keystep: number }
    | "unknown";
}

export interface KeyRange {
  /** Index of the first key argument (0 = no keys). */
  first: number;
  /** Index of the last key; negative counts from the end (-1 = last argument). */
  last: number;
  step: number;
}

/** What a family declares for each command. */
export interface CommandDef {
  name: string;
  arity: number;
  flags: number;
  handler?: Handler;
  keys?: KeyRange;
  /** Key positions for commands whose keys move (numkeys, STORE ...). */
  getKeys?: (argv: Argv) => number[];
  /** Key-spec flags for COMMAND INFO (RW/RO/OW/RM + access/update/insert/delete). */
  keyFlags?: string[];
  /** Exact key specs (see KeySpecDef); when absent they are derived from keys/getKeys/keyFlags. */
  keySpecs?: KeySpecDef[];
  /** Flags of the key at argv[pos] when they depend on the call (variable_flags, e.g. SET ... GET). */
  keyFlagsAt?: (argv: Argv, pos: number) => string[];
  summary: string;
  since: string;
  complexity?: string;
  /** Argument syntax in doc notation, e.g. "key value [NX | XX] [GET]". */
  syntax?: string;
  /** Categories beyond those derived from group and flags. */
  acl?: AclCategory[];
  /** COMMAND DOCS doc_flags ("deprecated", "syscmd"). */
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  /** COMMAND INFO tips ("nondeterministic_output", "request_policy:all_shards", ...). */
  tips?: string[];
  subcommands?: CommandDef[];
}

/** A command as the table holds it: the declaration plus derived and runtime data. */
export interface Command extends CommandDef {
  /** "get", or "config|get" for subcommands. */
  fullName: string;
  group: string;
  id: number;
  parent: Command | null;
  acls: AclCategory[];
  subs: Map<string, Command> | null;
  args: DocArg[];
  // runtime statistics (INFO commandstats)
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

export interface CommandFamily {
  group: string;
  defs: CommandDef[];
  /** Called once when a server is built (install server hooks, per-server state). */
  init?: (server: Server) => void;
}

/** Declare a family's commands (and optionally a per-server init). */
export function defineCommands(
  group: string,
  defs: CommandDef[],
  init?: (server: Server) => void,
): CommandFamily {
  return init ? { group, defs, init } : { group, defs };
}

let _nextId = 0;

/** Turn a declaration into a table entry (recursively for subcommands). */
export function buildCommand(def: CommandDef, group: string, parent: Command | null): Command {
  const fullName = parent ? `${parent.name}|${def.name}` : def.name;
  const cmd: Command = {
    ...def,
    fullName,
    group,
    id: _nextId++,
    parent,
    acls: deriveAcl(def, group),
    subs: null,
    args: def.syntax ? parseSyntax(def.syntax) : [],
    calls: 0,
    usec: 0,
    rejectedCalls: 0,
    failedCalls: 0,
  };
  if (def.subcommands) {
    cmd.subs = new Map();
    for (const s of def.subcommands) cmd.subs.set(s.name, buildCommand(s, group, cmd));
  }
  return cmd;
}

function deriveAcl(def: CommandDef, group: string): AclCategory[] {
  // A container (CONFIG, CLIENT, OBJECT...) has no category of its own but @slow.
  if (def.subcommands) return ACL_CATEGORIES.filter((c) => c === "slow" || (def.acl ?? []).includes(c));
  const out = new Set<AclCategory>();
  const g = GROUP_CATEGORY[group];
  if (g) out.add(g);
  if (def.flags & WRITE) out.add("write");
  if (def.flags & READONLY && g !== "scripting") out.add("read");
  if (def.flags & ADMIN) {
    out.add("admin");
    out.add("dangerous");
  }
  if (def.flags & PUBSUB) out.add("pubsub");
  if (def.flags & FAST) out.add("fast");
  if (def.flags & BLOCKING) out.add("blocking");
  if (!(def.flags & FAST)) out.add("slow");
  for (const a of def.acl ?? []) out.add(a);
  return ACL_CATEGORIES.filter((c) => out.has(c));
}

/** Key argument positions of a call (COMMAND GETKEYS, cluster hashing). */
export function commandKeys(cmd: Command, argv: Argv): number[] {
  if (cmd.getKeys) return cmd.getKeys(argv);
  const k = cmd.keys;
  if (!k || k.first === 0) return [];
  const last = k.last < 0 ? argv.argc + k.last : k.last;
  const out: number[] = [];
  for (let i = k.first; i <= last && i < argv.argc; i += k.step) out.push(i);
  return out;
}

// ---- COMMAND DOCS argument trees from syntax lines ----

export interface DocArg {
  name: string;
  type: string;
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multipleToken?: boolean;
  args?: DocArg[];
}

const ARG_TYPES = new Set(["key", "string", "integer", "double", "pattern", "unix-time"]);

/**
 * Parse a syntax line in doc notation into argument trees:
 *   `name[:type]` an argument (type defaults to string, or key for "key");
 *   `TOKEN` a pure token; `TOKEN name[:type]` a token followed by its argument;
 *   `TOKEN ( ... )` a group (block or oneof) that the token introduces;
 *   `[ ... ]` optional, `( ... )` required group, `a | b` alternatives (oneof), a trailing `...`
 *   marks repetition; `label=[...]` names a group.
 */
export function parseSyntax(src: string): DocArg[] {
  const toks = src.match(/\.\.\.|[[\]()|]|[^\s[\]()|]+/g) ?? [];
  let i = 0;
  const isToken = (t: string) => /^[A-Z][A-Z0-9_\-]*$/.test(t) && t !== "...";
  const isWord = (t: string | undefined) =>
    t !== undefined && !["[", "]", "(", ")", "|", "..."].includes(t) && !isToken(t);

  function leaf(t: string): DocArg {
    // "name:type" when the suffix is a known type; otherwise the whole word is the name.
    const c = t.lastIndexOf(":");
    if (c > 0 && ARG_TYPES.has(t.slice(c + 1))) return { name: t.slice(0, c), type: t.slice(c + 1) };
    return { name: t, type: t === "key" ? "key" : "string" };
  }

  function seq(stop: string[]): DocArg[][] {
    // returns alternatives, each a sequence
    const alts: DocArg[][] = [[]];
    while (i < toks.length && !stop.includes(toks[i])) {
      const t = toks[i];
      if (t === "|") {
        i++;
        alts.push([]);
        continue;
      }
      alts[alts.length - 1].push(item());
    }
    return alts;
  }

  function group(alts: DocArg[][], label: string | null): DocArg {
    if (alts.length > 1) {
      const args = alts.map((a) => a.length === 1 ? a[0] : { name: a.map((x) => x.name).join("-"), type: "block", args: a });
      return { name: label ?? args.map((a) => a.name).join("-"), type: "oneof", args };
    }
    const only = alts[0];
    if (only.length === 1 && label === null) return only[0];
    return { name: label ?? only.map((x) => x.name).join("-"), type: "block", args: only };
  }

  function item(): DocArg {
    let t = toks[i++];
    let label: string | null = null;
    const eq = t.indexOf("=");
    if (eq > 0 && (t.endsWith("=") || t.length === eq + 1)) {
      label = t.slice(0, eq);
      t = toks[i++];
    }
    let out: DocArg;
    if (t === "[" || t === "(") {
      const close = t === "[" ? "]" : ")";
      const alts = seq([close]);
      i++; // close
      out = group(alts, label);
      if (t === "[") {
        // a group wrapping a single optional item stays one optional item
        out = { ...out, optional: true };
      }
    } else if (isToken(t)) {
      if (toks[i] === "(") {
        // "TOKEN (a|b)": the token introduces the whole group (COMMAND LIST's FILTERBY)
        i++;
        const alts = seq([")"]);
        i++; // close
        out = { ...group(alts, label ?? t.toLowerCase()), token: t };
      } else if (isWord(toks[i])) {
        const a = leaf(toks[i++]);
        out = { ...a, token: t };
      } else {
        out = { name: t.toLowerCase(), type: "pure-token", token: t };
      }
    } else {
      out = leaf(t);
    }
    if (toks[i] === "...") {
      i++;
      out = { ...out, multiple: true };
      if (out.token) out.multipleToken = true;
    }
    return out;
  }

  const alts = seq([]);
  return alts.length === 1 ? alts[0] : [group(alts, null)];
}
