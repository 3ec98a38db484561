// Argument helpers shared by the sorted-set commands: case-insensitive option words, Redis's
// getLong/getRangeLong/getPositiveLong error rules, atoi (key extraction), and the empty-key
// deletion every write command ends with. No allocation on the common paths.

import { parseLL, parseLLBig } from "../../protocol/bytes.ts";
import { NOT_INTEGER } from "../../protocol/errors.ts";
import type { Argv } from "../../protocol/resp_parser.ts";
import type { Client } from "../../server/client.ts";
import { NOTIFY_GENERIC } from "../../config.ts";

/** Argument i equals the lowercase ASCII word `lit`, ignoring case. */
export function argIs(argv: Argv, i: number, lit: string): boolean {
  const len = argv.len[i];
  if (len !== lit.length) return false;
  const b = argv.buf;
  const o = argv.off[i];
  for (let k = 0; k < len; k++) {
    let ch = b[o + k];
    if (ch >= 65 && ch <= 90) ch |= 0x20;
    if (ch !== lit.charCodeAt(k)) return false;
  }
  return true;
}

/** getLongFromObjectOrReply: argument i as a long (NaN after replying `msg` or NOT_INTEGER). */
export function argLong(c: Client, argv: Argv, i: number, msg?: string): number {
  const v = parseLL(argv.buf, argv.off[i], argv.len[i]);
  if (v !== v) c.error(msg ?? NOT_INTEGER);
  return v;
}

const LONG_MAX = 9223372036854775807n;

/**
 * getRangeLongFromObjectOrReply: argument i within [min, max] (bigints, so the int64 edges are
 * exact). NaN after replying `msg`, or Redis's default texts when msg is undefined.
 */
export function argRangeLong(
  c: Client,
  argv: Argv,
  i: number,
  min: bigint,
  max: bigint,
  msg?: string,
): number {
  const v = parseLL(argv.buf, argv.off[i], argv.len[i]);
  if (v !== v) {
    c.error(msg ?? NOT_INTEGER);
    return NaN;
  }
  let ok: boolean;
  if (Number.isSafeInteger(v)) ok = BigInt(v) >= min && BigInt(v) <= max;
  else {
    const big = parseLLBig(argv.buf, argv.off[i], argv.len[i])!;
    ok = big >= min && big <= max;
  }
  if (!ok) {
    c.error(msg ?? `ERR value is out of range, value must between ${min} and ${max}`);
    return NaN;
  }
  return v;
}

/** getPositiveLongFromObjectOrReply: a long >= 0 ("must be positive" unless `msg`). */
export function argPositiveLong(c: Client, argv: Argv, i: number, msg?: string): number {
  return argRangeLong(
    c,
    argv,
    i,
    0n,
    LONG_MAX,
    msg ?? "ERR value is out of range, must be positive",
  );
}

/** C atoi on argument i: leading space, sign, digits up to the first non-digit (0 if none). */
export function argAtoi(argv: Argv, i: number): number {
  const b = argv.buf;
  let k = argv.off[i];
  const end = k + argv.len[i];
  while (k < end && (b[k] === 32 || (b[k] >= 9 && b[k] <= 13))) k++;
  let neg = false;
  if (k < end && (b[k] === 43 || b[k] === 45)) {
    neg = b[k] === 45;
    k++;
  }
  let v = 0;
  while (k < end && b[k] >= 48 && b[k] <= 57) {
    v = v * 10 + (b[k] - 48);
    if (v > 2147483647) break;
    k++;
  }
  return neg ? -v : v;
}

/**
 * genericGetKeys: key positions of a numkeys command (COMMAND GETKEYS fallback): the count at
 * `countIdx`, keys from `firstIdx`, plus the destination at `storeIdx` (0 = none), listed last.
 * No keys when the count is invalid.
 */
export function numkeysGetKeys(
  argv: Argv,
  storeIdx: number,
  countIdx: number,
  firstIdx: number,
): number[] {
  if (countIdx >= argv.argc) return [];
  const num = argAtoi(argv, countIdx);
  if (num < 1 || num > argv.argc - firstIdx) return [];
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(firstIdx + i);
  if (storeIdx) out.push(storeIdx);
  return out;
}

/** Delete a sorted-set key its command emptied (dbDelete; the caller sends "del"). */
export function dropEmptied(c: Client, e: number): void {
  c.db.deleteEntry(e, c.server.store.lazyServerDel);
}

/** A keyspace notification about kb[ko, ko+kl) (no allocation when notifications are off). */
export function notifyKey(
  c: Client,
  type: number,
  event: string,
  kb: Uint8Array,
  ko: number,
  kl: number,
): void {
  const s = c.server;
  if (s.notifyFlags !== 0) s.notify(type, event, kb.subarray(ko, ko + kl), c.db.id);
}

/** Delete a sorted-set key its command emptied (dbDelete + "del" event). */
export function deleteEmptied(c: Client, e: number, kb: Uint8Array, ko: number, kl: number): void {
  dropEmptied(c, e);
  notifyKey(c, NOTIFY_GENERIC, "del", kb, ko, kl);
}
