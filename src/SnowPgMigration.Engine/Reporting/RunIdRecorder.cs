using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// Passes every event on and notes the ids of the runs the engine opened (its "Started / Resuming / Joined
/// run ..." lines), so a host that gives up waiting for a stopped run can still name it.
/// </summary>
public sealed partial class RunIdRecorder(IEngineReporter inner) : IEngineReporter
{
    private readonly ConcurrentQueue<Guid> _runIds = new();

    /// <summary>The runs opened so far, in order.</summary>
    public IReadOnlyList<Guid> RunIds => _runIds.Distinct().ToList();

    public void Report(EngineEvent engineEvent)
    {
        if (engineEvent is LogEvent log && RunOpened().Match(log.Message) is { Success: true } match
            && Guid.TryParse(match.Groups[1].ValueSpan, out var runId))
        {
            _runIds.Enqueue(runId);
        }

        inner.Report(engineEvent);
    }

    [GeneratedRegex(@"^(?:Started|Resuming|Joined) run ([0-9a-fA-F-]{36})\b", RegexOptions.CultureInvariant)]
    private static partial Regex RunOpened();
}
