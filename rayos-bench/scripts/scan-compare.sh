#!/usr/bin/env bash
# Full-scan and selective reads: `rayos logs` against GNU grep and ripgrep on the same files.
#
#   rayos-bench/scripts/scan-compare.sh [ROOT] [BOOTS] [MIB_PER_BOOT] [RUNS]
#
# Generates BOOTS boots of MIB_PER_BOOT MiB of log lines under ROOT (default /tmp/rayos-scan: 103 x 10
# = 1.0 GiB, 5% of lines WARN or worse) with the project's own line codec, warms the page cache,
# then runs each contender RUNS times (default 3), alternating them, and prints the medians.
# Every contender's output is counted and checked (a fast run that lost lines is not a result).
# grep is timed with -c, never with output to /dev/null (GNU grep stops at the first match then).
# rayos is timed with its output piped into wc -l, JVM start included.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOT=${1:-/tmp/rayos-scan}
BOOTS=${2:-103}
MIB=${3:-10}
RUNS=${4:-3}
JAR="$here/rayos-cli/target/rayos.jar"
[ -f "$JAR" ] || (cd "$here" && mvn -B -q -DskipTests -pl rayos-cli -am package)
if [ ! -d "$ROOT/var/rayos/logs/boot" ]; then
  echo "generating $BOOTS boots x $MIB MiB under $ROOT" >&2
  java -cp "$JAR" "$here/rayos-bench/scripts/GenLogs.java" "$ROOT" "$BOOTS" "$MIB"
fi
LOGS="$ROOT/var/rayos/logs"
mapfile -t FILES < <(find "$LOGS" -name '*.log' -type f | sort)
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null # warm cache
command -v rg >/dev/null || { echo "ripgrep (rg) is not installed: apt-get install ripgrep" >&2; exit 1; }
rayos() { java ${RAYOS_JAVA_OPTS:-} -jar "$JAR" --root "$ROOT" "$@"; }
sum() { awk -F: '{s+=$NF} END {print s+0}'; }
ONE=$(rayos boots -o json | sed -n '50p' | sed 's/.*"boot_id":"\([0-9a-f]*\)".*/\1/')
ONE_BYTES=$(cat "$LOGS"/*/"$ONE"*.log | wc -c)

declare -A T C
run() { # name, command...
  local name=$1; shift
  local t0 t1 out
  t0=$(date +%s.%N); out=$("$@"); t1=$(date +%s.%N)
  T[$name]+="$(echo "$t1 - $t0" | bc) "
  C[$name]=$out
}
for ((i = 0; i < RUNS; i++)); do
  run rayos_warn   bash -c "java ${RAYOS_JAVA_OPTS:-} -jar '$JAR' --root '$ROOT' logs -b all --level WARN -o raw | wc -l"
  run grep_warn    bash -c "LC_ALL=C grep -cF ' WARN ' $(printf "'%s' " "${FILES[@]}") | awk -F: '{s+=\$NF} END {print s+0}'"
  run rg_warn      bash -c "rg -cF ' WARN ' $(printf "'%s' " "${FILES[@]}") | awk -F: '{s+=\$NF} END {print s+0}'"
  run rayos_all    bash -c "java ${RAYOS_JAVA_OPTS:-} -jar '$JAR' --root '$ROOT' logs -b all -o raw | wc -l"
  run rayos_one    bash -c "java ${RAYOS_JAVA_OPTS:-} -jar '$JAR' --root '$ROOT' logs -b $ONE -o raw | wc -l"
done
# what each should have found
EXPECT_LEVEL=$(LC_ALL=C grep -cE '^[^ ]+ (WARN|ERROR|CRIT|ALERT|EMERG) ' "${FILES[@]}" | sum)
EXPECT_ALL=$(cat "${FILES[@]}" | wc -l)
EXPECT_ONE=$(cat "$LOGS"/*/"$ONE"*.log | wc -l)
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $BYTES bytes in ${#FILES[@]} files, $BOOTS boots; one boot $ONE = $ONE_BYTES bytes; runs: $RUNS"
printf '%-12s %10s %10s %12s %s\n' contender median_s GB/s lines check
for k in rayos_warn grep_warn rg_warn rayos_all rayos_one; do
  m=$(echo "${T[$k]}" | median)
  case $k in
    rayos_warn) want=$EXPECT_LEVEL; b=$BYTES;;
    rayos_all) want=$EXPECT_ALL; b=$BYTES;;
    rayos_one) want=$EXPECT_ONE; b=$ONE_BYTES;;
    *) want=${C[grep_warn]}; b=$BYTES;;
  esac
  ok=$([ "${C[$k]}" = "$want" ] && echo ok || echo "MISMATCH (want $want)")
  printf '%-12s %10.3f %10.2f %12s %s   (runs: %s)\n' "$k" "$m" "$(echo "$b / $m / 1000000000" | bc -l)" "${C[$k]}" "$ok" "${T[$k]}"
done
