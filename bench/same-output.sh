#!/bin/sh
# Checks that two keel binaries give byte-identical reports: every output format of
# `keel check --no-history`, and `keel check`, `metrics`, `changelog` with the history (each run
# cold: the cache under .git/keel is removed before it).
# Usage: bench/same-output.sh OLD_KEEL NEW_KEEL REPO   (exit 1 on the first difference)
set -u
OLD=$1
NEW=$2
REPO=$3
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
status=0
compare() {
  name=$1
  shift
  rm -rf "$REPO/.git/keel"
  "$OLD" "$@" >"$DIR/old.raw" 2>&1
  old_rc=$?
  rm -rf "$REPO/.git/keel"
  "$NEW" "$@" >"$DIR/new.raw" 2>&1
  new_rc=$?
  # workflow/stale measures up to now (keel check has no --now): ages are left out.
  sed -E 's/\([0-9]+d( [0-9]+h)?\)/(AGE)/' "$DIR/old.raw" >"$DIR/old"
  sed -E 's/\([0-9]+d( [0-9]+h)?\)/(AGE)/' "$DIR/new.raw" >"$DIR/new"
  if [ $old_rc -ne $new_rc ] || ! cmp -s "$DIR/old" "$DIR/new"; then
    echo "DIFFERENT: $name (exit $old_rc vs $new_rc)"
    diff "$DIR/old" "$DIR/new" | head -10
    status=1
  else
    echo "same: $name ($(wc -l <"$DIR/new") lines, exit $new_rc)"
  fi
}
for format in text json sarif github junit markdown; do
  compare "check --no-history --format $format" check -C "$REPO" --no-history --format "$format"
done
ROOT=$(git -C "$REPO" rev-list --max-parents=0 HEAD | head -1)
compare "check" check -C "$REPO"
compare "metrics" metrics -C "$REPO" --now 2030-01-01
compare "changelog --since ROOT" changelog -C "$REPO" --since "$ROOT"
# The document changed most often.
DOC=$(git -C "$REPO" log --format= --name-only | grep '\.md$' | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')
[ -n "$DOC" ] && compare "history $DOC" history -C "$REPO" "$DOC"
exit $status
