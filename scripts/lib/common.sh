# common.sh - sourced by scripts/*: installs what is missing, builds.
# Debian packages only; nothing is downloaded from anywhere else.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# `scripts/X --help` (or -h): the script's opening comment is its usage.
# Sourced without arguments, this file sees the script's own.
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
  exit 0
fi

# Packages every command needs to build and test.
BUILD_PACKAGES="meson ninja-build pkg-config gcc libc6-dev libsdl2-dev libsdl2-ttf-dev
libsdl2-image-dev libcriterion-dev libcairo2-dev gettext fonts-wqy-microhei"
# Packages for the end-to-end window test, fuzzing and leak checks.
TEST_PACKAGES="xvfb xdotool imagemagick x11-utils valgrind clang libclang-rt-14-dev strace
libxml2-utils"

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "error: missing packages (${missing[*]}); run as root or install them with apt-get" >&2
      exit 2
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Another apt or dpkg (an unattended upgrade, a second terminal) may hold
  # the lock: wait for it, as long as a minute, instead of failing at once.
  local wait=(-o DPkg::Lock::Timeout=60)
  if $sudo lslocks -n -o PATH 2>/dev/null | grep -q '^/var/lib/dpkg/lock'; then
    echo "==> another package manager is running: waiting for it (up to a minute)" >&2
  fi
  $sudo apt-get "${wait[@]}" install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    $sudo apt-get "${wait[@]}" update -qq >/dev/null &&
    $sudo apt-get "${wait[@]}" install -y -qq "${missing[@]}" >/dev/null; } || {
    echo "error: apt-get could not install: ${missing[*]}" >&2; exit 2; }
}

# options_same DIR -Dname=value...: true only if DIR is known to be
# configured with exactly these values (so `scripts/test` gets -Dwerror=true
# in a build/ that `scripts/run` set up without it).
options_same() {
  local dir=$1; shift
  meson introspect --buildoptions "$dir" 2>/dev/null | python3 -c '
import json, sys
have = {o["name"]: o["value"] for o in json.load(sys.stdin)}
for arg in sys.argv[1:]:
    name, eq, want = arg[2:].partition("=")
    if not arg.startswith("-D") or not eq or name not in have:
        sys.exit(1)
    v = have[name]
    if isinstance(v, bool):
        v = "true" if v else "false"
    elif isinstance(v, list):
        v = ",".join(v)
    if str(v) != want:
        sys.exit(1)
sys.exit(0)
' "$@"
}

# configure DIR [meson options...]: set up DIR, or set the options on an
# existing DIR when they differ from what it was configured with.
# DIR is relative to the source root (or absolute).
configure() {
  local dir=$1 path=$1; shift
  [[ $path = /* ]] || path=$ROOT/$dir
  if [ ! -f "$path/build.ninja" ]; then
    meson setup "$path" "$ROOT" "$@" >/dev/null || { echo "error: meson setup $dir failed" >&2; exit 1; }
  elif [ $# -gt 0 ] && ! options_same "$path" "$@"; then
    echo "==> $dir: configuring $*" >&2
    meson configure "$path" "$@" >/dev/null || { echo "error: meson configure $dir $* failed" >&2; exit 1; }
  fi
}

# build DIR [meson options...]: configure (see above), then compile.
build() {
  local path=$1
  [[ $path = /* ]] || path=$ROOT/$1
  configure "$@"
  ninja -C "$path" >/dev/null || { ninja -C "$path"; exit 1; }
}
