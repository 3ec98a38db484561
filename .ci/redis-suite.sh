#!/usr/bin/env bash
# Run Redis's own Tcl suite against our server and enforce the ratchet: every unit listed in
# .ci/redis-suite-ratchet.tsv must pass at least as many tests as recorded there.
#   .ci/redis-suite.sh [bun|deno]        (default bun)
# Profiles: "portable" (no encoding/digest checks, no DEBUG/replication/SAVE tests) and "full"
# (Redis's checks as they are). A fresh server is started for every unit.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNTIME=${1:-bun}
PORT=${SUITE_PORT:-6470}
RATCHET=$ROOT/.ci/redis-suite-ratchet.tsv
# The team's suite runner: $REDIS_SUITE_TOOLS, or ../shared/tools/redis-suite next to the repo,
# or the workspace's copy.
TOOLS=""
for d in "${REDIS_SUITE_TOOLS:-}" "$ROOT/../shared/tools/redis-suite" /work/shared/tools/redis-suite; do
  if [ -n "$d" ] && [ -x "$d/run.sh" ]; then TOOLS=$(cd "$d" && pwd); break; fi
done
if [ -z "$TOOLS" ]; then
  echo "redis-suite runner not found (set REDIS_SUITE_TOOLS to shared/tools/redis-suite)" >&2
  exit 1
fi
export REDIS_SRC=${REDIS_SRC:-/tmp/redis-src}
"$ROOT/.ci/fetch-redis-suite.sh"
BASEPORT=${SUITE_BASEPORT:-21079}
PORTABLE_ARGS="--baseport $BASEPORT --ignore-encoding --ignore-digest --tags -needs:debug --tags -needs:repl --tags -needs:pfdebug --tags -needs:save"
fail=0
report=""
for profile in portable full; do
  units=$(awk -F'\t' -v p="$profile" '$1==p {print $2}' "$RATCHET")
  [ -z "$units" ] && continue
  out=/tmp/redis-suite-$RUNTIME-$profile
  rm -rf "$out"
  if [ "$profile" = portable ]; then args=$PORTABLE_ARGS; base=$TOOLS/baseline-redis-7.0-portable.tsv
  else args="--baseport $BASEPORT"; base=$TOOLS/baseline-redis-7.0.tsv; fi
  echo "== Redis Tcl suite, $profile profile, server under $RUNTIME"
  # shellcheck disable=SC2086
  OUT=$out SUITE_ARGS="$args" BASELINE=$base UNIT_TIMEOUT=${UNIT_TIMEOUT:-600} RESTART_EACH=1 \
    RESTART_CMD="$ROOT/.ci/server.sh $PORT $RUNTIME" "$TOOLS/run.sh" 127.0.0.1 "$PORT" $units
  while IFS=$'\t' read -r p unit min; do
    [ "$p" = "$profile" ] || continue
    got=$(awk -F'\t' -v u="$unit" '$1==u {print $2}' "$out/summary.tsv")
    got=${got:-0}
    if [ "$got" -lt "$min" ]; then
      report+="FAIL  $profile $unit: $got passed, ratchet says at least $min"$'\n'
      fail=1
    else
      report+="ok    $profile $unit: $got passed (ratchet $min)"$'\n'
    fi
  done < <(grep -v '^#' "$RATCHET")
done
"$ROOT/.ci/server.sh" "$PORT" "$RUNTIME" stop
echo
echo "== ratchet"
printf '%s' "$report"
exit $fail
