using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg stop-run</c>: mark a stuck run cancelled, or force-complete one whose chunks are all done (Stop-SfPgRun).</summary>
internal static class StopRunCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var runId = new Option<Guid>("--run-id") { Description = "The run to stop.", Required = true };
        var complete = new Option<bool>("--complete") { Description = "Mark it completed instead (only when every chunk is completed)." };
        var reason = new Option<string?>("--reason") { Description = "Why, recorded with the run." };
        var command = new Command("stop-run", "Mark a run cancelled (resumable) or, with --complete, completed; the reason is recorded.") { runId, complete, reason };
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            shared.RunAsync(
                parse,
                (store, ct) => store.Administration.StopRunAsync(parse.GetValue(runId), parse.GetValue(reason),
                    parse.GetValue(complete) ? RunStopMode.ForceComplete : RunStopMode.Cancel, ct),
                (stopped, _, output) => output.Line(stopped.Changed
                    ? $"Run {stopped.Run.RunId}: {StatusText.ToText(stopped.PreviousStatus)} -> {StatusText.ToText(stopped.Run.Status)} ({stopped.Run.StopReason})."
                    : $"Run {stopped.Run.RunId} was already {StatusText.ToText(stopped.Run.Status)}."),
                cancellationToken));
        return command;
    }
}
