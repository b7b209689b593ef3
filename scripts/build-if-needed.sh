#!/usr/bin/env bash
# Builds the function artifacts and the local stack (mvn install, tests skipped) when one is missing or
# older than the sources; otherwise does nothing, in milliseconds. Used by `make run` and
# `make local-functions`.
set -euo pipefail

cd "$(dirname "$0")/.."
jdk=${PULSE_JDK:-$(scripts/find-jdk.sh)}
artifacts=(
  dashboard-handler/target/dashboard-handler.jar
  sse-handler/target/sse-handler.zip
  local-lambda/target/local-lambda.jar
)

needs_build() {
  local artifact newer
  for artifact in "${artifacts[@]}"; do
    [[ -f "$artifact" ]] || return 0
    newer=$(find pom.xml core dashboard-handler sse-handler local-lambda \
      -name target -prune -o -type f -newer "$artifact" -print -quit)
    [[ -z "$newer" ]] || return 0
  done
  return 1
}

if needs_build; then
  echo "Building the function artifacts and the local stack (about a minute the first time; tests skipped):"
  PULSE_JDK=$jdk scripts/mvn-progress.sh install -DskipTests -DskipITs
fi
