using System.Reflection;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class StatusErrorCodeTests
{
    [Fact]
    public void Status_codes_are_unique_in_their_range_and_each_says_what_to_do()
    {
        var statusCodes = typeof(ErrorCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!)
            .Where(c => string.CompareOrdinal(c.Code, "SFPG4001") >= 0 && string.CompareOrdinal(c.Code, "SFPG4099") <= 0)
            .ToList();

        statusCodes.Should().HaveCountGreaterThanOrEqualTo(11);
        statusCodes.Select(c => c.Code).Should().OnlyHaveUniqueItems();
        statusCodes.Should().OnlyContain(c => c.Title.Length > 10 && c.RecommendedAction.Length > 20);
        ErrorCatalog.Find("SFPG4002").Should().Be(ErrorCatalog.StatusSchemaMissing);
    }
}
