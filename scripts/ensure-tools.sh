#!/usr/bin/env bash
# Checks (and installs where it can, without root where possible) the tools the test tiers need.
# One line per tool. Idempotent and fast when everything is present: nothing is downloaded then.
# Exit status: 1 only when a REQUIRED tool is missing (moto: the unit tests' DynamoDB emulator);
# a missing optional tool prints what it skips.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned so every machine validates workflows with the same schema.
ACTION_VALIDATOR_VERSION=0.6.0
MOTO_VERSION=5.2.1
TOOLS_DIR=.tools
AV_BIN="$TOOLS_DIR/node_modules/.bin/action-validator"

missing_required=0

say() { printf '%-17s %s\n' "$1:" "$2"; }

# Root, or passwordless sudo: the only cases where a system package may be installed unattended.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

# A Debian package, when root: a fresh machine may have no package lists yet, so on a failed
# install the lists are refreshed once and the install tried again.
apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  as_root apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
  if [[ $apt_updated -eq 0 ]]; then
    apt_updated=1
    as_root apt-get update -qq >/dev/null 2>&1 || return 1
    as_root apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
  fi
  return 1
}

ensure_shellcheck() {
  command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck || true
  if command -v shellcheck >/dev/null 2>&1; then
    say shellcheck "ok ($(shellcheck --version | awk '/^version:/ {print $2}'))"
  else
    say shellcheck "MISSING (optional): install it (apt-get install shellcheck / brew install shellcheck); lint skips shell scripts without it (fails under CI=true)"
  fi
}

# The installed version, from the package's own package.json (cheaper than asking npm).
av_installed_version() {
  local pkg="$TOOLS_DIR/node_modules/@action-validator/cli/package.json"
  [[ -f $pkg ]] || return 0
  sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$pkg" | head -n 1
}

ensure_action_validator() {
  if [[ $(av_installed_version) != "$ACTION_VALIDATOR_VERSION" ]] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error \
      "@action-validator/cli@$ACTION_VALIDATOR_VERSION" >/dev/null 2>&1 || true
  fi
  # The npm CLI has no --version; --help exits 0 only after its WebAssembly core has loaded,
  # so it proves the binary really runs on this machine.
  if [[ -x $AV_BIN ]] && "$AV_BIN" --help >/dev/null 2>&1; then
    say action-validator "ok ($(av_installed_version), $AV_BIN)"
  elif command -v npm >/dev/null 2>&1; then
    say action-validator "MISSING (optional): 'npm install --prefix $TOOLS_DIR @action-validator/cli@$ACTION_VALIDATOR_VERSION' failed or its binary does not run; lint skips workflow validation (fails under CI=true)"
  else
    say action-validator "MISSING (optional): needs Node.js + npm; lint skips workflow validation (fails under CI=true)"
  fi
}

browser_found() {
  local name
  if [[ -n ${CHROME_BIN:-} ]]; then
    [[ -x $CHROME_BIN ]] && echo "$CHROME_BIN"
    return
  fi
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$name" && return
  done
}

# The dashboard page test (DashboardPageIT) runs the page in a real headless browser.
ensure_browser() {
  [[ -n $(browser_found) ]] || apt_install chromium || true
  local found
  found=$(browser_found)
  if [[ -n $found ]]; then
    say browser "ok ($found)"
  else
    say browser "MISSING (optional): install chromium (or set CHROME_BIN); the dashboard page test skips without it"
  fi
}

# moto from the machine, or from the project's own virtual environment (.tools/moto), which the Makefile
# puts first on PATH: current Debian and Ubuntu refuse `pip install --user` (PEP 668), a venv always works.
MOTO_VENV=$TOOLS_DIR/moto

moto_present() {
  command -v moto_server >/dev/null 2>&1 &&
    python3 -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("moto") is None)' 2>/dev/null
}

ensure_moto() {
  if [[ -x $MOTO_VENV/bin/moto_server ]]; then
    PATH="$PWD/$MOTO_VENV/bin:$PATH"
  fi
  if ! moto_present && command -v python3 >/dev/null 2>&1; then
    say moto "installing moto[server]==$MOTO_VERSION into $MOTO_VENV (a virtual environment of this project)"
    if python3 -m venv "$MOTO_VENV" >/dev/null 2>&1 &&
      "$MOTO_VENV/bin/pip" install --quiet "moto[server]==$MOTO_VERSION" >/dev/null 2>&1; then
      PATH="$PWD/$MOTO_VENV/bin:$PATH"
    else
      # A venv without moto would still be first on the Makefile's PATH, its python3 before the machine's.
      rm -rf "$MOTO_VENV"
    fi
    hash -r
  fi
  if moto_present; then
    say moto "ok ($(command -v moto_server))"
  else
    say moto "MISSING (required): python3 -m venv $MOTO_VENV && $MOTO_VENV/bin/pip install 'moto[server]==$MOTO_VERSION' (Debian/Ubuntu: apt-get install python3-venv first); the DynamoDB emulator of the unit tests and the infra tier need it"
    missing_required=1
  fi
}

check_terraform() {
  if command -v terraform >/dev/null 2>&1; then
    local v
    v=$(CHECKPOINT_DISABLE=1 terraform version 2>/dev/null | awk 'NR == 1 {print $2}')
    say terraform "ok (${v:-unknown version})"
  else
    say terraform "absent (optional): the infra tier and 'terraform fmt' lint skip (lint fails under CI=true); 'make plan/deploy' need it"
  fi
}

ensure_shellcheck
ensure_action_validator
ensure_browser
ensure_moto
check_terraform

exit "$missing_required"
