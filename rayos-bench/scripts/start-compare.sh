#!/usr/bin/env bash
# Start of the short commands (issue 11): `rayos log` and `rayos logs -n 20` against `logger` and
# `tail -n 20` (and `journalctl -n 20` where there is a journal), medians by hyperfine.
#
#   [BOOTS=N] rayos-bench/scripts/start-compare.sh [RUNS] [OUT_DIR]     # defaults: 30, rayos-bench/target/start
#
# Needs hyperfine (Debian: apt-get install hyperfine) and a packaged CLI
# (mvn -B -q -pl rayos-cli -am package -DskipTests, which also makes the start-up archive).
# Each rayos contender runs in several forms, so the gain of each lever shows:
#   plain    java -jar rayos.jar                         (what ./rayos ran before)
#   tuned    java -XX:+UseSerialGC -XX:-UsePerfData -jar (no archive)
#   archive  tuned + -XX:SharedArchiveFile=rayos.jsa -XX:+VerifySharedSpaces, mapped where it was made
#            (-XX:ArchiveRelocationMode=0, a diagnostic option) (what ./rayos runs now)
#   ./rayos  the launcher itself (its staleness check included)
# BEFORE_LAUNCHER=path/to/old/checkout/rayos adds that checkout's launcher (below). BEFORE_JAR=path/to/old/rayos.jar adds `java -jar OLD` to both tables (before/after in one run);
# with BEFORE_JSA=its archive too, it is run as ./rayos ran it then (serial GC, the archive verified).
# The floor: an empty main, on the JDK's own archive and on rayos.jsa with ./rayos's options (in the
# log table): what any JVM start costs here, whatever the command does.
# The machine it runs on is not quiet: the figures are medians, and the JSON keeps every run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
runs=${1:-30}
out=${2:-$here/rayos-bench/target/start}
jar=$here/rayos-cli/target/rayos.jar
jsa=$here/rayos-cli/target/rayos.jsa
command -v hyperfine >/dev/null || { echo "$0: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -f "$jar" ] && [ -f "$jsa" ] || { echo "$0: package the CLI first (mvn -B -q -pl rayos-cli -am package -DskipTests)" >&2; exit 2; }
# An archive older than the jar (a build with -Drayos.cds.skip, or mvn verify after package) is
# ignored by the JVM without a word: the "archive" rows would measure no archive.
[ "$jsa" -nt "$jar" ] || { echo "$0: $jsa is older than the jar: package again (without -Drayos.cds.skip)" >&2; exit 2; }
mkdir -p "$out"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
root=$(mktemp -d "${TMPDIR:-/tmp}/rayos-start.XXXXXX")
trap 'rm -rf "$root"' EXIT

plain="java -jar $jar --root $root"
tuned="java -XX:+UseSerialGC -XX:-UsePerfData -jar $jar --root $root"
archive="java -XX:+UseSerialGC -XX:-UsePerfData -XX:SharedArchiveFile=$jsa -XX:+VerifySharedSpaces -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -jar $jar --root $root"
launcher="$here/rayos --root $root"

# BOOTS=N: N-1 earlier boots in the history first (GenLogs, history and an empty input log each), so
# the figures show what reading the history costs a command about the current boot.
if [ "${BOOTS:-1}" -gt 1 ]; then
  java -cp "$jar" "$here/rayos-bench/scripts/GenLogs.java" "$root" $(( BOOTS - 1 )) 0
fi
$launcher boot --no-wall-clock >/dev/null
seq 1 200 | sed 's/^/line /' | $launcher cat app --event SAID >/dev/null
boot_log=$(ls "$root"/var/rayos/logs/boot/*.log | head -1)

# logger: to a UDP port nobody listens on when there is no /dev/log (the datagram is sent, nothing waits).
if [ -S /dev/log ]; then logger_cmd="logger -t rayos-bench SAID n=1"; else logger_cmd="logger -d -n 127.0.0.1 -P 5514 -t rayos-bench SAID n=1"; fi

log_cmds=(); logs_cmds=()
if [ -n "${BEFORE_JAR:-}" ]; then # an older build's jar, run as ./rayos ran it then
  before="java -jar $BEFORE_JAR"
  if [ -n "${BEFORE_JSA:-}" ]; then
    before="java -XX:+UseSerialGC -XX:-UsePerfData -XX:SharedArchiveFile=$BEFORE_JSA -XX:+VerifySharedSpaces -jar $BEFORE_JAR"
  fi
  log_cmds+=("$before --root $root log app SAID n=1")
  logs_cmds+=("$before --root $root logs -n 20")
fi
# BEFORE_LAUNCHER=/path/to/an/older/checkout/rayos: that checkout's own launcher (its jar and archive
# built there), as a user of that version ran it: the fairest before/after when the launcher's JVM
# options changed too.
if [ -n "${BEFORE_LAUNCHER:-}" ]; then
  log_cmds+=("$BEFORE_LAUNCHER --root $root log app SAID n=1")
  logs_cmds+=("$BEFORE_LAUNCHER --root $root logs -n 20")
fi
floor="$out/floor"
mkdir -p "$floor"
printf 'public class Empty { public static void main(String[] a) {} }\n' >"$floor/Empty.java"
javac -d "$floor" "$floor/Empty.java"
log_cmds+=("java -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -cp $floor Empty"
  "java -XX:+UseSerialGC -XX:-UsePerfData -XX:SharedArchiveFile=$jsa -XX:+VerifySharedSpaces -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -cp $jar:$floor Empty")
log_cmds+=("$plain log app SAID n=1" "$tuned log app SAID n=1" "$archive log app SAID n=1" "$launcher log app SAID n=1" "$logger_cmd")
logs_cmds+=("$plain logs -n 20" "$tuned logs -n 20" "$archive logs -n 20" "$launcher logs -n 20" "tail -n 20 $boot_log")
if journalctl -n 1 --no-pager -q >/dev/null 2>&1 && [ -n "$(journalctl -n 1 --no-pager -q 2>/dev/null)" ]; then
  logs_cmds+=("journalctl -n 20 --no-pager")
fi

# Alternate the contenders' order between two halves so a change in the machine's load hits all alike.
half=$(( (runs + 1) / 2 ))
hyperfine -N -w 2 -r "$half" --export-json "$out/log-1.json" "${log_cmds[@]}" >/dev/null
hyperfine -N -w 2 -r "$half" --export-json "$out/logs-1.json" "${logs_cmds[@]}" >/dev/null
rev_log=(); for ((i=${#log_cmds[@]}-1; i>=0; i--)); do rev_log+=("${log_cmds[i]}"); done
rev_logs=(); for ((i=${#logs_cmds[@]}-1; i>=0; i--)); do rev_logs+=("${logs_cmds[i]}"); done
hyperfine -N -w 2 -r "$half" --export-json "$out/log-2.json" "${rev_log[@]}" >/dev/null
hyperfine -N -w 2 -r "$half" --export-json "$out/logs-2.json" "${rev_logs[@]}" >/dev/null

python3 - "$out" "$root" "$here" <<'EOF'
import json, statistics, sys, os
out, root, here = sys.argv[1:4]
rows = {}
for name in ("log-1", "log-2", "logs-1", "logs-2"):
    for r in json.load(open(os.path.join(out, name + ".json")))["results"]:
        cmd = r["command"].replace(root, "ROOT").replace(out + "/floor", "FLOOR").replace(here + "/", "").replace(here, ".")
        e = rows.setdefault(cmd, {"t": [], "cpu": []})
        e["t"] += r["times"]
        e["cpu"] += [u + s for u, s in zip(r["user"] if isinstance(r["user"], list) else [r["user"]] * len(r["times"]),
                                          r["system"] if isinstance(r["system"], list) else [r["system"]] * len(r["times"]))]
print("| command | runs | median wall s | p90 wall s | mean CPU s (user+sys) |")
print("|---|---:|---:|---:|---:|")
for cmd, e in rows.items():
    t = sorted(e["t"])
    print(f"| `{cmd}` | {len(t)} | {statistics.median(t):.3f} | {t[int(0.9 * (len(t) - 1))]:.3f} | {statistics.mean(e['cpu']):.3f} |")
EOF
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
