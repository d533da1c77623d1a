#!/usr/bin/env bash
# Restarts only the Dovecot of a running test mail server (tests use it to simulate an IMAP
# server restart): stops its master and children, then starts it again with the settings
# saved in STATE. Postfix keeps running and the stored mail is kept. Prints the KEY=VALUE
# lines as start.sh does.
#
#   tests/mailserver/restart-dovecot.sh STATE
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
log() { printf '[mailserver] %s\n' "$*" >&2; }
if [ $# -ne 1 ] || [ ! -r "$1/mailtest.env" ]; then
  log "usage: restart-dovecot.sh STATE (a state dir that start.sh started)"
  exit 1
fi
"$HERE/stop.sh" "$1" --only dovecot
exec "$HERE/start.sh" "$1" --only dovecot
