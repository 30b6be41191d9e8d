#!/usr/bin/env bash
# The bootable machine's figures (docs/PERFORMANCE.md, "The machine"): image build time and size, and
# boot to RAYOS_READY under QEMU split into firmware+systemd-boot, kernel, /init, JVM start, agent and
# components. Usage: rayos-bench/scripts/machine-bench.sh [BOOTS] [ACCEL]   (default 3 tcg)
# Needs the shaded jar (mvn -DskipTests package) and .ci/install-harness.sh + .ci/install-machine.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
jar="$here/rayos-cli/target/rayos.jar"
boots=${1:-3}
accel=${2:-tcg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '#!/bin/sh\necho READY; while :; do sleep 60; done\n' > "$work/svc.sh"
printf '#!/bin/sh\nexit 0\n' > "$work/oneshot.sh"
rayos() { java -jar "$jar" "$@"; }

start=$(date +%s%N)
rayos image build --out "$work/bench.img" --component svc="$work/svc.sh" --component job="$work/oneshot.sh" 2> "$work/build.err" >/dev/null
build_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "image build: ${build_ms} ms ($(grep -o 'initramfs [0-9]* MiB' "$work/build.err"))"
echo "image size: $(du -h --apparent-size "$work/bench.img" | cut -f1) apparent, $(du -h "$work/bench.img" | cut -f1) on disk"

for i in $(seq 1 "$boots"); do
  rayos --root "$work/host" harness run --image "$work/bench.img" --accel "$accel" -q --serial-log "$work/s$i.log" \
        --expect RAYOS_READY@300s 2> "$work/h$i.err" >/dev/null || { echo "boot $i failed: $(tail -1 "$work/h$i.err")"; continue; }
  total=$(grep -o 'RAYOS\\x5fREADY" waited_ms=[0-9]*' "$work/h$i.err" | grep -o '[0-9]*$')
  line=$(tr -d '\r' < "$work/s$i.log" | grep -a 'RAYOS_AGENT_START')
  init=$(echo "$line" | grep -o 'init_ms=[0-9-]*' | cut -d= -f2)
  exec=$(echo "$line" | grep -o 'exec_ms=[0-9-]*' | cut -d= -f2)
  agent=$(echo "$line" | grep -o 'uptime_ms=[0-9]*' | cut -d= -f2)
  cds=$(echo "$line" | grep -o 'cds=[a-z]*' | cut -d= -f2)
  ready=$(tr -d '\r' < "$work/s$i.log" | grep -a 'RAYOS_READY mode' | grep -o 'uptime_ms=[0-9]*' | cut -d= -f2)
  comp=$(tr -d '\r' < "$work/s$i.log" | grep -a 'RAYOS_COMPONENT_START' | head -1 | grep -o '^[^ ]*')
  fsck=$(tr -d '\r' < "$work/s$i.log" | grep -a 'RAYOS_DATA_CHECK' | grep -o 'result=[a-z]* exit=[0-9]* ms=[0-9]*' || true)
  fw=$(( total - ready ))
  echo "boot $i: total ${total} ms = firmware+systemd-boot ~${fw} | kernel ${init} | /init $((exec - init)) (data check: ${fsck:-none}) | JVM start $((agent - exec)) | agent+components $((ready - agent)) | appcds ${cds:-?} | load $(cut -d' ' -f1 /proc/loadavg)"
done
