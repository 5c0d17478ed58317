using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// The migration: for each enabled source, a run in its target database that plans (or resumes)
/// every table and copies its chunks with parallel workers. The run's status is persisted on every
/// path - completed, failed, deadline, cancellation (invariant 3). This class picks the sources and
/// tables; <see cref="RunLifecycle"/> runs each source, <see cref="TableLoop"/> its tables, and
/// <see cref="MigrationDryRun"/> plans without writing.
/// </summary>
public sealed class MigrationRunner(
    MigrationConfig config,
    MigrationOptions options,
    IEngineReporter reporter,
    SnowflakeClientOptions? snowflakeOptions = null)
{
    private int _activityIds;

    public async Task<MigrationResult> RunAsync(CancellationToken cancellationToken)
    {
        var sources = SelectSources();
        // The client's retries and back-off waits go down the one reporting path unless the caller logs them itself.
        var clientOptions = snowflakeOptions ?? new SnowflakeClientOptions();
        using var client = SnowflakeClient.Create(config.Snowflake, clientOptions with { Logger = clientOptions.Logger ?? reporter.SnowflakeLogger() });
        if (options.DryRun)
        {
            var dryRun = new MigrationDryRun(config, reporter);
            var plans = new List<TableDryRun>();
            foreach (var source in sources)
            {
                plans.AddRange(await dryRun.PlanAsync(client, source, SelectTables(source), cancellationToken).ConfigureAwait(false));
            }

            return new MigrationResult { IsDryRun = true, DryRun = plans };
        }

        var buffer = TimeSpan.FromSeconds(config.DeadlineBufferSeconds);
        if (options.MaxDuration is { } maxDuration && maxDuration <= buffer)
        {
            throw new SfPgException(
                ErrorCatalog.DeadlineShorterThanBuffer,
                $"A maximum duration of {maxDuration.TotalSeconds:N0} s leaves no time to claim a chunk: claiming stops deadline_buffer_seconds " +
                $"({buffer.TotalSeconds:N0} s) before the end. Nothing was started or changed.",
                target: "max-duration",
                recommendedAction: null);
        }

        if ((options.ResumeRunId ?? options.JoinRunId) is { } runId && options.Source is null)
        {
            sources = await SourcesOwningRunAsync(runId, sources, cancellationToken).ConfigureAwait(false);
        }

        // Activity ids stay unique across every source's tables, so progress bars never share one.
        var lifecycle = new RunLifecycle(config, options, reporter, () => Interlocked.Increment(ref _activityIds));
        var runs = new List<RunResult>();
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            runs.Add(await lifecycle.RunSourceAsync(client, source, SelectTables(source), cancellationToken).ConfigureAwait(false));
        }

        return new MigrationResult { Runs = runs };
    }

    private List<SourceConfig> SelectSources()
    {
        var sources = TableSelection.Select(config, options.Source, options.Table).Select(s => s.Source).ToList();
        if (sources.Count == 0)
        {
            throw new SfPgException(ErrorCatalog.NothingToMigrate, $"Nothing to migrate: {TableSelection.NothingSelected(config, options.Source, options.Table)}.");
        }

        return sources;
    }

    /// <summary>A run id names one source's run: find which, so resuming by id needs no --source.</summary>
    private async Task<List<SourceConfig>> SourcesOwningRunAsync(Guid runId, List<SourceConfig> sources, CancellationToken cancellationToken)
    {
        foreach (var database in sources.Select(s => s.TargetPgDatabase).Distinct(StringComparer.Ordinal))
        {
            var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, database), reporter.LoggerFactory);
            await using (dataSource.ConfigureAwait(false))
            {
                if (!await StatusSchema.IsInstalledAsync(dataSource, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var run = await new StatusStore(dataSource).Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
                if (run is not null)
                {
                    return sources.Where(s => s.TargetPgDatabase == database && s.SourceName == run.SourceName).ToList();
                }
            }
        }

        throw new SfPgException(
            ErrorCatalog.RunNotFound,
            $"No run {runId} in the migration_status schema of database(s) {string.Join(", ", sources.Select(s => s.TargetPgDatabase).Distinct())}.",
            target: runId.ToString(),
            recommendedAction: "List the runs with 'sfpg runs' (Get-SfPgRun) and check the id, or name the source with --source.");
    }

    private IReadOnlyList<TableConfig> SelectTables(SourceConfig source) => TableSelection.TablesOf(source, options.Table);
}
