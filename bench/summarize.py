#!/usr/bin/env python3
"""Prints a Markdown table of medians (and user CPU) from hyperfine JSON exports,
with each command's ratio to the slowest one: `bench/summarize.py out.json`."""
import json
import statistics
import sys

for path in sys.argv[1:]:
    results = json.load(open(path))["results"]
    slowest = max(statistics.median(r["times"]) for r in results)
    print("| command | median | min | max | user CPU (mean) | runs | slowest ÷ this |")
    print("|:---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        median = statistics.median(r["times"])
        print(f"| `{r['command']}` | {median * 1000:.0f} ms | {min(r['times']) * 1000:.0f} ms | "
              f"{max(r['times']) * 1000:.0f} ms | {r['user'] * 1000:.0f} ms | {len(r['times'])} | {slowest / median:.1f}× |")
    print()
