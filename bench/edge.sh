#!/bin/sh
# Each bad input README's Rules section promises to report (`parse/*`: never a crash) and each large
# reproduction of issue 13, in its own repository, through keel (release): timed with hyperfine, peak
# memory from `/usr/bin/time -v` (maximum resident set size). Target: each ≤ 1 s and ≤ 100 MB, with a
# located diagnostic (exit 1) or a clean result. Prints one Markdown table (bench/out/edge.md).
set -eu
cd "$(dirname "$0")/.."
# KEEL=/path/to/keel uses that (release) binary instead of building one here.
if [ -z "${KEEL:-}" ]; then
  swift build -c release --scratch-path .build-release >/dev/null
  KEEL=$PWD/.build-release/release/keel
fi
RUNS=${RUNS:-10}
BASE=bench/repos/edge
mkdir -p bench/out
rm -rf "$BASE"
python3 - "$BASE" <<'PY'
import os, subprocess, sys
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
    "binary": bytes((i * 7919 + 13) % 251 + 1 for i in range(3000)) + b"\0",
    "over-size-cap": b"---\ntitle: T\n---\n" + b"x" * 2_000_000,
    "deep-nesting": b"---\ntitle: " + b"[" * 10000 + b"]" * 10000 + b"\n---\n",
    "alias-bomb": ("\n".join(bomb) + "\n").encode(),
    "conflict-markers": b"---\ntitle: T\n---\n# T\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> b\n",
}
# Issue 13 (rows 3-7 and 11): inputs that were quadratic, exponential, read whole or endless.
value = "a" * 200_000
cases.update({
    "i13-row4-sparse-8g": ("sparse", 8 << 30),  # measured with lstat, never read
    "i13-row4-file-300mb": ("sparse", 300 << 20),
    "i13-row4-file-40mb": ("sparse", 40 << 20),
    "i13-row4-blob-200mb-rev": ("blob", 200 << 20),  # committed: size from the blob header
    "i13-row4-blob-200mb-staged": ("blob", 200 << 20),  # staged only
    "i13-row5-star-a-line-1mb": b"---\ntitle: T\n---\n" + b"*a" * 500_000 + b"\n",
    "i13-row5-star-a-lines-1mb": b"---\ntitle: T\n---\n" + b"*a\n" * 340_000,
    "i13-row5-emails-line": b"---\ntitle: T\n---\n" + b"a@b.co " * 1000 + b"a" * 990_000 + b"\n",
    "i13-row6-table-50000-columns": b"---\ntitle: T\n---\n" + b"|c" * 50_000 + b"|\n" + b"|-" * 50_000 + b"|\n",
    "i13-row3-brace-13-groups": b"---\ntitle: T\n---\n# T\n",
    "i13-row7-regex-backref": ("---\ntitle: " + value + "\n---\n").encode(),
    "i13-row7-regex-backref-anchored": ("---\ntitle: " + value + "\n---\n").encode(),
    "i13-row7-regex-literal-2000": ("---\ntitle: " + "ab" * 100_000 + "\n---\n").encode(),
    "i13-row11-link-loop": b"---\ntitle: T\n---\n# T\n",
})
schemas = {
    "i13-row7-regex-backref": 'type: object\nproperties:\n  title: {pattern: "(a+)\\\\1*b"}\n',
    "i13-row7-regex-backref-anchored": 'type: object\nproperties:\n  title: {pattern: "^(a+)\\\\1*b$"}\n',
    "i13-row7-regex-literal-2000": "type: object\nproperties:\n  title: {pattern: " + "ab" * 999 + "ac}\n",
}
def git(root, *args):
    subprocess.run(["git", "-C", root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
                   check=True, stdout=subprocess.DEVNULL)
for name, data in cases.items():
    root = os.path.join(base, name)
    os.makedirs(os.path.join(root, "specs"))
    os.makedirs(os.path.join(root, "schemas"))
    include = "{a,b,c,d}" * 13 + "*.md" if "brace" in name else "**/*.md"
    open(os.path.join(root, "keel.yaml"), "w").write(
        f'version: 1\nkinds:\n  prd:\n    include: ["specs/{include}"]\n    schema: schemas/prd.yaml\n')
    open(os.path.join(root, "schemas/prd.yaml"), "w").write(schemas.get(name, "type: object\nrequired: [title]\n"))
    target = os.path.join(root, "specs/abcdabcdabcdaX.md" if "brace" in name else "specs/bad.md")
    if isinstance(data, tuple) and data[0] == "sparse":
        with open(target, "wb") as f:
            f.truncate(data[1])
    elif isinstance(data, tuple):
        git(root, "init", "-q")
        git(root, "add", "keel.yaml", "schemas")
        git(root, "commit", "-q", "-m", "keel")
        with open(target, "wb") as f:
            f.write(b"---\ntitle: T\n---\n" + b"x" * data[1])
        git(root, "add", "specs/bad.md")
        if name.endswith("-rev"):
            git(root, "commit", "-q", "-m", "a 200 MB spec")
        os.remove(target)  # only Git has it
    else:
        open(target, "wb").write(data)
    if "link-loop" in name:  # a plain folder (no Git): links to itself on two levels
        os.symlink(".", os.path.join(root, "specs/a"))
        os.symlink(".", os.path.join(root, "specs/b"))
        os.symlink(".", os.path.join(root, "c"))
# `uniqueItems` over 200,000 numbers, through `keel schema validate`.
root = os.path.join(base, "i13-row7-unique-items-200k")
os.makedirs(root)
open(os.path.join(root, "schema.json"), "w").write('{"type": "array", "uniqueItems": true}')
open(os.path.join(root, "items.json"), "w").write("[" + ",".join(str(i) for i in range(200_000)) + "]")
PY
# The command of each case.
command() {
  case "$1" in
    *unique-items*) echo "$KEEL schema validate -C $BASE/$1 --schema schema.json items.json" ;;
    *-rev) echo "$KEEL check -C $BASE/$1 --rev HEAD --no-history" ;;
    *-staged) echo "$KEEL check -C $BASE/$1 --staged --no-history" ;;
    *) echo "$KEEL check -C $BASE/$1" ;;
  esac
}
: >bench/out/edge-cases.txt
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
export LOAD_BEFORE
for name in $(ls "$BASE"); do
  cmd=$(command "$name")
  # The first line of output, the exit status and the peak resident memory (KB).
  set +e
  /usr/bin/time -v -o bench/out/edge-time.txt $cmd >bench/out/edge-stdout.txt 2>&1
  status=$?
  set -e
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' bench/out/edge-time.txt)
  first=$(grep -v '^$' bench/out/edge-stdout.txt | head -n 1 | cut -c1-110 | tr '|' '/')
  hyperfine -N --warmup 1 --runs "$RUNS" -i --export-json "bench/out/edge-$name.json" "$cmd" >/dev/null 2>&1
  printf '%s\t%s\t%s\t%s\n' "$name" "$status" "$rss" "$first" >>bench/out/edge-cases.txt
  printf '%-36s exit %s  %6s KB  %s\n' "$name" "$status" "$rss" "$first"
done
python3 - <<'PY' | tee bench/out/edge.md
import json, os, statistics
load_after = " ".join(open("/proc/loadavg").read().split()[:3])
print(f"{os.cpu_count()} cores; load average (1, 5, 15 min) {os.environ['LOAD_BEFORE']} before, {load_after} after\n")
print("| case | exit | median | max | CPU user+sys (mean) | peak RSS | ≤ 1 s and ≤ 100 MB | first line |")
print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
for line in open("bench/out/edge-cases.txt"):
    name, status, rss, first = line.rstrip("\n").split("\t")
    r = json.load(open(f"bench/out/edge-{name}.json"))["results"][0]
    median, worst = statistics.median(r["times"]), max(r["times"])
    mb = int(rss) / 1024
    cpu = r["user"] + r["system"]
    # Wall-clock time on a shared machine counts the waits for a core: CPU time is what keel spent.
    ok = "yes" if worst <= 1 and mb <= 100 else ("CPU only" if cpu <= 1 and mb <= 100 else "**no**")
    print(f"| {name} | {status} | {median * 1000:.0f} ms | {worst * 1000:.0f} ms | {cpu * 1000:.0f} ms | "
          f"{mb:.0f} MB | {ok} | `{first}` |")
PY
