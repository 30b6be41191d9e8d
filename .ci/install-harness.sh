#!/usr/bin/env bash
# Installs what the rayos-harness tests boot: QEMU (TCG), busybox-static, cpio, and
# Debian's current kernel image unpacked (dpkg -x, no install) into a cache outside
# the repo. Idempotent: when everything is present it returns without touching apt.
#
# Cache: $RAYOS_KERNEL_CACHE, else ~/.cache/rayos/kernel. The harness tests look in the
# same place (system property rayos.kernel.cache overrides both).
set -euo pipefail

cache="${RAYOS_KERNEL_CACHE:-$HOME/.cache/rayos/kernel}"

have_tools() {
  command -v qemu-system-x86_64 >/dev/null 2>&1 &&
    [ -x /bin/busybox ] && /bin/busybox --help 2>/dev/null | grep -q 'statically\|BusyBox' &&
    command -v cpio >/dev/null 2>&1
}
have_kernel() {
  compgen -G "$cache/boot/vmlinuz-*" >/dev/null && [ -f "$cache/PACKAGE" ] && [ -f "$cache/modules/load-order" ]
}
# The modules the bootable image's initramfs loads (rayos-machine's ImageBuild), with what they
# depend on: the virtio disk, ext4 and vfat, efivarfs (boot counting's variables), the i6300esb
# watchdog, pvpanic. modprobe --show-depends gives them in load order.
MACHINE_MODULES="virtio_pci virtio_blk ext4 vfat nls_cp437 nls_ascii nls_utf8 nls_iso8859_1 efivarfs efi_pstore i6300esb pvpanic_pci pvpanic_mmio"

if have_tools && have_kernel; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! have_tools; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends qemu-system-x86 busybox-static cpio kmod >/dev/null
fi

if ! have_kernel; then
  # linux-image-amd64 is a metapackage; the package it depends on holds /boot/vmlinuz-*.
  apt-get update -qq
  pkg="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
  if [ -z "$pkg" ]; then
    echo "install-harness: cannot find the kernel package linux-image-amd64 depends on" >&2
    exit 1
  fi
  work="$(mktemp -d)"
  chmod 1777 "$work"  # apt downloads as its unprivileged _apt user
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -qq "$pkg")
  mkdir -p "$cache"
  dpkg -x "$work"/"$pkg"_*.deb "$cache"
  # The guests need built-in drivers only, except pvpanic (so QEMU reports GUEST_PANICKED):
  # keep its modules, drop the other ~400 MB.
  keep="$cache/pvpanic"
  mkdir -p "$keep"
  find "$cache" -path '*/modules/*' -name 'pvpanic*.ko*' -exec cp {} "$keep/" \;
  kver="$(basename "$(compgen -G "$cache/boot/vmlinuz-*" | head -1)" | sed 's/^vmlinuz-//')"
  command -v depmod >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends kmod >/dev/null
  depmod -b "$cache" "$kver"
  mods="$cache/modules"
  rm -rf "$mods" && mkdir -p "$mods"
  for m in $MACHINE_MODULES; do
    modprobe -d "$cache" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
  done | awk '!seen[$0]++' | while read -r ko; do
    cp "$ko" "$mods/"
    basename "$ko" >> "$mods/load-order"
  done
  rm -rf "$cache/lib/modules" "$cache/usr/lib/modules"
  echo "$pkg" > "$cache/PACKAGE"
fi
have_kernel || { echo "install-harness: no vmlinuz in $cache/boot after dpkg -x" >&2; exit 1; }
