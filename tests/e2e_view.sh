#!/usr/bin/env bash
# e2e_view.sh - drives `raftsim view` in a real window under its own Xvfb with
# real key and mouse events (xdotool): play, select and crash a node through
# the right-click menu, crash another with the c key, step, step back, take a
# screenshot, save the session (Ctrl+S), quit.  Checks the screen is not
# blank and that the saved .scn replays the crashes.
# Usage: tests/e2e_view.sh BUILD_DIR SOURCE_ROOT   (exit 0 ok, 1 failed, 77 skipped)
# E2E_KEEP=DIR copies the screenshots and the saved session there.
set -u
build=$(cd "${1:?usage: e2e_view.sh BUILD_DIR SOURCE_ROOT}" && pwd)
src=$(cd "${2:?usage: e2e_view.sh BUILD_DIR SOURCE_ROOT}" && pwd)
raftsim=$build/raftsim

for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "e2e_view: skipped: $tool is not installed"; exit 77; }
done
[ -x "$raftsim" ] || { echo "e2e_view: $raftsim not built"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/raftsim-e2e.XXXXXX")
xvfb_pid="" view_pid=""
cleanup() {
  # E2E_KEEP=DIR keeps the screenshots and the session for a look
  [ -n "${E2E_KEEP:-}" ] && mkdir -p "$E2E_KEEP" && cp "$work"/*.png "$work"/*.scn "$work"/*.out "$E2E_KEEP"/ 2>/dev/null
  [ -n "$view_pid" ] && kill "$view_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "e2e_view: FAIL: $*"; [ -f "$work/view.err" ] && sed 's/^/  view stderr: /' "$work/view.err"; exit 1; }
step() { echo "e2e_view: $*"; }

# shellcheck source=tests/lib/xvfb.sh
source "$src/tests/lib/xvfb.sh"
e2e_start_xvfb 91 160
step "Xvfb on $DISPLAY"

cd "$work" || exit 1
# Under AddressSanitizer the window process does not check leaks: the X11
# and D-Bus libraries SDL loads (and unloads) leak a few bytes at exit that
# cannot be suppressed by name.  Memory errors are still caught, and leaks
# in raftsim's own code are checked by test_render and the commands below.
view_asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
ASAN_OPTIONS=$view_asan RAFTSIM_ASSETS=$src/assets "$raftsim" view "$src/scenarios/tutorial.scn" --size 1280x720 \
  >"$work/view.out" 2>"$work/view.err" &
view_pid=$!
win=$(timeout 15 xdotool search --sync --onlyvisible --name 'raftsim' 2>/dev/null | head -1)
[ -n "$win" ] || fail "no raftsim window appeared"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 0.5
step "window $win"

key() { xdotool key --clearmodifiers "$@"; sleep 0.25; }
# Node centres at 1280x720 for 5 nodes (render_layout_node): n1 (339,214),
# n2 (503,332), n3 (440,525), n4 (238,525), n5 (175,332), radius 50.
click() { xdotool mousemove --window "$win" "$1" "$2" click "$3"; sleep 0.3; }

# Play through the tutorial's first pauses.
for _ in 1 2 3 4; do key space; sleep 0.6; done
key space
sleep 1.5
key space   # pause playback

# Select n3, open its menu with a right click, choose "Crash n3" (first item).
click 440 525 1
click 440 525 3
click 470 556 1
# Select n5 and crash it with the c key.
click 175 332 1
key c
# Step forward, back, forward.
key Right; key Right; key Right; key Left; key Right
# A screenshot (S) and the session (Ctrl+S).
key s
key ctrl+s
sleep 0.5

import -window root "$work/screen.png" 2>/dev/null || fail "import could not capture the screen"
colours=$(convert "$work/screen.png" -format '%k' info:)
sd=$(convert "$work/screen.png" -colorspace gray -format '%[fx:standard_deviation]' info:)
step "screen: $colours colours, grey standard deviation $sd"
[ "$colours" -gt 64 ] || fail "the screen looks blank ($colours colours)"
awk -v s="$sd" 'BEGIN { exit !(s > 0.05) }' || fail "the screen looks blank (deviation $sd)"

key q
for _ in $(seq 50); do kill -0 "$view_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$view_pid" 2>/dev/null; then fail "raftsim view did not quit on q"; fi
wait "$view_pid"; rc=$?; view_pid=""
[ "$rc" = 0 ] || fail "raftsim view exited with $rc"

session=$(sed -n 's/^session: //p' "$work/view.out" | tail -1)
shot=$(sed -n 's/^screenshot: //p' "$work/view.out" | tail -1)
[ -n "$session" ] && [ -f "$session" ] || fail "Ctrl+S printed no session file: $(cat "$work/view.out")"
[ -n "$shot" ] && [ -f "$shot" ] || fail "S printed no screenshot: $(cat "$work/view.out")"
head -c 8 "$shot" | od -An -c | grep -q 'P   N   G' || fail "$shot is not a PNG"
grep -q '^crash n3' "$session" || fail "the saved session lacks 'crash n3':
$(cat "$session")"
grep -q '^crash n5' "$session" || fail "the saved session lacks 'crash n5':
$(cat "$session")"
step "saved $session with both crashes"

# The session replays: it is a valid script that passes.
"$raftsim" check "$session" >"$work/check.out" 2>&1 || fail "the saved session does not replay: $(cat "$work/check.out")"
"$raftsim" render "$session" --at 10s --out "$work/replayed.png" >/dev/null 2>"$work/render.err" ||
  fail "the saved session does not render: $(cat "$work/render.err")"
step "ok"
exit 0
