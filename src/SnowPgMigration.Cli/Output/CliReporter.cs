using System.Collections.Concurrent;
using System.Globalization;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.Cli.Output;

/// <summary>
/// The CLI's end of the engine's two channels, both on the error writer (the output writer stays for results).
/// Text: timestamped log lines and, on a terminal, a live progress line per table redrawn in place (elsewhere a progress
/// line every few seconds). JSON: one object per line for log lines and for those same progress lines.
/// </summary>
internal sealed class CliReporter
{
    private static readonly TimeSpan PlainProgressEvery = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly CliOutput _output;
    private readonly LogFormat _format;
    private readonly bool _live;
    private readonly ConcurrentDictionary<int, DateTimeOffset> _lastPlainProgress = new();
    private string? _liveLine;

    public CliReporter(CliOutput output, bool verbose, LogFormat format, TimeProvider? clock = null)
    {
        _output = output;
        _format = format;
        _live = format == LogFormat.Text && output.ErrorIsTerminal;
        Reporter = EngineReporter.Create(Log, Progress, verbose ? EngineLogLevel.Verbose : EngineLogLevel.Information, clock);
    }

    /// <summary>What the engine reports to.</summary>
    public IEngineReporter Reporter { get; }

    /// <summary>The runs the engine opened, for a message that has to name them after a stop.</summary>
    public RunIdRecorder Runs { get; } = new();

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

    private void Log(LogEvent log)
    {
        Runs.Observe(log);
        if (_format == LogFormat.Json)
        {
            WriteLine(JsonLogLine.Of(log));
            return;
        }

        var prefix = log.Level switch
        {
            EngineLogLevel.Error => "ERROR: ",
            EngineLogLevel.Warning => "WARNING: ",
            _ => "",
        };
        WriteLine($"{log.At.ToLocalTime():HH:mm:ss} {prefix}{log.Message}");
    }

    private void Progress(ProgressEvent progress)
    {
        if (_live)
        {
            Redraw(progress);
            return;
        }

        var last = _lastPlainProgress.GetOrAdd(progress.ActivityId, DateTimeOffset.MinValue);
        if (progress.Completed || progress.At - last >= PlainProgressEvery)
        {
            _lastPlainProgress[progress.ActivityId] = progress.At;
            WriteLine(_format == LogFormat.Json
                ? JsonLogLine.Of(progress, ProgressText(progress))
                : $"{progress.At.ToLocalTime():HH:mm:ss} {ProgressText(progress)}");
        }
    }

    private void Redraw(ProgressEvent progress)
    {
        var text = ProgressText(progress);
        lock (_gate)
        {
            _liveLine = progress.Completed ? null : text;
            var width = Math.Max(20, TerminalWidth() - 1);
            _output.Error.Write("\r" + (text.Length > width ? text[..width] : text.PadRight(width)));
            if (progress.Completed)
            {
                _output.Error.WriteLine();
            }
        }
    }

    private void WriteLine(string line)
    {
        lock (_gate)
        {
            if (_live && _liveLine is not null)
            {
                _output.Error.Write("\r" + new string(' ', Math.Max(20, TerminalWidth() - 1)) + "\r");
            }

            _output.Error.WriteLine(line);
            if (_live && _liveLine is not null)
            {
                _output.Error.Write(_liveLine);
            }
        }
    }

    /// <summary>Only read when the error writer is the terminal itself.</summary>
    private static int TerminalWidth()
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
