// Dict tests through the keyspace Db: seeded random set/delete/lookup against a JS Map, and
// Redis's SCAN guarantee (every key present for the whole scan is returned) while the table
// grows, shrinks and rehashes under concurrent writes.

import assert from "node:assert/strict";
import { rng, test } from "../_harness.ts";
import { Heap } from "../../src/memory/allocator.ts";
import { Store } from "../../src/store/db.ts";
import { objKey, OBJ_ENCODING_RAW, strValue } from "../../src/store/object.ts";
import { dictIsRehashing, dictRehashMs, dictTableStats, dictBuckets } from "../../src/encoding/dict.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function set(store: Store, k: string, v: string): void {
  const kb = enc(k);
  const vb = enc(v);
  store.dbs[0].setString(kb, 0, kb.length, vb, 0, vb.length, OBJ_ENCODING_RAW, false);
}

function get(store: Store, k: string): string | null {
  const kb = enc(k);
  const e = store.dbs[0].find(kb, 0, kb.length);
  return e === 0 ? null : dec(strValue(store.m, e));
}

function del(store: Store, k: string): boolean {
  const kb = enc(k);
  return store.dbs[0].delete(kb, 0, kb.length);
}

test("dict matches a Map model under random set/delete/lookup", () => {
  const r = rng(7);
  const store = new Store(new Heap(), 1);
  const model = new Map<string, string>();
  for (let i = 0; i < 100_000; i++) {
    const k = `key:${Math.floor(r() * 5000)}`;
    const op = r();
    if (op < 0.5) {
      const v = "v".repeat(Math.floor(r() * 80)) + i;
      set(store, k, v);
      model.set(k, v);
    } else if (op < 0.75) {
      assert.equal(del(store, k), model.delete(k));
    } else {
      assert.equal(get(store, k), model.get(k) ?? null);
    }
    if (i % 10_000 === 0) store.dbs[0].shrinkIfNeeded();
  }
  assert.equal(store.dbs[0].size(), model.size);
  const seen = new Set<string>();
  store.dbs[0].forEach((e) => seen.add(dec(objKey(store.m, e))));
  assert.deepEqual([...seen].sort(), [...model.keys()].sort());
});

test("binary keys with NUL, CR/LF and empty key are distinct", () => {
  const store = new Store(new Heap(), 1);
  const keys = ["", "\0", "\0\0", "a\r\nb", "a\r\n", "\xff\xfe"];
  keys.forEach((k, i) => set(store, k, String(i)));
  keys.forEach((k, i) => assert.equal(get(store, k), String(i)));
  assert.equal(store.dbs[0].size(), keys.length);
});

test("SCAN returns every key present for the whole scan while the table grows and shrinks", () => {
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    const store = new Store(new Heap(), 1);
    const db = store.dbs[0];
    const stable = new Set<string>();
    for (let i = 0; i < 300; i++) {
      stable.add(`stable:${i}`);
      set(store, `stable:${i}`, "x");
    }
    const returned = new Set<string>();
    let cursor = 0;
    let steps = 0;
    let grew = 0;
    let shrank = 0;
    let volatile = 0;
    do {
      cursor = db.scan(cursor, (e) => returned.add(dec(objKey(store.m, e))));
      steps++;
      // concurrent writes: bursts of inserts (growth) and mass deletes (shrink)
      const before = dictBuckets(store.m, db.dict);
      if (steps % 60 < 30) {
        for (let j = 0; j < 300; j++) set(store, `tmp:${volatile++}`, "y");
      } else {
        for (let j = 0; j < 600 && volatile > 0; j++) del(store, `tmp:${--volatile}`);
        db.shrinkIfNeeded();
      }
      if (r() < 0.3) dictRehashMs(store.m, db.dict, 1);
      const after = dictBuckets(store.m, db.dict);
      if (after > before) grew++;
      if (after < before) shrank++;
    } while (cursor !== 0 && steps < 100_000);
    assert.equal(cursor, 0, "scan did not finish");
    for (const k of stable) assert.ok(returned.has(k), `seed ${seed}: ${k} never returned`);
    assert.ok(grew > 0 && shrank > 0, `table should both grow (${grew}) and shrink (${shrank})`);
  }
});

test("incremental rehash finishes and keeps every key", () => {
  const store = new Store(new Heap(), 1);
  const db = store.dbs[0];
  for (let i = 0; i < 20_000; i++) set(store, `k${i}`, `${i}`);
  while (dictIsRehashing(store.m, db.dict)) dictRehashMs(store.m, db.dict, 5);
  const [size0, used0, size1] = dictTableStats(store.m, db.dict);
  assert.equal(used0, 20_000);
  assert.equal(size1, 0);
  assert.ok(size0 >= 20_000 && size0 <= 65536);
  for (let i = 0; i < 20_000; i += 997) assert.equal(get(store, `k${i}`), `${i}`);
});
