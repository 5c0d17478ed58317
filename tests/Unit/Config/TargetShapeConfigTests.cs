using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>create_target, column_types, truncate_nanoseconds and schema_evolution as the loader reads them.</summary>
public sealed class TargetShapeConfigTests
{
    private const string T0 = "sources[0].tables[0]";

    [Fact]
    public void Target_shape_settings_are_read_with_snowflake_names_normalised()
    {
        var config = Valid();
        Table(config)["create_target"] = true;
        Table(config)["truncate_nanoseconds"] = true;
        Table(config)["schema_evolution"] = "widen";
        Table(config)["column_types"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "bigint", ["\"Mixed\""] = "numeric(20,4)" };

        var table = Load(config).FirstTable();

        table.CreateTarget.Should().BeTrue();
        table.TruncateNanoseconds.Should().BeTrue();
        table.SchemaEvolution.Should().Be(SchemaEvolution.Widen);
        table.ColumnTypes.Should().BeEquivalentTo(new Dictionary<string, string> { ["ID"] = "bigint", ["Mixed"] = "numeric(20,4)" });
    }

    [Fact]
    public void Defaults_keep_todays_behaviour()
    {
        var table = Load(Valid()).FirstTable();

        table.CreateTarget.Should().BeFalse();
        table.SchemaEvolution.Should().Be(SchemaEvolution.None);
        table.ColumnTypes.Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_mode_and_an_unknown_type_are_named_with_their_paths()
    {
        var config = Valid();
        Table(config)["schema_evolution"] = "drop_columns";
        Table(config)["column_types"] = new System.Text.Json.Nodes.JsonObject { ["AMOUNT"] = "money" };

        var result = Load(config);

        result.CodesAndPaths().Should().BeEquivalentTo(new[] { ("SFPG1090", $"{T0}.schema_evolution"), ("SFPG1091", $"{T0}.column_types.AMOUNT") });
        result.Findings.Single(f => f.Code == "SFPG1091").Message.Should().Contain("AMOUNT").And.Contain("'money'");
    }

    [Fact]
    public void Settings_that_decide_stored_values_change_the_hash_and_shape_settings_do_not()
    {
        string? HashWith(string key, System.Text.Json.Nodes.JsonNode value)
        {
            var config = Valid();
            Table(config)[key] = value;
            return Load(config).ConfigHash;
        }

        var baseline = Load(Valid()).ConfigHash;

        HashWith("column_types", new System.Text.Json.Nodes.JsonObject { ["ID"] = "bigint" }).Should().NotBe(baseline);
        HashWith("truncate_nanoseconds", true).Should().NotBe(baseline);
        HashWith("create_target", true).Should().Be(baseline, "creating a missing table changes no value a resumed run loads");
        HashWith("schema_evolution", "add_columns").Should().Be(baseline);
    }

    [Fact]
    public void Root_create_target_and_schema_evolution_are_defaults_a_table_may_override()
    {
        var config = Valid();
        config["create_target"] = true;
        config["schema_evolution"] = "add_columns";
        var second = Table(config).DeepClone().AsObject();
        second["target"] = "other";
        second["create_target"] = false;
        second["schema_evolution"] = "none";
        Source(config)["tables"]!.AsArray().Add(second);

        var tables = Load(config).Config!.Sources.Single().Tables;

        tables.Select(t => (t.CreateTarget, t.SchemaEvolution)).Should().Equal((true, SchemaEvolution.AddColumns), (false, SchemaEvolution.None));
    }

    [Fact]
    public void A_sources_create_target_and_schema_evolution_override_the_roots_for_its_tables()
    {
        var config = Valid();
        config["create_target"] = false;
        Source(config)["create_target"] = true;
        Source(config)["schema_evolution"] = "widen";
        var second = Table(config).DeepClone().AsObject();
        second["target"] = "other";
        second["schema_evolution"] = "none";
        Source(config)["tables"]!.AsArray().Add(second);

        var tables = Load(config).Config!.Sources.Single().Tables;

        tables.Select(t => (t.CreateTarget, t.SchemaEvolution)).Should().Equal((true, SchemaEvolution.Widen), (true, SchemaEvolution.None));
    }
}
