#!/bin/sh
# Renders docs/cfd.png: the cumulative flow diagram of the example repository (examples/product-ops)
# with a scripted history (bench/history_example.py), drawn by `keel metrics --format svg` and
# rasterised by headless Chromium. Usage: bench/history-cfd.sh [KEEL]
set -eu
cd "$(dirname "$0")/.."
KEEL=${1:-$PWD/.build/debug/keel}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 bench/history_example.py "$WORK/repo"
"$KEEL" metrics -C "$WORK/repo" --now 2026-03-16 --format svg --output "$WORK/cfd.svg"
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
WIDTH=$(sed -n 's/.*width="\([0-9]*\)" height.*/\1/p' "$WORK/cfd.svg" | head -n 1)
HEIGHT=$(sed -n 's/.*height="\([0-9]*\)" viewBox.*/\1/p' "$WORK/cfd.svg" | head -n 1)
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
  --window-size="$WIDTH,$HEIGHT" --screenshot="$PWD/docs/cfd.png" "file://$WORK/cfd.svg" 2>/dev/null
echo "wrote docs/cfd.png (${WIDTH}x${HEIGHT})"
