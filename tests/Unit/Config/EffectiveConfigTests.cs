using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class EffectiveConfigTests
{
    [Fact]
    public void Truncate_onstart_makes_uniqueness_sort_and_watermarks_inert_without_findings()
    {
        var config = Valid();
        var table = Table(config);
        table["truncate_onstart"] = true;
        table["sort_columns"] = Array("OTHER");
        table["target_watermark"] = "Renamed Watermark";

        var result = Load(config);

        result.Findings.Should().BeEmpty();
        var effective = result.FirstTable();
        effective.TruncateOnStart.Should().BeTrue();
        effective.UniquenessColumns.Should().BeEmpty();
        effective.SourceWatermark.Should().BeNull();
        effective.TargetWatermark.Should().BeNull();
        effective.SortColumns.Should().Equal("Payer Id");
        effective.ColumnMapping.Should().BeEmpty("the inert watermark pair must not map itself");
    }

    [Fact]
    public void Truncate_onstart_makes_insert_only_mode_inert_and_says_so()
    {
        var config = Valid();
        Table(config)["truncate_onstart"] = true;
        Table(config)["insert_only_mode"] = true;

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1023", "sources[0].tables[0].insert_only_mode"));
        result.Findings[0].Severity.Should().Be(ConfigFindingSeverity.Warning);
        result.FirstTable().InsertOnlyMode.Should().BeFalse();
    }

    [Fact]
    public void A_renamed_watermark_becomes_a_column_mapping_entry()
    {
        var config = Valid();
        Table(config)["source_watermark"] = "Updated Timestamp";
        Table(config)["target_watermark"] = "Updated Datatimestamp";
        Table(config)["column_mapping"] = new JsonObject { ["Payer Name"] = "payer_name" };

        var table = Load(config).FirstTable();

        table.ColumnMapping.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["Payer Name"] = "payer_name",
            ["Updated Timestamp"] = "Updated Datatimestamp",
        });
    }

    [Fact]
    public void A_watermark_with_the_same_name_on_both_sides_adds_no_mapping()
    {
        Load(Valid()).FirstTable().ColumnMapping.Should().BeEmpty();
    }

    [Fact]
    public void An_unquoted_lower_case_source_watermark_maps_to_the_target_name_as_written()
    {
        var config = Valid();
        Table(config)["source_watermark"] = "updated_at";
        Table(config)["target_watermark"] = "updated_at";

        var table = Load(config).FirstTable();

        table.SourceWatermark.Should().Be("UPDATED_AT");
        table.TargetWatermark.Should().Be("updated_at");
        table.ColumnMapping.Should().Equal(new Dictionary<string, string> { ["UPDATED_AT"] = "updated_at" });
    }

    [Fact]
    public void An_explicit_mapping_that_agrees_with_the_watermark_pair_is_fine_and_one_that_contradicts_it_is_an_error()
    {
        var agreeing = Valid();
        Table(agreeing)["source_watermark"] = "Updated Timestamp";
        Table(agreeing)["column_mapping"] = new JsonObject { ["Updated Timestamp"] = "Updated Datatimestamp" };
        Load(agreeing).Findings.Should().BeEmpty();

        var contradicting = Valid();
        Table(contradicting)["source_watermark"] = "Updated Timestamp";
        Table(contradicting)["column_mapping"] = new JsonObject { ["Updated Timestamp"] = "something_else" };

        var result = Load(contradicting);

        result.CodesAndPaths().Should().Equal(("SFPG1021", "sources[0].tables[0].column_mapping.Updated Timestamp"));
        result.Findings[0].Message.Should().Contain("'something_else'").And.Contain("'Updated Datatimestamp'");
    }

    [Fact]
    public void Snowflake_names_fold_to_upper_case_unless_quoted_and_postgres_names_keep_their_case()
    {
        var config = Valid();
        Source(config)["source_sf_database"] = "analytics";
        Source(config)["source_sf_schema"] = "\"bi_Lower\"";
        Source(config)["target_pg_schema"] = "Analytics_Dev";
        var table = Table(config);
        table["source"] = "\"multipayer_payer\"";
        table["target"] = "MultiPayer";
        table["chunking_columns"] = Array("payer_id", "\"lower_col\"", "Payer Id");
        table["chunking_column_types"] = Array("int", "int", "uuid");
        table["sort_columns"] = Array("created_at");
        table["uniqueness_columns"] = Array("payer_id");
        table["column_mapping"] = new JsonObject { ["full_name"] = "Full Name" };

        var result = Load(config);

        result.Findings.Should().BeEmpty();
        var source = result.Config!.Sources[0];
        (source.SourceSfDatabase, source.SourceSfSchema, source.TargetPgSchema).Should().Be(("ANALYTICS", "bi_Lower", "Analytics_Dev"));
        var effective = source.Tables[0];
        effective.Source.Should().Be("multipayer_payer");
        effective.Target.Should().Be("MultiPayer");
        effective.ChunkingColumns.Should().Equal("PAYER_ID", "lower_col", "Payer Id");
        effective.SortColumns.Should().Equal("CREATED_AT");
        effective.UniquenessColumns.Should().Equal("payer_id");
        effective.ColumnMapping.Should().ContainKey("FULL_NAME").WhoseValue.Should().Be("Full Name");
    }

    [Fact]
    public void An_unquoted_mixed_case_snowflake_name_is_folded_with_a_warning()
    {
        var config = Valid();
        Table(config)["source"] = "DimPayer";

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1026", "sources[0].tables[0].source"));
        result.Findings[0].Message.Should().Be("source 'DimPayer' is unquoted, so Snowflake reads it as DIMPAYER.");
        result.FirstTable().Source.Should().Be("DIMPAYER");
    }

    [Theory]
    [InlineData("\"unclosed")]
    [InlineData("\"a\"b\"")]
    [InlineData("stray\"quote")]
    [InlineData("\"\"")]
    public void A_malformed_quoted_name_is_an_error(string written)
    {
        var config = Valid();
        Table(config)["source"] = written;

        Load(config).CodesAndPaths().Should().Equal(("SFPG1025", "sources[0].tables[0].source"));
    }

    [Theory]
    [InlineData("DIMPAYER", "DIMPAYER", false)]
    [InlineData("dimpayer", "DIMPAYER", false)]
    [InlineData("DimPayer", "DIMPAYER", true)]
    [InlineData("_tmp$1", "_TMP$1", false)]
    [InlineData("\"multipayer_payer\"", "multipayer_payer", false)]
    [InlineData("\"with \"\"inner\"\" quotes\"", "with \"inner\" quotes", false)]
    [InlineData("Payer Id", "Payer Id", false)]
    [InlineData("  padded  ", "PADDED", false)]
    public void SnowflakeName_normalises_as_snowflake_stores_names(string written, string expected, bool mixedCase)
    {
        SnowflakeName.TryNormalize(written, out var normalized, out var isMixed).Should().BeTrue();

        normalized.Should().Be(expected);
        isMixed.Should().Be(mixedCase);
    }

    [Fact]
    public void Sort_columns_default_to_the_chunking_columns()
    {
        var config = Valid();
        Table(config)["chunking_columns"] = Array("REGION", "Payer Id");
        Table(config)["chunking_column_types"] = Array("varchar", "uuid");

        Load(config).FirstTable().SortColumns.Should().Equal("REGION", "Payer Id");

        Table(config)["sort_columns"] = Array("Payer Id");
        Load(config).FirstTable().SortColumns.Should().Equal("Payer Id");
    }

    [Fact]
    public void Chunking_column_types_are_lower_cased()
    {
        var config = Valid();
        Table(config)["chunking_column_types"] = Array("UUID");

        Load(config).FirstTable().ChunkingColumnTypes.Should().Equal("uuid");
    }

    [Fact]
    public void A_table_without_chunking_columns_has_no_sort_columns_and_null_chunking_is_allowed()
    {
        var config = Valid();
        Table(config)["chunking_columns"] = null;
        Table(config)["chunking_column_types"] = null;

        var table = Load(config).FirstTable();

        table.ChunkingColumns.Should().BeEmpty();
        table.SortColumns.Should().BeEmpty();
    }

    [Fact]
    public void Table_overrides_are_null_when_not_set_so_they_inherit_the_globals()
    {
        var config = Valid();
        config["parallel_threads"] = 8;

        var result = Load(config);

        result.FirstTable().ParallelThreads.Should().BeNull();
        result.FirstTable().BatchSize.Should().BeNull();
        result.Config!.ParallelThreads.Should().Be(8);
    }

    [Fact]
    public void Authentication_defaults_from_the_credential_given()
    {
        var withKey = Load(Valid());
        withKey.Config!.Snowflake.Authenticator.Should().Be("SNOWFLAKE_JWT");

        var withToken = Valid();
        withToken["snowflake"]!.AsObject().Remove("rsa_key");
        withToken["snowflake"]!["token"] = "${SF_TOKEN}";
        var result = Load(withToken, variables: new Dictionary<string, string>(Variables) { ["SF_TOKEN"] = Token });

        result.Findings.Should().BeEmpty();
        result.Config!.Snowflake.Authenticator.Should().Be("OAUTH");
        result.Config.Snowflake.Token.Should().Be(Token);
    }
}
