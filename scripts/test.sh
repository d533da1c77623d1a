#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit tests and the integration tests in tests/it.
# Installs and starts whatever the integration tests need, and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== tools the document tests need"
scripts/install-tools.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --all-targets -- -D warnings

echo "== mail servers for the integration tests (Dovecot + Postfix on 127.0.0.1)"
mail_state=$(mktemp -d /tmp/baocao-mail.XXXXXX)
trap 'tests/mailserver/stop.sh "$mail_state" --purge >/dev/null 2>&1 || true' EXIT
MAILTEST_IMAP_PORT=21143 MAILTEST_IMAPS_PORT=21993 MAILTEST_SMTP_PORT=22525 \
  MAILTEST_SMTPS_PORT=22465 MAILTEST_LMTP_PORT=22424 \
  tests/mailserver/start.sh "$mail_state" >/dev/null
export BAOCAO_MAILTEST_ENV="$mail_state/mailtest.env"

echo "== cargo test"
# The tests read baocao's Vietnamese (its default); an English locale would switch it.
unset LC_ALL LC_MESSAGES
export LANG=C.UTF-8
cargo test
