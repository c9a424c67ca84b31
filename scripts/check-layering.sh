#!/bin/sh
# The module layering of ARCHITECTURE.md, checked on the sources (make lint runs it):
#   JSONSchema  imports Foundation only
#   KeelCore    no Git, no engine, no command line
#   KeelGit     no engine, no command line
#   KeelEngine  no command line
#   KeelCLI     no Git (KeelGit, CLibgit2, CZlib, Crypto), and none of the engine's selection or history
#               internals: a command maps its options to one Engine call.
# Usage: scripts/check-layering.sh [SOURCES_DIR]   (default: Sources next to this script)
set -u
sources=${1:-"$(dirname "$0")/../Sources"}
status=0

# forbid MODULE PATTERN WHY: a line of MODULE's sources matching PATTERN (an extended regex) fails.
forbid() {
  found=$(grep -rnE --include='*.swift' "$2" "$sources/$1" 2>/dev/null)
  if [ -n "$found" ]; then
    printf '%s\n' "$found" | sed "s|^$sources/|Sources/|; s|\$|   <- $3|" >&2
    status=1
  fi
}

imports='^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+'
forbid JSONSchema "${imports}(KeelCore|KeelGit|KeelEngine|KeelCLI|CLibgit2|CZlib|CCmarkGFM|Yams)\b" \
  "JSONSchema depends on Foundation only"
forbid KeelCore "${imports}(KeelGit|KeelEngine|KeelCLI|CLibgit2|CZlib)\b" "KeelCore knows nothing about Git, the engine or the command line"
forbid KeelGit "${imports}(KeelEngine|KeelCLI)\b" "KeelGit sits below the engine"
forbid KeelEngine "${imports}(KeelCLI|ArgumentParser|CLibgit2|CZlib)\b" \
  "KeelEngine is used by the command line, never the reverse; Git only through KeelGit"
forbid KeelCLI "${imports}(KeelGit|CLibgit2|CZlib|Crypto)\b" "KeelCLI reaches Git only through KeelEngine"
forbid KeelCLI '\b(Workspace|DocumentSelection|SnapshotSource|HistorySession|HistoryGraph|PathHistoryWalk|TimelineBuilder|ScalarCache|StateHistory|Checker|ReviewBase|Repository|Baseline\.load|SourceLines)\b' \
  "selection, check and history internals belong to KeelEngine: call one Engine function"

if [ "$status" -ne 0 ]; then
  echo "check-layering: the lines above break the module layering (ARCHITECTURE.md)" >&2
fi
exit "$status"
