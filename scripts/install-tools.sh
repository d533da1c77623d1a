#!/usr/bin/env bash
# Installs the programs baocao uses for documents, when missing (Debian/Ubuntu, as root):
# poppler-utils (PDF text and page images), tesseract with Vietnamese data (OCR of scans),
# LibreOffice Writer without GUI (Word 97 .doc and other formats). The tests need them.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
  need+=(tesseract-ocr-vie)
fi
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -eq 0 ]; then
  echo "[tools] poppler, tesseract (vie) and LibreOffice are installed"
  exit 0
fi
echo "[tools] installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
if ! $sudo_cmd apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/baocao-apt.log 2>&1; then
  $sudo_cmd apt-get update -q >>/tmp/baocao-apt.log 2>&1
  $sudo_cmd apt-get install -y -q --no-install-recommends "${need[@]}" >>/tmp/baocao-apt.log 2>&1 || {
    tail -20 /tmp/baocao-apt.log >&2
    exit 1
  }
fi
echo "[tools] done"
