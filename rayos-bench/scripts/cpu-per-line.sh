#!/usr/bin/env bash
# What a line costs the machine, contender beside contender: runs WriteOnce for each contender in
# turn, ROUNDS times per thread count, RUNS runs per JVM (the first two of each dropped: JIT
# warm-up), and prints per contender and thread count the median lines/s, and the median CPU per
# line of the producers and of the whole process (every thread: background writers, GC, JIT).
# On this 2-vCPU machine every contender fills both cores with two producers, so there the rate is
# the machine's CPU divided by the process's CPU per line.
#
#   rayos-bench/scripts/cpu-per-line.sh benchmarks.jar ROUNDS THREADS...
#
# CONTENDERS ("rayos log4j2 logback"), RUNS (8), LINES (1600000). Log4j2 runs with all loggers
# asynchronous, as in run-write-bench.sh. The JIT is still compiling through a JVM's eighth run
# (docs/PERFORMANCE.md, speed round 6): RUNS=16 weighs steadier runs, at twice the time.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
J=$1 R=$2
shift 2
[ -f "$J" ] || { echo "cpu-per-line.sh: no such jar: $J" >&2; exit 2; }
N=${RUNS:-8} L=${LINES:-1600000}
for r in $(seq 1 "$R"); do
  for t in "$@"; do
    for c in ${CONTENDERS:-rayos log4j2 logback}; do
      java -Xms2g -Xmx2g -Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector \
          -cp "$J" dev.rayos.bench.WriteOnce "$c" "$t" "$L" "$N" | grep ' threads=' | tail -n +3
    done
  done
done | python3 -c '
import collections, re, statistics, sys
d = collections.defaultdict(lambda: ([], [], []))
for line in sys.stdin:
    m = re.search(r"^(\S+) threads=(\d+).*?([\d.]+)M lines/s.*producer CPU (\d+) ns/line, process CPU (\d+)", line)
    k = (int(m.group(2)), m.group(1))
    d[k][0].append(float(m.group(3))); d[k][1].append(int(m.group(4))); d[k][2].append(int(m.group(5)))
print("| threads | contender | runs | lines/s median (min – max) | producer CPU ns/line | process CPU ns/line |")
print("|---|---|---|---|---|---|")
for k in sorted(d):
    r, c, p = d[k]
    print(f"| {k[0]} | {k[1]} | {len(r)} | {statistics.median(r):.2f} M ({min(r):.2f} – {max(r):.2f}) |"
          f" {statistics.median(c):.0f} | {statistics.median(p):.0f} |")'
