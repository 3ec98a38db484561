// Server introspection: COMMAND (INFO, DOCS, LIST, COUNT, GETKEYS, GETKEYSANDFLAGS) read from the
// command table, with Redis 7.0's key specs derived from each spec's keys/getKeys/keyFlags (or
// taken from an explicit keySpecs); TIME, LASTSAVE, ROLE, MONITOR, SHUTDOWN, LATENCY, LOLWUT.
// Reads other families only through the table; persistence plugs into SHUTDOWN via a hook.

import { subcommandSyntaxError as subcommandSyntaxErrorText, SYNTAX } from "../protocol/errors.ts";
import { globMatchStr } from "../protocol/glob.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import { CF_MONITOR, CF_REPLICA, type Client } from "./client.ts";
import {
  ACL_CATEGORIES,
  ADMIN,
  ALLOW_BUSY,
  type Command,
  defineCommands,
  FLAG_NAMES,
  type DocArg,
  FAST,
  type KeySpecDef,
  LOADING,
  MOVABLE_KEYS,
  NO_MANDATORY_KEYS,
  NO_MULTI,
  NOSCRIPT,
  READONLY,
  STALE,
  WRITE,
} from "./command.ts";
import {
  commandHistogram,
  LATENCY_TS_LEN,
  latencyEvents,
  latencyResetEvent,
  type LatencySeries,
} from "./info.ts";
import type { Server } from "./server.ts";

// ---- key specs ----

/** Key-spec flag names in the order Redis prints them. */
const KEY_FLAG_ORDER = [
  "RO",
  "RW",
  "OW",
  "RM",
  "access",
  "update",
  "insert",
  "delete",
  "not_key",
  "incomplete",
  "variable_flags",
];

/** Normalize key-spec flags: known names in Redis's spelling and order. */
export function normalizeKeyFlags(flags: readonly string[]): string[] {
  const have = new Set(flags.map((f) => f.toLowerCase()));
  return KEY_FLAG_ORDER.filter((f) => have.has(f.toLowerCase()));
}

/** Key specs of a command and what COMMAND INFO derives from them. */
export interface KeyInfo {
  specs: KeySpecDef[];
  /** True when the family declared keySpecs (not derived from keys/getKeys/keyFlags). */
  exact: boolean;
  /** Legacy (first, last, step) triple; last is absolute or negative from the end. */
  first: number;
  last: number;
  step: number;
  movable: boolean;
}

const _keyInfo = new WeakMap<Command, KeyInfo>();

/** Default flags when a family gave none: what the command's own flags imply. */
function _defaultKeyFlags(cmd: Command): string[] {
  if (cmd.flags & WRITE) return ["RW", "access", "update"];
  return ["RO", "access"];
}

function _deriveSpecs(cmd: Command): KeySpecDef[] {
  const flags = normalizeKeyFlags(cmd.keyFlags ?? _defaultKeyFlags(cmd));
  const out: KeySpecDef[] = [];
  const k = cmd.keys;
  if (k && k.first > 0) {
    out.push({
      flags,
      bs: { index: k.first },
      fk: { lastkey: k.last < 0 ? k.last : k.last - k.first, keystep: k.step, limit: 0 },
    });
  }
  if (cmd.getKeys && (out.length === 0 || cmd.flags & MOVABLE_KEYS)) {
    out.push({ flags, bs: "unknown", fk: "unknown" });
  }
  return out;
}

const _isIndexRange = (s: KeySpecDef) =>
  typeof s.bs === "object" && "index" in s.bs && typeof s.fk === "object" && "lastkey" in s.fk;

/** The command's key specs, legacy key range and movablekeys (populateCommandLegacyRangeSpec). */
export function keyInfo(cmd: Command): KeyInfo {
  const cached = _keyInfo.get(cmd);
  if (cached) return cached;
  const exact = cmd.keySpecs !== undefined;
  const specs = exact
    ? cmd.keySpecs!.map((s) => ({ ...s, flags: normalizeKeyFlags(s.flags) }))
    : _deriveSpecs(cmd);
  let movable = (cmd.flags & MOVABLE_KEYS) !== 0;
  let first = 0, last = 0, step = 0;
  const incomplete = (s: KeySpecDef) => s.flags.includes("incomplete");
  if (specs.length === 1 && _isIndexRange(specs[0])) {
    const bs = specs[0].bs as { index: number };
    const fk = specs[0].fk as { lastkey: number; keystep: number };
    first = bs.index;
    last = fk.lastkey >= 0 ? fk.lastkey + first : fk.lastkey;
    step = fk.keystep;
    if (incomplete(specs[0])) movable = true;
  } else if (specs.length > 0) {
    let fmin = Infinity;
    let lmax = 0;
    let prevLast = 0;
    // Unsigned comparison, as Redis does: a negative (from the end) last key beats any index.
    const umax = (a: number, b: number) => ((a >>> 0) > (b >>> 0) ? a : b);
    for (const s of specs) {
      if (!_isIndexRange(s)) {
        movable = true;
        continue;
      }
      const bs = s.bs as { index: number };
      const fk = s.fk as { lastkey: number; keystep: number };
      if (fk.keystep !== 1 || (prevLast && prevLast !== bs.index - 1)) {
        movable = true;
        continue;
      }
      if (incomplete(s)) movable = true;
      fmin = Math.min(fmin, bs.index);
      const abs = fk.lastkey >= 0 ? fk.lastkey + bs.index : fk.lastkey;
      lmax = umax(lmax, abs);
      prevLast = lmax;
    }
    if (fmin === Infinity) movable = true;
    else {
      first = fmin;
      last = lmax;
      step = 1;
    }
  }
  const info: KeyInfo = { specs, exact, first, last, step, movable };
  _keyInfo.set(cmd, info);
  return info;
}

/** doesCommandHaveKeys: a getKeys function or a spec that is not a fake key. */
export function commandHasKeys(cmd: Command): boolean {
  return cmd.getKeys !== undefined || keyInfo(cmd).specs.some((s) => !s.flags.includes("not_key"));
}

export interface KeyRef {
  pos: number;
  flags: string[];
}

/** getKeysUsingKeySpecs: key positions from the specs, or null when a spec cannot be applied. */
function _keysFromSpecs(specs: KeySpecDef[], argv: Argv, arity: number): KeyRef[] | null {
  const argc = argv.argc;
  const out: KeyRef[] = [];
  for (const spec of specs) {
    if (spec.flags.includes("not_key")) continue;
    let first = 0;
    const bs = spec.bs;
    if (bs === "unknown") return null;
    if ("index" in bs) first = bs.index;
    else {
      const start = bs.startfrom > 0 ? bs.startfrom : argc + bs.startfrom;
      const end = bs.startfrom > 0 ? argc - 1 : 1;
      const kw = bs.keyword.toLowerCase();
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv.lower(i) === kw) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    }
    const fk = spec.fk;
    if (fk === "unknown") return null;
    let last: number;
    let step: number;
    if ("lastkey" in fk) {
      step = fk.keystep;
      if (fk.lastkey >= 0) last = first + fk.lastkey;
      else if (!fk.limit) last = argc + fk.lastkey;
      else last = first + (Math.floor((argc - first) / fk.limit) + fk.lastkey);
    } else {
      step = fk.keystep;
      if (fk.keynumidx >= argc || first + fk.keynumidx >= argc) return null;
      const n = argv.int(first + fk.keynumidx);
      if (Number.isNaN(n) || n < 0) return null;
      first += fk.firstkey;
      last = first + n - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) {
        if (arity < 0) continue;
        return null;
      }
      out.push({ pos: i, flags: spec.flags });
    }
    if (spec.flags.includes("incomplete")) return null;
  }
  return out;
}

/**
 * The keys of a call with their flags (COMMAND GETKEYS / GETKEYSANDFLAGS, cluster hashing):
 * key specs when they are exact and their flags fixed, else the family's getKeys, else the
 * derived range. `variable_flags` never shows: keyFlagsAt gives the flags of such keys.
 */
export function getKeysWithFlags(cmd: Command, argv: Argv): KeyRef[] {
  const ki = keyInfo(cmd);
  const varFlags = ki.specs.some((s) => s.flags.includes("variable_flags"));
  let refs: KeyRef[] | null = null;
  if (!cmd.getKeys || (ki.exact && !varFlags)) refs = _keysFromSpecs(ki.specs, argv, cmd.arity);
  if (refs === null && cmd.getKeys) {
    const fallback = normalizeKeyFlags(cmd.keyFlags ?? ki.specs[0]?.flags ?? _defaultKeyFlags(cmd));
    refs = cmd.getKeys(argv).map((pos) => ({ pos, flags: fallback }));
  }
  if (refs === null) return [];
  return refs.map((r) => {
    const f = cmd.keyFlagsAt ? cmd.keyFlagsAt(argv, r.pos) : r.flags;
    return { pos: r.pos, flags: normalizeKeyFlags(f).filter((x) => x !== "variable_flags") };
  });
}

// ---- command lookup by name ("config|get") ----

/** lookupCommandBySds: "name" or "container|sub", case-insensitive; undefined when unknown. */
export function lookupCommandByName(s: Server, name: string): Command | undefined {
  const parts = name.toLowerCase().split("|");
  if (parts.length > 2) return undefined;
  const base = s.commands.byName.get(parts[0]);
  if (!base || parts.length === 1) return base;
  return base.subs?.get(parts[1]);
}

// ---- COMMAND replies ----

/** The flag names COMMAND INFO reports (movablekeys as derived from the key specs). */
export function commandInfoFlags(cmd: Command): string[] {
  const flags = keyInfo(cmd).movable ? cmd.flags | MOVABLE_KEYS : cmd.flags & ~MOVABLE_KEYS;
  return FLAG_NAMES.filter(([b]) => flags & b).map(([, n]) => n);
}

function _statusSet(c: Client, items: readonly string[]): void {
  c.reply.setLen(items.length);
  for (const s of items) c.reply.simple(s);
}

function _replyKeySpecs(c: Client, specs: KeySpecDef[]): void {
  const r = c.reply;
  r.setLen(specs.length);
  for (const sp of specs) {
    r.mapLen(sp.notes ? 4 : 3);
    if (sp.notes) {
      r.bulkStr("notes");
      r.bulkText(sp.notes);
    }
    r.bulkStr("flags");
    _statusSet(c, sp.flags);
    r.bulkStr("begin_search");
    r.mapLen(2);
    r.bulkStr("type");
    if (sp.bs === "unknown") {
      r.bulkStr("unknown");
      r.bulkStr("spec");
      r.mapLen(0);
    } else if ("index" in sp.bs) {
      r.bulkStr("index");
      r.bulkStr("spec");
      r.mapLen(1);
      r.bulkStr("index");
      r.int(sp.bs.index);
    } else {
      r.bulkStr("keyword");
      r.bulkStr("spec");
      r.mapLen(2);
      r.bulkStr("keyword");
      r.bulkStr(sp.bs.keyword);
      r.bulkStr("startfrom");
      r.int(sp.bs.startfrom);
    }
    r.bulkStr("find_keys");
    r.mapLen(2);
    r.bulkStr("type");
    if (sp.fk === "unknown") {
      r.bulkStr("unknown");
      r.bulkStr("spec");
      r.mapLen(0);
    } else if ("lastkey" in sp.fk) {
      r.bulkStr("range");
      r.bulkStr("spec");
      r.mapLen(3);
      r.bulkStr("lastkey");
      r.int(sp.fk.lastkey);
      r.bulkStr("keystep");
      r.int(sp.fk.keystep);
      r.bulkStr("limit");
      r.int(sp.fk.limit);
    } else {
      r.bulkStr("keynum");
      r.bulkStr("spec");
      r.mapLen(3);
      r.bulkStr("keynumidx");
      r.int(sp.fk.keynumidx);
      r.bulkStr("firstkey");
      r.int(sp.fk.firstkey);
      r.bulkStr("keystep");
      r.int(sp.fk.keystep);
    }
  }
}

/** addReplyCommandInfo: the 10-element description of a command (null when unknown). */
function replyCommandInfo(c: Client, cmd: Command | undefined): void {
  const r = c.reply;
  if (!cmd) {
    r.nullArray();
    return;
  }
  const ki = keyInfo(cmd);
  r.arrayLen(10);
  r.bulkStr(cmd.fullName);
  r.int(cmd.arity);
  _statusSet(c, commandInfoFlags(cmd));
  r.int(ki.first);
  r.int(ki.last);
  r.int(ki.step);
  _statusSet(c, cmd.acls.map((a) => "@" + a));
  r.setLen(cmd.tips?.length ?? 0);
  for (const t of cmd.tips ?? []) r.bulkStr(t);
  _replyKeySpecs(c, ki.specs);
  if (!cmd.subs) {
    r.setLen(0);
    return;
  }
  r.arrayLen(cmd.subs.size);
  for (const sub of cmd.subs.values()) replyCommandInfo(c, sub);
}

/** COMMAND DOCS group names (Redis spells sorted sets "sorted-set"). */
function _docGroup(group: string): string {
  return group === "sorted_set" ? "sorted-set" : group;
}

/** key_spec_index for each key argument, in the order key arguments appear. */
function _countKeyArgs(
  args: DocArg[],
  out: { n: number },
  map: Map<DocArg, number>,
  nspecs: number,
) {
  for (const a of args) {
    if (a.type === "key") {
      map.set(a, Math.min(out.n++, Math.max(0, nspecs - 1)));
    }
    if (a.args) _countKeyArgs(a.args, out, map, nspecs);
  }
}

function _replyArgs(c: Client, args: DocArg[], keyIdx: Map<DocArg, number>): void {
  const r = c.reply;
  r.arrayLen(args.length);
  for (const a of args) {
    const flags: string[] = [];
    if (a.optional) flags.push("optional");
    if (a.multiple) flags.push("multiple");
    if (a.multipleToken) flags.push("multiple_token");
    const ks = keyIdx.get(a);
    const nested = a.type === "oneof" || a.type === "block";
    r.mapLen(
      2 + (ks !== undefined ? 1 : 0) + (a.token ? 1 : 0) + (flags.length ? 1 : 0) +
        (nested ? 1 : 0),
    );
    r.bulkStr("name");
    r.bulkText(a.name);
    r.bulkStr("type");
    r.bulkStr(a.type);
    if (ks !== undefined) {
      r.bulkStr("key_spec_index");
      r.int(ks);
    }
    if (a.token) {
      r.bulkStr("token");
      r.bulkText(a.token);
    }
    if (flags.length) {
      r.bulkStr("flags");
      _statusSet(c, flags);
    }
    if (nested) {
      r.bulkStr("arguments");
      _replyArgs(c, a.args ?? [], keyIdx);
    }
  }
}

/** addReplyCommandDocs: summary, since, group, complexity, doc flags, arguments, subcommands. */
function replyCommandDocs(c: Client, cmd: Command): void {
  const r = c.reply;
  const docFlags = cmd.docFlags ?? [];
  const hasArgs = cmd.args.length > 0;
  const n = 1 + (cmd.summary ? 1 : 0) + (cmd.since ? 1 : 0) + (cmd.complexity ? 1 : 0) +
    (docFlags.length ? 1 : 0) + (cmd.deprecatedSince ? 1 : 0) + (cmd.replacedBy ? 1 : 0) +
    (hasArgs ? 1 : 0) + (cmd.subs ? 1 : 0);
  r.mapLen(n);
  if (cmd.summary) {
    r.bulkStr("summary");
    r.bulkText(cmd.summary);
  }
  if (cmd.since) {
    r.bulkStr("since");
    r.bulkStr(cmd.since);
  }
  r.bulkStr("group");
  r.bulkStr(_docGroup(cmd.group));
  if (cmd.complexity) {
    r.bulkStr("complexity");
    r.bulkText(cmd.complexity);
  }
  if (docFlags.length) {
    r.bulkStr("doc_flags");
    _statusSet(c, ["deprecated", "syscmd"].filter((f) => docFlags.includes(f)));
  }
  if (cmd.deprecatedSince) {
    r.bulkStr("deprecated_since");
    r.bulkStr(cmd.deprecatedSince);
  }
  if (cmd.replacedBy) {
    r.bulkStr("replaced_by");
    r.bulkText(cmd.replacedBy);
  }
  if (hasArgs) {
    const map = new Map<DocArg, number>();
    _countKeyArgs(cmd.args, { n: 0 }, map, keyInfo(cmd).specs.length);
    r.bulkStr("arguments");
    _replyArgs(c, cmd.args, map);
  }
  if (cmd.subs) {
    r.bulkStr("subcommands");
    r.mapLen(cmd.subs.size);
    for (const sub of cmd.subs.values()) {
      r.bulkStr(sub.fullName);
      replyCommandDocs(c, sub);
    }
  }
}

// COMMAND
function commandCommand(c: Client): void {
  const all = c.server.commands.byName;
  c.reply.arrayLen(all.size);
  for (const cmd of all.values()) replyCommandInfo(c, cmd);
}

// COMMAND COUNT
function commandCount(c: Client): void {
  c.reply.int(c.server.commands.byName.size);
}

// COMMAND INFO [command-name ...]
function commandInfo(c: Client, argv: Argv): void {
  if (argv.argc === 2) return commandCommand(c);
  c.reply.arrayLen(argv.argc - 2);
  for (let i = 2; i < argv.argc; i++) {
    replyCommandInfo(c, lookupCommandByName(c.server, argv.str(i)));
  }
}

// COMMAND DOCS [command-name ...]
function commandDocs(c: Client, argv: Argv): void {
  const r = c.reply;
  if (argv.argc === 2) {
    const all = c.server.commands.byName;
    r.mapLen(all.size);
    for (const cmd of all.values()) {
      r.bulkStr(cmd.fullName);
      replyCommandDocs(c, cmd);
    }
    return;
  }
  const found: Command[] = [];
  for (let i = 2; i < argv.argc; i++) {
    const cmd = lookupCommandByName(c.server, argv.str(i));
    if (cmd) found.push(cmd);
  }
  r.mapLen(found.length);
  for (const cmd of found) {
    r.bulkStr(cmd.fullName);
    replyCommandDocs(c, cmd);
  }
}

// COMMAND LIST [FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]
function commandList(c: Client, argv: Argv): void {
  let filter: ((cmd: Command) => boolean) | null = null;
  for (let i = 2; i < argv.argc; i++) {
    const more = argv.argc - 1 - i;
    if (argv.lower(i) === "filterby" && more === 2) {
      const type = argv.lower(i + 1);
      const arg = argv.str(i + 2);
      if (type === "module") filter = () => false; // no modules
      else if (type === "aclcat") {
        const cat = arg.toLowerCase();
        const valid = (ACL_CATEGORIES as readonly string[]).includes(cat);
        filter = (cmd) => valid && (cmd.acls as string[]).includes(cat);
      } else if (type === "pattern") filter = (cmd) => globMatchStr(arg, cmd.fullName, true);
      else {
        c.error(SYNTAX);
        return;
      }
      i += 2;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  const names: string[] = [];
  for (const cmd of c.server.commands.all()) {
    if (filter === null || filter(cmd)) names.push(cmd.fullName);
  }
  c.reply.strArray(names);
}

/** getKeysSubcommandImpl: COMMAND GETKEYS and GETKEYSANDFLAGS. */
function _getKeys(c: Client, argv: Argv, withFlags: boolean): void {
  const sub = argv.clone(2);
  const s = c.server;
  const base = s.commands.lookup(sub.buf, sub.off[0], sub.len[0]);
  const cmd = base && base.subs && sub.argc >= 2 ? base.subs.get(sub.lower(1)) : base;
  if (!cmd) {
    c.error("ERR Invalid command specified");
    return;
  }
  if (!commandHasKeys(cmd)) {
    c.error("ERR The command has no key arguments");
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== sub.argc) || sub.argc < -cmd.arity) {
    c.error("ERR Invalid number of arguments specified for command");
    return;
  }
  const keys = getKeysWithFlags(cmd, sub);
  if (keys.length === 0) {
    if (cmd.flags & NO_MANDATORY_KEYS) c.reply.arrayLen(0);
    else c.error("ERR Invalid arguments specified for command");
    return;
  }
  const r = c.reply;
  r.arrayLen(keys.length);
  for (const k of keys) {
    if (withFlags) {
      r.arrayLen(2);
      r.bulk(sub.buf, sub.off[k.pos], sub.len[k.pos]);
      _statusSet(c, k.flags);
    } else {
      r.bulk(sub.buf, sub.off[k.pos], sub.len[k.pos]);
    }
  }
}

// COMMAND GETKEYS command [arg ...]
function commandGetKeys(c: Client, argv: Argv): void {
  _getKeys(c, argv, false);
}

// COMMAND GETKEYSANDFLAGS command [arg ...]
function commandGetKeysAndFlags(c: Client, argv: Argv): void {
  _getKeys(c, argv, true);
}

/** addReplySubcommandSyntaxError. */
export function subcommandSyntaxError(c: Client, argv: Argv): void {
  c.error(subcommandSyntaxErrorText(argv.str(1), argv.str(0)));
}

// COMMAND HELP
function commandHelp(c: Client): void {
  c.replyHelp([
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
  ]);
}

// ---- TIME, LASTSAVE, ROLE, LOLWUT ----

// TIME
function timeCommand(c: Client): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  c.reply.arrayLen(2);
  c.reply.bulkInt(Math.floor(us / 1e6));
  c.reply.bulkInt(us % 1e6);
}

// LASTSAVE
function lastsaveCommand(c: Client): void {
  c.reply.int(Math.floor(c.server.lastSaveMs / 1000));
}

// ROLE (a primary with no replicas until replication arrives)
function roleCommand(c: Client): void {
  c.reply.arrayLen(3);
  c.reply.bulkStr("master");
  c.reply.int(c.server.masterReplOffset);
  c.reply.arrayLen(0);
}

// LOLWUT [VERSION version]
function lolwutCommand(c: Client, argv: Argv): void {
  if (argv.argc >= 3 && argv.lower(1) === "version") {
    const v = argv.int(2);
    if (Number.isNaN(v)) {
      c.error("ERR value is not an integer or out of range");
      return;
    }
  }
  // 7.0's default (and any version without art here) prints the version line only.
  c.reply.verbatim("Redis ver. 7.0.15\n", "txt");
}

// ---- MONITOR ----

// MONITOR
function monitorCommand(c: Client): void {
  const s = c.server;
  if (!c.conn || s.inExec) {
    c.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    return;
  }
  // Already a replica or monitor: ignored, with no reply (as Redis does).
  if (c.flags & (CF_MONITOR | CF_REPLICA)) return;
  c.flags |= CF_MONITOR;
  s.monitors.add(c);
  c.reply.ok();
}

// ---- SHUTDOWN ----

const SHUTDOWN_NOSAVE = 1;
const SHUTDOWN_SAVE = 2;
const SHUTDOWN_NOW = 4;
const SHUTDOWN_FORCE = 8;

/**
 * The final save SHUTDOWN performs (persistence registers it). Returns true when the dataset
 * was saved; false makes SHUTDOWN fail unless FORCE is given.
 */
export type ShutdownSaver = (s: Server) => boolean;

const _savers = new WeakMap<Server, ShutdownSaver>();

export function setShutdownSaver(s: Server, fn: ShutdownSaver): void {
  _savers.set(s, fn);
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
//
// Without persistence there is nothing to write: a save that SAVE (or configured save points)
// asks for is skipped with a log line instead of failing, so SHUTDOWN SAVE still shuts down.
function shutdownCommand(c: Client, argv: Argv): void {
  let flags = 0;
  let abort = false;
  for (let i = 1; i < argv.argc; i++) {
    const o = argv.lower(i);
    if (o === "nosave") flags |= SHUTDOWN_NOSAVE;
    else if (o === "save") flags |= SHUTDOWN_SAVE;
    else if (o === "now") flags |= SHUTDOWN_NOW;
    else if (o === "force") flags |= SHUTDOWN_FORCE;
    else if (o === "abort") abort = true;
    else {
      c.error(SYNTAX);
      return;
    }
  }
  if ((abort && flags !== 0) || (flags & SHUTDOWN_NOSAVE && flags & SHUTDOWN_SAVE)) {
    c.error(SYNTAX);
    return;
  }
  const s = c.server;
  if (abort) {
    // Shutdown never waits here (no replicas to catch up), so there is nothing to abort.
    c.error("ERR No shutdown in progress.");
    return;
  }
  if (!(flags & SHUTDOWN_NOW) && (!c.conn || s.inExec)) {
    c.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    return;
  }
  const savePoints = s.config.get("save");
  const hasSavePoints = Array.isArray(savePoints) ? savePoints.length > 0 : !!savePoints;
  const wantSave = (flags & SHUTDOWN_SAVE) !== 0 || (!(flags & SHUTDOWN_NOSAVE) && hasSavePoints);
  if (wantSave) {
    const saver = _savers.get(s);
    if (saver) {
      s.log("notice", "Saving the final RDB snapshot before exiting.");
      if (!saver(s)) {
        if (!(flags & SHUTDOWN_FORCE)) {
          s.log("warning", "Error trying to save the DB, can't exit.");
          c.error("ERR Errors trying to SHUTDOWN. Check logs.");
          return;
        }
        s.log("warning", "Error trying to save the DB. Exit anyway.");
      }
    } else {
      s.log("warning", "No persistence available: nothing to save before exiting.");
    }
  }
  s.shutdown(0);
}

// ---- LATENCY ----

function _replySeries(c: Client, ts: LatencySeries): void {
  const r = c.reply;
  const at = r.deferLen();
  let n = 0;
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const i = (ts.idx + j) % LATENCY_TS_LEN;
    if (ts.time[i] === 0) continue;
    r.arrayLen(2);
    r.int(ts.time[i]);
    r.int(ts.latency[i]);
    n++;
  }
  r.setDeferredLen(at, n);
}

// LATENCY LATEST
function latencyLatest(c: Client): void {
  const events = latencyEvents(c.server);
  const r = c.reply;
  r.arrayLen(events.size);
  for (const [name, ts] of events) {
    const last = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    r.arrayLen(4);
    r.bulkStr(name);
    r.int(ts.time[last]);
    r.int(ts.latency[last]);
    r.int(ts.max);
  }
}

// LATENCY HISTORY event
function latencyHistory(c: Client, argv: Argv): void {
  const ts = latencyEvents(c.server).get(argv.str(2));
  if (!ts) c.reply.arrayLen(0);
  else _replySeries(c, ts);
}

// LATENCY RESET [event ...]
function latencyReset(c: Client, argv: Argv): void {
  if (argv.argc === 2) {
    c.reply.int(latencyResetEvent(c.server, null));
    return;
  }
  let n = 0;
  for (let i = 2; i < argv.argc; i++) n += latencyResetEvent(c.server, argv.str(i));
  c.reply.int(n);
}

/** "12s", "3m", "2h", "1d": how long ago a sample was taken. */
function _ago(sec: number): string {
  if (sec < 60) return `${sec}s`;
  if (sec < 3600) return `${Math.floor(sec / 60)}m`;
  if (sec < 86400) return `${Math.floor(sec / 3600)}h`;
  return `${Math.floor(sec / 86400)}d`;
}

const GRAPH_COLS = 80;
const GRAPH_ROWS = 4;

/**
 * LATENCY GRAPH text: a title line, a rule, then a sparkline with one column per sample (most
 * recent last). Each column's height is its value between the lowest and highest sample on
 * GRAPH_ROWS rows of three levels each ("_", "o", "#", filled below with "|"); equal samples
 * sit on the bottom. Each column's age is written vertically underneath.
 */
function _latencyGraph(event: string, ts: LatencySeries): string {
  const samples: { v: number; label: string }[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const i = (ts.idx + j) % LATENCY_TS_LEN;
    if (ts.time[i] === 0) continue;
    samples.push({ v: ts.latency[i], label: _ago(now - ts.time[i]) });
  }
  let min = 0, max = 0;
  samples.forEach((x, k) => {
    if (k === 0 || x.v > max) max = x.v;
    if (k === 0 || x.v < min) min = x.v;
  });
  let out = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
  out += "-".repeat(GRAPH_COLS) + "\n";
  const cols = samples.slice(-GRAPH_COLS);
  const levels = "_o#";
  const steps = levels.length * GRAPH_ROWS;
  const step = cols.map((x) => {
    const rel = max - min;
    const st = rel > 0 ? Math.floor(((x.v - min) * steps) / rel) : 0;
    return Math.max(0, Math.min(steps - 1, st));
  });
  for (let row = 0; row < GRAPH_ROWS; row++) {
    let line = "";
    for (const st of step) {
      const k = st - (GRAPH_ROWS - row - 1) * levels.length;
      line += k >= levels.length ? "|" : k >= 0 ? levels[k] : " ";
    }
    out += line + "\n";
  }
  const labelRows = Math.max(0, ...cols.map((x) => x.label.length));
  for (let k = 0; k < labelRows; k++) {
    let line = "";
    for (const x of cols) line += x.label[k] ?? " ";
    out += line + "\n";
  }
  return out;
}

// LATENCY GRAPH event
function latencyGraph(c: Client, argv: Argv): void {
  const name = argv.str(2);
  const ts = latencyEvents(c.server).get(name);
  if (!ts) {
    c.error(`ERR No samples available for event '${name}'`);
    return;
  }
  c.reply.verbatim(_latencyGraph(name, ts), "txt");
}

// LATENCY DOCTOR
function latencyDoctor(c: Client): void {
  const s = c.server;
  const events = latencyEvents(s);
  const threshold = s.config.num("latency-monitor-threshold");
  let text: string;
  if (events.size === 0 && threshold === 0) {
    text = "Latency monitoring is disabled. Enable it with " +
      '"CONFIG SET latency-monitor-threshold <milliseconds>" to collect latency events.\n';
  } else if (events.size === 0) {
    text =
      `No latency event reached the ${threshold} ms threshold since the monitor was started or reset.\n`;
  } else {
    text = `Latency events that reached the ${threshold} ms threshold:\n\n`;
    let k = 1;
    for (const [name, ts] of events) {
      let n = 0, sum = 0, min = Infinity, max = 0, first = Infinity;
      for (let i = 0; i < LATENCY_TS_LEN; i++) {
        if (ts.time[i] === 0) continue;
        n++;
        sum += ts.latency[i];
        min = Math.min(min, ts.latency[i]);
        max = Math.max(max, ts.latency[i]);
        first = Math.min(first, ts.time[i]);
      }
      const avg = n ? Math.floor(sum / n) : 0;
      const period = n ? Math.floor(Date.now() / 1000) - first : 0;
      text += `${k++}. ${name}: ${n} latency spikes (average ${avg}ms, highest ${max}ms, lowest ${
        n ? min : 0
      }ms) in the last ${period} seconds; worst ever ${ts.max}ms.\n`;
    }
    text += "\nCommands slower than the threshold show up in SLOWLOG GET; " +
      "LATENCY HISTOGRAM gives the per-command latency distribution.\n";
  }
  c.reply.verbatim(text, "txt");
}

function _replyCdf(c: Client, s: Server, cmd: Command): boolean {
  const h = commandHistogram(s, cmd);
  if (!h) return false;
  const r = c.reply;
  r.bulkStr(cmd.fullName);
  r.mapLen(2);
  r.bulkStr("calls");
  r.int(h.total);
  r.bulkStr("histogram_usec");
  const cdf = h.cdf();
  r.mapLen(cdf.length);
  for (const [us, count] of cdf) {
    r.int(us);
    r.int(count);
  }
  return true;
}

// LATENCY HISTOGRAM [command ...]
function latencyHistogram(c: Client, argv: Argv): void {
  const s = c.server;
  const at = c.reply.deferLen();
  let n = 0;
  if (argv.argc === 2) {
    for (const cmd of s.commands.all()) if (_replyCdf(c, s, cmd)) n++;
  } else {
    for (let i = 2; i < argv.argc; i++) {
      const cmd = lookupCommandByName(s, argv.str(i));
      if (!cmd) continue;
      if (_replyCdf(c, s, cmd)) n++;
      if (cmd.subs) { for (const sub of cmd.subs.values()) if (_replyCdf(c, s, sub)) n++; }
    }
  }
  c.reply.setDeferredLen(at, n, "%");
}

// LATENCY HELP
function latencyHelp(c: Client): void {
  c.replyHelp([
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
    "    If no commands are specified then all histograms are replied.",
  ]);
}

// ---- table ----

const CMD = LOADING | STALE;
const LAT = ADMIN | NOSCRIPT | LOADING | STALE;
const LAT_TIPS = ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"];

export const introspectionCommands = defineCommands("server", [
  {
    name: "command",
    arity: -1,
    flags: CMD,
    handler: commandCommand,
    summary: "Returns detailed information about all commands",
    since: "2.8.13",
    complexity: "O(N) where N is the total number of Redis commands",
    acl: ["connection"],
    tips: ["nondeterministic_output_order"],
    subcommands: [
      {
        name: "count",
        arity: 2,
        flags: CMD,
        handler: commandCount,
        summary: "Returns a count of commands",
        since: "2.8.13",
        complexity: "O(1)",
        acl: ["connection"],
      },
      {
        name: "docs",
        arity: -2,
        flags: CMD,
        handler: commandDocs,
        summary: "Returns documentary information about one, multiple or all commands",
        since: "7.0.0",
        complexity: "O(N) where N is the number of commands to look up",
        syntax: "[command-name ...]",
        acl: ["connection"],
        tips: ["nondeterministic_output_order"],
      },
      {
        name: "getkeys",
        arity: -4,
        flags: CMD,
        handler: commandGetKeys,
        summary: "Extracts the key names from an arbitrary command",
        since: "2.8.13",
        complexity: "O(N) where N is the number of arguments to the command",
        acl: ["connection"],
      },
      {
        name: "getkeysandflags",
        arity: -4,
        flags: CMD,
        handler: commandGetKeysAndFlags,
        summary: "Extracts the key names and access flags for an arbitrary command",
        since: "7.0.0",
        complexity: "O(N) where N is the number of arguments to the command",
        acl: ["connection"],
      },
      {
        name: "help",
        arity: 2,
        flags: CMD,
        handler: commandHelp,
        summary: "Returns helpful text about the different subcommands",
        since: "5.0.0",
        complexity: "O(1)",
        acl: ["connection"],
      },
      {
        name: "info",
        arity: -2,
        flags: CMD,
        handler: commandInfo,
        summary: "Returns information about one, multiple or all commands",
        since: "2.8.13",
        complexity: "O(N) where N is the number of commands to look up",
        syntax: "[command-name ...]",
        acl: ["connection"],
        tips: ["nondeterministic_output_order"],
      },
      {
        name: "list",
        arity: -2,
        flags: CMD,
        handler: commandList,
        summary: "Returns a list of command names",
        since: "7.0.0",
        complexity: "O(N) where N is the total number of Redis commands",
        syntax: "[FILTERBY (MODULE module-name|ACLCAT category|PATTERN pattern:pattern)]",
        acl: ["connection"],
        tips: ["nondeterministic_output_order"],
      },
    ],
  },
  {
    name: "time",
    arity: 1,
    flags: LOADING | STALE | FAST,
    handler: timeCommand,
    summary: "Returns the server time",
    since: "2.6.0",
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
  },
  {
    name: "lastsave",
    arity: 1,
    flags: LOADING | STALE | FAST,
    handler: lastsaveCommand,
    summary: "Returns the Unix timestamp of the last successful save to disk",
    since: "1.0.0",
    complexity: "O(1)",
    acl: ["admin", "dangerous"],
    tips: ["nondeterministic_output"],
  },
  {
    name: "role",
    arity: 1,
    flags: NOSCRIPT | LOADING | STALE | FAST,
    handler: roleCommand,
    summary: "Returns the replication role",
    since: "2.8.12",
    complexity: "O(1)",
    acl: ["admin", "dangerous"],
  },
  {
    name: "lolwut",
    arity: -1,
    flags: READONLY | FAST,
    handler: lolwutCommand,
    summary: "Displays computer art and the Redis version",
    since: "5.0.0",
    syntax: "[VERSION version:integer]",
  },
  {
    name: "monitor",
    arity: 1,
    flags: ADMIN | NOSCRIPT | LOADING | STALE,
    handler: monitorCommand,
    summary: "Listens for all requests received by the server in real-time",
    since: "1.0.0",
  },
  {
    name: "shutdown",
    arity: -1,
    flags: ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY,
    handler: shutdownCommand,
    summary: "Synchronously saves the database(s) to disk and shuts down the Redis server",
    since: "1.0.0",
    complexity:
      "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
    syntax: "nosave_save=[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]",
  },
  {
    name: "latency",
    arity: -2,
    flags: 0,
    summary: "A container for latency diagnostics commands",
    since: "2.8.13",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "doctor",
        arity: 2,
        flags: LAT,
        handler: latencyDoctor,
        summary: "Returns a human-readable latency analysis report",
        since: "2.8.13",
        complexity: "O(1)",
        tips: LAT_TIPS,
      },
      {
        name: "graph",
        arity: 3,
        flags: LAT,
        handler: latencyGraph,
        summary: "Returns a latency graph for an event",
        since: "2.8.13",
        complexity: "O(1)",
        syntax: "event",
        tips: LAT_TIPS,
      },
      {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        handler: latencyHelp,
        summary: "Returns helpful text about the different subcommands",
        since: "2.8.13",
        complexity: "O(1)",
      },
      {
        name: "histogram",
        arity: -2,
        flags: LAT,
        handler: latencyHistogram,
        summary: "Returns the cumulative distribution of latencies of a subset or all commands",
        since: "7.0.0",
        complexity:
          "O(N) where N is the number of commands with latency information being retrieved.",
        syntax: "[command ...]",
        tips: LAT_TIPS,
      },
      {
        name: "history",
        arity: 3,
        flags: LAT,
        handler: latencyHistory,
        summary: "Returns timestamp-latency samples for an event",
        since: "2.8.13",
        complexity: "O(1)",
        syntax: "event",
        tips: LAT_TIPS,
      },
      {
        name: "latest",
        arity: 2,
        flags: LAT,
        handler: latencyLatest,
        summary: "Returns the latest latency samples for all events",
        since: "2.8.13",
        complexity: "O(1)",
        tips: LAT_TIPS,
      },
      {
        name: "reset",
        arity: -2,
        flags: LAT,
        handler: latencyReset,
        summary: "Resets the latency data for one or more events",
        since: "2.8.13",
        complexity: "O(1)",
        syntax: "[event ...]",
        tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
      },
    ],
  },
]);
