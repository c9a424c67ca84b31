#!/bin/sh
# Issue 10 benchmarks on the folder-layout repository (bench/realistic.py --layout kep: 1,300
# proposal folders with kep.yaml and README.md, 11,000 commits, keel.yaml with template-since in
# the last commit), release build, in one hyperfine run:
#   - git grep over keps                 vs keel check --no-history (every folder, both files)
#   - git diff --cached --stat           vs keel check --staged with one changed folder
#                                           (template-since: the first commits come from the cache)
#   - keel check (warm history cache)
# Usage: bench/kep.sh [KEEL]   (needs hyperfine; results in bench/out/kep.{md,json};
# KEEL: a keel binary to measure instead of this checkout's release build; RUNS: runs per command, 10)
set -eu
. "$(dirname "$0")/keel.sh"
REPO=bench/repos/realistic-kep
if [ ! -d "$REPO" ]; then
  python3 bench/realistic.py "$REPO" --layout kep
fi
git -C "$REPO" reset -q --hard HEAD
# One changed folder, staged: a sentence added to the body of the first proposal.
FOLDER=$(git -C "$REPO" ls-files 'keps/*/*/README.md' | head -1 | xargs dirname)
printf '\nOne more sentence.\n' >>"$REPO/$FOLDER/README.md"
git -C "$REPO" add "$FOLDER/README.md"
echo "== $REPO: $(git -C "$REPO" rev-list --count HEAD) commits, $(git -C "$REPO" ls-files 'keps/*/*/kep.yaml' | wc -l)" \
  "folders; staged: $FOLDER; load: $(uptime)"
# Fill the history cache once (keel check reads it for template-since and workflow/stale).
"$KEEL" check -C "$REPO" >/dev/null || true
# keel check exits 1 when findings remain.
hyperfine --warmup 2 --runs "${RUNS:-10}" -i --export-markdown "$OUT/kep.md" --export-json "$OUT/kep.json" \
  -n "git grep -c status -- keps" "git -C $REPO grep -c status -- keps" \
  -n "keel check --no-history" "$KEEL check -C $REPO --no-history" \
  -n "git diff --cached --stat" "git -C $REPO diff --cached --stat" \
  -n "keel check --staged (one folder)" "$KEEL check -C $REPO --staged" \
  -n "keel check (warm cache)" "$KEEL check -C $REPO"
git -C "$REPO" reset -q --hard HEAD
python3 bench/summarize.py "$OUT/kep.json"
echo "load after: $(uptime)"
