#!/usr/bin/env bash
# e2e_lecture.sh - a lecture in the real window under its own Xvfb, driven
# with the keys a presentation clicker sends (xdotool): the window sitting
# at a pause uses almost no CPU (/proc/PID/stat over 5 s, also with the help
# overlay open), PageDown walks the tutorial through every pause to its end,
# PageUp goes back to the last pause, B blanks the picture and brings it
# back, O opens another lesson (from the list and a typed path); after a
# crash, q asks before quitting and Y quits.  Without --size the window
# opens at 85% of the screen, and F / F11 toggle full screen.  A playing
# window that loses the focus holds still and sleeps.
# Usage: tests/e2e_lecture.sh BUILD_DIR SOURCE_ROOT   (exit 0 ok, 1 failed, 77 skipped)
# E2E_KEEP=DIR copies the screenshots and the window's log there.
set -u
build=$(cd "${1:?usage: e2e_lecture.sh BUILD_DIR SOURCE_ROOT}" && pwd)
src=$(cd "${2:?usage: e2e_lecture.sh BUILD_DIR SOURCE_ROOT}" && pwd)
raftsim=$build/raftsim

for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "e2e_lecture: skipped: $tool is not installed"; exit 77; }
done
[ -x "$raftsim" ] || { echo "e2e_lecture: $raftsim not built"; exit 1; }
# Sanitizers and unoptimised builds cost CPU that is not the idle loop's.
read -r sanitize optimization < <(python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(open(sys.argv[1] + "/meson-info/intro-buildoptions.json"))}
print(o.get("b_sanitize", "none"), o.get("optimization", "0"))' "$build" 2>/dev/null)
cpu_max=2
if [ "${sanitize:-none}" != none ]; then cpu_max=8; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/raftsim-e2e.XXXXXX")
xvfb_pid="" view_pid=""
cleanup() {
  [ -n "${E2E_KEEP:-}" ] && mkdir -p "$E2E_KEEP" && cp "$work"/*.png "$work"/*.err "$E2E_KEEP"/ 2>/dev/null
  [ -n "$view_pid" ] && kill "$view_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "e2e_lecture: FAIL: $*"; [ -f "$work/view.err" ] && grep -v '^frame:' "$work/view.err" | tail -20 | sed 's/^/  view stderr: /'; exit 1; }
step() { echo "e2e_lecture: $*"; }

# shellcheck source=tests/lib/xvfb.sh
source "$src/tests/lib/xvfb.sh"
e2e_start_xvfb 161 230
step "Xvfb on $DISPLAY"

cd "$work" || exit 1
view_asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
ASAN_OPTIONS=$view_asan RAFTSIM_FRAME_LOG=1 RAFTSIM_ASSETS=$src/assets \
  "$raftsim" view "$src/scenarios/tutorial.scn" --size 1280x720 >"$work/view.out" 2>"$work/view.err" &
view_pid=$!
win=$(timeout 15 xdotool search --sync --onlyvisible --name 'raftsim' 2>/dev/null | head -1)
[ -n "$win" ] || fail "no raftsim window appeared"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 1
step "window $win"
key() { xdotool key --clearmodifiers "$@"; sleep 0.2; }
pauses() { grep -c '^lesson: pause at' "$work/view.err"; }
shot() { import -window root "$work/$1.png" 2>/dev/null || fail "import could not capture the screen"; }

# ---- Idle: CPU over 5 s, at the first pause and with the help open --------
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$view_pid/stat"; }
idle_cpu() {
  local t0 c0 t1 c1
  t0=$(date +%s.%N); c0=$(cpu_ticks)
  sleep 5
  t1=$(date +%s.%N); c1=$(cpu_ticks)
  awk -v c="$((c1 - c0))" -v hz="$ticks" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", 100 * c / hz / (b - a) }'
}
[ "$(pauses)" -ge 1 ] || fail "the tutorial did not open at its first pause"
pct=$(idle_cpu)
step "paused at the first pause: $pct % of a core over 5 s"
awk -v p="$pct" -v m="$cpu_max" 'BEGIN { exit !(p < m) }' || fail "a paused window uses $pct % of a core (limit $cpu_max %)"
key question
pct=$(idle_cpu)
step "help overlay open: $pct % of a core over 5 s"
awk -v p="$pct" -v m="$cpu_max" 'BEGIN { exit !(p < m) }' || fail "the help overlay uses $pct % of a core (limit $cpu_max %)"
key Escape

# ---- PageDown through the whole tutorial ----------------------------------
# At a pause PageDown plays on; pressed again while it plays, it goes
# straight to the next pause.
first=$(pauses)
for i in $(seq 120); do
  grep -q '^lesson: end of the script' "$work/view.err" && break
  key Next
  sleep 0.3
  key Next
  sleep 0.3
  [ "$i" = 6 ] && shot part2
done
grep -q '^lesson: end of the script' "$work/view.err" || fail "PageDown did not reach the end of the tutorial ($(pauses) pauses)"
script_pauses=$(grep -c '^pause' "$src/scenarios/tutorial.scn")
seen=$(grep '^lesson: pause at' "$work/view.err" | sort -u | wc -l)
step "PageDown: $(pauses) stops at $seen distinct pauses, the script has $script_pauses, then the end"
[ "$(pauses)" -ge "$script_pauses" ] || fail "PageDown stopped at only $(pauses) of the script's $script_pauses pauses"
grep -q '^FAIL\|script.*FAIL' "$work/view.err" && fail "the window reported a failure"
shot end

# ---- PageUp: back to the last pause -----------------------------------------
before=$(pauses)
last=$(grep '^lesson: pause at' "$work/view.err" | tail -1)
key Prior
sleep 1
[ "$(pauses)" -gt "$before" ] || fail "PageUp did not land on a pause"
back=$(grep '^lesson: pause at' "$work/view.err" | tail -1)
[ "$back" = "$last" ] || fail "PageUp landed on '$back', the last pause was '$last'"
step "PageUp: back at the last pause (${back#lesson: pause at })"
shot pageup

# ---- B blanks the picture, B brings it back ----------------------------------
key b
sleep 0.5
shot blank
colours=$(convert "$work/blank.png" -crop 1280x720+0+0 -format '%k' info:)
xdotool getwindowgeometry "$win" >"$work/geom.txt" 2>/dev/null
pos=$(sed -n 's/.*Position: \([0-9]*\),\([0-9]*\).*/\1 \2/p' "$work/geom.txt")
read -r wx wy <<<"${pos:-0 0}"
inside=$(convert "$work/blank.png" -crop "1280x720+$wx+$wy" -format '%k' info:)
[ "$inside" = 1 ] || fail "B did not blank the picture ($inside colours in the window)"
key b
sleep 0.5
shot unblank
inside=$(convert "$work/unblank.png" -crop "1280x720+$wx+$wy" -format '%k' info:)
[ "$inside" -gt 64 ] || fail "B again did not bring the picture back ($inside colours)"
step "B blanks and brings back the picture"

# ---- O opens another lesson in the same window --------------------------------
key o
sleep 0.3
key Down
shot picker
key Return
sleep 1
grep -q '^view: opened .*/add_server.scn' "$work/view.err" ||
  fail "O, Down, Enter did not open the second lesson of the picker"
name=$(xdotool getwindowname "$win")
case $name in *"Adding a server"*) ;; *) fail "the window title is '$name' after opening add_server.scn" ;; esac
key o
sleep 0.3
xdotool type --delay 10 "$src/scenarios/tutorial.scn"; sleep 0.3
key Return
sleep 1
grep -q "^view: opened $src/scenarios/tutorial.scn" "$work/view.err" || fail "a typed path did not open"
kill -0 "$view_pid" 2>/dev/null || fail "the window closed while opening lessons"
step "O opened a listed lesson and a typed path in the same window"

# ---- q asks when an action is unsaved; Y quits -----------------------------------
# n3's centre at 1280x720 (render_layout_node): select it, crash it with c.
xdotool mousemove --window "$win" 440 525 click 1; sleep 0.3
key c
key q
sleep 1
kill -0 "$view_pid" 2>/dev/null || fail "q quit with an unsaved action, without asking"
shot prompt
key Escape
sleep 0.5
kill -0 "$view_pid" 2>/dev/null || fail "Esc at the quit prompt quit"
key q
key y
for _ in $(seq 50); do kill -0 "$view_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$view_pid" 2>/dev/null && fail "raftsim view did not quit on q, y"
wait "$view_pid"; rc=$?; view_pid=""
[ "$rc" = 0 ] || fail "raftsim view exited with $rc"
# ---- Without --size the window takes about 85% of the screen; F toggles --------
ASAN_OPTIONS=$view_asan RAFTSIM_FRAME_LOG=1 RAFTSIM_ASSETS=$src/assets \
  "$raftsim" view "$src/scenarios/tutorial.scn" >"$work/view2.out" 2>"$work/view2.err" &
view_pid=$!
win=$(timeout 15 xdotool search --sync --onlyvisible --name 'raftsim' 2>/dev/null | head -1)
[ -n "$win" ] || fail "no second raftsim window appeared"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 0.5
geom=$(xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p')
step "window without --size on a 1280x800 screen: $geom"
[ "$geom" = 1088x680 ] || fail "the window opened at $geom, not 85% of 1280x800 (1088x680)"
key f
key F11
grep -q '^view: full screen on' "$work/view2.err" || fail "F did not ask for full screen"
grep -q '^view: full screen off' "$work/view2.err" || fail "F11 did not leave full screen"
grep -q 'full screen.*failed' "$work/view2.err" && fail "full screen failed: $(grep 'full screen' "$work/view2.err")"
key Q
for _ in $(seq 50); do kill -0 "$view_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$view_pid" 2>/dev/null && fail "raftsim view did not quit on Q"
wait "$view_pid"; view_pid=""

# ---- Playing, then unfocused: the window holds still and sleeps --------------------
printf 'title "free run"\ncluster nodes=5 seed=1\nrun 60s\n' >"$work/free.scn"
ASAN_OPTIONS=$view_asan RAFTSIM_ASSETS=$src/assets \
  "$raftsim" view "$work/free.scn" --size 800x600 >"$work/view3.out" 2>"$work/view3.err" &
view_pid=$!
win=$(timeout 15 xdotool search --sync --onlyvisible --name 'raftsim' 2>/dev/null | head -1)
[ -n "$win" ] || fail "no third raftsim window appeared"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 0.5
key space
root=$(xdotool search --maxdepth 0 --name '' 2>/dev/null | head -1)
[ -n "$root" ] || fail "cannot find the root window to move the focus to"
xdotool windowfocus "$root"
sleep 0.5
pct=$(idle_cpu)
step "playing but unfocused: $pct % of a core over 5 s"
awk -v p="$pct" -v m="$cpu_max" 'BEGIN { exit !(p < m) }' || fail "an unfocused window uses $pct % of a core (limit $cpu_max %)"
kill "$view_pid" 2>/dev/null; wait "$view_pid" 2>/dev/null; view_pid=""
step "ok"
exit 0
