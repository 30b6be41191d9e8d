#!/usr/bin/env bash
# Full-scan and selective reads: `rayos logs` against GNU grep and ripgrep on the same files.
#
#   rayos-bench/scripts/scan-compare.sh [ROOT] [BOOTS] [MIB_PER_BOOT] [RUNS]
#
# Generates BOOTS boots of MIB_PER_BOOT MiB of log lines under ROOT (default /tmp/rayos-scan: 103 x 10
# = 1.0 GiB, 5% of lines WARN or worse) with the project's own line codec, warms the page cache,
# then runs each contender RUNS times (default 3), alternating them, and prints the medians of wall
# time and of CPU time (user + system).
# Every contender's output is counted and checked (a fast run that lost lines is not a result).
# rayos runs through ./rayos (its JVM options, start-up archive and compiler choice), JVM start included, its output piped into wc -l. grep and rg run twice:
# counting ' WARN ' (-c, the cheapest question they can answer; never with output to /dev/null, which
# GNU grep answers at the first match) and printing the lines rayos prints (the same levels, WARN or
# worse) into wc -l. "one" reads one boot among all of them, "alone" the same boot's files copied to
# a root of their own: equal times say reading a boot costs what that boot holds, not the others.
# BEFORE_JAR=path/to/rayos.jar (with BEFORE_JSA=its archive, where it was made) adds an older build,
# run as ./rayos ran it before (serial GC, the archive; -Xshare:on so a start without it fails).
# Leaves ROOT in place (delete it when done: it is the size asked for).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
ROOT=${1:-/tmp/rayos-scan}
BOOTS=${2:-103}
MIB=${3:-10}
RUNS=${4:-3}
JAR="$here/rayos-cli/target/rayos.jar"
JSA="$here/rayos-cli/target/rayos.jsa"
[ -f "$JAR" ] || (cd "$here" && mvn -B -q -DskipTests -pl rayos-cli -am package)
command -v rg >/dev/null || { echo "ripgrep (rg) is not installed: apt-get install ripgrep" >&2; exit 1; }
if [ ! -d "$ROOT/var/rayos/logs/boot" ]; then
  echo "generating $BOOTS boots x $MIB MiB under $ROOT" >&2
  java -cp "$JAR" "$here/rayos-bench/scripts/GenLogs.java" "$ROOT" "$BOOTS" "$MIB"
fi
LOGS="$ROOT/var/rayos/logs"
mapfile -t FILES < <(find "$LOGS" -name '*.log' -type f | sort)
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null # warm cache
# ./rayos's JVM options (see the launcher); -Xshare:on refuses to run without the archive rather
# than measure a start without it unnoticed
jvm() { # jar archive
  local o=(-XX:+UseSerialGC -XX:-UsePerfData)
  [ -n "$2" ] && o+=(-Xshare:on -XX:SharedArchiveFile="$2" -XX:+VerifySharedSpaces -XX:+IgnoreUnrecognizedVMOptions
                     -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)
  echo "java ${o[*]} ${RAYOS_JAVA_OPTS:-} -jar $1"
}
# the current build through the launcher itself (its compiler choice and staleness check included)
[ "$JSA" -nt "$JAR" ] || { echo "$0: $JSA is missing or older than the jar: package again" >&2; exit 2; }
RAYOS="$here/rayos"
ONE=$(ls "$ROOT/var/rayos/boot/history" | sed -n "$(( (BOOTS + 1) / 2 ))p" | cut -c1-32)
ONE_BYTES=$(cat "$LOGS"/*/"$ONE"*.log | wc -c)
ALONE=$(mktemp -d "${TMPDIR:-/tmp}/rayos-scan-alone.XXXXXX")
trap 'rm -rf "$ALONE"' EXIT
for d in "$LOGS"/*/; do mkdir -p "$ALONE/var/rayos/logs/$(basename "$d")"; cp -p "$d$ONE"*.log "$ALONE/var/rayos/logs/$(basename "$d")/" 2>/dev/null || true; done
mkdir -p "$ALONE/var/rayos/boot/history" && cp -p "$ROOT/var/rayos/boot/history/$ONE.json" "$ALONE/var/rayos/boot/history/"
LEVELS='^[^ ]+ (WARN|ERROR|CRIT|ALERT|EMERG) '
QF=$(printf "'%s' " "${FILES[@]}")

declare -A T C U
NAMES=()
add() { NAMES+=("$1"); eval "CMD_$1=\$2"; }
add rayos_warn  "$RAYOS --root '$ROOT' logs -b all --level WARN -o raw | wc -l"
[ -n "${BEFORE_JAR:-}" ] && add before_warn "$(jvm "$BEFORE_JAR" "${BEFORE_JSA:-}") --root '$ROOT' logs -b all --level WARN -o raw | wc -l"
add grep_lines  "LC_ALL=C grep -hE '$LEVELS' $QF | wc -l"
add rg_lines    "rg -N --no-filename '$LEVELS' $QF | wc -l"
add grep_count  "LC_ALL=C grep -cF ' WARN ' $QF | awk -F: '{s+=\$NF} END {print s+0}'"
add rg_count    "rg -cF ' WARN ' $QF | awk -F: '{s+=\$NF} END {print s+0}'"
add rayos_all   "$RAYOS --root '$ROOT' logs -b all -o raw | wc -l"
add rayos_one   "$RAYOS --root '$ROOT' logs -b $ONE -o raw | wc -l"
add rayos_alone "$RAYOS --root '$ALONE' logs -b $ONE -o raw | wc -l"
[ -n "${BEFORE_JAR:-}" ] && add before_one "$(jvm "$BEFORE_JAR" "${BEFORE_JSA:-}") --root '$ROOT' logs -b $ONE -o raw | wc -l"

for ((i = 0; i < RUNS; i++)); do
  for k in "${NAMES[@]}"; do
    eval "cmd=\$CMD_$k"
    C[$k]=$(/usr/bin/time -f '%e %U %S' -o "$ALONE/time" bash -c "$cmd")
    read -r e u s < "$ALONE/time"
    T[$k]+="$e "
    U[$k]+="$(echo "$u + $s" | bc) "
  done
done
# what each should have found
EXPECT_LEVEL=$(LC_ALL=C grep -cE "$LEVELS" "${FILES[@]}" | awk -F: '{s+=$NF} END {print s+0}')
EXPECT_WARN=$(LC_ALL=C grep -cE '^[^ ]+ WARN ' "${FILES[@]}" | awk -F: '{s+=$NF} END {print s+0}')
EXPECT_ALL=$(cat "${FILES[@]}" | wc -l)
EXPECT_ONE=$(cat "$LOGS"/*/"$ONE"*.log | wc -l)
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $BYTES bytes in ${#FILES[@]} files, $BOOTS boots; one boot $ONE = $ONE_BYTES bytes; runs: $RUNS"
printf '%-12s %9s %9s %7s %10s %s\n' contender wall_s cpu_s GB/s lines check
for k in "${NAMES[@]}"; do
  m=$(echo "${T[$k]}" | median)
  c=$(echo "${U[$k]}" | median)
  case $k in
    *_warn|*_lines) want=$EXPECT_LEVEL; b=$BYTES;;
    *_count) want=$EXPECT_WARN; b=$BYTES;;
    rayos_all) want=$EXPECT_ALL; b=$BYTES;;
    *) want=$EXPECT_ONE; b=$ONE_BYTES;;
  esac
  ok=$([ "${C[$k]}" = "$want" ] && echo ok || echo "MISMATCH (want $want)")
  printf '%-12s %9.3f %9.3f %7.2f %10s %s   (wall: %s)\n' "$k" "$m" "$c" "$(echo "$b / $m / 1000000000" | bc -l)" "${C[$k]}" "$ok" "${T[$k]}"
done
