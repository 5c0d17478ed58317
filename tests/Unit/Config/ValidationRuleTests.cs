using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class ValidationRuleTests
{
    private const string T0 = "sources[0].tables[0]";

    [Fact]
    public void Chunking_columns_and_types_of_different_lengths_are_an_error()
    {
        var config = Valid();
        Table(config)["chunking_columns"] = Array("Payer Id", "REGION");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1013", $"{T0}.chunking_column_types"));
        result.Findings[0].Message.Should().Be("chunking_columns has 2 column(s) but chunking_column_types has 1 type(s).");
    }

    [Fact]
    public void Chunking_types_without_chunking_columns_are_a_mismatch_too()
    {
        var config = Valid();
        Table(config).Remove("chunking_columns");

        Load(config).CodesAndPaths().Should().Equal(("SFPG1013", $"{T0}.chunking_column_types"));
    }

    [Fact]
    public void An_unsupported_chunking_type_is_reported_at_its_index_with_a_suggestion()
    {
        var config = Valid();
        Table(config)["chunking_columns"] = Array("Payer Id", "CREATED");
        Table(config)["chunking_column_types"] = Array("uuid", "timestmp");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1014", $"{T0}.chunking_column_types[1]"));
        result.Findings[0].Message.Should().Be("'timestmp' is not a supported chunking type; did you mean 'timestamp'?");
    }

    [Fact]
    public void Watermarks_without_uniqueness_columns_are_an_error()
    {
        var config = Valid();
        Table(config).Remove("uniqueness_columns");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1015", $"{T0}.uniqueness_columns"));
        result.Findings[0].Severity.Should().Be(ConfigFindingSeverity.Error);
        result.Findings[0].Message.Should().Contain("incremental upsert");
    }

    [Fact]
    public void Date_chunking_without_uniqueness_columns_is_an_error_because_it_always_upserts()
    {
        var config = Valid();
        var table = Table(config);
        table.Remove("uniqueness_columns");
        table.Remove("source_watermark");
        table.Remove("target_watermark");
        table["chunking_columns"] = Array("Updated Timestamp");
        table["chunking_column_types"] = Array("timestamp");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1015", $"{T0}.uniqueness_columns"));
        result.Findings[0].Message.Should().Contain("date/timestamp chunking");
    }

    [Fact]
    public void Truncate_onstart_makes_uniqueness_columns_unnecessary()
    {
        var config = Valid();
        Table(config).Remove("uniqueness_columns");
        Table(config)["truncate_onstart"] = true;

        Load(config).Findings.Should().BeEmpty();
    }

    [Fact]
    public void Insert_only_mode_without_uniqueness_columns_is_only_a_warning()
    {
        var config = Valid();
        Table(config).Remove("uniqueness_columns");
        Table(config)["insert_only_mode"] = true;

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1022", $"{T0}.uniqueness_columns"));
        result.Findings[0].Severity.Should().Be(ConfigFindingSeverity.Warning);
        result.IsValid.Should().BeTrue();
    }

    [Fact]
    public void A_table_with_no_key_and_no_truncate_gets_a_warning()
    {
        var config = Valid();
        var table = Table(config);
        table.Remove("uniqueness_columns");
        table.Remove("source_watermark");
        table.Remove("target_watermark");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1022", $"{T0}.uniqueness_columns"));
        result.IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("source_watermark", "target_watermark")]
    [InlineData("target_watermark", "source_watermark")]
    public void Half_a_watermark_pair_is_an_error_at_the_missing_half(string kept, string removed)
    {
        var config = Valid();
        Table(config).Remove(removed);

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1016", $"{T0}.{removed}"));
        result.Findings[0].Message.Should().Be($"{kept} is set but {removed} is not.");
    }

    [Fact]
    public void Two_enabled_tables_with_one_target_are_an_error_at_the_second()
    {
        var config = Valid();
        var tables = Source(config)["tables"]!.AsArray();
        tables.Add(JsonNode.Parse("""{ "source": "DIMPAYER_V2", "target": "dimpayer", "truncate_onstart": true }"""));
        tables.Add(JsonNode.Parse("""{ "source": "OTHER", "target": "other", "truncate_onstart": true }"""));

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1017", "sources[0].tables[1].target"));
        result.Findings[0].Message.Should().Be("target table 'dimpayer' is also loaded by sources[0].tables[0].");
    }

    [Fact]
    public void A_duplicate_target_with_one_table_disabled_is_only_a_warning()
    {
        var config = Valid();
        Source(config)["tables"]!.AsArray().Add(JsonNode.Parse("""{ "enabled": false, "source": "DIMPAYER_V2", "target": "dimpayer", "truncate_onstart": true }"""));

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1017", "sources[0].tables[1].target"));
        result.Findings[0].Severity.Should().Be(ConfigFindingSeverity.Warning);
    }

    [Fact]
    public void Targets_differing_only_in_case_are_different_postgres_tables()
    {
        var config = Valid();
        Source(config)["tables"]!.AsArray().Add(JsonNode.Parse("""{ "source": "DIMPAYER_V2", "target": "DimPayer", "truncate_onstart": true }"""));

        Load(config).Findings.Should().BeEmpty();
    }

    [Fact]
    public void Two_sources_with_one_name_are_an_error()
    {
        var config = Valid();
        config["sources"]!.AsArray().Add(Source(config).DeepClone());

        Load(config).CodesAndPaths().Should().Equal(("SFPG1018", "sources[1].source_name"));
    }

    [Fact]
    public void A_requested_source_that_does_not_exist_is_an_error_with_a_suggestion()
    {
        var result = Load(Valid(), sourceName: "analytcs");

        result.CodesAndPaths().Should().Equal(("SFPG1019", "sources"));
        result.Findings[0].Message.Should().Be("no source is named 'analytcs'; did you mean 'analytics'?");
        result.Findings[0].Hint.Should().Be("Sources in this config: analytics.");
    }

    [Fact]
    public void A_requested_source_that_is_disabled_or_has_no_enabled_table_gets_a_warning()
    {
        var disabled = Valid();
        Source(disabled)["enabled"] = false;
        Load(disabled, sourceName: "analytics").CodesAndPaths().Should().Equal(("SFPG1024", "sources[0].enabled"));

        var noTables = Valid();
        Table(noTables)["enabled"] = false;
        Load(noTables, sourceName: "analytics").CodesAndPaths().Should().Equal(("SFPG1024", "sources[0].tables"));
        Load(noTables).CodesAndPaths().Should().Equal(("SFPG1024", "sources"));
    }

    [Fact]
    public void Snowflake_without_key_or_token_is_an_error()
    {
        var config = Valid();
        config["snowflake"]!.AsObject().Remove("rsa_key");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1020", "snowflake"));
        result.Findings[0].Message.Should().Be("neither 'rsa_key' nor 'token' is set, so there is no way to authenticate to Snowflake.");
    }

    [Fact]
    public void Key_pair_authentication_needs_a_key_and_a_user()
    {
        var config = Valid();
        var snowflake = config["snowflake"]!.AsObject();
        snowflake.Remove("rsa_key");
        snowflake.Remove("user");
        snowflake["authenticator"] = "SNOWFLAKE_JWT";

        Load(config).CodesAndPaths().Should().Equal(("SFPG1020", "snowflake.rsa_key"), ("SFPG1004", "snowflake.user"));
    }

    [Theory]
    [InlineData("OAUTH")]
    [InlineData("programmatic_access_token")]
    public void Token_authenticators_need_a_token(string authenticator)
    {
        var config = Valid();
        config["snowflake"]!["authenticator"] = authenticator;

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1020", "snowflake.token"));
        result.Findings[0].Message.Should().Contain(authenticator.ToUpperInvariant());
    }

    [Fact]
    public void Secrets_written_literally_get_a_warning_and_never_appear_in_any_finding()
    {
        var config = Valid();
        config["postgres"]!["password"] = Password;
        config["snowflake"]!["token"] = Token;
        config["snowflake"]!["rsa_key"] = "-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----";
        config["parallel_threads"] = 0;

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(
            ("SFPG1027", "snowflake.rsa_key"),
            ("SFPG1027", "snowflake.token"),
            ("SFPG1027", "postgres.password"),
            ("SFPG1006", "parallel_threads"));
        var text = string.Join("\n", result.Findings.Select(f => f.ToString()));
        text.Should().NotContain(Password).And.NotContain(Token).And.NotContain("MIIsecret");
        var thrown = ((Action)(() => result.GetConfigOrThrow())).Should().Throw<Exception>().Which;
        thrown.Message.Should().NotContain(Password).And.NotContain(Token);
    }

    [Fact]
    public void A_secret_of_the_wrong_type_is_reported_without_its_value()
    {
        var config = Valid();
        config["postgres"]!["password"] = 98765432;

        var finding = Load(config).Findings.Single();

        (finding.Code, finding.Path).Should().Be(("SFPG1005", "postgres.password"));
        finding.ToString().Should().NotContain("98765432");
    }

    [Fact]
    public void A_malformed_reference_in_a_secret_is_reported_without_quoting_it()
    {
        var config = Valid();
        config["postgres"]!["password"] = "pa55${Zq9x";

        var finding = Load(config).Findings.Single();

        (finding.Code, finding.Path).Should().Be(("SFPG1009", "postgres.password"));
        finding.ToString().Should().NotContain("pa55").And.NotContain("Zq9x");
    }

    [Fact]
    public void A_column_listed_twice_is_an_error_at_the_repeat()
    {
        var config = Valid();
        Table(config)["uniqueness_columns"] = Array("Payer Id", "REGION", "Payer Id");

        Load(config).CodesAndPaths().Should().Equal(("SFPG1029", $"{T0}.uniqueness_columns[2]"));
    }

    [Fact]
    public void An_empty_column_name_is_reported_at_its_index()
    {
        var config = Valid();
        Table(config)["uniqueness_columns"] = Array("Payer Id", " ");

        Load(config).CodesAndPaths().Should().Equal(("SFPG1004", $"{T0}.uniqueness_columns[1]"));
    }

    [Fact]
    public void Every_config_code_is_in_the_catalogue_range_and_unique()
    {
        var codes = SnowPgMigration.Engine.Errors.ErrorCatalog.All.Where(c => c.Code.StartsWith("SFPG1", StringComparison.Ordinal)).ToList();

        codes.Should().HaveCountGreaterThanOrEqualTo(29);
        codes.Select(c => c.Code).Should().OnlyHaveUniqueItems().And.AllSatisfy(c => c.Should().MatchRegex("^SFPG1[0-9]{3}$"));
        codes.Should().AllSatisfy(c => c.RecommendedAction.Should().NotBeNullOrWhiteSpace());
    }
}
