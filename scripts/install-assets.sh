#!/usr/bin/env bash
# Installs the UI's front-end libraries from the npm registry (package.json,
# package-lock.json) and copies their distribution bundles into
# service/static/vendor/ (gitignored), so the app serves them itself: no page
# loads anything from another host.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js/npm to get the UI's charts and query editor" >&2
  exit 1
fi
if [ ! -f node_modules/echarts/dist/echarts.min.js ] || [ ! -f node_modules/@zazuko/yasgui/build/yasgui.min.js ] \
   || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
dest=service/static/vendor
mkdir -p "$dest"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts.min.js"
cp node_modules/echarts/LICENSE "$dest/echarts.LICENSE"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js "$dest/yasgui.min.js"
cp node_modules/@zazuko/yasgui/build/yasgui.min.css "$dest/yasgui.min.css"
if [ -f node_modules/@zazuko/yasgui/LICENSE ]; then cp node_modules/@zazuko/yasgui/LICENSE "$dest/yasgui.LICENSE"; fi
echo "UI assets in $dest: $(ls "$dest" | tr '\n' ' ')"
