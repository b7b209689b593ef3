#!/usr/bin/env bash
# Terraform for one environment: scripts/terraform-env.sh root|init|plan|apply|destroy <env>
#   root     prints the root module the environment deploys from (the deploy workflow's jobs use it)
#   init     only terraform init with the environment's backend (the deploy workflow's jobs)
#   plan     terraform plan with envs/<env>.tfvars
#   apply    terraform apply (asks for "yes" unless AUTO_APPROVE=1 or CI=true), then writes the
#            outputs to target/terraform-outputs.json for make e2e / make diagnose
#   destroy  asks you to type the environment's name (or CONFIRM=<env>), then terraform destroy
# The root module follows sse_capacity_mode in envs/<env>.tfvars: terraform/ for on_demand (the default),
# terraform/managed-instances for managed_instances (hashicorp/aws >= 6.54); both keep the same state.
# Remote state: envs/<env>.backend.hcl (S3); TF_STATE_BUCKET, when set, names the bucket.
# The write key: PULSE_API_KEY (and PULSE_API_KEY_PREVIOUS during a rotation), handed to Terraform as
# SHA-256 digests only (scripts/write-key.sh, which also stops a plan or apply that would open writes).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ne 2 ]]; then
  echo "usage: $0 root|init|plan|apply|destroy <env>" >&2
  exit 2
fi
action=$1
env=$2
tfvars="envs/$env.tfvars"
backend="envs/$env.backend.hcl"

for f in "terraform/$tfvars" "terraform/$backend"; do
  if [[ ! -f "$f" ]]; then
    echo "$f does not exist: ENV must name an environment under terraform/envs/ (preprod, prod)" >&2
    exit 2
  fi
done

# The last assignment of sse_capacity_mode in the tfvars, as terraform reads it; none means the default.
mode=$(sed -nE 's/^[[:space:]]*sse_capacity_mode[[:space:]]*=[[:space:]]*"([^"]*)".*/\1/p' "terraform/$tfvars" | tail -n 1)
case "${mode:-on_demand}" in
  on_demand) root=terraform ;;
  managed_instances) root=terraform/managed-instances ;;
  *)
    echo "terraform/$tfvars sets sse_capacity_mode = \"$mode\": on_demand or managed_instances" >&2
    exit 2
    ;;
esac
if [[ "$action" == root ]]; then
  echo "$root"
  exit 0
fi

backend_args=(-backend-config="$backend")
if [[ -n "${TF_STATE_BUCKET:-}" ]]; then
  backend_args+=(-backend-config="bucket=$TF_STATE_BUCKET")
elif grep -q 'CHANGE-ME' "terraform/$backend"; then
  echo "no state bucket: set TF_STATE_BUCKET, or put the bucket's name in terraform/$backend" \
    "(docs/deploy.md)" >&2
  exit 2
fi
if [[ "$action" == init ]]; then
  exec scripts/terraform-init.sh "$root" -reconfigure "${backend_args[@]}"
fi

for artifact in dashboard-handler/target/dashboard-handler.jar sse-handler/target/sse-handler.zip; do
  if [[ ! -f "$artifact" ]]; then
    echo "$artifact is missing: run 'make build' first" >&2
    exit 2
  fi
done

if [[ "$action" == destroy ]]; then
  # Removing a deployment opens nothing: no key is needed to get past the variable validation.
  export TF_VAR_allow_open_writes=true
else
  # Stops here, with its message, when there is no key and open writes were not chosen.
  digests=$(scripts/write-key.sh "$env")
  export TF_VAR_api_key_sha256="$digests"
  unset TF_VAR_api_key # the key itself stays out of Terraform, its plans and its state
fi

echo "terraform: $root (sse_capacity_mode ${mode:-on_demand})"
scripts/terraform-init.sh "$root" -reconfigure "${backend_args[@]}"

case "$action" in
  plan)
    terraform -chdir="$root" plan -input=false -var-file="$tfvars"
    ;;
  apply)
    approve=()
    if [[ "${AUTO_APPROVE:-}" == 1 || "${CI:-}" == true ]]; then
      approve=(-auto-approve)
    fi
    terraform -chdir="$root" apply -input=false "${approve[@]}" -var-file="$tfvars"
    mkdir -p target
    terraform -chdir="$root" output -json >target/terraform-outputs.json
    echo "outputs written to target/terraform-outputs.json"
    ;;
  destroy)
    if [[ "${CONFIRM:-}" != "$env" ]]; then
      read -r -p "This destroys Pulse in '$env', its table included. Type the environment name to go on: " answer
      if [[ "$answer" != "$env" ]]; then
        echo "not confirmed; nothing destroyed" >&2
        exit 1
      fi
    fi
    terraform -chdir="$root" destroy -input=false -auto-approve -var-file="$tfvars"
    ;;
  *)
    echo "unknown action '$action': root, init, plan, apply or destroy" >&2
    exit 2
    ;;
esac
