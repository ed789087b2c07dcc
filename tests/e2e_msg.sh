#!/usr/bin/env bash
# e2e_msg.sh - a message controlled in the real window under its own Xvfb:
# play to the tutorial's first pause (n5's RequestVotes leave), click one of
# them on the ring, drop it with X, save the session (Ctrl+S), quit.  The
# saved .scn holds the `drop msg N` line, `raftsim check` passes on it and
# its trace shows that very message dropped by the command.
# Usage: tests/e2e_msg.sh BUILD_DIR SOURCE_ROOT   (exit 0 ok, 1 failed, 77 skipped)
set -u
build=$(cd "${1:?usage: e2e_msg.sh BUILD_DIR SOURCE_ROOT}" && pwd)
src=$(cd "${2:?usage: e2e_msg.sh BUILD_DIR SOURCE_ROOT}" && pwd)
raftsim=$build/raftsim

for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "e2e_msg: skipped: $tool is not installed"; exit 77; }
done
[ -x "$raftsim" ] || { echo "e2e_msg: $raftsim not built"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/raftsim-e2e-msg.XXXXXX")
xvfb_pid="" view_pid=""
cleanup() {
  [ -n "$view_pid" ] && kill "$view_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "e2e_msg: FAIL: $*"; [ -f "$work/view.err" ] && sed 's/^/  view stderr: /' "$work/view.err"; exit 1; }
step() { echo "e2e_msg: $*"; }

# shellcheck source=tests/lib/xvfb.sh
source "$src/tests/lib/xvfb.sh"
e2e_start_xvfb 161 230
step "Xvfb on $DISPLAY"

cd "$work" || exit 1
view_asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
ASAN_OPTIONS=$view_asan RAFTSIM_ASSETS=$src/assets "$raftsim" view "$src/scenarios/tutorial.scn" --size 1280x720 \
  >"$work/view.out" 2>"$work/view.err" &
view_pid=$!
win=$(timeout 15 xdotool search --sync --onlyvisible --name 'raftsim' 2>/dev/null | head -1)
[ -n "$win" ] || fail "no raftsim window appeared"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 0.5

key() { xdotool key --clearmodifiers "$@"; sleep 0.3; }
# PageDown four times plays to the lesson's fifth pause: n5's election
# timeout at 156.554 ms, its RequestVotes just leaving.  At 1280x720 n5's
# disc is centred at (203, 370) and n2's at (474, 370): the vote n5 -> n2
# flies along y = 377 (its lane, to the right of travel).  Step events (->)
# until the vote shows between the two discs, then click it.
for _ in 1 2 3 4; do key Next; sleep 3; done
vx=""
for _ in 1 2 3 4; do
  key Right
  import -window "$win" "$work/frame.png" 2>/dev/null || fail "import could not capture the window"
  vx=$(convert "$work/frame.png" -crop 200x1+265+377 txt:- |
       awk -F'[,:]' '/#E69F00/ { s += $1; n++ } END { if (n) print int(s / n) + 265 }')
  [ -n "$vx" ] && break
done
[ -n "$vx" ] || fail "no RequestVote n5 -> n2 in flight on the ring"
step "RequestVote n5 -> n2 at ($vx, 377)"
xdotool mousemove --window "$win" "$vx" 377 click 1
sleep 0.3
key x
# E lists what can happen next; Enter makes the first (the earliest) happen now
key e
key Return
key ctrl+s
sleep 0.5
key Q
for _ in $(seq 50); do kill -0 "$view_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$view_pid" 2>/dev/null && fail "raftsim view did not quit on Q"
wait "$view_pid"; rc=$?; view_pid=""
[ "$rc" = 0 ] || fail "raftsim view exited with $rc"

session=$(sed -n 's/^session: //p' "$work/view.out" | tail -1)
[ -n "$session" ] && [ -f "$session" ] || fail "Ctrl+S printed no session file: $(cat "$work/view.out")"
line=$(grep -E '^drop msg [0-9]+' "$session" | head -1)
[ -n "$line" ] || fail "the saved session has no 'drop msg': $(cat "$session")"
id=${line#drop msg }
id=${id%% *}
step "saved: $line"

"$raftsim" check "$session" >"$work/check.out" 2>&1 || fail "check fails on the saved session: $(cat "$work/check.out")"
"$raftsim" run "$session" --format jsonl >"$work/trace.jsonl" 2>"$work/run.err" ||
  fail "the saved session does not run: $(cat "$work/run.err")"
grep -E "\"kind\":\"drop\"" "$work/trace.jsonl" | grep -E "\"id\":$id[,}]" | grep -q "by command" ||
  fail "the replayed trace does not drop message $id by command: $(grep -E "\"id\":$id[,}]" "$work/trace.jsonl")"
step "check reproduces the drop of message $id"
next=$(grep -oE '^(deliver next msg [0-9]+|fire next timer n[0-9]+)' "$session" | head -1)
[ -n "$next" ] || fail "the saved session has no 'deliver next' or 'fire next timer' after E, Enter: $(cat "$session")"
case $next in
  deliver*)
    nid=${next##* }
    grep -E '"kind":"delay"' "$work/trace.jsonl" | grep -qE "\"id\":$nid[,}]" ||
      fail "the replayed trace does not move message $nid to now" ;;
esac
step "saved: $next (E, Enter)"
step "ok"
exit 0
