#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the PostgreSQL server the
# integration tests start (when it is missing), pwsh and Pester (from NuGet), then builds and
# tests the solution, assembles the module and runs every Pester test against it in real pwsh.
set -euo pipefail
cd "$(dirname "$0")"

has_pg_server() {
  [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if [ -z "${SFPG_TEST_PG:-}" ] && ! has_pg_server; then
  echo "PostgreSQL server binaries not found; installing the postgresql package."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  # The package starts a system cluster; the tests start their own and need nothing else.
  $SUDO service postgresql stop >/dev/null 2>&1 || true
fi

# PostGIS for the geospatial tests (they create the extension in a test target database).
if [ -z "${SFPG_TEST_PG:-}" ] && [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "PostGIS not found; installing the postgresql-15-postgis-3 package."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
  $SUDO service postgresql stop >/dev/null 2>&1 || true
fi

# Azurite (Microsoft's Azure Storage emulator) from npm: the unload tests start its blob service on a free port.
if [ ! -x tools/azurite/node_modules/.bin/azurite-blob ]; then
  npm ci --prefix tools/azurite --no-audit --no-fund >/dev/null
fi

# pwsh (local tool manifest .config/dotnet-tools.json) and Pester (a PackageDownload) from NuGet.
dotnet tool restore >/dev/null
dotnet restore tests/Pester/Tools/PesterPackage.csproj >/dev/null
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
pester="${packages%/}/pester/5.9.1/tools"

# The module's build command from the README (PowerShell section), before anything else restores the solution:
# it must work on a fresh clone.
dotnet publish src/SnowPgMigration.PowerShell -c Release >/dev/null

log=$(mktemp)
pester_log=$(mktemp)
trap 'rm -f "$log" "$pester_log"' EXIT
set +e
dotnet test SnowPgMigration.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The module in real pwsh, against a throwaway PostgreSQL and the emulator the script starts.
dotnet pwsh -NoProfile -NonInteractive -File tests/Pester/Invoke-ModuleTests.ps1 -PesterPath "$pester" 2>&1 | tee "$pester_log"
pester_status=${PIPESTATUS[0]}
# The engine and the module's dependencies on .NET 8 itself: a self-contained net8.0 sfpg-sandbox runs the sandbox.
./.ci/net8-sandbox.sh 2>&1 | tee -a "$pester_log"
net8_status=${PIPESTATUS[0]}
set -e

# A failure's name and message again near the end, where a log that keeps only its tail still shows them.
awk '/^  Failed [^ ]/ { show = 1 } /^  Stack Trace:/ { show = 0 } show && shown < 200 { print; shown++ }' "$log"
grep -F '[-] ' "$pester_log" | head -20 || true
# One closing line over every test assembly, the Pester run and the .NET 8 sandbox: "N passed, N failed, N skipped".
awk '/(Passed|Failed)!  - Failed:/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  failed  += $(i + 1)
         if ($i == "Passed:")  passed  += $(i + 1)
         if ($i == "Skipped:") skipped += $(i + 1)
       }
     }
     /^Pester: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped/ {
       passed += $2; failed += $4; skipped += $6
     }
     /^NET 8 sandbox: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped/ {
       passed += $4; failed += $6; skipped += $8
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log" "$pester_log"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$pester_status" -ne 0 ]; then exit "$pester_status"; fi
exit "$net8_status"
