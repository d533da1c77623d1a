#!/usr/bin/env bash
# Renders the first page of each consolidated draft of the demo into docs/ as a PNG, so the
# drafts' layout can be looked at (and reviewed in a diff).
#   scripts/render-drafts.sh [OUT_DIR]      (default: docs)
# Uses the release binary's `baocao demo` (which builds the drafts), LibreOffice and poppler
# (scripts/install-tools.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs}
mkdir -p "$out"
work=$(mktemp -d /tmp/baocao-drafts.XXXXXX)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
target/release/baocao demo --data "$work/demo" >/dev/null
drafts="$work/demo/drafts/809-CV-HU"
for f in tong-hop-809-CV-HU.xlsx du-thao-bao-cao-809-CV-HU.docx; do
  timeout 180 soffice --headless "-env:UserInstallation=file://$work/profile" \
    --convert-to pdf --outdir "$work" "$drafts/$f" >/dev/null 2>&1
done
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/tong-hop-809-CV-HU.pdf" "$out/tong-hop-first-page"
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/du-thao-bao-cao-809-CV-HU.pdf" "$out/du-thao-first-page"
echo "$out/tong-hop-first-page.png $out/du-thao-first-page.png"
