using System.Globalization;
using System.Text;

namespace SnowPgMigration.Emulator.Faults;

/// <summary>What an injected fault does.</summary>
public enum FaultKind
{
    /// <summary>Answer with an HTTP error status (429 with <c>Retry-After</c>, 503, 504, ...) without doing the work.</summary>
    Status,

    /// <summary>Wait before handling the request.</summary>
    Slow,

    /// <summary>Handle the request, then send only part of the body and abort the connection.</summary>
    Cut,
}

/// <summary>Which requests a fault applies to.</summary>
public enum FaultTarget
{
    Any,
    Submit,
    Fetch,
    Cancel,
}

/// <summary>
/// One fault rule: fires on every Nth matching request and/or with a probability, at most
/// <see cref="Times"/> times. Spec form: <c>429:every=5:retry-after=1</c>, <c>503:p=0.1</c>,
/// <c>slow:every=7:ms=2000</c>, <c>cut:every=9:on=fetch</c>, <c>503:times=2</c>.
/// </summary>
public sealed record FaultRule
{
    public required FaultKind Kind { get; init; }
    public int StatusCode { get; init; }
    public int? Every { get; init; }
    public double? Probability { get; init; }
    public int RetryAfterSeconds { get; init; } = 1;
    public int DelayMilliseconds { get; init; } = 1000;
    public FaultTarget On { get; init; } = FaultTarget.Any;
    public int? Times { get; init; }

    /// <summary>Parses a comma-separated list of rules.</summary>
    /// <exception cref="FormatException">A rule cannot be read; the message names it and the accepted forms.</exception>
    public static IReadOnlyList<FaultRule> ParseSpec(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return [];
        }

        return spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseOne).ToArray();
    }

    private static FaultRule ParseOne(string text)
    {
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        var rule = parts[0].ToLowerInvariant() switch
        {
            "slow" => new FaultRule { Kind = FaultKind.Slow },
            "cut" => new FaultRule { Kind = FaultKind.Cut },
            var code when int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 400 and <= 599 =>
                new FaultRule { Kind = FaultKind.Status, StatusCode = status },
            _ => throw Invalid(text, $"'{parts[0]}' is not a fault kind"),
        };

        foreach (var option in parts.Skip(1))
        {
            var pair = option.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
            {
                throw Invalid(text, $"'{option}' is not key=value");
            }

            rule = pair[0].ToLowerInvariant() switch
            {
                "every" => rule with { Every = PositiveInt(text, pair[1]) },
                "p" => rule with { Probability = ParseProbability(text, pair[1]) },
                "retry-after" => rule with { RetryAfterSeconds = PositiveInt(text, pair[1], allowZero: true) },
                "ms" => rule with { DelayMilliseconds = PositiveInt(text, pair[1], allowZero: true) },
                "times" => rule with { Times = PositiveInt(text, pair[1]) },
                "on" => rule with
                {
                    On = Enum.TryParse<FaultTarget>(pair[1], ignoreCase: true, out var target)
                        ? target
                        : throw Invalid(text, $"on={pair[1]} must be submit, fetch, cancel or any"),
                },
                _ => throw Invalid(text, $"'{pair[0]}' is not a fault option"),
            };
        }

        return rule;
    }

    /// <summary>The rule in spec form, e.g. <c>429:every=5:retry-after=1</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Kind switch { FaultKind.Slow => "slow", FaultKind.Cut => "cut", _ => StatusCode.ToString(CultureInfo.InvariantCulture) });
        if (Every is { } every)
        {
            text.Append(CultureInfo.InvariantCulture, $":every={every}");
        }

        if (Probability is { } p)
        {
            text.Append(CultureInfo.InvariantCulture, $":p={p}");
        }

        if (Kind == FaultKind.Status && StatusCode == 429)
        {
            text.Append(CultureInfo.InvariantCulture, $":retry-after={RetryAfterSeconds}");
        }

        if (Kind == FaultKind.Slow)
        {
            text.Append(CultureInfo.InvariantCulture, $":ms={DelayMilliseconds}");
        }

        if (On != FaultTarget.Any)
        {
            text.Append(":on=").Append(On.ToString().ToLowerInvariant());
        }

        if (Times is { } times)
        {
            text.Append(CultureInfo.InvariantCulture, $":times={times}");
        }

        return text.ToString();
    }

    private static int PositiveInt(string rule, string value, bool allowZero = false) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && (number > 0 || allowZero && number == 0)
            ? number
            : throw Invalid(rule, $"'{value}' is not a {(allowZero ? "non-negative" : "positive")} whole number");

    private static double ParseProbability(string rule, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
            ? p
            : throw Invalid(rule, $"p={value} must be between 0 and 1");

    private static FormatException Invalid(string rule, string reason) =>
        new($"Fault rule '{rule}' is invalid: {reason}. Forms: 429:every=5:retry-after=1, 503:p=0.1, slow:every=7:ms=2000, cut:every=9:on=fetch, 503:times=2.");
}
