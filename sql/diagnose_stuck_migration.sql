-- SnowPgMigration: diagnose stuck or failed runs from psql. Read-only; the fixes at the end are
-- commented templates. The same answers come from Get-SfPgRun -Stale, Get-SfPgRunStatus,
-- Get-SfPgChunk -Status failed and Reset-SfPgChunk / Stop-SfPgRun, which also refuse unsafe repairs.
--
--   psql -X -v ON_ERROR_STOP=1 -d <target database> -f sql/diagnose_stuck_migration.sql
--   psql ... -v stale_minutes=30 -f sql/diagnose_stuck_migration.sql   (default 15)

\if :{?stale_minutes}
\else
\set stale_minutes 15
\endif

\echo '== 1. Runs of the last 7 days, newest first'
SELECT run_id, source_name, status, started_at, completed_at,
       date_trunc('second', now() - heartbeat_at) AS heartbeat_age,
       tables_completed || '/' || tables_total AS tables, rows_copied, stop_reason, left(error, 120) AS error
FROM migration_status.migration_runs
WHERE started_at > now() - interval '7 days'
ORDER BY started_at DESC;

\echo '== 2. Stale runs: marked running, no heartbeat for' :stale_minutes 'minutes (the process died or hung)'
SELECT run_id, source_name, host_name, process_id, started_at,
       date_trunc('second', now() - heartbeat_at) AS heartbeat_age
FROM migration_status.migration_runs
WHERE status = 'running' AND heartbeat_at < now() - make_interval(mins => :stale_minutes)
ORDER BY heartbeat_at;

\echo '== 3. Active runs and their progress'
SELECT run_id, source_name, date_trunc('second', heartbeat_age) AS heartbeat_age, date_trunc('second', elapsed) AS elapsed,
       tables_completed || '/' || tables_total AS tables,
       chunks_completed || '/' || chunks_total AS chunks, chunks_in_progress, chunks_failed, rows_copied
FROM migration_status.v_active_migrations
ORDER BY started_at DESC;

\echo '== 4. Tables that are not completed in recent runs'
SELECT run_id, table_name, status, chunks_completed || '/' || chunks_total AS chunks, chunks_failed,
       rows_copied, rows_expected, percent_complete, verification, left(error, 120) AS error
FROM migration_status.v_table_progress
WHERE status <> 'completed' AND coalesce(started_at, now()) > now() - interval '7 days'
ORDER BY run_id, table_name;

\echo '== 5. Stale chunk claims (taken over automatically on resume)'
SELECT run_id, table_name, chunk_id, worker_id, attempts,
       date_trunc('second', now() - heartbeat_at) AS heartbeat_age
FROM migration_status.migration_chunk_status
WHERE status = 'in_progress' AND heartbeat_at < now() - make_interval(mins => :stale_minutes)
ORDER BY heartbeat_at;

\echo '== 6. Failed and incomplete chunks with their latest error'
SELECT run_id, table_name, chunk_id, status, attempts, expected_rows, rows_copied, left(error, 200) AS error
FROM migration_status.migration_chunk_status
WHERE status IN ('failed', 'incomplete')
ORDER BY run_id, table_name, chunk_id;

\echo '== 7. Most frequent chunk errors (all attempts, from the error history)'
SELECT left(e ->> 'error', 160) AS error, e ->> 'event' AS event, count(*) AS times
FROM migration_status.migration_chunk_status c,
     jsonb_array_elements(c.error_history) AS e
WHERE e ? 'error' AND coalesce(e ->> 'error', '') <> ''
GROUP BY 1, 2
ORDER BY times DESC
LIMIT 20;

\echo '== 8. Completed chunks whose rows differ from the plan (check the chunk predicate and the source filter)'
SELECT run_id, table_name, chunk_id, expected_rows, rows_copied, rows_copied - expected_rows AS difference
FROM migration_status.migration_chunk_status
WHERE status = 'completed' AND expected_rows IS NOT NULL AND rows_copied <> expected_rows
ORDER BY run_id, table_name, chunk_id;

\echo '== 9. Indexes and constraints dropped and not yet restored (a later run restores them)'
SELECT run_id, target_schema, table_name, object_kind, object_name, dropped_at, definition
FROM migration_status.migration_index_backup
WHERE dropped_at IS NOT NULL AND restored_at IS NULL
ORDER BY dropped_at;

-- == Fix templates: prefer the commands, which check what they change. Replace the <...> values.
--
-- A. Give stale claims of a run back to pending (what resume does):
--    UPDATE migration_status.migration_chunk_status
--    SET status = 'pending', worker_id = NULL, claim_id = NULL
--    WHERE run_id = '<run id>' AND status = 'in_progress' AND heartbeat_at < now() - interval '15 minutes';
--
-- B. Mark a stuck run cancelled (it stays resumable):   Stop-SfPgRun -RunId <run id> -Reason '...'
--    UPDATE migration_status.migration_runs
--    SET status = 'cancelled', completed_at = now(), stop_reason = '<reason>'
--    WHERE run_id = '<run id>' AND status = 'running';
--
-- C. Retry a failed chunk:   Get-SfPgChunk -RunId <run id> -Status failed | Reset-SfPgChunk
--    Never reset a completed chunk of a table without a unique key before deleting its rows:
--    loading it again duplicates them.
