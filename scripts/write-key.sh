#!/usr/bin/env bash
# The write key of a deployment, as Terraform gets it: scripts/write-key.sh <env>
# prints a JSON list of SHA-256 digests for TF_VAR_api_key_sha256 (the key itself never reaches
# Terraform, so neither state nor a saved plan can hold it), or stops with exit 1 when there is no
# key and open writes were not chosen on purpose. `make plan`/`make deploy` and the deploy workflow
# run it before anything is built or applied.
#
#   PULSE_API_KEY           the write key (TF_VAR_api_key is read when it is unset)
#   PULSE_API_KEY_PREVIOUS  during a rotation, the key being retired: both are accepted until it is unset
#   TF_VAR_api_key_sha256   digests given directly instead (a JSON list), passed through as they are
# No key is fine only when terraform/envs/<env>.tfvars (or TF_VAR_*, which the file overrides) sets
# allow_open_writes = true or authorization_type = "AWS_IAM".
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <env>" >&2
  exit 2
fi
tfvars="terraform/envs/$1.tfvars"
if [[ ! -f "$tfvars" ]]; then
  echo "$tfvars does not exist: ENV must name an environment under terraform/envs/ (preprod, prod)" >&2
  exit 2
fi

key=${PULSE_API_KEY:-${TF_VAR_api_key:-}}
previous=${PULSE_API_KEY_PREVIOUS:-}
given=${TF_VAR_api_key_sha256:-}

sha256_hex() {
  if command -v sha256sum >/dev/null 2>&1; then
    printf '%s' "$1" | sha256sum | cut -d' ' -f1
  else
    printf '%s' "$1" | shasum -a 256 | cut -d' ' -f1 # macOS
  fi
}

# The value a tfvars file gives a variable (the file wins over TF_VAR_*, as in terraform), else $2.
setting() {
  local line
  line=$(grep -E "^[[:space:]]*$1[[:space:]]*=" "$tfvars" | tail -n 1 || true)
  if [[ -n "$line" ]]; then
    line=${line#*=}
    line=${line%%#*}
    line=${line//\"/}
    echo "${line//[[:space:]]/}"
  else
    echo "$2"
  fi
}

if [[ -n "$key" ]]; then
  if [[ -n "$given" ]]; then
    echo "both PULSE_API_KEY and TF_VAR_api_key_sha256 are set: give the key or its digests, not both" >&2
    exit 2
  fi
  if [[ -n "$previous" && "$previous" != "$key" ]]; then
    printf '["%s","%s"]\n' "$(sha256_hex "$key")" "$(sha256_hex "$previous")"
  else
    printf '["%s"]\n' "$(sha256_hex "$key")"
  fi
  exit 0
fi
if [[ -n "$previous" ]]; then
  echo "PULSE_API_KEY_PREVIOUS is set but PULSE_API_KEY is not: a rotation needs the new key too" >&2
  exit 2
fi
if [[ -n "$given" && "$given" != "[]" ]]; then
  echo "$given"
  exit 0
fi

auth=$(setting authorization_type "${TF_VAR_authorization_type:-NONE}")
open=$(setting allow_open_writes "${TF_VAR_allow_open_writes:-false}")
if [[ "$auth" == "AWS_IAM" || "$open" == "true" ]]; then
  echo "[]"
  exit 0
fi
cat >&2 <<EOF
No write key for '$1': the Function URLs are public (authorization_type = "NONE" in $tfvars),
so anyone could write. Set PULSE_API_KEY (the deploy workflow: the environment's secret of that
name), or set allow_open_writes = true in $tfvars if open writes are what you want.
Stopped before anything was applied.
EOF
exit 1
