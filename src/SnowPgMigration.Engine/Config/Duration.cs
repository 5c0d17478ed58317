using System.Globalization;
using System.Text;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Durations as people write them: <c>45s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, or parts together (<c>1h30m</c>).
/// A bare number keeps its older meaning, in the unit its option or key has always used (minutes, hours, days).
/// The one parser and writer for every option and key that takes a duration.
/// </summary>
public static class Duration
{
    private static readonly (char Suffix, TimeSpan Unit)[] Units =
    [
        ('d', TimeSpan.FromDays(1)),
        ('h', TimeSpan.FromHours(1)),
        ('m', TimeSpan.FromMinutes(1)),
        ('s', TimeSpan.FromSeconds(1)),
    ];

    /// <summary>Reads <paramref name="text"/>; a bare number counts in <paramref name="bareNumberUnit"/>.</summary>
    /// <param name="name">What the value was given for (an option like <c>--max-duration</c>, a config key), named in the error.</param>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.DurationInvalid"/>, naming <paramref name="name"/> and the value.</exception>
    public static TimeSpan Parse(string? text, string name, DurationUnit bareNumberUnit)
    {
        if (TryParse(text, bareNumberUnit, out var value))
        {
            return value;
        }

        throw new SfPgException(
            ErrorCatalog.DurationInvalid,
            $"{name} is '{text}', which is not a duration; write it like 30m, 12h or 7d, or as a number of {bareNumberUnit.ToString().ToLowerInvariant()}.",
            target: name,
            recommendedAction: null);
    }

    /// <summary>
    /// False for empty, non-finite or unreadable text, and for a unit given twice or out of order. A leading minus
    /// is read, so a caller's range check can name a negative value rather than call it unreadable.
    /// </summary>
    public static bool TryParse(string? text, DurationUnit bareNumberUnit, out TimeSpan value)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.StartsWith('-'))
        {
            var read = TryParse(trimmed[1..], bareNumberUnit, out var magnitude) && !trimmed[1..].StartsWith('-');
            value = read ? magnitude.Negate() : TimeSpan.Zero;
            return read;
        }

        value = TimeSpan.Zero;
        var rest = trimmed.ToLowerInvariant();
        if (rest.Length == 0)
        {
            return false;
        }

        if (IsNumber(rest, out var bare))
        {
            return TryScale(bare, UnitOf(bareNumberUnit), ref value);
        }

        var nextUnit = 0;
        while (rest.Length > 0)
        {
            var end = 0;
            while (end < rest.Length && (char.IsAsciiDigit(rest[end]) || rest[end] == '.'))
            {
                end++;
            }

            var unit = end < rest.Length ? Array.FindIndex(Units, u => u.Suffix == rest[end]) : -1;
            if (end == 0 || unit < nextUnit || !IsNumber(rest[..end], out var number) || !TryScale(number, Units[unit].Unit, ref value))
            {
                value = TimeSpan.Zero;
                return false;
            }

            nextUnit = unit + 1;
            rest = rest[(end + 1)..];
        }

        return true;
    }

    /// <summary>The shortest exact text: <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>1h30m</c>; below a second, fractional seconds.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Negate());
        }

        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        var rest = value;
        foreach (var (suffix, unit) in Units[..^1])
        {
            var whole = rest.Ticks / unit.Ticks;
            if (whole > 0)
            {
                text.Append(whole.ToString(CultureInfo.InvariantCulture)).Append(suffix);
                rest -= TimeSpan.FromTicks(whole * unit.Ticks);
            }
        }

        if (rest > TimeSpan.Zero)
        {
            text.Append(rest.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        }

        return text.ToString();
    }

    private static TimeSpan UnitOf(DurationUnit unit) => unit switch
    {
        DurationUnit.Seconds => TimeSpan.FromSeconds(1),
        DurationUnit.Minutes => TimeSpan.FromMinutes(1),
        DurationUnit.Hours => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    private static bool IsNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool TryScale(double number, TimeSpan unit, ref TimeSpan total)
    {
        var ticks = number * unit.Ticks;
        if (!double.IsFinite(ticks) || ticks < 0 || ticks + total.Ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        total += TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }
}
