#!/usr/bin/env bash
# What a line costs the machine, contender beside contender: runs WriteOnce for each contender in
# turn, ROUNDS times per thread count, RUNS runs per JVM (the first WARM of each dropped: JIT
# warm-up), and prints per contender and thread count the median lines/s, and the median CPU per
# line of the producers and of the whole process (every thread: background writers, GC, JIT), with
# each JVM's median rate: Log4j2's differs from JVM to JVM by up to 2.5x here (speed round 7).
# On this 2-vCPU machine every contender fills both cores with two producers, so there the rate is
# the machine's CPU divided by the process's CPU per line.
#
#   rayos-bench/scripts/cpu-per-line.sh benchmarks.jar ROUNDS THREADS...
#
# CONTENDERS ("rayos log4j2 logback"), RUNS (16), WARM (8), LINES (1600000). Log4j2 runs with all
# loggers asynchronous, as in run-write-bench.sh. WARM is 8 because C2 still compiles rayos-log's
# once-per-pass code (about a thousand calls a run) through a JVM's sixth or seventh run, taking a
# core from the measured run; Log4j2's compiles end by its third (docs/PERFORMANCE.md, speed round 7).
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
J=$1 R=$2
shift 2
[ -f "$J" ] || { echo "cpu-per-line.sh: no such jar: $J" >&2; exit 2; }
N=${RUNS:-16} W=${WARM:-8} L=${LINES:-1600000}
[ "$N" -gt "$W" ] || { echo "cpu-per-line.sh: RUNS ($N) must be more than WARM ($W)" >&2; exit 2; }
for r in $(seq 1 "$R"); do
  for t in "$@"; do
    for c in ${CONTENDERS:-rayos log4j2 logback}; do
      java -Xms2g -Xmx2g -Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector \
          -cp "$J" dev.rayos.bench.WriteOnce "$c" "$t" "$L" "$N" | grep ' threads=' | tail -n +$((W + 1)) | sed "s/^/$r /"
    done
  done
done | python3 -c '
import collections, re, statistics, sys
d = collections.defaultdict(lambda: ([], [], []))
jvm = collections.defaultdict(lambda: collections.defaultdict(list))
for line in sys.stdin:
    m = re.search(r"^(\d+) (\S+) threads=(\d+).*?([\d.]+)M lines/s.*producer CPU (\d+) ns/line, process CPU (\d+)", line)
    k = (int(m.group(3)), m.group(2))
    d[k][0].append(float(m.group(4))); d[k][1].append(int(m.group(5))); d[k][2].append(int(m.group(6)))
    jvm[k][m.group(1)].append(float(m.group(4)))
print("| threads | contender | runs | lines/s median (min – max) | median per JVM | producer CPU ns/line | process CPU ns/line |")
print("|---|---|---|---|---|---|---|")
for k in sorted(d):
    r, c, p = d[k]
    each = ", ".join(f"{statistics.median(v):.2f}" for v in jvm[k].values())
    print(f"| {k[0]} | {k[1]} | {len(r)} | {statistics.median(r):.2f} M ({min(r):.2f} – {max(r):.2f}) | {each} |"
          f" {statistics.median(c):.0f} | {statistics.median(p):.0f} |")'
