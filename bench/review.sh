#!/bin/sh
# Review-mode benchmark (issue 4), release build:
#   a generated repository of DOCS specs (default 10,000) with a branch `feature`
#   that moves 50 of them draft -> review (legal), and a branch `feature-bad`
#   on top of it that makes 3 of those jump review -> shipped (illegal), and a
#   branch `template` that adds an optional section to templates/prd.md (every
#   spec is re-checked; none has a finding).
#   Checks first that review mode reports exactly what it should, then times
#   `keel check --base main --head feature[-bad]` with hyperfine.
# Usage: bench/review.sh [DOCS]   (results printed and written to bench/out/)
set -eu
cd "$(dirname "$0")/.."
DOCS=${1:-10000}
CHANGES=50
REPO=bench/repos/review-$DOCS
OUT=bench/out
mkdir -p "$OUT" bench/repos
swift build -c release --product keel >/dev/null
KEEL=$PWD/.build/release/keel

if [ ! -d "$REPO" ]; then
  python3 bench/generate.py "$REPO" --docs "$DOCS" --commits 2 --branch feature --branch-changes "$CHANGES"
  # feature-bad: three of the branch's specs jump from review to shipped.
  git -C "$REPO" checkout -q -b feature-bad feature
  git -C "$REPO" diff --name-only main feature | head -n 3 > "$OUT/review-bad-paths.txt"
  while read -r path; do
    sed -i 's/^status: review$/status: shipped/' "$REPO/$path"
  done < "$OUT/review-bad-paths.txt"
  git -C "$REPO" -c user.name=bench -c user.email=bench@example.com commit -q -am "ship three specs early"
  git -C "$REPO" checkout -q -b template main
  sed -i 's/^## Risks$/## Rollout\n\n<!-- optional -->\nDescribe the rollout.\n\n## Risks/' "$REPO/templates/prd.md"
  git -C "$REPO" -c user.name=bench -c user.email=bench@example.com commit -q -am "template: optional Rollout section"
  git -C "$REPO" checkout -q main
fi

echo "== correctness"
python3 - "$KEEL" "$REPO" "$CHANGES" "$OUT/review-bad-paths.txt" <<'PY'
import json, subprocess, sys
keel, repo, changes, bad_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
bad = set(open(bad_file).read().split())

def check(head):
    run = subprocess.run([keel, "check", "-C", repo, "--base", "main", "--head", head, "--format", "json"],
                         capture_output=True, text=True)
    report = json.loads(run.stdout)
    return run.returncode, report["summary"], report["diagnostics"]

code, summary, diagnostics = check("feature")
assert code == 0 and summary["documents"] == changes and not diagnostics, (code, summary, diagnostics[:3])
print(f"feature:     exit {code}, {summary['documents']} documents checked, no findings")

code, summary, diagnostics = check("feature-bad")
illegal = [d for d in diagnostics if d["rule"] == "workflow/illegal-transition"]
assert code == 1 and summary["documents"] == changes, (code, summary)
assert {d["path"] for d in illegal} == bad and len(illegal) == len(bad), illegal
assert all(d["line"] == 5 and d["column"] == 9 for d in illegal), illegal
assert {d["path"] for d in diagnostics} == bad, diagnostics
print(f"feature-bad: exit {code}, {summary['documents']} documents checked, "
      f"{len(illegal)} illegal transitions at the status line, {len(diagnostics)} findings, all in the 3 changed specs")

run = subprocess.run([keel, "check", "-C", repo, "--base", "main", "--head", "template", "--format", "json"],
                     capture_output=True, text=True)
report = json.loads(run.stdout)
docs = int(subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "main", "specs"],
                          capture_output=True, text=True).stdout.count("\n"))
assert run.returncode == 0 and report["summary"]["documents"] == docs and not report["diagnostics"], report["summary"]
print(f"template:    exit 0, {report['summary']['documents']} documents re-checked (the template changed), no findings")
PY

echo "== timing ($DOCS specs, a branch changing $CHANGES)"
hyperfine --warmup 2 --runs 15 -i --export-markdown "$OUT/review.md" --export-json "$OUT/review.json" \
  -n "keel check --base main --head feature (50 legal changes)" "$KEEL check -C $REPO --base main --head feature" \
  -n "keel check --base main --head feature-bad (3 illegal)" "$KEEL check -C $REPO --base main --head feature-bad" \
  -n "keel check --base main --head feature --format markdown" \
  "$KEEL check -C $REPO --base main --head feature --format markdown"
hyperfine --warmup 1 --runs 5 -i --export-markdown "$OUT/review-template.md" \
  -n "keel check --base main --head template (every spec re-checked)" "$KEEL check -C $REPO --base main --head template"
echo "== peak RSS"
/usr/bin/time -f "keel check --base main --head feature: %M KB, %e s" \
  "$KEEL" check -C "$REPO" --base main --head feature >/dev/null 2>"$OUT/review-time.txt" || true
tail -n 1 "$OUT/review-time.txt"
