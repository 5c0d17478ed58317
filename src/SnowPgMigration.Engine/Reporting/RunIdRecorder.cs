using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// Notes the ids of the runs the engine opened (its "Started / Resuming / Joined run ..." lines) as the host's log
/// lines pass by, so a host that gives up waiting for a stopped run can still name it.
/// </summary>
public sealed partial class RunIdRecorder
{
    private readonly ConcurrentQueue<Guid> _runIds = new();

    /// <summary>The runs opened so far, in order.</summary>
    public IReadOnlyList<Guid> RunIds => _runIds.Distinct().ToList();

    /// <summary>Called with every log line the host receives; it is not changed.</summary>
    public void Observe(LogEvent log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (RunOpened().Match(log.Message) is { Success: true } match && Guid.TryParse(match.Groups[1].ValueSpan, out var runId))
        {
            _runIds.Enqueue(runId);
        }
    }

    [GeneratedRegex(@"^(?:Started|Resuming|Joined) run ([0-9a-fA-F-]{36})\b", RegexOptions.CultureInvariant)]
    private static partial Regex RunOpened();
}
