namespace SnowPgMigration.Engine.Status;

/// <summary>The state of a migration run (<c>migration_runs.status</c>).</summary>
public enum RunStatus
{
    /// <summary>Workers are (or were, if the heartbeat is stale) copying chunks.</summary>
    Running,

    /// <summary>Every table completed and verified.</summary>
    Completed,

    /// <summary>The run ended; some tables failed or are incomplete, the others completed.</summary>
    CompletedWithErrors,

    /// <summary>A deadline stopped the run before every chunk was done; it resumes.</summary>
    Partial,

    /// <summary>The run could not go on (no table completed, or a run-level error).</summary>
    Failed,

    /// <summary>Stopped by a user or an administrator; it resumes.</summary>
    Cancelled,
}
