#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Check a Prometheus text exposition file strictly, as node_exporter's
textfile collector needs it, and query it for the kernel tests.

  promcheck.py FILE validate          parse; print the number of samples
  promcheck.py FILE get SERIES        the value of SERIES, e.g.
                                      'execwatch_events_total{type="exec"}'
  promcheck.py FILE label NAME LABEL  the values of LABEL in NAME's series, one a
                                      line, e.g. every program of
                                      execwatch_bpf_prog_runs_total

Checks: UTF-8 text ending in a newline; every sample's family has exactly
one HELP and one TYPE line, given before its samples, and the family's
samples are contiguous; names and label names are valid; label values are
properly quoted and escaped; values parse as floats; no timestamps (the
textfile collector rejects them); counters are named *_total and are not
negative; no series appears twice.
"""
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def fail(number, why, line=""):
    sys.exit(f"line {number}: {why}: {line!r}")


def parse_labels(text, number, line):
    labels = []
    pos = 0
    while pos < len(text):
        m = LABEL.match(text, pos)
        if not m:
            fail(number, "bad label", line)
        labels.append((m.group(1), m.group(2)))
        pos = m.end()
        if pos < len(text):
            if text[pos] != ",":
                fail(number, "labels not separated by ','", line)
            pos += 1
    names = [n for n, _ in labels]
    if len(set(names)) != len(names):
        fail(number, "a label given twice", line)
    return tuple(sorted(labels))


def parse(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    if not text.endswith("\n"):
        sys.exit("the file does not end in a newline (partial write?)")
    helps, types, samples = {}, {}, {}
    finished = set()
    current = None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            parts = line.split(" ", 3)
            if len(parts) < 4 or not NAME.fullmatch(parts[2]):
                fail(number, "bad HELP/TYPE line", line)
            name = parts[2]
            table = helps if parts[1] == "HELP" else types
            if name in table:
                fail(number, f"second {parts[1]} for {name}", line)
            if name in finished or name in {s[0] for s in samples}:
                fail(number, f"{parts[1]} after samples of {name}", line)
            if parts[1] == "TYPE" and parts[3] not in TYPES:
                fail(number, "unknown type", line)
            table[name] = parts[3]
            if current and current != name:
                finished.add(current)
            current = name
            continue
        if line.startswith("#") or not line.strip():
            fail(number, "stray comment or blank line", line)
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$", line)
        if not m:
            fail(number, "bad sample (a timestamp?)", line)
        name, labels, value = m.group(1), m.group(3) or "", m.group(4)
        if name != current:
            if name in finished or name in {s[0] for s in samples}:
                fail(number, f"samples of {name} not contiguous", line)
            current = name
        if name not in helps or name not in types:
            fail(number, f"{name} has no HELP or TYPE before it", line)
        try:
            v = float(value)
        except ValueError:
            fail(number, "value is not a number", line)
        if math.isnan(v):
            fail(number, "NaN", line)
        if types[name] == "counter":
            if not name.endswith("_total"):
                fail(number, "counter not named *_total", line)
            if v < 0:
                fail(number, "negative counter", line)
        key = (name, parse_labels(labels, number, line))
        if key in samples:
            fail(number, "series given twice", line)
        samples[key] = v
    for name in set(helps) | set(types):
        if name not in {s[0] for s in samples}:
            sys.exit(f"{name}: HELP/TYPE without samples")
    return samples


def series_key(series):
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?$", series)
    if not m:
        sys.exit(f"bad series {series!r}")
    return (m.group(1), parse_labels(m.group(3) or "", 0, series))


def main():
    path, command, *args = sys.argv[1:]
    samples = parse(path)
    if command == "validate":
        print(len(samples))
    elif command == "get":
        key = series_key(args[0])
        if key not in samples:
            sys.exit(f"no series {args[0]}")
        v = samples[key]
        print(int(v) if v.is_integer() else repr(v))
    elif command == "label":
        name, label = args
        for key in samples:
            if key[0] == name:
                print(dict(key[1]).get(label, ""))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
