using System.CommandLine;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg chunks</c>: chunks by run, table, status or stale claim (Get-SfPgChunk).</summary>
internal static class ChunksCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var runId = new Option<Guid?>("--run-id") { Description = "Only chunks of this run." };
        var table = new Option<string?>("--table", "-t") { Description = "Only chunks of this table (target or source name)." };
        var status = StatusCommandOptions.ProgressStatusOption("chunks");
        var stale = new Option<bool>("--stale") { Description = "Only in-progress chunks whose claim heartbeat is older than --stale-after." };
        var staleAfter = new Option<double>("--stale-after") { Description = "Minutes without a heartbeat after which a claim is stale.", DefaultValueFactory = _ => 2 };
        var first = new Option<int?>("--first") { Description = "At most N chunks." };
        var command = new Command("chunks", "List chunks with their status, attempts, rows and last error.") { runId, table, status, stale, staleAfter, first };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse).Between(first, 1, 1_000_000, "chunks").Between(staleAfter, 0, 10_080, "minutes").Report())
            {
                return Task.FromResult(StatusCommandOptions.ExitBadInput);
            }

            var query = new ChunkQuery
            {
                RunId = parse.GetValue(runId),
                Table = parse.GetValue(table),
                Status = parse.GetValue(status) is { } s ? StatusText.ParseProgressStatus(s) : null,
                StaleAfter = parse.GetValue(stale) ? TimeSpan.FromMinutes(parse.GetValue(staleAfter)) : null,
                Limit = parse.GetValue(first),
            };
            return shared.RunAsync(parse, (store, ct) => store.Administration.ListChunksAsync(query, ct), (chunks, _) => Print(chunks), cancellationToken);
        });
        return command;
    }

    internal static void Print(IReadOnlyList<ChunkRecord> chunks) =>
        TextTable.Write(Console.Out, ["run_id", "table", "chunk", "status", "attempts", "rows", "worker", "error"],
            chunks.Select(c => new[]
            {
                c.RunId.ToString(), c.Table, c.ChunkId.ToString(System.Globalization.CultureInfo.InvariantCulture), StatusText.ToText(c.Status),
                c.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{TextTable.Number(c.RowsCopied)}/{TextTable.Number(c.ExpectedRows)}",
                c.WorkerId, TextTable.Short(c.Error),
            }));
}
