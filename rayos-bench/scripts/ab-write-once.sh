#!/usr/bin/env bash
# A/B of builds on the write path, for this noisy 2-vCPU machine: runs WriteOnce from each benchmark
# jar in turn, ROUNDS times, RUNS runs per JVM (the first WARM of each JVM dropped: JIT warm-up), and
# prints each jar's median lines/s, quartiles and median producer CPU per line. Alternating the jars
# spreads the machine's drift over all of them; a single run of each means little here.
#
#   rayos-bench/scripts/ab-write-once.sh THREADS ROUNDS before.jar after.jar [more.jar...]
#
# Build each jar with `mvn -B -q -pl rayos-bench -am package -DskipTests` and copy
# rayos-bench/target/benchmarks.jar aside. CONTENDER (rayos), RUNS (16), WARM (8), LINES (1600000).
# WARM is 8 because C2 still compiles rayos-log's once-per-pass code through a JVM's sixth or
# seventh run, taking a core from the measured run (docs/PERFORMANCE.md, speed round 7).
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
T=$1 R=$2
shift 2
for j in "$@"; do
  [ -f "$j" ] || { echo "ab-write-once.sh: no such jar: $j" >&2; exit 2; }
done
C=${CONTENDER:-rayos} N=${RUNS:-16} W=${WARM:-8} L=${LINES:-1600000}
[ "$N" -gt "$W" ] || { echo "ab-write-once.sh: RUNS ($N) must be more than WARM ($W)" >&2; exit 2; }
for r in $(seq 1 "$R"); do
  for j in "$@"; do
    java -Xms2g -Xmx2g -Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector \
        -cp "$j" dev.rayos.bench.WriteOnce "$C" "$T" "$L" "$N" | grep ' threads=' | tail -n +$((W + 1)) | sed "s|^|$j |"
  done
done | python3 -c '
import collections, re, statistics, sys
rate = collections.defaultdict(list); cpu = collections.defaultdict(list); pcpu = collections.defaultdict(list)
for line in sys.stdin:
    m = re.search(r"([\d.]+)M lines/s.*producer CPU (\d+) ns/line, process CPU (\d+)", line)
    j = line.split()[0]
    rate[j].append(float(m.group(1))); cpu[j].append(int(m.group(2))); pcpu[j].append(int(m.group(3)))
for j, r in rate.items():
    q = statistics.quantiles(r) if len(r) > 1 else [r[0]] * 3
    print(f"{j}: n={len(r)} median {statistics.median(r):.2f}M lines/s (q1 {q[0]:.2f}, q3 {q[2]:.2f}),"
          f" producer CPU {statistics.median(cpu[j])} ns/line, process CPU {statistics.median(pcpu[j])} ns/line")'
