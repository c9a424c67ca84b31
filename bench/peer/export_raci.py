#!/usr/bin/env python3
"""The Python baseline for `keel export raci --format json`: what a team scripts
today with PyYAML. Reads keel.yaml's RACI globs from the working tree (no Git,
no validation, no people lookup) and prints the same JSON shape."""
import glob
import json
import os
import sys

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else "."
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
with open(os.path.join(root, "keel.yaml"), encoding="utf-8") as f:
    config = yaml.load(f, Loader=loader)


def names(value):
    return [value] if isinstance(value, str) else list(value or [])


matrices = []
for pattern in config.get("raci", []):
    for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=loader) or {}
        matrices.append({
            "path": os.path.relpath(path, root),
            "title": data.get("title"),
            "activities": [
                {"id": a.get("id"), "name": a.get("name"), "R": names(a.get("R")), "A": a.get("A"),
                 "C": names(a.get("C")), "I": names(a.get("I"))}
                for a in data.get("activities", [])
            ],
        })
json.dump({"revision": None, "matrices": matrices}, sys.stdout)
