using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class ColumnMatcherTests
{
    private static readonly Dictionary<string, string> NoMapping = [];

    [Fact]
    public void Exact_names_win_over_case_folded_ones_and_unquoted_snowflake_names_find_lower_case_targets()
    {
        var match = ColumnMatcher.Match(["ID", "NAME", "Note"], ["id", "name", "Note", "note"], NoMapping);

        match.Pairs.Should().Equal(("ID", 0, "id"), ("NAME", 1, "name"), ("Note", 2, "Note"));
        match.SkippedSourceColumns.Should().BeEmpty();
        match.UnfilledTargetColumns.Should().Equal("note");
    }

    [Fact]
    public void A_name_that_folds_onto_two_target_columns_is_ambiguous_and_skipped()
    {
        var match = ColumnMatcher.Match(["CODE"], ["code", "Code"], NoMapping);

        match.Pairs.Should().BeEmpty();
        match.SkippedSourceColumns.Should().Equal("CODE");
    }

    [Fact]
    public void The_mapping_sends_a_column_to_its_target_including_the_inferred_watermark_pair_and_case_is_kept()
    {
        var mapping = new Dictionary<string, string> { ["UPDATED_TIMESTAMP"] = "Updated Datatimestamp", ["CUSTOMER_NAME"] = "Customer" };

        var match = ColumnMatcher.Match(["ID", "CUSTOMER_NAME", "UPDATED_TIMESTAMP", "EXTRA"], ["id", "Customer", "Updated Datatimestamp"], mapping);

        match.Pairs.Should().Equal(("ID", 0, "id"), ("CUSTOMER_NAME", 1, "Customer"), ("UPDATED_TIMESTAMP", 2, "Updated Datatimestamp"));
        match.SkippedSourceColumns.Should().Equal("EXTRA");
        match.UnfilledTargetColumns.Should().BeEmpty();
    }

    [Fact]
    public void A_mapped_column_whose_target_is_missing_is_skipped_rather_than_matched_by_its_own_name()
    {
        var mapping = new Dictionary<string, string> { ["NAME"] = "full_name" };

        var match = ColumnMatcher.Match(["ID", "NAME"], ["id", "name"], mapping);

        match.Pairs.Should().Equal(("ID", 0, "id"));
        match.SkippedSourceColumns.Should().Equal("NAME");
        match.UnfilledTargetColumns.Should().Equal("name");
    }

    [Fact]
    public void Two_source_columns_never_fill_the_same_target_column()
    {
        var mapping = new Dictionary<string, string> { ["OLD_ID"] = "id" };

        var match = ColumnMatcher.Match(["ID", "OLD_ID"], ["id"], mapping);

        match.Pairs.Should().Equal(("ID", 0, "id"));
        match.SkippedSourceColumns.Should().Equal("OLD_ID");
    }
}
