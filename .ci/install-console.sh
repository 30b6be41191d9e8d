#!/usr/bin/env bash
# Installs what the recovery console's terminal tests drive: tmux (new-session, send-keys,
# capture-pane) and stty (coreutils). Idempotent: returns at once when both are there.
set -euo pipefail
if command -v tmux >/dev/null 2>&1 && command -v stty >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends tmux coreutils >/dev/null
command -v tmux >/dev/null 2>&1 || { echo "install-console: tmux missing after apt-get install" >&2; exit 1; }
