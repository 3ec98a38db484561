// Request parser: RESP multibulk and inline commands, resumable across reads. Arguments are
// (offset, length) views into the buffer they arrived in; nothing is copied or decoded on the
// multibulk path. Depends on bytes.ts only. Error texts are Redis 7.0's.

import { EMPTY, eqLower, fromLatin1, parseLL, toLatin1 } from "./bytes.ts";

/** Limits from Redis's networking.c. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
export const PROTO_MBULK_BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;

/** A command's arguments: views into `buf`. Valid until the next parse on the same buffer. */
export class Argv {
  buf: Uint8Array = EMPTY;
  off: Int32Array = new Int32Array(8);
  len: Int32Array = new Int32Array(8);
  argc = 0;

  push(off: number, len: number): void {
    if (this.argc === this.off.length) {
      const no = new Int32Array(this.off.length * 2);
      no.set(this.off);
      this.off = no;
      const nl = new Int32Array(this.len.length * 2);
      nl.set(this.len);
      this.len = nl;
    }
    this.off[this.argc] = off;
    this.len[this.argc] = len;
    this.argc++;
  }

  /** View of argument i (allocates a small view object). */
  bytes(i: number): Uint8Array {
    const o = this.off[i];
    return this.buf.subarray(o, o + this.len[i]);
  }

  /** Copy of argument i that survives the read buffer. */
  copy(i: number): Uint8Array {
    const o = this.off[i];
    return this.buf.slice(o, o + this.len[i]);
  }

  /** Argument i as a latin1 string. */
  str(i: number): string {
    return toLatin1(this.buf, this.off[i], this.len[i]);
  }

  /** Argument i lower-cased (ASCII), as a latin1 string. */
  lower(i: number): string {
    return this.str(i).toLowerCase();
  }

  /** Case-insensitive compare of argument i with a lowercase ASCII literal (pre-encoded). */
  is(i: number, lit: Uint8Array): boolean {
    return eqLower(this.buf, this.off[i], this.len[i], lit);
  }

  /** string2ll of argument i; NaN when not an integer. */
  int(i: number): number {
    return parseLL(this.buf, this.off[i], this.len[i]);
  }

  /** A self-contained copy (own buffer), for MULTI queues and replication. */
  clone(from = 0): Argv {
    const a = new Argv();
    let total = 0;
    for (let i = from; i < this.argc; i++) total += this.len[i];
    const nb = new Uint8Array(total);
    let p = 0;
    for (let i = from; i < this.argc; i++) {
      const o = this.off[i];
      const l = this.len[i];
      nb.set(this.buf.subarray(o, o + l), p);
      a.push(p, l);
      p += l;
    }
    a.buf = nb;
    return a;
  }

  /** Build an Argv from byte strings (used for internally generated commands). */
  static of(parts: readonly (Uint8Array | string)[]): Argv {
    const bs = parts.map((p) => typeof p === "string" ? fromLatin1(p) : p);
    const a = new Argv();
    let total = 0;
    for (const b of bs) total += b.length;
    const nb = new Uint8Array(total);
    let pos = 0;
    for (const b of bs) {
      nb.set(b, pos);
      a.push(pos, b.length);
      pos += b.length;
    }
    a.buf = nb;
    return a;
  }
}


export const PARSE_INCOMPLETE = -1;
export const PARSE_ERROR = -2;

/**
 * Parses one command at a time from a buffer. State survives between calls so a command split
 * across reads resumes where it stopped (the caller keeps unparsed bytes contiguous and calls
 * `rebase` when it moves them).
 */
export class RequestParser {
  readonly argv = new Argv();
  /** Protocol error text (without "ERR "), set when parse returns PARSE_ERROR. */
  error = "";
  /** Inline commands only: true when the request was an inline (telnet-style) one. */
  inline = false;
  /** Multibulk arguments still expected for the current command; 0 = between commands. */
  private mbulk = 0;
  /** Length of the bulk being read, or -1 when its $ header is not read yet. */
  private bulkLen = -1;
  /** Where the next unparsed byte of the current command is. */
  private pos = 0;
  /** Start of the current command in the buffer. */
  private start = 0;
  private inlineBuf: Uint8Array = new Uint8Array(256);
  /** Set by the owner: multibulk caps for clients that did not authenticate. */
  authRequired = false;
  maxBulkLen = 512 * 1024 * 1024;

  /** True when a command is partly parsed (bytes from `start` must be kept). */
  get midCommand(): boolean {
    return this.mbulk > 0;
  }

  /** Where the command being parsed starts (for keeping its bytes across reads). */
  get commandStart(): number {
    return this.start;
  }

  /** Size the next bulk argument needs in the buffer, if a big one is being read (else 0). */
  get pendingBulk(): number {
    return this.mbulk > 0 && this.bulkLen >= PROTO_MBULK_BIG_ARG ? this.bulkLen + 2 : 0;
  }

  /** The buffer contents moved: bytes at `from` now live at 0 of `buf`. */
  rebase(buf: Uint8Array, from: number): void {
    this.argv.buf = buf;
    this.pos -= from;
    this.start -= from;
    for (let i = 0; i < this.argv.argc; i++) this.argv.off[i] -= from;
  }

  /** Forget any partial command (connection reset). */
  reset(): void {
    this.mbulk = 0;
    this.bulkLen = -1;
    this.argv.argc = 0;
  }

  /**
   * Parse the next command from buf[pos..end). Returns the position after it (argv filled; argc
   * may be 0 for an empty request), PARSE_INCOMPLETE (need more bytes; resume with the same
   * buffer contents from `commandStart`), or PARSE_ERROR (`error` set; close after reply).
   */
  parse(buf: Uint8Array, pos: number, end: number): number {
    const argv = this.argv;
    if (this.mbulk === 0) {
      argv.buf = buf;
      argv.argc = 0;
      this.start = pos;
      this.inline = false;
      if (buf[pos] !== 42) return this._inline(buf, pos, end);
      // *<count>\r\n
      const cr = _indexOfCR(buf, pos + 1, end);
      if (cr < 0) {
        if (end - pos > PROTO_INLINE_MAX_SIZE) return this._fail("too big mbulk count string");
        return PARSE_INCOMPLETE;
      }
      if (cr + 1 >= end) return PARSE_INCOMPLETE; // need the \n too
      const n = parseLL(buf, pos + 1, cr - pos - 1);
      if (Number.isNaN(n) || n > INT_MAX) return this._fail("invalid multibulk length");
      if (n > 10 && this.authRequired) {
        return this._fail("unauthenticated multibulk length");
      }
      pos = cr + 2;
      if (n <= 0) return pos; // empty command
      this.mbulk = n;
      this.bulkLen = -1;
      this.pos = pos;
    } else {
      argv.buf = buf;
      pos = this.pos;
    }
    while (this.mbulk > 0) {
      if (this.bulkLen < 0) {
        if (pos >= end) break;
        const cr = _indexOfCR(buf, pos, end);
        if (cr < 0) {
          if (end - pos > PROTO_INLINE_MAX_SIZE) return this._fail("too big bulk count string");
          break;
        }
        if (cr + 1 >= end) break;
        if (buf[pos] !== 36) {
          return this._fail(`expected '$', got '${String.fromCharCode(buf[pos])}'`);
        }
        const n = parseLL(buf, pos + 1, cr - pos - 1);
        if (Number.isNaN(n) || n < 0 || n > this.maxBulkLen) {
          return this._fail("invalid bulk length");
        }
        if (n > 16384 && this.authRequired) return this._fail("unauthenticated bulk length");
        pos = cr + 2;
        this.bulkLen = n;
      }
      // Redis skips the two bytes after the payload without checking them.
      if (end - pos < this.bulkLen + 2) break;
      argv.push(pos, this.bulkLen);
      pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.mbulk--;
    }
    this.pos = pos;
    if (this.mbulk > 0) return PARSE_INCOMPLETE;
    return pos;
  }

  private _fail(msg: string): number {
    this.error = `Protocol error: ${msg}`;
    this.mbulk = 0;
    this.bulkLen = -1;
    return PARSE_ERROR;
  }

  /** Inline command: one line, split like sdssplitargs (quotes and escapes). */
  private _inline(buf: Uint8Array, pos: number, end: number): number {
    let nl = -1;
    for (let i = pos; i < end; i++) {
      if (buf[i] === 10) {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      if (end - pos > PROTO_INLINE_MAX_SIZE) return this._fail("too big inline request");
      return PARSE_INCOMPLETE;
    }
    let lineEnd = nl;
    if (lineEnd > pos && buf[lineEnd - 1] === 13) lineEnd--;
    this.inline = true;
    if (!this._splitArgs(buf, pos, lineEnd)) {
      this.argv.argc = 0;
      return this._fail("unbalanced quotes in request");
    }
    return nl + 1;
  }

  /** sdssplitargs into inlineBuf; false on unbalanced quotes. */
  private _splitArgs(src: Uint8Array, p: number, end: number): boolean {
    const argv = this.argv;
    const nul = src.indexOf(0, p); // the line is a C string: it ends at the first NUL
    if (nul >= 0 && nul < end) end = nul;
    if (this.inlineBuf.length < end - p) this.inlineBuf = new Uint8Array((end - p) * 2);
    const out = this.inlineBuf;
    argv.buf = out;
    let w = 0;
    for (;;) {
      while (p < end && _isSpace(src[p])) p++;
      if (p >= end) return true;
      const argStart = w;
      let inq = false; // double quotes
      let insq = false; // single quotes
      let done = false;
      while (!done) {
        if (inq) {
          if (p >= end) return false;
          const c = src[p];
          if (c === 92 && p + 3 < end && src[p + 1] === 120 && _isHex(src[p + 2]) && _isHex(src[p + 3])) {
            out[w++] = _hexVal(src[p + 2]) * 16 + _hexVal(src[p + 3]);
            p += 3;
          } else if (c === 92 && p + 1 < end) {
            p++;
            const e = src[p];
            out[w++] = e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : e === 98 ? 8 : e === 97 ? 7 : e;
          } else if (c === 34) {
            // closing quote must be followed by a space or nothing
            if (p + 1 < end && !_isSpace(src[p + 1])) return false;
            done = true;
          } else {
            out[w++] = c;
          }
        } else if (insq) {
          if (p >= end) return false;
          const c = src[p];
          if (c === 92 && p + 1 < end && src[p + 1] === 39) {
            p++;
            out[w++] = 39;
          } else if (c === 39) {
            if (p + 1 < end && !_isSpace(src[p + 1])) return false;
            done = true;
          } else {
            out[w++] = c;
          }
        } else {
          if (p >= end) {
            done = true;
            break;
          }
          const c = src[p];
          if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
            done = true;
          } else if (c === 34) {
            inq = true;
          } else if (c === 39) {
            insq = true;
          } else {
            out[w++] = c;
          }
        }
        if (p < end) p++;
      }
      argv.push(argStart, w - argStart);
    }
  }
}

/** strchr(p, '\r') on a NUL-terminated buffer: a NUL before the CR hides it. */
function _indexOfCR(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = b[i];
    if (c === 13) return i;
    if (c === 0) return -1;
  }
  return -1;
}

function _isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function _isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function _hexVal(c: number): number {
  if (c <= 57) return c - 48;
  if (c >= 97) return c - 87;
  return c - 55;
}
