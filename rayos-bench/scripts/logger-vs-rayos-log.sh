#!/usr/bin/env bash
# The shell's fast path: N `logger -u` calls to a running `rayos serve` beside M `rayos log` calls
# (each a JVM start), on a fresh temporary root. Prints wall time per call and confirms every line
# arrived. Usage: rayos-bench/scripts/logger-vs-rayos-log.sh [N=500] [M=20]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-500}
m=${2:-20}
jar="$here/rayos-cli/target/rayos.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests -pl rayos-cli -am package)
root=$(mktemp -d)
trap 'kill "$serve" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$root"' EXIT
java -jar "$jar" --root "$root" boot >/dev/null
java -jar "$jar" --root "$root" serve > "$root/serve.out" 2>&1 &
serve=$!
for _ in $(seq 200); do [ -S "$root/run/rayos/log.sock" ] && break; sleep 0.05; done
sock="$root/run/rayos/log.sock"
t0=$(date +%s%N)
for i in $(seq "$n"); do logger -u "$sock" --socket-errors=on -t bench "call $i"; done
t1=$(date +%s%N)
for i in $(seq "$m"); do java -jar "$jar" --root "$root" log bench CALL "n=$i"; done
t2=$(date +%s%N)
kill -TERM "$serve"; wait "$serve" || true
got_logger=$(cat "$root"/var/rayos/logs/boot/*.log | grep -c ' bench SYSLOG ' || true)
got_log=$(cat "$root"/var/rayos/logs/boot/*.log | grep -c ' bench CALL ' || true)
awk -v n="$n" -v m="$m" -v a="$((t1 - t0))" -v b="$((t2 - t1))" -v gl="$got_logger" -v gr="$got_log" 'BEGIN {
  printf "logger -u (to rayos serve): %d calls, %.2f ms/call, %d lines arrived\n", n, a / n / 1e6, gl
  printf "rayos log (JVM per call):   %d calls, %.1f ms/call, %d lines arrived\n", m, b / m / 1e6, gr
}'
