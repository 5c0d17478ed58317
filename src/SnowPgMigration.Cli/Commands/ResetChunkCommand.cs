using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg reset-chunk</c>: a chunk back to pending, attempts cleared, error kept in its history (Reset-SfPgChunk).</summary>
internal static class ResetChunkCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var runId = new Option<Guid>("--run-id") { Description = "The chunk's run.", Required = true };
        var table = new Option<string>("--table", "-t") { Description = "The chunk's table (target name).", Required = true };
        var chunkId = new Option<int>("--chunk-id") { Description = "The chunk's id.", Required = true };
        var force = new Option<bool>("--force") { Description = "Reset a completed chunk too (its rows are already in the target)." };
        var command = new Command("reset-chunk", "Put a chunk back to pending so the next resume loads it again.") { runId, table, chunkId, force };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            shared.RunAsync(
                parse,
                (store, ct) => store.Administration.ResetChunkAsync(parse.GetValue(runId), parse.GetRequiredValue(table), parse.GetValue(chunkId), parse.GetValue(force), ct),
                (reset, _, output) =>
                {
                    var c = reset.After;
                    output.Line(reset.Changed
                        ? $"Chunk {c.ChunkId} of {c.Table} (run {c.RunId}): {StatusText.ToText(reset.Before.Status)} -> {StatusText.ToText(c.Status)}."
                        : $"Chunk {c.ChunkId} of {c.Table} (run {c.RunId}) is already pending with no attempts.");
                    if (reset.RunStatusChangedTo is { } reopened)
                    {
                        output.Line($"Run {c.RunId} is {StatusText.ToText(reopened)} again; resume it to load the chunk.");
                    }
                },
                cancellationToken));
        return command;
    }
}
