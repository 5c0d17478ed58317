using System.CommandLine;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// An option that takes a duration (<c>30m</c>, <c>12h</c>, <c>7d</c>), read by the engine's one parser; a bare number
/// keeps the option's older unit, which the help names. Read before anything connects, like <see cref="NumberRanges"/>.
/// </summary>
internal sealed class DurationOption
{
    private readonly DurationUnit _bareNumberUnit;
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly bool _minInclusive;

    /// <param name="min">The least value; exclusive unless <paramref name="minInclusive"/>.</param>
    public DurationOption(string name, string description, DurationUnit bareNumberUnit, TimeSpan min, TimeSpan max, bool minInclusive = false, TimeSpan? defaultValue = null, bool required = false)
    {
        _bareNumberUnit = bareNumberUnit;
        _min = min;
        _max = max;
        _minInclusive = minInclusive;
        Option = new Option<string?>(name)
        {
            Description = $"{description} Written like 30m, 12h or 7d; a bare number is {bareNumberUnit.ToString().ToLowerInvariant()}.",
            HelpName = "duration",
            Required = required,
        };
        if (defaultValue is { } value)
        {
            Option.DefaultValueFactory = _ => Duration.Format(value);
        }
    }

    public Option<string?> Option { get; }

    /// <summary>The value, or null when neither given nor defaulted.</summary>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.DurationInvalid"/> for text that is no duration, <see cref="ErrorCatalog.CliNumberOutOfRange"/> for one out of range.
    /// </exception>
    public TimeSpan? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Option) is not { } text)
        {
            return null;
        }

        var value = Duration.Parse(text, Option.Name, _bareNumberUnit);
        var aboveMin = _minInclusive ? value >= _min : value > _min;
        if (!aboveMin || value > _max)
        {
            var range = _minInclusive
                ? $"between {Duration.Format(_min)} and {Duration.Format(_max)}"
                : $"more than {Duration.Format(_min)} and at most {Duration.Format(_max)}";
            throw new SfPgException(ErrorCatalog.CliNumberOutOfRange, $"{Option.Name} is {text}; it must be {range}.", target: Option.Name, recommendedAction: null);
        }

        return value;
    }
}
