#!/usr/bin/env bash
# e2e_zh.sh - the window in Chinese under its own Xvfb: `raftsim view
# --lang zh` and `LANG=zh_CN.UTF-8 raftsim view`, with no file, open the
# Chinese tutorial (its title names the window); --lang en keeps English.
# Usage: tests/e2e_zh.sh BUILD_DIR SOURCE_ROOT   (exit 0 ok, 1 failed, 77 skipped)
# E2E_KEEP=DIR copies the screenshots there.
set -u
build=$(cd "${1:?usage: e2e_zh.sh BUILD_DIR SOURCE_ROOT}" && pwd)
src=$(cd "${2:?usage: e2e_zh.sh BUILD_DIR SOURCE_ROOT}" && pwd)
raftsim=$build/raftsim
for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "e2e_zh: skipped: $tool is not installed"; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/raftsim-e2e-zh.XXXXXX")
xvfb_pid="" view_pid=""
cleanup() {
  [ -n "${E2E_KEEP:-}" ] && mkdir -p "$E2E_KEEP" && cp "$work"/*.png "$E2E_KEEP"/ 2>/dev/null
  [ -n "$view_pid" ] && kill "$view_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "e2e_zh: FAIL: $*"; exit 1; }
# shellcheck source=tests/lib/xvfb.sh
source "$src/tests/lib/xvfb.sh"
e2e_start_xvfb 231 300

# open_view NAME WANT_TITLE ENV... -- ARGS...: the window's name holds WANT_TITLE
open_view() {
  local name=$1 want=$2; shift 2
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  (cd "$src" && exec env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "${envs[@]}" \
    "$raftsim" view --size 1280x720 "$@" >"$work/$name.out" 2>"$work/$name.err") &
  view_pid=$!
  local win
  win=$(timeout 15 xdotool search --sync --onlyvisible --name 'raftsim' 2>/dev/null | head -1)
  [ -n "$win" ] || fail "$name: no raftsim window appeared: $(cat "$work/$name.err")"
  sleep 1
  local title
  title=$(xdotool getwindowname "$win")
  import -window root "$work/$name.png" 2>/dev/null
  kill "$view_pid" 2>/dev/null
  wait "$view_pid" 2>/dev/null
  view_pid=""
  grep -qF "$want" <<<"$title" || fail "$name: window '$title', want '$want'"
  echo "e2e_zh: $name: $title"
}
zh_title="一堂课讲完 Raft"
en_title="Raft in one lecture"
open_view flag "$zh_title" -- --lang zh
open_view locale "$zh_title" LANG=zh_CN.UTF-8 --
open_view english "$en_title" LANG=zh_CN.UTF-8 -- --lang en
echo "e2e_zh: ok"
