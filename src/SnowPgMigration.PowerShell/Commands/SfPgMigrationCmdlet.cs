using System.Data.Common;
using System.Management.Automation;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Completion;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>
/// What Start-SfPgMigration and Resume-SfPgMigration share: the config and its secrets, the run
/// limits, and how a run's outcome reaches the pipeline (runs as objects, failed tables as errors).
/// </summary>
public abstract class SfPgMigrationCmdlet : SfPgConfigCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public override string ConfigPath { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    [Parameter]
    public TimeSpan? MaxDuration { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int? ThrottleLimit { get; set; }

    /// <summary>Loads the config (terminating on any error in it) and applies the secret parameters.</summary>
    protected MigrationConfig LoadConfig() => LoadConfig(ResolvePath(ConfigPath)!, Source);

    /// <summary>Runs the migration with the engine's events drained here, terminating on an engine error.</summary>
    protected MigrationResult Migrate(MigrationConfig config, MigrationOptions options) =>
        CallEngine(config, options.ResumeRunId?.ToString() ?? options.Source ?? config.SourcePath,
            (reporter, cancellationToken) => new MigrationRunner(config, options, reporter).RunAsync(cancellationToken));

    /// <summary>Each run as an object; each table that did not complete as a non-terminating error.</summary>
    protected void WriteRuns(MigrationConfig config, MigrationResult result)
    {
        foreach (var run in result.Runs)
        {
            var connection = new SfPgConnection(StatusConnection.FromConfig(config, run.SourceName));
            var sfPgRun = SfPgRun.From(run, RecordedRun(connection, run.RunId), connection);
            foreach (var failed in FailedTables(sfPgRun))
            {
                WriteEngineError(failed, sfPgRun.Tables.First(t => t.Table == failed.Target));
            }

            WriteObject(sfPgRun);
        }
    }

    /// <summary>The run as the status schema recorded it; null when it cannot be read (the outcome stands without it).</summary>
    private RunRecord? RecordedRun(SfPgConnection connection, Guid runId)
    {
        try
        {
            return RunEngine(async (_, cancellationToken) =>
            {
                var store = StatusStore.Create(connection.Target.ConnectionString);
                await using (store.ConfigureAwait(false))
                {
                    var runs = await store.Administration.ListRunsAsync(new RunQuery { RunId = runId }, cancellationToken).ConfigureAwait(false);
                    return runs.Count == 1 ? runs[0] : null;
                }
            });
        }
        catch (Exception ex) when (ex is DbException or SfPgException)
        {
            return null;
        }
    }

    /// <summary>The catalogue errors for the tables of <paramref name="run"/> that failed or did not verify.</summary>
    internal static IEnumerable<SfPgException> FailedTables(SfPgRun run) =>
        run.Tables
            .Where(t => t.Status is "failed" or "incomplete")
            .Select(t => new SfPgException(
                (t.ErrorCode is null ? null : ErrorCatalog.Find(t.ErrorCode)) ?? ErrorCatalog.TableNotCompleted,
                $"Run {run.RunId} ({run.Source}): table {t.Table} is {t.Status}: {t.Error ?? t.Verification}",
                target: t.Table,
                recommendedAction: null));
}
