#!/usr/bin/env bash
# The whole test suite: unit, HTTP, real-browser (Debian chromium),
# GIS-client (GDAL, QGIS) and PostgreSQL store tests. Installs chromium,
# gdal-bin, python3-qgis (QGIS's Python bindings, run headless; without
# recommends), postgresql-15 and postgresql-15-postgis-3 with apt-get when
# they are missing (as root, or through sudo); fails if it cannot.
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

# PostgreSQL with PostGIS for the postgres store's tests: a throwaway
# cluster (scripts/pg.sh) for this run, stopped at exit; the script fails
# when it cannot start one (and under CI=true the tests fail without it).
pgneed=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || pgneed+=(postgresql-15)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || pgneed+=(postgresql-15-postgis-3)
if [ ${#pgneed[@]} -gt 0 ]; then
  echo "test.sh: installing ${pgneed[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${pgneed[@]}"
fi
pgenv="$(bash scripts/pg.sh start)" || { echo "test.sh: could not start PostgreSQL (scripts/pg.sh)" >&2; exit 1; }
eval "$pgenv"
trap 'bash scripts/pg.sh stop "$GEOTAG_PG_DIR"' EXIT
export GEOTAG_TEST_POSTGRES
export GEOTAG_REQUIRE_POSTGRES=1 # a test without the database fails, never skips
echo "test.sh: PostgreSQL for the postgres tests in $GEOTAG_PG_DIR"

echo "test.sh: go vet ./..."
go vet ./...
# staticcheck, pinned (the go command fetches that version from the module
# proxy once and caches it): a newer one may add checks; bump it on purpose.
staticcheck="honnef.co/go/tools/cmd/staticcheck@v0.8.2"
echo "test.sh: $staticcheck ./..."
go run "$staticcheck" ./...
echo "test.sh: go test ./..."
go test -count=1 -timeout 40m ./...
