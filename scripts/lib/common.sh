# common.sh - sourced by scripts/*: installs what is missing, builds.
# Debian packages only; nothing is downloaded from anywhere else.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Packages every command needs to build and test.
BUILD_PACKAGES="meson ninja-build pkg-config gcc libc6-dev libsdl2-dev libsdl2-ttf-dev
libsdl2-image-dev libcriterion-dev"
# Packages for the end-to-end window test, fuzzing and leak checks.
TEST_PACKAGES="xvfb xdotool imagemagick x11-utils valgrind clang libclang-rt-14-dev strace"

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
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    $sudo apt-get update -qq >/dev/null &&
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; } || {
    echo "error: apt-get could not install: ${missing[*]}" >&2; exit 2; }
}

# build DIR [meson options...]: configure once, then compile.
build() {
  local dir=$1; shift
  if [ ! -f "$ROOT/$dir/build.ninja" ]; then
    meson setup "$ROOT/$dir" "$ROOT" "$@" >/dev/null || { echo "error: meson setup $dir failed" >&2; exit 1; }
  fi
  ninja -C "$ROOT/$dir" >/dev/null || { ninja -C "$ROOT/$dir"; exit 1; }
}
