#!/usr/bin/env bash
# Installs what the bridge tests use: util-linux's logger(1) (package bsdutils) and rsyslog.
# Idempotent: returns at once when both are present. Never starts the system's rsyslog: the tests
# start their own rsyslogd on 127.0.0.1 with their own config, pid file and work directory.
set -euo pipefail

if command -v logger >/dev/null 2>&1 && command -v rsyslogd >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d 101: the package's postinst must not start the service
policy=/usr/sbin/policy-rc.d
created=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created=1
fi
trap '[ -n "$created" ] && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends bsdutils util-linux rsyslog >/dev/null
