#!/usr/bin/env bash
# Install what tests/browser/ needs, idempotently (safe to run again; skips what is present):
#   - Debian's Chromium (/usr/bin/chromium), driven by Playwright for Python with
#     executable_path — no test tool ever downloads a browser of its own;
#   - a Java runtime for the Nu Html Checker (vnu.jar);
#   - poppler-utils (pdftotext) to read the printed PDF;
#   - LibreOffice Writer (headless) to open the Word attachments as an office suite would;
#   - axe-core and vnu-jar from package.json/package-lock.json into node_modules/.
# Called by .ci/run before `make test`. Needs root (as CI is) or sudo for apt-get.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# --- Debian packages ---------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# A font with CJK glyphs (small: ~5 MB), so screenshots and PDFs show Chinese text, not boxes.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-wqy-microhei); fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-browser-tools: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-browser-tools: Debian packages already present (chromium, java, pdftotext, LibreOffice, CJK fonts)"
fi

# --- npm packages ------------------------------------------------------------------
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
else
  echo "install-browser-tools: node_modules up to date"
fi

/usr/bin/chromium --version 2>/dev/null || chromium --version
java -version 2>&1 | head -n1
echo "install-browser-tools: done in $(( $(date +%s) - start )) s"
