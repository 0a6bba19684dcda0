#!/usr/bin/env bash
# Makes sure Debian's chromium is present for the browser tests (Playwright
# drives it through executable_path; nothing is downloaded by Playwright).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "chromium is missing: install Debian's 'chromium' package (apt-get install chromium) for the UI tests" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null  # a CJK font: screenshots show Chinese text
