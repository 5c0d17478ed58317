using System.CommandLine;
using SnowPgMigration.Cli.Output;
using System.Globalization;
using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg cleanup --older-than 30d</c>: delete old run history (Remove-SfPgRun).</summary>
internal static class CleanupCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var olderThan = new DurationOption(
            "--older-than", "How long since a run's last heartbeat before its history is deleted.", DurationUnit.Days,
            TimeSpan.Zero, TimeSpan.FromDays(36_500), minInclusive: true, required: true);
        var runId = CliOptions.RunId("Only this run.");
        var includeRunning = new Option<bool>("--include-running") { Description = "Delete runs still marked running too (stale ones)." };
        var dryRun = CliOptions.DryRun("Count what would be deleted; delete nothing.");
        var command = new Command("cleanup", "Delete status history older than --older-than; runs holding unrestored index definitions are kept.")
        {
            olderThan.Option, runId, includeRunning, dryRun,
        };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse).Duration(olderThan, out var age).Report() || age is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var request = new Engine.Status.RunRemovalRequest
            {
                OlderThan = age.Value,
                RunId = parse.GetValue(runId),
                Source = parse.GetValue(shared.Source),
                IncludeRunning = parse.GetValue(includeRunning),
                DryRun = parse.GetValue(dryRun),
            };
            return shared.RunAsync(
                parse,
                (store, ct) => store.Administration.RemoveRunsAsync(request, ct),
                (removed, target, output) =>
                {
                    output.Line(string.Format(CultureInfo.InvariantCulture,
                        "{0} {1} run(s), {2} table, {3} chunk and {4} index backup row(s) in {5}.",
                        removed.DryRun ? "Would delete" : "Deleted", removed.RunsRemoved, removed.TablesRemoved, removed.ChunksRemoved, removed.IndexBackupsRemoved, target));
                    foreach (var kept in removed.KeptForIndexRestore)
                    {
                        output.Line($"Kept run {kept}: it holds dropped index definitions not yet restored.");
                    }

                    foreach (var live in removed.KeptLive)
                    {
                        output.Line($"Kept run {live}: it is running and its heartbeat is fresh; stop it first (sfpg stop-run).");
                    }
                },
                cancellationToken);
        });
        return command;
    }
}
