using System.CommandLine;
using SnowPgMigration.Cli.Output;
using System.Globalization;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg status --run-id X</c>: one run's summary (Get-SfPgRunStatus).</summary>
internal static class RunStatusCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var runId = new Option<Guid>("--run-id") { Description = "The run to summarise.", Required = true };
        var command = new Command("status", "Summarise a run: tables and chunks by status, rows, rows/s, elapsed and time left.") { runId };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            shared.RunAsync(parse, (store, ct) => store.Administration.GetRunSummaryAsync(parse.GetValue(runId), ct), (s, _, o) => Print(s, o), cancellationToken));
        return command;
    }

    internal static void Print(RunSummary s, CliOutput output)
    {
        var c = CultureInfo.InvariantCulture;
        var o = output.Out;
        o.WriteLine($"Run {s.Run.RunId} ({s.Run.SourceName}): {StatusText.ToText(s.Run.Status)}");
        o.WriteLine(string.Format(c, "  tables     {0} total: {1} completed, {2} failed, {3} incomplete, {4} pending, {5} in progress",
            s.Tables.Total, s.Tables.Completed, s.Tables.Failed, s.Tables.Incomplete, s.Tables.Pending, s.Tables.InProgress));
        o.WriteLine(string.Format(c, "  chunks     {0} total: {1} completed, {2} failed, {3} incomplete, {4} pending, {5} in progress ({6}% done)",
            s.Chunks.Total, s.Chunks.Completed, s.Chunks.Failed, s.Chunks.Incomplete, s.Chunks.Pending, s.Chunks.InProgress, s.PercentComplete?.ToString("0.0", c) ?? "-"));
        o.WriteLine($"  rows       {TextTable.Number(s.RowsCopied)} of {(s.RowsExpected is null ? "?" : TextTable.Number(s.RowsExpected))}" +
                    (s.RowsPerSecond is { } rate ? string.Format(c, ", {0:N0} rows/s", rate) : ""));
        o.WriteLine($"  elapsed    {TextTable.Duration(s.Elapsed)}{(s.EstimatedTimeLeft is { } left ? $", about {TextTable.Duration(left)} left" : "")}");
        o.WriteLine($"  heartbeat  {TextTable.Duration(s.Run.HeartbeatAge)} ago");
        if ((s.Run.Error ?? s.Run.StopReason) is { } note)
        {
            o.WriteLine($"  note       {note}");
        }
    }
}
