using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class MappedColumnCheckTests
{
    private static TableConfig Table(Dictionary<string, string>? mapping = null, string? sourceWatermark = null, string? targetWatermark = null) => new()
    {
        Source = "ITEMS",
        Target = "items",
        ColumnMapping = mapping ?? [],
        SourceWatermark = sourceWatermark,
        TargetWatermark = targetWatermark,
    };

    private static SfPgException Refusal(TableConfig table, string[] source, string[] target) =>
        FluentActions.Invoking(() => MappedColumnCheck.ThrowIfUnresolved(table, "public.items", source, target))
            .Should().Throw<SfPgException>().Which;

    [Fact]
    public void A_mapping_to_a_missing_target_column_names_table_column_and_a_suggestion()
    {
        var error = Refusal(Table(new() { ["NAME"] = "nmae" }), ["ID", "NAME"], ["id", "name"]);

        error.Code.Should().Be("SFPG2107");
        error.Message.Should().Be(
            "Table ITEMS -> public.items: column_mapping sends NAME to \"nmae\", which is not a writable column of public.items (did you mean 'name'?); its columns are \"id\", \"name\".");
    }

    [Fact]
    public void A_mapping_from_a_missing_source_column_is_refused_too()
    {
        Refusal(Table(new() { ["FULL_NAME"] = "name" }), ["ID", "NAME"], ["id", "name"]).Code.Should().Be("SFPG2107");
    }

    [Fact]
    public void A_target_watermark_the_target_lacks_is_refused_with_the_columns_it_has()
    {
        var table = Table(new() { ["UPDATED_AT"] = "modified_at" }, "UPDATED_AT", "modified_at");

        var error = Refusal(table, ["ID", "UPDATED_AT"], ["id", "updated_at"]);

        error.Code.Should().Be("SFPG2108");
        error.Message.Should().Contain("\"modified_at\"").And.Contain("\"updated_at\"");
    }

    [Fact]
    public void Long_source_columns_landing_on_one_target_column_are_refused_naming_each()
    {
        var stem = new string('X', 63);

        var error = Refusal(Table(), ["ID", stem + "_HOME", stem + "_WORK"], ["id", stem]);

        error.Code.Should().Be("SFPG2109");
        error.Message.Should().Contain(stem + "_HOME").And.Contain(stem + "_WORK");
    }

    [Fact]
    public void Mapped_and_present_columns_pass()
    {
        var table = Table(new() { ["NAME"] = "full name", ["UPDATED_AT"] = "modified_at" }, "UPDATED_AT", "modified_at");

        FluentActions.Invoking(() => MappedColumnCheck.ThrowIfUnresolved(table, "public.items", ["ID", "NAME", "UPDATED_AT"], ["id", "full name", "modified_at"]))
            .Should().NotThrow();
    }
}
