#!/usr/bin/env python3
"""Generates a repository with the shape of a real enhancement-proposal repository.

    bench/realistic.py OUT [--layout markdown|kep] [--docs 1300] [--commits 11000] [--seed 1]

Synthetic repositories are kinder than real ones; this one copies the shape that
hurt on a public design-document repository (no text of it):

- 1,300 proposals under `keps/<group>/<number>-<slug>`, Markdown bodies of 15 KB
  median with a long tail to 150 KB, following a 60-section template with
  headings marked `(Optional)`, boilerplate kept verbatim (`<!-- keep -->`) and
  pick-one checklists (`<!-- pick: 1 -->`);
- 11,000 commits, most of them in pull requests: one to three commits on a
  branch, then a merge commit (several pull requests open at once, so merges
  have real two-sided histories); many small edits per document, status changes
  now and then, `last-updated` bumps, a few typos in real data (a misspelt
  status, a missing field), documents older than the sections added to the
  template later, and renamed proposals (new slug or another group);
- `--layout markdown`: every proposal is one `<number>-<slug>.md` with YAML front
  matter for its whole life; keel.yaml is in the root commit.
- `--layout kep`: for the first third of the history a proposal is one
  `<number>-<slug>.md` with front matter; one migration commit then moves each
  to a folder `<number>-<slug>/` holding `kep.yaml` (the fields) and `README.md`
  (the body), and later proposals are created as folders; keel.yaml arrives in
  the last commit only, with `template-since:` the day after the last proposal
  written without the template's late sections was first committed.

Tags `v0.1`, `v0.2`, ... mark every 1,000th commit on main. Everything is
seeded: the same arguments give the same repository, byte for byte. History is
written with `git fast-import` and repacked, as a clone would be.
"""
import argparse
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402  (the fast-import writer)

GROUPS = [
    "api", "apps", "auth", "cli", "cloud", "cluster", "docs", "instrumentation", "network", "node",
    "release", "scheduling", "storage", "testing", "ui", "windows", "architecture", "autoscaling",
    "contrib", "multicluster", "scalability", "security", "usability", "data", "billing",
]
PEOPLE = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe",
]
WORDS = (
    "the a controller request latency node volume scheduler quota policy cluster rollout feature gate "
    "metric endpoint user operator upgrade downgrade version skew alpha beta stable api field default "
    "validation webhook admission cache index queue retry backoff timeout lease leader election "
    "storage class snapshot network route service proxy tenant namespace label selector annotation "
    "object status condition event log trace sample budget limit threshold migration compatibility "
    "test coverage flake signal dashboard alert owner reviewer approver milestone release branch "
    "should must can will may is are was when if because while after before during across within "
    "reduces increases keeps avoids allows requires adds removes changes enables disables"
).split()
STATES = ["provisional", "implementable", "implemented", "deferred", "withdrawn", "rejected", "replaced"]
STAGES = ["alpha", "beta", "stable"]

# The template: (level, heading, kind) with kind one of "text", "optional", "keep", "pick", "checklist".
# Sections marked `late` were added to the template part-way through the history: older
# proposals do not have them, as in real repositories.
SECTIONS = [
    (2, "Release Signoff Checklist", "checklist"),
    (2, "Summary", "text"),
    (2, "Motivation", "text"),
    (3, "Goals", "text"),
    (3, "Non-Goals", "text"),
    (2, "Proposal", "text"),
    (3, "User Stories (Optional)", "optional"),
    (4, "Story 1", "optional"),
    (4, "Story 2", "optional"),
    (3, "Notes, Constraints and Caveats (Optional)", "optional"),
    (3, "Risks and Mitigations", "text"),
    (2, "Design Details", "text"),
    (3, "API Changes", "text"),
    (3, "Data Model", "text"),
    (3, "Test Plan", "keep"),
    (4, "Prerequisite Testing Updates", "text"),
    (5, "Unit Tests", "text"),
    (5, "Integration Tests", "text"),
    (5, "End-to-end Tests", "text"),
    (3, "Graduation Criteria", "text"),
    (4, "Alpha", "text"),
    (4, "Beta", "text"),
    (4, "Stable", "text"),
    (4, "Deprecation", "optional"),
    (3, "Upgrade and Downgrade Strategy", "text"),
    (3, "Version Skew Strategy", "text"),
    (2, "Production Readiness Review Questionnaire", "keep"),
    (3, "Feature Enablement and Rollback", "text"),
    (4, "How can this feature be enabled or disabled?", "pick"),
    (4, "Does enabling the feature change any default behavior?", "text"),
    (4, "Can the feature be disabled once it has been enabled?", "text"),
    (4, "What happens if the feature is re-enabled?", "text"),
    (4, "Are there unit tests for enablement and disablement?", "text"),
    (3, "Rollout, Upgrade and Rollback Planning", "text"),
    (4, "How can a rollout or rollback fail?", "text"),
    (4, "What specific metrics should inform a rollback?", "text"),
    (4, "Were upgrade and rollback tested?", "text"),
    (4, "Is the rollout accompanied by any deprecations?", "optional"),
    (3, "Monitoring Requirements", "text"),
    (4, "How can an operator determine if the feature is in use?", "text"),
    (4, "How can someone using this feature know that it is working?", "pick"),
    (4, "What are the reasonable service level objectives?", "text"),
    (4, "What are the service level indicators?", "pick"),
    (4, "Are there any missing metrics that would be useful?", "optional"),
    (3, "Dependencies", "text"),
    (4, "Does this feature depend on any specific services?", "text"),
    (3, "Scalability", "text"),
    (4, "Will enabling the feature result in new API calls?", "text"),
    (4, "Will it increase the size of existing objects?", "text"),
    (4, "Will it increase the time taken by existing operations?", "text"),
    (4, "Will it increase resource usage?", "text"),
    (4, "Can it exhaust node resources?", "late"),
    (3, "Troubleshooting", "text"),
    (4, "How does this feature react if the API server is unavailable?", "text"),
    (4, "What are other known failure modes?", "text"),
    (4, "What steps should be taken if objectives are missed?", "late"),
    (2, "Implementation History", "text"),
    (2, "Drawbacks", "text"),
    (2, "Alternatives", "text"),
    (2, "Infrastructure Needed (Optional)", "optional"),
]
assert len(SECTIONS) == 60, len(SECTIONS)
KEEP_TEXT = {
    "Test Plan": "Items marked with (R) are required before the proposal can be moved to implementable.",
    "Production Readiness Review Questionnaire": (
        "Answer every question below; a reviewer from the production readiness group signs off on the answers."),
}
PICK_ITEMS = {
    "How can this feature be enabled or disabled?": ["Feature gate", "Configuration flag", "Other mechanism"],
    "How can someone using this feature know that it is working?": ["Events", "API status field", "Metrics", "Other"],
    "What are the service level indicators?": ["Metrics", "Traces", "Logs", "Other"],
}
SIGNOFF = [
    "Issue is linked in the release milestone",
    "Proposal is approved and merged",
    "Design details are appropriately documented",
    "Test plan is in place",
    "Graduation criteria are in place",
    "Production readiness review completed",
    "User-facing documentation is written",
]


class Text:
    def __init__(self, rng):
        self.rng = rng

    def sentence(self):
        n = self.rng.randint(8, 22)
        words = [self.rng.choice(WORDS) for _ in range(n)]
        if self.rng.random() < 0.15:
            words[self.rng.randrange(n)] = "`" + self.rng.choice(WORDS) + "Spec`"
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def block(self):
        """A paragraph, sometimes a list, a code block or a table."""
        r = self.rng.random()
        if r < 0.12:
            return "\n".join(f"- {self.sentence()}" for _ in range(self.rng.randint(2, 6)))
        if r < 0.18:
            body = "\n".join(f"{self.rng.choice(WORDS)}: {self.rng.randint(0, 999)}" for _ in range(self.rng.randint(3, 12)))
            return f"```yaml\n{body}\n```"
        if r < 0.22:
            rows = ["| Name | Stage | Notes |", "| --- | --- | --- |"]
            rows += [f"| {self.rng.choice(WORDS)} | {self.rng.choice(STAGES)} | {self.sentence()} |"
                     for _ in range(self.rng.randint(2, 8))]
            return "\n".join(rows)
        return self.paragraph()


class Proposal:
    def __init__(self, number, group, rng, text, created, late_sections):
        self.number = number
        self.group = group
        self.rng = rng
        self.slug = "-".join(rng.choice(WORDS[:60]) for _ in range(rng.randint(2, 5)))
        self.title = self.slug.replace("-", " ").capitalize()
        self.status = "provisional"
        self.created = created
        self.late = late_sections
        self.updated = created
        self.authors = rng.sample(PEOPLE, rng.randint(1, 3))
        self.reviewers = rng.sample(PEOPLE, rng.randint(1, 3))
        self.approvers = rng.sample(PEOPLE, 1)
        self.stage = "alpha"
        self.milestone = f"v1.{rng.randint(10, 30)}"
        self.missing_field = rng.random() < 0.02
        target = min(150_000, int(16_000 * math.exp(rng.gauss(0, 0.7))))
        if rng.random() < 0.004:
            target = 150_000
        self.target = max(3_000, target)
        self.sections = []  # (level, heading, [blocks])
        for level, heading, kind in SECTIONS:
            if kind == "late" and not late_sections:
                continue
            if kind == "optional" and rng.random() < 0.4:
                continue
            blocks = []
            if kind == "keep":
                blocks.append(KEEP_TEXT[heading])
            if kind == "pick":
                items = PICK_ITEMS[heading]
                chosen = rng.randrange(len(items))
                blocks.append("\n".join(f"- [{'x' if i == chosen else ' '}] {item}" for i, item in enumerate(items)))
            if kind == "checklist":
                blocks.append("\n".join(f"- [{'x' if rng.random() < 0.5 else ' '}] {item}" for item in SIGNOFF))
            else:
                blocks.append(text.sentence())
            self.sections.append([level, heading, blocks])
        # Start at about 90% of the final size; edits grow it.
        while self.body_size() < self.target * 0.9:
            self.rng.choice(self.text_sections())[2].append(text.block())

    def text_sections(self):
        return [s for s in self.sections if s[1] not in KEEP_TEXT and s[1] not in PICK_ITEMS
                and s[1] != "Release Signoff Checklist"]

    def body_size(self):
        return sum(len(b) + 2 for s in self.sections for b in s[2]) + 40 * len(self.sections)

    def folder(self):
        return f"keps/sig-{self.group}/{self.number}-{self.slug}"

    def fields(self):
        status = self.status
        if self.rng.random() < 0.003:
            status = {"implementable": "implementible", "provisional": "provisonal"}.get(status, status)
        lines = [
            f"title: {self.title}",
            f"kep-number: {self.number}",
            "authors:",
            *[f'  - "@{a}"' for a in self.authors],
            f"owning-sig: sig-{self.group}",
            f"status: {status}",
            f"creation-date: {self.created}",
        ]
        if not self.missing_field:
            lines.append(f"last-updated: {self.updated}")
        lines += [
            "reviewers:", *[f'  - "@{r}"' for r in self.reviewers],
            "approvers:", *[f'  - "@{a}"' for a in self.approvers],
            f"stage: {self.stage}",
            f'latest-milestone: "{self.milestone}"',
            "milestone:",
            f'  {self.stage}: "{self.milestone}"',
        ]
        return "\n".join(lines) + "\n"

    def body(self):
        out = [f"# KEP-{self.number}: {self.title}\n"]
        for level, heading, blocks in self.sections:
            out.append("#" * level + " " + heading + "\n")
            out.extend(b + "\n" for b in blocks)
        return "\n".join(out)

    def markdown(self):
        return "---\n" + self.fields() + "---\n\n" + self.body()

    def edit(self, text):
        """A small edit: most often one sentence changed, sometimes a paragraph added."""
        section = self.rng.choice(self.text_sections())
        blocks = section[2]
        if self.body_size() < self.target and self.rng.random() < 0.35:
            blocks.insert(self.rng.randint(0, len(blocks)), text.block())
            return "add to " + section[1]
        i = self.rng.randrange(len(blocks))
        sentences = blocks[i].split(". ")
        sentences[self.rng.randrange(len(sentences))] = text.sentence().rstrip(".")
        blocks[i] = ". ".join(sentences)
        if not blocks[i].endswith((".", "`", "|")):
            blocks[i] += "."
        return "reword " + section[1]

    def advance(self):
        """Moves the status along the workflow; returns the transition or None."""
        moves = {
            "provisional": [("implementable", 0.7), ("withdrawn", 0.08), ("deferred", 0.08), ("rejected", 0.04)],
            "implementable": [("implemented", 0.6), ("deferred", 0.1), ("withdrawn", 0.05)],
            "deferred": [("provisional", 0.5)],
            "implemented": [("replaced", 0.05)],
        }
        r = self.rng.random()
        for state, p in moves.get(self.status, []):
            if r < p:
                old, self.status = self.status, state
                if state == "implemented":
                    self.stage = "stable"
                elif state == "implementable":
                    self.stage = self.rng.choice(STAGES[:2])
                return f"{old} -> {state}"
            r -= p
        return None


SCHEMA = """$schema: https://json-schema.org/draft/2020-12/schema
title: Enhancement proposal
type: object
required: [title, kep-number, authors, owning-sig, status, creation-date]
properties:
  title: {type: string, minLength: 1}
  kep-number: {type: integer, minimum: 1}
  authors: {type: array, items: {type: string}, minItems: 1}
  owning-sig: {type: string, pattern: "^sig-[a-z]+$"}
  status: {enum: [provisional, implementable, implemented, deferred, withdrawn, rejected, replaced]}
  creation-date: {type: string, format: date}
  last-updated: {type: string, format: date}
  reviewers: {type: array, items: {type: string}}
  approvers: {type: array, items: {type: string}}
  stage: {enum: [alpha, beta, stable]}
  latest-milestone: {type: string}
  milestone: {type: object}
"""
WORKFLOW = """name: kep
field: status
initial: [provisional]
states:
  provisional: {}
  implementable: {}
  implemented: {}
  deferred: {}
  withdrawn: {final: true}
  rejected: {final: true}
  replaced: {final: true}
transitions:
  provisional: [implementable, withdrawn, deferred, rejected]
  implementable: [implemented, provisional, deferred, withdrawn]
  deferred: [provisional]
  implemented: [replaced]
sla:
  provisional: 26w
  implementable: 52w
"""


def template(with_front_matter):
    out = []
    if with_front_matter:
        out.append("---\ntitle: \"{{title}}\"\nkep-number: 0\nstatus: provisional\n---\n")
    out.append("# KEP-{{number}}: {{title}}\n")
    for level, heading, kind in SECTIONS:
        if heading.endswith("(Optional)") or kind == "optional":
            marked = heading if heading.endswith("(Optional)") else heading + " (Optional)"
            out.append("#" * level + " " + marked + "\n")
            out.append("Describe this if it applies.\n")
        else:
            out.append("#" * level + " " + heading + "\n")
        if kind == "keep":
            out.append("<!-- keep -->\n" + KEEP_TEXT[heading] + "\n")
        elif kind == "pick":
            out.append("<!-- pick: 1 -->\n" + "\n".join(f"- [ ] {i}" for i in PICK_ITEMS[heading]) + "\n")
        elif kind == "checklist":
            out.append("\n".join(f"- [ ] {i}" for i in SIGNOFF) + "\n")
        elif kind in ("text", "late"):
            out.append("Describe " + heading.lower().rstrip("?") + ".\n")
    return "\n".join(out)


def keel_yaml(layout, template_since=None):
    if layout == "markdown":
        return """version: 1
kinds:
  kep:
    include: ["keps/**/*.md"]
    exclude: ["keps/NNNN-kep-template.md"]
    schema: schemas/kep.schema.yaml
    template: templates/kep.md
    workflow: workflows/kep.yaml
    id-field: kep-number
"""
    return """version: 1
kinds:
  kep:
    include: ["keps/*/*/"]
    metadata: kep.yaml
    body: README.md
    schema: schemas/kep.schema.yaml
    template: templates/kep.md
    workflow: workflows/kep.yaml
    id-field: kep-number
""" + (f"    template-since: {template_since}\n" if template_since else "")


class FastImport(generate.FastImport):
    """generate.py's fast-import writer, with merges, deletions, renames, tags and a start date."""

    def __init__(self, repo, start):
        super().__init__(repo)
        self.time = start
        self.count = 0

    def commit(self, ref, who, message, changes, parent=None, merge=None, seconds=3600):
        """changes: list of ("M", path, text) | ("D", path) | ("R", old, new)."""
        self.mark += 1
        self.count += 1
        self.time += seconds
        self.write(f"commit {ref}\nmark :{self.mark}\n")
        self.write(f"author {who.title()} <{who}@example.com> {self.time} +0000\n")
        self.write(f"committer {who.title()} <{who}@example.com> {self.time} +0000\n")
        self.data(message)
        if parent:
            self.write(f"from {parent}\n")
        if merge:
            self.write(f"merge {merge}\n")
        for change in changes:
            if change[0] == "M":
                self.write(f"M 100644 inline {change[1]}\n")
                self.data(change[2])
            elif change[0] == "D":
                self.write(f"D {change[1]}\n")
            else:
                self.write(f'R "{change[1]}" "{change[2]}"\n')
        return f":{self.mark}"

    def tag(self, name, mark):
        self.write(f"reset refs/tags/{name}\nfrom {mark}\n\n")


def day(epoch):
    import datetime
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%d")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--layout", choices=["markdown", "kep"], default="markdown")
    parser.add_argument("--docs", type=int, default=1300)
    parser.add_argument("--commits", type=int, default=11000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if os.path.exists(args.out):
        sys.exit(f"{args.out} exists; remove it first")
    os.makedirs(args.out)
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    rng = random.Random(args.seed)
    text = Text(rng)
    fi = FastImport(args.out, 1451606400)  # 2016-01-01
    late_from = int(args.commits * 0.55)  # the template gains its "late" sections here

    setup = [("M", "README.md", "# Enhancement proposals\n\nOne proposal per file under keps/.\n"),
             ("M", "keps/NNNN-kep-template.md", template(True))]
    if args.layout == "markdown":
        setup += [("M", "keel.yaml", keel_yaml("markdown")), ("M", "schemas/kep.schema.yaml", SCHEMA),
                  ("M", "templates/kep.md", template(True)), ("M", "workflows/kep.yaml", WORKFLOW)]
    state = {"main": fi.commit("refs/heads/main", "alice", "Start the enhancement proposal process\n", setup),
             "main_commits": 1, "branch": 0}
    proposals = []
    numbers = iter(sorted(rng.sample(range(1, args.docs * 4), args.docs)))
    busy = set()  # proposals with an open pull request
    open_prs = []
    migrate_at = args.commits // 3 if args.layout == "kep" else None
    last = args.commits - (2 if args.layout == "kep" else 1)

    def on_main(who, message, changes, merge=None):
        state["main"] = fi.commit("refs/heads/main", who, message, changes, parent=state["main"], merge=merge,
                                  seconds=rng.randint(600, 20000))
        state["main_commits"] += 1
        if state["main_commits"] % 1000 == 0:
            fi.tag(f"v0.{state['main_commits'] // 1000}", state["main"])

    def finish(pr):
        open_prs.remove(pr)
        busy.discard(pr["p"].number)
        on_main(rng.choice(PEOPLE), f"Merge pull request #{pr['n']} from {pr['p'].authors[0]}/kep-{pr['p'].number}\n",
                list(pr["carried"].values()), merge=pr["tip"])

    def change_of(p, message_rng):
        """One commit's worth of change to p: creation, an edit, a transition or a rename."""
        if p.fresh:
            p.fresh = False
            first_commits.append(p)
            return f"KEP-{p.number}: {p.title}\n", files(p)
        r = message_rng.random()
        if r < 0.12:
            transition = p.advance()
            if transition:
                return f"KEP-{p.number}: {transition}\n", files(p)
        if r < 0.14:
            old = p.folder()
            if rng.random() < 0.5:
                p.slug = p.slug + "-" + rng.choice(WORDS[:40])
            else:
                p.group = rng.choice(GROUPS)
            rename = ("R", old, p.folder()) if folders[0] else ("R", old + ".md", p.folder() + ".md")
            return f"KEP-{p.number}: move to {p.folder()}\n", [rename] + files(p)
        return f"KEP-{p.number}: {p.edit(text)}\n", files(p)

    folders = [False]
    # Proposals whose first commit is the next one: when each was first committed (template-since).
    first_commits = []

    def note_first_commits():
        for p in first_commits:
            p.first_time = fi.time
        first_commits.clear()

    def paths_files(p):
        if folders[0]:
            return [("M", f"{p.folder()}/kep.yaml", p.fields()), ("M", f"{p.folder()}/README.md", p.body())]
        return [("M", p.folder() + ".md", p.markdown())]

    files = paths_files

    while fi.count < last:
        migrating = migrate_at is not None and not folders[0] and fi.count >= migrate_at
        if migrating and not open_prs:
            changes = [("D", p.folder() + ".md") for p in proposals]
            folders[0] = True
            for p in proposals:
                changes += files(p)
            on_main("bob", "Move every proposal to a folder: kep.yaml and README.md\n", changes)
            for p in proposals:
                p.first_time = fi.time  # a folder document's first commit is its folder's
            continue
        if not migrating and len(open_prs) < 3 and (not open_prs or rng.random() < 0.35):
            free = [p for p in proposals if p.number not in busy]
            creating = len(proposals) < args.docs and (rng.random() < 0.42 or len(free) < 5)
            if not creating and not free:
                continue
            if creating:
                p = Proposal(next(numbers), rng.choice(GROUPS), rng, text, day(fi.time), fi.count >= late_from)
                p.fresh = True
                proposals.append(p)
            else:
                p = rng.choice(free)
            busy.add(p.number)
            state["branch"] += 1
            n = state["branch"]
            if rng.random() < 0.1:  # a direct commit on main, no pull request
                message, changes = change_of(p, rng)
                on_main(rng.choice(p.authors), message, changes)
                note_first_commits()
                busy.discard(p.number)
                continue
            open_prs.append({"n": n, "ref": f"refs/heads/pr/{n}", "tip": state["main"], "p": p,
                             "left": rng.randint(1, 3), "carried": {}})
            continue
        if not open_prs:
            continue
        pr = rng.choice(open_prs)
        p = pr["p"]
        p.updated = day(fi.time)
        message, changes = change_of(p, rng)
        for c in changes:
            pr["carried"][c[0] + c[1] if c[0] == "R" else c[1]] = c
        pr["tip"] = fi.commit(pr["ref"], rng.choice(p.authors), message, changes, parent=pr["tip"],
                              seconds=rng.randint(600, 20000))
        note_first_commits()
        pr["left"] -= 1
        if pr["left"] <= 0:
            finish(pr)
    while open_prs:
        finish(open_prs[0])
    if args.layout == "kep":
        # The template gained its late sections when proposals started to be written with them:
        # it binds the proposals first committed after the last one written without them (in the
        # folder layout, a proposal from before the migration was first committed by it).
        early = [p.first_time for p in proposals if not p.late]
        since = day(max(early) + 86400) if early and len(early) < len(proposals) else None
        on_main("alice", "Adopt keel\n", [
            ("M", "keel.yaml", keel_yaml("kep", since)), ("M", "schemas/kep.schema.yaml", SCHEMA),
            ("M", "templates/kep.md", template(False)), ("M", "workflows/kep.yaml", WORKFLOW)])
    fi.close()
    # PR branches are merged; a clone would not have them.
    refs = subprocess.run(["git", "-C", args.out, "for-each-ref", "--format=%(refname)", "refs/heads/pr"],
                          check=True, capture_output=True, text=True).stdout.split()
    for ref in refs:
        subprocess.run(["git", "-C", args.out, "update-ref", "-d", ref], check=True)
    subprocess.run(["git", "-C", args.out, "repack", "-a", "-d", "-q", "--window=10", "--depth=50"], check=True)
    subprocess.run(["git", "-C", args.out, "checkout", "-q", "-f", "main"], check=True)
    sizes = sorted(len(p.body()) for p in proposals)
    print(f"{args.out}: {len(proposals)} proposals ({args.layout} layout), {fi.count} commits, "
          f"{state['main_commits']} on main; body median {sizes[len(sizes) // 2] // 1000} KB, "
          f"max {sizes[-1] // 1000} KB")


if __name__ == "__main__":
    main()
