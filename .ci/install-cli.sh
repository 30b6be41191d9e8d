#!/bin/sh
# Tools the CLI tests use: util-linux's script (a pseudo-terminal for the pager test), setpriv
# (an unprivileged user for the permission tests), less (the default pager), jq and
# systemd-journal-remote (they read rayos logs -o json / -o export); hyperfine for
# rayos-bench/scripts/start-compare.sh and ripgrep for scan-compare.sh (docs/PERFORMANCE.md). Idempotent.
set -e
need=""
command -v script >/dev/null 2>&1 || need="$need util-linux"
command -v setpriv >/dev/null 2>&1 || need="$need util-linux"
command -v less >/dev/null 2>&1 || need="$need less"
command -v jq >/dev/null 2>&1 || need="$need jq"
[ -x /lib/systemd/systemd-journal-remote ] || need="$need systemd-journal-remote"
command -v hyperfine >/dev/null 2>&1 || need="$need hyperfine"
command -v rg >/dev/null 2>&1 || need="$need ripgrep"
if [ -n "$need" ]; then
  apt-get update -q && apt-get install -y -q --no-install-recommends $need
fi
