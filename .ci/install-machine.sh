#!/usr/bin/env bash
# Installs what the bootable RayOS image is built and booted with (rayos-machine, docs/boot-and-recovery.md):
# OVMF (UEFI firmware for QEMU), systemd-boot, sfdisk (GPT), mtools and dosfstools (the ESP, written at
# an offset without mounting), e2fsprogs (mke2fs -d, debugfs, e2fsck) and qemu-utils (qemu-img).
# The kernel and its modules come from install-harness.sh. Idempotent: returns at once when all are present.
set -euo pipefail

have() {
  [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] && [ -f /usr/share/OVMF/OVMF_VARS_4M.fd ] &&
    [ -f /usr/lib/systemd/boot/efi/systemd-bootx64.efi ] &&
    command -v sfdisk >/dev/null 2>&1 && command -v mcopy >/dev/null 2>&1 &&
    command -v mkfs.vfat >/dev/null 2>&1 && command -v mke2fs >/dev/null 2>&1 &&
    command -v debugfs >/dev/null 2>&1 && command -v e2fsck >/dev/null 2>&1 &&
    command -v qemu-img >/dev/null 2>&1 && command -v jlink >/dev/null 2>&1
}
have && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ovmf systemd-boot-efi fdisk mtools dosfstools e2fsprogs qemu-utils >/dev/null
have || { echo "install-machine: a tool is still missing after apt-get (is jlink there? it comes with the JDK)" >&2; exit 1; }
