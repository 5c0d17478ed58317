namespace SnowPgMigration.Engine.Status;

/// <summary>The state of a table or a chunk within a run (<c>migration_table_status.status</c>, <c>migration_chunk_status.status</c>).</summary>
public enum ProgressStatus
{
    /// <summary>Planned, not started (or given back for another attempt).</summary>
    Pending,

    /// <summary>Claimed by a worker that keeps its heartbeat fresh.</summary>
    InProgress,

    /// <summary>Loaded and committed (tables: and verified).</summary>
    Completed,

    /// <summary>Gave up after its attempts; the error is recorded.</summary>
    Failed,

    /// <summary>Loaded, but the rows do not match the source: needs attention.</summary>
    Incomplete,
}
