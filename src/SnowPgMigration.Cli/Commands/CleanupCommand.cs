using System.CommandLine;
using System.Globalization;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg cleanup --older-than DAYS</c>: delete old run history (Remove-SfPgRun).</summary>
internal static class CleanupCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var olderThan = new Option<double>("--older-than") { Description = "Days since a run's last heartbeat after which its history is deleted.", Required = true };
        var runId = new Option<Guid?>("--run-id") { Description = "Only this run." };
        var includeRunning = new Option<bool>("--include-running") { Description = "Delete runs still marked running too (stale ones)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would be deleted; delete nothing." };
        var command = new Command("cleanup", "Delete status history older than --older-than days; runs holding unrestored index definitions are kept.")
        {
            olderThan, runId, includeRunning, dryRun,
        };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse).Between(olderThan, 0, 36_500, "days", inclusive: true).Report())
            {
                return Task.FromResult(StatusCommandOptions.ExitBadInput);
            }

            var days = parse.GetValue(olderThan);

            var request = new Engine.Status.RunRemovalRequest
            {
                OlderThan = TimeSpan.FromDays(days),
                RunId = parse.GetValue(runId),
                Source = parse.GetValue(shared.Source),
                IncludeRunning = parse.GetValue(includeRunning),
                DryRun = parse.GetValue(dryRun),
            };
            return shared.RunAsync(
                parse,
                (store, ct) => store.Administration.RemoveRunsAsync(request, ct),
                (removed, target) =>
                {
                    Console.Out.WriteLine(string.Format(CultureInfo.InvariantCulture,
                        "{0} {1} run(s), {2} table, {3} chunk and {4} index backup row(s) in {5}.",
                        removed.DryRun ? "Would delete" : "Deleted", removed.RunsRemoved, removed.TablesRemoved, removed.ChunksRemoved, removed.IndexBackupsRemoved, target));
                    foreach (var kept in removed.KeptForIndexRestore)
                    {
                        Console.Out.WriteLine($"Kept run {kept}: it holds dropped index definitions not yet restored.");
                    }

                    foreach (var live in removed.KeptLive)
                    {
                        Console.Out.WriteLine($"Kept run {live}: it is running and its heartbeat is fresh; stop it first (sfpg stop-run).");
                    }
                },
                cancellationToken);
        });
        return command;
    }
}
