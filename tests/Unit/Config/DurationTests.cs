using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>Durations read and written like 30m / 12h / 7d; a bare number keeps the unit its option always had.</summary>
public sealed class DurationTests
{
    [Theory]
    [InlineData("45s", DurationUnit.Minutes, 45)]
    [InlineData("30m", DurationUnit.Days, 30 * 60)]
    [InlineData("12h", DurationUnit.Minutes, 12 * 3600)]
    [InlineData("7d", DurationUnit.Minutes, 7 * 86400)]
    [InlineData("1h30m", DurationUnit.Minutes, 5400)]
    [InlineData("1.5h", DurationUnit.Minutes, 5400)]
    [InlineData(" 2D ", DurationUnit.Minutes, 2 * 86400)]
    [InlineData("90", DurationUnit.Minutes, 90 * 60)]
    [InlineData("0.1", DurationUnit.Minutes, 6)]
    [InlineData("36", DurationUnit.Hours, 36 * 3600)]
    [InlineData("30", DurationUnit.Days, 30 * 86400)]
    [InlineData("-5", DurationUnit.Minutes, -300)]
    public void Reads_units_and_bare_numbers_in_the_options_own_unit(string text, DurationUnit bareUnit, double seconds) =>
        Duration.Parse(text, "--max-duration", bareUnit).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("3x")]
    [InlineData("m")]
    [InlineData("")]
    [InlineData("30m12h")]
    [InlineData("1h1h")]
    [InlineData("12 h")]
    [InlineData("1e3m")]
    [InlineData("--5m")]
    [InlineData("NaN")]
    public void Unreadable_text_is_refused_naming_the_option_the_value_and_the_bare_unit(string text)
    {
        var refused = FluentActions.Invoking(() => Duration.Parse(text, "--max-duration", DurationUnit.Minutes)).Should().Throw<SfPgException>().Which;

        refused.Error.Should().Be(ErrorCatalog.DurationInvalid);
        refused.Code.Should().Be("SFPG4600");
        refused.Message.Should().Be($"--max-duration is '{text}', which is not a duration; write it like 30m, 12h or 7d, or as a number of minutes.");
        refused.RecommendedAction.Should().Contain("45s, 30m, 12h, 7d or 1h30m");
    }

    [Theory]
    [InlineData(30 * 60, "30m")]
    [InlineData(12 * 3600, "12h")]
    [InlineData(7 * 86400, "7d")]
    [InlineData(5400, "1h30m")]
    [InlineData(0, "0s")]
    [InlineData(0.25, "0.25s")]
    [InlineData(86400 + 1, "1d1s")]
    public void Writes_the_shortest_exact_text_which_reads_back_the_same(double seconds, string text)
    {
        var value = TimeSpan.FromSeconds(seconds);

        Duration.Format(value).Should().Be(text);
        Duration.Parse(text, "x", DurationUnit.Seconds).Should().Be(value);
    }
}
