#!/usr/bin/env bash
# Prints the home of a JDK >= 21 for the build: JAVA_HOME when it is one, else the newest
# suitable JDK under /usr/lib/jvm (or /Library/Java/JavaVirtualMachines), else the `java` on PATH.
# Exits 1 with a message naming what to install when there is none.
set -euo pipefail

MIN=21

major_of() {
  # "openjdk version "21.0.5" ..." or "17.0.15" -> 21 / 17; "1.8.0_x" -> 8
  local v
  v=$("$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  v=${v#1.}
  echo "${v%%[.+-]*}"
}

usable() {
  [[ -x "$1/bin/java" && -x "$1/bin/javac" ]] || return 1
  local major
  major=$(major_of "$1")
  [[ "$major" =~ ^[0-9]+$ ]] && ((major >= MIN))
}

if [[ -n "${JAVA_HOME:-}" ]] && usable "$JAVA_HOME"; then
  echo "$JAVA_HOME"
  exit 0
fi

best="" best_major=0
for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [[ -d "$dir" && ! -L "$dir" ]] || continue
  if usable "$dir"; then
    major=$(major_of "$dir")
    if ((major > best_major)); then
      best="$dir" best_major=$major
    fi
  fi
done
if [[ -n "$best" ]]; then
  if [[ -n "${JAVA_HOME:-}" ]]; then
    echo "note: JAVA_HOME=${JAVA_HOME} is not a JDK >= ${MIN}; using ${best}" >&2
  fi
  echo "$best"
  exit 0
fi

if command -v javac >/dev/null 2>&1; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  if usable "$home"; then
    echo "$home"
    exit 0
  fi
fi

{
  echo "Pulse needs a JDK ${MIN} or newer, and none was found."
  [[ -n "${JAVA_HOME:-}" ]] && echo "  JAVA_HOME=${JAVA_HOME} is not a JDK >= ${MIN}."
  echo "  Install one (e.g. 'apt-get install openjdk-21-jdk-headless', or Temurin 21) and/or set JAVA_HOME to it."
} >&2
exit 1
