#!/usr/bin/env bash
# test_export.sh RAFTSIM SOURCE_ROOT - the traces other tools read.
# ShiViz (--format shiviz) on shipped scenarios (one with loss and network
# duplicates): the parser regex then an empty line, then two lines per
# event; each host's own counter goes up by exactly one per event; a
# receive is the elementwise max of the receiver's previous clock and the
# clock of the matching send (or of the original's send for a network
# copy), then its own tick; any other event changes only its own entry; no
# clock names an event that has not happened.  Mermaid (--format mermaid
# --from --to): a sequenceDiagram with participants n1..nN, one arrow per
# message delivered (->>) or dropped (-x) in the interval, matching the
# JSONL trace, and notes inside the interval.  Bad flags: one line, exit 2.
set -u
# shellcheck source=tests/lib/cli.sh
source "$(dirname "$0")/lib/cli.sh" "$@"

check_shiviz() { # LOG LABEL
  python3 - "$1" "$2" <<'PY'
import json, re, sys
path, label = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
bad = []
if lines[0] != r"(?<event>.*)\n(?<host>\S*) (?<clock>{.*})" or lines[1] != "":
    bad.append(f"header: {lines[:2]}")
body = lines[2:]
if body and body[-1] == "":
    body.pop()
if len(body) % 2:
    bad.append("an odd number of lines")
clock = {}      # host -> its last clock
count = {}      # host -> events so far
send_clock = {} # message id -> the clock of its send
n_recv = n_copy = 0
for k in range(0, len(body) - 1, 2):
    desc, hc = body[k], body[k + 1]
    m = re.fullmatch(r"(\S*) (\{.*\})", hc)
    if not m:
        bad.append(f"line {k + 4}: not 'host {{clock}}': {hc}")
        continue
    h, c = m.group(1), json.loads(m.group(2))
    prev = clock.get(h, {})
    if c.get(h) != prev.get(h, 0) + 1:
        bad.append(f"line {k + 4}: {h}'s own entry {c.get(h)} after {prev.get(h, 0)}")
    for j, v in c.items():
        if j != h and v < prev.get(j, 0):
            bad.append(f"line {k + 4}: {h}'s entry for {j} went back")
    d = re.search(r" delivered id=(\d+)(?: \(copy of id=(\d+)\))?$", desc)
    if d:
        n_recv += 1
        sid = int(d.group(2) or d.group(1))
        n_copy += d.group(2) is not None
        s = send_clock.get(sid)
        if s is None:
            bad.append(f"line {k + 3}: receive of id {sid} without its send")
            s = {}
        want = {j: max(prev.get(j, 0), s.get(j, 0)) for j in set(prev) | set(s)}
    else:
        want = dict(prev)
    want[h] = prev.get(h, 0) + 1
    want = {j: v for j, v in want.items() if v}
    if c != want:
        bad.append(f"line {k + 4}: clock {c}, want {want} ({desc})")
    count[h] = count.get(h, 0) + 1
    for j, v in c.items():
        if v > count.get(j, 0):
            bad.append(f"line {k + 4}: {h} knows {j}'s event {v}, which has not happened")
    snd = re.search(r" id=(\d+) due=", desc)
    if snd:
        send_clock[int(snd.group(1))] = c
    clock[h] = c
for b in bad[:8]:
    print(f"FAIL: {label}: {b}")
print(f"{label}: {len(body) // 2} events, {len(clock)} hosts, {n_recv} receives "
      f"({n_copy} of network copies)")
if n_recv == 0:
    print(f"FAIL: {label}: no receives")
    bad.append(1)
sys.exit(1 if bad else 0)
PY
}

for f in lossy_network tutorial split_vote; do
  "$R" run "$SRC/scenarios/$f.scn" --format shiviz --trace "$tmp/$f.log" 2>"$tmp/err" ||
    fail "$f: shiviz run failed: $(cat "$tmp/err")"
  check_shiviz "$tmp/$f.log" "shiviz $f" || fails=$((fails + 1))
done
grep -q "copy of id=" "$tmp/lossy_network.log" || fail "lossy_network: no network copy received"

# --- Mermaid ------------------------------------------------------------------
"$R" run "$SRC/scenarios/lossy_network.scn" --format mermaid --from 200ms --to 1.5s \
  --trace "$tmp/m.mmd" 2>"$tmp/err" || fail "mermaid run failed: $(cat "$tmp/err")"
"$R" run "$SRC/scenarios/lossy_network.scn" --format jsonl --trace "$tmp/m.jsonl" 2>/dev/null
python3 - "$tmp/m.mmd" "$tmp/m.jsonl" <<'PY' || fails=$((fails + 1))
import json, re, sys
mmd = open(sys.argv[1]).read().split("\n")
ev = [json.loads(l) for l in open(sys.argv[2])]
lo, hi = 200000, 1500000
bad = []
if mmd[0] != "sequenceDiagram":
    bad.append(f"first line {mmd[0]!r}")
nodes = max(e.get("node", 0) for e in ev)
parts = [l for l in mmd if l.startswith("    participant ")]
if parts != [f"    participant n{i}" for i in range(1, nodes + 1)]:
    bad.append(f"participants {parts}")
arrows = []
for l in mmd[1 + len(parts):]:
    if not l:
        continue
    m = re.fullmatch(r"    (n\d+)(->>|-x)(n\d+): (\w+)\(.*\) id (\d+)(?: \(copy of \d+\))?, sent \d+\.\d{3}ms(, dropped: .+)?", l)
    if m:
        arrows.append((m.group(1), m.group(2), m.group(3), int(m.group(5))))
        if (m.group(2) == "-x") != (m.group(6) is not None):
            bad.append(f"arrow and fate disagree: {l}")
        continue
    m = re.fullmatch(r"    Note over n\d+(,n\d+)?: (\d+)\.(\d{3})ms .+", l)
    if m:
        t = int(m.group(2)) * 1000 + int(m.group(3))
        if not lo <= t <= hi:
            bad.append(f"note outside the interval: {l}")
        continue
    bad.append(f"not a message or a note: {l!r}")
want = [(f"n{e['node']}", "->>" if e["kind"] == "deliver" else "-x", f"n{e['peer']}", e["id"])
        for e in ev if e["kind"] in ("deliver", "drop") and lo <= e["t_us"] <= hi]
if arrows != want:
    bad.append(f"{len(arrows)} arrows, want {len(want)} (first difference: "
               f"{next(((a, w) for a, w in zip(arrows, want) if a != w), None)})")
if not any(a[1] == "-x" for a in arrows):
    bad.append("no dropped message drawn")
for b in bad[:8]:
    print("FAIL: mermaid:", b)
print(f"mermaid: {len(arrows)} arrows ({sum(a[1] == '-x' for a in arrows)} dropped)")
sys.exit(1 if bad else 0)
PY

# --- flags ---------------------------------------------------------------------
out=$("$R" run --format jsonl --from 1s 2>&1); rc=$?
[ $rc = 2 ] && grep -q -- "--from/--to choose the interval of --format mermaid" <<<"$out" ||
  fail "--from without mermaid: exit $rc: $out"
out=$("$R" run --format mermaid --from 2s --to 1s 2>&1); rc=$?
[ $rc = 2 ] && grep -q -- "--from must not be after --to" <<<"$out" || fail "--from after --to: exit $rc: $out"
out=$("$R" run --format shiv 2>&1); rc=$?
[ $rc = 2 ] && grep -q "text, jsonl, shiviz or mermaid" <<<"$out" || fail "bad format: exit $rc: $out"
out=$("$R" run "$SRC/scenarios/split_vote.scn" --format mermaid --to 1x 2>&1); rc=$?
[ $rc = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] || fail "--to 1x: exit $rc: $out"

[ $fails = 0 ] && echo "exports ok"
[ $fails = 0 ]
