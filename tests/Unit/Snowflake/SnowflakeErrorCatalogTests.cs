using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Tests.Unit.Snowflake;

public sealed class SnowflakeErrorCatalogTests
{
    [Fact]
    public void Snowflake_codes_are_unique_in_the_3xxx_range_with_a_title_and_an_action()
    {
        var snowflake = ErrorCatalog.All.Where(c => c.Code.StartsWith("SFPG3", StringComparison.Ordinal)).ToList();

        snowflake.Select(c => c.Code).Should().OnlyHaveUniqueItems().And.Contain(["SFPG3001", "SFPG3002", "SFPG3003", "SFPG3004", "SFPG3005", "SFPG3006", "SFPG3007", "SFPG3008", "SFPG3009"]);
        snowflake.Should().OnlyContain(c => c.Code.Length == 8 && !string.IsNullOrWhiteSpace(c.Title) && !string.IsNullOrWhiteSpace(c.RecommendedAction));
        ErrorCatalog.Find("sfpg3001").Should().BeSameAs(ErrorCatalog.SnowflakeAuthenticationFailed);
        ErrorCatalog.SnowflakeAuthenticationFailed.Kind.Should().Be(ErrorKind.Authentication);
        ErrorCatalog.SnowflakeStatementTimedOut.Kind.Should().Be(ErrorKind.Timeout);
        ErrorCatalog.SnowflakeUnavailable.Kind.Should().Be(ErrorKind.ResourceUnavailable);
    }
}
