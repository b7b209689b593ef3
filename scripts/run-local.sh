#!/usr/bin/env bash
# `make run`: builds the function artifacts and the local stack when one is missing or older than the
# sources (scripts/build-if-needed.sh), then runs the local stack in the foreground (local-lambda/README.md).
# The stack configures each function from terraform/local-functions.json, which it first regenerates
# when terraform/ has changed since it was made and terraform is installed (one line says which).
# Ctrl-C stops it and everything it started. Settings come from the environment: PULSE_DASHBOARD_PORT
# (8080), PULSE_SSE_PORT (8081), PULSE_API_KEY, SSE_*, PULSE_OUTPUTS_FILE (target/local-outputs.json), ...
set -euo pipefail

cd "$(dirname "$0")/.."
jdk=${PULSE_JDK:-$(scripts/find-jdk.sh)}
scripts/build-if-needed.sh
exec "$jdk/bin/java" -jar local-lambda/target/local-lambda.jar
