#!/usr/bin/env bash
# Sums the Surefire (unit) and Failsafe (integration / e2e / infra) XML reports of every module
# into one table, so `make test` ends with the whole picture rather than the last module's line.
set -euo pipefail
cd "$(dirname "$0")/.."

total_pass=0 total_fail=0 total_skip=0 unit_seconds=0 it_seconds=0
printf '\n%-22s %-9s %7s %7s %7s %7s %7s\n' "module" "tier" "tests" "failed" "errors" "skipped" "seconds"
for report_dir in */target/surefire-reports */target/failsafe-reports; do
  [[ -d "$report_dir" ]] || continue
  module=${report_dir%%/*}
  case "$report_dir" in
    *surefire*) tier=unit ;;
    *) tier=it ;;
  esac
  read -r tests failures errors skipped seconds < <(
    awk '
      /<testsuite[ >]/ {
        match($0, /tests="[0-9]+"/);    t += substr($0, RSTART + 7, RLENGTH - 8)
        match($0, /failures="[0-9]+"/); f += substr($0, RSTART + 10, RLENGTH - 11)
        match($0, /errors="[0-9]+"/);   e += substr($0, RSTART + 8, RLENGTH - 9)
        match($0, /skipped="[0-9]+"/);  s += substr($0, RSTART + 9, RLENGTH - 10)
        if (match($0, / time="[0-9.]+"/)) { d += substr($0, RSTART + 7, RLENGTH - 8) }
      }
      END { printf "%d %d %d %d %d\n", t, f, e, s, d }
    ' "$report_dir"/TEST-*.xml 2>/dev/null || echo "0 0 0 0 0")
  ((tests == 0)) && continue
  printf '%-22s %-9s %7d %7d %7d %7d %7d\n' "$module" "$tier" "$tests" "$failures" "$errors" "$skipped" "$seconds"
  if [[ $tier == unit ]]; then unit_seconds=$((unit_seconds + seconds)); else it_seconds=$((it_seconds + seconds)); fi
  total_fail=$((total_fail + failures + errors))
  total_skip=$((total_skip + skipped))
  total_pass=$((total_pass + tests - failures - errors - skipped))
done

# Why tests were skipped (a tier that cannot run here says so), one line per class and reason.
reasons=$(grep -ho 'testsuite [^>]*name="[^"]*"\|<skipped message="[^"]*"' -- \
  */target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml 2>/dev/null |
  awk '/^testsuite/ { match($0, /name="[^"]*"/); suite = substr($0, RSTART + 6, RLENGTH - 7); next }
       { match($0, /message="[^"]*"/); print "  skipped: " suite ": " substr($0, RSTART + 9, RLENGTH - 10) }' |
  sort -u)
if [[ -n "$reasons" ]]; then
  echo
  echo "$reasons"
fi
echo
echo "Time in tests: unit ${unit_seconds} s, integration (local e2e, infra, artifacts) ${it_seconds} s"
echo "Tests: ${total_pass} passed, ${total_fail} failed, ${total_skip} skipped"
