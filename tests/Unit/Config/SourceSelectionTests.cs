using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class SourceSelectionTests
{
    [Fact]
    public void A_comma_list_names_each_source_once_trimmed_and_one_name_is_taken_as_written()
    {
        SourceSelection.Names("sales, finance,,sales ").Should().Equal("sales", "finance");
        SourceSelection.Names("analytics").Should().Equal("analytics");
        SourceSelection.Names(null).Should().BeEmpty();
        SourceSelection.Names(" ").Should().BeEmpty();
    }

    [Fact]
    public void No_selection_includes_every_source_and_a_list_only_its_names_in_any_case()
    {
        SourceSelection.Includes(null, "sales").Should().BeTrue();
        SourceSelection.Includes("sales,finance", "FINANCE").Should().BeTrue();
        SourceSelection.Includes("sales,finance", "fin").Should().BeFalse();
    }
}
