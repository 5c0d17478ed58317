using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>The outcome of a migration over one or more sources, or of its dry run.</summary>
public sealed record MigrationResult
{
    public IReadOnlyList<RunResult> Runs { get; init; } = [];

    public IReadOnlyList<TableDryRun> DryRun { get; init; } = [];

    public bool IsDryRun { get; init; }

    /// <summary>True when every run completed (or, for a dry run, every table could be planned).</summary>
    public bool Succeeded => IsDryRun
        ? DryRun.All(t => t.Error is null)
        : Runs.Count > 0 && Runs.All(r => r.Status == RunStatus.Completed);
}
