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
    public void Two_source_columns_never_fill_the_same_target_column_and_the_mapped_one_wins()
    {
        var mapping = new Dictionary<string, string> { ["OLD_ID"] = "id" };

        var match = ColumnMatcher.Match(["ID", "OLD_ID"], ["id"], mapping);

        match.Pairs.Should().Equal(("OLD_ID", 1, "id"));
        match.SkippedSourceColumns.Should().Equal("ID");
    }

    private const string LongName = "CUSTOMER_PREFERRED_CONTACT_CHANNEL_DESCRIPTION_FOR_MARKETING_PURPOSES_V2";

    [Fact]
    public void A_source_name_over_63_bytes_fills_the_column_postgres_cut_it_to()
    {
        var kept = LongName[..63].ToLowerInvariant();

        var match = ColumnMatcher.Match(["ID", LongName], ["id", kept], NoMapping);

        match.Pairs.Should().Equal(("ID", 0, "id"), (LongName, 1, kept));
        match.UnfilledTargetColumns.Should().BeEmpty();
    }

    [Fact]
    public void A_name_is_cut_at_63_bytes_between_whole_characters()
    {
        // 31 two-byte characters are 62 bytes; the 32nd would make 64, so PostgreSQL keeps 31 of them.
        var name = new string('é', 40);

        SnowPgMigration.Engine.Config.PostgresNameLength.Truncate(name).Should().Be(new string('é', 31));
        ColumnMatcher.Match([name], [new string('é', 31)], NoMapping).Pairs.Should().ContainSingle();
    }

    [Fact]
    public void Source_names_equal_in_their_first_63_bytes_are_reported_as_a_clash_unless_mapped()
    {
        var stem = new string('X', 63);
        var columns = new[] { "ID", stem + "_HOME", stem + "_WORK" };

        ColumnMatcher.TruncationClashes(columns, NoMapping).Should().ContainSingle()
            .Which.Should().Equal(stem + "_HOME", stem + "_WORK");
        ColumnMatcher.TruncationClashes(columns, new Dictionary<string, string> { [stem + "_WORK"] = "work" }).Should().BeEmpty();
    }
}
