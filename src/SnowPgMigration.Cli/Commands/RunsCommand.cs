using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg runs</c>: runs of the status schema, newest first (Get-SfPgRun).</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var runId = CliOptions.RunId("Only this run.");
        var status = StatusCommandOptions.RunStatusOption();
        var last = new Option<int?>("--last") { Description = "Only the newest N runs." };
        var stale = new Option<bool>("--stale") { Description = "Only runs marked running whose owner is gone: its process ended on this host, or no heartbeat for --stale-after." };
        var staleAfter = new DurationOption(
            "--stale-after", "How long without a heartbeat before a running run's owner counts as gone.", DurationUnit.Minutes,
            TimeSpan.Zero, TimeSpan.FromDays(7), defaultValue: RunLiveness.DefaultStaleAfter);
        var includeLegacy = new Option<bool>("--include-legacy")
        {
            Description = "Also list the older Python tool's runs, read-only, from the status tables 'install-schema --upgrade-legacy' kept.",
        };
        var command = new Command("runs", "List migration runs, newest first.") { runId, status, last, stale, staleAfter.Option, includeLegacy };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse).Between(last, 1, 1_000_000, "runs").Duration(staleAfter, out var staleAfterValue).Report())
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var query = new RunQuery
            {
                RunId = parse.GetValue(runId),
                Source = parse.GetValue(shared.Source),
                Status = parse.GetValue(status) is { } s ? StatusText.ParseRunStatus(s) : null,
                Last = parse.GetValue(last),
                StaleAfter = parse.GetValue(stale) ? staleAfterValue : null,
            };
            if (parse.GetValue(includeLegacy))
            {
                return shared.RunAsync(parse, (store, ct) => ListWithLegacyAsync(store, query, ct), (runs, _, o) => Print(runs, o), cancellationToken);
            }

            return shared.RunAsync(parse, (store, ct) => store.Administration.ListRunsAsync(query, ct), (runs, _, o) => Print(runs, o), cancellationToken);
        });
        return command;
    }

    private static async Task<RunsWithLegacy> ListWithLegacyAsync(StatusStore store, RunQuery query, CancellationToken cancellationToken) =>
        new(await store.Administration.ListRunsAsync(query, cancellationToken), await LegacyRunHistory.ListAsync(store, query, cancellationToken));

    private static void Print(RunsWithLegacy runs, CliOutput output)
    {
        Print(runs.Runs, output);
        output.Line("");
        output.Line(runs.Legacy.Count == 0
            ? "No runs of the older Python tool."
            : $"Runs of the older Python tool (read-only, from {runs.Legacy[0].ReadFrom}):");
        TextTable.Write(output.Out, ["run_id", "source", "status", "started", "completed", "tables", "rows_copied", "error"],
            runs.Legacy.Select(r => new[]
            {
                r.RunIdText, r.Sources, r.Status, TextTable.Time(r.StartedAt), TextTable.Time(r.CompletedAt),
                $"{r.TablesCompleted}/{r.TablesTotal}", TextTable.Number(r.RowsCopied), TextTable.Short(r.Error),
            }));
    }

    /// <summary>Our runs and the older tool's; serialised as <c>{ "runs": [...], "legacy": [...] }</c> with --json.</summary>
    private sealed record RunsWithLegacy(IReadOnlyList<RunRecord> Runs, IReadOnlyList<LegacyRunRecord> Legacy);

    internal static void Print(IReadOnlyList<RunRecord> runs, CliOutput output) =>
        TextTable.Write(output.Out, ["run_id", "source", "status", "started", "heartbeat_age", "tables", "rows_copied", "error"],
            runs.Select(r => new[]
            {
                r.RunId.ToString(), r.SourceName, StatusText.ToText(r.Status) + (r.OwnerGone ? " (owner gone)" : ""), TextTable.Time(r.StartedAt), TextTable.Duration(r.HeartbeatAge),
                $"{r.TablesCompleted}/{r.TablesTotal}", TextTable.Number(r.RowsCopied), TextTable.Short(r.Error ?? r.StopReason),
            }));
}
