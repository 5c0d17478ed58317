using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg chunks</c>: chunks by run, table, status or stale claim (Get-SfPgChunk).</summary>
internal static class ChunksCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var runId = CliOptions.RunId("Only chunks of this run.");
        var table = CliOptions.Table("Only chunks of this table (target or source name).");
        var status = StatusCommandOptions.ProgressStatusOption("chunks");
        var stale = new Option<bool>("--stale") { Description = "Only in-progress chunks whose claim heartbeat is older than --stale-after." };
        var staleAfter = new DurationOption(
            "--stale-after", "How long without a heartbeat before a claim is stale.", DurationUnit.Minutes, TimeSpan.Zero, TimeSpan.FromDays(7), defaultValue: TimeSpan.FromMinutes(2));
        var first = CliOptions.First("chunks");
        var command = new Command("chunks", "List chunks with their status, attempts, rows and last error.") { runId, table, status, stale, staleAfter.Option, first };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse).Between(first, 1, 1_000_000, "chunks").Duration(staleAfter, out var staleAfterValue).Report())
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var query = new ChunkQuery
            {
                RunId = parse.GetValue(runId),
                Table = parse.GetValue(table),
                Status = parse.GetValue(status) is { } s ? StatusText.ParseProgressStatus(s) : null,
                StaleAfter = parse.GetValue(stale) ? staleAfterValue : null,
                Limit = parse.GetValue(first),
            };
            return shared.RunAsync(parse, (store, ct) => store.Administration.ListChunksAsync(query, ct), (chunks, _, o) => Print(chunks, o), cancellationToken);
        });
        return command;
    }

    internal static void Print(IReadOnlyList<ChunkRecord> chunks, CliOutput output) =>
        TextTable.Write(output.Out, ["run_id", "table", "chunk", "status", "attempts", "rows", "worker", "error"],
            chunks.Select(c => new[]
            {
                c.RunId.ToString(), c.Table, c.ChunkId.ToString(System.Globalization.CultureInfo.InvariantCulture), StatusText.ToText(c.Status),
                c.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{TextTable.Number(c.RowsCopied)}/{TextTable.Number(c.ExpectedRows)}",
                c.WorkerId, TextTable.Short(c.Error),
            }));
}
