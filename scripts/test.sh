#!/usr/bin/env bash
# The whole test suite: unit, HTTP, real-browser (Debian chromium) and
# GIS-client (GDAL, QGIS) tests. Installs chromium, gdal-bin and python3-qgis
# (QGIS's Python bindings, run headless; without recommends) with apt-get
# when they are missing (as root, or through sudo); fails if it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
if [ ! -d /usr/lib/python3/dist-packages/qgis ]; then
  echo "test.sh: installing python3-qgis with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-qgis
fi
[ -d /usr/lib/python3/dist-packages/qgis ] || { echo "test.sh: python3-qgis is missing; the QGIS test needs it" >&2; exit 1; }
for tool in chromium ogrinfo ogr2ogr; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test.sh: $tool is missing; the browser and GIS tests need it" >&2; exit 1; }
done

echo "test.sh: go vet ./..."
go vet ./...
# staticcheck, pinned (the go command fetches that version from the module
# proxy once and caches it): a newer one may add checks; bump it on purpose.
staticcheck="honnef.co/go/tools/cmd/staticcheck@v0.8.2"
echo "test.sh: $staticcheck ./..."
go run "$staticcheck" ./...
echo "test.sh: go test ./..."
go test -count=1 -timeout 40m ./...
