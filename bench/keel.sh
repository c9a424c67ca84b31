# Sourced by the bench scripts (`. "$(dirname "$0")/keel.sh"`): runs from the repository root, with
# bench/out ($OUT) and bench/repos made, and KEEL set to the script's first argument when given,
# else to this checkout's release build (built here).
cd "$(dirname "$0")/.."
OUT=bench/out
mkdir -p "$OUT" bench/repos
if [ $# -ge 1 ]; then
  KEEL=$1
else
  swift build -c release --product keel >/dev/null
  KEEL=$PWD/.build/release/keel
fi
