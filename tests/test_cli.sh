#!/usr/bin/env bash
# test_cli.sh RAFTSIM SOURCE_ROOT - the command line end to end: the fuzzer
# finds every teaching bug in a seed range known to hold one, its shrunk
# script reproduces the same violation and is smaller than the run it came
# from; clean seeds stay clean; the shipped bug scripts fail as documented;
# and a table of hostile inputs each gives its one-line message and exit 2.
set -u
R=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# --- teaching bugs: seed -> the invariant the checker must name ------------
while read -r bug seed invariant; do
  out=$("$R" fuzz --bug "$bug" --seeds "$seed..$((seed + 3))" --out "$tmp/$bug.scn" 2>&1)
  rc=$?
  [ $rc = 1 ] || { fail "fuzz --bug $bug: exit $rc, want 1: $out"; continue; }
  grep -q "^shrunk: $invariant:" <<<"$out" || fail "fuzz --bug $bug: no '$invariant' in: $out"
  kept=$(sed -n 's/.*(\([0-9]*\) of \([0-9]*\) fault commands kept).*/\1 \2/p' <<<"$out")
  read -r k n <<<"$kept"
  [ -n "$k" ] && [ "$k" -lt "$n" ] || fail "fuzz --bug $bug: the shrinker kept $k of $n"
  chk=$("$R" check "$tmp/$bug.scn" 2>&1)
  [ $? = 1 ] && grep -q "safety violation: $invariant" <<<"$chk" ||
    fail "the repro script for $bug does not reproduce $invariant: $chk"
  chk=$("$R" check "$SRC/scenarios/bugs/$bug.scn" 2>&1)
  [ $? = 1 ] && grep -q "safety violation: $invariant" <<<"$chk" ||
    fail "scenarios/bugs/$bug.scn does not fail with $invariant: $chk"
  # the hand-written lesson breaks the rule at the same line for every seed
  chk=$("$R" check "$SRC/scenarios/bugs/$bug.scn" --seeds 1..50 2>&1)
  n=$(grep -c "^FAIL .*safety violation: $invariant" <<<"$chk")
  lines=$(grep '^FAIL' <<<"$chk" | sed 's/^FAIL [^:]*:\([0-9]*\):.*/\1/' | sort -u | wc -l)
  [ "$n" = 50 ] && [ "$lines" = 1 ] ||
    fail "scenarios/bugs/$bug.scn: $n of 50 seeds fail with $invariant, at $lines different lines"
done <<'EOF'
commit-old-term 1026 Leader Completeness
vote-twice 3 Election Safety
no-log-check 2 Leader Completeness
no-truncate 2 Log Matching
forget-vote 4542 Election Safety
no-step-down 3 Election Safety
EOF

# --- without bugs the same fault campaigns are clean -------------------------
out=$("$R" fuzz --seeds 1..1500 --jobs 2 2>&1) || fail "fuzz without bugs failed: $out"
grep -q "1500 runs.*no violations" <<<"$out" || fail "fuzz summary: $out"

# --- hostile input: exit 2 and one line naming the problem -------------------
printf 'cluster nodes=5\ncrash n9\n' >"$tmp/badnode.scn"
printf 'cluster nodes=5\nsay "unterminated\n' >"$tmp/unterminated.scn"
printf 'cluster nodes=5\nrun 5parsecs\n' >"$tmp/duration.scn"
printf 'run 1s\n' >"$tmp/nocluster.scn"
printf 'cluster nodes=5\n\001\002\000garbage\n' >"$tmp/binary.scn"
head -c 3000 /dev/zero | tr '\0' 'x' | sed 's/^/say /' >"$tmp/long.scn"
head -c 2000000 /dev/zero | tr '\0' '#' >"$tmp/huge.scn"
while IFS='|' read -r args want; do
  # shellcheck disable=SC2086
  out=$(cd "$tmp" && "$R" $args 2>&1 >/dev/null)
  rc=$?
  lines=$(printf '%s\n' "$out" | grep -c .)
  [ $rc = 2 ] || fail "raftsim $args: exit $rc, want 2 ($out)"
  [ "$lines" = 1 ] || fail "raftsim $args: $lines lines of error, want 1: $out"
  grep -qF -- "$want" <<<"$out" || fail "raftsim $args: '$out' lacks '$want'"
done <<'EOF'
frobnicate|unknown command 'frobnicate'
run --nodes 0|--nodes: 0 is out of range
run --nodes 300|--nodes: 300 is out of range
run --nodes abc|--nodes: 'abc' is not a number
run --seed -1|--seed: '-1' is not a number
run --for 10parsecs|--for: '10parsecs' is not a duration
run --for 99999h|--for: '99999h' is too long
run --format xml|--format: 'xml' is not a format
run --bug off-by-one|--bug: unknown bug 'off-by-one'
run --trace /nonexistent/dir/t.txt|--trace: /nonexistent/dir/t.txt: cannot write
run --nodes|--nodes: missing value
check|missing scenario FILE
check badnode.scn|badnode.scn:2:7:
check unterminated.scn|unterminated.scn:2:5:
check duration.scn|duration.scn:2:5:
check nocluster.scn|nocluster.scn:1:1:
check binary.scn|binary.scn:2:
check long.scn|long.scn:1:
check huge.scn|huge.scn:
check missing.scn|missing.scn: cannot read
check badnode.scn --seeds 5..1|--seeds
fuzz --seeds 9..1|--seeds: '9..1' is empty
fuzz --nodes 500|--nodes: 500 is out of range
fuzz --jobs 0|--jobs: 0 is out of range
fuzz --for 0s|--for: must be > 0
bench --workload heavy|--workload: 'heavy' is not a workload
bench --entries 5|--entries: 5 is out of range
bench --snapshot 64:x|--snapshot: 'x' is not a number
bench --snapshot 2000000000|--snapshot: 2000000000 is out of range
render|usage
EOF

# --- lint: narration that is seen -------------------------------------------
# Each bad script plants one problem; lint names its line and exits 1.
printf 'cluster nodes=3 seed=1\nsay "Both of these land at 0 s."\nsay "Only this one is seen."\nrun 100ms\n' >"$tmp/lint-same.scn"
printf 'cluster nodes=3 seed=1\nsay "%s"\nrun 100ms\n' \
  "$(printf 'WWWWWWWWWW %.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)" >"$tmp/lint-long.scn"
printf 'cluster nodes=3 seed=1\nsay "Watch."\nrun 200ms\nrun 1s\nrun 1s\nsay "Done."\n' >"$tmp/lint-quiet.scn"
printf 'cluster nodes=3 seed=1\nsay "One."\nrun 100ms\nsay "Two."\npause\nsay "Three."\nrun 1s\nsay "Four."\n' >"$tmp/lint-clean.scn"
while IFS='|' read -r file want; do
  out=$(cd "$tmp" && "$R" lint "$file" 2>&1)
  rc=$?
  [ $rc = 1 ] || fail "lint $file: exit $rc, want 1: $out"
  [ "$(grep -c . <<<"$out")" = 1 ] || fail "lint $file: want one warning: $out"
  grep -q "^$want" <<<"$out" || fail "lint $file: '$out' does not match '$want'"
  out2=$(cd "$tmp" && "$R" lint "$file" 2>&1)
  [ "$out" = "$out2" ] || fail "lint $file is not deterministic: '$out' then '$out2'"
  out=$(cd "$tmp" && "$R" check --lint "$file" 2>&1)
  [ $? = 1 ] && grep -q "^$want" <<<"$out" || fail "check --lint $file: $out"
done <<'EOF'
lint-same.scn|lint-same.scn:2: warning: say .* never seen
lint-long.scn|lint-long.scn:2: warning: say .* two lines
lint-quiet.scn|lint-quiet.scn:5: warning: .* without a say or pause
EOF
out=$(cd "$tmp" && "$R" lint lint-clean.scn 2>&1) || fail "lint of a clean script: exit $?: $out"
[ -z "$out" ] || fail "lint of a clean script printed: $out"
out=$(cd "$tmp" && "$R" check --lint lint-clean.scn 2>&1) || fail "check --lint lint-clean.scn: $out"
out=$(cd "$SRC" && "$R" lint scenarios/*.scn scenarios/bugs/*.scn 2>&1) ||
  fail "the shipped scenarios are not lint-clean: $out"
while IFS='|' read -r args want; do
  # shellcheck disable=SC2086
  out=$(cd "$tmp" && "$R" $args 2>&1 >/dev/null)
  rc=$?
  [ $rc = 2 ] || fail "raftsim $args: exit $rc, want 2 ($out)"
  [ "$(grep -c . <<<"$out")" = 1 ] || fail "raftsim $args: want one line: $out"
  grep -qF -- "$want" <<<"$out" || fail "raftsim $args: '$out' lacks '$want'"
done <<'EOF'
lint|missing scenario FILE
lint --frobnicate lint-clean.scn|unknown argument '--frobnicate'
lint badnode.scn|badnode.scn:2:7:
lint missing.scn|missing.scn: cannot read
lint --seed x lint-clean.scn|--seed: 'x' is not a number
EOF

if [ $fails -gt 0 ]; then echo "$fails failure(s)"; exit 1; fi
echo "cli: all checks passed"
