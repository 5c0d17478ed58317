using System.Text.Json.Nodes;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>A table's <c>references</c> block: resolved against the source's tables, columns paired and defaulted.</summary>
public sealed class TableReferenceConfigTests
{
    private const string Orders = "sources[0].tables[1]";

    /// <summary>The fixture's dimpayer table plus an orders table that references it with <paramref name="references"/>.</summary>
    private static JsonObject WithOrders(string references)
    {
        var config = Valid();
        config["sources"]![0]!["tables"]!.AsArray().Add(JsonNode.Parse($$"""
            { "source": "ORDERS", "target": "orders", "truncate_onstart": true, "references": {{references}} }
            """));
        return config;
    }

    [Fact]
    public void A_reference_by_source_name_resolves_to_the_target_and_defaults_to_its_uniqueness_columns()
    {
        var result = Load(WithOrders("""[ { "columns": ["payer_id"], "table": "DimPayer", "name": "orders_payer" } ]"""));

        result.Findings.Should().BeEmpty();
        var reference = result.Config!.Sources[0].Tables[1].References.Should().ContainSingle().Subject;
        reference.Table.Should().Be("dimpayer");
        reference.Columns.Should().Equal("payer_id");
        reference.ReferencedColumns.Should().Equal("Payer Id");
        reference.Name.Should().Be("orders_payer");
        reference.Path.Should().Be($"{Orders}.references[0]");
    }

    [Fact]
    public void A_reference_to_a_table_the_source_does_not_configure_names_the_table_and_the_tables_it_has()
    {
        var result = Load(WithOrders("""[ { "columns": ["customer_id"], "table": "customers", "referenced_columns": ["id"] } ]"""));

        result.CodesAndPaths().Should().Equal(("SFPG1070", $"{Orders}.references[0].table"));
        result.Findings[0].Message.Should().Be("table 'orders' references 'customers', which is not a table of this source (its tables: dimpayer, orders).");
    }

    [Fact]
    public void Columns_that_do_not_pair_with_the_referenced_columns_are_an_error_naming_both_lists()
    {
        var result = Load(WithOrders("""[ { "columns": ["payer_id", "region"], "table": "dimpayer", "referenced_columns": ["Payer Id"] } ]"""));

        result.CodesAndPaths().Should().Equal(("SFPG1071", $"{Orders}.references[0].referenced_columns"));
        result.Findings[0].Message.Should().Be(
            "table 'orders' references 'dimpayer' with 2 column(s) (payer_id, region) but 1 referenced column(s) (Payer Id).");
    }

    [Fact]
    public void A_reference_to_a_table_without_uniqueness_columns_needs_referenced_columns()
    {
        var config = WithOrders("[]");
        Table(config)["references"] = JsonNode.Parse("""[ { "columns": ["id"], "table": "orders" } ]""");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1071", "sources[0].tables[0].references[0].referenced_columns"));
        result.Findings[0].Message.Should().Contain("'orders' has no uniqueness_columns to default to");
    }

    [Fact]
    public void Missing_columns_and_unknown_keys_are_reported_at_their_paths()
    {
        var result = Load(WithOrders("""[ { "table": "dimpayer", "colums": ["payer_id"] } ]"""));

        result.CodesAndPaths().Should().BeEquivalentTo(new[]
        {
            ("SFPG1003", $"{Orders}.references[0].colums"),
            ("SFPG1004", $"{Orders}.references[0].columns"),
        });
    }
}
