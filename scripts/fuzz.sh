#!/usr/bin/env bash
# Runs the mutation fuzzer (examples/fuzz.rs) on one entry point for a given time, on one core.
#   scripts/fuzz.sh ENTRY SECONDS [OUT_DIR]     ENTRY: mime | zip | xlsx | docx | pdf | all
# Findings go to OUT_DIR (default target/fuzz/ENTRY): crashes/, hangs/, panics/ (input .bin and
# what happened .txt). With "all", SECONDS is given to each entry point in turn.
set -euo pipefail
cd "$(dirname "$0")/.."
entry=${1:?"dùng: scripts/fuzz.sh ENTRY SECONDS [OUT_DIR]"}
secs=${2:?"dùng: scripts/fuzz.sh ENTRY SECONDS [OUT_DIR]"}
cargo build --quiet --example fuzz
bin=target/debug/examples/fuzz
run() {
  # One core: the machine is shared.
  taskset -c "${FUZZ_CPU:-0}" "$bin" "$1" "$secs" ${3:+"$3"}
}
if [ "$entry" = all ]; then
  for e in mime zip xlsx docx pdf; do run "$e" "$secs"; done
else
  run "$entry" "$secs" "${3:-}"
fi
