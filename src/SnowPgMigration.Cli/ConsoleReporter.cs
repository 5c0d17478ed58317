using System.Collections.Concurrent;
using System.Globalization;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.Cli;

/// <summary>
/// Renders engine events on stderr (stdout stays for results): on a terminal a live progress line
/// per table, redrawn in place; otherwise plain timestamped lines, progress every few seconds.
/// </summary>
internal sealed class ConsoleReporter(bool verbose) : IEngineReporter
{
    private static readonly TimeSpan PlainProgressEvery = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly bool _live = !Console.IsErrorRedirected;
    private readonly ConcurrentDictionary<int, DateTimeOffset> _lastPlainProgress = new();
    private string? _liveLine;

    public void Report(EngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case LogEvent { Level: EngineLogLevel.Debug }:
                return;
            case LogEvent { Level: EngineLogLevel.Verbose } when !verbose:
                return;
            case LogEvent log:
                WriteLine(log.Level == EngineLogLevel.Warning ? "WARNING: " + log.Message : log.Message, log.At);
                return;
            case ProgressEvent progress:
                Progress(progress);
                return;
        }
    }

    private void Progress(ProgressEvent progress)
    {
        var text = ProgressText(progress);
        if (_live)
        {
            lock (_gate)
            {
                _liveLine = progress.Completed ? null : text;
                var width = Math.Max(20, SafeWidth() - 1);
                Console.Error.Write("\r" + (text.Length > width ? text[..width] : text.PadRight(width)));
                if (progress.Completed)
                {
                    Console.Error.WriteLine();
                }
            }

            return;
        }

        var last = _lastPlainProgress.GetOrAdd(progress.ActivityId, DateTimeOffset.MinValue);
        if (progress.Completed || progress.At - last >= PlainProgressEvery)
        {
            _lastPlainProgress[progress.ActivityId] = progress.At;
            WriteLine(text, progress.At);
        }
    }

    internal static string ProgressText(ProgressEvent progress)
    {
        var culture = CultureInfo.InvariantCulture;
        var rows = progress.RowsExpected is { } expected
            ? string.Format(culture, "{0:N0}/{1:N0} rows", progress.RowsDone, expected)
            : string.Format(culture, "{0:N0} rows", progress.RowsDone);
        var percent = progress.PercentComplete is { } p ? string.Format(culture, " {0,3}%", p) : "";
        var rate = progress.RowsPerSecond is { } r ? string.Format(culture, " {0:N0} rows/s", r) : "";
        var done = progress.Completed ? " done" : "";
        return $"{progress.Activity} [{progress.Status}]{percent} {rows}{rate}{done}";
    }

    private void WriteLine(string message, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_live && _liveLine is not null)
            {
                Console.Error.Write("\r" + new string(' ', Math.Max(20, SafeWidth() - 1)) + "\r");
            }

            Console.Error.WriteLine($"{at.ToLocalTime():HH:mm:ss} {message}");
            if (_live && _liveLine is not null)
            {
                Console.Error.Write(_liveLine);
            }
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
