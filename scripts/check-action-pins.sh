#!/usr/bin/env bash
# Every `uses:` in the workflows names a full 40-hex commit SHA, with the version in a comment:
#   - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
# A tag or a branch can be moved to other code after review; a commit cannot. Dependabot
# (.github/dependabot.yml) keeps the SHAs and their comments current. Also allowed: a local
# `./path` (this same commit) and a docker image pinned by digest.
#   scripts/check-action-pins.sh [file...]   (default: .github/workflows/*.yml|yaml, .github/actions/*/action.yml)
# One line per finding (file:line: why), exit 1 when there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  shopt -s nullglob
  files=(.github/workflows/*.yml .github/workflows/*.yaml .github/actions/*/action.yml .github/actions/*/action.yaml)
  shopt -u nullglob
fi

uses_re='^[[:space:]]*(-[[:space:]]+)?uses:[[:space:]]*(.*)$'
pinned_re='^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$'
version_re='^#[[:space:]]*v?[0-9]+(\.[0-9]+)*'
digest_re='^docker://[^@[:space:]]+@sha256:[0-9a-f]{64}$'

bad=0
count=0
for file in "${files[@]}"; do
  number=0
  while IFS= read -r line || [[ -n "$line" ]]; do
    number=$((number + 1))
    [[ "$line" =~ $uses_re ]] || continue
    count=$((count + 1))
    rest=${BASH_REMATCH[2]}
    value=${rest%%#*}
    value=${value%"${value##*[![:space:]]}"} # trim trailing spaces
    value=${value//\"/}
    value=${value//\'/}
    comment=""
    if [[ "$rest" == *"#"* ]]; then
      comment="#${rest#*#}"
    fi
    why=""
    if [[ "$value" == ./* || "$value" =~ $digest_re ]]; then
      continue
    elif [[ "$value" == docker://* ]]; then
      why="a docker image must be pinned by digest (docker://image@sha256:<64 hex>)"
    elif [[ ! "$value" =~ $pinned_re ]]; then
      why="not pinned to a full 40-hex commit SHA: '$value'"
    elif [[ ! "$comment" =~ $version_re ]]; then
      why="pinned, but without its version in a comment (# vX.Y.Z): '$value'"
    else
      continue
    fi
    echo "$file:$number: $why"
    bad=$((bad + 1))
  done <"$file"
done

if ((bad > 0)); then
  echo "action pins: $bad of $count uses: lines are not pinned to a commit SHA with its version (above)"
  exit 1
fi
echo "action pins: $count uses: lines in ${#files[@]} files pinned to commit SHAs"
