// Reply writer: a growable byte buffer per client that knows RESP2 vs RESP3, so command code never
// branches on the protocol version. Constant replies are pre-encoded. Depends on bytes/format only.
//
// HOT PATH: no allocation in ok/int/bulk/nullBulk/arrayLen for the common cases.

import { fromLatin1, intLength, utf8, writeInt } from "./bytes.ts";
import { fmt17g } from "./format.ts";

const enc = (s: string) => fromLatin1(s);

export const R_OK = enc("+OK\r\n");
export const R_PONG = enc("+PONG\r\n");
export const R_QUEUED = enc("+QUEUED\r\n");
export const R_ZERO = enc(":0\r\n");
export const R_ONE = enc(":1\r\n");
export const R_NEG1 = enc(":-1\r\n");
export const R_NEG2 = enc(":-2\r\n");
export const R_EMPTY_BULK = enc("$0\r\n\r\n");
export const R_EMPTY_ARRAY = enc("*0\r\n");
/** A finished scan with nothing in it (SCAN/HSCAN/SSCAN/ZSCAN of a missing key): ["0", []]. */
export const R_EMPTY_SCAN = enc("*2\r\n$1\r\n0\r\n*0\r\n");
const R2_NULL_BULK = enc("$-1\r\n");
const R2_NULL_ARRAY = enc("*-1\r\n");
const R3_NULL = enc("_\r\n");
const R3_TRUE = enc("#t\r\n");
const R3_FALSE = enc("#f\r\n");
const CRLF = enc("\r\n");

const SHRINK_ABOVE = 64 * 1024;
const INITIAL = 1024;

export class Reply {
  buf: Uint8Array = new Uint8Array(INITIAL);
  len = 0;
  /** Protocol version negotiated by HELLO: 2 or 3. */
  resp = 2;

  /** Make room for n more bytes. */
  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  /** Largest content flushed since the last resize check. */
  private peak = 0;
  private lastResize = 0;

  /** Drop the content (after a flush); the buffer is kept for the next replies. */
  reset(): void {
    if (this.len > this.peak) this.peak = this.len;
    this.len = 0;
  }

  /**
   * Cron: every 5 s, give memory back when a big reply grew the buffer and recent replies use
   * less than half of it (not on each flush: a client fetching big values would reallocate the
   * buffer on every event).
   */
  cronResize(now: number): void {
    if (now - this.lastResize < 5000) return;
    this.lastResize = now;
    if (this.len === 0 && this.buf.length > SHRINK_ABOVE && this.peak < this.buf.length / 2) {
      let cap = INITIAL;
      while (cap < this.peak) cap *= 2;
      this.buf = new Uint8Array(cap);
    }
    this.peak = 0;
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  private _byte(c: number): void {
    this.buf[this.len++] = c;
  }

  private _crlf(): void {
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  private _ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /** `<prefix><int>\r\n` */
  private _header(prefix: number, n: number): void {
    this.ensure(24);
    this.buf[this.len++] = prefix;
    this.len = writeInt(this.buf, this.len, n);
    this._crlf();
  }

  ok(): void {
    this.raw(R_OK);
  }

  /** +text\r\n (text must not contain CR/LF). */
  simple(s: string): void {
    this.ensure(s.length + 3);
    this._byte(43);
    this._ascii(s);
    this._crlf();
  }

  /** -text\r\n. `text` includes the code (ERR, WRONGTYPE, ...); CR/LF become spaces as in Redis. */
  error(s: string): void {
    this.ensure(s.length + 3);
    this._byte(45);
    const n = s.length;
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      b[p++] = c === 13 || c === 10 ? 32 : c;
    }
    this.len = p;
    this._crlf();
  }

  /** :n\r\n for a safe integer or a bigint. */
  int(n: number | bigint): void {
    if (typeof n === "bigint") {
      this.simpleRaw(58, n.toString());
      return;
    }
    if (n === 0) return this.raw(R_ZERO);
    if (n === 1) return this.raw(R_ONE);
    this._header(58, n);
  }

  /** :<digits>\r\n from decimal digits already formatted by the caller. */
  intDigits(digits: Uint8Array, len: number): void {
    this.ensure(len + 3);
    const b = this.buf;
    let p = this.len;
    b[p++] = 58;
    for (let i = 0; i < len; i++) b[p++] = digits[i];
    b[p++] = 13;
    b[p++] = 10;
    this.len = p;
  }

  private simpleRaw(prefix: number, s: string): void {
    this.ensure(s.length + 3);
    this._byte(prefix);
    this._ascii(s);
    this._crlf();
  }

  /** Bulk string from a byte range. HOT PATH: no allocation, one pass over the bytes. */
  bulk(src: Uint8Array, off = 0, len = src.length - off): void {
    this.ensure(len + 16);
    const b = this.buf;
    let p = this.len;
    b[p++] = 36;
    if (len < 10) b[p++] = 48 + len;
    else p = writeInt(b, p, len);
    b[p++] = 13;
    b[p++] = 10;
    if (len <= 48) {
      for (let i = 0; i < len; i++) b[p + i] = src[off + i];
    } else {
      b.set(len === src.length && off === 0 ? src : src.subarray(off, off + len), p);
    }
    p += len;
    b[p++] = 13;
    b[p++] = 10;
    this.len = p;
  }

  /** Bulk string from a latin1 JS string. */
  bulkStr(s: string): void {
    const n = s.length;
    this.ensure(n + 16);
    this._byte(36);
    this.len = writeInt(this.buf, this.len, n);
    this._crlf();
    this._ascii(s);
    this._crlf();
  }

  /** Bulk string of the decimal digits of a safe integer. HOT PATH: 0..999 written directly. */
  bulkInt(v: number): void {
    this.ensure(32);
    const b = this.buf;
    let p = this.len;
    b[p++] = 36;
    if (v >= 0 && v < 1000) {
      const n = v < 10 ? 1 : v < 100 ? 2 : 3;
      b[p++] = 48 + n;
      b[p++] = 13;
      b[p++] = 10;
      if (n === 3) b[p++] = 48 + ((v / 100) | 0);
      if (n >= 2) b[p++] = 48 + (((v / 10) | 0) % 10);
      b[p++] = 48 + (v % 10);
    } else {
      p = writeInt(b, p, intLength(v));
      b[p++] = 13;
      b[p++] = 10;
      p = writeInt(b, p, v);
    }
    b[p++] = 13;
    b[p++] = 10;
    this.len = p;
  }

  /** Bulk string of UTF-8 text (INFO, HELP lines). */
  bulkText(s: string): void {
    const b = utf8(s);
    this.bulk(b, 0, b.length);
  }

  /** Verbatim string (RESP3 `=`), a plain bulk string in RESP2. */
  verbatim(s: string, format = "txt"): void {
    if (this.resp === 2) return this.bulkText(s);
    const b = utf8(s);
    this._header(61, b.length + 4);
    this._ascii(format + ":");
    this.raw(b);
    this.raw(CRLF);
  }

  nullBulk(): void {
    this.raw(this.resp === 2 ? R2_NULL_BULK : R3_NULL);
  }

  nullArray(): void {
    this.raw(this.resp === 2 ? R2_NULL_ARRAY : R3_NULL);
  }

  arrayLen(n: number): void {
    if (n === 0) return this.raw(R_EMPTY_ARRAY);
    this._header(42, n);
  }

  /** Map of n pairs: %n in RESP3, a flat array of 2n in RESP2. */
  mapLen(n: number): void {
    if (this.resp === 2) this._header(42, n * 2);
    else this._header(37, n);
  }

  /** Set: ~n in RESP3, an array in RESP2. */
  setLen(n: number): void {
    if (this.resp === 2) this._header(42, n);
    else this._header(126, n);
  }

  /** Push: >n in RESP3, an array in RESP2. */
  pushLen(n: number): void {
    if (this.resp === 2) this._header(42, n);
    else this._header(62, n);
  }

  /** Attribute header (RESP3 only; callers skip attributes in RESP2). */
  attributeLen(n: number): void {
    this._header(124, n);
  }

  /** Double as addReplyDouble writes it: "%.17g", `,d` in RESP3, a bulk string in RESP2. */
  double(d: number): void {
    const s = fmt17g(d);
    if (this.resp === 2) this.bulkStr(s);
    else this.simpleRaw(44, s);
  }

  /** Double already formatted by the caller (human long double and the like). */
  doubleStr(s: string): void {
    if (this.resp === 2) this.bulkStr(s);
    else this.simpleRaw(44, s);
  }

  bool(v: boolean): void {
    if (this.resp === 2) this.raw(v ? R_ONE : R_ZERO);
    else this.raw(v ? R3_TRUE : R3_FALSE);
  }

  bigNumber(s: string): void {
    if (this.resp === 2) this.bulkStr(s);
    else this.simpleRaw(40, s);
  }

  /** Array of latin1 strings as bulk strings. */
  strArray(items: readonly string[]): void {
    this.arrayLen(items.length);
    for (const s of items) this.bulkStr(s);
  }

  // ---- deferred lengths (addReplyDeferredLen) ----

  /** Reserve a spot for an aggregate header whose count is not yet known. */
  deferLen(): number {
    return this.len;
  }

  /** Insert the header for a deferred aggregate. kind: "*" array, "%" map (pairs), "~" set. */
  setDeferredLen(at: number, n: number, kind: "*" | "%" | "~" = "*"): void {
    let prefix = 42;
    let count = n;
    if (kind === "%") {
      if (this.resp === 2) count = n * 2;
      else prefix = 37;
    } else if (kind === "~" && this.resp === 3) prefix = 126;
    const hlen = 1 + intLength(count) + 2;
    this.ensure(hlen);
    const b = this.buf;
    b.copyWithin(at + hlen, at, this.len);
    let p = at;
    b[p++] = prefix;
    p = writeInt(b, p, count);
    b[p++] = 13;
    b[p++] = 10;
    this.len += hlen;
  }
}
