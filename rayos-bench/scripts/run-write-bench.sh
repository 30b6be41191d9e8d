#!/usr/bin/env bash
# Reproduces docs/PERFORMANCE.md "Writing logs": write throughput (verified), caller allocation,
# and the ring on disk vs tmpfs. Run from anywhere; results land in rayos-bench/target/bench-results/.
#
#   rayos-bench/scripts/run-write-bench.sh            # everything (40 min on 2 vCPUs before the 8-iteration warm-up; longer now)
#   rayos-bench/scripts/run-write-bench.sh write storm alloc   # PERFORMANCE.md's one-run table (10 min, quiet)
#   ROUNDS=1 ITER=1 WARMUP=1 rayos-bench/scripts/run-write-bench.sh write   # a quick look
#
# write: rayos, log4j2, logback, raw and raw_fsync in every round (the durable limit beside the rest).
# Parts: write | alloc | ring | fsync | bigring | storm (default: all). The storm logs every line at
# ERROR, so each must be in its file and fsync'd before its call returns: rayos beside log4j2_fsync
# (a synchronous Log4j2 with immediateFlush=true and FileChannel.force after each call); STORM_LINES
# (10000) lines, fewer because each costs an fsync. Environment: ROUNDS (3), ITER (measured
# iterations per fork, 3), WARMUP (warm-up iterations per fork, 8; the storm's 1: fsync-bound),
# LINES (1600000), MAX_FILES (20), BENCH_DIR (temp root, default /tmp: must be a disk-backed
# filesystem for the numbers to mean anything). WARMUP is 8 because C2 still compiles rayos-log's
# once-per-pass code through a JVM's sixth or seventh iteration, taking a core from the measured
# ones; Log4j2's compiles end by its third (docs/PERFORMANCE.md, speed round 7).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
ITER=${ITER:-3}
WARMUP=${WARMUP:-8}
LINES=${LINES:-1600000}
MAX_FILES=${MAX_FILES:-20}
BENCH_DIR=${BENCH_DIR:-/tmp}
OUT=rayos-bench/target/bench-results
STORM_LINES=${STORM_LINES:-10000}
PARTS=${*:-write alloc ring fsync bigring storm}
JAR=rayos-bench/target/benchmarks.jar
JVM="-Xms2g -Xmx2g -Dbench.dir=$BENCH_DIR -Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector"

nice -n 10 mvn -B -q -pl rayos-bench -am package -DskipTests
mkdir -p "$OUT"
{ lscpu | grep -E 'Model name|^CPU\(s\)'; java -version 2>&1 | head -1; df -hT "$BENCH_DIR" | tail -1; } | tee "$OUT/machine.txt"

jmh() { java -jar "$JAR" -foe true -jvmArgsAppend "$JVM" "$@"; }

# Two contenders, ROUNDS rounds, the order swapped every round. Extra JMH arguments after the third.
pair() {
  local name=$1 a=$2 b=$3 order mode
  shift 3
  rm -f "$OUT/$name"-round-*
  for r in $(seq 1 "$ROUNDS"); do
    order=$([ $((r % 2)) = 1 ] && echo "$a,$b" || echo "$b,$a")
    jmh WriteThroughput -f 1 -wi "$WARMUP" -i "$ITER" -p contender="$order" -p threads=1,2 \
        -p lines="$LINES" -p maxFiles="$MAX_FILES" "$@" -rf json -rff "$OUT/$name-round-$r.json" \
        | tee "$OUT/$name-round-$r.log"
  done
  case $name in ring|storm) mode=$name ;; *) mode=write ;; esac
  python3 rayos-bench/scripts/summarize.py "$mode" "$OUT/$name"-round-*.json | tee "$OUT/$name-summary.md"
}

for part in $PARTS; do
  case $part in
    write)
      # Contenders alternate: each round runs them in another order; the summary takes medians over
      # every measured iteration of every round and the RayOS ratios per round.
      rm -f "$OUT"/write-round-*
      # raw_fsync runs in the same rounds, so the durable limit is measured beside the others.
      orders=("rayos,log4j2,logback,raw,raw_fsync" "raw_fsync,raw,logback,log4j2,rayos" "log4j2,rayos,raw_fsync,raw,logback"
              "logback,raw,rayos,raw_fsync,log4j2")
      for r in $(seq 1 "$ROUNDS"); do
        order=${orders[$(( (r - 1) % ${#orders[@]} ))]}
        jmh WriteThroughput -f 1 -wi "$WARMUP" -i "$ITER" -p contender="$order" -p threads=1,2 \
            -p lines="$LINES" -p maxFiles="$MAX_FILES" -rf json -rff "$OUT/write-round-$r.json" \
            | tee "$OUT/write-round-$r.log"
      done
      python3 rayos-bench/scripts/summarize.py write "$OUT"/write-round-*.json | tee "$OUT/write-summary.md"
      ;;
    alloc)
      jmh CallerAllocation -prof gc -rf json -rff "$OUT/alloc-jmh.json" | tee "$OUT/alloc-jmh.log"
      java $JVM -cp "$JAR" dev.rayos.bench.CallerAllocationCheck 1000000 | tee "$OUT/alloc-caller.txt"
      ;;
    ring)
      # Issue 4: what the mapped ring file costs, disk-backed (run/rayos/ring under the root) vs tmpfs.
      pair ring rayos rayos_shm
      ;;
    fsync)
      # The raw bound with rayos-log's durability: fsync of each file before it is rotated away.
      pair fsync raw raw_fsync
      ;;
    bigring)
      # A 64 MiB ring instead of 4 MiB: if the producers only waited out fsync stalls, this would help.
      pair bigring rayos rayos_ring64m
      ;;
    storm)
      # Every line at ERROR: fsync'd before the call returns, on both sides (the cost of the promise).
      WARMUP=1 LINES=$STORM_LINES pair storm rayos log4j2_fsync -p level=ERROR
      ;;
    *) echo "unknown part $part (write | alloc | ring | fsync | bigring | storm)" >&2; exit 2 ;;
  esac
done
