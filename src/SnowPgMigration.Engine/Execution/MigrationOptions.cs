namespace SnowPgMigration.Engine.Execution;

/// <summary>What the caller asks of one migration, beyond the config file.</summary>
public sealed record MigrationOptions
{
    public static readonly TimeSpan DefaultResumeMaxAge = TimeSpan.FromHours(168);

    /// <summary>Only this source (by <c>source_name</c>); null for every enabled source.</summary>
    public string? Source { get; init; }

    /// <summary>Only this table (by target or source name); null for every enabled table.</summary>
    public string? Table { get; init; }

    /// <summary>Start a fresh run even when an unfinished one could be resumed.</summary>
    public bool NoResume { get; init; }

    /// <summary>Unfinished runs whose heartbeat is older than this are not resumed automatically.</summary>
    public TimeSpan ResumeMaxAge { get; init; } = DefaultResumeMaxAge;

    /// <summary>Resume this run, whatever its age.</summary>
    public Guid? ResumeRunId { get; init; }

    /// <summary>
    /// Resume even when the config differs from the run's, and re-plan inside the resumed run a table a
    /// newer run has loaded since (truncated again for truncate_onstart, upserted when keyed).
    /// </summary>
    public bool Force { get; init; }

    /// <summary>Join this running run as an extra process: claim its pending chunks alongside the others.</summary>
    public Guid? JoinRunId { get; init; }

    /// <summary>Stop claiming chunks when less than the deadline buffer remains of this duration.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Workers per table, overriding <c>parallel_threads</c>.</summary>
    public int? ThrottleLimit { get; init; }

    /// <summary>Keep the files of tables extracted by unload after they are verified, for audit.</summary>
    public bool KeepFiles { get; init; }

    /// <summary>Plan and report; write nothing to the target.</summary>
    public bool DryRun { get; init; }

    /// <summary>A chunk claim whose heartbeat is older than this is taken over.</summary>
    public TimeSpan StaleClaimAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often workers and the run refresh their heartbeats.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before a failed chunk is retried; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The clock of the run's deadline, heartbeats and waits. Tests pass a fake one; the staleness of runs and
    /// claims is measured by the status database's own clock, the one every process shares.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
