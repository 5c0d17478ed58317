using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>source_filter must stay one predicate; PostgreSQL names must fit in 63 bytes and stay distinct there.</summary>
public sealed class FilterAndNameRuleTests
{
    private const string T0 = "sources[0].tables[0]";

    private static ConfigLoadResult WithFilter(string filter)
    {
        var config = Valid();
        Table(config)["source_filter"] = filter;
        return Load(config);
    }

    [Theory]
    [InlineData("\"ID\" > 0 -- positive only", "SFPG1030")]
    [InlineData("\"ID\" > 0 // positive only", "SFPG1030")]
    [InlineData("\"ID\" > 0 /* positive */", "SFPG1030")]
    [InlineData("\"ID\" > 0; DELETE FROM T", "SFPG1031")]
    [InlineData("\"ID\" > 0;", "SFPG1031")]
    [InlineData("\"ID\" > 0) OR (\"ID\" < 0", "SFPG1032")]
    [InlineData("(\"ID\" > 0", "SFPG1032")]
    [InlineData("\"ID\" > 0)", "SFPG1032")]
    [InlineData("\"NAME\" = 'open", "SFPG1033")]
    [InlineData("\"NAME = 'x'", "SFPG1033")]
    [InlineData("\"NAME\" = $$open", "SFPG1033")]
    [InlineData("\"NAME\" = 'a\\' OR 1 = 1", "SFPG1034")]
    [InlineData("\"NAME\" = $t$x$t$", "SFPG1034")]
    [InlineData("\"NAME\" = 1$$ ' $$ ) OR (1 = 1 '", "SFPG1032")]
    [InlineData("\"NAME\" = $é$x$é$", "SFPG1034")]
    [InlineData("€$$) OR (1 = 1 OR '$$' = ''", "SFPG1032")]
    [InlineData("1abc$$) OR (1 = 1 OR '$$' = ''", "SFPG1032")]
    public void A_filter_that_could_escape_its_predicate_is_an_error_at_its_path(string filter, string code)
    {
        var result = WithFilter(filter);

        result.Config.Should().BeNull();
        result.CodesAndPaths().Should().Contain((code, $"{T0}.source_filter"));
        result.Findings.Should().OnlyContain(f => f.Path == $"{T0}.source_filter" && f.IsError);
    }

    [Theory]
    [InlineData("\"ID\" > 0")]
    [InlineData("(\"ID\" > 0 AND \"NAME\" IN ('a', 'b')) OR \"ID\" IS NULL")]
    [InlineData("\"NAME\" = 'it''s ) -- ; /* not a comment'")]
    [InlineData("\"Odd \"\" name ) --\" = 1")]
    [InlineData("\"NAME\" = $$ ) ; -- $$")]
    [InlineData("\"NAME\" LIKE 'a%' AND COL$$X = 1 AND \"ID\" > $ROW_LIMIT")]
    [InlineData("\"AMOUNT\" - 1 > 0 AND \"A\" / 2 < 3")]
    public void A_filter_that_is_one_predicate_passes(string filter)
    {
        var result = WithFilter(filter);

        result.Findings.Should().BeEmpty();
        result.FirstTable().SourceFilter.Should().Be(filter);
    }

    [Fact]
    public void Every_problem_of_a_filter_is_reported_once()
    {
        var result = WithFilter("\"ID\" > 0); SELECT 1 -- x");

        result.CodesAndPaths().Select(c => c.Code).Should().Equal("SFPG1032", "SFPG1031", "SFPG1030");
        result.Findings[0].Message.Should().Contain("character 9");
    }

    [Fact]
    public void Postgres_names_over_63_bytes_are_errors_naming_their_path()
    {
        var longName = new string('n', 64);
        var config = Valid();
        Source(config)["target_pg_schema"] = longName;
        Table(config)["target"] = longName;
        Table(config)["uniqueness_columns"] = Array("Payer Id", longName);
        Table(config)["target_watermark"] = longName;
        Table(config)["column_mapping"] = new JsonObject { ["REGION"] = longName };

        var result = Load(config);

        result.CodesAndPaths().Where(f => f.Code == "SFPG1035").Select(f => f.Path).Should().BeEquivalentTo(
            "sources[0].target_pg_schema", $"{T0}.target", $"{T0}.uniqueness_columns[1]", $"{T0}.target_watermark", $"{T0}.column_mapping.REGION");
        result.Findings.First(f => f.Path == $"{T0}.target").Message.Should().Contain("64 bytes").And.Contain(new string('n', 63) + "'");
    }

    [Fact]
    public void A_name_of_63_bytes_in_multibyte_characters_is_accepted_and_64_is_not()
    {
        var config = Valid();
        Table(config)["target"] = new string('é', 31) + "x"; // 63 bytes
        Load(config).Findings.Should().NotContain(f => f.Code == "SFPG1035");

        Table(config)["target"] = new string('é', 32); // 64 bytes
        Load(config).CodesAndPaths().Should().Contain(("SFPG1035", $"{T0}.target"));
    }

    [Fact]
    public void Two_targets_equal_in_their_first_63_bytes_are_an_error_naming_both_paths()
    {
        var stem = new string('t', 63);
        var config = Valid();
        Table(config)["target"] = stem + "_a";
        var second = Table(config).DeepClone().AsObject();
        second["source"] = "OTHER";
        second["target"] = stem + "_b";
        Source(config)["tables"]!.AsArray().Add(second);

        var collision = Load(config).Findings.Should().ContainSingle(f => f.Code == "SFPG1036").Subject;

        collision.Path.Should().Be("sources[0].tables[1].target");
        collision.IsError.Should().BeTrue();
        collision.Message.Should().Contain($"{T0}.target").And.Contain(stem + "_a").And.Contain(stem + "_b");
    }

    [Fact]
    public void Targets_of_two_sources_in_the_same_schema_collide_too_but_not_in_different_schemas()
    {
        var stem = new string('t', 63);
        var config = Valid();
        Table(config)["target"] = stem + "_a";
        var other = Source(config).DeepClone().AsObject();
        other["source_name"] = "other";
        TableOfSource(other)["target"] = stem + "_b";
        config["sources"]!.AsArray().Add(other);

        Load(config).CodesAndPaths().Should().Contain(("SFPG1036", "sources[1].tables[0].target"));

        other["target_pg_schema"] = "elsewhere";
        Load(config).Findings.Should().NotContain(f => f.Code == "SFPG1036");
    }

    [Fact]
    public void Two_source_columns_mapped_to_one_target_column_are_an_error()
    {
        var config = Valid();
        Table(config)["column_mapping"] = new JsonObject { ["REGION"] = "area", ["ZONE"] = "area" };

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1037", $"{T0}.column_mapping.ZONE"));
        result.Findings[0].Message.Should().Contain("REGION").And.Contain("ZONE").And.Contain("'area'");
    }

    [Fact]
    public void A_column_mapped_into_the_target_watermark_is_an_error()
    {
        var config = Valid();
        Table(config)["column_mapping"] = new JsonObject { ["CHANGED"] = "Updated Datatimestamp" };

        Load(config).CodesAndPaths().Should().Equal(("SFPG1037", $"{T0}.column_mapping.CHANGED"));
    }

    private static JsonObject TableOfSource(JsonObject source) => source["tables"]![0]!.AsObject();
}
