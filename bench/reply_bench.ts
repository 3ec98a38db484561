// Micro benchmark of the reply writer (src/protocol/reply.ts): the replies hot commands write
// (+OK, integers, short and 1 KB bulk strings, arrays of bulks as MGET/LRANGE do), 16 at a time
// as for a pipeline, then the buffer is reset as a flush would.
//   bun bench/reply_bench.ts [name-regex]
//   deno run -A bench/reply_bench.ts [name-regex]

import { bench, do_not_optimize, group } from "mitata";
import { Reply } from "../src/protocol/reply.ts";
import { latin1, runBenches } from "./_common.ts";

const N = 16;
const r = new Reply();
const VAL3 = latin1("xxx");
const VAL1K = latin1("v".repeat(1024));
// A value inside a bigger buffer, as arena-resident values are.
const ARENA = new Uint8Array(4096);
ARENA.set(latin1("key:000000012345xyz"), 100);

group("scalars", () => {
  bench(`ok x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.ok();
    return do_not_optimize(r.len);
  });
  bench(`int small (0/1) x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.int(i & 1);
    return do_not_optimize(r.len);
  });
  bench(`int 6 digits x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.int(100000 + i);
    return do_not_optimize(r.len);
  });
  bench(`int negative 15 digits x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.int(-123456789012345 - i);
    return do_not_optimize(r.len);
  });
  bench(`nullBulk x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.nullBulk();
    return do_not_optimize(r.len);
  });
});

group("bulk", () => {
  bench(`bulk 3 bytes x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.bulk(VAL3);
    return do_not_optimize(r.len);
  });
  bench(`bulk 3 bytes from arena offset x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.bulk(ARENA, 116, 3);
    return do_not_optimize(r.len);
  });
  bench(`bulk 1 KB x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.bulk(VAL1K);
    return do_not_optimize(r.len);
  });
  bench(`bulkStr latin1 16 chars x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.bulkStr("key:000000012345");
    return do_not_optimize(r.len);
  });
  bench(`bulkInt x${N}`, () => {
    r.reset();
    for (let i = 0; i < N; i++) r.bulkInt(1234567 + i);
    return do_not_optimize(r.len);
  });
});

group("arrays", () => {
  bench("array of 10 bulks (MGET 10)", () => {
    r.reset();
    r.arrayLen(10);
    for (let i = 0; i < 10; i++) r.bulk(VAL3);
    return do_not_optimize(r.len);
  });
  bench("array of 100 bulks (LRANGE_100)", () => {
    r.reset();
    r.arrayLen(100);
    for (let i = 0; i < 100; i++) r.bulk(VAL3);
    return do_not_optimize(r.len);
  });
  bench("array of 600 bulks (LRANGE_600)", () => {
    r.reset();
    r.arrayLen(600);
    for (let i = 0; i < 600; i++) r.bulk(VAL3);
    return do_not_optimize(r.len);
  });
  bench("RESP3 map of 10 pairs", () => {
    r.reset();
    r.resp = 3;
    r.mapLen(10);
    for (let i = 0; i < 10; i++) {
      r.bulk(VAL3);
      r.int(i);
    }
    r.resp = 2;
    return do_not_optimize(r.len);
  });
});

await runBenches();
