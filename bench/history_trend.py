#!/usr/bin/env python3
"""Builds a throwaway repository with a year of scripted decisions, for docs/trend.png:

    bench/history_trend.py OUT

The configuration, workflows, RACI and people are examples/product-ops'; the documents are
generated: PRDs (spec workflow) and decision records, a few started each month from July 2025 to
June 2026, whose lead time from the initial state to a decided state shrinks from about four weeks
to about ten days, and a few still waiting at the end. Seeded: the same repository every time
(`keel metrics --now 2026-06-30`).
"""
import os
import random
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "product-ops")
START = 1751371200  # 2025-07-01T12:00:00Z
DAY = 86400
OWNERS = ["jonas", "priya", "mateo", "li"]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    if os.path.exists(out):
        sys.exit(f"{out} exists; remove it first")
    os.makedirs(out)
    for name in ["keel.yaml", "people.yaml", "glossary.yaml", "workflows", "raci", "schemas", "templates"]:
        source = os.path.join(EXAMPLE, name)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, os.path.join(out, name))
    rng = random.Random(15)
    events = []  # (time, path, text)

    def document(path, kind, number, owner, steps):
        title = f"{kind} {number}"
        for time, state in steps:
            field = "deciders: [amara]\n" if kind == "Decision" else f"owner: {owner}\nreviewers: [amara]\n"
            text = (f"---\nid: {'ADR' if kind == 'Decision' else 'PRD'}-{number:03d}\ntitle: {title}\n"
                    f"{field}status: {state}\n---\n\n# {title}\n\n{title} exists to chart {title} lead times.\n")
            events.append((time, path, text))

    number = 0
    for month in range(12):
        base = 28 - 18 * month / 11  # days: four weeks, down to ten
        for _ in range(rng.randint(4, 7)):
            number += 1
            start = START + month * 30 * DAY + rng.randint(0, 27) * DAY
            lead = max(2.0, rng.lognormvariate(0, 0.35) * base) * DAY
            owner = rng.choice(OWNERS)
            if rng.random() < 0.7:
                final = "approved" if rng.random() < 0.85 else "archived"
                steps = [(start, "draft"), (start + int(lead * 0.3), "review"), (start + int(lead), final)]
                path = f"specs/checkout/gen-{number:03d}.md"
                kind = "PRD"
            else:
                final = "accepted" if rng.random() < 0.85 else "rejected"
                steps = [(start, "proposed"), (start + int(lead), final)]
                path = f"decisions/{number:04d}-generated.md"
                kind = "Decision"
            end = START + 364 * DAY
            steps = [step for step in steps if step[0] <= end]
            document(path, kind, number, owner, steps)

    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Product Ops", GIT_AUTHOR_EMAIL="ops@example.com",
               GIT_COMMITTER_NAME="Product Ops", GIT_COMMITTER_EMAIL="ops@example.com")

    def git(*args, when):
        stamp = f"@{when} +0000"
        subprocess.run(["git", *args], cwd=out, check=True,
                       env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})

    git("init", "-q", "-b", "main", when=START - DAY)
    git("add", "-A", when=START - DAY)
    git("commit", "-q", "-m", "Configuration, workflows and RACI", when=START - DAY)
    for time, path, text in sorted(events):
        full = os.path.join(out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
        git("add", "-A", when=time)
        git("commit", "-q", "-m", f"{path}: {text.split('status: ')[1].split()[0]}", when=time)


if __name__ == "__main__":
    main()
