#!/bin/sh
# Export benchmark (issue 5), release build: 500 RACI files (12 activities each),
# a 5,000-term glossary, 300 people. Target: each export <= 0.5 s.
# Usage: bench/export.sh [RACI_FILES] [TERMS]   (needs hyperfine; results in bench/out/export.md)
set -eu
cd "$(dirname "$0")/.."
RACI=${1:-500}
TERMS=${2:-5000}
REPO=bench/repos/export-$RACI-$TERMS
OUT=bench/out
mkdir -p "$OUT" bench/repos
swift build -c release --product keel >/dev/null
KEEL=$PWD/.build/release/keel
[ -d "$REPO" ] || python3 bench/export_generate.py "$REPO" --raci "$RACI" --terms "$TERMS"
echo "== $RACI RACI files, $TERMS glossary terms (release build)"
hyperfine --warmup 2 --runs 10 --export-markdown "$OUT/export.md" --export-json "$OUT/export.json" \
  -n "export raci --at v1 --format json" "$KEEL export raci -C $REPO --at v1 --format json" \
  -n "export raci --at v1 --format csv" "$KEEL export raci -C $REPO --at v1 --format csv" \
  -n "export raci --at v1 --format html" "$KEEL export raci -C $REPO --at v1 --format html" \
  -n "export raci --at v1 --format markdown" "$KEEL export raci -C $REPO --at v1 --format markdown" \
  -n "export raci (working tree) --format json" "$KEEL export raci -C $REPO --format json" \
  -n "export raci --at v1 --by-person --format json" "$KEEL export raci -C $REPO --at v1 --by-person --format json" \
  -n "export raci --diff v1..HEAD --format json" "$KEEL export raci -C $REPO --diff v1..HEAD --format json" \
  -n "export glossary --at v1 --format html" "$KEEL export glossary -C $REPO --at v1 --format html" \
  -n "export glossary --at v1 --format csv" "$KEEL export glossary -C $REPO --at v1 --format csv" \
  -n "export glossary --at v1 --format json" "$KEEL export glossary -C $REPO --at v1 --format json" \
  -n "python PyYAML: RACI files to JSON (working tree, no checks)" "python3 bench/peer/export_raci.py $REPO"
python3 bench/summarize.py "$OUT/export.json"
echo "== peak RSS"
/usr/bin/time -f "export raci --at v1 --format html: %M KB, %e s" "$KEEL" export raci -C "$REPO" --at v1 --format html >/dev/null
/usr/bin/time -f "export glossary --at v1 --format html: %M KB, %e s" "$KEEL" export glossary -C "$REPO" --at v1 --format html >/dev/null
