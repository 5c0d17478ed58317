using System.CommandLine;
using System.Globalization;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// Range checks of numeric and duration options, done before anything connects: a number out of range is refused with
/// its option, the limits and the unit (SFPG1051), a duration that cannot be read with its value (SFPG4600), rather than
/// exhausting a server or silently meaning the default.
/// </summary>
internal sealed class NumberRanges(ParseResult parse)
{
    private readonly List<string> _problems = [];
    private readonly List<SfPgException> _unreadable = [];

    /// <summary>The duration's value (null when neither given nor defaulted), or a problem noted for <see cref="Report"/>.</summary>
    public NumberRanges Duration(DurationOption option, out TimeSpan? value)
    {
        ArgumentNullException.ThrowIfNull(option);
        value = null;
        try
        {
            value = option.Read(parse);
        }
        catch (SfPgException ex) when (ex.Error == ErrorCatalog.CliNumberOutOfRange)
        {
            _problems.Add(ex.Message);
        }
        catch (SfPgException ex)
        {
            _unreadable.Add(ex);
        }

        return this;
    }

    public NumberRanges Between(Option<int?> option, int min, int max, string unit)
    {
        if (parse.GetResult(option) is not null && parse.GetValue(option) is { } value && (value < min || value > max))
        {
            _problems.Add(Text(option, value.ToString(CultureInfo.InvariantCulture), $"between {min} and {max} {unit}"));
        }

        return this;
    }

    public NumberRanges Between(Option<int> option, int min, int max, string unit)
    {
        if (parse.GetResult(option) is null)
        {
            return this;
        }

        var value = parse.GetValue(option);
        if (value < min || value > max)
        {
            _problems.Add(Text(option, value.ToString(CultureInfo.InvariantCulture), $"between {min} and {max} {unit}"));
        }

        return this;
    }

    /// <summary>A finite number above <paramref name="above"/> (exclusive) or from <paramref name="above"/> (inclusive), up to <paramref name="max"/>.</summary>
    public NumberRanges Between(Option<double?> option, double above, double max, string unit, bool inclusive = false)
    {
        if (parse.GetValue(option) is { } value)
        {
            Check(option, value, above, max, unit, inclusive);
        }

        return this;
    }

    public NumberRanges Between(Option<double> option, double above, double max, string unit, bool inclusive = false)
    {
        if (parse.GetResult(option) is null)
        {
            return this;
        }

        Check(option, parse.GetValue(option), above, max, unit, inclusive);
        return this;
    }

    /// <summary>Writes every problem to the invocation's error writer; true when there was none.</summary>
    public bool Report()
    {
        var output = CliOutput.Of(parse);
        foreach (var unreadable in _unreadable)
        {
            output.Fail(unreadable, ExitCodes.BadInput);
        }

        foreach (var problem in _problems)
        {
            output.Error.WriteLine($"error {ErrorCatalog.CliNumberOutOfRange.Code}: {problem}");
        }

        if (_problems.Count > 0)
        {
            output.Error.WriteLine($"  fix: {ErrorCatalog.CliNumberOutOfRange.RecommendedAction}");
        }

        return _problems.Count == 0 && _unreadable.Count == 0;
    }

    private void Check(Option option, double value, double above, double max, string unit, bool inclusive)
    {
        var low = inclusive ? value >= above : value > above;
        if (!double.IsFinite(value) || !low || value > max)
        {
            var range = inclusive ? $"between {Number(above)} and {Number(max)} {unit}" : $"more than {Number(above)} and at most {Number(max)} {unit}";
            _problems.Add(Text(option, Number(value), range));
        }
    }

    private static string Text(Option option, string value, string range) => $"{option.Name} is {value}; it must be {range}.";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
