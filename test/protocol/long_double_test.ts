// long_double: the software x87 80-bit long double behind INCRBYFLOAT/HINCRBYFLOAT. Expected
// texts were produced by redis-server 7.0.15 (SET k <value>; INCRBYFLOAT k <incr>) on x86-64.

import assert from "node:assert/strict";
import { test } from "../_harness.ts";
import {
  LD_INF,
  LD_MAX_CHARS,
  LD_MIN_EXP,
  ldAdd,
  ldFormatFixed17,
  ldFormatHuman,
  ldFromBigInt,
  ldIncrHuman,
  ldIsFinite,
  ldRound,
  ldToNumber,
  parseLongDouble,
  parseLongDoubleStr,
} from "../../src/protocol/long_double.ts";

const NOT_FLOAT = "ERR value is not a valid float";
const NAN_OR_INF = "ERR increment would produce NaN or Infinity";

/** What INCRBYFLOAT replies for a stored value and an increment (text or error). */
function incrbyfloat(value: string, incr: string): string {
  const v = parseLongDoubleStr(value);
  const i = parseLongDoubleStr(incr);
  if (v === null || i === null) return NOT_FLOAT;
  return ldIncrHuman(v, i) ?? NAN_OR_INF;
}

// [stored value, increment, Redis 7.0 reply or error]
const REDIS_CASES: [string, string, string][] = [
  ["10.5", "0.1", "10.6"],
  ["1e20", "0.1", "100000000000000000000"],
  ["0", "1e-20", "0"],
  ["0", "-1e-20", "0"],
  ["5.0e3", "0", "5000"],
  ["0x10", "0.5", "16.5"],
  ["0", "0x1p-16445", "0"],
  ["inf", "1", "ERR increment would produce NaN or Infinity"],
  ["1", "inf", "ERR increment would produce NaN or Infinity"],
  ["-inf", "inf", "ERR increment would produce NaN or Infinity"],
  ["nan", "1", "ERR value is not a valid float"],
  ["1", "nan", "ERR value is not a valid float"],
  ["0", "0.000003814697265625", "0.00000381469726562"],
  ["0", "0.000011444091796875", "0.00001144409179688"],
  ["0", "1.5e-17", "0.00000000000000002"],
  ["0", "2.5e-17", "0.00000000000000002"],
  ["0", "0x1.8p3", "12"],
  ["0", "0X.8P1", "1"],
  ["0", "0x1p", "ERR value is not a valid float"],
  ["0", "1e", "ERR value is not a valid float"],
  ["0", "1e+", "ERR value is not a valid float"],
  ["0", " 1", "ERR value is not a valid float"],
  ["0", "1 ", "ERR value is not a valid float"],
  ["0", "+1", "1"],
  ["0", "+.5", "0.5"],
  ["0", ".", "ERR value is not a valid float"],
  ["0", "-0", "0"],
  ["-0", "-0", "0"],
  ["0", "1.2e4932", "ERR value is not a valid float"],
  ["0", "1e-4950", "0"],
  ["0", "1e-4951", "ERR value is not a valid float"],
  ["0", "2e-4951", "0"],
  ["0", "3.6e-4951", "0"],
  ["0", "1.8e-4951", "ERR value is not a valid float"],
  ["0", "1.9e-4951", "0"],
  ["0", "0e99999999999", "0"],
  ["0", "1e-99999999999", "ERR value is not a valid float"],
  ["0", "infinity", "ERR increment would produce NaN or Infinity"],
  ["0", "INF", "ERR increment would produce NaN or Infinity"],
  ["0", "infin", "ERR value is not a valid float"],
  ["0", "-Infinity", "ERR increment would produce NaN or Infinity"],
  ["9223372036854775807", "1", "9223372036854775808"],
  ["-9223372036854775808", "-0.5", "-9223372036854775808"],
  ["0", "0x", "ERR value is not a valid float"],
  ["0", "0x.p1", "ERR value is not a valid float"],
  ["0", "0x.8", "0.5"],
  ["0", "1.e5", "100000"],
  ["0", "3.14", "3.14"],
  ["1", "0.1", "1.1"],
  ["0.1", "0.2", "0.3"],
  [
    "0",
    "123456789012345678901234567890.123456789012345678901234567890",
    "123456789012345678899921813504",
  ],
  ["0", "0.30000000000000000001", "0.3"],
  ["0", "00000.1", "0.1"],
  ["0", "1e-17", "0.00000000000000001"],
  ["0", "5e-18", "0"],
  ["0", "6e-18", "0.00000000000000001"],
  ["0", "4.9999999999999999e-18", "0"],
  ["0", "0x1p-16446", "ERR value is not a valid float"],
  ["0", "0x1p-16447", "ERR value is not a valid float"],
  ["0", "0x1.8p-16446", "0"],
  ["0", "0x1p16384", "ERR value is not a valid float"],
  ["0", "0x1.ffffffffffffffffp16383", "ERR value is not a valid float"],
  ["3", "1e-30", "3"],
  ["-3", "1e-30", "-3"],
  ["1e30", "-1e30", "0"],
  ["0", "1e-4951", "ERR value is not a valid float"],
  ["-628.71004342920666689197", "57310.1142822376", "56681.40423880839333393"],
  ["910940.7353367466", "924.51398813269909067109", "911865.2493248792990812"],
  ["-3.463922649885596e-46", "5e-18", "0"],
  ["793351364241856227328200318237e-2026", "172641275388978397450532507314e-3264", "0"],
  [
    "0x3bfffe8c68d5fcfcb.5fbc01a24dp53",
    "0x35e85d90ca936fb9e9.c91face539p170",
    "1488228470453980107883777401090666732996988847590118926233740848704520192",
  ],
  ["-84888712995511320576.0000000000000000", "1.5", "-84888712995511320576"],
  [
    "0x333d24a2923967d0a3.52ff1d39e0p118",
    "7719943795714692916",
    "314093176848316059379115292115109863309685019609927778304",
  ],
  ["0x3376a3649196b13b54.9446212ac5p13", "1.5", "7776933763918460508176384"],
  ["0.000001908268346128", "0.1", "0.10000190826834613"],
  ["590666419366007057142996471817e-1930", "0", "0"],
  ["225029.50397236878", "7.5e-18", "225029.50397236877999774"],
  [
    "-91152702897.495681762695",
    "0x10dce50b9a87dfa991.fe059706a2p145",
    "13873964679679053464406972832576394660909317027093816067462529024",
  ],
  ["2.5e-17", "-997499676720448354", "-997499676720448354"],
  ["1.5", "-754060.21883644", "-754058.71883644000001823"],
  ["7.5e-18", "-795222.6499738772", "-795222.64997387720001143"],
  ["1.5", "793833.508939263", "793835.00893926300000203"],
  ["0x28bf8d8937663d61be.a7b5142f7fp-5", "3254999352545367129", "26744768172932054888"],
  ["0.5", "-811734.1596690398", "-811733.65966903980000779"],
  ["943121.892028495", "-9004025072659312853", "-9004025072658369731"],
  ["3535110453583797957", "550284.6743881574", "3535110453584348241.75"],
  ["821424.7143766761", "753487.2929703384", "1574912.00734701450005559"],
  ["255178.26036708383", "-3956536765417624066", "-3956536765417368887.75"],
  [
    "-9.3085404065586951005e+92",
    "928.11174319839425185075",
    "-9308540406558695100458104082791510131452266691292926014270229318498645489214043" +
    "87365943771136",
  ],
  ["-585806.697661353", "5.0642951033021e+06", "4478488.40564074699977937"],
  ["-271717.2956200462", "-3.52932211094402001e-265", "-271717.29562004620001403"],
  ["-931146.3542394122", "-82506056390612926464.00000000000000000000", "-82506056390613857608"],
  [
    "-1.98695756045214e+89",
    "-7.61394351530843e-287",
    "-198695756045214000002556929460149221085387923811103671637987302943500246061132029762732032",
  ],
  ["-4403595482502952471", "-5314898268077643301", "-9718493750580595772"],
  ["-0.05", "-153343.94349097996", "-153343.99349097996000069"],
  ["-585.72968542096882946076", "83886.2996619863", "83300.56997656533117436"],
  ["-399.00000037046583884133658832", "-4.13e-198", "-399.00000037046583884"],
  ["-0.0000000000000009308", "3.5e-52", "-0.00000000000000093"],
  ["929426.2771014404", "-407.000000002517475851530179734", "929019.27710143788249297"],
  ["1e-17", "-0.1", "-0.09999999999999999"],
];

test("ldIncrHuman() matches redis-server INCRBYFLOAT on edge and random cases", () => {
  for (const [value, incr, want] of REDIS_CASES) {
    assert.equal(incrbyfloat(value, incr), want, `SET k ${value}; INCRBYFLOAT k ${incr}`);
  }
});

test("ldIncrHuman() keeps long double precision beyond a double's", () => {
  // A double has no room for the .5 at 1e18; 64 bits of significand do
  assert.equal(incrbyfloat("1000000000000000000", "0.5"), "1000000000000000000.5");
  // above 2^63 the step is 1: x.5 ties to even
  assert.equal(incrbyfloat("10000000000000000000", "0.5"), "10000000000000000000");
  assert.equal(incrbyfloat("10000000000000000000", "1.5"), "10000000000000000002");
  assert.equal(incrbyfloat("1e20", "0.1"), "100000000000000000000");
  assert.equal(incrbyfloat("10.5", "0.1"), "10.6");
  assert.equal(incrbyfloat("9223372036854775807", "1"), "9223372036854775808");
});

test("parseLongDouble() follows strtold: hex floats, inf, signs and exponents", () => {
  assert.equal(incrbyfloat("0", "0x10"), "16");
  assert.equal(incrbyfloat("0", "0x1.8p1"), "3");
  assert.equal(incrbyfloat("0", "-0X.8P1"), "-1");
  assert.equal(incrbyfloat("0", "5.0e3"), "5000");
  assert.equal(incrbyfloat("0", "+.5"), "0.5");
  assert.equal(incrbyfloat("0", "1.e2"), "100");
  assert.equal(incrbyfloat("0", "1e+0000000000000000000002"), "100");
  assert.equal(incrbyfloat("0", "inf"), NAN_OR_INF);
  assert.equal(incrbyfloat("0", "-Infinity"), NAN_OR_INF);
  for (
    const bad of [
      "",
      " 1",
      "1 ",
      "1e",
      "1e+",
      ".",
      "0x",
      "0x.p1",
      "0x1p",
      "nan",
      "infin",
      "1,5",
      "--1",
    ]
  ) {
    assert.equal(parseLongDoubleStr(bad), null, JSON.stringify(bad));
  }
});

test("parseLongDouble() rejects a NUL inside the text", () => {
  const b = new Uint8Array([49, 0, 50]); // "1\x002"
  assert.equal(parseLongDouble(b, 0, 3), null);
  assert.notEqual(parseLongDouble(b, 0, 1), null);
});

test("parseLongDouble() rejects overflow and underflow to zero, keeps subnormals", () => {
  assert.equal(parseLongDoubleStr("1.2e4932"), null); // > LDBL_MAX
  assert.notEqual(parseLongDoubleStr("1.1e4932"), null);
  assert.equal(parseLongDoubleStr("1e-4951"), null); // rounds to 0: ERANGE
  assert.equal(parseLongDoubleStr("1.8e-4951"), null);
  const sub = parseLongDoubleStr("1.9e-4951")!; // rounds up to the smallest subnormal
  assert.equal(sub.mant, 1n);
  assert.equal(sub.exp, LD_MIN_EXP);
  assert.equal(parseLongDoubleStr("0x1p-16446"), null); // exactly half of it: ties to even, 0
  assert.notEqual(parseLongDoubleStr("0x1.8p-16446"), null);
  assert.notEqual(parseLongDoubleStr("0x1.fffffffffffffffep16383"), null); // LDBL_MAX
  assert.equal(parseLongDoubleStr("0x1.ffffffffffffffffp16383"), null); // rounds to inf
  assert.deepEqual(parseLongDoubleStr("0e999999999999"), parseLongDoubleStr("0"));
});

test("parseLongDouble() takes up to 5119 characters, as string2ld's buffer allows", () => {
  assert.equal(LD_MAX_CHARS, 5120);
  const ok = "1." + "0".repeat(LD_MAX_CHARS - 3);
  assert.equal(ok.length, 5119);
  assert.equal(incrbyfloat("0", ok), "1");
  assert.equal(incrbyfloat("0", ok + "0"), NOT_FLOAT);
  assert.equal(incrbyfloat("0", "0".repeat(5119)), "0");
});

test("ldFormatFixed17() rounds exact ties to even, like glibc printf", () => {
  // 2^-18 = 0.000003814697265625 has 18 fraction digits ending in 5: a true tie
  assert.equal(ldFormatFixed17(parseLongDoubleStr("0x1p-18")!), "0.00000381469726562");
  // 3 * 2^-18 = 0.000011444091796875: tie, rounds up to the even 8
  assert.equal(ldFormatFixed17(parseLongDoubleStr("0x3p-18")!), "0.00001144409179688");
  assert.equal(ldFormatFixed17(parseLongDoubleStr("-0x1p-60")!), "-0.00000000000000000");
  assert.equal(
    ldFormatFixed17(parseLongDoubleStr("0x1p70")!),
    "1180591620717411303424.00000000000000000",
  );
});

test("ldFormatHuman() trims zeros and never prints -0", () => {
  assert.equal(ldFormatHuman(parseLongDoubleStr("-0")!), "0");
  assert.equal(ldFormatHuman(parseLongDoubleStr("-1e-30")!), "0");
  assert.equal(ldFormatHuman(parseLongDoubleStr("-2.5")!), "-2.5");
  assert.equal(ldFormatHuman(parseLongDoubleStr("100")!), "100");
  assert.equal(ldFormatHuman(parseLongDoubleStr("inf")!), "inf");
  // 1/41 - 1/41 is +0 (Redis's "No negative zero" test)
  const a = parseLongDoubleStr(String(1 / 41))!;
  const b = parseLongDoubleStr(String(-1 / 41))!;
  assert.equal(ldIncrHuman(ldAdd(parseLongDoubleStr("0")!, a), b), "0");
});

test("ldAdd() follows IEEE rules for infinities, NaN and signed zeros", () => {
  const inf = parseLongDoubleStr("inf")!;
  const ninf = parseLongDoubleStr("-inf")!;
  const one = ldFromBigInt(1n);
  assert.equal(ldAdd(inf, one).kind, LD_INF);
  assert.equal(ldIsFinite(ldAdd(inf, ninf)), false);
  assert.equal(Number.isNaN(ldToNumber(ldAdd(inf, ninf))), true);
  assert.equal(
    Object.is(ldToNumber(ldAdd(parseLongDoubleStr("-0")!, parseLongDoubleStr("-0")!)), -0),
    true,
  );
  assert.equal(Object.is(ldToNumber(ldAdd(one, ldFromBigInt(-1n))), 0), true);
});

test("ldRound() rounds to 64 significant bits with ties to even and overflows to inf", () => {
  // 2^64 + 1 is halfway between 2^64 and 2^64 + 2 at this scale -> even (2^64)
  const x = ldRound(false, (1n << 64n) + 1n, 0, false);
  assert.equal(x.mant << BigInt(x.exp), 1n << 64n);
  // with something below the last bit, the same halfway case rounds up
  const y = ldRound(false, (1n << 64n) + 1n, 0, true);
  assert.equal(y.mant << BigInt(y.exp), (1n << 64n) + 2n);
  // 2^64 - 1 fits exactly
  const z = ldRound(false, (1n << 64n) - 1n, 0, false);
  assert.equal(z.mant, (1n << 64n) - 1n);
  assert.equal(ldRound(false, 1n, 16384, false).kind, LD_INF);
  assert.equal(ldRound(false, 1n, 16383, false).kind, 0);
});

test("ldToNumber() agrees with JS parsing for ordinary decimals", () => {
  for (const s of ["0.1", "-3.25", "1e300", "123456.789", "5e-324"]) {
    assert.equal(ldToNumber(parseLongDoubleStr(s)!), Number(s), s);
  }
});
