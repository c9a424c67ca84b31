#!/bin/sh
# Issue 15 benchmarks (the product-ops model), release build, in one hyperfine run, on 10,000
# generated specs (bench/generate.py) without references and with them (`--refs --kpis 500`: 1 to 5
# `depends-on` references each, 500 KPIs, RICE inputs and a KPI on every spec):
#   - keel check, plain and with references            (target: ≤ 1.5× plain)
#   - keel rank, text and --format json                (≤ 0.5 s)
#   - keel graph --format json, --format svg, --around  (≤ 1 s)
# Usage: bench/pops.sh [KEEL [BEFORE]]   (needs hyperfine; results in bench/out/pops.{md,json};
# KEEL: a keel binary to measure instead of this checkout's release build; BEFORE: another keel
# binary (an older build) whose rank and graph commands run in the same hyperfine run;
# RUNS: runs per command, 10)
set -eu
. "$(dirname "$0")/keel.sh"
BEFORE=${2:-}
PLAIN=bench/repos/pops-plain-10000
REFS=bench/repos/pops-refs-10000
[ -d "$PLAIN" ] || python3 bench/generate.py "$PLAIN" --docs 10000
[ -d "$REFS" ] || python3 bench/generate.py "$REFS" --docs 10000 --refs --kpis 500
echo "== $PLAIN, $REFS: $(git -C "$REFS" ls-files specs | wc -l) specs each; load: $(uptime)"
# Fill the history caches once (keel check reads the history for workflow/stale).
"$KEEL" check -C "$PLAIN" >/dev/null || true
"$KEEL" check -C "$REFS" >/dev/null || true
# The commands on the repository with references, for KEEL and for BEFORE.
set --
for binary in "$KEEL" ${BEFORE:+"$BEFORE"}; do
  label=$([ "$binary" = "$KEEL" ] && echo keel || echo "before: keel")
  set -- "$@" -n "$label rank" "$binary rank -C $REFS" \
    -n "$label rank --format json" "$binary rank -C $REFS --format json" \
    -n "$label graph --format json" "$binary graph -C $REFS --format json" \
    -n "$label graph --format svg" "$binary graph -C $REFS --format svg" \
    -n "$label graph --around PRD-05000 --depth 2" "$binary graph -C $REFS --around PRD-05000 --depth 2"
done
# keel check exits 1: the generated specs have findings.
hyperfine --warmup 1 --runs "${RUNS:-10}" -i --export-markdown "$OUT/pops.md" --export-json "$OUT/pops.json" \
  -n "keel check (plain)" "$KEEL check -C $PLAIN" \
  -n "keel check (references, KPIs, scores)" "$KEEL check -C $REFS" "$@"
python3 bench/summarize.py "$OUT/pops.json"
echo "load after: $(uptime)"
