#!/bin/sh
# History benchmarks (issue 6), release build, side by side in one run, on a generated repository of
# 20,000 commits and 2,000 documents:
#   - keel history of one document vs git log --follow -- PATH
#   - keel changelog from the root commit vs git log --name-status ROOT..HEAD -- specs
# each cold (cache under .git/keel removed before every run) and warm (cache filled).
# Usage: bench/history.sh [DOCS] [COMMITS]   (needs hyperfine; results in bench/out/history.md)
set -eu
cd "$(dirname "$0")/.."
DOCS=${1:-2000}
COMMITS=${2:-20000}
REPO=bench/repos/history-$DOCS-$COMMITS
OUT=bench/out
mkdir -p "$OUT" bench/repos
swift build -c release --product keel >/dev/null
KEEL=$PWD/.build/release/keel
if [ ! -d "$REPO" ]; then
  python3 bench/generate.py "$REPO" --docs "$DOCS" --commits "$COMMITS"
fi
DOC=specs/team-007/prd-00742.md
ROOT=$(git -C "$REPO" rev-list --max-parents=0 HEAD)
CLEAR="rm -rf $REPO/.git/keel"
# keel history without a cache reads along the path only and leaves the cache to the next changelog
# or metrics run, so the warm runs make sure the cache is there.
FILL="[ -f $REPO/.git/keel/history-commits.bin ] || $KEEL changelog -C $REPO --since $ROOT >/dev/null"
echo "== $DOCS documents, $COMMITS commits; document $DOC ($(git -C "$REPO" log --follow --format=%H -- $DOC | wc -l) commits)"
"$KEEL" history -C "$REPO" "$DOC" >/dev/null  # fill the cache for the warm runs
"$KEEL" changelog -C "$REPO" --since "$ROOT" >/dev/null
hyperfine --warmup 1 --runs 10 --export-markdown "$OUT/history.md" --export-json "$OUT/history.json" \
  -n "git log --follow -- PATH" --prepare "true" "git -C $REPO log --follow -- $DOC" \
  -n "keel history PATH (cold)" --prepare "$CLEAR" "$KEEL history -C $REPO $DOC" \
  -n "keel history PATH (warm)" --prepare "$FILL" "$KEEL history -C $REPO $DOC" \
  -n "git log --name-status ROOT..HEAD -- specs" --prepare "true" "git -C $REPO log --name-status $ROOT..HEAD -- specs" \
  -n "keel changelog --since ROOT (cold)" --prepare "$CLEAR" "$KEEL changelog -C $REPO --since $ROOT" \
  -n "keel changelog --since ROOT (warm)" --prepare "$FILL" "$KEEL changelog -C $REPO --since $ROOT"
"$KEEL" history -C "$REPO" "$DOC" >/dev/null
ls -l "$REPO/.git/keel"
