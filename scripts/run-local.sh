#!/usr/bin/env bash
# `make run`: builds the function artifacts and the local stack when one is missing or older than
# the sources, then runs the local stack in the foreground (local-lambda/README.md). Ctrl-C stops it
# and everything it started. Settings come from the environment: PULSE_DASHBOARD_PORT (8080),
# PULSE_SSE_PORT (8081), PULSE_API_KEY, SSE_*, PULSE_OUTPUTS_FILE (target/local-outputs.json), ...
set -euo pipefail

cd "$(dirname "$0")/.."
jdk=$(scripts/find-jdk.sh)
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
  echo "Building the function artifacts and the local stack (mvn install, tests skipped)..."
  JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH" mvn -B -ntp -q -Dstyle.color=never install -DskipTests -DskipITs
fi

exec "$jdk/bin/java" -jar local-lambda/target/local-lambda.jar
