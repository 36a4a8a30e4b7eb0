#!/usr/bin/env bash
# Fuzz smoke run: every Go native fuzz target of the module, each for a few
# seconds (FUZZTIME, default 5s). Targets are discovered with "go test
# -list", so new ones are picked up without editing this script. A failing
# input is written to the package's testdata/fuzz/<Target>/ directory:
# commit it as a regression case once the bug is fixed.
#
#	bash scripts/fuzz.sh                 # all targets, 5s each
#	FUZZTIME=1m bash scripts/fuzz.sh     # longer
#	bash scripts/fuzz.sh ./server        # one package
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-5s}"
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)

failed=()
ran=0
for pkg in $(go list "${pkgs[@]}"); do
  targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
  for target in $targets; do
    echo "fuzz.sh: $pkg $target ($fuzztime)"
    ran=$((ran + 1))
    if ! go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$pkg"; then
      failed+=("$pkg $target")
    fi
  done
done
echo "fuzz.sh: $ran targets run"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz.sh: FAILED %s\n' "${failed[@]}" >&2
  exit 1
fi
