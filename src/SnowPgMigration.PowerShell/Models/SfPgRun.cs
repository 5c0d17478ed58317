using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>
/// A migration run (a row of <c>migration_runs</c>), or the outcome of one that Start-SfPgMigration or
/// Resume-SfPgMigration just ran, then with its <see cref="Tables"/>. <see cref="RunId"/>,
/// <see cref="Source"/> and <see cref="Connection"/> bind by property name to the other cmdlets.
/// </summary>
public sealed class SfPgRun
{
    private SfPgRun()
    {
    }

    public Guid RunId { get; private init; }

    /// <summary>The config's <c>source_name</c>.</summary>
    public string Source { get; private init; } = "";

    /// <summary>running, completed, completed_with_errors, partial, failed or cancelled.</summary>
    public string Status { get; private init; } = "";

    public DateTimeOffset? StartedAt { get; private init; }

    public DateTimeOffset? CompletedAt { get; private init; }

    public DateTimeOffset? HeartbeatAt { get; private init; }

    /// <summary>How long ago the heartbeat was when the run was read; a long one on a running run means stale.</summary>
    public TimeSpan? HeartbeatAge { get; private init; }

    /// <summary>From start to completion (or to the read, while running); for a run just executed, this process's time.</summary>
    public TimeSpan? Elapsed { get; private init; }

    public int TablesTotal { get; private init; }

    public int TablesCompleted { get; private init; }

    public int TablesFailed { get; private init; }

    public long? RowsExpected { get; private init; }

    public long RowsCopied { get; private init; }

    public string? HostName { get; private init; }

    public int? ProcessId { get; private init; }

    public string? ToolVersion { get; private init; }

    public string? ConfigHash { get; private init; }

    public string? Error { get; private init; }

    /// <summary>Why an administrator stopped or force-completed the run.</summary>
    public string? StopReason { get; private init; }

    /// <summary>True when this process resumed an unfinished run (Start/Resume-SfPgMigration only).</summary>
    public bool Resumed { get; private init; }

    /// <summary>Per-table outcomes of a run just executed; empty for runs read from the status schema.</summary>
    public IReadOnlyList<SfPgTableResult> Tables { get; private init; } = [];

    /// <summary>The status database the run lives in.</summary>
    public SfPgConnection? Connection { get; private init; }

    /// <summary>
    /// True for a run of the older Python tool (Get-SfPgRun -IncludeLegacy), read from its kept status tables:
    /// shown for its history, never resumed, stopped or removed.
    /// </summary>
    public bool Legacy { get; private init; }

    internal static SfPgRun From(LegacyRunRecord run, SfPgConnection? connection) => new()
    {
        RunId = run.RunId,
        Source = run.Sources,
        Status = run.Status,
        StartedAt = run.StartedAt,
        CompletedAt = run.CompletedAt,
        Elapsed = run.CompletedAt - run.StartedAt,
        TablesTotal = run.TablesTotal,
        TablesCompleted = run.TablesCompleted,
        TablesFailed = run.TablesFailed,
        RowsCopied = run.RowsCopied,
        ToolVersion = "older Python tool (" + run.ReadFrom + ")",
        Error = run.Error,
        Connection = connection,
        Legacy = true,
    };

    internal static SfPgRun From(RunRecord run, SfPgConnection? connection) => From(run, summary: null, connection);

    /// <summary>A run that is still going: its tables and rows counted from its table and chunk status.</summary>
    internal static SfPgRun From(RunSummary summary, SfPgConnection? connection) => From(summary.Run, summary, connection);

    internal static SfPgRun From(RunResult run, SfPgConnection? connection) => From(run, recorded: null, connection);

    /// <summary>A run just executed, with what the status schema recorded of it (completion, host, config hash) when that could be read.</summary>
    internal static SfPgRun From(RunResult run, RunRecord? recorded, SfPgConnection? connection) => new()
    {
        RunId = run.RunId,
        Source = run.SourceName,
        Status = StatusText.ToText(run.Status),
        StartedAt = recorded?.StartedAt ?? run.StartedAt,
        CompletedAt = recorded?.CompletedAt,
        HeartbeatAt = recorded?.HeartbeatAt,
        HeartbeatAge = recorded?.HeartbeatAge,
        Elapsed = run.Elapsed,
        TablesTotal = run.Tables.Count,
        TablesCompleted = run.Tables.Count(t => t.Status == ProgressStatus.Completed),
        TablesFailed = run.Tables.Count(t => t.Status is ProgressStatus.Failed or ProgressStatus.Incomplete),
        RowsExpected = run.Tables.Sum(t => t.RowsExpected),
        RowsCopied = run.Tables.Sum(t => t.RowsCopied),
        HostName = recorded?.HostName,
        ProcessId = recorded?.ProcessId,
        ToolVersion = recorded?.ToolVersion,
        ConfigHash = recorded?.ConfigHash,
        Error = run.Error,
        StopReason = recorded?.StopReason,
        Resumed = run.Resumed,
        Tables = run.Tables.Select(t => SfPgTableResult.From(run.RunId, t)).ToArray(),
        Connection = connection,
    };

    /// <summary>A run as recorded; with <paramref name="summary"/>, its tables and rows as they stand now.</summary>
    private static SfPgRun From(RunRecord run, RunSummary? summary, SfPgConnection? connection) => new()
    {
        RunId = run.RunId,
        Source = run.SourceName,
        Status = StatusText.ToText(run.Status),
        StartedAt = run.StartedAt,
        CompletedAt = run.CompletedAt,
        HeartbeatAt = run.HeartbeatAt,
        HeartbeatAge = run.HeartbeatAge,
        Elapsed = summary is null ? (run.CompletedAt ?? run.HeartbeatAt) - run.StartedAt : summary.Elapsed,
        TablesTotal = summary is null ? run.TablesTotal : summary.Tables.Total,
        TablesCompleted = summary is null ? run.TablesCompleted : summary.Tables.Completed,
        TablesFailed = summary is null ? run.TablesFailed : summary.Tables.Failed + summary.Tables.Incomplete,
        RowsExpected = summary is null ? run.RowsExpected : summary.RowsExpected,
        RowsCopied = summary is null ? run.RowsCopied : summary.RowsCopied,
        HostName = run.HostName,
        ProcessId = run.ProcessId,
        ToolVersion = run.ToolVersion,
        ConfigHash = run.ConfigHash,
        Error = run.Error,
        StopReason = run.StopReason,
        Connection = connection,
    };
}
