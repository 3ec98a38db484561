// Connection commands: PING, ECHO, SELECT, QUIT, RESET, HELLO, AUTH and the CLIENT container.

import { fromLatin1, toLatin1, utf8 } from "../protocol/bytes.ts";
import {
  INVALID_DB,
  NOPERM_AUTH_NO_PASSWORD,
  NOT_INTEGER,
  subcommandSyntaxError,
  SYNTAX,
  WRONGPASS,
} from "../protocol/errors.ts";
import { R_PONG } from "../protocol/reply.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import {
  CF_BLOCKED,
  CF_CLOSE_AFTER_REPLY,
  CF_MASTER,
  CF_MONITOR,
  CF_MULTI,
  CF_NO_EVICT,
  CF_PUBSUB,
  CF_REPLICA,
  type Client,
  REPLY_OFF,
  REPLY_ON,
  REPLY_SKIP_NEXT,
} from "./client.ts";
import { ADMIN, ALLOW_BUSY, defineCommands, FAST, LOADING, NO_AUTH, NOSCRIPT, STALE } from "./command.ts";
import { PAUSE_ALL, PAUSE_WRITE } from "./server.ts";
import { discardTransaction } from "../transactions/multi.ts";

export const REDIS_VERSION = "7.0.15";

const L = (s: string) => fromLatin1(s);
const LIT_ON = L("on");
const LIT_OFF = L("off");
const LIT_SKIP = L("skip");
const LIT_YES = L("yes");
const LIT_NO = L("no");

// PING [message]
function pingCommand(c: Client, argv: Argv): void {
  if (argv.argc > 2) {
    c.error("ERR wrong number of arguments for 'ping' command");
    return;
  }
  if (c.flags & CF_PUBSUB && c.reply.resp === 2) {
    // In RESP2 pub/sub context PING replies with a pong message array.
    c.reply.arrayLen(2);
    c.reply.bulkStr("pong");
    if (argv.argc === 1) c.reply.bulkStr("");
    else c.reply.bulk(argv.buf, argv.off[1], argv.len[1]);
    return;
  }
  if (argv.argc === 1) c.reply.raw(R_PONG);
  else c.reply.bulk(argv.buf, argv.off[1], argv.len[1]);
}

// ECHO message
function echoCommand(c: Client, argv: Argv): void {
  c.reply.bulk(argv.buf, argv.off[1], argv.len[1]);
}

// SELECT index
function selectCommand(c: Client, argv: Argv): void {
  const id = argv.int(1);
  if (Number.isNaN(id) || !Number.isSafeInteger(id)) {
    c.error("ERR value is not an integer or out of range");
    return;
  }
  if (id < -2147483648 || id > 2147483647) {
    c.error("ERR value is out of range, value must between -2147483648 and 2147483647");
    return;
  }
  const dbs = c.server.store.dbs;
  if (id < 0 || id >= dbs.length) {
    c.error(INVALID_DB);
    return;
  }
  c.db = dbs[id];
  c.reply.ok();
}

// QUIT
function quitCommand(c: Client): void {
  c.reply.ok();
  c.flags |= CF_CLOSE_AFTER_REPLY;
}

/** Reset a client's connection state (RESET, and HELLO is not part of it). */
export function resetClient(c: Client): void {
  const s = c.server;
  if (c.flags & CF_MULTI) discardTransaction(c);
  s.unwatchAll(c);
  if (c.flags & CF_MONITOR) {
    s.monitors.delete(c);
    c.flags &= ~CF_MONITOR;
  }
  c.server.onClientReset?.(c);
  c.db = s.store.dbs[0];
  c.reply.resp = 2;
  c.name = "";
  c.replyMode = REPLY_ON;
  c.flags &= ~CF_NO_EVICT;
  c.authenticated = !s.requirePass();
  c.user = "default";
}

// RESET
function resetCommand(c: Client): void {
  resetClient(c);
  c.reply.simple("RESET");
}

/** Validate and set a client name (CLIENT SETNAME, HELLO SETNAME). Returns false on error. */
export function setClientName(c: Client, argv: Argv, i: number): boolean {
  const o = argv.off[i];
  const len = argv.len[i];
  for (let k = 0; k < len; k++) {
    const ch = argv.buf[o + k];
    if (ch < 33 || ch > 126) {
      c.error("ERR Client names cannot contain spaces, newlines or special characters.");
      return false;
    }
  }
  c.name = argv.str(i);
  return true;
}

/** `pass` is the argument's bytes as latin1; config strings are text, compared as UTF-8 bytes. */
function checkPassword(c: Client, user: string, pass: string): boolean {
  const want = c.server.requirePass();
  if (user !== "default") return false;
  if (want === "") return true;
  return pass === toLatin1(utf8(want));
}

// AUTH [username] password
function authCommand(c: Client, argv: Argv): void {
  if (argv.argc > 3) {
    c.error(SYNTAX);
    return;
  }
  c.redactArg(1);
  let user = "default";
  let pass: string;
  if (argv.argc === 2) {
    if (c.server.requirePass() === "") {
      c.error(NOPERM_AUTH_NO_PASSWORD);
      return;
    }
    pass = argv.str(1);
  } else {
    user = argv.str(1);
    pass = argv.str(2);
    c.redactArg(2);
  }
  if (checkPassword(c, user, pass)) {
    c.authenticated = true;
    c.user = user;
    c.reply.ok();
  } else {
    c.error(WRONGPASS);
  }
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
function helloCommand(c: Client, argv: Argv): void {
  let ver = 0;
  let j = 1;
  if (argv.argc >= 2) {
    ver = argv.int(1);
    j = 2;
    if (Number.isNaN(ver)) {
      c.error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (ver < 2 || ver > 3) {
      c.error("NOPROTO unsupported protocol version");
      return;
    }
  }
  for (; j < argv.argc; j++) {
    const more = argv.argc - 1 - j;
    const opt = argv.lower(j);
    if (opt === "auth" && more >= 2) {
      c.redactArg(j + 1);
      c.redactArg(j + 2);
      if (!checkPassword(c, argv.str(j + 1), argv.str(j + 2))) {
        c.error(WRONGPASS);
        return;
      }
      c.authenticated = true;
      c.user = argv.str(j + 1);
      j += 2;
    } else if (opt === "setname" && more >= 1) {
      if (!setClientName(c, argv, j + 1)) return;
      j++;
    } else {
      c.error(`ERR Syntax error in HELLO option '${argv.str(j)}'`);
      return;
    }
  }
  if (c.server.authRequired(c)) {
    c.error(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
    );
    return;
  }
  if (ver) c.reply.resp = ver;
  const r = c.reply;
  r.mapLen(7);
  r.bulkStr("server");
  r.bulkStr("redis");
  r.bulkStr("version");
  r.bulkStr(REDIS_VERSION);
  r.bulkStr("proto");
  r.int(r.resp);
  r.bulkStr("id");
  r.int(c.id);
  r.bulkStr("mode");
  r.bulkStr("standalone");
  r.bulkStr("role");
  r.bulkStr(c.server.isReplica() ? "replica" : "master");
  r.bulkStr("modules");
  r.arrayLen(0);
}

// ---- CLIENT ----

function clientType(c: Client): string {
  if (c.flags & CF_MASTER) return "master";
  if (c.flags & CF_REPLICA && !(c.flags & CF_MONITOR)) return "replica";
  if (c.flags & CF_PUBSUB) return "pubsub";
  return "normal";
}

function parseClientType(s: string): string | null {
  const t = s.toLowerCase();
  if (t === "normal" || t === "master" || t === "pubsub") return t;
  if (t === "replica" || t === "slave") return "replica";
  return null;
}

// CLIENT ID
function clientId(c: Client): void {
  c.reply.int(c.id);
}

// CLIENT INFO
function clientInfo(c: Client): void {
  c.reply.verbatim(c.describe() + "\n");
}

// CLIENT LIST [TYPE type] [ID id ...]
function clientList(c: Client, argv: Argv): void {
  const s = c.server;
  let out = "";
  if (argv.argc === 4 && argv.lower(2) === "type") {
    const t = parseClientType(argv.str(3));
    if (t === null) {
      c.error(`ERR Unknown client type '${argv.str(3)}'`);
      return;
    }
    for (const cl of s.clients.values()) if (clientType(cl) === t) out += cl.describe() + "\n";
  } else if (argv.argc > 3 && argv.lower(2) === "id") {
    for (let j = 3; j < argv.argc; j++) {
      const id = argv.int(j);
      if (Number.isNaN(id)) {
        c.error("ERR Invalid client ID");
        return;
      }
      const cl = s.clients.get(id);
      if (cl) out += cl.describe() + "\n";
    }
  } else if (argv.argc !== 2) {
    c.error(SYNTAX);
    return;
  } else {
    for (const cl of s.clients.values()) out += cl.describe() + "\n";
  }
  c.reply.verbatim(out);
}

// CLIENT REPLY ON|OFF|SKIP
function clientReply(c: Client, argv: Argv): void {
  if (argv.is(2, LIT_ON)) {
    c.replyMode = REPLY_ON;
    c.reply.ok();
  } else if (argv.is(2, LIT_OFF)) {
    c.replyMode = REPLY_OFF;
  } else if (argv.is(2, LIT_SKIP)) {
    if (c.replyMode !== REPLY_OFF) c.replyMode = REPLY_SKIP_NEXT;
  } else {
    c.error(SYNTAX);
  }
}

// CLIENT NO-EVICT ON|OFF
function clientNoEvict(c: Client, argv: Argv): void {
  if (argv.is(2, LIT_ON)) c.flags |= CF_NO_EVICT;
  else if (argv.is(2, LIT_OFF)) c.flags &= ~CF_NO_EVICT;
  else {
    c.error(SYNTAX);
    return;
  }
  c.reply.ok();
}

// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [ADDR addr] [LADDR addr] [USER u] [SKIPME yes/no]
function clientKill(c: Client, argv: Argv): void {
  const s = c.server;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: string | null = null;
  let id = 0;
  let skipme = true;
  if (argv.argc === 3) {
    addr = argv.str(2);
    skipme = false;
  } else {
    for (let i = 2; i < argv.argc; i += 2) {
      const more = argv.argc > i + 1;
      const opt = argv.lower(i);
      if (opt === "id" && more) {
        const v = argv.int(i + 1);
        if (Number.isNaN(v) || v < 1) {
          c.error("ERR client-id should be greater than 0");
          return;
        }
        id = v;
      } else if (opt === "type" && more) {
        type = parseClientType(argv.str(i + 1));
        if (type === null) {
          c.error(`ERR Unknown client type '${argv.str(i + 1)}'`);
          return;
        }
      } else if (opt === "addr" && more) addr = argv.str(i + 1);
      else if (opt === "laddr" && more) laddr = argv.str(i + 1);
      else if (opt === "user" && more) {
        user = argv.str(i + 1);
        if (user !== "default") {
          c.error(`ERR No such user '${user}'`);
          return;
        }
      } else if (opt === "skipme" && more) {
        if (argv.is(i + 1, LIT_YES)) skipme = true;
        else if (argv.is(i + 1, LIT_NO)) skipme = false;
        else {
          c.error(SYNTAX);
          return;
        }
      } else {
        c.error(SYNTAX);
        return;
      }
    }
  }
  let killed = 0;
  let closeSelf = false;
  for (const cl of [...s.clients.values()]) {
    if (addr !== null && cl.addr !== addr) continue;
    if (laddr !== null && cl.laddr !== laddr) continue;
    if (type !== null && clientType(cl) !== type) continue;
    if (id !== 0 && cl.id !== id) continue;
    if (user !== null && cl.user !== user) continue;
    if (cl === c && skipme) continue;
    if (cl === c) closeSelf = true;
    else s.closeClient(cl);
    killed++;
  }
  if (argv.argc === 3) {
    if (killed === 0) c.error("ERR No such client");
    else c.reply.ok();
  } else {
    c.reply.int(killed);
  }
  if (closeSelf) c.flags |= CF_CLOSE_AFTER_REPLY;
}

// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
function clientUnblock(c: Client, argv: Argv): void {
  if (argv.argc > 4) {
    c.error(subcommandSyntaxError(argv.str(1), "CLIENT"));
    return;
  }
  let asError = false;
  if (argv.argc === 4) {
    const r = argv.lower(3);
    if (r === "timeout") asError = false;
    else if (r === "error") asError = true;
    else {
      c.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      return;
    }
  }
  const id = argv.int(2);
  if (Number.isNaN(id)) {
    c.error(NOT_INTEGER);
    return;
  }
  const target = c.server.clients.get(id);
  if (target && target.flags & CF_BLOCKED) {
    c.server.blocking.unblockByClient(target, asError);
    c.reply.int(1);
  } else {
    c.reply.int(0);
  }
}

// CLIENT SETNAME name
function clientSetName(c: Client, argv: Argv): void {
  if (setClientName(c, argv, 2)) c.reply.ok();
}

// CLIENT GETNAME
function clientGetName(c: Client): void {
  if (c.name === "") c.reply.nullBulk();
  else c.reply.bulkStr(c.name);
}

// CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; clients send it on connect)
function clientSetInfo(c: Client, argv: Argv): void {
  const attr = argv.lower(2);
  const val = argv.str(3);
  if (attr !== "lib-name" && attr !== "lib-ver") {
    c.error(`ERR Unrecognized option '${argv.str(2)}'`);
    return;
  }
  for (let k = 0; k < val.length; k++) {
    const ch = val.charCodeAt(k);
    if (ch < 33 || ch > 126) {
      c.error(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
      return;
    }
  }
  if (attr === "lib-name") c.libName = val;
  else c.libVer = val;
  c.reply.ok();
}

// CLIENT UNPAUSE
function clientUnpause(c: Client): void {
  c.server.unpause();
  c.reply.ok();
}

// CLIENT PAUSE timeout [WRITE|ALL]
function clientPause(c: Client, argv: Argv): void {
  if (argv.argc > 4) {
    c.error(subcommandSyntaxError(argv.str(1), "CLIENT"));
    return;
  }
  let type = PAUSE_ALL;
  if (argv.argc === 4) {
    const m = argv.lower(3);
    if (m === "write") type = PAUSE_WRITE;
    else if (m === "all") type = PAUSE_ALL;
    else {
      c.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  }
  const ms = argv.int(2);
  if (Number.isNaN(ms)) {
    c.error("ERR timeout is not an integer or out of range");
    return;
  }
  if (ms < 0) {
    c.error("ERR timeout is negative");
    return;
  }
  c.server.pause(type, Date.now() + ms);
  c.reply.ok();
}

// CLIENT TRACKINGINFO (tracking is not implemented: reports it off)
function clientTrackingInfo(c: Client): void {
  const r = c.reply;
  r.mapLen(3);
  r.bulkStr("flags");
  r.setLen(1);
  r.bulkStr("off");
  r.bulkStr("redirect");
  r.int(-1);
  r.bulkStr("prefixes");
  r.arrayLen(0);
}

// CLIENT GETREDIR
function clientGetRedir(c: Client): void {
  c.reply.int(-1);
}

// CLIENT HELP
function clientHelp(c: Client): void {
  c.replyHelp([
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "SETINFO <LIB-NAME|LIB-VER> <value>",
    "    Set client meta attributes.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
  ]);
}

const CL = NOSCRIPT | LOADING | STALE;

export const connectionCommands = defineCommands("connection", [
  {
    name: "ping",
    arity: -1,
    flags: FAST,
    handler: pingCommand,
    summary: "Ping the server",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "[message]",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  },
  {
    name: "echo",
    arity: 2,
    flags: FAST | LOADING | STALE,
    handler: echoCommand,
    summary: "Echo the given string",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "message",
  },
  {
    name: "select",
    arity: 2,
    flags: LOADING | STALE | FAST,
    handler: selectCommand,
    summary: "Change the selected database for the current connection",
    since: "1.0.0",
    complexity: "O(1)",
    syntax: "index:integer",
  },
  {
    name: "quit",
    arity: -1,
    flags: ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH,
    handler: quitCommand,
    summary: "Close the connection",
    since: "1.0.0",
    complexity: "O(1)",
  },
  {
    name: "reset",
    arity: 1,
    flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
    handler: resetCommand,
    summary: "Reset the connection",
    since: "6.2.0",
    complexity: "O(1)",
  },
  {
    name: "auth",
    arity: -2,
    flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
    handler: authCommand,
    summary: "Authenticate to the server",
    since: "1.0.0",
    complexity: "O(N) where N is the number of passwords defined for the user",
    syntax: "[username] password",
  },
  {
    name: "hello",
    arity: -1,
    flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
    handler: helloCommand,
    summary: "Handshake with Redis",
    since: "6.0.0",
    complexity: "O(1)",
    syntax: "[protover:integer [AUTH username password] [SETNAME clientname]]",
  },
  {
    name: "client",
    arity: -2,
    flags: 0,
    summary: "A container for client connection commands",
    since: "2.4.0",
    complexity: "Depends on subcommand.",
    subcommands: [
      { name: "id", arity: 2, flags: CL, handler: clientId, summary: "Returns the client ID for the current connection", since: "5.0.0", complexity: "O(1)" },
      { name: "info", arity: 2, flags: CL, handler: clientInfo, summary: "Returns information about the current client connection.", since: "6.2.0", complexity: "O(1)", tips: ["nondeterministic_output"] },
      { name: "list", arity: -2, flags: CL | ADMIN, handler: clientList, summary: "Get the list of client connections", since: "2.4.0", complexity: "O(N) where N is the number of client connections", syntax: "[TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID client-id:integer ...]", tips: ["nondeterministic_output"] },
      { name: "reply", arity: 3, flags: CL, handler: clientReply, summary: "Instruct the server whether to reply to commands", since: "3.2.0", complexity: "O(1)", syntax: "ON|OFF|SKIP" },
      { name: "no-evict", arity: 3, flags: CL | ADMIN, handler: clientNoEvict, summary: "Set client eviction mode for the current connection", since: "7.0.0", complexity: "O(1)", syntax: "ON|OFF" },
      { name: "kill", arity: -3, flags: CL | ADMIN, handler: clientKill, summary: "Kill the connection of a client", since: "2.4.0", complexity: "O(N) where N is the number of client connections", syntax: "ip:port|([ID client-id:integer] [TYPE (NORMAL|MASTER|SLAVE|REPLICA|PUBSUB)] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME (YES|NO)])" },
      { name: "unblock", arity: -3, flags: CL | ADMIN, handler: clientUnblock, summary: "Unblock a client blocked in a blocking command from a different connection", since: "5.0.0", complexity: "O(log N) where N is the number of client connections", syntax: "client-id:integer [TIMEOUT|ERROR]" },
      { name: "setname", arity: 3, flags: CL, handler: clientSetName, summary: "Set the current connection name", since: "2.6.9", complexity: "O(1)", syntax: "connection-name" },
      { name: "getname", arity: 2, flags: CL, handler: clientGetName, summary: "Get the current connection name", since: "2.6.9", complexity: "O(1)" },
      { name: "setinfo", arity: 4, flags: CL, handler: clientSetInfo, summary: "Set client or connection specific info", since: "7.2.0", complexity: "O(1)", syntax: "LIB-NAME libname|LIB-VER libver" },
      { name: "unpause", arity: 2, flags: CL | ADMIN, handler: clientUnpause, summary: "Resume processing of clients that were paused", since: "6.2.0", complexity: "O(N) Where N is the number of paused clients" },
      { name: "pause", arity: -3, flags: CL | ADMIN, handler: clientPause, summary: "Stop processing commands from clients for some time", since: "2.9.50", complexity: "O(1)", syntax: "timeout:integer [WRITE|ALL]" },
      { name: "trackinginfo", arity: 2, flags: CL, handler: clientTrackingInfo, summary: "Return information about server assisted client side caching for the current connection", since: "6.2.0", complexity: "O(1)" },
      { name: "getredir", arity: 2, flags: CL, handler: clientGetRedir, summary: "Get tracking notifications redirection client ID if any", since: "6.0.0", complexity: "O(1)" },
      { name: "help", arity: 2, flags: LOADING | STALE, handler: clientHelp, summary: "Show helpful text about the different subcommands", since: "5.0.0", complexity: "O(1)" },
    ],
  },
]);
