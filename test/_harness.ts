// Test harness: one `test()` that runs under both `bun test` and `deno test`, so every test file
// is written once and executed by both runtimes (each starting the server in-process).

type TestFn = () => void | Promise<void>;

interface BunTest {
  test: (name: string, fn: TestFn, timeout?: number) => void;
}

const g = globalThis as Record<string, unknown>;
const isBun = typeof g.Bun !== "undefined";
// A computed specifier keeps Deno's module graph from trying to resolve "bun:test".
const bunTest: BunTest | null = isBun ? await import(["bun", "test"].join(":")) as BunTest : null;

export const runtimeName = isBun ? "bun" : "deno";

/** Register a test. `opts.timeout` in ms (default 30 s). */
export function test(name: string, fn: TestFn, opts: { timeout?: number } = {}): void {
  const timeout = opts.timeout ?? 30_000;
  if (bunTest) {
    bunTest.test(name, fn, timeout);
    return;
  }
  const D = g.Deno as {
    test: (o: { name: string; fn: TestFn; sanitizeOps: boolean; sanitizeResources: boolean }) => void;
  };
  D.test({
    name,
    fn: () => withTimeout(fn(), timeout, name),
    sanitizeOps: false,
    sanitizeResources: false,
  });
}

async function withTimeout(p: void | Promise<void>, ms: number, name: string): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      p,
      new Promise((_, rej) => {
        t = setTimeout(() => rej(new Error(`Test "${name}" timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(t);
  }
}

/** Seeded PRNG (mulberry32) for reproducible randomized tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
