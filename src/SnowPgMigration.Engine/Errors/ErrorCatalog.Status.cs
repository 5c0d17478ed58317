namespace SnowPgMigration.Engine.Errors;

public static partial class ErrorCatalog
{
    public static readonly ErrorCode StatusSchemaApplyFailed = new(
        "SFPG4001", ErrorKind.InvalidOperation,
        "The status schema could not be installed",
        "Check that the PostgreSQL user may create schemas and tables in the target database (or ask its owner to run sql/migration_status_schema.sql once), then retry.");

    public static readonly ErrorCode StatusSchemaMissing = new(
        "SFPG4002", ErrorKind.ObjectNotFound,
        "The status schema is not installed in this database",
        "Run Install-SfPgStatusSchema (sfpg install-schema) against the target database, or check that the connection names the database the migration wrote to.");

    public static readonly ErrorCode RunNotFound = new(
        "SFPG4003", ErrorKind.ObjectNotFound,
        "No migration run has this id",
        "List the runs with Get-SfPgRun (sfpg runs) and use one of their ids.");

    public static readonly ErrorCode ChunkNotFound = new(
        "SFPG4004", ErrorKind.ObjectNotFound,
        "No chunk has this run, table and chunk id",
        "List the chunks with Get-SfPgChunk -RunId ... -Table ... (sfpg chunks) and use one of their ids.");

    public static readonly ErrorCode ChunkClaimLost = new(
        "SFPG4005", ErrorKind.InvalidOperation,
        "The chunk's claim was taken over or reset before it committed",
        "Nothing to do: the chunk's rows were rolled back with its status and another worker loads it. If this happens often, raise the stale-claim threshold above the longest chunk's duration.");

    public static readonly ErrorCode RunForceCompleteRefused = new(
        "SFPG4006", ErrorKind.InvalidOperation,
        "The run cannot be force-completed: not every chunk is completed",
        "Resume the run (Resume-SfPgMigration -RunId, sfpg resume --run-id) to finish its chunks, or stop it as cancelled instead.");

    public static readonly ErrorCode RunStopRefused = new(
        "SFPG4007", ErrorKind.InvalidOperation,
        "The run has already completed",
        "Nothing to stop. To load again, start a new run (Start-SfPgMigration -NoResume, sfpg migrate --no-resume).");

    public static readonly ErrorCode ChunkResetRefused = new(
        "SFPG4008", ErrorKind.InvalidOperation,
        "A completed chunk is not reset without -Force",
        "Its rows are already in the target; loading it again duplicates them where the table has no unique key. Delete those rows first, then reset with -Force (sfpg reset-chunk --force).");

    public static readonly ErrorCode RunResumeRefused = new(
        "SFPG4009", ErrorKind.InvalidOperation,
        "A completed run cannot be resumed",
        "Start a new run instead (Start-SfPgMigration -NoResume, sfpg migrate --no-resume).");

    public static readonly ErrorCode RunStatusNotPersisted = new(
        "SFPG4010", ErrorKind.Connection,
        "The run's final status could not be written to the status schema",
        "Check the target database is reachable; the run stays 'running' with a stale heartbeat until it is resumed or stopped with Stop-SfPgRun (sfpg stop-run).");

    public static readonly ErrorCode TableStatusNotFound = new(
        "SFPG4011", ErrorKind.ObjectNotFound,
        "The table is not recorded in this run",
        "Record the table (its status row) before its chunks, or check the run id and table name.");

    public static readonly ErrorCode StatusLegacyLayout = new(
        "SFPG4012", ErrorKind.InvalidOperation,
        "The status schema holds the older Python tool's status tables",
        "Run 'sfpg install-schema --upgrade-legacy' (Install-SfPgStatusSchema -UpgradeLegacy; add -WhatIf to see the renames first) once on this database: the older tables keep their rows as migration_status.legacy_*, and the new status tables are installed.");

    public static readonly ErrorCode StatusLegacyNamesTaken = new(
        "SFPG4013", ErrorKind.InvalidOperation,
        "The legacy names for the older tool's status tables are already taken",
        "Rename or drop the existing migration_status.legacy_* relations named in the message (an earlier upgrade's), then run the upgrade again.");
}
