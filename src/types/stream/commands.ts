// Stream command handlers: XADD, XRANGE/XREVRANGE, XLEN, XDEL, XTRIM, XREAD/XREADGROUP (with
// blocking), XGROUP, XSETID, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO. Argument parsing,
// error texts and reply shapes follow Redis 7.0's t_stream.c; the data work is in stream.ts.

import type { Argv } from "../../protocol/resp_parser.ts";
import { parseLL, parseLLExact } from "../../protocol/bytes.ts";
import {
  arityError,
  NO_SUCH_KEY,
  NOT_INTEGER,
  subcommandSyntaxError,
  SYNTAX,
  WRONGTYPE,
} from "../../protocol/errors.ts";
import type { Reply } from "../../protocol/reply.ts";
import type { Client } from "../../server/client.ts";
import { NOTIFY_STREAM } from "../../config.ts";
import type { Db } from "../../store/db.ts";
import type { Heap } from "../../memory/allocator.ts";
import { OFF_BITS } from "../../memory/arena.ts";
import { OBJ_ENCODING_STREAM, OBJ_STREAM, objAux, objType } from "../../store/object.ts";
import { argIs, argLong, lookupRead, notifyArg, readTyped, writeTyped } from "../common.ts";
import {
  btCount,
  BtCursor,
  btFind,
  btFirst,
  btLast,
  btNext,
  btSeekGE,
  btSlot,
  btWords,
} from "./btree.ts";
import {
  ID_INVALID,
  ID_SEQ_AUTO,
  idCmp,
  idDecr,
  idIncr,
  idIsMax,
  idIsZero,
  idMax,
  idRead,
  idSet,
  idZero,
  parseId,
  replyId,
  replyIdWords,
  StreamID,
} from "./id.ts";
import {
  APPEND_EDOM,
  APPEND_OK,
  consumerCreate,
  consumerDelete,
  consumerLookup,
  consumerNameLen,
  consumerNameOff,
  consumerPel,
  consumerSeenTime,
  groupAdvance,
  groupConsumers,
  groupCreate,
  groupDestroy,
  groupEntriesRead,
  groupLag,
  groupLastId,
  groupLookup,
  groupName,
  groupPel,
  groupSetEntriesRead,
  groupSetLastId,
  N_CONSUMER,
  nackCount,
  nackIncCount,
  nackSetCount,
  nackSetTime,
  nackTime,
  pelAck,
  pelCreateUnowned,
  pelDeliver,
  pelFind,
  pelMoveTo,
  streamAppend,
  streamDeleteItem,
  streamEdgeId,
  streamEntriesAdded,
  streamEntryExists,
  streamFirstId,
  streamGroupCount,
  streamGroups,
  StreamIterator,
  streamLastId,
  streamLastValidId,
  streamLength,
  streamMaxDeletedId,
  streamNew,
  streamNodeCount,
  streamSetEntriesAdded,
  streamSetFirstId,
  streamSetLastId,
  streamSetMaxDeletedId,
  streamTrim,
  TRIM_MAXLEN,
  TRIM_MINID,
  TRIM_NONE,
  vecGet,
  vecLen,
} from "./stream.ts";
import { streamRaxNodes } from "./rax_estimate.ts";

const INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
/** XREAD BLOCK without COUNT serves at most this many entries per stream. */
const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

// ---- small helpers ----

/** Redis formats names into errors with %s: the text ends at the first NUL byte. */
function _cs(s: string): string {
  const z = s.indexOf("\0");
  return z < 0 ? s : s.slice(0, z);
}

/** argv[i] as a C string equals exactly the one-byte string ch ("$", ">", "*"). */
function _isChar(argv: Argv, i: number, ch: number): boolean {
  return argv.len[i] >= 1 && argv.buf[argv.off[i]] === ch &&
    (argv.len[i] === 1 || argv.buf[argv.off[i] + 1] === 0);
}

function _streamOf(m: Heap, e: number): number {
  return objAux(m, e);
}

function _isStream(m: Heap, e: number): boolean {
  return objType(m, e) === OBJ_STREAM;
}

/** Exact int64 argument, null after replying `err`. */
function _llExact(c: Client, argv: Argv, i: number, err = NOT_INTEGER): number | bigint | null {
  const v = parseLLExact(argv.buf, argv.off[i], argv.len[i]);
  if (v === null) c.error(err);
  return v;
}

/** Parse argv[i] as an ID; replies the invalid-ID error when `reply` and it fails. */
function _parseId(
  c: Client | null,
  argv: Argv,
  i: number,
  out: StreamID,
  missingSeqMax: boolean,
  strict: boolean,
): boolean {
  if (
    parseId(argv.buf, argv.off[i], argv.len[i], out, missingSeqMax, strict, false) === ID_INVALID
  ) {
    if (c) c.error(INVALID_ID);
    return false;
  }
  return true;
}

/**
 * streamParseIntervalIDOrReply: "(" makes the bound exclusive (then "-"/"+" are invalid). Returns
 * 1 exclusive, 0 inclusive, -1 after replying an error.
 */
function _parseInterval(
  c: Client,
  argv: Argv,
  i: number,
  out: StreamID,
  missingSeqMax: boolean,
): number {
  const len = argv.len[i];
  const off = argv.off[i];
  if (len > 1 && argv.buf[off] === 40) {
    if (parseId(argv.buf, off + 1, len - 1, out, missingSeqMax, true, false) === ID_INVALID) {
      c.error(INVALID_ID);
      return -1;
    }
    return 1;
  }
  if (parseId(argv.buf, off, len, out, missingSeqMax, false, false) === ID_INVALID) {
    c.error(INVALID_ID);
    return -1;
  }
  return 0;
}

function _subcommandSyntax(c: Client, argv: Argv): void {
  c.error(subcommandSyntaxError(argv.str(1), argv.str(0)));
}

function _replyI64(r: Reply, v: number | bigint): void {
  r.int(v);
}

function _now(): number {
  return Date.now();
}

// ---- range replies ----

const _rangeIt = new StreamIterator();
const _oneIt = new StreamIterator();

/**
 * streamReplyWithRange: reply the entries in [start, end] (end null = to the top), at most
 * `count` (0 = all), as an array (or the bare entries when `raw`). With a group, the group's
 * last ID and read counter advance and, unless noack, each entry is added to the PELs of the
 * group and of `consumer`. Returns the number of entries.
 */
function replyRange(
  c: Client,
  s: number,
  start: StreamID | null,
  end: StreamID | null,
  count: number,
  rev: boolean,
  g: number,
  consumer: number,
  noack: boolean,
  raw: boolean,
  it: StreamIterator = _rangeIt,
): number {
  const m = c.server.heap;
  const r = c.reply;
  const at = raw ? -1 : r.deferLen();
  let n = 0;
  it.begin(m, s, start, end, rev);
  const now = g !== 0 ? _now() : 0;
  while (it.next()) {
    if (g !== 0) groupAdvance(m, s, g, it.id);
    r.arrayLen(2);
    replyId(r, it.id);
    r.arrayLen(it.numFields * 2);
    it.replyFields(r);
    if (g !== 0 && !noack) pelDeliver(m, g, consumer, it.id, now);
    n++;
    if (count !== 0 && n === count) break;
  }
  if (!raw) r.setDeferredLen(at, n);
  return n;
}

/** Reply one entry [id, fields] (raw); false when it does not exist. */
function _replyEntry(c: Client, s: number, id: StreamID): boolean {
  return replyRange(c, s, id, id, 1, false, 0, 0, false, true, _oneIt) === 1;
}

const _pelCur = new BtCursor();
const _pelCur2 = new BtCursor();
const _pelId = new StreamID();

/**
 * streamReplyWithRangeFromConsumerPEL: the consumer's pending entries from start (XREADGROUP
 * with an explicit ID); entries deleted meanwhile come back as [id, nil].
 */
function replyConsumerHistory(
  c: Client,
  s: number,
  g: number,
  consumer: number,
  start: StreamID,
  count: number,
): void {
  const m = c.server.heap;
  const r = c.reply;
  const at = r.deferLen();
  let n = 0;
  const pel = consumerPel(m, consumer);
  const k = _pelCur;
  const id = _pelId;
  let ok = btSeekGE(m, pel, k, start.msHi, start.msLo, start.seqHi, start.seqLo);
  const now = _now();
  while (ok && (count === 0 || n < count)) {
    idRead(id, btWords(m, k), btSlot(k));
    if (!_replyEntry(c, s, id)) {
      r.arrayLen(2);
      replyId(r, id);
      r.nullArray();
    } else if (pelFind(m, g, _pelCur2, id)) {
      const u = btWords(m, _pelCur2);
      const vw = btSlot(_pelCur2) + 4;
      nackSetTime(u, vw, now);
      nackIncCount(u, vw);
    }
    n++;
    ok = btNext(m, k);
  }
  r.setDeferredLen(at, n);
}

// ---- XADD / XTRIM argument parsing ----

interface TrimArgs {
  strategy: number;
  approx: boolean;
  limit: number;
  maxlen: number;
  minid: StreamID;
  noMkstream: boolean;
  idGiven: boolean;
  seqGiven: boolean;
  id: StreamID;
}

const _trim: TrimArgs = {
  strategy: TRIM_NONE,
  approx: false,
  limit: 0,
  maxlen: 0,
  minid: new StreamID(),
  noMkstream: false,
  idGiven: false,
  seqGiven: true,
  id: new StreamID(),
};

/**
 * streamParseAddOrTrimArgsOrReply. Returns the index of the ID argument (XADD) or of the end,
 * or -1 after replying an error.
 */
function _parseAddOrTrim(c: Client, argv: Argv, xadd: boolean): number {
  const a = _trim;
  a.strategy = TRIM_NONE;
  a.approx = false;
  a.limit = 0;
  a.maxlen = 0;
  idZero(a.minid);
  a.noMkstream = false;
  a.idGiven = false;
  a.seqGiven = true;
  idZero(a.id);
  let limitGiven = false;
  let i = 2;
  const argc = argv.argc;
  for (; i < argc; i++) {
    const more = argc - 1 - i;
    if (xadd && _isChar(argv, i, 42)) break;
    if (more && (argIs(argv, i, "maxlen") || argIs(argv, i, "minid"))) {
      const isMaxlen = argIs(argv, i, "maxlen");
      if (a.strategy !== TRIM_NONE) {
        c.error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return -1;
      }
      a.approx = false;
      if (more >= 2 && _isChar(argv, i + 1, 126)) {
        a.approx = true;
        i++;
      } else if (more >= 2 && _isChar(argv, i + 1, 61)) {
        i++;
      }
      if (isMaxlen) {
        const v = argLong(c, argv, i + 1);
        if (Number.isNaN(v)) return -1;
        if (v < 0) {
          c.error("ERR The MAXLEN argument must be >= 0.");
          return -1;
        }
        a.maxlen = v;
        a.strategy = TRIM_MAXLEN;
      } else {
        if (!_parseId(c, argv, i + 1, a.minid, false, true)) return -1;
        a.strategy = TRIM_MINID;
      }
      i++;
    } else if (more && argIs(argv, i, "limit")) {
      const v = argLong(c, argv, i + 1);
      if (Number.isNaN(v)) return -1;
      if (v < 0) {
        c.error("ERR The LIMIT argument must be >= 0.");
        return -1;
      }
      a.limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && argIs(argv, i, "nomkstream")) {
      a.noMkstream = true;
    } else if (xadd) {
      const res = parseId(argv.buf, argv.off[i], argv.len[i], a.id, false, true, true);
      if (res === ID_INVALID) {
        c.error(INVALID_ID);
        return -1;
      }
      a.seqGiven = res !== ID_SEQ_AUTO;
      a.idGiven = true;
      break;
    } else {
      c.error(SYNTAX);
      return -1;
    }
  }
  if (a.limit && a.strategy === TRIM_NONE) {
    c.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return -1;
  }
  if (!xadd && a.strategy === TRIM_NONE) {
    c.error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return -1;
  }
  if (limitGiven) {
    if (!a.approx) {
      c.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return -1;
    }
  } else if (a.approx) {
    let limit = 100 * c.server.limits.streamNodeMaxEntries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    a.limit = limit;
  } else {
    a.limit = 0;
  }
  return i;
}

function _doTrim(c: Client, s: number): number {
  const a = _trim;
  return streamTrim(c.server.heap, s, a.strategy, a.maxlen, a.minid, a.approx, a.limit);
}

// ---- XADD ----

const _added = new StreamID();
const _last = new StreamID();

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
export function xaddCommand(c: Client, argv: Argv): void {
  const idpos = _parseAddOrTrim(c, argv, true);
  if (idpos < 0) return;
  const a = _trim;
  const fieldPos = idpos + 1;
  const nargs = argv.argc - fieldPos;
  if (nargs < 2 || nargs % 2 === 1) {
    c.error(arityError("xadd"));
    return;
  }
  if (a.idGiven && a.seqGiven && idIsZero(a.id)) {
    c.error("ERR The ID specified in XADD must be greater than 0-0");
    return;
  }
  const s0 = c.server;
  const m = s0.heap;
  const db = c.db;
  let e = writeTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  let s: number;
  if (e === 0) {
    if (a.noMkstream) {
      c.reply.nullBulk();
      return;
    }
    s = streamNew(m);
    e = db.setValue(argv.buf, argv.off[1], argv.len[1], OBJ_STREAM, OBJ_ENCODING_STREAM, s, false);
  } else {
    s = _streamOf(m, e);
  }
  if (idIsMax(streamLastId(m, s, _last))) {
    c.error("ERR The stream has exhausted the last possible ID, unable to add more items");
    return;
  }
  const res = streamAppend(
    m,
    s,
    argv,
    fieldPos,
    nargs / 2,
    a.idGiven ? a.id : null,
    a.seqGiven,
    _now(),
    s0.limits.streamNodeMaxBytes,
    s0.limits.streamNodeMaxEntries,
    _added,
  );
  if (res !== APPEND_OK) {
    if (res === APPEND_EDOM) {
      c.error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
    } else {
      c.error("ERR Elements are too large to be stored");
    }
    return;
  }
  replyId(c.reply, _added);
  s0.signalModifiedKey(db, argv.buf, argv.off[1], argv.len[1]);
  notifyArg(c, NOTIFY_STREAM, "xadd", argv, 1);
  s0.dirty++;
  if (a.strategy !== TRIM_NONE) {
    if (_doTrim(c, s)) notifyArg(c, NOTIFY_STREAM, "xtrim", argv, 1);
  }
  s0.blocking.signalKeyAsReady(db, argv.buf, argv.off[1], argv.len[1]);
}

// ---- XRANGE / XREVRANGE ----

const _start = new StreamID();
const _end = new StreamID();

function _xrangeGeneric(c: Client, argv: Argv, rev: boolean): void {
  const si = rev ? 3 : 2;
  const ei = rev ? 2 : 3;
  const ex1 = _parseInterval(c, argv, si, _start, false);
  if (ex1 < 0) return;
  if (ex1 === 1 && !idIncr(_start)) {
    c.error("ERR invalid start ID for the interval");
    return;
  }
  const ex2 = _parseInterval(c, argv, ei, _end, true);
  if (ex2 < 0) return;
  if (ex2 === 1 && !idDecr(_end)) {
    c.error("ERR invalid end ID for the interval");
    return;
  }
  let count = -1;
  for (let j = 4; j < argv.argc; j++) {
    const more = argv.argc - j - 1;
    if (argIs(argv, j, "count") && more >= 1) {
      count = argLong(c, argv, j + 1);
      if (Number.isNaN(count)) return;
      if (count < 0) count = 0;
      j++;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  const e = readTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  if (e === 0) {
    c.reply.arrayLen(0);
    return;
  }
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  replyRange(
    c,
    _streamOf(c.server.heap, e),
    _start,
    _end,
    count === -1 ? 0 : count,
    rev,
    0,
    0,
    false,
    false,
  );
}

// XRANGE key start end [COUNT count]
export function xrangeCommand(c: Client, argv: Argv): void {
  _xrangeGeneric(c, argv, false);
}

// XREVRANGE key end start [COUNT count]
export function xrevrangeCommand(c: Client, argv: Argv): void {
  _xrangeGeneric(c, argv, true);
}

// XLEN key
export function xlenCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  c.reply.int(e === 0 ? 0 : streamLength(c.server.heap, _streamOf(c.server.heap, e)));
}

// ---- XREAD / XREADGROUP ----

interface ReadBlock {
  ids: StreamID[];
  count: number;
  group: Uint8Array | null;
  consumer: Uint8Array | null;
  noack: boolean;
}

function _xreadGeneric(c: Client, argv: Argv, xreadgroup: boolean): void {
  const s0 = c.server;
  const m = s0.heap;
  const argc = argv.argc;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let gIdx = 0;
  for (let i = 1; i < argc; i++) {
    const more = argc - i - 1;
    if (more && argIs(argv, i, "block")) {
      if (s0.inScript) {
        c.error(`ERR ${_cs(argv.str(0))} command is not allowed with BLOCK option from scripts`);
        return;
      }
      i++;
      const t = parseLL(argv.buf, argv.off[i], argv.len[i]);
      if (Number.isNaN(t)) {
        c.error("ERR timeout is not an integer or out of range");
        return;
      }
      if (t < 0) {
        c.error("ERR timeout is negative");
        return;
      }
      timeout = t > 0 ? s0.store.now + t : 0;
    } else if (more && argIs(argv, i, "count")) {
      i++;
      count = argLong(c, argv, i);
      if (Number.isNaN(count)) return;
      if (count < 0) count = 0;
    } else if (more && argIs(argv, i, "streams")) {
      streamsArg = i + 1;
      streamsCount = argc - streamsArg;
      if (streamsCount % 2 !== 0) {
        c.error(
          "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
        );
        return;
      }
      streamsCount /= 2;
      break;
    } else if (more >= 2 && argIs(argv, i, "group")) {
      if (!xreadgroup) {
        c.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return;
      }
      gIdx = i + 1;
      i += 2;
    } else if (argIs(argv, i, "noack")) {
      if (!xreadgroup) {
        c.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return;
      }
      noack = true;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (streamsArg === 0) {
    c.error(SYNTAX);
    return;
  }
  if (xreadgroup && gIdx === 0) {
    c.error("ERR Missing GROUP option for XREADGROUP");
    return;
  }
  const ids: StreamID[] = [];
  const groups: number[] = [];
  for (let i = streamsArg + streamsCount; i < argc; i++) {
    const k = i - streamsCount;
    const id = new StreamID();
    ids.push(id);
    const e = readTyped(c, argv, k, OBJ_STREAM);
    if (e < 0) return;
    if (gIdx !== 0) {
      const g = e === 0
        ? 0
        : groupLookup(m, _streamOf(m, e), argv.buf, argv.off[gIdx], argv.len[gIdx]);
      if (g === 0) {
        c.error(
          `NOGROUP No such key '${_cs(argv.str(k))}' or consumer group '${
            _cs(argv.str(gIdx))
          }' in XREADGROUP with GROUP option`,
        );
        return;
      }
      groups.push(g);
    }
    if (_isChar(argv, i, 36)) {
      if (xreadgroup) {
        c.error(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
        );
        return;
      }
      if (e !== 0) streamLastId(m, _streamOf(m, e), id);
      continue;
    }
    if (_isChar(argv, i, 62)) {
      if (!xreadgroup) {
        c.error(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
        );
        return;
      }
      idMax(id);
      continue;
    }
    if (!_parseId(c, argv, i, id, false, true)) return;
  }

  const r = c.reply;
  let served = 0;
  let at = 0;
  const maxid = new StreamID();
  for (let i = 0; i < streamsCount; i++) {
    const e = lookupRead(c, argv, streamsArg + i);
    if (e === 0) continue;
    const s = _streamOf(m, e);
    const gt = ids[i];
    let sync = false;
    let history = false;
    if (gIdx !== 0) {
      if (!idIsMax(gt)) {
        sync = true;
        history = true;
      } else if (streamLength(m, s) > 0) {
        streamLastValidId(m, s, maxid);
        const glast = groupLastId(m, groups[i], new StreamID());
        if (idCmp(maxid, glast) > 0) {
          sync = true;
          idSet(gt, glast);
        }
      }
    } else if (streamLength(m, s) > 0) {
      streamLastValidId(m, s, maxid);
      if (idCmp(maxid, gt) > 0) sync = true;
    }
    if (!sync) continue;
    served++;
    if (served === 1) at = r.deferLen();
    const start = new StreamID();
    idSet(start, gt);
    idIncr(start);
    if (r.resp === 2) r.arrayLen(2);
    r.bulk(argv.buf, argv.off[streamsArg + i], argv.len[streamsArg + i]);
    let consumer = 0;
    if (gIdx !== 0) {
      consumer = _lookupOrCreateConsumer(c, groups[i], argv, gIdx + 1, streamsArg + i);
    }
    if (history) {
      replyConsumerHistory(c, s, groups[i], consumer, start, count);
    } else {
      replyRange(
        c,
        s,
        start,
        null,
        count,
        false,
        gIdx !== 0 ? groups[i] : 0,
        consumer,
        noack,
        false,
      );
    }
    if (gIdx !== 0) s0.dirty++;
  }
  if (served > 0) {
    r.setDeferredLen(at, served, r.resp === 2 ? "*" : "%");
    return;
  }
  if (timeout !== -1) {
    if (!s0.blocking.canBlock(c)) {
      r.nullArray();
      return;
    }
    const keys: Uint8Array[] = [];
    for (let i = 0; i < streamsCount; i++) keys.push(argv.copy(streamsArg + i));
    const st: ReadBlock = {
      ids,
      count: count ? count : XREAD_BLOCKED_DEFAULT_COUNT,
      group: gIdx !== 0 ? argv.copy(gIdx) : null,
      consumer: gIdx !== 0 ? argv.copy(gIdx + 1) : null,
      noack,
    };
    s0.blocking.block(c, {
      keys,
      deadline: timeout,
      serve: (rc, key, index) => _serveBlocked(rc, key, index, st),
      timeout: (rc) => rc.reply.nullArray(),
    });
    return;
  }
  r.nullArray();
}

/** streamLookupConsumer + streamCreateConsumer for a read (argv[ci] is the consumer name). */
function _lookupOrCreateConsumer(c: Client, g: number, argv: Argv, ci: number, ki: number): number {
  const m = c.server.heap;
  const now = _now();
  let con = consumerLookup(m, g, argv.buf, argv.off[ci], argv.len[ci], now, false);
  if (con === 0) {
    con = consumerCreate(m, g, argv.buf, argv.off[ci], argv.len[ci], now);
    c.server.dirty++;
    notifyArg(c, NOTIFY_STREAM, "xgroup-createconsumer", argv, ki);
  }
  return con;
}

/** Serve a client blocked in XREAD/XREADGROUP on `key` (serveClientsBlockedOnStreamKey). */
function _serveBlocked(c: Client, key: Uint8Array, index: number, st: ReadBlock): boolean {
  const s0 = c.server;
  const m = s0.heap;
  const db: Db = c.db;
  const e = db.lookup(key, 0, key.length, 2 /* LOOKUP_NOSTATS */);
  if (e === 0 || !_isStream(m, e)) {
    // unblockDeletedStreamReadgroupClients
    if (st.group === null) return false;
    c.error("UNBLOCKED the stream key no longer exists");
    return true;
  }
  const s = _streamOf(m, e);
  const gt = st.ids[index < 0 ? 0 : index];
  let g = 0;
  if (st.group !== null) {
    g = groupLookup(m, s, st.group, 0, st.group.length);
    if (g === 0) {
      c.error("NOGROUP the consumer group this client was blocked on no longer exists");
      return true;
    }
    groupLastId(m, g, gt);
  }
  if (idCmp(streamLastId(m, s, _last), gt) <= 0) return false;
  const start = new StreamID();
  idSet(start, gt);
  idIncr(start);
  let consumer = 0;
  if (g !== 0) {
    const cn = st.consumer!;
    const now = _now();
    consumer = consumerLookup(m, g, cn, 0, cn.length, now, false);
    if (consumer === 0) {
      consumer = consumerCreate(m, g, cn, 0, cn.length, now);
      s0.dirty++;
      if (s0.notifyFlags !== 0) s0.notify(NOTIFY_STREAM, "xgroup-createconsumer", key, db.id);
    }
  }
  const r = c.reply;
  if (r.resp === 2) {
    r.arrayLen(1);
    r.arrayLen(2);
  } else {
    r.mapLen(1);
  }
  r.bulk(key, 0, key.length);
  replyRange(c, s, start, null, st.count, false, g, consumer, st.noack, false);
  return true;
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
export function xreadCommand(c: Client, argv: Argv): void {
  _xreadGeneric(c, argv, false);
}

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
export function xreadgroupCommand(c: Client, argv: Argv): void {
  _xreadGeneric(c, argv, true);
}

/** Key positions of XREAD/XREADGROUP: the first half of the arguments after STREAMS. */
export function xreadGetKeys(argv: Argv): number[] {
  for (let i = 1; i < argv.argc; i++) {
    if (argIs(argv, i, "block") || argIs(argv, i, "count")) {
      i++;
    } else if (argIs(argv, i, "group")) {
      i += 2;
    } else if (argIs(argv, i, "noack")) {
      // no argument
    } else if (argIs(argv, i, "streams")) {
      const n = argv.argc - i - 1;
      if (n % 2 !== 0) return [];
      const out: number[] = [];
      for (let k = i + 1; k < i + 1 + n / 2; k++) out.push(k);
      return out;
    } else {
      return [];
    }
  }
  return [];
}

// ---- XDEL / XTRIM ----

const _del = new StreamID();

// XDEL key id [id ...]
export function xdelCommand(c: Client, argv: Argv): void {
  const e = writeTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  if (e === 0) {
    c.reply.int(0);
    return;
  }
  for (let j = 2; j < argv.argc; j++) if (!_parseId(c, argv, j, _del, false, true)) return;
  const s0 = c.server;
  const m = s0.heap;
  const s = _streamOf(m, e);
  let deleted = 0;
  let firstEntry = false;
  const tmp = new StreamID();
  for (let j = 2; j < argv.argc; j++) {
    _parseId(null, argv, j, _del, false, true);
    if (streamDeleteItem(m, s, _del)) {
      if (idCmp(_del, streamFirstId(m, s, tmp)) === 0) firstEntry = true;
      if (idCmp(_del, streamMaxDeletedId(m, s, tmp)) > 0) streamSetMaxDeletedId(m, s, _del);
      deleted++;
    }
  }
  if (deleted) {
    if (streamLength(m, s) === 0) {
      idZero(tmp);
      streamSetFirstId(m, s, tmp);
    } else if (firstEntry) {
      streamEdgeId(m, s, true, true, tmp);
      streamSetFirstId(m, s, tmp);
    }
    s0.signalModifiedKey(c.db, argv.buf, argv.off[1], argv.len[1]);
    notifyArg(c, NOTIFY_STREAM, "xdel", argv, 1);
    s0.dirty += deleted;
  }
  c.reply.int(deleted);
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
export function xtrimCommand(c: Client, argv: Argv): void {
  if (_parseAddOrTrim(c, argv, false) < 0) return;
  const e = writeTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  if (e === 0) {
    c.reply.int(0);
    return;
  }
  const s0 = c.server;
  const deleted = _doTrim(c, _streamOf(s0.heap, e));
  if (deleted) {
    notifyArg(c, NOTIFY_STREAM, "xtrim", argv, 1);
    s0.signalModifiedKey(c.db, argv.buf, argv.off[1], argv.len[1]);
    s0.dirty += deleted;
  }
  c.reply.int(deleted);
}

// ---- XGROUP ----

const XGROUP_HELP = [
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
];

const _gid = new StreamID();

/** XGROUP <subcommand> ... (xgroupCommand: shared checks, then the subcommand). */
export function xgroupCommand(c: Client, argv: Argv): void {
  const s0 = c.server;
  const m = s0.heap;
  const argc = argv.argc;
  const sub = argv.lower(1);
  let s = 0;
  let g = 0;
  let mkstream = false;
  let entriesRead: number | bigint = -1;
  if (argc >= 4) {
    const create = sub === "create";
    const setid = sub === "setid";
    let i = 5;
    while (i < argc) {
      if (create && argIs(argv, i, "mkstream")) {
        mkstream = true;
        i++;
      } else if ((create || setid) && argIs(argv, i, "entriesread") && i + 1 < argc) {
        const v = _llExact(c, argv, i + 1);
        if (v === null) return;
        if (v < 0 && v !== -1) {
          c.error("ERR value for ENTRIESREAD must be positive or -1");
          return;
        }
        entriesRead = v;
        i += 2;
      } else {
        _subcommandSyntax(c, argv);
        return;
      }
    }
    const e = writeTyped(c, argv, 2, OBJ_STREAM);
    if (e < 0) return;
    if (e !== 0) s = _streamOf(m, e);
  }
  if (argc >= 4 && !mkstream) {
    if (s === 0) {
      c.error(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
      );
      return;
    }
    g = groupLookup(m, s, argv.buf, argv.off[3], argv.len[3]);
    if (g === 0 && (sub === "setid" || sub === "createconsumer" || sub === "delconsumer")) {
      c.error(
        `NOGROUP No such consumer group '${_cs(argv.str(3))}' for key name '${_cs(argv.str(2))}'`,
      );
      return;
    }
  }
  const db = c.db;
  if (argc === 2 && sub === "help") {
    c.replyHelp(XGROUP_HELP);
  } else if (sub === "create" && argc >= 5 && argc <= 8) {
    if (_isChar(argv, 4, 36)) {
      if (s !== 0) streamLastId(m, s, _gid);
      else idZero(_gid);
    } else if (!_parseId(c, argv, 4, _gid, false, true)) {
      return;
    }
    if (s === 0) {
      s = streamNew(m);
      db.setValue(argv.buf, argv.off[2], argv.len[2], OBJ_STREAM, OBJ_ENCODING_STREAM, s, false);
      s0.signalModifiedKey(db, argv.buf, argv.off[2], argv.len[2]);
    }
    if (groupCreate(m, s, argv.buf, argv.off[3], argv.len[3], _gid, entriesRead) !== 0) {
      c.reply.ok();
      s0.dirty++;
      notifyArg(c, NOTIFY_STREAM, "xgroup-create", argv, 2);
    } else {
      c.error("BUSYGROUP Consumer Group name already exists");
    }
  } else if (sub === "setid" && (argc === 5 || argc === 7)) {
    if (_isChar(argv, 4, 36)) {
      streamLastId(m, s, _gid);
    } else if (!_parseId(c, argv, 4, _gid, false, false)) {
      return;
    }
    groupSetLastId(m, g, _gid);
    groupSetEntriesRead(m, g, entriesRead);
    c.reply.ok();
    s0.dirty++;
    notifyArg(c, NOTIFY_STREAM, "xgroup-setid", argv, 2);
  } else if (sub === "destroy" && argc === 4) {
    if (g !== 0) {
      groupDestroy(m, s, g);
      c.reply.int(1);
      s0.dirty++;
      notifyArg(c, NOTIFY_STREAM, "xgroup-destroy", argv, 2);
      s0.blocking.signalKeyAsReady(db, argv.buf, argv.off[2], argv.len[2]);
    } else {
      c.reply.int(0);
    }
  } else if (sub === "createconsumer" && argc === 5) {
    const con = consumerCreate(m, g, argv.buf, argv.off[4], argv.len[4], _now());
    if (con !== 0) {
      s0.dirty++;
      notifyArg(c, NOTIFY_STREAM, "xgroup-createconsumer", argv, 2);
    }
    c.reply.int(con !== 0 ? 1 : 0);
  } else if (sub === "delconsumer" && argc === 5) {
    let pending = 0;
    const con = consumerLookup(m, g, argv.buf, argv.off[4], argv.len[4], 0, true);
    if (con !== 0) {
      pending = consumerDelete(m, g, con);
      s0.dirty++;
      notifyArg(c, NOTIFY_STREAM, "xgroup-delconsumer", argv, 2);
    }
    c.reply.int(pending);
  } else {
    _subcommandSyntax(c, argv);
  }
}

// ---- XSETID ----

const _setid = new StreamID();
const _maxdel = new StreamID();

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
export function xsetidCommand(c: Client, argv: Argv): void {
  if (!_parseId(c, argv, 2, _setid, false, true)) return;
  idZero(_maxdel);
  let added: number | bigint = -1;
  let i = 3;
  while (i < argv.argc) {
    const more = argv.argc - 1 - i;
    if (more && argIs(argv, i, "entriesadded")) {
      const v = _llExact(c, argv, i + 1);
      if (v === null) return;
      if (v < 0) {
        c.error("ERR entries_added must be positive");
        return;
      }
      added = v;
      i += 2;
    } else if (more && argIs(argv, i, "maxdeletedid")) {
      if (!_parseId(c, argv, i + 1, _maxdel, false, true)) return;
      if (idCmp(_setid, _maxdel) < 0) {
        c.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        return;
      }
      i += 2;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  const e = writeTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  if (e === 0) {
    c.error(NO_SUCH_KEY);
    return;
  }
  const s0 = c.server;
  const m = s0.heap;
  const s = _streamOf(m, e);
  const len = streamLength(m, s);
  if (len > 0) {
    const maxid = new StreamID();
    streamLastValidId(m, s, maxid);
    if (idCmp(_setid, maxid) < 0) {
      c.error("ERR The ID specified in XSETID is smaller than the target stream top item");
      return;
    }
    if (added !== -1 && len > added) {
      c.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
      return;
    }
  }
  streamSetLastId(m, s, _setid);
  if (added !== -1) streamSetEntriesAdded(m, s, added);
  if (!idIsZero(_maxdel)) streamSetMaxDeletedId(m, s, _maxdel);
  c.reply.ok();
  s0.dirty++;
  notifyArg(c, NOTIFY_STREAM, "xsetid", argv, 1);
}

// ---- XACK ----

const _ack = new StreamID();

// XACK key group id [id ...]
export function xackCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  const m = c.server.heap;
  const g = e === 0 ? 0 : groupLookup(m, _streamOf(m, e), argv.buf, argv.off[2], argv.len[2]);
  if (g === 0) {
    c.reply.int(0);
    return;
  }
  for (let j = 3; j < argv.argc; j++) if (!_parseId(c, argv, j, _ack, false, true)) return;
  let acked = 0;
  for (let j = 3; j < argv.argc; j++) {
    _parseId(null, argv, j, _ack, false, true);
    if (pelAck(m, g, _ack)) {
      acked++;
      c.server.dirty++;
    }
  }
  c.reply.int(acked);
}

// ---- XPENDING ----

const _pk = new BtCursor();
const _pk2 = new BtCursor();
const _pid = new StreamID();

/** Reply a consumer's name (consumer handle c). */
function _replyConsumerName(r: Reply, m: Heap, con: number): void {
  r.bulk(m.u8[con >>> OFF_BITS], consumerNameOff(con), consumerNameLen(m, con));
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
export function xpendingCommand(c: Client, argv: Argv): void {
  const argc = argv.argc;
  const justinfo = argc === 3;
  if (argc !== 3 && (argc < 6 || argc > 9)) {
    c.error(SYNTAX);
    return;
  }
  let count = 0;
  let minidle = 0;
  let consumerIdx = 0;
  if (argc >= 6) {
    let si = 3;
    if (argIs(argv, 3, "idle")) {
      minidle = argLong(c, argv, 4);
      if (Number.isNaN(minidle)) return;
      if (argc < 8) {
        c.error(SYNTAX);
        return;
      }
      si += 2;
    }
    count = argLong(c, argv, si + 2);
    if (Number.isNaN(count)) return;
    if (count < 0) count = 0;
    const ex1 = _parseInterval(c, argv, si, _start, false);
    if (ex1 < 0) return;
    if (ex1 === 1 && !idIncr(_start)) {
      c.error("ERR invalid start ID for the interval");
      return;
    }
    const ex2 = _parseInterval(c, argv, si + 1, _end, true);
    if (ex2 < 0) return;
    if (ex2 === 1 && !idDecr(_end)) {
      c.error("ERR invalid end ID for the interval");
      return;
    }
    if (si + 3 < argc) consumerIdx = si + 3;
  }
  const e = readTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  const m = c.server.heap;
  const g = e === 0 ? 0 : groupLookup(m, _streamOf(m, e), argv.buf, argv.off[2], argv.len[2]);
  if (g === 0) {
    c.error(`NOGROUP No such key '${_cs(argv.str(1))}' or consumer group '${_cs(argv.str(2))}'`);
    return;
  }
  const r = c.reply;
  const gpel = groupPel(m, g);
  if (justinfo) {
    const n = btCount(m, gpel);
    r.arrayLen(4);
    r.int(n);
    if (n === 0) {
      r.nullBulk();
      r.nullBulk();
      r.nullArray();
      return;
    }
    btFirst(m, gpel, _pk);
    replyIdWords(r, btWords(m, _pk), btSlot(_pk));
    btLast(m, gpel, _pk);
    replyIdWords(r, btWords(m, _pk), btSlot(_pk));
    const cv = groupConsumers(m, g);
    const cn = vecLen(m, cv);
    const at = r.deferLen();
    let k = 0;
    for (let i = 0; i < cn; i++) {
      const con = vecGet(m, cv, i);
      const pc = btCount(m, consumerPel(m, con));
      if (pc === 0) continue;
      r.arrayLen(2);
      _replyConsumerName(r, m, con);
      r.bulkInt(pc);
      k++;
    }
    r.setDeferredLen(at, k);
    return;
  }
  let con = 0;
  if (consumerIdx) {
    con = consumerLookup(m, g, argv.buf, argv.off[consumerIdx], argv.len[consumerIdx], 0, true);
    if (con === 0) {
      r.arrayLen(0);
      return;
    }
  }
  const pel = con !== 0 ? consumerPel(m, con) : gpel;
  const now = _now();
  const at = r.deferLen();
  let n = 0;
  let ok = btSeekGE(m, pel, _pk, _start.msHi, _start.msLo, _start.seqHi, _start.seqLo);
  while (count && ok) {
    idRead(_pid, btWords(m, _pk), btSlot(_pk));
    if (idCmp(_pid, _end) > 0) break;
    let u: Uint32Array;
    let vw: number;
    if (con !== 0) {
      btFind(m, gpel, _pk2, _pid.msHi, _pid.msLo, _pid.seqHi, _pid.seqLo);
      u = btWords(m, _pk2);
      vw = btSlot(_pk2) + 4;
    } else {
      u = btWords(m, _pk);
      vw = btSlot(_pk) + 4;
    }
    const t = nackTime(u, vw);
    if (minidle) {
      if (now - t < minidle) {
        ok = btNext(m, _pk);
        continue;
      }
    }
    n++;
    count--;
    r.arrayLen(4);
    replyId(r, _pid);
    const owner = u[vw + N_CONSUMER];
    if (owner !== 0) _replyConsumerName(r, m, owner);
    else r.bulk(new Uint8Array(0));
    const elapsed = now - t;
    r.int(elapsed < 0 ? 0 : elapsed);
    _replyI64(r, nackCount(u, vw));
    ok = btNext(m, _pk);
  }
  r.setDeferredLen(at, n);
}

// ---- XCLAIM ----

const _cid = new StreamID();
const _lastIdArg = new StreamID();
const _glast = new StreamID();

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
//        [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
export function xclaimCommand(c: Client, argv: Argv): void {
  const s0 = c.server;
  const m = s0.heap;
  const e = readTyped(c, argv, 1, OBJ_STREAM);
  if (e < 0) return;
  const s = e === 0 ? 0 : _streamOf(m, e);
  const g = s === 0 ? 0 : groupLookup(m, s, argv.buf, argv.off[2], argv.len[2]);
  if (g === 0) {
    c.error(`NOGROUP No such key '${_cs(argv.str(1))}' or consumer group '${_cs(argv.str(2))}'`);
    return;
  }
  let minidle = argLong(c, argv, 4, "ERR Invalid min-idle-time argument for XCLAIM");
  if (Number.isNaN(minidle)) return;
  if (minidle < 0) minidle = 0;
  const argc = argv.argc;
  let j = 5;
  for (; j < argc; j++) if (!_parseId(null, argv, j, _cid, false, true)) break;
  const lastIdArg = j - 1;
  const now = _now();
  idZero(_lastIdArg);
  let force = false;
  let justid = false;
  let deliverytime = -1;
  let retrycount: number | bigint = -1;
  for (; j < argc; j++) {
    const more = argc - 1 - j;
    if (argIs(argv, j, "force")) {
      force = true;
    } else if (argIs(argv, j, "justid")) {
      justid = true;
    } else if (more && argIs(argv, j, "idle")) {
      j++;
      const v = argLong(c, argv, j, "ERR Invalid IDLE option argument for XCLAIM");
      if (Number.isNaN(v)) return;
      deliverytime = now - v;
    } else if (more && argIs(argv, j, "time")) {
      j++;
      const v = argLong(c, argv, j, "ERR Invalid TIME option argument for XCLAIM");
      if (Number.isNaN(v)) return;
      deliverytime = v;
    } else if (more && argIs(argv, j, "retrycount")) {
      j++;
      const v = _llExact(c, argv, j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      if (v === null) return;
      retrycount = v;
    } else if (more && argIs(argv, j, "lastid")) {
      j++;
      if (!_parseId(c, argv, j, _lastIdArg, false, true)) return;
    } else {
      c.error(`ERR Unrecognized XCLAIM option '${_cs(argv.str(j))}'`);
      return;
    }
  }
  let propagateLastId = false;
  if (idCmp(_lastIdArg, groupLastId(m, g, _glast)) > 0) {
    groupSetLastId(m, g, _lastIdArg);
    propagateLastId = true;
  }
  if (deliverytime !== -1) {
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else {
    deliverytime = now;
  }
  let consumer = 0;
  const r = c.reply;
  const at = r.deferLen();
  let n = 0;
  const k = _pk;
  for (let i = 5; i <= lastIdArg; i++) {
    _parseId(null, argv, i, _cid, false, true);
    let found = pelFind(m, g, k, _cid);
    if (!streamEntryExists(m, s, _cid)) {
      if (found) {
        propagateLastId = false;
        s0.dirty++;
        pelAck(m, g, _cid);
      }
      continue;
    }
    if (force && !found) {
      pelCreateUnowned(m, g, _cid, k, now);
      found = true;
    }
    if (!found) continue;
    let u = btWords(m, k);
    let vw = btSlot(k) + 4;
    if (u[vw + N_CONSUMER] !== 0 && minidle) {
      if (now - nackTime(u, vw) < minidle) continue;
    }
    if (consumer === 0) {
      consumer = _lookupOrCreateConsumer(c, g, argv, 3, 1);
    }
    pelMoveTo(m, g, consumer, _cid, k);
    u = btWords(m, k);
    vw = btSlot(k) + 4;
    nackSetTime(u, vw, deliverytime);
    if (retrycount !== -1 && retrycount >= 0) nackSetCount(u, vw, retrycount);
    else if (!justid) nackIncCount(u, vw);
    if (justid) replyId(r, _cid);
    else _replyEntry(c, s, _cid);
    n++;
    propagateLastId = false;
    s0.dirty++;
  }
  if (propagateLastId) s0.dirty++;
  r.setDeferredLen(at, n);
}

// ---- XAUTOCLAIM ----

const _from = new StreamID();
const _aid = new StreamID();
/** LONG_MAX / max(sizeof(streamID), attempts factor). */
const AUTOCLAIM_MAX_COUNT = 576460752303423487;
/** Largest up-front allocation Redis gets for XAUTOCLAIM's deleted IDs on a 47-bit address space. */
const AUTOCLAIM_MAX_TRANSIENT = 2 ** 46;

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
export function xautoclaimCommand(c: Client, argv: Argv): void {
  const s0 = c.server;
  const m = s0.heap;
  // The key is looked up first (hit/miss stats, lazy expiry) and type-checked after the
  // arguments are parsed, so argument errors come first, as in Redis.
  const e = lookupRead(c, argv, 1);
  let minidle = argLong(c, argv, 4, "ERR Invalid min-idle-time argument for XAUTOCLAIM");
  if (Number.isNaN(minidle)) return;
  if (minidle < 0) minidle = 0;
  const ex = _parseInterval(c, argv, 5, _from, false);
  if (ex < 0) return;
  if (ex === 1 && !idIncr(_from)) {
    c.error("ERR invalid start ID for the interval");
    return;
  }
  let count = 100;
  let justid = false;
  const argc = argv.argc;
  for (let j = 6; j < argc; j++) {
    const more = argc - 1 - j;
    if (more && argIs(argv, j, "count")) {
      const v = parseLL(argv.buf, argv.off[j + 1], argv.len[j + 1]);
      if (Number.isNaN(v) || v < 1 || v > AUTOCLAIM_MAX_COUNT) {
        c.error("ERR COUNT must be > 0");
        return;
      }
      count = v;
      j++;
    } else if (argIs(argv, j, "justid")) {
      justid = true;
    } else {
      c.error(SYNTAX);
      return;
    }
  }
  if (e !== 0 && !_isStream(m, e)) {
    c.error(WRONGTYPE);
    return;
  }
  const s = e === 0 ? 0 : _streamOf(m, e);
  const g = s === 0 ? 0 : groupLookup(m, s, argv.buf, argv.off[2], argv.len[2]);
  if (g === 0) {
    c.error(`NOGROUP No such key '${_cs(argv.str(1))}' or consumer group '${_cs(argv.str(2))}'`);
    return;
  }
  if (count * 16 > AUTOCLAIM_MAX_TRANSIENT) {
    // Redis allocates room for COUNT deleted IDs up front; beyond the address space it fails
    c.error("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
    return;
  }
  let attempts = count * 10;
  const r = c.reply;
  r.arrayLen(3);
  const endAt = r.deferLen();
  const arrAt = r.deferLen();
  const deletedIds: StreamID[] = [];
  const now = _now();
  const pel = groupPel(m, g);
  const k = _pk;
  let consumer = 0;
  let n = 0;
  let eof = false;
  while (attempts-- > 0 && count > 0) {
    if (eof || !btSeekGE(m, pel, k, _from.msHi, _from.msLo, _from.seqHi, _from.seqLo)) {
      eof = true;
      break;
    }
    idRead(_aid, btWords(m, k), btSlot(k));
    idSet(_from, _aid);
    if (!idIncr(_from)) eof = true;
    if (!streamEntryExists(m, s, _aid)) {
      s0.dirty++;
      pelAck(m, g, _aid);
      const d = new StreamID();
      idSet(d, _aid);
      deletedIds.push(d);
      count--;
      continue;
    }
    const u0 = btWords(m, k);
    const vw0 = btSlot(k) + 4;
    if (minidle && now - nackTime(u0, vw0) < minidle) continue;
    if (consumer === 0) consumer = _lookupOrCreateConsumer(c, g, argv, 3, 1);
    pelMoveTo(m, g, consumer, _aid, k);
    const u = btWords(m, k);
    const vw = btSlot(k) + 4;
    nackSetTime(u, vw, now);
    if (!justid) nackIncCount(u, vw);
    if (justid) replyId(r, _aid);
    else _replyEntry(c, s, _aid);
    n++;
    count--;
    s0.dirty++;
  }
  // the next pending entry is the cursor for the next call
  const endId = new StreamID();
  if (!eof && btSeekGE(m, pel, k, _from.msHi, _from.msLo, _from.seqHi, _from.seqLo)) {
    idRead(endId, btWords(m, k), btSlot(k));
  }
  r.setDeferredLen(arrAt, n);
  // the cursor goes before the claimed entries: insert it at endAt
  const tail = r.buf.slice(endAt, r.len);
  r.len = endAt;
  replyId(r, endId);
  r.raw(tail);
  r.arrayLen(deletedIds.length);
  for (const d of deletedIds) replyId(r, d);
}

// ---- XINFO ----

const XINFO_HELP = [
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
];

const _iid = new StreamID();

function _replyNullableI64(r: Reply, v: number | bigint | null): void {
  if (v === null) r.nullBulk();
  else r.int(v);
}

function _replyEntriesRead(r: Reply, m: Heap, g: number): void {
  const v = groupEntriesRead(m, g);
  if (v === -1) r.nullBulk();
  else r.int(v);
}

function _xinfoStream(c: Client, argv: Argv, s: number): void {
  const m = c.server.heap;
  const r = c.reply;
  let full = true;
  let count = 10;
  const optc = argv.argc - 3;
  if (optc === 0) {
    full = false;
  } else {
    if (optc !== 1 && optc !== 3) {
      _subcommandSyntax(c, argv);
      return;
    }
    if (!argIs(argv, 3, "full")) {
      _subcommandSyntax(c, argv);
      return;
    }
    if (optc === 3) {
      if (!argIs(argv, 4, "count")) {
        _subcommandSyntax(c, argv);
        return;
      }
      count = argLong(c, argv, 5);
      if (Number.isNaN(count)) return;
      if (count < 0) count = 10;
    }
  }
  r.mapLen(full ? 9 : 10);
  r.bulkStr("length");
  r.int(streamLength(m, s));
  r.bulkStr("radix-tree-keys");
  r.int(streamNodeCount(m, s));
  r.bulkStr("radix-tree-nodes");
  r.int(streamRaxNodes(m, s));
  r.bulkStr("last-generated-id");
  replyId(r, streamLastId(m, s, _iid));
  r.bulkStr("max-deleted-entry-id");
  replyId(r, streamMaxDeletedId(m, s, _iid));
  r.bulkStr("entries-added");
  r.int(streamEntriesAdded(m, s));
  r.bulkStr("recorded-first-entry-id");
  replyId(r, streamFirstId(m, s, _iid));
  if (!full) {
    r.bulkStr("groups");
    r.int(streamGroupCount(m, s));
    r.bulkStr("first-entry");
    if (replyRange(c, s, null, null, 1, false, 0, 0, false, true) === 0) r.nullBulk();
    r.bulkStr("last-entry");
    if (replyRange(c, s, null, null, 1, true, 0, 0, false, true) === 0) r.nullBulk();
    return;
  }
  r.bulkStr("entries");
  replyRange(c, s, null, null, count, false, 0, 0, false, false);
  r.bulkStr("groups");
  const v = streamGroups(m, s);
  const gn = vecLen(m, v);
  r.arrayLen(gn);
  const k = new BtCursor();
  const k2 = new BtCursor();
  const id = new StreamID();
  for (let i = 0; i < gn; i++) {
    const g = vecGet(m, v, i);
    r.mapLen(7);
    r.bulkStr("name");
    r.bulk(groupName(m, g));
    r.bulkStr("last-delivered-id");
    replyId(r, groupLastId(m, g, id));
    r.bulkStr("entries-read");
    _replyEntriesRead(r, m, g);
    r.bulkStr("lag");
    _replyNullableI64(r, groupLag(m, s, g));
    const gpel = groupPel(m, g);
    r.bulkStr("pel-count");
    r.int(btCount(m, gpel));
    r.bulkStr("pending");
    let at = r.deferLen();
    let n = 0;
    for (let ok = btFirst(m, gpel, k); ok && (!count || n < count); ok = btNext(m, k)) {
      const u = btWords(m, k);
      const w = btSlot(k);
      r.arrayLen(4);
      replyIdWords(r, u, w);
      const owner = u[w + 4 + N_CONSUMER];
      if (owner !== 0) _replyConsumerName(r, m, owner);
      else r.bulk(new Uint8Array(0));
      r.int(nackTime(u, w + 4));
      r.int(nackCount(u, w + 4));
      n++;
    }
    r.setDeferredLen(at, n);
    r.bulkStr("consumers");
    const cv = groupConsumers(m, g);
    const cn = vecLen(m, cv);
    r.arrayLen(cn);
    for (let j = 0; j < cn; j++) {
      const con = vecGet(m, cv, j);
      r.mapLen(4);
      r.bulkStr("name");
      _replyConsumerName(r, m, con);
      r.bulkStr("seen-time");
      r.int(consumerSeenTime(m, con));
      const cpel = consumerPel(m, con);
      r.bulkStr("pel-count");
      r.int(btCount(m, cpel));
      r.bulkStr("pending");
      at = r.deferLen();
      n = 0;
      for (let ok = btFirst(m, cpel, k); ok && (!count || n < count); ok = btNext(m, k)) {
        idRead(id, btWords(m, k), btSlot(k));
        btFind(m, gpel, k2, id.msHi, id.msLo, id.seqHi, id.seqLo);
        const u = btWords(m, k2);
        const w = btSlot(k2) + 4;
        r.arrayLen(3);
        replyId(r, id);
        r.int(nackTime(u, w));
        r.int(nackCount(u, w));
        n++;
      }
      r.setDeferredLen(at, n);
    }
  }
}

/** XINFO <subcommand> ... (xinfoCommand). */
export function xinfoCommand(c: Client, argv: Argv): void {
  if (argIs(argv, 1, "help")) {
    if (argv.argc !== 2) {
      _subcommandSyntax(c, argv);
      return;
    }
    c.replyHelp(XINFO_HELP);
    return;
  }
  if (argv.argc < 3) {
    _subcommandSyntax(c, argv);
    return;
  }
  const e = readTyped(c, argv, 2, OBJ_STREAM);
  if (e < 0) return;
  if (e === 0) {
    c.error(NO_SUCH_KEY);
    return;
  }
  const m = c.server.heap;
  const s = _streamOf(m, e);
  const r = c.reply;
  if (argIs(argv, 1, "consumers") && argv.argc === 4) {
    const g = groupLookup(m, s, argv.buf, argv.off[3], argv.len[3]);
    if (g === 0) {
      c.error(
        `NOGROUP No such consumer group '${_cs(argv.str(3))}' for key name '${_cs(argv.str(2))}'`,
      );
      return;
    }
    const cv = groupConsumers(m, g);
    const cn = vecLen(m, cv);
    r.arrayLen(cn);
    const now = _now();
    for (let i = 0; i < cn; i++) {
      const con = vecGet(m, cv, i);
      let idle = now - consumerSeenTime(m, con);
      if (idle < 0) idle = 0;
      r.mapLen(3);
      r.bulkStr("name");
      _replyConsumerName(r, m, con);
      r.bulkStr("pending");
      r.int(btCount(m, consumerPel(m, con)));
      r.bulkStr("idle");
      r.int(idle);
    }
  } else if (argIs(argv, 1, "groups") && argv.argc === 3) {
    const v = streamGroups(m, s);
    const gn = vecLen(m, v);
    r.arrayLen(gn);
    const id = new StreamID();
    for (let i = 0; i < gn; i++) {
      const g = vecGet(m, v, i);
      r.mapLen(6);
      r.bulkStr("name");
      r.bulk(groupName(m, g));
      r.bulkStr("consumers");
      r.int(vecLen(m, groupConsumers(m, g)));
      r.bulkStr("pending");
      r.int(btCount(m, groupPel(m, g)));
      r.bulkStr("last-delivered-id");
      replyId(r, groupLastId(m, g, id));
      r.bulkStr("entries-read");
      _replyEntriesRead(r, m, g);
      r.bulkStr("lag");
      _replyNullableI64(r, groupLag(m, s, g));
    }
  } else if (argIs(argv, 1, "stream")) {
    _xinfoStream(c, argv, s);
  } else {
    _subcommandSyntax(c, argv);
  }
}
