#!/usr/bin/env bash
# Makes the AppCDS archive that lets the rayos command start fast (docs/PERFORMANCE.md, "Start of
# the short commands"):
#
#   make-archive.sh JAVA JAR ARCHIVE
#
# (It is the one home of the training for both the host's launcher, run by rayos-cli's build, and
# the guest image, whose builder runs it from the jar with its jlink'd java: AgentCds.)
#
# JAVA is the java binary that will run the command (the archive only fits the JVM that made it: a
# jlink'd runtime makes its own), JAR the rayos.jar it will run, by the same path it will be given
# at run time (`java -XX:SharedArchiveFile=ARCHIVE -jar JAR`), ARCHIVE the file to write.
#
# It runs the short commands (boot, log, logs, boots, status, shutdown, help) on a scratch root
# with -XX:DumpLoadedClassList, merges the lists and dumps a static archive of those classes (the
# JDK's and the jar's) with -Xshare:dump. The archive is written beside ARCHIVE and renamed onto it,
# so a reader never sees half of one. Run it again whenever JAVA or JAR changes: the JVM ignores an
# archive made for another jar (a stale one costs speed, never the command), and the launcher passes
# -XX:+VerifySharedSpaces so a damaged one is ignored too.
#
# Environment: RAYOS_CDS_JAVA_OPTS, JVM options of the run time to train and dump with (the guest's
# GC and tiering; -Xshare options are the script's own); RAYOS_CDS_EXTRA_LISTS, class lists made
# elsewhere to merge in (the image builder's agent boot).
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 JAVA JAR ARCHIVE" >&2
  exit 2
fi
java=$1
jar=$2
archive=$3
[ -x "$java" ] || { echo "$0: $java is not an executable java" >&2; exit 2; }
[ -f "$jar" ] || { echo "$0: no jar at $jar" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rayos-cds.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
read -r -a jopts <<<"${RAYOS_CDS_JAVA_OPTS:-}"
n=0
train() {
  n=$((n + 1))
  "$java" ${jopts[@]+"${jopts[@]}"} -Xshare:auto -XX:DumpLoadedClassList="$work/$n.classlist" -jar "$jar" --root "$root" "$@" \
    >/dev/null 2>&1 || true # a check that does not hold (status) still loads its classes
}
train boot --no-wall-clock
train log kernel RAYOS_KERNEL_START
train log app SAID msg="hello world" n=1
train log --level ERROR disk WRITE_FAILED dev=/dev/sda
train time-sync
train logs -n 20
train logs -o json -n 5
train boots
train status
train shutdown
train --help
train log --help
# A JVM that exits while it writes its list leaves a last line cut short, and -Xshare:dump refuses a
# whole list for one bad line: drop a last line without its line feed, and @ lines too short to be whole.
for f in ${RAYOS_CDS_EXTRA_LISTS:-}; do
  [ -f "$f" ] && cp "$f" "$work/extra.$((n += 1)).classlist"
done
for f in "$work"/*.classlist; do
  if [ -s "$f" ] && [ -n "$(tail -c1 "$f")" ]; then sed -i '$d' "$f"; fi
done
# In the order first seen, each class once (the JVM warns about, and skips, what it cannot archive).
# The merge is named so that the lists' glob cannot take it in: the glob of cat and awk's output
# file are made at once, and a glob that saw the half-written merge fed it back in (a cut line).
lists=("$work"/*.classlist)
cat "${lists[@]}" | awk '!seen[$0]++ && !($1 ~ /^@/ && NF < 3)' >"$work/merged.list"
tmp="$archive.tmp.$$"
rm -f "$tmp"
"$java" ${jopts[@]+"${jopts[@]}"} -Xshare:dump -XX:SharedClassListFile="$work/merged.list" -XX:SharedArchiveFile="$tmp" \
  -cp "$jar" >"$work/dump.log" 2>&1 || { cat "$work/dump.log" >&2; rm -f "$tmp"; exit 1; }
mv -f "$tmp" "$archive"
