#!/usr/bin/env bash
# Benchmark: `keel schema validate` (release build) against check-jsonschema on 10,000 YAML
# front-matter files and a realistic PRD schema (required fields, enums, formats, patterns,
# arrays, $ref, if/then). Prints hyperfine's table; writes the raw numbers to bench/out/.
#
# usage: bench/jsonschema/run.sh [COUNT]   (from anywhere; default 10000 files)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
count="${1:-10000}"
out="$root/bench/out/jsonschema"

command -v hyperfine >/dev/null || { echo "hyperfine is required" >&2; exit 2; }
if ! command -v check-jsonschema >/dev/null; then
  python3 -m pip install --quiet check-jsonschema
fi

(cd "$root" && swift build -c release --product keel >/dev/null)
keel="$(cd "$root" && swift build -c release --show-bin-path)/keel"

rm -rf "$out" && mkdir -p "$out"
python3 "$here/generate.py" "$out" "$count"
echo "generated $count YAML files in $out/docs"

cd "$out"
# Both tools assert formats (check-jsonschema does by default) and exit 1 on the ~5% invalid files.
hyperfine --warmup 1 --runs 5 --ignore-failure --export-json "$out/hyperfine.json" --export-markdown "$out/hyperfine.md" \
  --command-name "keel schema validate" "'$keel' schema validate --assert-format --schema prd.schema.json docs/*.yaml > keel.out" \
  --command-name "check-jsonschema" "check-jsonschema --schemafile prd.schema.json docs/*.yaml > check-jsonschema.out"

python3 - "$out/hyperfine.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
keel, other = results["keel schema validate"], results["check-jsonschema"]
print("median keel: %.3f s, check-jsonschema: %.3f s, ratio: %.1fx" % (
    keel["median"], other["median"], other["median"] / keel["median"]))
PY
# Both tools must agree on which files are invalid.
grep -o '^docs/prd-[0-9]*\.yaml' keel.out | sort -u > keel.invalid
grep -o 'docs/prd-[0-9]*\.yaml' check-jsonschema.out | sort -u > check-jsonschema.invalid
if diff -q keel.invalid check-jsonschema.invalid >/dev/null; then
  echo "both tools report the same $(wc -l < keel.invalid) invalid files"
else
  echo "the tools disagree on which files are invalid:" >&2
  diff keel.invalid check-jsonschema.invalid >&2 || true
  exit 1
fi
