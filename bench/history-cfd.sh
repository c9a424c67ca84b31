#!/bin/sh
# Renders docs/cfd.png: the cumulative flow diagram of the example repository (examples/product-ops)
# with a scripted history (bench/history_example.py), and docs/trend.png: the decision lead time
# trend of a year of scripted decisions on the example's configuration (bench/history_trend.py),
# both drawn by `keel metrics --format svg` and rasterised by headless Chromium.
# Usage: bench/history-cfd.sh [KEEL]
set -eu
cd "$(dirname "$0")/.."
KEEL=${1:-$PWD/.build/debug/keel}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
# shot SVG PNG TOP HEIGHT: the band of SVG from TOP, HEIGHT pixels tall, as PNG.
shot() {
  WIDTH=$(sed -n 's/.*width="\([0-9]*\)" height.*/\1/p' "$1" | head -n 1)
  sed "1s/height=\"[0-9]*\" viewBox=\"0 0 \([0-9]*\) [0-9]*\"/height=\"$4\" viewBox=\"0 $3 \1 $4\"/" "$1" >"$WORK/band.svg"
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
    --window-size="$WIDTH,$4" --screenshot="$PWD/$2" "file://$WORK/band.svg" 2>/dev/null
  echo "wrote $2 (${WIDTH}x$4)"
}
# The top and height of the trend chart (`<g id="decision-lead-time" data-top=… data-height=…>`).
trend() { sed -n "s/.*id=\"decision-lead-time\" data-top=\"\([0-9]*\)\" data-height=\"\([0-9]*\)\".*/\\$2/p" "$1"; }

python3 bench/history_example.py "$WORK/repo"
"$KEEL" metrics -C "$WORK/repo" --now 2026-03-16 --format svg --output "$WORK/cfd.svg"
shot "$WORK/cfd.svg" docs/cfd.png 0 "$(trend "$WORK/cfd.svg" 1)"

python3 bench/history_trend.py "$WORK/trend"
"$KEEL" metrics -C "$WORK/trend" --now 2026-06-30 --format svg --output "$WORK/trend.svg"
shot "$WORK/trend.svg" docs/trend.png "$(trend "$WORK/trend.svg" 1)" "$(trend "$WORK/trend.svg" 2)"
