using System.CommandLine;
using System.Text.Json;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Cli.Output;

/// <summary>
/// Where a verb writes: results to the invocation's configured Output, problems, log lines and progress to its Error.
/// Every verb writes through this and none touches <see cref="Console"/>, so a caller that invokes sfpg in-process
/// (a test, a host) captures everything.
/// </summary>
internal sealed class CliOutput(TextWriter output, TextWriter error, bool errorIsTerminal)
{
    public static CliOutput Of(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var invocation = parse.InvocationConfiguration;
        // A live progress line needs a real terminal; a captured or redirected writer gets plain lines.
        var terminal = ReferenceEquals(invocation.Error, Console.Error) && !Console.IsErrorRedirected;
        return new CliOutput(invocation.Output, invocation.Error, terminal);
    }

    /// <summary>Results: tables, JSON, summaries.</summary>
    public TextWriter Out => output;

    /// <summary>Problems, log lines and progress.</summary>
    public TextWriter Error => error;

    /// <summary>True when <see cref="Error"/> is the process's own terminal, which can redraw a line in place.</summary>
    public bool ErrorIsTerminal => errorIsTerminal;

    public void Line(string text) => output.WriteLine(text);

    public void Json<T>(T value, JsonSerializerOptions options) => output.WriteLine(JsonSerializer.Serialize(value, options));

    /// <summary>Prints a catalogued error with its fix on the error writer and returns <paramref name="exitCode"/>.</summary>
    public int Fail(SfPgException exception, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Problem("error", exception.Code, exception.Message, exception.RecommendedAction);
        return exitCode;
    }

    /// <summary>A catalogued warning with its fix: the command goes on or ends, but not because of bad input.</summary>
    public void Warn(ErrorCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(code);
        Problem("warning", code.Code, message, code.RecommendedAction);
    }

    /// <summary>Every problem of a config file that did not load, one line each with its JSON path, code and fix.</summary>
    public void ConfigProblems(ConfigLoadResult loaded)
    {
        foreach (var line in ConfigReport.ToLines(loaded))
        {
            error.WriteLine(line);
        }
    }

    private void Problem(string kind, string code, string message, string? fix)
    {
        error.WriteLine($"{kind} {code}: {message}");
        if (!string.IsNullOrEmpty(fix))
        {
            error.WriteLine($"  fix: {fix}");
        }
    }
}
