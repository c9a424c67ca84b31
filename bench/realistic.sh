#!/bin/sh
# Issue 11 benchmarks on a realistic repository (bench/realistic.py: 1,300 proposals, 11,000
# commits with pull-request merges, 15 KB median bodies), release build, in one hyperfine run:
#   - git log -p -- keps               vs cold keel metrics and cold keel check
#   - git log --name-status -- keps    vs cold and warm keel changelog --since ROOT
#   - git log --follow -- DOC          vs warm keel history DOC
#   - warm keel metrics (against git log -p), keel check --no-history
# Cold: .git/keel removed before every run; warm: the cache filled.
# Usage: bench/realistic.sh [KEEL]   (needs hyperfine; results in bench/out/realistic.{md,json};
# KEEL: a keel binary to measure instead of this checkout's release build; RUNS: runs per command, 10)
set -eu
. "$(dirname "$0")/keel.sh"
REPO=bench/repos/realistic-markdown
if [ ! -d "$REPO" ]; then
  python3 bench/realistic.py "$REPO" --layout markdown
fi
ROOT=$(git -C "$REPO" rev-list --max-parents=0 HEAD | head -1)
# The document changed most often (its history is the longest).
DOC=$(git -C "$REPO" log --format= --name-only -- keps | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')
CLEAR="rm -rf $REPO/.git/keel"
FILL="[ -f $REPO/.git/keel/history-commits.bin ] || $KEEL metrics -C $REPO >/dev/null"
echo "== $REPO: $(git -C "$REPO" rev-list --count HEAD) commits, $(git -C "$REPO" ls-files keps | wc -l) documents;" \
  "history of $DOC ($(git -C "$REPO" log --follow --format=%H -- "$DOC" | wc -l) commits); load: $(uptime)"
$CLEAR
"$KEEL" metrics -C "$REPO" >/dev/null
"$KEEL" changelog -C "$REPO" --since "$ROOT" >/dev/null
"$KEEL" history -C "$REPO" "$DOC" >/dev/null
# keel check exits 1: the generated proposals have findings (thousands, on purpose).
hyperfine --warmup 1 --runs "${RUNS:-10}" -i --export-markdown "$OUT/realistic.md" --export-json "$OUT/realistic.json" \
  -n "git log -p -- keps" --prepare "true" "git -C $REPO log -p -- keps" \
  -n "keel metrics (cold)" --prepare "$CLEAR" "$KEEL metrics -C $REPO" \
  -n "keel check (cold)" --prepare "$CLEAR" "$KEEL check -C $REPO" \
  -n "keel metrics (warm)" --prepare "$FILL" "$KEEL metrics -C $REPO" \
  -n "git log --name-status -- keps" --prepare "true" "git -C $REPO log --name-status -- keps" \
  -n "keel changelog --since ROOT (cold)" --prepare "$CLEAR" "$KEEL changelog -C $REPO --since $ROOT" \
  -n "keel changelog --since ROOT (warm)" --prepare "$FILL" "$KEEL changelog -C $REPO --since $ROOT" \
  -n "git log --follow -- DOC" --prepare "true" "git -C $REPO log --follow -- $DOC" \
  -n "keel history DOC (warm)" --prepare "$FILL" "$KEEL history -C $REPO $DOC" \
  -n "keel check --no-history" --prepare "true" "$KEEL check -C $REPO --no-history"
python3 bench/summarize.py "$OUT/realistic.json"
echo "load after: $(uptime)"
