#!/usr/bin/env bash
# Reading a time window: `rayos logs -b all --since X` where X selects the last boot (~1% of the set),
# with and without the time index (docs/log-times.md), against reading that boot alone.
#
#   rayos-bench/scripts/since-compare.sh [ROOT] [BOOTS] [MIB_PER_BOOT] [RUNS]
#
# The data is scan-compare.sh's (same generator, same defaults: 103 boots x 10 MiB = 1.0 GiB under
# /tmp/rayos-scan; generated when missing). Contenders, alternated, RUNS times each (default 5):
#   full     RAYOS_TIME_INDEX=off: every file read in full, as before the index
#   first    the index removed before each run: every file read, measured, the index written
#   indexed  the index in place: only the files (and chunks) that can hold a line of the window
#   alone    -b <last boot>: that boot's files only (no window), the same lines
# Each prints its lines into wc -l; every count is checked against awk over the files (lines whose
# timestamp is at or after X). rayos runs through ./rayos, JVM start included. Prints the medians of
# wall and CPU (user + system) time, and what the indexed read says it read (RAYOS_DEBUG_READ).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
ROOT=${1:-/tmp/rayos-scan}
BOOTS=${2:-103}
MIB=${3:-10}
RUNS=${4:-5}
JAR="$here/rayos-cli/target/rayos.jar"
[ -f "$JAR" ] || (cd "$here" && mvn -B -q -DskipTests -pl rayos-cli -am package)
if [ ! -d "$ROOT/var/rayos/logs/boot" ]; then
  echo "generating $BOOTS boots x $MIB MiB under $ROOT" >&2
  java -cp "$JAR" "$here/rayos-bench/scripts/GenLogs.java" "$ROOT" "$BOOTS" "$MIB"
fi
LOGS="$ROOT/var/rayos/logs"
CACHE="$ROOT/var/cache/rayos/log-times"
mapfile -t FILES < <(find "$LOGS" -name '*.log' -type f | sort)
BYTES=$(cat "${FILES[@]}" | wc -c)
# the boot whose first line is latest, and that line's time: the window is that boot
LAST=$(for f in "$LOGS"/boot/*.log; do printf '%s %s\n' "$(head -c 40 "$f" | cut -d' ' -f1)" "$(basename "$f" | cut -c1-32)"; done | sort | tail -1)
SINCE=${LAST% *}
ONE=${LAST#* }
ONE_BYTES=$(cat "$LOGS"/*/"$ONE"*.log | wc -c)
WANT=$(LC_ALL=C awk -v x="$SINCE" '$1 >= x' "${FILES[@]}" | wc -l)
RAYOS="$here/rayos"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rayos-since.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
declare -A T U C
NAMES=(full first indexed alone)
CMD_full="RAYOS_TIME_INDEX=off $RAYOS --root '$ROOT' logs -b all --since $SINCE -o raw | wc -l"
CMD_first="rm -rf '$CACHE' && $RAYOS --root '$ROOT' logs -b all --since $SINCE -o raw | wc -l"
CMD_indexed="$RAYOS --root '$ROOT' logs -b all --since $SINCE -o raw | wc -l"
CMD_alone="$RAYOS --root '$ROOT' logs -b $ONE -o raw | wc -l"
"$RAYOS" --root "$ROOT" logs -b all --since "$SINCE" -o raw > /dev/null # warm: page cache, the index
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < RUNS; i++)); do
  for k in "${NAMES[@]}"; do
    eval "cmd=\$CMD_$k"
    C[$k]=$(/usr/bin/time -f '%e %U %S' -o "$TMP/time" bash -c "$cmd")
    read -r e u s < "$TMP/time"
    T[$k]+="$e "
    U[$k]+="$(echo "$u + $s" | bc) "
  done
done
SAID=$(RAYOS_DEBUG_READ=1 "$RAYOS" --root "$ROOT" logs -b all --since "$SINCE" -o raw 2>&1 >/dev/null | grep 'files read' || true)
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $BYTES bytes in ${#FILES[@]} files, $BOOTS boots; window --since $SINCE = boot $ONE ($ONE_BYTES bytes, $WANT lines); runs: $RUNS"
echo "indexed read: $SAID"
printf '%-8s %9s %9s %10s %s\n' contender wall_s cpu_s lines check
for k in "${NAMES[@]}"; do
  ok=$([ "${C[$k]}" = "$WANT" ] && echo ok || echo "MISMATCH (want $WANT)")
  printf '%-8s %9.3f %9.3f %10s %s   (wall: %s cpu: %s)\n' "$k" "$(echo "${T[$k]}" | median)" "$(echo "${U[$k]}" | median)" "${C[$k]}" "$ok" "${T[$k]}" "${U[$k]}"
done
