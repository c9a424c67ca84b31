#!/bin/sh
# Foundation benchmarks (issue 2), release build, side by side in one run:
#   - keel check on a generated repository of 10,000 specs (working tree and --rev HEAD)
#   - the pre-commit case: keel check --staged with one staged file
#   - the Python baseline (PyYAML + jsonschema, front matter only)
#   - peak RSS of the full check
# Usage: bench/run.sh [DOCS]   (needs hyperfine; results printed and written to bench/out/)
set -eu
cd "$(dirname "$0")/.."
DOCS=${1:-10000}
REPO=bench/repos/check-$DOCS
OUT=bench/out
mkdir -p "$OUT" bench/repos
swift build -c release >/dev/null
KEEL=$PWD/.build/release/keel
if [ ! -d "$REPO" ]; then
  python3 bench/generate.py "$REPO" --docs "$DOCS" --commits 2 --staged 1
fi
echo "== $DOCS specs: full check, pre-commit check, Python baseline"
hyperfine --warmup 2 --runs 10 -i --export-markdown "$OUT/check.md" --export-json "$OUT/check.json" \
  -n "keel check (working tree)" "$KEEL check -C $REPO" \
  -n "keel check --rev HEAD" "$KEEL check -C $REPO --rev HEAD" \
  -n "keel check --staged (1 staged file)" "$KEEL check -C $REPO --staged" \
  -n "python PyYAML+jsonschema (front matter only)" "python3 bench/peer/check_frontmatter.py $REPO"
python3 bench/summarize.py "$OUT/check.json"
echo "== peak RSS (KB)"
for args in "check -C $REPO" "check -C $REPO --staged"; do
  /usr/bin/time -f "keel $args: %M KB, %e s" "$KEEL" $args >/dev/null 2>"$OUT/time.txt" || true
  tail -n 1 "$OUT/time.txt"
done
