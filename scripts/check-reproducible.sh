#!/usr/bin/env bash
# Builds the two function artifacts a second time, in a scratch copy of the working tree, and compares
# their SHA-256 with what the main build made: two builds of one commit must be byte-identical, so that
# Terraform's source_code_hash changes only when the code does. Run by `make test` after the main build.
set -euo pipefail
cd "$(dirname "$0")/.."

artifacts=(dashboard-handler/target/dashboard-handler.jar sse-handler/target/sse-handler.zip)
for artifact in "${artifacts[@]}"; do
  if [[ ! -f $artifact ]]; then
    echo "reproducible builds: skipped, $artifact was not built (see the build above)"
    exit 0
  fi
done

jdk=${PULSE_JDK:-$(scripts/find-jdk.sh)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# What a commit of this tree holds: tracked files that still exist, plus new files git does not ignore.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  if [[ -f $file ]]; then
    mkdir -p "$scratch/$(dirname "$file")"
    cp -p "$file" "$scratch/$file"
  fi
done

started=$SECONDS
(cd "$scratch" && JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH" \
  mvn -B -ntp -o -q -Dstyle.color=never package -DskipTests -DskipITs -pl dashboard-handler,sse-handler -am \
  >"$scratch/build.log" 2>&1) || { echo "reproducible builds: the second build failed:"; tail -30 "$scratch/build.log"; exit 1; }

status=0
for artifact in "${artifacts[@]}"; do
  first=$(sha256sum "$artifact" | cut -d' ' -f1)
  second=$(sha256sum "$scratch/$artifact" | cut -d' ' -f1)
  if [[ $first == "$second" ]]; then
    echo "reproducible builds: $artifact identical in two builds (sha256 $first)"
  else
    echo "reproducible builds: $artifact DIFFERS between two builds ($first vs $second)"
    status=1
  fi
done
echo "reproducible builds: second build took $((SECONDS - started)) s"
exit $status
