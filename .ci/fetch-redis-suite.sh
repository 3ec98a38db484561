#!/usr/bin/env bash
# Make Redis 7.0.15's Tcl test suite available at $REDIS_SRC (default /tmp/redis-src), from
# Debian's source package (see ../shared/tools/redis-suite/README.md). Needs root for apt.
set -euo pipefail
REDIS_SRC=${REDIS_SRC:-/tmp/redis-src}
[ -f "$REDIS_SRC/tests/test_helper.tcl" ] && exit 0
command -v tclsh >/dev/null || { apt-get update -qq && apt-get install -y -qq tcl >/dev/null; }
SRC_LIST=/etc/apt/sources.list.d/debian-src.sources
if [ ! -f "$SRC_LIST" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$SRC_LIST"
fi
apt-get update -qq
work=$(mktemp -d)
(cd "$work" && apt-get source --download-only redis >/dev/null)
tarball=$(ls "$work"/redis_7.0.15.orig.tar.gz 2>/dev/null || ls "$work"/redis_*.orig.tar.gz | head -1)
mkdir -p "$REDIS_SRC"
tar xzf "$tarball" -C "$REDIS_SRC" --strip-components=1
rm -rf "$work"
