#!/usr/bin/env python3
"""Generates a synthetic keel repository for benchmarks.

    bench/generate.py OUT --docs 10000 [--commits 1] [--branch feature --branch-changes 50]
                          [--staged 1] [--invalid-every 0] [--refs] [--kpis 500]

The repository uses the default PRD schema, template and workflow shipped with
keel (read from this checkout's schemas/, templates/ and workflows/). Documents
are spread over folders of 100; every document is valid unless
--invalid-every N makes every Nth one miss its `owner`. History is written with
`git fast-import`, so 20,000 commits take seconds. Each commit after the first
edits one document (cycling), moving its status along the workflow now and then.
--kpis N adds a KPI catalogue of N KPIs (kpis.yaml, one North Star), a RICE score
on the PRD kind, and to every spec its RICE inputs and a `kpi` naming one KPI.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATES = ["draft", "review", "approved", "shipped"]
PEOPLE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def depends_on(i):
    """1 to 5 earlier specs (so the references never form a cycle), for --refs."""
    if i == 0:
        return []
    return sorted({(i * 7 + m * 13) % i for m in range(1 + i % 5)})


def spec(i, status="draft", revision=0, invalid=False, refs=False, kpis=0):
    owner = "" if invalid else f"owner: {PEOPLE[i % len(PEOPLE)]}\n"
    extra = ""
    if kpis:
        extra += (f"kpi: KPI-{i % kpis:04d}\nreach: {100 + (i * 37) % 9900}\nimpact: {1 + i % 3}\n"
                  f"confidence: 0.{5 + i % 5}\neffort: {1 + i % 8}\n")
    if refs and depends_on(i):
        extra += "depends-on: [" + ", ".join(f"PRD-{j:05d}" for j in depends_on(i)) + "]\n"
    if status in ("review", "approved", "shipped"):
        extra += f"reviewers: [{PEOPLE[(i + 1) % len(PEOPLE)]}]\n"
    if status in ("approved", "shipped"):
        extra += f"approvers: [{PEOPLE[(i + 2) % len(PEOPLE)]}]\n"
    ready = "x" if status in ("approved", "shipped") else " "
    done = "x" if status == "shipped" else " "
    return f"""---
id: PRD-{i:05d}
title: Improve flow number {i}
{owner}status: {status}
created: "2026-01-{1 + i % 28:02d}"
team: team-{i // 100:03d}
tags: [synthetic, area-{i % 17}]
{extra}---

# Improve flow number {i}

## Problem

Shoppers in segment {i % 13} abandon the flow at step {i % 7}; revision {revision}.
Interviews with twelve customers showed the same confusion about delivery dates.

## Goals

- Reduce abandonment at step {i % 7} by {5 + i % 10} percent.
- Keep the median time to complete the flow under two minutes.

## Non-goals

- Changing prices or delivery partners.

## Solution

Show the delivery date before payment, and let shoppers change it in one tap.
We reuse the existing date picker and the delivery estimate service.

## Success metrics

- Abandonment at step {i % 7}, measured weekly.
- Support contacts about delivery dates.

## Risks

- The estimate service may be slow at peak times; cache estimates per postcode.

## Definition of Ready

- [{ready}] Problem validated with users
- [{ready}] Success metrics agreed
- [{ready}] Engineering estimate attached

## Definition of Done

- [{done}] Shipped to all users
- [{done}] Metrics dashboard live
- [{done}] Documentation updated
"""


def path_of(i):
    return f"specs/team-{i // 100:03d}/prd-{i:05d}.md"


KEEL_YAML = """version: 1
people: people.yaml
kinds:
  prd:
    include: ["specs/**/*.md"]
    schema: schemas/prd.schema.yaml
    template: templates/prd.md
    workflow: workflows/spec.yaml
"""


RICE = """    scores:
      rice: {formula: "reach * impact * confidence / effort", require-from: review}
"""


def kpis_yaml(count):
    lines = ["kpis:"]
    for k in range(count):
        lines += [f"  - id: KPI-{k:04d}", f"    name: Metric number {k}", f"    definition: What metric {k} counts.",
                  f"    owner: {PEOPLE[k % len(PEOPLE)]}", "    unit: count", f"    direction: {'up' if k % 3 else 'down'}",
                  f"    events: [event_{chr(97 + k % 26)}_done, flow_{chr(97 + k // 26 % 26)}_started]"]
        if k == 0:
            lines.append("    north-star: true")
    return "\n".join(lines) + "\n"


def people_yaml():
    lines = ["people:"]
    for p in PEOPLE:
        lines += [f"  - id: {p}", f"    name: {p.title()} Example"]
    return "\n".join(lines) + "\n"


class FastImport:
    def __init__(self, repo):
        self.proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=repo, stdin=subprocess.PIPE)
        self.mark = 0
        self.time = 1767225600  # 2026-01-01T00:00:00Z

    def write(self, text):
        self.proc.stdin.write(text.encode("utf-8") if isinstance(text, str) else text)

    def data(self, text):
        raw = text.encode("utf-8")
        self.write(f"data {len(raw)}\n")
        self.write(raw)
        self.write("\n")

    def commit(self, branch, message, files, parent=None, hours=1):
        self.mark += 1
        self.time += 3600 * hours
        who = PEOPLE[self.mark % len(PEOPLE)]
        self.write(f"commit refs/heads/{branch}\nmark :{self.mark}\n")
        self.write(f"author {who.title()} <{who}@example.com> {self.time} +0000\n")
        self.write(f"committer {who.title()} <{who}@example.com> {self.time} +0000\n")
        self.data(message)
        if parent:
            self.write(f"from {parent}\n")
        for path, text in files.items():
            self.write(f"M 100644 inline {path}\n")
            self.data(text)
        return f":{self.mark}"

    def close(self):
        self.write("done\n")
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            sys.exit("git fast-import failed")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--commits", type=int, default=1)
    parser.add_argument("--branch", default=None)
    parser.add_argument("--branch-changes", type=int, default=50)
    parser.add_argument("--staged", type=int, default=0, help="stage edits to this many documents after the last commit")
    parser.add_argument("--invalid-every", type=int, default=0)
    parser.add_argument("--refs", action="store_true", help="each spec depends on 1 to 5 earlier specs (depends-on)")
    parser.add_argument("--kpis", type=int, default=0,
                        help="a KPI catalogue of this many KPIs, RICE scores on every spec, a kpi field on each")
    args = parser.parse_args()

    if os.path.exists(args.out):
        sys.exit(f"{args.out} exists; remove it first")
    os.makedirs(args.out)
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    fi = FastImport(args.out)

    state = [0] * args.docs
    revision = [0] * args.docs
    files = {
        "keel.yaml": KEEL_YAML + (RICE if args.kpis else "") + ("kpis: kpis.yaml\n" if args.kpis else ""),
        "people.yaml": people_yaml(),
        "schemas/prd.schema.yaml": read("schemas/prd.schema.yaml"),
        "templates/prd.md": read("templates/prd.md"),
        "workflows/spec.yaml": read("workflows/spec.yaml"),
    }
    for i in range(args.docs):
        invalid = args.invalid_every and i % args.invalid_every == 0
        files[path_of(i)] = spec(i, invalid=invalid, refs=args.refs, kpis=args.kpis)
    if args.kpis:
        files["kpis.yaml"] = kpis_yaml(args.kpis)
    head = fi.commit("main", "Initial specs\n", files)

    for c in range(1, args.commits):
        i = (c * 7919) % args.docs  # a prime stride visits every document
        revision[i] += 1
        if revision[i] % 3 == 0 and state[i] < len(STATES) - 1:
            state[i] += 1
            message = f"PRD-{i:05d}: {STATES[state[i] - 1]} -> {STATES[state[i]]}\n"
        else:
            message = f"PRD-{i:05d}: revise problem statement\n"
        head = fi.commit("main", message, {path_of(i): spec(i, STATES[state[i]], revision[i], refs=args.refs, kpis=args.kpis)}, parent=head)

    if args.branch:
        changes = {}
        for k in range(args.branch_changes):
            i = (k * 104729) % args.docs
            nxt = min(state[i] + 1, 1)  # draft -> review is legal
            changes[path_of(i)] = spec(i, STATES[max(state[i], nxt)], revision[i] + 1, refs=args.refs, kpis=args.kpis)
        fi.commit(args.branch, f"Review {args.branch_changes} specs\n", changes, parent=head)
    fi.close()

    subprocess.run(["git", "-C", args.out, "checkout", "-q", "-f", "main"], check=True)
    for k in range(args.staged):
        i = (k * 31 + 5) % args.docs
        with open(os.path.join(args.out, path_of(i)), "a", encoding="utf-8") as f:
            f.write("\nA staged edit.\n")
        subprocess.run(["git", "-C", args.out, "add", path_of(i)], check=True)
    print(f"{args.out}: {args.docs} documents, {max(1, args.commits)} commits"
          + (f", branch {args.branch} changing {args.branch_changes}" if args.branch else ""))


if __name__ == "__main__":
    main()
