# cli.sh - sourced by the CLI test scripts with their arguments (RAFTSIM
# SOURCE_ROOT): sets R (the binary, absolute), SRC (the source root), tmp (a
# directory removed on exit), and fail(), which counts failures in $fails.
R=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
