#!/usr/bin/env bash
# test_trace_pairs.sh RAFTSIM SOURCE_ROOT - every message in the JSONL trace
# of every shipped scenario (the lessons and the teaching-bug scripts, which
# set their own --bug) is accounted for: each `send` and `duplicate` id is
# closed by exactly one `deliver` or `drop` of the same id, after it, no id
# is closed that was never sent, and a message left open when the trace ends
# is "in flight": its due time is not before the trace's last event (else
# the simulator skipped it).  The in-flight ones are listed.
set -u
# shellcheck source=tests/lib/cli.sh
source "$(dirname "$0")/lib/cli.sh" "$@"

check_pairs() { # FILE.jsonl LABEL
  python3 - "$1" "$2" <<'PY'
import json, sys
path, label = sys.argv[1], sys.argv[2]
open_msgs = {}   # id -> (t_us, due_us, line number)
closed = set()
bad = []
last_t = 0
n_sent = n_closed = 0
with open(path) as f:
    for ln, line in enumerate(f, 1):
        e = json.loads(line)
        last_t = e["t_us"]
        k = e["kind"]
        if k in ("send", "duplicate"):
            i = e.get("id")
            if not isinstance(i, int) or i < 1 or "due_us" not in e:
                bad.append(f"line {ln}: {k} without id/due_us")
                continue
            if i in open_msgs or i in closed:
                bad.append(f"line {ln}: id {i} sent twice")
            if e["due_us"] < e["t_us"]:
                bad.append(f"line {ln}: id {i} due before it was sent")
            open_msgs[i] = (e["t_us"], e["due_us"], ln)
            n_sent += 1
        elif k == "delay" and e.get("id") in open_msgs:
            t, _, ln0 = open_msgs[e["id"]]
            open_msgs[e["id"]] = (t, e["due_us"], ln0)
        elif k in ("deliver", "drop"):
            i = e.get("id")
            if i in closed:
                bad.append(f"line {ln}: id {i} closed twice ({k})")
            elif i not in open_msgs:
                bad.append(f"line {ln}: {k} of id {i}, never sent")
            else:
                t, due, _ = open_msgs.pop(i)
                if e["t_us"] != due and k == "deliver":
                    bad.append(f"line {ln}: id {i} delivered at {e['t_us']}, due {due}")
                closed.add(i)
                n_closed += 1
flight = []
for i, (t, due, ln) in sorted(open_msgs.items()):
    if due < last_t:
        bad.append(f"id {i} (line {ln}) was due at {due} but the trace ran to {last_t}"
                   " without delivering or dropping it")
    else:
        flight.append(i)
for b in bad[:10]:
    print(f"FAIL: {label}: {b}")
if n_sent == 0:
    print(f"FAIL: {label}: no messages at all")
    bad.append("none")
print(f"{label}: {n_sent} sent, {n_closed} delivered or dropped, "
      f"{len(flight)} in flight at the end {flight[:8]}{' ...' if len(flight) > 8 else ''}")
sys.exit(1 if bad else 0)
PY
}

for f in "$SRC"/scenarios/*.scn "$SRC"/scenarios/bugs/*.scn; do
  name=${f#"$SRC"/}
  "$R" run "$f" --trace "$tmp/t.jsonl" --format jsonl >/dev/null 2>"$tmp/err"
  rc=$?
  case $name in
    scenarios/bugs/*) want=1 ;;
    *) want=0 ;;
  esac
  [ $rc = $want ] || { echo "FAIL: $name: exit $rc, want $want: $(head -3 "$tmp/err")"; fails=$((fails + 1)); continue; }
  check_pairs "$tmp/t.jsonl" "$name" || fails=$((fails + 1))
done

# A plain run (no script) too.
"$R" run --seed 7 --for 3s --trace "$tmp/t.jsonl" --format jsonl 2>/dev/null ||
  { echo "FAIL: plain run"; fails=$((fails + 1)); }
check_pairs "$tmp/t.jsonl" "run --seed 7" || fails=$((fails + 1))

# The text trace names the same ids.
"$R" run --seed 3 --for 500ms --trace "$tmp/t.txt" 2>/dev/null
grep -q ' id=1 due=' "$tmp/t.txt" || { echo "FAIL: text trace: no 'id=1 due='"; fails=$((fails + 1)); }
grep -q 'delivered id=1$' "$tmp/t.txt" || { echo "FAIL: text trace: no 'delivered id=1'"; fails=$((fails + 1)); }

[ $fails = 0 ] && echo "all trace pairs ok"
[ $fails = 0 ]
