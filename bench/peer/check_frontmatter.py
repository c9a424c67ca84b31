#!/usr/bin/env python3
"""The Python baseline for `keel check`: what teams script today with PyYAML and
jsonschema. Reads keel.yaml's first kind, validates the front matter of every
matching Markdown file against its schema (formats asserted), prints
`path: message` per error and exits 1 if any. No templates, workflows or
positions, so it does strictly less work than keel.
"""
import glob
import os
import sys

import jsonschema
import yaml

root = sys.argv[1] if len(sys.argv) > 1 else "."
with open(os.path.join(root, "keel.yaml"), encoding="utf-8") as f:
    config = yaml.safe_load(f)
kind = next(iter(config["kinds"].values()))
with open(os.path.join(root, kind["schema"]), encoding="utf-8") as f:
    schema = yaml.safe_load(f)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = 0
for pattern in kind["include"]:
    for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not text.startswith("---\n"):
            continue
        end = text.find("\n---\n", 4)
        front = yaml.safe_load(text[4:end])
        for error in validator.iter_errors(front):
            errors += 1
            print(f"{os.path.relpath(path, root)}: {error.message}")
sys.exit(1 if errors else 0)
