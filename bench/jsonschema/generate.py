#!/usr/bin/env python3
"""Writes a realistic PRD front-matter schema and N YAML instance files (about 5% invalid).

usage: generate.py OUT_DIR [COUNT]
Deterministic (seeded), so every run measures the same data.
"""
import json
import os
import random
import sys

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://keel.example/schemas/prd.schema.json",
    "title": "PRD front matter",
    "type": "object",
    "required": ["id", "title", "status", "owner", "created", "tags"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^PRD-[0-9]{4,6}$"},
        "title": {"type": "string", "minLength": 5, "maxLength": 120},
        "status": {"enum": ["draft", "review", "approved", "shipped", "archived"]},
        "owner": {"$ref": "#/$defs/handle"},
        "reviewers": {"type": "array", "items": {"$ref": "#/$defs/handle"}, "uniqueItems": True},
        "approvers": {"type": "array", "items": {"$ref": "#/$defs/handle"}, "minItems": 1},
        "created": {"type": "string", "format": "date"},
        "updated": {"type": "string", "format": "date-time"},
        "target_release": {"type": "string", "pattern": "^v[0-9]+\\.[0-9]+(\\.[0-9]+)?$"},
        "priority": {"type": "integer", "minimum": 0, "maximum": 4},
        "effort": {"type": "number", "exclusiveMinimum": 0},
        "tags": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
            "minItems": 1,
            "maxItems": 8,
        },
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "url"],
                "properties": {"title": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
                "additionalProperties": False,
            },
        },
        "contact": {"type": "string", "format": "email"},
        "decision": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "date": {"type": "string", "format": "date"}},
        },
    },
    "$defs": {"handle": {"type": "string", "pattern": "^@?[a-z][a-z0-9-]{1,38}$"}},
    "if": {"properties": {"status": {"const": "approved"}}, "required": ["status"]},
    "then": {"required": ["approvers"]},
}

PEOPLE = ["alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"]
TAGS = ["checkout", "payments", "search", "mobile", "web", "growth", "infra", "privacy", "ml", "onboarding"]
WORDS = "faster checkout with saved cards and fewer steps for returning customers on every platform".split()


def document(rng, index):
    status = rng.choice(["draft", "review", "approved", "shipped", "archived"])
    doc = {
        "id": "PRD-%05d" % index,
        "title": " ".join(rng.sample(WORDS, rng.randint(3, 8))).capitalize(),
        "status": status,
        "owner": rng.choice(PEOPLE),
        "reviewers": rng.sample(PEOPLE, rng.randint(1, 3)),
        "created": "2024-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
        "updated": "2024-%02d-%02dT%02d:%02d:00Z" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)),
        "target_release": "v%d.%d" % (rng.randint(1, 9), rng.randint(0, 20)),
        "priority": rng.randint(0, 4),
        "effort": round(rng.uniform(0.5, 13), 1),
        "tags": rng.sample(TAGS, rng.randint(1, 4)),
        "links": [{"title": "Design", "url": "https://design.example.com/files/%d" % index}],
        "contact": "%s@example.com" % rng.choice(PEOPLE),
        "decision": {"id": "%08x-1234-4abc-8def-%012x" % (index, index * 7919), "date": "2024-06-01"},
    }
    if status == "approved":
        doc["approvers"] = rng.sample(PEOPLE, 1)
    if rng.random() < 0.05:  # a realistic share of mistakes
        mistake = rng.choice(["status", "owner", "created", "extra", "missing"])
        if mistake == "status":
            doc["status"] = "shiped"
        elif mistake == "owner":
            doc["owner"] = "Alice Smith"
        elif mistake == "created":
            doc["created"] = "2024-02-30"
        elif mistake == "extra":
            doc["colour"] = "red"
        else:
            del doc["tags"]
    return doc


def scalar(value):
    if isinstance(value, str):
        return json.dumps(value)  # double-quoted YAML scalar: a string for every YAML reader
    return json.dumps(value)


def to_yaml(doc):
    lines = []
    for key, value in doc.items():
        if isinstance(value, list):
            lines.append("%s:" % key)
            for item in value:
                if isinstance(item, dict):
                    first = True
                    for k, v in item.items():
                        lines.append("%s%s: %s" % ("  - " if first else "    ", k, scalar(v)))
                        first = False
                else:
                    lines.append("  - %s" % scalar(item))
        elif isinstance(value, dict):
            lines.append("%s:" % key)
            for k, v in value.items():
                lines.append("  %s: %s" % (k, scalar(v)))
        else:
            lines.append("%s: %s" % (key, scalar(value)))
    return "\n".join(lines) + "\n"


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    docs = os.path.join(out, "docs")
    os.makedirs(docs, exist_ok=True)
    with open(os.path.join(out, "prd.schema.json"), "w") as handle:
        json.dump(SCHEMA, handle, indent=2)
    rng = random.Random(20261121)
    for index in range(1, count + 1):
        with open(os.path.join(docs, "prd-%05d.yaml" % index), "w") as handle:
            handle.write(to_yaml(document(rng, index)))


if __name__ == "__main__":
    main()
