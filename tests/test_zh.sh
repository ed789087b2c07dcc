#!/usr/bin/env bash
# test_zh.sh RAFTSIM SOURCE_ROOT - raftsim in Chinese from the command line:
# a script with invalid UTF-8 after Chinese text is refused with
# path:line:col (in characters) and exit 2 by every command that reads one;
# lint measures Chinese captions by the window's line breaking; --lang and
# the locale choose the language of messages (the trace stays English);
# po/zh_CN.po translates every marked string, none fuzzy; the Chinese
# lessons pass their checks for seeds 1..50 and lint clean.
set -u
# shellcheck source=tests/lib/cli.sh
source "$(dirname "$0")/lib/cli.sh" "$@"
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

# --- the language: --lang, else LC_ALL / LC_MESSAGES / LANG -----------------
zh_err="raftsim：--seed：'x' 不是数字"
en_err="raftsim: --seed: 'x' is not a number"
lang_case() { # want env... -- args...
  local want=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  out=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "${envs[@]}" "$R" "$@" 2>&1)
  rc=$?
  [ $rc = 2 ] && grep -qF "$want" <<<"$out" || fail "${envs[*]} $*: exit $rc, want 2 and '$want': $out"
}
lang_case "$en_err" -- check "$tmp/ok.scn" --seed x
lang_case "$zh_err" -- check "$tmp/ok.scn" --seed x --lang zh
lang_case "$zh_err" -- --lang=zh check "$tmp/ok.scn" --seed x
lang_case "$zh_err" LANG=zh_CN.UTF-8 -- check "$tmp/ok.scn" --seed x
lang_case "$zh_err" LC_MESSAGES=zh_CN.UTF-8 LANG=en_US.UTF-8 -- check "$tmp/ok.scn" --seed x
lang_case "$en_err" LANG=zh_CN.UTF-8 -- check "$tmp/ok.scn" --seed x --lang en
lang_case "$en_err" LC_ALL=C LANG=zh_CN.UTF-8 -- check "$tmp/ok.scn" --seed x
lang_case "'fr' is not a language (expected zh or en)" -- run --lang fr
# libc's part of a message (strerror) is readable too, not "????"
out=$(env -u LC_ALL -u LC_CTYPE -u LANG "$R" run --lang zh --trace /nonexistent/dir/t.txt 2>&1)
[ $? = 2 ] && ! grep -q '??' <<<"$out" || fail "run --lang zh --trace into a missing directory: $out"
for cmd in run check lint; do
  out=$("$R" $cmd "$tmp/ok.scn" --lang zh 2>&1) || fail "$cmd --lang zh: $out"
done
# the trace a program reads is the same in both languages
a=$("$R" run "$tmp/ok.scn" --trace - --lang zh 2>&1)
b=$("$R" run "$tmp/ok.scn" --trace - --lang en 2>&1)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "run --trace differs between --lang zh and en"
a=$("$R" run "$tmp/ok.scn" --trace - --format jsonl --lang zh 2>&1)
b=$("$R" run "$tmp/ok.scn" --trace - --format jsonl 2>&1)
[ -n "$a" ] && [ "$a" = "$b" ] || fail "the JSONL trace differs between --lang zh and en"

# --- the Chinese font: a missing one is one line naming it, exit 2 -------------
out=$(RAFTSIM_CJK_FONT=/nonexistent/wqy.ttc "$R" render scenarios/zh/leader_crash.scn --at 1s --out "$tmp/f.png" 2>&1)
[ $? = 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "RAFTSIM_CJK_FONT: cannot read /nonexistent/wqy.ttc" <<<"$out" ||
  fail "render with a missing CJK font: $out"
[ ! -e "$tmp/f.png" ] || fail "render wrote a PNG without its CJK font"

# --- the Chinese lessons: their checks for seeds 1..50, lint clean, the same
# commands as the English ones ------------------------------------------------
out=$("$R" check scenarios/zh/*.scn --seeds 1..50 2>&1)
[ $? = 0 ] && [ "$(grep -c '^PASS' <<<"$out")" = 200 ] || fail "check scenarios/zh/*.scn: $(grep -v '^PASS' <<<"$out" | head -5)"
out=$("$R" lint scenarios/zh/*.scn 2>&1) || fail "lint scenarios/zh/*.scn: $out"
strip() { grep -v '^[[:space:]]*#\|^say \|^title \|^[[:space:]]*$' "$1" | sed 's/ *#.*//'; }
for f in tutorial split_vote partition_two_leaders leader_crash; do
  diff <(strip "scenarios/$f.scn") <(strip "scenarios/zh/$f.scn") >/dev/null ||
    fail "scenarios/zh/$f.scn does not run the same commands and checks as scenarios/$f.scn"
done

# --- what a person reads is Chinese under --lang zh, English by default -------
# zh_en WANT_ZH WANT_EN CMD...: CMD --lang zh prints WANT_ZH, CMD prints WANT_EN
zh_en() {
  local zh=$1 en=$2; shift 2
  out=$("$R" "$@" --lang zh 2>&1)
  grep -qF -- "$zh" <<<"$out" || fail "$* --lang zh: want '$zh', got: $(head -3 <<<"$out")"
  out=$("$R" "$@" 2>&1)
  grep -qF -- "$en" <<<"$out" || fail "$*: want '$en', got: $(head -3 <<<"$out")"
}
# a parse error keeps its path:line:col and translates the message
printf 'cluster nodes=3 seed=1\nrun 1x\n' >"$tmp/dur.scn"
zh_en "dur.scn:2:5: 错误的时长 '1x'：应为数字加单位 us、ms 或 s" \
  "dur.scn:2:5: bad duration '1x': expected a number with a unit us, ms or s" check "$tmp/dur.scn"

# usage texts, flag errors and a fuzz campaign's summary
zh_en "用法：raftsim fuzz [--seeds A..B]" "usage: raftsim fuzz [--seeds A..B]" fuzz --help
zh_en "（默认 scenarios/tutorial.scn）" "(default scenarios/tutorial.scn)" view --help
zh_en "raftsim：--from 不能晚于 --to" "raftsim: --from must not be after --to" \
  run --format mermaid --from 1s --to 0s --trace "$tmp/m.txt"
zh_en "fuzz：种子 1..3，3 次运行，" "fuzz: seeds 1..3, 3 runs, " fuzz --seeds 1..3 --for 2s
# fuzz --merge reads the summary lines of shards run in its own language
"$R" fuzz --seeds 1..4 --for 2s --shard 1/2 --lang zh >"$tmp/zs1.txt"
"$R" fuzz --seeds 1..4 --for 2s --shard 2/2 --lang zh >"$tmp/zs2.txt"
out=$("$R" fuzz --merge "$tmp/zs1.txt" "$tmp/zs2.txt" --lang zh 2>&1)
grep -q "^fuzz：种子 1..4，4 次运行，.*没有违规$" <<<"$out" || fail "fuzz --merge of Chinese shards: $out"

# the diagram's labels: the same interval drawn in both languages differs
# where a crash, a restart and a new leader are labelled, and only there
dia() { # FROM TO LANG OUT
  "$R" render scenarios/leader_crash.scn --diagram-only --from "$1" --to "$2" --lang "$3" \
    --out "$4" >/dev/null 2>&1 || fail "render --diagram-only $*"
}
dia 60ms 340ms en "$tmp/d-en.png"; dia 60ms 340ms zh "$tmp/d-zh.png"
cmp -s "$tmp/d-en.png" "$tmp/d-zh.png" && fail "the diagram's crash, restart and leader labels are English under --lang zh"
dia 100ms 200ms en "$tmp/q-en.png"; dia 100ms 200ms zh "$tmp/q-zh.png"
cmp -s "$tmp/q-en.png" "$tmp/q-zh.png" || fail "a diagram without labels differs between the languages"
# a safety violation: the invariant keeps the paper's name, the detail is Chinese
zh_en "缩减后：Election Safety：n4 和 n1 都是任期 3 的领导者" \
  "shrunk: Election Safety: n4 and n1 are both leaders of term 3" \
  fuzz --bug vote-twice --seeds 3..3 --out "$tmp/f.scn"

# a failed expectation says what it observed; the FAIL FILE:LINE: COMMAND part stays
printf 'cluster nodes=3 seed=1\nrun until leader within 1s\nclient put x=1\nrun 1ms\nexpect committed x=1 on all\n' >"$tmp/obs.scn"
zh_en "obs.scn:5: expect committed x=1 on all (x=1 已提交：没有任何节点；不在： n1（提交 0，日志 0）" \
  "obs.scn:5: expect committed x=1 on all (x=1 committed on no node; not on n1 (commit 0, log 0)" check "$tmp/obs.scn"

# a run that hits its event budget says so
zh_en "raftsim：资源上限：事件预算（max_events=100 个事件）用完了" \
  "raftsim: resource limit: the event budget (max_events=100 events) ran out" run --max-events 100 --trace "$tmp/b.txt"

# an output path that cannot be written
mkdir -p "$tmp/adir"
zh_en "adir: 是一个目录（请给出文件名）" "adir: is a directory (give a file name)" run --trace "$tmp/adir"

# --- po/zh_CN.po: every marked string translated, none fuzzy -------------------
if command -v xgettext >/dev/null && command -v msgcmp >/dev/null; then
  (cd "$SRC" && xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=NG_:1,2 \
    -o "$tmp/raftsim.pot" --files-from=po/POTFILES) || fail "xgettext failed"
  out=$(msgcmp po/zh_CN.po "$tmp/raftsim.pot" 2>&1) ||
    fail "po/zh_CN.po lacks strings the sources mark (ninja raftsim-update-po): $out"
  stats=$(msgfmt --check --statistics -o "$tmp/zh.mo" po/zh_CN.po 2>&1) || fail "msgfmt: $stats"
  grep -qE "fuzzy|untranslated" <<<"$stats" && fail "po/zh_CN.po: $stats"
  # every file that marks strings is listed for extraction
  for f in $(grep -lE '\b(N?_|NG_)\("' cli/*.c render/*.c sim/*.c scenarios/*.c); do
    grep -qx "$f" po/POTFILES || fail "$f marks strings but is not in po/POTFILES"
  done
else
  echo "skip: no xgettext/msgcmp (Debian package gettext)"
fi

[ $fails = 0 ] && echo "ok" || { echo "$fails failure(s)"; exit 1; }
