#!/bin/sh
# Issue 11, warm paths and the first `keel history PATH` without a cache, on the realistic
# repository (bench/realistic.py), in one hyperfine run:
#   - warm keel changelog --since ROOT  vs git log --name-status -- keps
#   - warm keel history DOC             vs git log --follow -- DOC
#   - warm keel metrics                 vs git log -p -- keps
#   - keel history DOC without any cache (the first call, which keeps the path's versions), the
#     same with BEFORE (a keel binary that keeps nothing, when given), and the next call.
# Usage: bench/warm.sh KEEL [BEFORE]   (RUNS: runs per command, 10; results in bench/out/warm.{md,json})
set -eu
cd "$(dirname "$0")/.."
REPO=bench/repos/realistic-markdown
OUT=bench/out
mkdir -p "$OUT"
KEEL=$1
BEFORE=${2:-}
[ -d "$REPO" ] || python3 bench/realistic.py "$REPO" --layout markdown
ROOT=$(git -C "$REPO" rev-list --max-parents=0 HEAD | head -1)
DOC=$(git -C "$REPO" log --format= --name-only -- keps | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')
CLEAR="rm -rf $REPO/.git/keel"
FILL="[ -f $REPO/.git/keel/history-commits.bin ] || $KEEL metrics -C $REPO >/dev/null"
echo "load before: $(uptime)"
set -- -n "git log --name-status -- keps" --prepare "true" "git -C $REPO log --name-status -- keps" \
  -n "keel changelog --since ROOT (warm)" --prepare "$FILL" "$KEEL changelog -C $REPO --since $ROOT" \
  -n "git log --follow -- DOC" --prepare "true" "git -C $REPO log --follow -- $DOC" \
  -n "keel history DOC (warm)" --prepare "$FILL" "$KEEL history -C $REPO $DOC" \
  -n "keel history DOC (no cache: first call)" --prepare "$CLEAR" "$KEEL history -C $REPO $DOC" \
  -n "keel history DOC (next call)" --prepare "$CLEAR; $KEEL history -C $REPO $DOC >/dev/null" \
  "$KEEL history -C $REPO $DOC"
if [ -n "$BEFORE" ]; then
  set -- "$@" -n "before: keel history DOC (no cache: first call)" --prepare "$CLEAR" "$BEFORE history -C $REPO $DOC"
fi
hyperfine --warmup 1 --runs "${RUNS:-10}" --export-markdown "$OUT/warm.md" --export-json "$OUT/warm.json" "$@" \
  -n "git log -p -- keps" --prepare "true" "git -C $REPO log -p -- keps" \
  -n "keel metrics (warm)" --prepare "$FILL" "$KEEL metrics -C $REPO"
python3 bench/summarize.py "$OUT/warm.json"
echo "load after: $(uptime)"
