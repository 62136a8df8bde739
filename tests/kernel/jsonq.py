#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Query execwatch JSON Lines for the kernel tests.

Every line of the file must be strict UTF-8 JSON (the tool's contract); a
line that is not fails the query. Records are matched by a marker that must
appear in one argv element (or the filename).

  jsonq.py FILE validate                 every line parses; prints the line count
  jsonq.py FILE count MARKER             exec records carrying MARKER
  jsonq.py FILE get MARKER FIELD         FIELD of the one record with MARKER (JSON)
  jsonq.py FILE argv-bytes MARKER        argv as raw bytes (from argv_b64 when present),
                                         printed as a Python bytes repr list
  jsonq.py FILE last TYPE FIELD          FIELD of the last record of TYPE
  jsonq.py FILE markers PREFIX           how many distinct argv elements start with PREFIX
"""
import base64
import json
import sys


def load(path):
    records = []
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.endswith(b"\n"):
                sys.exit(f"line {number}: not terminated by a newline")
            try:
                text = raw.decode("utf-8", errors="strict")
                records.append(json.loads(text))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                sys.exit(f"line {number}: invalid: {err}: {raw[:200]!r}")
    return records


def raw_argv(record):
    if "argv_b64" in record:
        return [base64.b64decode(a) for a in record["argv_b64"]]
    return [a.encode("utf-8") for a in record["argv"]]


def carries(record, marker):
    if record.get("type") != "exec":
        return False
    if any(marker in a for a in record.get("argv", [])):
        return True
    return marker in record.get("filename", "")


def matching(records, marker):
    return [r for r in records if carries(r, marker)]


def main():
    path, command, *args = sys.argv[1:]
    records = load(path)
    if command == "validate":
        print(len(records))
    elif command == "count":
        print(len(matching(records, args[0])))
    elif command == "get":
        found = matching(records, args[0])
        if len(found) != 1:
            sys.exit(f"{len(found)} records carry {args[0]}")
        print(json.dumps(found[0].get(args[1])))
    elif command == "argv-bytes":
        found = matching(records, args[0])
        if len(found) != 1:
            sys.exit(f"{len(found)} records carry {args[0]}")
        print(repr(raw_argv(found[0])))
    elif command == "last":
        found = [r for r in records if r.get("type") == args[0]]
        if not found:
            sys.exit(f"no {args[0]} record")
        print(json.dumps(found[-1].get(args[1])))
    elif command == "markers":
        seen = set()
        for r in records:
            if r.get("type") == "exec":
                seen.update(a for a in r.get("argv", []) if a.startswith(args[0]))
        print(len(seen))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
