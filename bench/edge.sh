#!/bin/sh
# Each bad input of DESIGN.md's "Behaviour at the edges" in its own repository,
# timed with hyperfine through `keel check` (release): each must finish well
# under a second with a located diagnostic (exit 1).
set -eu
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
KEEL=$PWD/.build/release/keel
BASE=bench/repos/edge
rm -rf "$BASE"
python3 - "$BASE" <<'PY'
import os, sys
base = sys.argv[1]
bomb = ["---", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    bomb.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]")
bomb += ["title: T", "---", "# Bomb"]
cases = {
    "malformed-yaml": b"---\ntitle: [unclosed\nowner: a\n---\n# T\n",
    "unterminated": b"---\ntitle: T\nowner: a\n# T\n",
    "tabs": b"---\ntitle: T\nmeta:\n\tkey: v\n---\n",
    "duplicate-keys": b"---\ntitle: T\nowner: a\ntitle: U\n---\n",
    "invalid-utf8": b"---\ntitle: T\nowner: caf\xe9\n---\n",
    "bom": b"\xef\xbb\xbf---\nowner: a\n---\n",
    "crlf": b"---\r\ntitle: T\r\nowner: [a\r\n---\r\n",
    "empty": b"",
    "binary": os.urandom(3000) + b"\0",
    "over-size-cap": b"---\ntitle: T\n---\n" + b"x" * 2_000_000,
    "deep-nesting": b"---\ntitle: " + b"[" * 10000 + b"]" * 10000 + b"\n---\n",
    "alias-bomb": ("\n".join(bomb) + "\n").encode(),
    "conflict-markers": b"---\ntitle: T\n---\n# T\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> b\n",
}
for name, data in cases.items():
    root = os.path.join(base, name)
    os.makedirs(os.path.join(root, "specs"))
    os.makedirs(os.path.join(root, "schemas"))
    open(os.path.join(root, "keel.yaml"), "w").write(
        'version: 1\nkinds:\n  prd:\n    include: ["specs/**/*.md"]\n    schema: schemas/prd.yaml\n')
    open(os.path.join(root, "schemas/prd.yaml"), "w").write("type: object\nrequired: [title]\n")
    open(os.path.join(root, "specs/bad.md"), "wb").write(data)
print(",".join(cases))
PY
names=$(ls "$BASE" | tr '\n' ',' | sed 's/,$//')
for name in $(ls "$BASE"); do
  printf '%-18s ' "$name"; "$KEEL" check -C "$BASE/$name" | head -n 1 || true
done
hyperfine -N --warmup 1 --runs 5 -i --export-json bench/out/edge.json -L case "$names" "$KEEL check -C $BASE/{case}"
python3 bench/summarize.py bench/out/edge.json
