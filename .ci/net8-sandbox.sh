#!/usr/bin/env bash
# Proves the engine and the module's dependencies run on .NET 8 (PowerShell 7.4, Azure Automation):
# a self-contained net8.0 publish of sfpg-sandbox (which runs the engine in process, as sfpg does),
# carrying the .NET 8 runtime packs from NuGet instead of rolling forward to the installed runtime,
# runs the sandbox end to end.
# Prints "NET 8 sandbox: N passed, N failed, N skipped" for test.sh's closing line.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

result() { echo "NET 8 sandbox: $1 passed, $2 failed, 0 skipped"; }

if ! dotnet publish src/SnowPgMigration.Sandbox -c Release -r linux-x64 --self-contained -o "$out" >"$out.log" 2>&1; then
  cat "$out.log"; rm -f "$out.log"; result 0 1; exit 1
fi
rm -f "$out.log"
# The runtime it carries, not the machine's: includedFrameworks names it.
runtime=$(grep -A2 '"Microsoft.NETCore.App"' "$out/sfpg-sandbox.runtimeconfig.json" | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')
echo "sfpg-sandbox published self-contained with Microsoft.NETCore.App $runtime"
case "$runtime" in
  8.*) ;;
  *) echo "Expected a .NET 8 runtime, found '$runtime'."; result 0 1; exit 1 ;;
esac
if "$out/sfpg-sandbox" sandbox; then
  result 1 0
else
  result 0 1; exit 1
fi
