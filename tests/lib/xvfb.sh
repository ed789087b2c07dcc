# xvfb.sh - sourced by the end-to-end window tests: starts a private Xvfb.
# e2e_start_xvfb FIRST LAST: takes the first free display number in
# FIRST..LAST, starts Xvfb there (1280x800), exports DISPLAY, sets xvfb_pid
# (for the caller's cleanup) and waits until it answers.  Uses the caller's
# fail() and $work (the log goes to $work/xvfb.log).
e2e_start_xvfb() {
  local n display=""
  for n in $(seq "$1" "$2"); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=$n; break; fi
  done
  [ -n "$display" ] || fail "no free X display number in $1..$2"
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  xvfb_pid=$!
  export DISPLAY=":$display"
  for _ in $(seq 50); do
    xdotool getdisplaygeometry >/dev/null 2>&1 && break
    kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
    sleep 0.1
  done
  xdotool getdisplaygeometry >/dev/null 2>&1 || fail "Xvfb $DISPLAY does not answer"
}
