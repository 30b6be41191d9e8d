#!/usr/bin/env bash
# Installs what the recovery tools and their tests run: qemu-img (qemu-utils) for VM snapshots,
# e2fsck/mke2fs/debugfs (e2fsprogs) for the data file system check, tmux for the console tests.
# Idempotent: when every tool is present it returns without touching apt.
set -euo pipefail

have() {
  command -v qemu-img >/dev/null 2>&1 &&
    { command -v e2fsck >/dev/null 2>&1 || [ -x /usr/sbin/e2fsck ] || [ -x /sbin/e2fsck ]; } &&
    { command -v debugfs >/dev/null 2>&1 || [ -x /usr/sbin/debugfs ] || [ -x /sbin/debugfs ]; } &&
    command -v tmux >/dev/null 2>&1
}

if have; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends qemu-utils e2fsprogs tmux >/dev/null
have || { echo "install-recovery: qemu-img, e2fsck, debugfs or tmux still missing after apt-get" >&2; exit 1; }
