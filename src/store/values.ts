// Registry of value kinds stored by handle (every type but strings, whose bytes live inline in
// the keyspace entry). Each type family registers how to free, copy and size its structure, so
// the store can delete, COPY and report MEMORY USAGE without importing the families.

import type { Heap } from "../memory/allocator.ts";

/** SHA1 helpers DEBUG DIGEST hands to ValueOps.digest (implemented in server/debug.ts). */
export interface DigestOps {
  /** d ^= SHA1(data): order-independent (set members, hash fields). */
  xor(d: Uint8Array, data: Uint8Array): void;
  /** d = SHA1(d ^ SHA1(data)): order-dependent (list elements, stream entries). */
  mix(d: Uint8Array, data: Uint8Array): void;
}

/**
 * How the store handles a value structure. `enc` is the entry's OBJ_ENCODING_*: one type may
 * use several structures (a set is an intset or a dict), so every call says which one `v` is
 * (implementations never have to guess it from the bytes).
 */
export interface ValueOps {
  /** Free the whole structure at once. */
  free(m: Heap, v: number, enc: number): void;
  /** Deep copy (COPY command); returns the new handle. */
  dup(m: Heap, v: number, enc: number): number;
  /** Bytes used by the structure (MEMORY USAGE); `samples` 0 means all elements. */
  usage(m: Heap, v: number, samples: number, enc: number): number;
  /** Rough count of allocations to free (lazyfree-lazy-* threshold, LAZYFREE_THRESHOLD 64). */
  freeEffort(m: Heap, v: number, enc: number): number;
  /**
   * Free part of the structure: release at most `budget` allocations, return true when the
   * structure is completely gone. Lets the lazy-free job spread a big value over many ticks.
   */
  freeSome?(m: Heap, v: number, budget: number, enc: number): boolean;
  /** Move the structure's allocations that defragHint says to move; returns the new handle. */
  defrag?(m: Heap, v: number, enc: number): number;
  /**
   * DEBUG DIGEST / DIGEST-VALUE: fold the content into the 20-byte digest `d` the way Redis's
   * xorObjectDigest does for the type (the type tag and the expire mark are added by the caller).
   */
  digest?(m: Heap, v: number, d: Uint8Array, ops: DigestOps, enc: number): void;
}

const registry: (ValueOps | undefined)[] = [];

export function registerValueType(type: number, ops: ValueOps): void {
  registry[type] = ops;
}

export function valueOps(type: number): ValueOps {
  const ops = registry[type];
  if (!ops) throw new Error(`No value ops registered for type ${type}`);
  return ops;
}

export function hasValueOps(type: number): boolean {
  return registry[type] !== undefined;
}
