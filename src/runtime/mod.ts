// Picks the adapter for the engine we run on. Entry points (main.ts, mod.ts) call this; the rest of
// the server receives the Runtime object and never imports an adapter.

import type { Runtime } from "./types.ts";

export async function loadRuntime(): Promise<Runtime> {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.Bun !== "undefined") return (await import("./bun.ts")).bunRuntime;
  if (typeof g.Deno !== "undefined") return (await import("./deno.ts")).denoRuntime;
  throw new Error("Unsupported runtime: run under Bun or Deno");
}
