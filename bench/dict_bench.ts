// Micro benchmark of the keyspace dict through the Db API (src/store/db.ts): adding keys with
// setString (including incremental rehash as the table grows), overwriting, and lookupRead hits
// and misses in a 100k-key database. Keys are redis-benchmark's -r shape ("key:" + 12 digits).
//   bun bench/dict_bench.ts [name-regex]
//   deno run -A bench/dict_bench.ts [name-regex]

import { bench, do_not_optimize, group } from "mitata";
import { Heap } from "../src/memory/allocator.ts";
import { Store } from "../src/store/db.ts";
import { OBJ_ENCODING_EMBSTR } from "../src/store/object.ts";
import { latin1, prng, randKey, runBenches } from "./_common.ts";

const KEYS = 100_000;
const KLEN = 16;
const rnd = prng(3);

/** All keys back to back in one buffer: key i is at i * KLEN. */
const KB = new Uint8Array(KEYS * KLEN * 2);
for (let i = 0; i < KEYS * 2; i++) KB.set(latin1(randKey("key:", i)), i * KLEN);
const VAL = latin1("xxx");
const VAL_BIG = latin1("v".repeat(100));

const POOL = 4096;
const hitIdx = Int32Array.from({ length: POOL }, () => Math.floor(rnd() * KEYS));
const missIdx = Int32Array.from({ length: POOL }, () => KEYS + Math.floor(rnd() * KEYS));

const store = new Store(new Heap(), 2);
const db = store.dbs[0];
const scratch = store.dbs[1];
for (let i = 0; i < KEYS; i++) {
  db.setString(KB, i * KLEN, KLEN, VAL, 0, 3, OBJ_ENCODING_EMBSTR, false);
}
if (db.size() !== KEYS || db.lookupRead(KB, 5 * KLEN, KLEN) === 0) {
  throw new Error("Bench db not filled");
}

let i = 0;
group(`db of ${KEYS} keys`, () => {
  bench("lookupRead hit", () => {
    const k = hitIdx[i++ & (POOL - 1)];
    return do_not_optimize(db.lookupRead(KB, k * KLEN, KLEN));
  });
  bench("lookupRead miss", () => {
    const k = missIdx[i++ & (POOL - 1)];
    return do_not_optimize(db.lookupRead(KB, k * KLEN, KLEN));
  });
  bench("setString overwrite (same size, in place)", () => {
    const k = hitIdx[i++ & (POOL - 1)];
    return do_not_optimize(db.setString(KB, k * KLEN, KLEN, VAL, 0, 3, OBJ_ENCODING_EMBSTR, false));
  });
  bench("setString overwrite (3 B <-> 100 B, new entry)", () => {
    const k = hitIdx[i++ & (POOL - 1)];
    const v = i & 1 ? VAL_BIG : VAL;
    return do_not_optimize(
      db.setString(KB, k * KLEN, KLEN, v, 0, v.length, OBJ_ENCODING_EMBSTR, false),
    );
  });
});

group("growing a db from empty", () => {
  for (const n of [1000, 10_000]) {
    bench(`setString ${n} new keys, then clear`, () => {
      for (let k = 0; k < n; k++) {
        scratch.setString(KB, k * KLEN, KLEN, VAL, 0, 3, OBJ_ENCODING_EMBSTR, false);
      }
      return do_not_optimize(scratch.clear());
    });
  }
});

await runBenches();
