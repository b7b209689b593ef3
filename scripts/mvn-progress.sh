#!/usr/bin/env bash
# Runs Maven and shows one line per module as the build reaches it, with the elapsed time: neither every
# plugin's lines nor (with -q) minutes of silence. Everything Maven printed goes to target/maven-build.log;
# when the build fails, its errors are shown with the log's path.
# Usage: scripts/mvn-progress.sh <maven arguments>
set -euo pipefail
cd "$(dirname "$0")/.."

jdk=${PULSE_JDK:-$(scripts/find-jdk.sh)}
mkdir -p target
log=target/maven-build.log
started=$SECONDS
building='^\[INFO\] Building (.+) [0-9][^ ]* +\[([0-9]+/[0-9]+)\]$'
set +e
JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH" mvn -B -ntp -Dstyle.color=never "$@" 2>&1 | tee "$log" |
  while IFS= read -r line; do
    if [[ $line =~ $building ]]; then
      printf '  [%3d s] %-28s %s\n' $((SECONDS - started)) "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    fi
  done
status=${PIPESTATUS[0]}
set -e
if ((status == 0)); then
  echo "  [$((SECONDS - started)) s] done (Maven's whole output: $log)"
else
  grep -E '^\[ERROR\]' "$log" | head -40 || true
  echo "Maven failed after $((SECONDS - started)) s; its whole output: $log" >&2
fi
exit "$status"
