#!/usr/bin/env bash
# test_experiment.sh RAFTSIM SOURCE_ROOT - `raftsim experiment` end to end:
# results.csv has one row per run with timeouts marked and is byte for byte
# the same whatever --jobs is; the plot has one curve per setting (counted
# by colour in the PNG) and the SVG parses; four shards merged equal the
# unsharded run file for file; bad usage gets one line naming the flag and
# exit 2, a failed expect exit 1, a budget exit 3.
set -u
# shellcheck source=tests/lib/cli.sh
source "$(dirname "$0")/lib/cli.sh" "$@"

cat >"$tmp/e.scn" <<'SCN'
title "test experiment"
cluster nodes=5 seed=1
set election=150..300ms heartbeat=75ms latency=5..10ms
timeout n1
run until leader within 10s
run between 0ms and 300ms
crash leader
measure elect until leader within 5s
measure never until leaders == 2 within 100ms
SCN
V=(--seeds 1..40 --vary election=150..155ms,150..200ms --vary latency=5..10ms,1..2ms)

# --- one row per run, timeouts marked, the table on stdout -------------------
out=$("$R" experiment "$tmp/e.scn" "${V[@]}" --out "$tmp/j1" 2>"$tmp/err1")
rc=$?
[ $rc = 0 ] || fail "experiment: exit $rc: $out $(cat "$tmp/err1")"
[ -s "$tmp/err1" ] && fail "stderr is not a terminal, yet it got: $(cat "$tmp/err1")"
csv=$tmp/j1/results.csv
[ "$(head -1 "$csv")" = "election,latency,seed,status,elect_ms,never_ms" ] ||
  fail "CSV header: $(head -1 "$csv")"
[ "$(wc -l <"$csv")" = 161 ] || fail "CSV: $(wc -l <"$csv") lines, want 1 + 4 x 40"
[ "$(sed -n 2p "$csv")" != "" ] && grep -q '^150\.\.155ms,5\.\.10ms,1,ok,[0-9]*\.[0-9][0-9][0-9],timeout$' "$csv" ||
  fail "CSV row for seed 1: $(sed -n 2p "$csv")"
[ "$(grep -c ',timeout$' "$csv")" = 160 ] || fail "the 'never' measurement is not a timeout in every row"
[ "$(cut -d, -f5 "$csv" | grep -c '^[0-9]*\.[0-9][0-9][0-9]$')" -ge 150 ] ||
  fail "too few election values in the CSV"
# seeds 1..40 in order within each setting, settings in --vary order
[ "$(sed -n '2p;41p;42p;161p' "$csv" | cut -d, -f1-3 | paste -sd' ')" = \
  "150..155ms,5..10ms,1 150..155ms,5..10ms,40 150..155ms,1..2ms,1 150..200ms,1..2ms,40" ] ||
  fail "row order: $(sed -n '2p;41p;42p;161p' "$csv" | cut -d, -f1-3 | paste -sd' ')"
for s in "election=150..155ms latency=5..10ms" "election=150..200ms latency=1..2ms"; do
  grep -q "^$s *elect *40 " <<<"$out" || fail "no summary row for $s elect: $out"
  grep -q "^$s *never *40 *40 *timeout" <<<"$out" || fail "no summary row for $s never: $out"
done
diff <(grep -v '^experiment:' <<<"$out") "$tmp/j1/summary.txt" >/dev/null ||
  fail "summary.txt differs from the table printed"

# --- on a terminal, a progress bar on stderr (runs done / total, rate, ETA) --
if command -v script >/dev/null; then
  script -qec "'$R' experiment '$tmp/e.scn' --seeds 1..40 --vary election=150..151ms --out '$tmp/tty'" \
    "$tmp/typescript" >/dev/null 2>&1 || fail "on a terminal: exit $?"
  grep -aq '\] [0-9]*/40 runs, [0-9]* runs/s, ETA [0-9]*s' "$tmp/typescript" ||
    fail "no progress bar on a terminal: $(tr '\r' '\n' <"$tmp/typescript" | head -3)"
else
  echo "SKIP: the progress bar (no script(1))"
fi

# --- the same files whatever --jobs is ----------------------------------------
for j in 2 3; do
  "$R" experiment "$tmp/e.scn" "${V[@]}" --out "$tmp/j$j" --jobs $j --quiet ||
    fail "--jobs $j: exit $?"
  for f in results.csv summary.txt cdf.png cdf.svg experiment.txt; do
    cmp -s "$tmp/j1/$f" "$tmp/j$j/$f" || fail "--jobs $j: $f differs from --jobs 1"
  done
done

# --- the plot: one curve per setting; the SVG parses ---------------------------
if command -v convert >/dev/null; then
  # the first panel's plot area (the legend is right of it), framed out
  hist=$(convert "$tmp/j1/cdf.png" -crop 990x660+155+135 +repage -format %c histogram:info:- 2>&1)
  palette="0072B2 D55E00 009E73 CC79A7 E69F00 56B4E9 000000 8B0000 6A3D9A 7F7F00 1F4E79 B15928"
  n=0
  seen=""
  for c in $palette; do
    px=$(grep -i "#$c\b" <<<"$hist" | sed 's/^ *\([0-9]*\):.*/\1/' | head -1)
    if [ -n "$px" ] && [ "$px" -ge 40 ]; then n=$((n + 1)); seen="$seen $c"; fi
  done
  [ "$n" = 4 ] || fail "the PNG shows $n curve colours ($seen), want one per setting (4)"
else
  echo "SKIP: the PNG curve count (no ImageMagick convert)"
fi
if command -v xmllint >/dev/null; then
  xmllint --noout "$tmp/j1/cdf.svg" || fail "cdf.svg does not parse"
  grep -q '<svg' "$tmp/j1/cdf.svg" || fail "cdf.svg is not an SVG"
else
  echo "SKIP: the SVG check (no xmllint)"
fi
file "$tmp/j1/cdf.png" 2>/dev/null | grep -q 'PNG image data' || fail "cdf.png is not a PNG"

# --- four shards merged are the unsharded run, file for file ----------------
for k in 1 2 3 4; do
  "$R" experiment "$tmp/e.scn" "${V[@]}" --shard $k/4 --out "$tmp/s$k" --quiet ||
    fail "--shard $k/4: exit $?"
done
[ "$(($(wc -l <"$tmp/s1/results.csv") - 1))" = 40 ] ||
  fail "shard 1/4 has $(($(wc -l <"$tmp/s1/results.csv") - 1)) rows, want 40"
out=$("$R" experiment --merge "$tmp/s3" "$tmp/s1" "$tmp/s4" "$tmp/s2" --out "$tmp/merged" 2>&1) ||
  fail "--merge: exit $?: $out"
for f in results.csv summary.txt cdf.png cdf.svg experiment.txt; do
  cmp -s "$tmp/j1/$f" "$tmp/merged/$f" || fail "merged $f differs from the unsharded run"
done
out=$("$R" experiment --merge "$tmp/s1" "$tmp/s2" "$tmp/s3" --out "$tmp/m2" 2>&1)
[ $? = 2 ] && grep -q "shard 4/4 is missing" <<<"$out" || fail "a missing shard: $out"
out=$("$R" experiment --merge "$tmp/s1" "$tmp/s1" "$tmp/s2" "$tmp/s3" "$tmp/s4" --out "$tmp/m2" 2>&1)
[ $? = 2 ] && grep -q "is given twice" <<<"$out" || fail "a shard twice: $out"
out=$("$R" experiment --merge "$tmp/s1" "$tmp/j2" --out "$tmp/m2" 2>&1)
[ $? = 2 ] && grep -q "belongs to another split" <<<"$out" || fail "a foreign directory: $out"

# --- the shipped experiments pass for every seed, their narration lints clean --
out=$("$R" check "$SRC"/experiments/*.scn --seeds 1..30 2>&1) || fail "experiments/*.scn: $out"
out=$(cd "$SRC" && "$R" lint experiments/*.scn 2>&1) || fail "lint experiments/*.scn: $out"

# --- exit codes ----------------------------------------------------------------
cat >"$tmp/fails.scn" <<'SCN'
cluster nodes=3 seed=1
measure elect until leader within 5s
expect leaders == 3
SCN
out=$("$R" experiment "$tmp/fails.scn" --seeds 1..3 --out "$tmp/f" --quiet 2>&1)
rc=$?
[ $rc = 1 ] || fail "a failed expect: exit $rc, want 1: $out"
grep -q "seed 1 (default): FAIL .*expect leaders == 3" <<<"$out" || fail "the failing run: $out"
grep -q '^1,fail,[0-9]' "$tmp/f/results.csv" || fail "a failed run's row: $(cat "$tmp/f/results.csv")"
out=$("$R" experiment "$tmp/e.scn" --seeds 1..2 --max-events 50 --out "$tmp/l" --quiet 2>&1)
rc=$?
[ $rc = 3 ] && grep -q "LIMIT" <<<"$out" || fail "an event budget: exit $rc, want 3: $out"
grep -q '^[0-9]*,limit,' "$tmp/l/results.csv" || fail "a limited run's row: $(cat "$tmp/l/results.csv")"

# bad usage: one line, naming the flag, exit 2, before any run
printf 'cluster nodes=3\nrun 1s\n' >"$tmp/none.scn"
while IFS='|' read -r args want; do
  # shellcheck disable=SC2086
  out=$("$R" experiment $args 2>&1)
  rc=$?
  [ $rc = 2 ] || fail "experiment $args: exit $rc, want 2: $out"
  [ "$(wc -l <<<"$out")" = 1 ] || fail "experiment $args: more than one line: $out"
  grep -qF -- "$want" <<<"$out" || fail "experiment $args: '$out' lacks '$want'"
done <<EOF
$tmp/e.scn --vray election=1ms|unknown flag '--vray': did you mean '--vary'?
$tmp/e.scn --vary electon=150..300ms|--vary: unknown setting 'electon': did you mean 'election'?
$tmp/e.scn --vary election=150..300|--vary: bad duration
$tmp/e.scn --vary election|--vary: 'election' is not KEY=V1,V2,...
$tmp/e.scn --vary election=1ms --vary election=2ms|--vary: 'election' is varied twice
$tmp/e.scn --vary election+heartbeat=12..24ms|needs 2 parts joined with '+'
$tmp/e.scn --vary election=150ms#x|--vary: 'election=150ms#x': unexpected '#'
$tmp/e.scn --seeds 5..1|--seeds: '5..1' is empty
$tmp/e.scn --jobs 0|--jobs: 0 is out of range
$tmp/e.scn --shard 5/4|--shard: 5 is out of range
$tmp/e.scn --shard 2|--shard: '2' is not K/N
$tmp/none.scn --out $tmp/x|has no 'measure' command
$tmp/missing.scn|missing.scn: cannot read
|missing the scenario FILE
$tmp/e.scn $tmp/e.scn|one scenario FILE at a time
--merge|--merge: no directories
--merge $tmp/s1|--merge: --out DIR is missing
--merge $tmp/nothing --out $tmp/m3|--merge: $tmp/nothing/experiment.txt: cannot read
$tmp/e.scn --out $tmp/e.scn|--out: $tmp/e.scn: not a directory
EOF

[ $fails = 0 ] && echo "test_experiment: ok"
exit $((fails > 0))
