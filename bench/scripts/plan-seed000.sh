#!/usr/bin/env bash
# Plans the seed 000 table (8,471,089 rows; 500 IDs in 1-1,000, 5,000 in 1,001-1,000,000, the rest
# dense in 5,000,001-5,100,000) with batch_size 25,000 through the emulator, and checks that the
# dry run's expected rows add up exactly to the source count with no chunk over 27,500.
# Usage: bench/scripts/plan-seed000.sh [rows]   (needs PostgreSQL server binaries and jq)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-8471089}
DENSE=$((ROWS - 5500))
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/sfpg-seed000-XXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
cleanup() { kill "${EMU_PID:-0}" 2>/dev/null || true; as_pg "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
as_pg "$BIN/initdb" -D "$WORK/data" -U postgres -A trust --no-sync >/dev/null
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off" start >/dev/null
PSQL="$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -v ON_ERROR_STOP=1 -q"
$PSQL -c 'CREATE DATABASE "SEED000"' -c 'CREATE DATABASE target'
$PSQL -d SEED000 <<SQL
CREATE SCHEMA "PUBLIC";
CREATE TABLE "PUBLIC"."VISITS" ("ID" bigint, "PAYLOAD" text);
INSERT INTO "PUBLIC"."VISITS" SELECT 1 + (g * 197) % 1000, 'a' FROM generate_series(1, 500) g;
INSERT INTO "PUBLIC"."VISITS" SELECT 1001 + (g::bigint * 19997) % 999000, 'b' FROM generate_series(1, 5000) g;
INSERT INTO "PUBLIC"."VISITS" SELECT 5000001 + (g::bigint * 7919) % 100000, 'c' FROM generate_series(1, $DENSE) g;
SQL
$PSQL -d target -c 'CREATE TABLE visits (id bigint, payload text)'
dotnet build src/SnowPgMigration.Sandbox -c Release -v q -nologo >/dev/null
SFPG="dotnet src/SnowPgMigration.Cli/bin/Release/net8.0/sfpg.dll"
dotnet src/SnowPgMigration.Sandbox/bin/Release/net8.0/sfpg-sandbox.dll emulator serve --pg "Host=127.0.0.1;Port=$PORT;Username=postgres" --port 0 --token t > "$WORK/emulator.log" 2>&1 &
EMU_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/emulator.log" && break; sleep 0.2; done
EMU_PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/emulator.log" | grep -o '[0-9]*$')
cat > "$WORK/config.json" <<JSON
{ "snowflake": { "account": "seed000", "user": "bench", "authenticator": "PROGRAMMATIC_ACCESS_TOKEN", "token": "t",
                 "host": "127.0.0.1", "port": $EMU_PORT, "scheme": "http" },
  "postgres": { "host": "127.0.0.1", "port": $PORT, "user": "postgres" },
  "batch_size": 25000,
  "sources": [ { "source_name": "seed000", "source_sf_database": "SEED000", "source_sf_schema": "PUBLIC",
                 "target_pg_database": "target", "target_pg_schema": "public",
                 "tables": [ { "source": "VISITS", "target": "visits", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ] } ] }
JSON
START=$(date +%s.%N)
$SFPG migrate --config "$WORK/config.json" --dry-run --json > "$WORK/plan.json"
END=$(date +%s.%N)
jq -r --argjson rows "$ROWS" '.[0] as $t | [$t.chunks[].expected_rows] as $e |
  "strategy \($t.strategy); \($e | length) chunks; expected rows \($e | add) (source \($rows)); " +
  "min \($e | min), median \($e | sort | .[length/2|floor]), max \($e | max); " +
  (if ($e | add) == $rows and ($e | max) <= 27500 then "OK" else "MISMATCH" end)' "$WORK/plan.json"
echo "dry run took $(echo "$END - $START" | bc) s"
