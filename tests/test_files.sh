#!/usr/bin/env bash
# test_files.sh RAFTSIM SOURCE_ROOT - every file raftsim writes goes through
# one writer (sim/outfile.c) that never destroys what it replaces:
#   - a device node, a FIFO are written in place and stay what they are;
#   - a symbolic link keeps being a link, its target gets the output;
#   - the temporary file is created with O_EXCL (a planted name is never
#     followed) and a regular file's mode is kept;
#   - SIGINT/SIGTERM remove the temporary file, exit 130/143, and leave the
#     previous file intact;
#   - a full disk, a read-only directory, a directory, an empty path and the
#     input script as output give one line naming the path and exit 2, with
#     the previous file intact and no temporary file left;
# for --trace, render --out (PNG, --every frames) and fuzz --out.
# The cases that need root (mknod, mount) are skipped without it.
set -u
R=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
tmp=$(mktemp -d)
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
root=false; [ "$(id -u)" = 0 ] && root=true
leftovers() { find "$tmp" -name '*.tmp-*' 2>/dev/null; }

# exit 2 and exactly one line of error that contains $want
want_one_line() { # label rc out want
  local label=$1 rc=$2 out=$3 want=$4
  [ "$rc" = 2 ] || fail "$label: exit $rc, want 2 ($out)"
  [ "$(printf '%s\n' "$out" | grep -c .)" = 1 ] || fail "$label: want one line of error: $out"
  grep -qF -- "$want" <<<"$out" || fail "$label: '$out' lacks '$want'"
}

printf 'title "t"\ncluster nodes=3 seed=1\nrun until leader within 5s\nexpect leaders == 1\n' >"$tmp/s.scn"

# --- standard output -------------------------------------------------------
n=$("$R" run --for 300ms --trace - 2>/dev/null | grep -c .)
[ "$n" -gt 5 ] || fail "--trace - wrote $n lines to stdout"

# --- a FIFO is written in place ---------------------------------------------
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" >"$tmp/fifo.out" &
reader=$!
timeout 20 "$R" run --for 300ms --trace "$tmp/fifo" 2>/dev/null || fail "run --trace FIFO failed"
wait $reader
[ -p "$tmp/fifo" ] || fail "the FIFO was replaced by a regular file"
grep -q 'timeout' "$tmp/fifo.out" || fail "the FIFO's reader got no trace"

# --- a device node is written in place (a private null device) -------------
if $root && mknod "$tmp/null" c 1 3 2>/dev/null; then
  "$R" run --for 300ms --trace "$tmp/null" 2>/dev/null || fail "run --trace DEVICE failed"
  [ -c "$tmp/null" ] || fail "the character device was replaced by a regular file"
  "$R" render "$tmp/s.scn" --at 100ms --out "$tmp/null" >/dev/null 2>&1 ||
    fail "render --out DEVICE failed"
  [ -c "$tmp/null" ] || fail "render --out replaced the character device"
else
  echo "skip: device node (needs root)"
fi

# --- a symbolic link keeps being a link; its target gets the output ---------
echo old >"$tmp/target.txt"
ln -s target.txt "$tmp/link.txt"
"$R" run --for 300ms --trace "$tmp/link.txt" 2>/dev/null || fail "run --trace LINK failed"
[ -L "$tmp/link.txt" ] || fail "the symbolic link was replaced by a regular file"
grep -q 'timeout' "$tmp/target.txt" || fail "the link's target did not get the trace"
ln -s nowhere.txt "$tmp/dangling.txt"
out=$("$R" run --for 300ms --trace "$tmp/dangling.txt" 2>&1 >/dev/null)
want_one_line "--trace to a dangling link" $? "$out" "dangling.txt: is a symbolic link to a missing file"

# --- the temporary file: O_EXCL beside the target, mode kept ---------------
echo old >"$tmp/mode.txt"
chmod 640 "$tmp/mode.txt"
if command -v strace >/dev/null; then
  # LeakSanitizer cannot run under ptrace: a sanitizer build goes without it
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -e trace=openat -o "$tmp/strace.log" \
    "$R" run --for 300ms --trace "$tmp/mode.txt" >/dev/null 2>&1 || fail "run --trace under strace"
  line=$(grep 'mode.txt.tmp-' "$tmp/strace.log" | head -1)
  grep -q 'O_CREAT' <<<"$line" && grep -q 'O_EXCL' <<<"$line" ||
    fail "the temporary file is not created with O_CREAT|O_EXCL: $line"
else
  "$R" run --for 300ms --trace "$tmp/mode.txt" >/dev/null 2>&1 || fail "run --trace mode.txt"
  echo "skip: O_EXCL check (no strace)"
fi
[ "$(stat -c %a "$tmp/mode.txt")" = 640 ] || fail "mode not kept: $(stat -c %a "$tmp/mode.txt")"
grep -q 'timeout' "$tmp/mode.txt" || fail "mode.txt did not get the trace"

# --- refused before the run, previous file intact ---------------------------
mkdir "$tmp/adir"
out=$("$R" run --for 300ms --trace "$tmp/adir" 2>&1 >/dev/null)
want_one_line "--trace DIR" $? "$out" "adir: is a directory"
out=$("$R" run --for 300ms --trace "" 2>&1 >/dev/null)
want_one_line "--trace ''" $? "$out" "empty path"
cp "$tmp/s.scn" "$tmp/keep.scn"
out=$("$R" run "$tmp/s.scn" --trace "$tmp/s.scn" 2>&1 >/dev/null)
want_one_line "run x.scn --trace x.scn" $? "$out" "is the input script"
cmp -s "$tmp/s.scn" "$tmp/keep.scn" || fail "run x.scn --trace x.scn changed the script"
cp "$tmp/s.scn" "$tmp/s.png" # a script under a PNG name is still the input
out=$("$R" render "$tmp/s.png" --at 10ms --out "$tmp/s.png" 2>&1 >/dev/null)
want_one_line "render --out INPUT" $? "$out" "is the input script"
cmp -s "$tmp/s.png" "$tmp/keep.scn" || fail "render --out INPUT changed the script"
cmp -s "$tmp/s.scn" "$tmp/keep.scn" || fail "render --out INPUT changed the script"
mkdir "$tmp/dir.png"
out=$("$R" render "$tmp/s.scn" --at 10ms --out "$tmp/dir.png" 2>&1 >/dev/null)
want_one_line "render --out DIR" $? "$out" "dir.png: is a directory"
start=$(date +%s)
out=$("$R" fuzz --seeds 1..100000 --out "$tmp/adir" 2>&1 >/dev/null)
want_one_line "fuzz --out DIR" $? "$out" "adir: is a directory"
[ $(($(date +%s) - start)) -lt 5 ] || fail "fuzz --out DIR was refused only after the campaign"
out=$("$R" run --for 300ms --trace "$tmp/no/such/dir/t.txt" 2>&1 >/dev/null)
want_one_line "--trace in a missing directory" $? "$out" "t.txt: cannot write"

# --- signals: the temporary file goes, the previous file stays --------------
for sig in INT TERM; do
  echo old >"$tmp/sig.txt"
  env --default-signal="$sig" "$R" run --nodes 50 --for 24h --trace "$tmp/sig.txt" \
    >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 50); do [ -n "$(leftovers)" ] && break; sleep 0.1; done
  [ -n "$(leftovers)" ] || fail "SIG$sig: no temporary file seen while the run was going"
  sleep 0.3
  kill -"$sig" $pid
  wait $pid
  rc=$?
  want=130; [ $sig = TERM ] && want=143
  [ $rc = $want ] || fail "SIG$sig: exit $rc, want $want"
  [ -z "$(leftovers)" ] || fail "SIG$sig left a temporary file: $(leftovers)"
  [ "$(cat "$tmp/sig.txt")" = old ] || fail "SIG$sig: the previous file was not kept"
done

# --- a full disk and a read-only directory (small tmpfs mounts) -------------
if $root && mkdir "$tmp/full" && mount -t tmpfs -o size=128k tmpfs "$tmp/full" 2>/dev/null; then
  mounts+=("$tmp/full")
  "$R" render "$tmp/s.scn" --at 100ms --size 320x240 --out "$tmp/full/good.png" >/dev/null 2>&1 ||
    fail "render into the small tmpfs failed while it had room"
  cp "$tmp/full/good.png" "$tmp/good.png"
  echo old >"$tmp/full/trace.txt"
  dd if=/dev/zero of="$tmp/full/filler" bs=4k 2>/dev/null # until the disk is full
  out=$("$R" render "$tmp/s.scn" --at 100ms --size 1280x720 --out "$tmp/full/good.png" 2>&1 >/dev/null)
  want_one_line "render --out on a full disk" $? "$out" "good.png: cannot write: No space left"
  cmp -s "$tmp/full/good.png" "$tmp/good.png" || fail "a full disk damaged the previous PNG"
  out=$("$R" render "$tmp/s.scn" --at 100ms --every 50ms --out "$tmp/full/f.png" 2>&1 >/dev/null)
  want_one_line "render --every on a full disk" $? "$out" "cannot write: No space left"
  out=$("$R" run --for 2s --trace "$tmp/full/trace.txt" 2>&1 >/dev/null | grep -v '^#')
  want_one_line "--trace on a full disk" 2 "$out" "trace.txt: cannot write: No space left"
  "$R" run --for 2s --trace "$tmp/full/trace.txt" >/dev/null 2>&1
  [ $? = 2 ] || fail "--trace on a full disk: exit status is not 2"
  [ "$(cat "$tmp/full/trace.txt")" = old ] || fail "a full disk damaged the previous trace"
  [ -z "$(find "$tmp/full" -name '*.tmp-*')" ] || fail "a full disk left a temporary file"
  if mkdir "$tmp/ro" && mount -t tmpfs -o ro,size=64k tmpfs "$tmp/ro" 2>/dev/null; then
    mounts+=("$tmp/ro")
    out=$("$R" run --for 300ms --trace "$tmp/ro/t.txt" 2>&1 >/dev/null)
    want_one_line "--trace in a read-only directory" $? "$out" "t.txt: cannot write: Read-only"
  fi
else
  echo "skip: full disk and read-only directory (need root and tmpfs)"
fi

[ -z "$(leftovers)" ] || fail "temporary files left: $(leftovers)"
if [ $fails -gt 0 ]; then echo "$fails failure(s)"; exit 1; fi
echo "files: all checks passed"
