#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Check what a real rsyslog received from execwatch --syslog (docs/syslog.md).

  syslogq.py RAWLOG EXECWATCH_JSON MARK N [--drops]

RAWLOG holds the raw messages (rsyslog template "%rawmsg%\\n"), one a line.
EXECWATCH_JSON is execwatch's own --json output of the same run, the
reference: every exec and exit record in it was also handed to the syslog
sink. Checks, failing with a message:
- every message is RFC 5424 as documented: <PRI>1 TIMESTAMP HOST execwatch
  PID MSGID [meta sequenceId="N"] JSON, MSGID = the JSON's type, TIMESTAMP =
  the JSON's time cut to microseconds, the JSON strict and one line;
- a sequence id seen twice is the same message (a replay after the collector
  reset the connection), and the accounting is exact: distinct messages
  received + syslog_dropped (final stats) = records in the reference;
- without --drops: syslog_dropped is 0 and MARK-0 .. MARK-(N-1) each arrive
  exactly once; with --drops: each arrives at most once, syslog_dropped > 0.
Prints one line of figures.
"""
import json
import re
import sys

HEADER = re.compile(
    r'^<(\d+)>1 (\S+) (\S+) execwatch (\d+) (\S+) \[meta sequenceId="(\d+)"\] (.*)$')


def main():
    raw_path, ref_path, mark, n = sys.argv[1:5]
    n = int(n)
    drops = "--drops" in sys.argv[5:]
    seqs = {}
    duplicates = 0
    markers = {}
    pids = set()
    for number, raw in enumerate(open(raw_path, "rb"), 1):
        line = raw.decode("utf-8", "strict").rstrip("\n")
        m = HEADER.match(line)
        assert m, f"{raw_path}:{number}: not our RFC 5424 format: {line[:200]!r}"
        pri, stamp, host, pid, msgid, seq, msg = m.groups()
        assert int(pri) == 10 * 8 + 6, f"line {number}: PRI {pri}, want authpriv.info (86)"
        record = json.loads(msg)
        assert msgid == record["type"], f"line {number}: MSGID {msgid} for a {record['type']}"
        want = record["time"][:26] + "Z"  # 2026-11-25T01:02:03.456789
        assert stamp == want, f"line {number}: TIMESTAMP {stamp}, the event's is {record['time']}"
        pids.add(pid)
        if seq in seqs:
            # A replay after the collector reset the connection: the same message.
            assert seqs[seq] == line, f"line {number}: sequenceId {seq} reused for another message"
            duplicates += 1
            continue
        seqs[seq] = line
        for arg in record.get("argv", []):
            if arg.startswith(mark + "-"):
                markers[arg] = markers.get(arg, 0) + 1
    assert len(pids) <= 1, f"messages from several execwatch processes: {pids}"
    ref = [json.loads(l) for l in open(ref_path, "rb")]
    events = sum(r["type"] in ("exec", "exit") for r in ref)
    dropped = [r for r in ref if r["type"] == "stats"][-1]["syslog_dropped"]
    twice = [k for k, v in markers.items() if v > 1]
    assert not twice, f"markers delivered twice: {twice[:5]}"
    expected = {f"{mark}-{i}" for i in range(n)}
    missing = expected - set(markers)
    print(f"{len(seqs)} messages received ({duplicates} more were replays of one of them), "
          f"{dropped} counted as dropped, {events} records in execwatch's own output; "
          f"markers {n - len(missing)} of {n}")
    assert len(seqs) + dropped == events, \
        f"received {len(seqs)} + dropped {dropped} != {events} records sent to the sink"
    if drops:
        assert dropped > 0, "the bound was never reached: nothing was tested"
        assert len(missing) <= dropped, "more markers missing than counted as dropped"
    else:
        assert dropped == 0, f"{dropped} dropped"
        assert not missing, f"{len(missing)} markers missing, e.g. {sorted(missing)[:3]}"


if __name__ == "__main__":
    main()
