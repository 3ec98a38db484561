// DEBUG: Redis's test and diagnostics command (PROTECTED: dispatch refuses it unless
// enable-debug-command allows it). One handler switches on the subcommand, as Redis does;
// families that own a subcommand's data (RELOAD, LISTPACK, QUICKLIST ...) register it with
// registerDebugSubcommand. Also the SHA1 digests of DEBUG DIGEST / DIGEST-VALUE.

import type { Heap } from "../memory/allocator.ts";
import { parseDoubleStr, randomHex40 } from "../protocol/bytes.ts";
import { NO_SUCH_KEY } from "../protocol/errors.ts";
import { globMatch } from "../protocol/glob.ts";
import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import { dictTableStats } from "../encoding/dict.ts";
import { lzfCompress } from "../encoding/lzf.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import type { Db } from "../store/db.ts";
import {
  ENCODING_NAMES,
  OBJ_ENCODING_INT,
  OBJ_STRING,
  objEncoding,
  objHasExpire,
  objKeyLen,
  objKeyOff,
  objLru,
  objType,
  strLen,
  strOff,
} from "../store/object.ts";
import { type DigestOps, hasValueOps, valueOps } from "../store/values.ts";
import type { Client } from "./client.ts";
import { ADMIN, defineCommands, LOADING, NOSCRIPT, PROTECTED, STALE } from "./command.ts";
import { subcommandSyntaxError } from "./introspection.ts";
import { populate } from "./memory_cmd.ts";
import type { Server } from "./server.ts";

// ---- SHA1 (FIPS 180-1) ----

const _w = new Uint32Array(80);

/** SHA1 of `data` (20 bytes). */
export function sha1(data: Uint8Array): Uint8Array {
  const len = data.length;
  const padded = new Uint8Array(((len + 8) >>> 6) * 64 + 64);
  padded.set(data);
  padded[len] = 0x80;
  const dv = new DataView(padded.buffer);
  const bits = len * 8;
  dv.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
  dv.setUint32(padded.length - 4, bits >>> 0);
  let h0 = 0x67452301, h1 = 0xefcdab89, h2 = 0x98badcfe, h3 = 0x10325476, h4 = 0xc3d2e1f0;
  const w = _w;
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number, k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const odv = new DataView(out.buffer);
  odv.setUint32(0, h0);
  odv.setUint32(4, h1);
  odv.setUint32(8, h2);
  odv.setUint32(12, h3);
  odv.setUint32(16, h4);
  return out;
}

/** Lowercase hex of bytes. */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, "0");
  return s;
}

// ---- digests (xorDigest / mixDigest, as DEBUG DIGEST combines them) ----

/** d ^= SHA1(data): the order of what is xored in does not matter. */
export function xorDigest(d: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) d[i] ^= h[i];
}

/** d = SHA1(d ^ SHA1(data)): order matters, and "ab" then "c" differs from "a" then "bc". */
export function mixDigest(d: Uint8Array, data: Uint8Array): void {
  xorDigest(d, data);
  d.set(sha1(d));
}

const DIGEST_OPS: DigestOps = { xor: xorDigest, mix: mixDigest };
const EXPIRE_MARK = new TextEncoder().encode("!!expire!!");

function _be32(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

/** xorObjectDigest: type tag, value content, and a mark when the key has a TTL. */
export function objectDigest(s: Server, e: number, d: Uint8Array): void {
  const m = s.heap;
  const type = objType(m, e);
  mixDigest(d, _be32(type));
  if (type === OBJ_STRING) {
    const o = strOff(m, e);
    mixDigest(d, m.u8[e >>> OFF_BITS].subarray(o, o + strLen(m, e)));
  } else if (hasValueOps(type)) {
    const ops = valueOps(type);
    const v = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3];
    ops.digest?.(m, v, d, DIGEST_OPS, m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 1] >>> 28);
  }
  if (objHasExpire(m, e)) xorDigest(d, EXPIRE_MARK);
}

/** computeDatasetDigest: every db's keys and values, independent of iteration order. */
export function datasetDigest(s: Server): Uint8Array {
  const m = s.heap;
  const final = new Uint8Array(20);
  for (const db of s.store.dbs) {
    if (db.size() === 0) continue;
    mixDigest(final, _be32(db.id));
    db.forEach((e) => {
      const d = new Uint8Array(20);
      const ko = objKeyOff(m, e);
      mixDigest(d, m.u8[e >>> OFF_BITS].subarray(ko, ko + objKeyLen(m, e)));
      objectDigest(s, e, d);
      xorDigest(final, d);
    });
  }
  return final;
}

// ---- DEBUG OBJECT helpers ----

const OBJ_SHARED_INTEGERS = 10000;
const OBJ_SHARED_REFCOUNT = 2147483647;

/** Length of an RDB length prefix (rdbSaveLen). */
function _rdbLenSize(n: number): number {
  if (n < 1 << 6) return 1;
  if (n < 1 << 14) return 2;
  if (n <= 0xffffffff) return 5;
  return 9;
}

/** rdbEncodeInteger's size for a value, or 0 when it does not fit 32 bits. */
function _rdbIntSize(v: number): number {
  if (v >= -128 && v <= 127) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 0;
}

/**
 * Serialized (RDB) length of a value for DEBUG OBJECT. Strings: integer encoding when the
 * value round-trips as a 32-bit integer, LZF when rdbcompression is on and it pays (our LZF
 * compressor, so sizes can differ slightly from Redis's), else length prefix plus bytes.
 * Other types: 0 until persistence supplies setSerializedLength.
 */
let _serializedLength = (s: Server, e: number): number => {
  const m = s.heap;
  if (objType(m, e) !== OBJ_STRING) return 0;
  const len = strLen(m, e);
  if (len <= 11 && len > 0) {
    const o = strOff(m, e);
    const str = new TextDecoder("latin1").decode(m.u8[e >>> OFF_BITS].subarray(o, o + len));
    if (/^-?[1-9][0-9]*$|^0$/.test(str)) {
      const size = _rdbIntSize(Number(str));
      if (size) return size;
    }
  }
  if (len > 20 && s.config.bool("rdbcompression")) {
    // rdbSaveLzfStringObject: kept only when it saves at least 4 bytes
    const o = strOff(m, e);
    const cap = len - 4;
    if (_lzfScratch.length < cap) _lzfScratch = new Uint8Array(cap);
    const clen = lzfCompress(m.u8[e >>> OFF_BITS], o, len, _lzfScratch, 0, cap);
    if (clen > 0) return 1 + _rdbLenSize(clen) + _rdbLenSize(len) + clen;
  }
  return _rdbLenSize(len) + len;
};

let _lzfScratch = new Uint8Array(256);

/** Persistence replaces the estimate with its own rdbSavedObjectLen. */
export function setSerializedLength(fn: (s: Server, e: number) => number): void {
  _serializedLength = fn;
}

/** The refcount DEBUG OBJECT / OBJECT REFCOUNT report: shared small integers report INT_MAX. */
export function objectRefcount(s: Server, e: number): number {
  const m = s.heap;
  if (objType(m, e) !== OBJ_STRING || objEncoding(m, e) !== OBJ_ENCODING_INT) return 1;
  const policy = s.config.str("maxmemory-policy");
  if (s.maxmemory > 0 && (policy.includes("lru") || policy.includes("lfu"))) return 1;
  const o = strOff(m, e);
  const len = strLen(m, e);
  let v = 0;
  const b = m.u8[e >>> OFF_BITS];
  if (len > 5 || b[o] === 45 /* - */) return 1;
  for (let i = 0; i < len; i++) v = v * 10 + (b[o + i] - 48);
  return v < OBJ_SHARED_INTEGERS ? OBJ_SHARED_REFCOUNT : 1;
}

// ---- subcommands ----

export type DebugHandler = (c: Client, argv: Argv) => void;

interface DebugSub {
  /** True when the argument count (argc, including DEBUG and the subcommand) fits. */
  argc: (n: number) => boolean;
  fn: DebugHandler;
}

const _subs = new Map<string, DebugSub>();

/**
 * Add (or replace) a DEBUG subcommand. `argc` checks the whole argument count; a call that
 * fails it gets Redis's "unknown subcommand or wrong number of arguments" error.
 */
export function registerDebugSubcommand(
  name: string,
  argc: (n: number) => boolean,
  fn: DebugHandler,
): void {
  _subs.set(name.toLowerCase(), { argc, fn });
}

/** Per-server values that DEBUG sets and other parts read. */
interface DebugState {
  quicklistPackedThreshold: number;
  skipChecksumValidation: boolean;
  aofFlushSleepUs: number;
  disableDenyScripts: boolean;
}

const _state = new WeakMap<Server, DebugState>();

export function debugState(s: Server): DebugState {
  let st = _state.get(s);
  if (!st) {
    st = {
      quicklistPackedThreshold: 1 << 30,
      skipChecksumValidation: false,
      aofFlushSleepUs: 0,
      disableDenyScripts: false,
    };
    _state.set(s, st);
  }
  return st;
}

/** C atoi: leading whitespace, sign, digits; anything else stops (0 when none). */
function _atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const v = Number(m[1]);
  return Math.max(-2147483648, Math.min(2147483647, v));
}

/** C strtod prefix: the longest leading number (0 when none). */
function _strtod(s: string): number {
  const m = /^\s*[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i.exec(s);
  if (!m) return 0;
  const v = parseDoubleStr(m[0].trim());
  return Number.isNaN(v) ? 0 : v;
}

const _sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Block the event loop, as DEBUG SLEEP blocks Redis's single thread. */
function _blockFor(ms: number): void {
  if (ms <= 0) return;
  const end = performance.now() + ms;
  for (;;) {
    const left = end - performance.now();
    if (left <= 0) return;
    Atomics.wait(_sleepCell, 0, 0, Math.min(left, 1_000_000));
  }
}

const HELP_LINES = [
  "AOF-FLUSH-SLEEP <microsec>",
  "    Server will sleep before flushing the AOF, this is used for testing.",
  "ASSERT",
  "    Crash by assertion failed.",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "    Dangerous: should be used only for testing the replication subsystem.",
  "CONFIG-REWRITE-FORCE-ALL",
  "    Like CONFIG REWRITE but writes all configuration options, including",
  "    keywords not listed in original configuration file or default values.",
  "CRASH-AND-RECOVER [<milliseconds>]",
  "    Hard crash and restart after a <milliseconds> delay (default 0).",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LEAK <string>",
  "    Create a memory leak of the input string.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "HTSTATS <dbid>",
  "    Return hash table statistics of the specified Redis database.",
  "HTSTATS-KEY <key>",
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  "LOADAOF",
  "    Flush the AOF buffers on disk and reload the AOF in memory.",
  "REPLICATE <string>",
  "    Replicates the provided string to replicas, allowing data divergence.",
  "OBJECT <key>",
  "    Show low level info about `key` and associated value.",
  "DROP-CLUSTER-PACKET-FILTER <packet-type>",
  "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
  "OOM",
  "    Crash the server simulating an out-of-memory error.",
  "PANIC",
  "    Crash the server simulating a panic.",
  "POPULATE <count> [<prefix>] [<size>]",
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  "    replicas. Cluster slots are not respected so keys not belonging to the",
  "    current node can be created in cluster mode.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "RELOAD [option ...]",
  "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
  "    * MERGE: conflicting keys will be loaded from RDB.",
  "    * NOFLUSH: the existing database will not be removed before load, but",
  "      conflicting keys will generate an exception and kill the server.",
  "    * NOSAVE: the database will be loaded from an existing RDB file.",
  "    Examples:",
  "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
  "      the database.",
  "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
  "      existing RDB file.",
  "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
  "      file to the database.",
  "RESTART [<milliseconds>]",
  "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
  "SDSLEN <key>",
  "    Show low level SDS string info representing `key` and value.",
  "SEGFAULT",
  "    Crash the server with sigsegv.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "QUICKLIST-PACKED-THRESHOLD <size>",
  "    Sets the threshold for elements to be inserted as plain vs packed nodes",
  "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
  "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "STRINGMATCH-TEST",
  "    Run a fuzz tester against the stringmatchlen() function.",
  "STRUCTSIZE",
  "    Return the size of different Redis core C structures.",
  "LISTPACK <key>",
  "    Show low level info about the listpack encoding of <key>.",
  "QUICKLIST <key> [<0|1>]",
  "    Show low level info about the quicklist encoding of <key>.",
  "    The optional argument (0 by default) sets the level of detail",
  "CLIENT-EVICTION",
  "    Show low level client eviction pools info (maxmemory-clients).",
  "PAUSE-CRON <0|1>",
  "    Stop periodic cron job processing.",
  "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
  "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
  "    In case NEVER is provided the last observed peak will never be reset",
  "    In case RESET is provided the peak reset time will be restored to the default value",
  "REPLYBUFFER RESIZING <0|1>",
  "    Enable or disable the reply buffer resize cron job",
  "CLUSTERLINK KILL <to|from|all> <node-id>",
  "    Kills the link based on the direction to/from (both) with the provided node.",
];

const eq = (k: number) => (n: number) => n === k;

// DEBUG HELP
registerDebugSubcommand("help", eq(2), (c) => c.replyHelp(HELP_LINES));

// DEBUG LOG <message>
registerDebugSubcommand("log", eq(3), (c, argv) => {
  c.server.log("warning", `DEBUG LOG: ${argv.str(2)}`);
  c.reply.ok();
});

// DEBUG LEAK <string> (nothing leaks in a garbage-collected heap)
registerDebugSubcommand("leak", eq(3), (c) => c.reply.ok());

// DEBUG SLEEP <seconds>: blocks the whole server, as in Redis
registerDebugSubcommand("sleep", eq(3), (c, argv) => {
  const sec = _strtod(argv.str(2));
  _blockFor(Math.floor(sec * 1e6) / 1000);
  c.reply.ok();
});

// DEBUG SET-ACTIVE-EXPIRE <0|1>
registerDebugSubcommand("set-active-expire", eq(3), (c, argv) => {
  c.server.activeExpireEnabled = _atoi(argv.str(2)) !== 0;
  c.reply.ok();
});

// DEBUG SET-SKIP-CHECKSUM-VALIDATION <0|1>
registerDebugSubcommand("set-skip-checksum-validation", eq(3), (c, argv) => {
  debugState(c.server).skipChecksumValidation = _atoi(argv.str(2)) !== 0;
  c.reply.ok();
});

// DEBUG AOF-FLUSH-SLEEP <microsec>
registerDebugSubcommand("aof-flush-sleep", eq(3), (c, argv) => {
  debugState(c.server).aofFlushSleepUs = _atoi(argv.str(2));
  c.reply.ok();
});

// DEBUG SET-DISABLE-DENY-SCRIPTS <0|1>
registerDebugSubcommand("set-disable-deny-scripts", eq(3), (c, argv) => {
  debugState(c.server).disableDenyScripts = _atoi(argv.str(2)) !== 0;
  c.reply.ok();
});

const objectExtras = new Map<number, (m: Heap, e: number) => string>();

/** Let a type append its own fields to DEBUG OBJECT (lists: the ql_* quicklist figures). */
export function registerDebugObjectExtra(type: number, fn: (m: Heap, e: number) => string): void {
  objectExtras.set(type, fn);
}

// DEBUG OBJECT <key>
registerDebugSubcommand("object", eq(3), (c, argv) => {
  const s = c.server;
  const e = c.db.find(argv.buf, argv.off[2], argv.len[2]);
  if (e === 0) {
    c.error(NO_SUCH_KEY);
    return;
  }
  const m = s.heap;
  const lru = objLru(m, e);
  const addr = (0x7f0000000000 + e * 8).toString(16);
  c.reply.simple(
    `Value at:0x${addr} refcount:${objectRefcount(s, e)} encoding:${
      ENCODING_NAMES[objEncoding(m, e)]
    }` +
      ` serializedlength:${_serializedLength(s, e)} lru:${lru}` +
      ` lru_seconds_idle:${Math.floor(s.store.idleMs(lru) / 1000)}` +
      (objectExtras.get(objType(m, e))?.(m, e) ?? ""),
  );
});

// DEBUG POPULATE <count> [<prefix>] [<size>]
registerDebugSubcommand("populate", (n) => n >= 3 && n <= 5, (c, argv) => {
  const count = _positiveLong(c, argv, 2);
  if (count === null) return;
  let size = 0;
  if (argv.argc === 5) {
    const v = _positiveLong(c, argv, 4);
    if (v === null) return;
    size = v;
  }
  const prefix = argv.argc >= 4 ? argv.str(3) : "key";
  populate(c.server, c.db, count, prefix, size); // not counted as dirty nor propagated, as in Redis
  c.reply.ok();
});

/** getPositiveLongFromObjectOrReply (one error for both a non-number and a negative). */
function _positiveLong(c: Client, argv: Argv, i: number): number | null {
  const v = argv.int(i);
  if (Number.isNaN(v) || v < 0) {
    c.error("ERR value is out of range, must be positive");
    return null;
  }
  return v;
}

// DEBUG DIGEST
registerDebugSubcommand("digest", eq(2), (c) => {
  c.reply.simple(toHex(datasetDigest(c.server)));
});

// DEBUG DIGEST-VALUE [key ...] (logically expired keys included, like Redis)
registerDebugSubcommand("digest-value", (n) => n >= 2, (c, argv) => {
  c.reply.arrayLen(argv.argc - 2);
  for (let i = 2; i < argv.argc; i++) {
    const d = new Uint8Array(20);
    const e = c.db.find(argv.buf, argv.off[i], argv.len[i]);
    if (e !== 0) objectDigest(c.server, e, d);
    c.reply.simple(toHex(d));
  }
});

// DEBUG PROTOCOL <type>
registerDebugSubcommand("protocol", eq(3), (c, argv) => {
  const r = c.reply;
  switch (argv.lower(2)) {
    case "string":
      r.bulkStr("Hello World");
      break;
    case "integer":
      r.int(12345);
      break;
    case "double":
      r.double(3.141);
      break;
    case "bignum":
      r.bigNumber("1234567999999999999999999999999999999");
      break;
    case "null":
      r.nullBulk();
      break;
    case "array":
      r.arrayLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      break;
    case "set":
      r.setLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      break;
    case "map":
      r.mapLen(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      break;
    case "attrib":
      if (r.resp >= 3) {
        r.attributeLen(1);
        r.bulkStr("key-popularity");
        r.arrayLen(2);
        r.bulkStr("key:123");
        r.int(90);
      }
      r.bulkStr("Some real reply following the attribute");
      break;
    case "push":
      if (r.resp < 3) {
        c.error("ERR RESP2 is not supported by this command");
        return;
      }
      r.pushLen(2);
      r.bulkStr("server-cpu-usage");
      r.int(42);
      r.bulkStr("Some real reply following the push reply");
      break;
    case "true":
      r.bool(true);
      break;
    case "false":
      r.bool(false);
      break;
    case "verbatim":
      r.verbatim("This is a verbatim\nstring", "txt");
      break;
    default:
      c.error(
        "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
      );
  }
});

// DEBUG ERROR <string>: the string as an error reply (newlines become spaces)
registerDebugSubcommand("error", eq(3), (c, argv) => {
  c.reply.error(argv.str(2));
});

// DEBUG STRUCTSIZE (Redis's C struct sizes on 64-bit; ours have no such structs)
registerDebugSubcommand("structsize", eq(2), (c) => {
  c.reply.bulkStr(
    "bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ",
  );
});

// DEBUG CHANGE-REPL-ID
registerDebugSubcommand("change-repl-id", eq(2), (c) => {
  const s = c.server;
  s.log("warning", "Changing replication IDs after receiving DEBUG change-repl-id");
  s.replId = randomHex40();
  s.replId2 = "0000000000000000000000000000000000000000";
  s.secondReplOffset = -1;
  c.reply.ok();
});

// DEBUG STRINGMATCH-TEST: fuzz the glob matcher with random patterns and strings
registerDebugSubcommand("stringmatch-test", eq(2), (c) => {
  const alphabet = "*?[]^-\\abc";
  const rnd = (n: number) => {
    const b = new Uint8Array(Math.floor(Math.random() * n));
    for (let i = 0; i < b.length; i++) {
      b[i] = Math.random() < 0.7
        ? alphabet.charCodeAt(Math.floor(Math.random() * alphabet.length))
        : Math.floor(Math.random() * 256);
    }
    return b;
  };
  for (let i = 0; i < 100000; i++) {
    const p = rnd(32);
    const s = rnd(32);
    globMatch(p, 0, p.length, s, 0, s.length, false);
  }
  c.reply.simple("Apparently Redis did not crash: test passed");
});

// DEBUG HTSTATS <dbid>
registerDebugSubcommand("htstats", eq(3), (c, argv) => {
  const id = argv.int(2);
  if (Number.isNaN(id)) {
    c.error("ERR value is not an integer or out of range");
    return;
  }
  const dbs = c.server.store.dbs;
  if (id < 0 || id >= dbs.length) {
    c.error("ERR Out of range database");
    return;
  }
  const db: Db = dbs[id];
  const [size0, used0, size1, used1] = dictTableStats(c.server.heap, db.dict);
  const empty = "No stats available for empty dictionaries\n";
  let text = "[Dictionary HT]\nHash table 0 stats (main hash table):\n";
  text += used0 + used1 === 0 ? empty : ` table size: ${size0}\n number of elements: ${used0}\n`;
  if (size1 > 0) {
    text +=
      `Hash table 1 stats (rehashing target):\n table size: ${size1}\n number of elements: ${used1}\n`;
  }
  // Keys with a TTL are kept in a vector, not a second hash table: only their count is known.
  const exp = db.expiresCount();
  text += "[Expires HT]\nHash table 0 stats (main hash table):\n";
  text += exp === 0 ? empty : ` number of elements: ${exp}\n`;
  c.reply.verbatim(text, "txt");
});

// DEBUG <subcommand> [arg ...]
function debugCommand(c: Client, argv: Argv): void {
  const sub = _subs.get(argv.lower(1));
  if (!sub || !sub.argc(argv.argc)) {
    subcommandSyntaxError(c, argv);
    return;
  }
  sub.fn(c, argv);
}

export const debugCommands = defineCommands("server", [
  {
    name: "debug",
    arity: -2,
    flags: ADMIN | NOSCRIPT | LOADING | STALE | PROTECTED,
    handler: debugCommand,
    summary: "A container for debugging commands",
    since: "1.0.0",
    complexity: "Depends on subcommand.",
    docFlags: ["syscmd"],
  },
]);
