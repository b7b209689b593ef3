#!/usr/bin/env bash
# Every linter of the repo, one summary line each: shellcheck, terraform fmt, terraform validate
# (the root module and each child module, offline through the provider mirror; the Managed Instances root and
# module where hashicorp/aws 6.x can be installed), workflow schemas,
# action pins (every `uses:` on a commit SHA), the Dependabot config.
# Exit 1 on any finding. A missing linter prints one line and is skipped, except under CI=true
# (GitHub Actions sets it), where a missing linter fails: CI must never pass by skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
fail() { status=1; }

missing() {
  if [[ ${CI:-} == true ]]; then
    echo "$1: MISSING (CI=true, so this fails): $2"
    fail
  else
    echo "$1: skipped, not installed ($2)"
  fi
}

lint_shell() {
  local files=(scripts/*.sh .ci/run)
  local f
  # The SSE function's bootstrap (a shell script without an extension).
  while IFS= read -r f; do files+=("$f"); done \
    < <(find sse-handler/src/main -type f -name bootstrap 2>/dev/null | sort)
  local existing=()
  for f in "${files[@]}"; do [[ -f $f ]] && existing+=("$f"); done
  if ! command -v shellcheck >/dev/null 2>&1; then
    missing shellcheck "run 'make tools'"
    return
  fi
  if shellcheck --external-sources "${existing[@]}"; then
    echo "shellcheck: ${#existing[@]} files clean"
  else
    echo "shellcheck: findings above (${#existing[@]} files checked)"
    fail
  fi
}

lint_terraform() {
  if [[ ! -d terraform ]]; then
    echo "terraform fmt: skipped, no terraform/ directory"
    return
  fi
  if ! command -v terraform >/dev/null 2>&1; then
    missing "terraform fmt" "install Terraform"
    return
  fi
  # stdout lists the unformatted files; stderr only matters when there is no list (a parse
  # error), since it also carries CLI-config warnings unrelated to formatting.
  local out err
  err=$(mktemp)
  if out=$(CHECKPOINT_DISABLE=1 terraform fmt -check -recursive -list=true -no-color terraform 2>"$err"); then
    echo "terraform fmt: terraform/ formatted"
  elif [[ -n $out ]]; then
    printf '%s\n' "$out"
    echo "terraform fmt: the files above need 'terraform fmt -recursive terraform'"
    fail
  else
    cat "$err"
    echo "terraform fmt: terraform/ could not be parsed (above)"
    fail
  fi
  rm -f "$err"
}

# What needs hashicorp/aws >= 6.54 (Lambda Managed Instances), relative to terraform/: validated with the provider
# it needs where it can be installed (lint_terraform_validate_6), not with the 5.100 the others are checked with.
PROVIDER_6_DIRS=(managed-instances modules/sse_managed_instances)

# terraform validate of a copy (under target/, so a developer's terraform/.terraform, backend and state
# stay untouched), the provider from the mirror when there is one (scripts/terraform-init.sh). Each child
# module is validated on its own too, so its versions.tf must be enough to use it elsewhere.
lint_terraform_validate() {
  if [[ ! -d terraform ]]; then
    echo "terraform validate: skipped, no terraform/ directory"
    return
  fi
  if ! command -v terraform >/dev/null 2>&1; then
    missing "terraform validate" "install Terraform"
    return
  fi
  local work=target/terraform/validate
  rm -rf "$work"
  mkdir -p "$work"
  local prune=(-name .terraform) skip
  for skip in "${PROVIDER_6_DIRS[@]}"; do prune+=(-o -path "./$skip"); done
  (cd terraform && find . \( "${prune[@]}" \) -prune -o -type f \( -name '*.tf' -o -name '*.tf.json' \) \
    ! -name '*override.tf' ! -name '*override.tf.json' -print0 | tar --null -cf - -T -) | tar -xf - -C "$work"
  local dirs=("$work") dir rel out checked=0
  while IFS= read -r dir; do dirs+=("$dir"); done < <(find "$work/modules" -mindepth 1 -maxdepth 1 -type d | sort)
  for dir in "${dirs[@]}"; do
    rel=${dir#"$work"}
    rel=terraform/${rel#/}
    if ! out=$(CHECKPOINT_DISABLE=1 scripts/terraform-init.sh "$dir" -backend=false -no-color 2>&1); then
      if [[ ${CI:-} == true ]]; then
        printf '%s\n' "$out"
        echo "terraform validate: terraform init of $rel failed (above)"
        fail
      else
        echo "terraform validate: skipped, the AWS provider could not be installed (no mirror, offline?): $(printf '%s' "$out" | grep -m1 -i error || true)"
      fi
      return
    fi
    if ! out=$(CHECKPOINT_DISABLE=1 terraform -chdir="$dir" validate -no-color 2>&1); then
      printf '%s\n' "$out"
      echo "terraform validate: $rel is invalid (above)"
      fail
      return
    fi
    checked=$((checked + 1))
  done
  echo "terraform validate: terraform/ and its $((checked - 1)) module(s) valid"
}

# The Managed Instances root and module, each from a copy with its symlinks resolved. Where the provider they need
# cannot be installed (the offline mirror holds 5.100.0; make test in CI uses that mirror too), one line says so
# and nothing fails: GitHub Actions validates them with the registry's newest 6.x (ci.yml, job terraform-6).
lint_terraform_validate_6() {
  if [[ ! -d terraform ]] || ! command -v terraform >/dev/null 2>&1; then
    return # lint_terraform_validate said why
  fi
  local work=target/terraform/validate-6 rel dir out valid=() skipped=() why=""
  rm -rf "$work"
  for rel in "${PROVIDER_6_DIRS[@]}"; do
    dir=$work/${rel//\//-}
    mkdir -p "$dir"
    (cd "terraform/$rel" && find -L . -name .terraform -prune -o -type f \( -name '*.tf' -o -name '*.tf.json' \) \
      ! -name '*override.tf' ! -name '*override.tf.json' -print0 | tar --null --dereference -cf - -T -) | tar -xf - -C "$dir"
    if ! out=$(CHECKPOINT_DISABLE=1 scripts/terraform-init.sh "$dir" -backend=false -no-color 2>&1); then
      skipped+=("terraform/$rel")
      why=$(printf '%s' "$out" | grep -m1 -iE 'error' | sed 's/^[[:space:]│]*//' || true)
      continue
    fi
    if ! out=$(CHECKPOINT_DISABLE=1 terraform -chdir="$dir" validate -no-color 2>&1); then
      printf '%s\n' "$out"
      echo "terraform validate: terraform/$rel is invalid (above)"
      fail
      continue
    fi
    valid+=("terraform/$rel")
  done
  if ((${#skipped[@]} > 0)); then
    echo "terraform validate: skipped ${skipped[*]}: they need hashicorp/aws >= 6.54, which could not be installed" \
      "here ($why); GitHub Actions validates them (ci.yml, job terraform-6)"
  fi
  if ((${#valid[@]} > 0)); then
    echo "terraform validate: ${valid[*]} valid (hashicorp/aws 6.x)"
  fi
}

lint_workflows() {
  local av=.tools/node_modules/.bin/action-validator
  if [[ ! -x $av ]]; then
    if command -v action-validator >/dev/null 2>&1; then
      av=action-validator
    else
      missing action-validator "run 'make tools'"
      return
    fi
  fi
  shopt -s nullglob
  local files=(.github/workflows/*.yml .github/workflows/*.yaml)
  shopt -u nullglob
  local f bad=0
  for f in "${files[@]}"; do
    "$av" "$f" || { echo "action-validator: $f is invalid (above)"; bad=$((bad + 1)); }
  done
  if ((bad == 0)); then
    echo "action-validator: ${#files[@]} workflows valid"
  else
    echo "action-validator: $bad of ${#files[@]} workflows invalid"
    fail
  fi
}

lint_action_pins() {
  scripts/check-action-pins.sh || fail
}

# action-validator knows workflows and actions, not Dependabot's file: check its shape here.
lint_dependabot() {
  local file=.github/dependabot.yml
  if [[ ! -f $file ]]; then
    echo "dependabot: no $file"
    fail
    return
  fi
  if ! python3 -c 'import yaml' 2>/dev/null; then
    missing dependabot "python3 with PyYAML (moto brings it; run 'make tools')"
    return
  fi
  if python3 - "$file" <<'PY'; then
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
ecosystems = {"github-actions", "maven", "terraform"}
problems = []
if not isinstance(doc, dict) or doc.get("version") != 2:
    problems.append("version must be 2")
updates = doc.get("updates") if isinstance(doc, dict) else None
if not isinstance(updates, list) or not updates:
    problems.append("updates must be a non-empty list")
    updates = []
seen = set()
for i, u in enumerate(updates):
    if not isinstance(u, dict):
        problems.append(f"updates[{i}] must be a mapping")
        continue
    seen.add(u.get("package-ecosystem"))
    if not str(u.get("directory", "")).startswith("/"):
        problems.append(f"updates[{i}].directory must start with /")
    if (u.get("schedule") or {}).get("interval") not in {"daily", "weekly", "monthly"}:
        problems.append(f"updates[{i}].schedule.interval must be daily, weekly or monthly")
for eco in sorted(ecosystems - seen):
    problems.append(f"no update entry for {eco}")
for p in problems:
    print(f"{sys.argv[1]}: {p}")
sys.exit(1 if problems else 0)
PY
    echo "dependabot: $file covers github-actions, maven, terraform"
  else
    echo "dependabot: $file is invalid (above)"
    fail
  fi
}

lint_shell
lint_terraform
lint_terraform_validate
lint_terraform_validate_6
lint_workflows
lint_action_pins
lint_dependabot
exit "$status"
