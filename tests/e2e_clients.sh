#!/usr/bin/env bash
# e2e_clients.sh - the client timeline in a real window under its own Xvfb:
# stale_read.scn played to the stale get with PageDown, K shows the panel
# in the details panel's place (the pixels there change, the violation's
# vermillion appears), a click on the second put's bar seeks to its
# invocation, K again hides the panel.
# Usage: tests/e2e_clients.sh BUILD_DIR SOURCE_ROOT   (exit 0 ok, 1 failed, 77 skipped)
# E2E_KEEP=DIR copies the screenshots and the window's log there.
set -u
build=$(cd "${1:?usage: e2e_clients.sh BUILD_DIR SOURCE_ROOT}" && pwd)
src=$(cd "${2:?usage: e2e_clients.sh BUILD_DIR SOURCE_ROOT}" && pwd)
raftsim=$build/raftsim

for tool in Xvfb xdotool import convert compare; do
  command -v "$tool" >/dev/null || { echo "e2e_clients: skipped: $tool is not installed"; exit 77; }
done
[ -x "$raftsim" ] || { echo "e2e_clients: $raftsim not built"; exit 1; }

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
fail() { echo "e2e_clients: FAIL: $*"; [ -f "$work/view.err" ] && grep -v '^frame:' "$work/view.err" | tail -20 | sed 's/^/  view stderr: /'; exit 1; }
step() { echo "e2e_clients: $*"; }

# shellcheck source=tests/lib/xvfb.sh
source "$src/tests/lib/xvfb.sh"
e2e_start_xvfb 231 300
step "Xvfb on $DISPLAY"

cd "$work" || exit 1
view_asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
ASAN_OPTIONS=$view_asan RAFTSIM_FRAME_LOG=1 RAFTSIM_ASSETS=$src/assets \
  "$raftsim" view "$src/scenarios/stale_read.scn" --size 1280x720 >"$work/view.out" 2>"$work/view.err" &
view_pid=$!
win=$(timeout 15 xdotool search --sync --onlyvisible --name 'raftsim' 2>/dev/null | head -1)
[ -n "$win" ] || fail "no raftsim window appeared"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 1
step "window $win"
key() { xdotool key --clearmodifiers "$@"; sleep 0.2; }
shot() { import -window root "$work/$1.png" 2>/dev/null || fail "import could not capture the screen"; }
xdotool getwindowgeometry "$win" >"$work/geom.txt" 2>/dev/null
pos=$(sed -n 's/.*Position: \([0-9]*\),\([0-9]*\).*/\1 \2/p' "$work/geom.txt")
read -r wx wy <<<"${pos:-0 0}"
# The details panel's place at 1280x720 (render_layout_compute_panels):
# under the log, right of the ring.
px=684 py=440 pw=584 ph=215
panel() { convert "$work/$1.png" -crop "${pw}x${ph}+$((wx + px))+$((wy + py))" +repage "$work/$1-panel.png"; }
count() { # PNG COLOUR: pixels of that colour (within 8%)
  convert "$1" -fuzz 8% -fill white +opaque "$2" -fill black -opaque "$2" -negate \
    -format '%[fx:round(mean*w*h)]' info:
}

# ---- PageDown to the stale get's answer (the fourth pause) -----------------
# (one key at a time: a PageDown after that pause would play on past it)
for _ in $(seq 60); do
  grep -q '^lesson: pause at 0.588669 s' "$work/view.err" && break
  key Next; sleep 0.4
done
grep -q '^lesson: pause at 0.588669 s' "$work/view.err" || fail "PageDown did not reach the pause after the stale get"
sleep 0.5
[ "$(grep '^lesson:' "$work/view.err" | tail -1)" = "lesson: pause at 0.588669 s" ] ||
  fail "the window went on past the pause after the stale get"
shot off; panel off

# ---- K shows the panel ----------------------------------------------------
key k
sleep 0.6
shot on; panel on
diff=$(compare -metric AE -fuzz 5% "$work/off-panel.png" "$work/on-panel.png" null: 2>&1)
step "K: $diff pixels of the details panel's place changed"
[ "${diff%% *}" -gt 5000 ] 2>/dev/null || fail "K did not change the panel (only $diff pixels differ)"
bad_off=$(count "$work/off-panel.png" '#D55E00') bad_on=$(count "$work/on-panel.png" '#D55E00')
ok_on=$(count "$work/on-panel.png" '#00805E')
step "vermillion $bad_off -> $bad_on pixels, answered bars $ok_on pixels"
[ "$bad_on" -gt $((bad_off + 1000)) ] || fail "no violation drawn (vermillion $bad_off -> $bad_on)"
[ "$ok_on" -gt 500 ] || fail "no answered operation drawn ($ok_on pixels)"

# ---- a click on the second row's bar (put x=2) seeks to its invocation ------
# the answered bars' rows, top to bottom: the second is the put x=2
rows=$(convert "$work/on-panel.png" -fuzz 6% -fill black +opaque '#00805E' txt:- |
  awk -F'[,: ]+' '!/black|#000000/ && NR > 1 { print $2, $1 }' | sort -n -k1,1 -k2,2)
band2=$(awk 'BEGIN { band = 0; last = -10 }
  { if ($1 > last + 3) band++; last = $1; if (band == 2) print $2, $1 }' <<<"$rows" | sort -n)
n2=$(wc -l <<<"$band2")
target=$([ -n "$band2" ] && sed -n "$(((n2 + 1) / 2))p" <<<"$band2")
[ -n "$target" ] || fail "no second row of answered bars"
read -r bx by <<<"$target"
xdotool mousemove --window "$win" $((px + bx)) $((py + by)) click 1
sleep 1.5
grep -q '^move: seek to 0.518 s' "$work/view.err" || fail "the click at ($((px + bx)), $((py + by))) did not seek to the put's invocation (0.518 s)"
step "a click on put x=2 sought to its invocation: $(grep '^move: seek to' "$work/view.err" | tail -1)"

# ---- K again hides it ------------------------------------------------------
key k
sleep 0.6
shot off2; panel off2
ok_off=$(count "$work/off2-panel.png" '#00805E')
[ "$ok_off" -lt 50 ] || fail "K did not hide the panel ($ok_off pixels of answered bars remain)"
step "K again: the details panel is back"
key Q
for _ in $(seq 20); do kill -0 "$view_pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$view_pid" 2>/dev/null && fail "Q did not close the window"
wait "$view_pid"; rc=$?; view_pid=""
[ "$rc" = 0 ] || fail "the window exited with $rc"
step "ok"
