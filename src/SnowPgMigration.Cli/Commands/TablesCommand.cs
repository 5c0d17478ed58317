using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg tables</c>: per-table progress and verification (Get-SfPgTableStatus).</summary>
internal static class TablesCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var runId = CliOptions.RunId("Only the tables of this run.");
        var table = CliOptions.Table();
        var status = StatusCommandOptions.ProgressStatusOption("tables");
        var first = CliOptions.First("tables (newest runs first)");
        var command = new Command("tables", "List tables of runs with their chunk progress and verification result.") { runId, table, status, first };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse).Between(first, 1, 1_000_000, "tables").Report())
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var query = new TableQuery
            {
                RunId = parse.GetValue(runId),
                Table = parse.GetValue(table),
                Status = parse.GetValue(status) is { } s ? StatusText.ParseProgressStatus(s) : null,
                Limit = parse.GetValue(first),
            };
            return shared.RunAsync(parse, (store, ct) => store.Administration.ListTablesAsync(query, ct), (tables, _, output) => Print(tables, output), cancellationToken);
        });
        return command;
    }

    internal static void Print(IReadOnlyList<TableStatusRecord> tables, CliOutput output) =>
        TextTable.Write(output.Out, ["run_id", "table", "status", "load", "chunks", "rows_copied", "rows_expected", "verification"],
            tables.Select(t => new[]
            {
                t.RunId.ToString(), t.Table, StatusText.ToText(t.Status), t.LoadMethod, $"{t.Chunks.Completed}/{t.Chunks.Total}",
                TextTable.Number(t.RowsCopied), TextTable.Number(t.RowsExpected), TextTable.Short(t.Error ?? t.Verification),
            }));
}
