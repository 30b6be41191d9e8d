#!/usr/bin/env bash
# Lines/s forwarded to a local rsyslogd (imtcp -> omfile) by `rayos forward --once` (JVM start
# included), beside rsyslog's own imfile -> omfwd (octet-counted TCP) reading the same file into a
# second collector. One boot of N lines in one file (no rotation); each collector's own config,
# pid file and work directory under a temporary directory, loopback only; never the system's rsyslog.
# Usage: rayos-bench/scripts/forward-vs-imfile.sh [N=200000]   (RAYOS_JAR=... to time another build)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-200000}
jar="${RAYOS_JAR:-$here/rayos-cli/target/rayos.jar}"
[ -f "$jar" ] || (cd "$here" && mvn -B -q -DskipTests -pl rayos-cli -am package)
command -v rsyslogd >/dev/null || { echo "rsyslogd is not installed (.ci/install-bridges.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
collector() { # NAME PORT: imtcp -> omfile NAME.out
  mkdir -p "$tmp/$1"
  cat > "$tmp/$1/rs.conf" <<CONF
global(workDirectory="$tmp/$1" maxMessageSize="256k")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
input(type="imtcp" port="$2" address="127.0.0.1")
action(type="omfile" file="$tmp/$1.out" template="raw")
CONF
  rsyslogd -n -f "$tmp/$1/rs.conf" -i "$tmp/$1/pid" >"$tmp/$1/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 400); do (exec 3<>/dev/tcp/127.0.0.1/"$2") 2>/dev/null && return; sleep 0.05; done
  echo "collector $1 did not start" >&2; exit 1
}
await() { # FILE N: nanoseconds when FILE has N lines
  while [ "$( { wc -l < "$1"; } 2>/dev/null || echo 0)" -lt "$2" ]; do sleep 0.02; done
  date +%s%N
}
root="$tmp/root"
boot=0123456789abcdef0123456789abcdef
mkdir -p "$root/var/rayos/logs/boot"
python3 - "$root/var/rayos/logs/boot/$boot.log" "$n" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write('2026-12-03T12:00:%02d.%06dZ INFO app REQUEST n=%d path=/api/v1/items/%d msg="request served in %d ms"\n'
                % (i // 1000000 % 60, i % 1000000, i, i % 997, i % 250))
PY
bytes=$(stat -c %s "$root/var/rayos/logs/boot/$boot.log")
pa=$(port); collector fwd "$pa"
t0=$(date +%s%N)
java -jar "$jar" --root "$root" forward --once --target "tcp://127.0.0.1:$pa" > "$tmp/forward.out"
t1=$(await "$tmp/fwd.out" "$n")
pb=$(port); collector imf "$pb"
mkdir -p "$tmp/src"
cat > "$tmp/src/rs.conf" <<CONF
global(workDirectory="$tmp/src" maxMessageSize="256k")
module(load="imfile")
input(type="imfile" File="$root/var/rayos/logs/boot/*.log" Tag="rayos" readMode="0")
action(type="omfwd" target="127.0.0.1" port="$pb" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
CONF
t2=$(date +%s%N)
rsyslogd -n -f "$tmp/src/rs.conf" -i "$tmp/src/pid" >"$tmp/src/log" 2>&1 &
pids+=($!)
t3=$(await "$tmp/imf.out" "$n")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v n="$n" -v by="$bytes" -v a="$((t1 - t0))" -v b="$((t3 - t2))" 'BEGIN {
  printf "%d lines, %.1f MiB\n", n, by / 1048576
  printf "rayos forward --once (JVM start included): %.2f s, %.0f lines/s\n", a / 1e9, n / (a / 1e9)
  printf "rsyslog imfile -> omfwd (rsyslogd start included): %.2f s, %.0f lines/s\n", b / 1e9, n / (b / 1e9)
}'
cat "$tmp/forward.out"
