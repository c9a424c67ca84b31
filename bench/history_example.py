#!/usr/bin/env python3
"""Builds a throwaway repository from examples/product-ops with a scripted history, for
`keel metrics` demos and docs/cfd.png:

    bench/history_example.py OUT

Every document of the example is added in its workflow's initial state and moved, one commit
per step, along the workflow to the state it has in the example (dates are fixed, so the output is
reproducible with `keel metrics --now 2026-03-16`). The last commit's tree equals the example's.
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "product-ops")

# path -> (state, day offset) steps; the last state is the one the example file has.
STEPS = {
    "decisions/0001-payment-provider.md": [("proposed", 0), ("accepted", 9)],
    "specs/checkout/guest-checkout.md": [("draft", 2), ("review", 8), ("approved", 20)],
    "specs/checkout/one-click-reorder.md": [("draft", 3), ("review", 6), ("approved", 13), ("shiped", 31)],  # the example keeps its typo
    "decisions/0003-search-vendor.md": [("proposed", 12), ("accepted", 30)],
    "specs/checkout/saved-cards.md": [("draft", 16), ("review", 40)],
    "decisions/0002-basket-storage.md": [("proposed", 35)],
    "specs/growth/referral-programme.md": [("draft", 50)],
}
START = 1767600000  # 2026-01-05T08:00:00Z
DAY = 86400


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    if os.path.exists(out):
        sys.exit(f"{out} exists; remove it first")
    shutil.copytree(EXAMPLE, out)
    originals = {}
    for path in STEPS:
        with open(os.path.join(out, path), encoding="utf-8") as f:
            originals[path] = f.read()
        os.remove(os.path.join(out, path))
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")

    def git(*args, when=None):
        extra = {}
        if when is not None:
            stamp = f"@{when} +0000"
            extra = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        subprocess.run(["git", *args], cwd=out, check=True, env={**env, **extra,
                       "GIT_AUTHOR_NAME": "Product Ops", "GIT_AUTHOR_EMAIL": "ops@example.com",
                       "GIT_COMMITTER_NAME": "Product Ops", "GIT_COMMITTER_EMAIL": "ops@example.com"})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "Configuration, templates and workflows", when=START - DAY)
    events = sorted((day, path, state) for path, steps in STEPS.items() for state, day in steps)
    for day, path, state in events:
        text = re.sub(r"^status: .*$", f"status: {state}", originals[path], count=1, flags=re.M)
        with open(os.path.join(out, path), "w", encoding="utf-8") as f:
            f.write(text)
        git("add", "-A")
        git("commit", "-q", "-m", f"{os.path.basename(path)}: {state}", when=START + day * DAY)
    print(f"{out}: {len(events) + 1} commits")


if __name__ == "__main__":
    main()
