-- SnowPgMigration status schema: runs, table status, chunk status, index backups and two views.
--
-- Lives in each target database. The engine applies this same file (embedded in the engine
-- assembly) before every run and from Install-SfPgStatusSchema / `sfpg install-schema`.
-- Applying it again is always safe: every statement is IF NOT EXISTS, OR REPLACE or guarded.
--
-- By hand:  psql -v ON_ERROR_STOP=1 --single-transaction -d <target database> -f sql/migration_status_schema.sql
--
-- With --single-transaction (as the engine does) the advisory lock below serialises two
-- concurrent installs, so neither fails on the other's half-created objects.
--
-- Status values (the engine maps them to enums in one place, StatusText):
--   runs:           running, completed, completed_with_errors, partial, failed, cancelled
--   tables, chunks: pending, in_progress, completed, failed, incomplete
-- Changing this file: it must stay re-runnable over every earlier version. Add table columns with
-- ALTER TABLE ... ADD COLUMN IF NOT EXISTS after the CREATE TABLE; add view columns only at the end
-- (CREATE OR REPLACE VIEW cannot drop, rename or reorder them).
--
-- Times are the database server's clock (now()): PostgreSQL is the coordinator of every worker,
-- so heartbeats from several machines compare without clock skew.

DO $lock$
BEGIN
    -- Same key as StatusSchema.ApplyLockKey in the engine.
    PERFORM pg_advisory_xact_lock(7390512338165311025);
    -- "already exists, skipping" notices on every re-apply are noise; quiet them for this transaction.
    PERFORM set_config('client_min_messages', 'warning', true);
END
$lock$;

CREATE SCHEMA IF NOT EXISTS migration_status;

COMMENT ON SCHEMA migration_status IS 'SnowPgMigration status: runs, tables, chunks and index backups';

-- One row per migration run of one source.
CREATE TABLE IF NOT EXISTS migration_status.migration_runs (
    run_id            uuid        NOT NULL,
    source_name       text        NOT NULL,
    config_hash       text        NOT NULL,
    status            text        NOT NULL DEFAULT 'running',
    started_at        timestamptz NOT NULL DEFAULT now(),
    completed_at      timestamptz,
    heartbeat_at      timestamptz NOT NULL DEFAULT now(),
    host_name         text,
    process_id        integer,
    worker_info       text,
    tool_version      text,
    tables_total      integer     NOT NULL DEFAULT 0,
    tables_completed  integer     NOT NULL DEFAULT 0,
    tables_failed     integer     NOT NULL DEFAULT 0,
    rows_expected     bigint,
    rows_copied       bigint      NOT NULL DEFAULT 0,
    error             text,
    stop_reason       text,
    CONSTRAINT migration_runs_pkey PRIMARY KEY (run_id),
    CONSTRAINT migration_runs_status_check CHECK (status IN
        ('running', 'completed', 'completed_with_errors', 'partial', 'failed', 'cancelled'))
);

-- Resume lookup: newest runs of a source and config hash.
CREATE INDEX IF NOT EXISTS migration_runs_source_idx
    ON migration_status.migration_runs (source_name, config_hash, started_at DESC);

-- Listing and stale detection of running runs.
CREATE INDEX IF NOT EXISTS migration_runs_status_idx
    ON migration_status.migration_runs (status, heartbeat_at);

-- One row per table of a run. table_name is the target table's name (the config's "target").
CREATE TABLE IF NOT EXISTS migration_status.migration_table_status (
    run_id            uuid        NOT NULL,
    table_name        text        NOT NULL,
    source_table      text        NOT NULL,
    target_schema     text        NOT NULL,
    load_method       text,
    strategy          text,
    status            text        NOT NULL DEFAULT 'pending',
    source_row_count  bigint,
    target_row_count  bigint,
    rows_copied       bigint      NOT NULL DEFAULT 0,
    chunks_total      integer     NOT NULL DEFAULT 0,
    started_at        timestamptz,
    completed_at      timestamptz,
    error             text,
    verification      text,
    verified_at       timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT migration_table_status_pkey PRIMARY KEY (run_id, table_name),
    CONSTRAINT migration_table_status_run_fkey FOREIGN KEY (run_id)
        REFERENCES migration_status.migration_runs (run_id) ON DELETE CASCADE,
    CONSTRAINT migration_table_status_status_check CHECK (status IN
        ('pending', 'in_progress', 'completed', 'failed', 'incomplete'))
);

-- One row per planned chunk. predicate is the source-side SQL; bounds the same limits as data.
-- claim_id changes on every claim: a worker may commit a chunk only while its claim is current,
-- so a stale worker whose claim was taken over can never complete the chunk a second time.
CREATE TABLE IF NOT EXISTS migration_status.migration_chunk_status (
    run_id            uuid        NOT NULL,
    table_name        text        NOT NULL,
    chunk_id          integer     NOT NULL,
    strategy          text        NOT NULL,
    predicate         text,
    bounds            jsonb,
    expected_rows     bigint,
    rows_copied       bigint      NOT NULL DEFAULT 0,
    checksum          text,
    status            text        NOT NULL DEFAULT 'pending',
    attempts          integer     NOT NULL DEFAULT 0,
    worker_id         text,
    claim_id          uuid,
    heartbeat_at      timestamptz,
    error             text,
    error_history     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    started_at        timestamptz,
    completed_at      timestamptz,
    CONSTRAINT migration_chunk_status_pkey PRIMARY KEY (run_id, table_name, chunk_id),
    CONSTRAINT migration_chunk_status_table_fkey FOREIGN KEY (run_id, table_name)
        REFERENCES migration_status.migration_table_status (run_id, table_name) ON DELETE CASCADE,
    CONSTRAINT migration_chunk_status_status_check CHECK (status IN
        ('pending', 'in_progress', 'completed', 'failed', 'incomplete')),
    CONSTRAINT migration_chunk_status_attempts_check CHECK (attempts >= 0),
    CONSTRAINT migration_chunk_status_history_check CHECK (jsonb_typeof(error_history) = 'array')
);

-- Claims: the next pending chunk of a run (and table), in chunk order.
CREATE INDEX IF NOT EXISTS migration_chunk_status_pending_idx
    ON migration_status.migration_chunk_status (run_id, table_name, chunk_id)
    WHERE status = 'pending';

-- Take-over of stale claims and listing of in-flight chunks.
CREATE INDEX IF NOT EXISTS migration_chunk_status_in_progress_idx
    ON migration_status.migration_chunk_status (run_id, heartbeat_at)
    WHERE status = 'in_progress';

-- Counting chunks by status for summaries and views.
CREATE INDEX IF NOT EXISTS migration_chunk_status_status_idx
    ON migration_status.migration_chunk_status (run_id, status);

-- Index and constraint definitions saved before they are dropped for a load, so they can be
-- restored after the load, after a failure, or by a later run after a crash.
CREATE TABLE IF NOT EXISTS migration_status.migration_index_backup (
    run_id            uuid        NOT NULL,
    target_schema     text        NOT NULL,
    table_name        text        NOT NULL,
    object_kind       text        NOT NULL,
    object_name       text        NOT NULL,
    definition        text        NOT NULL,
    saved_at          timestamptz NOT NULL DEFAULT now(),
    dropped_at        timestamptz,
    restored_at       timestamptz,
    CONSTRAINT migration_index_backup_pkey PRIMARY KEY (run_id, target_schema, table_name, object_kind, object_name),
    CONSTRAINT migration_index_backup_run_fkey FOREIGN KEY (run_id)
        REFERENCES migration_status.migration_runs (run_id) ON DELETE CASCADE,
    CONSTRAINT migration_index_backup_kind_check CHECK (object_kind IN
        ('index', 'primary_key', 'unique', 'foreign_key', 'check', 'exclusion'))
);

-- Definitions still waiting to be restored, for any run.
CREATE INDEX IF NOT EXISTS migration_index_backup_unrestored_idx
    ON migration_status.migration_index_backup (target_schema, table_name)
    WHERE restored_at IS NULL;

-- Runs still marked running, with their progress and how long ago they last sent a heartbeat.
CREATE OR REPLACE VIEW migration_status.v_active_migrations AS
SELECT
    r.run_id,
    r.source_name,
    r.status,
    r.started_at,
    r.heartbeat_at,
    now() - r.heartbeat_at                                                     AS heartbeat_age,
    now() - r.started_at                                                       AS elapsed,
    r.host_name,
    r.process_id,
    (SELECT count(*) FROM migration_status.migration_table_status t
      WHERE t.run_id = r.run_id)                                               AS tables_total,
    (SELECT count(*) FROM migration_status.migration_table_status t
      WHERE t.run_id = r.run_id AND t.status = 'completed')                    AS tables_completed,
    count(c.chunk_id)                                                          AS chunks_total,
    count(c.chunk_id) FILTER (WHERE c.status = 'completed')                    AS chunks_completed,
    count(c.chunk_id) FILTER (WHERE c.status = 'in_progress')                  AS chunks_in_progress,
    count(c.chunk_id) FILTER (WHERE c.status = 'pending')                      AS chunks_pending,
    count(c.chunk_id) FILTER (WHERE c.status IN ('failed', 'incomplete'))      AS chunks_failed,
    coalesce(sum(c.rows_copied) FILTER (WHERE c.status = 'completed'), 0)      AS rows_copied,
    -- The older Python tool's name for status, so its monitoring queries keep working.
    r.status                                                                   AS run_status
FROM migration_status.migration_runs r
LEFT JOIN migration_status.migration_chunk_status c ON c.run_id = r.run_id
WHERE r.status = 'running'
GROUP BY r.run_id;

-- Progress of every table of every run, from its chunks.
CREATE OR REPLACE VIEW migration_status.v_table_progress AS
SELECT
    t.run_id,
    r.source_name,
    t.target_schema,
    t.table_name,
    t.source_table,
    t.status,
    t.load_method,
    t.strategy,
    count(c.chunk_id)                                                          AS chunks_total,
    count(c.chunk_id) FILTER (WHERE c.status = 'completed')                    AS chunks_completed,
    count(c.chunk_id) FILTER (WHERE c.status = 'in_progress')                  AS chunks_in_progress,
    count(c.chunk_id) FILTER (WHERE c.status = 'pending')                      AS chunks_pending,
    count(c.chunk_id) FILTER (WHERE c.status IN ('failed', 'incomplete'))      AS chunks_failed,
    coalesce(sum(c.rows_copied) FILTER (WHERE c.status = 'completed'), 0)      AS rows_copied,
    coalesce(t.source_row_count, sum(c.expected_rows))                         AS rows_expected,
    CASE WHEN count(c.chunk_id) = 0 THEN NULL
         ELSE round(100.0 * count(c.chunk_id) FILTER (WHERE c.status = 'completed') / count(c.chunk_id), 1)
    END                                                                        AS percent_complete,
    t.source_row_count,
    t.target_row_count,
    t.verification,
    t.started_at,
    t.completed_at,
    coalesce(t.completed_at, now()) - t.started_at                             AS elapsed,
    t.error,
    -- The older Python tool's name for percent_complete, so its monitoring queries keep working.
    CASE WHEN count(c.chunk_id) = 0 THEN NULL
         ELSE round(100.0 * count(c.chunk_id) FILTER (WHERE c.status = 'completed') / count(c.chunk_id), 2)
    END                                                                        AS completion_percentage
FROM migration_status.migration_table_status t
JOIN migration_status.migration_runs r ON r.run_id = t.run_id
LEFT JOIN migration_status.migration_chunk_status c
       ON c.run_id = t.run_id AND c.table_name = t.table_name
GROUP BY t.run_id, t.table_name, r.source_name;

-- One owner per run: the process that created or took over the run holds this token; only it
-- may refresh the heartbeat or record the final status, so a second process never relabels it.
ALTER TABLE migration_status.migration_runs ADD COLUMN IF NOT EXISTS owner_token uuid;

-- The canonical (secret-free) config the run was started with, to name differences on resume.
ALTER TABLE migration_status.migration_runs ADD COLUMN IF NOT EXISTS config_canonical jsonb;

-- Set in the transaction that records a table's plan (and truncates it for truncate_onstart):
-- a table planned in a run is never planned or truncated again in that run.
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS planned_at timestamptz;

-- One loader per target table, whatever config or source it came from: the run that last planned
-- (and so may have truncated or loaded) the table. Taken in the transaction that records the plan;
-- a run continues its recorded plan of a table only while it is still that table's loader.
CREATE TABLE IF NOT EXISTS migration_status.migration_table_loader (
    target_schema     text        NOT NULL,
    table_name        text        NOT NULL,
    run_id            uuid        NOT NULL,
    source_name       text        NOT NULL,
    loading           boolean     NOT NULL DEFAULT true,
    planned_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    CONSTRAINT migration_table_loader_pkey PRIMARY KEY (target_schema, table_name)
);

-- Why a saved index or constraint could not be recreated (duplicates blocking a unique index, say);
-- the row stays unrestored so the next run or an administrator can restore it once the cause is fixed.
ALTER TABLE migration_status.migration_index_backup ADD COLUMN IF NOT EXISTS restore_error text;

-- A completed chunk reset for a re-load: its earlier rows are deleted (by the chunk's range on the
-- target) in the same transaction that loads it again, so nothing is doubled.
ALTER TABLE migration_status.migration_chunk_status ADD COLUMN IF NOT EXISTS replace_rows boolean NOT NULL DEFAULT false;

-- When a chunk given back for a retry may be claimed again: the back-off belongs to the chunk, not to a worker.
ALTER TABLE migration_status.migration_chunk_status ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz;

-- How a table was compared with its source after its load (counts, checksums or none), and the chunk ranges
-- whose counts (or checksums) differed: [{range_id, source_rows, target_rows, lower, upper, source_predicate, ...}].
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS verify_method text;
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS differing_ranges jsonb;

-- What a run does: 'migration' (plan and load tables) or 'repair' (re-load the ranges verify found differing).
ALTER TABLE migration_status.migration_runs ADD COLUMN IF NOT EXISTS run_kind text NOT NULL DEFAULT 'migration';

-- Target tables shaped from Snowflake's description before planning: whether the run created the table
-- (create_target), the schema_evolution it ran with, and every DDL statement it ran, in order.
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS target_created boolean NOT NULL DEFAULT false;
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS schema_evolution text;
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS schema_changes text;

-- delete_missing: what the keyed comparison after an incremental load found gone from the source and did
-- about it (hard: deleted; soft: marked in the table's soft_delete_column), with the first keys.
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS missing_delete_mode text;
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS missing_detected_at timestamptz;
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS missing_rows_deleted bigint;
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS missing_rows_restored bigint;
ALTER TABLE migration_status.migration_table_status ADD COLUMN IF NOT EXISTS missing_sample_keys text;

-- The unload path (a table with "extract": "unload"): one row per file Snowflake's COPY INTO wrote for a
-- chunk, with the rows Snowflake reported for it (DETAILED_OUTPUT). Workers of any number of processes claim
-- files with FOR UPDATE SKIP LOCKED; a file's rows and its 'completed' commit in one target transaction, so
-- each file is applied exactly once. claim_id changes on every claim, as for chunks. deleted_at: the blob
-- was removed after its chunk was completed and verified (null while kept, e.g. with --keep-files).
CREATE TABLE IF NOT EXISTS migration_status.migration_unload_files (
    run_id            uuid        NOT NULL,
    table_name        text        NOT NULL,
    chunk_id          integer     NOT NULL,
    file_name         text        NOT NULL,
    file_size         bigint      NOT NULL,
    row_count         bigint      NOT NULL,
    status            text        NOT NULL DEFAULT 'pending',
    attempts          integer     NOT NULL DEFAULT 0,
    worker_id         text,
    claim_id          uuid,
    heartbeat_at      timestamptz,
    rows_loaded       bigint,
    error             text,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    completed_at      timestamptz,
    deleted_at        timestamptz,
    CONSTRAINT migration_unload_files_pkey PRIMARY KEY (run_id, table_name, file_name),
    CONSTRAINT migration_unload_files_chunk_fkey FOREIGN KEY (run_id, table_name, chunk_id)
        REFERENCES migration_status.migration_chunk_status (run_id, table_name, chunk_id) ON DELETE CASCADE,
    CONSTRAINT migration_unload_files_status_check CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    CONSTRAINT migration_unload_files_counts_check CHECK (file_size >= 0 AND row_count >= 0 AND attempts >= 0)
);

-- Claims and per-chunk totals: the files of one chunk of a run's table.
CREATE INDEX IF NOT EXISTS migration_unload_files_chunk_idx
    ON migration_status.migration_unload_files (run_id, table_name, chunk_id, status);

-- The unload path's stage folders, one per run and target table (<prefix>/<run>/<table>/, as the azure:// URL
-- Snowflake's COPY INTO takes; never a SAS). Recorded before the table's first chunk is unloaded, so files a run
-- left in the stage (stopped between a chunk's unload and its load, or between the table's verdict and the
-- deletion, or abandoned with --no-resume) are found even when Snowflake wrote them after the run stopped
-- recording: the next run that loads the table deletes the folders of runs no longer at work. state: in_stage
-- until the folder is emptied (deleted) or kept for audit (kept, --keep-files). No foreign key: the row outlives a
-- removed run, whose files would otherwise be nobody's.
CREATE TABLE IF NOT EXISTS migration_status.migration_unload_folders (
    run_id            uuid        NOT NULL,
    target_schema     text        NOT NULL,
    table_name        text        NOT NULL,
    folder            text        NOT NULL,
    state             text        NOT NULL DEFAULT 'in_stage',
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    cleared_at        timestamptz,
    CONSTRAINT migration_unload_folders_pkey PRIMARY KEY (run_id, target_schema, table_name),
    CONSTRAINT migration_unload_folders_state_check CHECK (state IN ('in_stage', 'deleted', 'kept'))
);

-- The folders other runs left in the stage for a target table.
CREATE INDEX IF NOT EXISTS migration_unload_folders_table_idx
    ON migration_status.migration_unload_folders (target_schema, table_name, state);
