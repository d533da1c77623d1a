#!/usr/bin/env bash
# Installs the programs baocao uses for documents, when missing (Debian/Ubuntu, as root):
# poppler-utils (PDF text and page images), tesseract with Vietnamese data (OCR of scans),
# LibreOffice Writer and Calc without GUI (Word 97 .doc and other formats; printing the drafts
# to PDF), and Debian's chromium with its WebDriver (the web console's browser tests). The
# tests need them.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
  need+=(tesseract-ocr-vie)
fi
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# Calc converts the consolidated workbook to PDF; soffice alone may come with Writer only.
calc=$(dpkg-query -W -f='${Status}\n' libreoffice-calc-nogui libreoffice-calc 2>/dev/null || true)
grep -q "ok installed" <<<"$calc" || need+=(libreoffice-calc-nogui)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -eq 0 ]; then
  echo "[tools] poppler, tesseract (vie), LibreOffice (Writer, Calc) and chromium (with its driver) are installed"
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
