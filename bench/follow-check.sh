#!/bin/sh
# Checks that `keel history DOC` lists exactly the commits `git log --follow -- DOC` lists, for every
# document of a repository (issue 11), under both object readers (KEEL_GIT_READER=keel and libgit2).
# Usage: bench/follow-check.sh KEEL REPO [PATHSPEC]   (exit 1 when any document differs)
set -u
KEEL=$1
REPO=$2
SPEC=${3:-keps}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
status=0
checked=0
# A first run fills the cache, so each history below reads only its document's commits.
"$KEEL" changelog -C "$REPO" >/dev/null 2>&1
git -C "$REPO" ls-files -- "$SPEC" >"$DIR/paths"
while read -r path; do
  git -C "$REPO" log --follow --format=%H -- "$path" >"$DIR/git"
  for reader in keel libgit2; do
    KEEL_GIT_READER=$reader "$KEEL" history -C "$REPO" "$path" --format json |
      python3 -c 'import json,sys; [print(e["commit"]) for e in json.load(sys.stdin)["events"]]' >"$DIR/keel"
    if ! cmp -s "$DIR/git" "$DIR/keel"; then
      echo "DIFFERENT ($reader): $path"
      status=1
    fi
  done
  checked=$((checked + 1))
done <"$DIR/paths"
echo "$checked documents checked under both readers"
exit $status
