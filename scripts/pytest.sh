#!/usr/bin/env bash
# Runs pytest; exit code 5 ("no tests collected") is a failure of its own, with a clear message,
# because a pass that runs nothing must not look green.
set -uo pipefail
.venv/bin/python -m pytest "$@"
code=$?
if [[ $code -eq 5 ]]; then
  echo "pytest collected no tests for: $*" >&2
  exit 1
fi
exit $code
