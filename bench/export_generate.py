#!/usr/bin/env python3
"""Generates a repository for the export benchmark (issue 5): a people
registry, RACI files and a large glossary, committed and tagged v1.

Usage: bench/export_generate.py DIR [--raci 500] [--activities 12] [--terms 5000] [--people 300]
Deterministic: the same arguments give the same files.
"""
import argparse
import os
import random
import subprocess


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--raci", type=int, default=500)
    parser.add_argument("--activities", type=int, default=12)
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--people", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(5)
    root = args.dir
    os.makedirs(os.path.join(root, "raci"), exist_ok=True)

    def write(path: str, text: str) -> None:
        with open(os.path.join(root, path), "w", encoding="utf-8") as f:
            f.write(text)

    write("keel.yaml", 'version: 1\npeople: people.yaml\nglossary: glossary.yaml\nraci: ["raci/*.yaml"]\n'
          'kinds:\n  prd:\n    include: ["specs/**/*.md"]\n')

    people = [f"p{i:04d}" for i in range(args.people)]
    teams = [f"team-{i:02d}" for i in range(max(1, args.people // 15))]
    lines = ["people:"]
    for i, pid in enumerate(people):
        lines.append(f'  - {{id: {pid}, name: "Person {i}, Ünïcode", email: {pid}@example.com, role: Role {i % 7}}}')
    lines.append("teams:")
    for i, tid in enumerate(teams):
        members = ", ".join(rng.sample(people, 6))
        lines.append(f"  - {{id: {tid}, name: Team {i}, members: [{members}]}}")
    write("people.yaml", "\n".join(lines) + "\n")

    names = people + teams
    for f in range(args.raci):
        out = [f'title: "Squad {f}, area {f % 17}"', "activities:"]
        for a in range(args.activities):
            chosen = rng.sample(names, 6)
            out += [
                f"  - id: activity-{a:02d}",
                f'    name: "Activity {a} of squad {f}, with \\"quotes\\""',
                f"    R: [{chosen[0]}, {chosen[1]}]",
                f"    A: {chosen[2]}",
                f"    C: [{chosen[3]}, {chosen[4]}]",
                f"    I: [{chosen[5]}]",
            ]
        write(f"raci/squad-{f:04d}.yaml", "\n".join(out) + "\n")

    terms = [f"Term {i:05d}" for i in range(args.terms)]
    out = ["terms:"]
    for i, term in enumerate(terms):
        see = ", ".join(f'"{t}"' for t in rng.sample(terms, 2))
        out += [
            f'  - term: "{term}"',
            f'    definition: "Definition of term {i}: <b>markup</b> & \\"quotes\\", Ünïcode, commas."',
            f'    aliases: ["alias {i}a", "alias {i}b"]',
            f'    avoid: ["avoided {i}"]',
            f"    see: [{see}]",
        ]
    write("glossary.yaml", "\n".join(out) + "\n")

    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
    def git(*arguments: str) -> None:
        subprocess.run(["git", *arguments], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
    if not os.path.isdir(os.path.join(root, ".git")):
        git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "--allow-empty", "-m", "export benchmark")
    git("tag", "-f", "v1")


if __name__ == "__main__":
    main()
