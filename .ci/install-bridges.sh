#!/usr/bin/env bash
# Installs what the bridge tests use: util-linux's logger(1) (package bsdutils), rsyslog with its
# GnuTLS driver (the forwarder's tls:// test), openssl (the test's CA) and jq (reads rayos logs -o json).
# Idempotent: returns at once when all are present. Never starts the system's rsyslog: the tests
# start their own rsyslogd on 127.0.0.1 with their own config, pid file and work directory.
set -euo pipefail

if command -v logger >/dev/null 2>&1 && command -v rsyslogd >/dev/null 2>&1 && command -v jq >/dev/null 2>&1 \
    && command -v openssl >/dev/null 2>&1 && ls /usr/lib/*/rsyslog/lmnsd_gtls.so >/dev/null 2>&1; then
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
apt-get install -y -qq --no-install-recommends bsdutils util-linux rsyslog rsyslog-gnutls openssl jq >/dev/null
