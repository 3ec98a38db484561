// Helpers shared by command families: key lookups with type checks, argument parsing that
// replies Redis's error on failure, and scratch buffers. Handlers import these instead of
// re-implementing the checks.

import type { Argv } from "../protocol/resp_parser.ts";
import { parseDouble, parseLL, parseLLBig } from "../protocol/bytes.ts";
import { NOT_FLOAT, NOT_INTEGER, WRONGTYPE } from "../protocol/errors.ts";
import type { Client } from "../server/client.ts";
import { objType } from "../store/object.ts";

/** Lookup for reading argv[i] in the client's db: entry handle or 0 (counts hits/misses). */
export function lookupRead(c: Client, argv: Argv, i: number): number {
  const e = c.db.lookupRead(argv.buf, argv.off[i], argv.len[i]);
  if (e === 0 && c.server.notifyFlags !== 0) c.server.keyMiss(argv.bytes(i), c.db.id);
  return e;
}

/** Lookup for writing argv[i]: entry handle or 0 (expired keys are deleted first). */
export function lookupWrite(c: Client, argv: Argv, i: number): number {
  return c.db.lookupWrite(argv.buf, argv.off[i], argv.len[i]);
}

/** True (and replies WRONGTYPE) when entry e exists and is not of `type`. */
export function wrongType(c: Client, e: number, type: number): boolean {
  if (e !== 0 && objType(c.server.heap, e) !== type) {
    c.error(WRONGTYPE);
    return true;
  }
  return false;
}

/**
 * Lookup for reading and check the type. Returns the entry, 0 when missing, or -1 after
 * replying WRONGTYPE.
 */
export function readTyped(c: Client, argv: Argv, i: number, type: number): number {
  const e = lookupRead(c, argv, i);
  if (wrongType(c, e, type)) return -1;
  return e;
}

/** Lookup for writing and check the type (-1 after replying WRONGTYPE). */
export function writeTyped(c: Client, argv: Argv, i: number, type: number): number {
  const e = lookupWrite(c, argv, i);
  if (wrongType(c, e, type)) return -1;
  return e;
}

/** Argument i as a long long (safe integer range is exact); replies `err` and returns null. */
export function argInt(c: Client, argv: Argv, i: number, err = NOT_INTEGER): number | null {
  const v = parseLL(argv.buf, argv.off[i], argv.len[i]);
  if (Number.isNaN(v)) {
    c.error(err);
    return null;
  }
  return v;
}

/** Argument i as an exact int64 (bigint); replies `err` and returns null. */
export function argBigInt(c: Client, argv: Argv, i: number, err = NOT_INTEGER): bigint | null {
  const v = parseLLBig(argv.buf, argv.off[i], argv.len[i]);
  if (v === null) c.error(err);
  return v;
}

/** Argument i as a double (strtod rules, no NaN); replies `err` and returns null. */
export function argDouble(c: Client, argv: Argv, i: number, err = NOT_FLOAT): number | null {
  const v = parseDouble(argv.buf, argv.off[i], argv.len[i]);
  if (Number.isNaN(v)) {
    c.error(err);
    return null;
  }
  return v;
}

/** Argument i as an integer within [min, max]; replies `err` otherwise. */
export function argRange(
  c: Client,
  argv: Argv,
  i: number,
  min: number,
  max: number,
  err: string,
): number | null {
  const v = parseLL(argv.buf, argv.off[i], argv.len[i]);
  if (Number.isNaN(v) || v < min || v > max) {
    c.error(err);
    return null;
  }
  return v;
}

/** Scratch space for formatting numbers without allocating. */
export const SCRATCH = new Uint8Array(64);
