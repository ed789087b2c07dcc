#!/usr/bin/env bash
# test_zh.sh RAFTSIM SOURCE_ROOT - raftsim in Chinese from the command line:
# a script with invalid UTF-8 after Chinese text is refused with
# path:line:col (in characters) and exit 2 by every command that reads one.
set -u
R=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$SRC" || exit 1

# --- UTF-8: Chinese anywhere, invalid bytes refused --------------------------
printf '# 中文注释\ntitle "选举"\ncluster nodes=3 seed=1\nsay "领导者 \xff"\n' >"$tmp/bad.scn"
for cmd in "check" "run" "lint" "render --at 1s --out $tmp/x.png"; do
  out=$("$R" $cmd "$tmp/bad.scn" 2>&1)
  rc=$?
  [ $rc = 2 ] || fail "$cmd: invalid UTF-8: exit $rc, want 2: $out"
  grep -q "bad.scn:4:10: .*0xFF" <<<"$out" || fail "$cmd: want bad.scn:4:10 and the byte, got: $out"
done
printf '# 中文注释\ntitle "选举"\ncluster nodes=3 seed=1\nsay "领导者"\nrun 1s\nexpect leaders == 1\n' >"$tmp/ok.scn"
out=$("$R" check "$tmp/ok.scn" 2>&1) || fail "a Chinese script does not pass check: $out"

# --- lint measures Chinese captions by the window's line breaking ---------------
say60="跟随者在选举超时之前没有收到领导者的心跳，就会变成候选人，开始新的任期，投票给自己，并向其他服务器请求投票。"
printf 'cluster nodes=3 seed=1\nsay "%s"\npause\n' "$say60" >"$tmp/fits.scn"
out=$("$R" lint "$tmp/fits.scn" 2>&1) || fail "lint: a two-line Chinese caption is flagged: $out"
printf 'cluster nodes=3 seed=1\nsay "%s%s"\npause\n' "${say60:0:40}" "$say60" >"$tmp/long.scn"
out=$("$R" lint "$tmp/long.scn" 2>&1)
[ $? = 1 ] && grep -q "long.scn:2: warning" <<<"$out" || fail "lint: a three-line Chinese caption passes: $out"

[ $fails = 0 ] && echo "ok" || { echo "$fails failure(s)"; exit 1; }
