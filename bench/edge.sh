#!/bin/sh
# Each bad input README's Rules section promises to report (`parse/*`: never a crash) in its own repository,
# timed with hyperfine through `keel check` (release): each must finish well
# under a second with a located diagnostic (exit 1).
set -eu
cd "$(dirname "$0")/.."
# KEEL=/path/to/keel uses that (release) binary instead of building one here.
if [ -z "${KEEL:-}" ]; then
  swift build -c release >/dev/null
  KEEL=$PWD/.build/release/keel
fi
BASE=bench/repos/edge
mkdir -p bench/out
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
# Issue 13 (rows 3-7): inputs that were quadratic, exponential or read whole.
value = "a" * 200_000
cases.update({
    "huge-sparse-8g": None,  # an 8 GB sparse file: measured with stat, never read
    "star-a-line-1mb": b"---\ntitle: T\n---\n" + b"*a" * 500_000 + b"\n",
    "table-50000-columns": b"---\ntitle: T\n---\n" + b"|c" * 50_000 + b"|\n" + b"|-" * 50_000 + b"|\n",
    "brace-13-groups": b"---\ntitle: T\n---\n# T\n",
    "regex-backref": ("---\ntitle: " + value + "\n---\n").encode(),
    "regex-backref-anchored": ("---\ntitle: " + value + "\n---\n").encode(),
    "regex-literal-2000": ("---\ntitle: " + "ab" * 100_000 + "\n---\n").encode(),
})
schemas = {
    "regex-backref": 'type: object\nproperties:\n  title: {pattern: "(a+)\\\\1*b"}\n',
    "regex-backref-anchored": 'type: object\nproperties:\n  title: {pattern: "^(a+)\\\\1*b$"}\n',
    "regex-literal-2000": "type: object\nproperties:\n  title: {pattern: " + "ab" * 999 + "ac}\n",
}
for name, data in cases.items():
    root = os.path.join(base, name)
    os.makedirs(os.path.join(root, "specs"))
    os.makedirs(os.path.join(root, "schemas"))
    include = "{a,b,c,d}" * 13 + "*.md" if name == "brace-13-groups" else "**/*.md"
    open(os.path.join(root, "keel.yaml"), "w").write(
        f'version: 1\nkinds:\n  prd:\n    include: ["specs/{include}"]\n    schema: schemas/prd.yaml\n')
    open(os.path.join(root, "schemas/prd.yaml"), "w").write(schemas.get(name, "type: object\nrequired: [title]\n"))
    if data is None:
        with open(os.path.join(root, "specs/bad.md"), "wb") as f:
            f.truncate(8 << 30)
    else:
        open(os.path.join(root, "specs/bad.md" if name != "brace-13-groups" else "specs/abcdabcdabcdaX.md"), "wb").write(data)
# `uniqueItems` over 200,000 numbers, through `keel schema validate`.
root = os.path.join(base, "unique-items-200k")
os.makedirs(root)
open(os.path.join(root, "schema.json"), "w").write('{"type": "array", "uniqueItems": true}')
open(os.path.join(root, "items.json"), "w").write("[" + ",".join(str(i) for i in range(200_000)) + "]")
print(",".join(cases))
PY
names=$(ls "$BASE" | grep -v unique-items | tr '\n' ',' | sed 's/,$//')
UNIQUE="$KEEL schema validate -C $BASE/unique-items-200k --schema schema.json items.json"
# The first finding of each case, and its peak resident memory (KB).
for name in $(ls "$BASE" | grep -v unique-items); do
  printf '%-24s ' "$name"
  /usr/bin/time -f '%M KB' -o bench/out/edge-rss.txt "$KEEL" check -C "$BASE/$name" | grep -v '^$' | head -n 1 | cut -c1-100 || true
  printf '%-24s peak RSS %s\n' '' "$(cat bench/out/edge-rss.txt)"
done
printf '%-24s ' unique-items-200k
/usr/bin/time -f '%M KB' -o bench/out/edge-rss.txt $UNIQUE | tail -n 1 || true
printf '%-24s peak RSS %s\n' '' "$(cat bench/out/edge-rss.txt)"
hyperfine -N --warmup 1 --runs 5 -i --export-json bench/out/edge.json -L case "$names" "$KEEL check -C $BASE/{case}"
hyperfine -N --warmup 1 --runs 5 -i --export-json bench/out/edge-unique.json "$UNIQUE"
python3 bench/summarize.py bench/out/edge.json bench/out/edge-unique.json
