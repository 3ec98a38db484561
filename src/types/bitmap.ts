// Bitmaps: bit-level commands over string values (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
// BITFIELD, BITFIELD_RO). Values stay inline in the keyspace entry; the API works on the entry's
// chunk buffer (u8 plus its u32 view for word-at-a-time scans). Never imports Client in the API.
//
// Bit numbering follows Redis: bit 0 is the most significant bit of the first byte.

import { EMPTY, parseLL, parseLLBig } from "../protocol/bytes.ts";
import { BIT_OFFSET, BIT_VALUE, NOT_INTEGER, SYNTAX } from "../protocol/errors.ts";
import type { Argv } from "../protocol/resp_parser.ts";
import { CF_MASTER, type Client } from "../server/client.ts";
import { defineCommands, DENYOOM, FAST, READONLY, WRITE } from "../server/command.ts";
import { NOTIFY_GENERIC, NOTIFY_STRING } from "../config.ts";
import { OFF_BITS } from "../memory/arena.ts";
import { OBJ_ENCODING_RAW, OBJ_STRING, setObjEncoding, strLen, strOff } from "../store/object.ts";
import { argIs, keyModified, readTyped, writeTyped } from "./common.ts";

// ---- Bitmap API ----

/** Set bits in each byte value. */
const BITS_IN_BYTE = new Uint8Array(256);
for (let i = 1; i < 256; i++) BITS_IN_BYTE[i] = (i & 1) + BITS_IN_BYTE[i >>> 1];

/**
 * Number of set bits in u8[from, to). `u32` is the 32-bit view of the same buffer: the aligned
 * middle is counted four words at a time (SWAR), two int32 accumulators collecting per-byte
 * counts for up to 60 words before they are folded. O(N), no allocation.
 */
export function popcount(u8: Uint8Array, u32: Uint32Array, from: number, to: number): number {
  let n = 0;
  let i = from;
  if (to > 0xfffffff0) { // word indexes below use 32-bit arithmetic
    while (i < to) n += BITS_IN_BYTE[u8[i++]];
    return n;
  }
  while (i < to && (i & 3) !== 0) n += BITS_IN_BYTE[u8[i++]];
  let w = i >>> 2;
  const wend = to >>> 2;
  while (wend - w >= 4) {
    const stop = wend - w >= 60 ? w + 60 : w + ((wend - w) & ~3);
    let a = 0;
    let b = 0;
    for (; w < stop; w += 4) {
      let x = u32[w];
      let y = u32[w + 1];
      let z = u32[w + 2];
      let t = u32[w + 3];
      x = x - ((x >>> 1) & 0x55555555);
      y = y - ((y >>> 1) & 0x55555555);
      z = z - ((z >>> 1) & 0x55555555);
      t = t - ((t >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
      z = (z & 0x33333333) + ((z >>> 2) & 0x33333333);
      t = (t & 0x33333333) + ((t >>> 2) & 0x33333333);
      a = (a + ((x + (x >>> 4)) & 0x0f0f0f0f) + ((y + (y >>> 4)) & 0x0f0f0f0f)) | 0;
      b = (b + ((z + (z >>> 4)) & 0x0f0f0f0f) + ((t + (t >>> 4)) & 0x0f0f0f0f)) | 0;
    }
    // each byte of a and b holds at most 30 * 8 = 240: fold bytes into 16-bit lanes, add lanes
    a = (a & 0x00ff00ff) + ((a >>> 8) & 0x00ff00ff);
    b = (b & 0x00ff00ff) + ((b >>> 8) & 0x00ff00ff);
    n += (a & 0xffff) + (a >>> 16) + (b & 0xffff) + (b >>> 16);
  }
  for (; w < wend; w++) {
    let x = u32[w];
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    n += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  for (i = w * 4 > i ? w * 4 : i; i < to; i++) n += BITS_IN_BYTE[u8[i]];
  return n;
}

/** Mask of the bits of a byte at and after bit `b` (0 = MSB). */
function _fromBitMask(b: number): number {
  return 0xff >>> b;
}

/** Mask of the bits of a byte at and before bit `b` (0 = MSB). */
function _toBitMask(b: number): number {
  return (0xff << (7 - b)) & 0xff;
}

/**
 * Set bits of a string value between bit offsets startBit..endBit inclusive (both inside the
 * value). `base` is the value's byte offset in u8.
 */
export function bitCountRange(
  u8: Uint8Array,
  u32: Uint32Array,
  base: number,
  startBit: number,
  endBit: number,
): number {
  const sb = Math.floor(startBit / 8);
  const eb = Math.floor(endBit / 8);
  let n = popcount(u8, u32, base + sb, base + eb + 1);
  n -= BITS_IN_BYTE[u8[base + sb] & ~_fromBitMask(startBit % 8) & 0xff];
  n -= BITS_IN_BYTE[u8[base + eb] & ~_toBitMask(endBit % 8) & 0xff];
  return n;
}

/**
 * Absolute index of the first byte in u8[from, to) that is not `skip` (0 or 255), or -1. Whole
 * aligned words equal to the skip pattern are passed over four words, then one word, at a time.
 */
function _firstByteNot(
  u8: Uint8Array,
  u32: Uint32Array,
  from: number,
  to: number,
  skip: number,
): number {
  let i = from;
  while (i < to && (i & 3) !== 0) {
    if (u8[i] !== skip) return i;
    i++;
  }
  if (to <= 0xfffffff0) { // word indexes use 32-bit arithmetic
    let w = i >>> 2;
    const wend = to >>> 2;
    if (skip === 0) {
      while (wend - w >= 4 && (u32[w] | u32[w + 1] | u32[w + 2] | u32[w + 3]) === 0) w += 4;
      while (w < wend && u32[w] === 0) w++;
    } else {
      while (wend - w >= 4 && (u32[w] & u32[w + 1] & u32[w + 2] & u32[w + 3]) === -1) w += 4;
      while (w < wend && u32[w] === 0xffffffff) w++;
    }
    if (w * 4 > i) i = w * 4;
  }
  for (; i < to; i++) if (u8[i] !== skip) return i;
  return -1;
}

/** Bit position (byte index * 8 + bit) of the first `bit` among `mask`'s bits of a byte, or -1. */
function _posInByte(byte: number, mask: number, bit: number, index: number): number {
  const v = (bit === 1 ? byte : ~byte) & mask;
  return v === 0 ? -1 : index * 8 + Math.clz32(v) - 24;
}

/**
 * Offset of the first bit equal to `bit` between bit offsets startBit..endBit inclusive (both
 * inside the value at `base`), or -1 when there is none.
 */
export function bitPosRange(
  u8: Uint8Array,
  u32: Uint32Array,
  base: number,
  startBit: number,
  endBit: number,
  bit: number,
): number {
  const sb = Math.floor(startBit / 8);
  const eb = Math.floor(endBit / 8);
  const head = _fromBitMask(startBit % 8);
  const tail = _toBitMask(endBit % 8);
  if (sb === eb) return _posInByte(u8[base + sb], head & tail, bit, sb);
  const p = _posInByte(u8[base + sb], head, bit, sb);
  if (p >= 0) return p;
  if (eb > sb + 1) {
    const i = _firstByteNot(u8, u32, base + sb + 1, base + eb, bit === 1 ? 0 : 255);
    if (i >= 0) return _posInByte(u8[i], 0xff, bit, i - base);
  }
  return _posInByte(u8[base + eb], tail, bit, eb);
}

// Bitfields are read and written as two 32-bit halves (hi, lo) of an unsigned value of up to
// 64 bits, so no BigInt is needed to move bits around. The last read lands here.
let _hi = 0;
let _lo = 0;

/**
 * Read an unsigned field of `bits` (1..64) bits at bit `offset` of the value u8[base, base+len)
 * into (_hi, _lo). Bytes past the value read as zero.
 */
function _readField(u8: Uint8Array, base: number, len: number, offset: number, bits: number): void {
  let hi = 0;
  let lo = 0;
  const end = offset + bits;
  let p = offset;
  while (p < end) {
    const byteIdx = Math.floor(p / 8);
    const inByte = p - byteIdx * 8;
    const k = 8 - inByte < end - p ? 8 - inByte : end - p;
    const byte = byteIdx < len ? u8[base + byteIdx] : 0;
    const chunk = (byte >>> (8 - inByte - k)) & ((1 << k) - 1);
    // (hi, lo) <<= k, then or in the chunk
    hi = hi * (1 << k) + (lo >>> (32 - k));
    lo = ((lo << k) | chunk) >>> 0;
    p += k;
  }
  _hi = hi;
  _lo = lo;
}

/** k (<= 8) bits of the 64-bit value (hi, lo) starting at bit s counted from the LSB. */
function _bitsOf(hi: number, lo: number, s: number, k: number): number {
  const m = (1 << k) - 1;
  if (s >= 32) return (hi >>> (s - 32)) & m;
  if (s + k <= 32) return (lo >>> s) & m;
  return ((lo >>> s) | (hi << (32 - s))) & m;
}

/** Write the low `bits` bits of (hi, lo) at bit `offset` of the value at `base` (must fit). */
function _writeField(
  u8: Uint8Array,
  base: number,
  offset: number,
  bits: number,
  hi: number,
  lo: number,
): void {
  const end = offset + bits;
  let p = offset;
  while (p < end) {
    const byteIdx = Math.floor(p / 8);
    const inByte = p - byteIdx * 8;
    const k = 8 - inByte < end - p ? 8 - inByte : end - p;
    const sh = 8 - inByte - k;
    const mask = ((1 << k) - 1) << sh;
    const at = base + byteIdx;
    u8[at] = (u8[at] & ~mask) | (_bitsOf(hi, lo, end - p - k, k) << sh);
    p += k;
  }
}

/** The last (_hi, _lo) read as a bigint, signed (two's complement over `bits`) or not. */
function _fieldBig(bits: number, signed: boolean): bigint {
  const u = (BigInt(_hi) << 32n) | BigInt(_lo);
  return signed ? BigInt.asIntN(bits, u) : u;
}

/** The last (_hi, _lo) read as a number; only for fields of at most 32 bits. */
function _fieldNum(bits: number, signed: boolean): number {
  const v = _lo;
  if (!signed || v < 2 ** (bits - 1)) return v;
  return v - 2 ** bits;
}

/** Overflow behaviours of BITFIELD INCRBY/SET (OVERFLOW WRAP|SAT|FAIL). */
export const BFOVERFLOW_WRAP = 0;
export const BFOVERFLOW_SAT = 1;
export const BFOVERFLOW_FAIL = 2;

/** Value to store after an overflow, set by the overflow checks below (WRAP and SAT). */
let _limitNum = 0;
let _limitBig = 0n;

/** a mod m in [0, m) for exact integers. */
function _mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/**
 * Overflow check for a field of at most 32 bits, with value and increment exact JS integers
 * (value is the old field for INCRBY, or the SET argument with incr 0). Returns 0, 1 (above the
 * range) or -1 (below); on overflow _limitNum is the value WRAP or SAT would store. For unsigned
 * fields a negative SET value counts as above the range, as it does for a uint64 cast.
 */
function _overflowNum(
  value: number,
  incr: number,
  bits: number,
  signed: boolean,
  ow: number,
): number {
  const span = 2 ** bits;
  let max: number;
  let min: number;
  let dir = 0;
  if (signed) {
    max = span / 2 - 1;
    min = -max - 1;
    if (value > max || incr > max - value) dir = 1;
    else if (value < min || incr < min - value) dir = -1;
  } else {
    max = span - 1;
    min = 0;
    if (value < 0 || value > max || (incr > 0 && incr > max - value)) dir = 1;
    else if (incr < 0 && incr < -value) dir = -1;
  }
  if (dir === 0) return 0;
  if (ow === BFOVERFLOW_WRAP) {
    let r = _mod(_mod(value, span) + _mod(incr, span), span);
    if (signed && r > max) r -= span;
    _limitNum = r;
  } else if (ow === BFOVERFLOW_SAT) {
    _limitNum = dir === 1 ? max : min;
  }
  return dir;
}

/**
 * Signed overflow check with exact int64 semantics (fields up to 64 bits): the same comparisons
 * as Redis's checkSignedBitfieldOverflow, including its int64 wrap-around of max - value.
 */
function _overflowSignedBig(value: bigint, incr: bigint, bits: number, ow: number): number {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  let dir = 0;
  if (
    value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)
  ) {
    dir = 1;
  } else if (
    value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)
  ) {
    dir = -1;
  }
  if (dir === 0) return 0;
  if (ow === BFOVERFLOW_WRAP) _limitBig = BigInt.asIntN(bits, value + incr);
  else if (ow === BFOVERFLOW_SAT) _limitBig = dir === 1 ? max : min;
  return dir;
}

/**
 * Unsigned overflow check with exact uint64 value and int64 increment (fields up to 63 bits),
 * as Redis's checkUnsignedBitfieldOverflow.
 */
function _overflowUnsignedBig(value: bigint, incr: bigint, bits: number, ow: number): number {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  let dir = 0;
  if (value > max || (incr > 0n && incr > maxincr)) dir = 1;
  else if (incr < 0n && incr < minincr) dir = -1;
  if (dir === 0) return 0;
  if (ow === BFOVERFLOW_WRAP) _limitBig = BigInt.asUintN(bits, value + incr);
  else if (ow === BFOVERFLOW_SAT) _limitBig = dir === 1 ? max : 0n;
  return dir;
}

// ---- argument helpers ----

/**
 * Parse a bit offset argument (SETBIT/GETBIT/BITFIELD). With `bits` > 0 the "#N" form means N *
 * bits (multiplied as int64, wrapping like C). Returns -1 after replying Redis's error. Offsets
 * addressing bytes at or past proto-max-bulk-len are refused, except from our master.
 */
function _bitOffset(c: Client, argv: Argv, i: number, bits: number): number {
  const b = argv.buf;
  let o = argv.off[i];
  let len = argv.len[i];
  const hash = bits > 0 && len > 0 && b[o] === 35; // '#'
  if (hash) {
    o++;
    len--;
  }
  let v = parseLL(b, o, len);
  if (Number.isNaN(v)) {
    c.error(BIT_OFFSET);
    return -1;
  }
  if (hash) {
    v *= bits;
    if (!Number.isSafeInteger(v)) {
      v = Number(BigInt.asIntN(64, parseLLBig(b, o, len)! * BigInt(bits)));
    }
  }
  if (v < 0 || (!(c.flags & CF_MASTER) && Math.floor(v / 8) >= c.server.protoMaxBulkLen)) {
    c.error(BIT_OFFSET);
    return -1;
  }
  return v;
}

/** True when long long argument i is greater than argument j (exact beyond 2^53). */
function _argGreater(argv: Argv, i: number, a: number, j: number, b: number): boolean {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return a > b;
  return parseLLBig(argv.buf, argv.off[i], argv.len[i])! >
    parseLLBig(argv.buf, argv.off[j], argv.len[j])!;
}

/** Zero bytes for creating small bitmaps in one allocation. */
const ZEROS = new Uint8Array(64);

/** Set by _stringForBits: the value was created or grown (Redis's "dirty" for bit writes). */
let _grew = false;

/**
 * lookupStringForBitCommand: the string at argv[1] made raw and at least `byteLen` bytes long
 * (created zero-filled when missing, grown with zeros when shorter). Returns the (possibly
 * moved) entry, or -1 after replying WRONGTYPE. Sets _grew.
 */
function _stringForBits(c: Client, argv: Argv, byteLen: number): number {
  const db = c.db;
  const m = c.server.heap;
  const kb = argv.buf;
  const ko = argv.off[1];
  const kl = argv.len[1];
  let e = writeTyped(c, argv, 1, OBJ_STRING);
  if (e < 0) return -1;
  if (e !== 0) {
    setObjEncoding(m, e, OBJ_ENCODING_RAW);
    _grew = strLen(m, e) < byteLen;
    if (_grew) e = db.resizeString(e, byteLen);
    return e;
  }
  if (byteLen <= ZEROS.length) {
    e = db.setString(kb, ko, kl, ZEROS, 0, byteLen, OBJ_ENCODING_RAW, false);
  } else {
    e = db.setString(kb, ko, kl, EMPTY, 0, 0, OBJ_ENCODING_RAW, false);
    e = db.resizeString(e, byteLen);
  }
  _grew = true; // the store sends the "new" event (dbAdd)
  return e;
}

// ---- Bitmap commands ----

// SETBIT key offset value
// HOT PATH: no allocation once the key exists and is long enough.
function setbitCommand(c: Client, argv: Argv): void {
  const offset = _bitOffset(c, argv, 2, 0);
  if (offset < 0) return;
  const on = parseLL(argv.buf, argv.off[3], argv.len[3]);
  if (on !== 0 && on !== 1) {
    c.error(BIT_VALUE);
    return;
  }
  const byte = Math.floor(offset / 8);
  const e = _stringForBits(c, argv, byte + 1);
  if (e < 0) return;
  const m = c.server.heap;
  const u8 = m.u8[e >>> OFF_BITS];
  const at = strOff(m, e) + byte;
  const mask = 1 << (7 - (offset - byte * 8));
  const old = u8[at] & mask;
  if (_grew || (old !== 0 ? 1 : 0) !== on) {
    u8[at] = on === 1 ? u8[at] | mask : u8[at] & ~mask;
    keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_STRING, "setbit", 1);
  }
  c.reply.int(old !== 0 ? 1 : 0);
}

// GETBIT key offset
// HOT PATH: no allocation.
function getbitCommand(c: Client, argv: Argv): void {
  const offset = _bitOffset(c, argv, 2, 0);
  if (offset < 0) return;
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const m = c.server.heap;
  const byte = Math.floor(offset / 8);
  let v = 0;
  if (byte < strLen(m, e)) {
    v = (m.u8[e >>> OFF_BITS][strOff(m, e) + byte] >>> (7 - (offset - byte * 8))) & 1;
  }
  c.reply.int(v);
}

// Inclusive bit range found by _bitRange.
let _rStart = 0;
let _rEnd = 0;

/**
 * The "start end [BYTE | BIT]" arguments of BITCOUNT (from argv[2]) and BITPOS (from argv[3],
 * end optional) for a value of `len` bytes: negative offsets count from the end, the range is
 * clipped, and left in _rStart/_rEnd as an inclusive bit range (empty when start > end).
 * Arguments are read in each command's own order, so the first error is the one Redis reports.
 * Returns false after replying an error, or BITCOUNT's 0 for two negative offsets out of order.
 */
function _bitRange(c: Client, argv: Argv, si: number, len: number, bitcount: boolean): boolean {
  let start = parseLL(argv.buf, argv.off[si], argv.len[si]);
  if (start !== start) {
    c.error(NOT_INTEGER);
    return false;
  }
  const hasEnd = argv.argc > si + 1;
  let end = 0;
  if (bitcount) {
    end = parseLL(argv.buf, argv.off[si + 1], argv.len[si + 1]);
    if (end !== end) {
      c.error(NOT_INTEGER);
      return false;
    }
    if (start < 0 && end < 0 && _argGreater(argv, si, start, si + 1, end)) {
      c.reply.int(0);
      return false;
    }
  }
  let isBit = false;
  if (argv.argc > si + 2) {
    if (argIs(argv, si + 2, "bit")) isBit = true;
    else if (!argIs(argv, si + 2, "byte")) {
      c.error(SYNTAX);
      return false;
    }
  }
  const total = isBit ? len * 8 : len;
  if (!bitcount) {
    if (hasEnd) {
      end = parseLL(argv.buf, argv.off[si + 1], argv.len[si + 1]);
      if (end !== end) {
        c.error(NOT_INTEGER);
        return false;
      }
    } else {
      end = total - 1;
    }
  }
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  _rStart = isBit ? start : start * 8;
  _rEnd = isBit ? end : end * 8 + 7;
  return true;
}

// BITCOUNT key [start end [BYTE | BIT]]
function bitcountCommand(c: Client, argv: Argv): void {
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e <= 0) {
    if (e === 0) c.reply.int(0);
    return;
  }
  const m = c.server.heap;
  const len = strLen(m, e);
  if (argv.argc === 4 || argv.argc === 5) {
    if (!_bitRange(c, argv, 2, len, true)) return;
  } else if (argv.argc === 2) {
    _rStart = 0;
    _rEnd = len * 8 - 1;
  } else {
    return c.error(SYNTAX);
  }
  if (_rStart > _rEnd) {
    c.reply.int(0);
    return;
  }
  const ci = e >>> OFF_BITS;
  c.reply.int(bitCountRange(m.u8[ci], m.u32[ci], strOff(m, e), _rStart, _rEnd));
}

// BITPOS key bit [start [end [BYTE | BIT]]]
function bitposCommand(c: Client, argv: Argv): void {
  const bit = parseLL(argv.buf, argv.off[2], argv.len[2]);
  if (Number.isNaN(bit)) return c.error(NOT_INTEGER);
  if (bit !== 0 && bit !== 1) return c.error("ERR The bit argument must be 1 or 0.");
  const e = readTyped(c, argv, 1, OBJ_STRING);
  if (e <= 0) {
    if (e === 0) c.reply.int(bit === 1 ? -1 : 0);
    return;
  }
  const m = c.server.heap;
  const len = strLen(m, e);
  const argc = argv.argc;
  if (argc >= 4 && argc <= 6) {
    if (!_bitRange(c, argv, 3, len, false)) return;
  } else if (argc === 3) {
    _rStart = 0;
    _rEnd = len * 8 - 1;
  } else {
    return c.error(SYNTAX);
  }
  const start = _rStart;
  const end = _rEnd;
  if (start > end) {
    c.reply.int(-1);
    return;
  }
  const ci = e >>> OFF_BITS;
  const pos = bitPosRange(m.u8[ci], m.u32[ci], strOff(m, e), start, end, bit);
  // Looking for a 0 with no explicit end, the string counts as zero-padded on the right.
  if (pos < 0 && bit === 0 && argc < 5) {
    c.reply.int(end + 1);
    return;
  }
  c.reply.int(pos);
}

const BITOP_AND = 0;
const BITOP_OR = 1;
const BITOP_XOR = 2;
const BITOP_NOT = 3;

/** Source entries of the BITOP in progress (reused). */
const _bitopSrc: number[] = [];
/** Result buffer reused by BITOP for results up to 1 MiB. */
let _bitopBuf = new Uint8Array(4096);
const BITOP_KEEP_MAX = 1024 * 1024;

/**
 * Compute op over the string values `src` (entry handles, 0 = missing key) into a buffer of
 * `maxlen` bytes; shorter values count as zero-padded. Returns the buffer (valid up to maxlen).
 */
function _bitopCompute(
  c: Client,
  op: number,
  src: number[],
  n: number,
  maxlen: number,
): Uint8Array {
  const m = c.server.heap;
  let res = _bitopBuf;
  if (res.length < maxlen) {
    res = new Uint8Array(maxlen);
    if (maxlen <= BITOP_KEEP_MAX) _bitopBuf = res;
  }
  const e0 = src[0];
  let len0 = 0;
  if (e0 !== 0) {
    len0 = strLen(m, e0);
    const o = strOff(m, e0);
    res.set(m.u8[e0 >>> OFF_BITS].subarray(o, o + len0), 0);
  }
  res.fill(0, len0, maxlen);
  if (op === BITOP_NOT) {
    for (let i = 0; i < maxlen; i++) res[i] = ~res[i];
    return res;
  }
  for (let j = 1; j < n; j++) {
    const e = src[j];
    let len = 0;
    let u8: Uint8Array = EMPTY;
    let o = 0;
    if (e !== 0) {
      len = strLen(m, e);
      u8 = m.u8[e >>> OFF_BITS];
      o = strOff(m, e);
    }
    if (op === BITOP_AND) {
      for (let i = 0; i < len; i++) res[i] &= u8[o + i];
      res.fill(0, len, maxlen);
    } else if (op === BITOP_OR) {
      for (let i = 0; i < len; i++) res[i] |= u8[o + i];
    } else {
      for (let i = 0; i < len; i++) res[i] ^= u8[o + i];
    }
  }
  return res;
}

// BITOP AND | OR | XOR | NOT destkey key [key ...]
function bitopCommand(c: Client, argv: Argv): void {
  let op: number;
  if (argIs(argv, 1, "and")) op = BITOP_AND;
  else if (argIs(argv, 1, "or")) op = BITOP_OR;
  else if (argIs(argv, 1, "xor")) op = BITOP_XOR;
  else if (argIs(argv, 1, "not")) op = BITOP_NOT;
  else return c.error(SYNTAX);
  if (op === BITOP_NOT && argv.argc !== 4) {
    return c.error("ERR BITOP NOT must be called with a single source key.");
  }
  const n = argv.argc - 3;
  const m = c.server.heap;
  const src = _bitopSrc;
  src.length = 0;
  let maxlen = 0;
  for (let j = 0; j < n; j++) {
    const e = readTyped(c, argv, j + 3, OBJ_STRING);
    if (e < 0) return;
    if (e !== 0) {
      const l = strLen(m, e);
      if (l > maxlen) maxlen = l;
    }
    src.push(e);
  }
  const db = c.db;
  const kb = argv.buf;
  const ko = argv.off[2];
  const kl = argv.len[2];
  if (maxlen > 0) {
    const res = _bitopCompute(c, op, src, n, maxlen);
    src.length = 0;
    db.setString(kb, ko, kl, res, 0, maxlen, OBJ_ENCODING_RAW, false);
    keyModified(c, kb, ko, kl, NOTIFY_STRING, "set", 1);
  } else {
    src.length = 0;
    if (db.delete(kb, ko, kl, db.store.lazyServerDel)) {
      keyModified(c, kb, ko, kl, NOTIFY_GENERIC, "del", 1);
    }
  }
  c.reply.int(maxlen);
}

const BITFIELDOP_GET = 0;
const BITFIELDOP_SET = 1;
const BITFIELDOP_INCRBY = 2;

// Parsed BITFIELD operations (reused): bit offset, and packed op | sign | bits | overflow plus
// the argument index of the SET/INCRBY value.
let _bfOffset = new Float64Array(16);
let _bfMeta = new Int32Array(16);
let _bfArg = new Int32Array(16);

function _bfReserve(n: number): void {
  if (_bfOffset.length >= n) return;
  const cap = Math.max(n, _bfOffset.length * 2);
  const o = new Float64Array(cap);
  o.set(_bfOffset);
  _bfOffset = o;
  const mt = new Int32Array(cap);
  mt.set(_bfMeta);
  _bfMeta = mt;
  const a = new Int32Array(cap);
  a.set(_bfArg);
  _bfArg = a;
}

const BITFIELD_TYPE_ERR =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

/**
 * Parse a bitfield type ("i1".."i64", "u1".."u63"); the digits end at the first NUL as in C.
 * Returns bits, negated for signed types, or 0 after replying the error.
 */
function _bitfieldType(c: Client, argv: Argv, i: number): number {
  const b = argv.buf;
  const o = argv.off[i];
  const len = argv.len[i];
  const t = len > 0 ? b[o] : 0;
  if (t !== 105 && t !== 117) { // 'i' | 'u'
    c.error(BITFIELD_TYPE_ERR);
    return 0;
  }
  let n = 1;
  while (n < len && b[o + n] !== 0) n++;
  const bits = parseLL(b, o + 1, n - 1);
  if (Number.isNaN(bits) || bits < 1 || (t === 105 && bits > 64) || (t === 117 && bits > 63)) {
    c.error(BITFIELD_TYPE_ERR);
    return 0;
  }
  return t === 105 ? -bits : bits;
}

/** Run one SET/INCRBY on a field of the (already long enough) value. Returns 1 if it changed. */
function _bitfieldWrite(
  c: Client,
  argv: Argv,
  u8: Uint8Array,
  base: number,
  offset: number,
  bits: number,
  signed: boolean,
  opcode: number,
  ow: number,
  vi: number,
  dirty: boolean,
): number {
  const vnum = parseLL(argv.buf, argv.off[vi], argv.len[vi]);
  _readField(u8, base, 0x7fffffff, offset, bits);
  if (bits <= 32 && Number.isSafeInteger(vnum)) {
    const oldval = _fieldNum(bits, signed);
    let newval: number;
    let ovf: number;
    if (opcode === BITFIELDOP_INCRBY) {
      ovf = _overflowNum(oldval, vnum, bits, signed, ow);
      newval = ovf !== 0 ? _limitNum : oldval + vnum;
    } else {
      ovf = _overflowNum(vnum, 0, bits, signed, ow);
      newval = ovf !== 0 ? _limitNum : vnum;
    }
    if (ovf !== 0 && ow === BFOVERFLOW_FAIL) {
      c.reply.nullBulk();
      return 0;
    }
    c.reply.int(opcode === BITFIELDOP_INCRBY ? newval : oldval);
    const u = newval < 0 ? newval + 2 ** bits : newval;
    _writeField(u8, base, offset, bits, 0, u >>> 0);
    return dirty || oldval !== newval ? 1 : 0;
  }
  const v = parseLLBig(argv.buf, argv.off[vi], argv.len[vi])!;
  const oldval = _fieldBig(bits, signed);
  let newval: bigint;
  let ovf: number;
  if (signed) {
    if (opcode === BITFIELDOP_INCRBY) {
      ovf = _overflowSignedBig(oldval, v, bits, ow);
      newval = ovf !== 0 ? _limitBig : oldval + v;
    } else {
      ovf = _overflowSignedBig(v, 0n, bits, ow);
      newval = ovf !== 0 ? _limitBig : v;
    }
  } else {
    if (opcode === BITFIELDOP_INCRBY) {
      ovf = _overflowUnsignedBig(oldval, v, bits, ow);
      newval = ovf !== 0 ? _limitBig : oldval + v;
    } else {
      const uv = BigInt.asUintN(64, v);
      ovf = _overflowUnsignedBig(uv, 0n, bits, ow);
      newval = ovf !== 0 ? _limitBig : uv;
    }
  }
  if (ovf !== 0 && ow === BFOVERFLOW_FAIL) {
    c.reply.nullBulk();
    return 0;
  }
  const ret = opcode === BITFIELDOP_INCRBY ? newval : oldval;
  c.reply.int(Number.isSafeInteger(Number(ret)) ? Number(ret) : ret);
  const u = BigInt.asUintN(64, newval);
  _writeField(u8, base, offset, bits, Number(u >> 32n), Number(u & 0xffffffffn));
  return dirty || oldval !== newval ? 1 : 0;
}

/**
 * BITFIELD / BITFIELD_RO: every operation is parsed (and any argument error replied) before
 * the key is touched; then the key is looked up once (created or grown to the farthest written
 * bit) and the operations run in order.
 */
function bitfieldGeneric(c: Client, argv: Argv, readonlyCmd: boolean): void {
  const argc = argv.argc;
  let ow = BFOVERFLOW_WRAP;
  let nops = 0;
  let writes = false;
  let highest = 0;
  for (let j = 2; j < argc; j++) {
    const rem = argc - j - 1;
    let opcode: number;
    if (argIs(argv, j, "get") && rem >= 2) opcode = BITFIELDOP_GET;
    else if (argIs(argv, j, "set") && rem >= 3) opcode = BITFIELDOP_SET;
    else if (argIs(argv, j, "incrby") && rem >= 3) opcode = BITFIELDOP_INCRBY;
    else if (argIs(argv, j, "overflow") && rem >= 1) {
      j++;
      if (argIs(argv, j, "wrap")) ow = BFOVERFLOW_WRAP;
      else if (argIs(argv, j, "sat")) ow = BFOVERFLOW_SAT;
      else if (argIs(argv, j, "fail")) ow = BFOVERFLOW_FAIL;
      else return c.error("ERR Invalid OVERFLOW type specified");
      continue;
    } else {
      return c.error(SYNTAX);
    }
    const t = _bitfieldType(c, argv, j + 1);
    if (t === 0) return;
    const bits = t < 0 ? -t : t;
    const offset = _bitOffset(c, argv, j + 2, bits);
    if (offset < 0) return;
    if (opcode !== BITFIELDOP_GET) {
      writes = true;
      if (offset + bits - 1 > highest) highest = offset + bits - 1;
      if (Number.isNaN(parseLL(argv.buf, argv.off[j + 3], argv.len[j + 3]))) {
        return c.error(NOT_INTEGER);
      }
    }
    _bfReserve(nops + 1);
    _bfOffset[nops] = offset;
    _bfMeta[nops] = opcode | (t < 0 ? 4 : 0) | (ow << 3) | (bits << 8);
    _bfArg[nops] = j + 3;
    nops++;
    j += opcode === BITFIELDOP_GET ? 2 : 3;
  }

  let e: number;
  let dirty = false;
  if (!writes) {
    e = readTyped(c, argv, 1, OBJ_STRING);
    if (e < 0) return;
  } else {
    if (readonlyCmd) return c.error("ERR BITFIELD_RO only supports the GET subcommand");
    e = _stringForBits(c, argv, Math.floor(highest / 8) + 1);
    if (e < 0) return;
    dirty = _grew;
  }

  const m = c.server.heap;
  const u8 = e !== 0 ? m.u8[e >>> OFF_BITS] : EMPTY;
  const base = e !== 0 ? strOff(m, e) : 0;
  const len = e !== 0 ? strLen(m, e) : 0;
  let changes = 0;
  c.reply.arrayLen(nops);
  for (let k = 0; k < nops; k++) {
    const meta = _bfMeta[k];
    const opcode = meta & 3;
    const signed = (meta & 4) !== 0;
    const bits = meta >>> 8;
    const offset = _bfOffset[k];
    if (opcode === BITFIELDOP_GET) {
      _readField(u8, base, len, offset, bits);
      if (bits <= 32) c.reply.int(_fieldNum(bits, signed));
      else {
        const v = _fieldBig(bits, signed);
        c.reply.int(Number.isSafeInteger(Number(v)) ? Number(v) : v);
      }
    } else {
      changes += _bitfieldWrite(
        c,
        argv,
        u8,
        base,
        offset,
        bits,
        signed,
        opcode,
        (meta >>> 3) & 3,
        _bfArg[k],
        dirty,
      );
    }
  }
  if (changes > 0) {
    keyModified(c, argv.buf, argv.off[1], argv.len[1], NOTIFY_STRING, "setbit", changes);
  }
}

/**
 * True when a BITFIELD call only reads (what COMMAND GETKEYSANDFLAGS reports, as Redis's
 * bitfieldGetKeys decides it: the scan stops at the first write or malformed operation).
 */
function _bitfieldReadOnly(argv: Argv): boolean {
  const argc = argv.argc;
  for (let i = 2; i < argc; i++) {
    const rem = argc - i - 1;
    if (argIs(argv, i, "get") && rem >= 2) i += 2;
    else if (argIs(argv, i, "overflow") && rem >= 1) i += 1;
    else return false;
  }
  return true;
}

// BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL]
//   SET encoding offset value | INCRBY encoding offset increment ...]
function bitfieldCommand(c: Client, argv: Argv): void {
  bitfieldGeneric(c, argv, false);
}

// BITFIELD_RO key [GET encoding offset ...]
function bitfieldRoCommand(c: Client, argv: Argv): void {
  bitfieldGeneric(c, argv, true);
}

export const bitmapCommands = defineCommands("bitmap", [
  {
    name: "setbit",
    arity: 4,
    flags: WRITE | DENYOOM,
    handler: setbitCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    summary: "Sets or clears one bit of a string value and returns the bit's previous value",
    since: "2.2.0",
    complexity: "O(1)",
    syntax: "key offset:integer value:integer",
  },
  {
    name: "getbit",
    arity: 3,
    flags: READONLY | FAST,
    handler: getbitCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    summary: "Returns one bit of a string value; bits past the end read as zero",
    since: "2.2.0",
    complexity: "O(1)",
    syntax: "key offset:integer",
  },
  {
    name: "bitcount",
    arity: -2,
    flags: READONLY,
    handler: bitcountCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    summary: "Counts the set bits of a string value, optionally within a byte or bit range",
    since: "2.6.0",
    complexity: "O(N)",
    syntax: "key [index=[start:integer end:integer [index_unit=[BYTE|BIT]]]]",
  },
  {
    name: "bitpos",
    arity: -3,
    flags: READONLY,
    handler: bitposCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    summary:
      "Finds the offset of the first set or clear bit of a string value, optionally within a range",
    since: "2.8.7",
    complexity: "O(N)",
    syntax:
      "key bit:integer [index=[start:integer [end_index=[end:integer [index_unit=[BYTE|BIT]]]]]]",
  },
  {
    name: "bitop",
    arity: -4,
    flags: WRITE | DENYOOM,
    handler: bitopCommand,
    keys: { first: 2, last: -1, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], bs: { index: 2 }, fk: { lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ["RO", "access"], bs: { index: 3 }, fk: { lastkey: -1, keystep: 1, limit: 0 } },
    ],
    summary: "Combines string values bit by bit (AND, OR, XOR, NOT) and stores the result in a key",
    since: "2.6.0",
    complexity: "O(N)",
    syntax: "operation destkey:key key:key ...",
  },
  {
    name: "bitfield",
    arity: -2,
    flags: WRITE | DENYOOM,
    handler: bitfieldCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "update", "access", "variable_flags"],
    keySpecs: [{
      notes: "This command allows both access and modification of the key",
      flags: ["RW", "update", "access", "variable_flags"],
      bs: { index: 1 },
      fk: { lastkey: 0, keystep: 1, limit: 0 },
    }],
    keyFlagsAt: (argv) => _bitfieldReadOnly(argv) ? ["RO", "access"] : ["RW", "access", "update"],
    summary:
      "Reads, writes and increments integers of any width from 1 to 64 bits stored at bit offsets of a string",
    since: "3.2.0",
    complexity: "O(1) for each subcommand specified",
    syntax:
      "key [operation=(encoding_offset= GET (encoding offset:integer) | write=([wrap_sat_fail= OVERFLOW (WRAP|SAT|FAIL)] write_operation=(encoding_offset_value= SET (encoding offset:integer value:integer) | encoding_offset_increment= INCRBY (encoding offset:integer increment:integer)))) ...]",
  },
  {
    name: "bitfield_ro",
    arity: -2,
    flags: READONLY | FAST,
    handler: bitfieldRoCommand,
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    summary: "Reads integers stored at bit offsets of a string; the read-only form of BITFIELD",
    since: "6.0.0",
    complexity: "O(1) for each subcommand specified",
    syntax: "key [encoding_offset= GET (encoding offset:integer) ...]",
  },
]);
