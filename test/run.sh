#!/usr/bin/env bash
# The whole test suite: type check, then every test file under Bun and under Deno.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
echo "== type check (deno check)"
shopt -s nullglob globstar
deno check src/main.ts src/mod.ts test/**/*.ts bench/**/*.ts
echo "== lint (deno lint)"
deno lint src test bench
echo "== bun test"
bun test test/
echo "== deno test"
deno test -A --no-check test/
