#!/usr/bin/env bash
# test_msg_cmds.sh RAFTSIM SOURCE_ROOT - message control as scenario
# commands: drop, duplicate, delay, hurry and deliver next a message by its
# id, fire next timer NODE.  Each does what it says in the trace (the
# message's fate, its new due time, never before now), ids are the same on
# every run of a script and seed, a script with these commands replays,
# every id is still closed exactly once, and bad commands get one line
# (FILE:LINE:COL, exit 2 when parsing; the time when the message is not in
# flight when the command runs).
set -u
# shellcheck source=tests/lib/cli.sh
source "$(dirname "$0")/lib/cli.sh" "$@"

# seed 1, 3 nodes: n3 times out at 200.527ms and sends RequestVote id=1 to
# n1 (due 213.225ms) and id=2 to n2 (due 206.316ms).
cat >"$tmp/m.scn" <<'EOF'
cluster nodes=3 seed=1
run 205ms
drop msg 2
duplicate msg 1
delay msg 1 by 20ms
hurry msg 3 by 1s
run 30ms
deliver next msg 8
fire next timer n1
run 10ms
EOF
"$R" run "$tmp/m.scn" --trace "$tmp/a.txt" 2>"$tmp/err" || fail "the script failed: $(cat "$tmp/err")"
"$R" run "$tmp/m.scn" --trace "$tmp/b.txt" 2>/dev/null
cmp -s "$tmp/a.txt" "$tmp/b.txt" || fail "two runs of one script and seed differ"
want() { grep -qF -- "$1" "$tmp/a.txt" || fail "no '$1' in the trace: $(head -40 "$tmp/a.txt")"; }
want "[  205.000ms] n3 → n2 RequestVote dropped (by command) id=2"
want "[  205.000ms] n3 → n1 RequestVote duplicated id=3 due="
want "(copy of id=1)"
want "[  205.000ms] n3 → n1 RequestVote rescheduled id=1 due=233.225ms"
want "[  205.000ms] n3 → n1 RequestVote rescheduled id=3 due=205.000ms"
want "[  205.000ms] n3 → n1 RequestVote delivered id=3"
want "[  233.225ms] n3 → n1 RequestVote delivered id=1"
grep -q "delivered id=2$" "$tmp/a.txt" && fail "message 2 was dropped, yet delivered"
grep -q "^\[  206.316ms\]" "$tmp/a.txt" && fail "something happened when message 2 was due"
# deliver next / fire next timer at 235ms
grep -q "id=8 due=" "$tmp/a.txt" || fail "no message 8: $(head -30 "$tmp/a.txt")"
grep -q "^\[  235.000ms\] .* rescheduled id=8 due=235.000ms" "$tmp/a.txt" ||
  fail "deliver next msg 8 did not move it to now"
grep -q "^\[  235.000ms\] .* delivered id=8" "$tmp/a.txt" || fail "message 8 was not delivered at once"
grep -q "^\[  235.000ms\] n1 .*term 2\|^\[  235.000ms\] n1 timeout" "$tmp/a.txt" ||
  fail "fire next timer n1 did nothing at 235ms: $(grep '235.000ms' "$tmp/a.txt")"

# every id is closed once (JSONL); delay lines move the due time
"$R" run "$tmp/m.scn" --format jsonl --trace "$tmp/a.jsonl" 2>/dev/null
python3 - "$tmp/a.jsonl" <<'PY' || fails=$((fails + 1))
import json, sys
due, closed, bad = {}, set(), []
for line in open(sys.argv[1]):
    e = json.loads(line)
    k, i = e["kind"], e.get("id")
    if k in ("send", "duplicate"):
        due[i] = e["due_us"]
    elif k == "delay":
        if i not in due or i in closed:
            bad.append(f"delay of {i}, not in flight")
        elif e["due_us"] < e["t_us"]:
            bad.append(f"{i} moved before now")
        due[i] = e["due_us"]
    elif k in ("deliver", "drop"):
        if i in closed or i not in due:
            bad.append(f"{k} of {i}: not in flight")
        elif k == "deliver" and e["t_us"] != due[i]:
            bad.append(f"{i} delivered at {e['t_us']}, due {due[i]}")
        closed.add(i)
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

# replay: a script that ends with an expectation the drop makes true
cat >"$tmp/r.scn" <<'EOF'
cluster nodes=3 seed=1
run 205ms
drop msg 1
drop msg 2
run 30ms
expect leaders == 0
expect term n2 == 0
EOF
out=$("$R" check "$tmp/r.scn" 2>&1) || fail "the drop does not replay: $out"
sed -i 's/^drop msg 1$//' "$tmp/r.scn"
out=$("$R" check "$tmp/r.scn" 2>&1) && fail "without the drop the expectation still holds: $out"

# --- errors --------------------------------------------------------------------
bad() { # LINE WANT-EXIT WANT-TEXT
  printf 'cluster nodes=3 seed=1\nrun 205ms\n%s\n' "$1" >"$tmp/e.scn"
  out=$("$R" check "$tmp/e.scn" 2>&1); rc=$?
  [ $rc = "$2" ] && grep -qF -- "$3" <<<"$out" && [ "$(wc -l <<<"$out")" -le 2 ] ||
    fail "'$1': exit $rc, want $2 and '$3': $out"
}
bad "drop msg" 2 "e.scn:3:10: missing message id"
bad "drop 3" 2 "e.scn:3:6: expected 'msg' instead of '3'"
bad "drop msg 0" 2 "e.scn:3:10: message id 0 is out of range"
bad "delay msg 3" 2 "e.scn:3:13: missing 'by' after the message id"
bad "delay msg 3 by soon" 2 "e.scn:3:16:"
bad "deliver msg 3" 2 "e.scn:3:9: expected 'next' instead of 'msg'"
bad "fire next timer n7" 2 "e.scn:3:17:"
bad "fire timer n1" 2 "e.scn:3:6: expected 'next' instead of 'timer'"
bad "dorp msg 3" 2 "did you mean 'drop'?"
bad "drop msg 99" 1 "no message 99 at 205.000ms: the last one sent so far is 2"
printf 'cluster nodes=3 seed=1\nrun 300ms\ndrop msg 1\n' >"$tmp/e.scn"
out=$("$R" check "$tmp/e.scn" 2>&1)
grep -qF "message 1 is no longer in flight at 300.000ms" <<<"$out" || fail "delivered message: $out"

[ $fails = 0 ] && echo "message commands ok"
[ $fails = 0 ]
