#!/usr/bin/env bash
# Renders the first page of each consolidated draft, built from the demo data, into docs/ as a
# PNG, so changes to the drafts' layout can be looked at (and reviewed in a diff).
#   scripts/render-drafts.sh [OUT_DIR]      (default: docs)
# The drafts are written by the tests that check they convert to PDF (BAOCAO_DRAFTS_OUT keeps
# the files); each draft is one `render` line below.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs}
mkdir -p "$out"
work=$(mktemp -d /tmp/baocao-drafts.XXXXXX)
trap 'rm -rf "$work"' EXIT

# render TEST PDF_NAME PNG_NAME: runs the unit test TEST, which writes PDF_NAME into $work, and
# saves its first page at 80 dpi as $out/PNG_NAME.png.
render() {
  BAOCAO_DRAFTS_OUT="$work" cargo test --quiet --lib -- --exact "$1" >/dev/null
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/$2" "$out/$3"
  echo "$out/$3.png"
}

render consolidate::xlsx::tests::the_demo_workbook_converts_to_pdf tong-hop-809-CV-HU.pdf tong-hop-first-page
