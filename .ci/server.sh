#!/usr/bin/env bash
# (Re)start our server under a runtime on 127.0.0.1:PORT for Redis's Tcl suite, or stop it.
#   .ci/server.sh PORT [bun|deno] [stop]
# Pidfile and log in /tmp/redis-ts-PORT. DEBUG and protected configs enabled, as the suite's own
# external-server CI does for redis-server.
set -u
PORT=${1:?usage: server.sh PORT [bun|deno] [stop]}
RUNTIME=${2:-bun}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=/tmp/redis-ts-$PORT
mkdir -p "$DIR"
if [ -f "$DIR/pid" ]; then
  pid=$(cat "$DIR/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$DIR/pid"
fi
[ "${3:-}" = stop ] && exit 0
ARGS=(src/main.ts --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR"
  --enable-debug-command yes --enable-protected-configs yes)
cd "$ROOT"
if [ "$RUNTIME" = deno ]; then
  MALLOC_MMAP_THRESHOLD_=524288 nohup node_modules/.bin/deno run -A --v8-flags=--expose-gc "${ARGS[@]}" > "$DIR/log" 2>&1 < /dev/null &
else
  nohup node_modules/.bin/bun "${ARGS[@]}" > "$DIR/log" 2>&1 < /dev/null &
fi
echo $! > "$DIR/pid"
for _ in $(seq 300); do
  if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT && printf 'PING\r\n' >&3 && read -r l <&3 && [[ \$l == +PONG* ]]" 2>/dev/null; then
    exit 0
  fi
  sleep 0.1
done
echo "server did not come up on port $PORT (see $DIR/log)" >&2
exit 1
