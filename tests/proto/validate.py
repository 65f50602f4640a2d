#!/usr/bin/env python3
"""Validates messages captured from the real actors against proto/*.schema.json.

usage: validate.py CAPTURE_DIR PROTO_DIR
Each capture file is named after its type (raw*.json, clean.json,
indexed.json, ack*.json). Prints one line per file and a closing count.
"""
import json
import pathlib
import sys

import jsonschema


def main():
    captures, proto = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    schemas = {}
    for path in proto.glob("*.schema.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[path.name.split(".")[0]] = schema
    passed = failed = 0
    seen_types = set()
    for path in sorted(captures.glob("*.json")):
        kind = path.stem.split("-")[0]
        message = json.loads(path.read_text())
        errors = list(jsonschema.Draft202012Validator(schemas[kind]).iter_errors(message))
        seen_types.add(kind)
        if errors:
            failed += 1
            for e in errors:
                print(f"FAIL {path.name}: {'/'.join(map(str, e.path))}: {e.message}")
        else:
            passed += 1
            print(f"ok   {path.name} against {kind}.schema.json")
    missing = set(schemas) - seen_types
    if missing:
        failed += 1
        print(f"FAIL no captured message of type {sorted(missing)}")
    # A schema that accepts anything would pass; show it refuses a bad one.
    bad = {"id": "", "status": "maybe", "stage": "cleaner"}
    if list(jsonschema.Draft202012Validator(schemas["ack"]).iter_errors(bad)):
        passed += 1
    else:
        failed += 1
        print("FAIL the ack schema accepted an invalid ack")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
