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

echo "== cargo test"
cargo test
