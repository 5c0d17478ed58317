using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class VariableSubstitutionTests
{
    private static readonly Dictionary<string, string> NoVariables = [];

    [Fact]
    public void Variables_are_replaced_from_the_environment_inside_longer_text()
    {
        var config = Valid();
        Table(config)["source_filter"] = "\"Region\" = '${REGION}' AND \"Year\" > ${YEAR}";
        var variables = new Dictionary<string, string>(Variables) { ["REGION"] = "EU", ["YEAR"] = "2020" };

        var result = Load(config, variables: variables);

        result.FirstTable().SourceFilter.Should().Be("\"Region\" = 'EU' AND \"Year\" > 2020");
        result.Config!.Snowflake.User.Should().Be("MIGRATION_SVC");
    }

    [Fact]
    public void Each_unset_variable_is_reported_once_at_the_path_where_it_is_used()
    {
        var config = Valid();
        config["postgres"]!["password"] = "${PG_PASWORD}";
        Table(config)["uniqueness_columns"] = Array("Payer Id", "${KEY_COLUMN}");
        Table(config)["source_filter"] = "${A} OR ${A} OR ${B}";

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(
            ("SFPG1008", "postgres.password"),
            ("SFPG1008", "sources[0].tables[0].source_filter"),
            ("SFPG1008", "sources[0].tables[0].source_filter"),
            ("SFPG1008", "sources[0].tables[0].uniqueness_columns[1]"));
        result.Findings[0].Message.Should().Be("variable PG_PASWORD is not set.");
        result.Findings[0].Hint.Should().Contain("${PG_PASWORD:-default}");
        result.Findings.Select(f => f.Message).Should().Contain(["variable A is not set.", "variable B is not set."]);
    }

    [Fact]
    public void An_unset_credential_variable_is_not_reported_again_as_missing_credentials()
    {
        var config = Valid();
        config["snowflake"]!["rsa_key"] = "${SF_KEY_MISSING}";
        config["snowflake"]!["account"] = "${SF_ACCOUNT_MISSING}";

        Load(config).CodesAndPaths().Should().Equal(
            ("SFPG1008", "snowflake.account"),
            ("SFPG1008", "snowflake.rsa_key"));
    }

    [Fact]
    public void A_default_applies_when_the_variable_is_unset_or_empty()
    {
        var config = Valid();
        config["snowflake"]!["role"] = "${SF_ROLE:-READER}";
        config["snowflake"]!["warehouse"] = "${EMPTY:-WH}";
        config["snowflake"]!["rsa_key_passphrase"] = "${NOTHING:-}";

        var result = Load(config, variables: new Dictionary<string, string>(Variables) { ["EMPTY"] = "" });

        result.Findings.Should().BeEmpty();
        result.Config!.Snowflake.Role.Should().Be("READER");
        result.Config.Snowflake.Warehouse.Should().Be("WH");
        result.Config.Snowflake.RsaKeyPassphrase.Should().BeNull();
    }

    [Fact]
    public void A_doubled_dollar_keeps_a_literal_reference()
    {
        var config = Valid();
        Table(config)["source_filter"] = "\"Note\" <> '$${NOT_A_VARIABLE}' AND \"Price\" > $5";

        Load(config).FirstTable().SourceFilter.Should().Be("\"Note\" <> '${NOT_A_VARIABLE}' AND \"Price\" > $5");
    }

    [Theory]
    [InlineData("${1BAD}")]
    [InlineData("${}")]
    [InlineData("abc ${UNCLOSED")]
    public void A_malformed_reference_is_reported(string value)
    {
        var config = Valid();
        Table(config)["source_filter"] = value;

        var finding = Load(config).Findings.Single();

        (finding.Code, finding.Path).Should().Be(("SFPG1009", "sources[0].tables[0].source_filter"));
    }

    [Fact]
    public void Numbers_and_flags_may_come_from_variables()
    {
        var config = Valid();
        config["postgres"]!["port"] = "${PG_PORT}";
        config["parallel_threads"] = "${THREADS:-6}";
        Table(config)["disable_index"] = "${DISABLE_INDEX}";
        var variables = new Dictionary<string, string>(Variables) { ["PG_PORT"] = "6543", ["DISABLE_INDEX"] = "true" };

        var result = Load(config, variables: variables);

        result.Findings.Should().BeEmpty();
        result.Config!.Postgres.Port.Should().Be(6543);
        result.Config.ParallelThreads.Should().Be(6);
        result.FirstTable().DisableIndex.Should().BeTrue();
    }

    [Fact]
    public void A_variable_that_gives_no_number_is_a_type_error_and_its_range_is_checked()
    {
        var config = Valid();
        config["postgres"]!["port"] = "${PG_PORT}";
        config["batch_size"] = "${BATCH}";
        var variables = new Dictionary<string, string>(Variables) { ["PG_PORT"] = "five", ["BATCH"] = "0" };

        var result = Load(config, variables: variables);

        result.CodesAndPaths().Should().Equal(("SFPG1005", "postgres.port"), ("SFPG1006", "batch_size"));
        result.Findings[0].Message.Should().Be("expected a whole number but the variable gave 'five'.");
    }

    [Fact]
    public void A_dotenv_file_beside_the_config_is_read_and_the_environment_wins_over_it()
    {
        using var folder = new TemporaryFolder();
        folder.Write(".env", "SF_ACCOUNT=from-file\nSF_USER=FILE_USER\nSF_KEY=/file.p8\nPG_HOST=file-host\nPG_PASSWORD=pw\n");
        var path = folder.Write("config.json", Valid().ToJsonString());
        var environment = new Dictionary<string, string> { ["PG_HOST"] = "env-host" };

        var result = ConfigLoader.Load(path, Options(variables: environment));

        result.Findings.Should().BeEmpty();
        result.Config!.Snowflake.Account.Should().Be("from-file");
        result.Config.Postgres.Host.Should().Be("env-host");
    }

    [Fact]
    public void The_config_may_name_its_env_file_relative_to_itself()
    {
        using var folder = new TemporaryFolder();
        folder.Write("env/prod.env", "SF_ACCOUNT=prod\nSF_USER=U\nSF_KEY=/k\nPG_HOST=h\nPG_PASSWORD=p\n");
        var config = Valid();
        config["env_file"] = "env/prod.env";
        var path = folder.Write("config.json", config.ToJsonString());

        var result = ConfigLoader.Load(path, Options(variables: NoVariables));

        result.Findings.Should().BeEmpty();
        result.Config!.Snowflake.Account.Should().Be("prod");
    }

    [Fact]
    public void An_env_file_given_in_the_options_wins_over_the_configs_own()
    {
        using var folder = new TemporaryFolder();
        folder.Write("a.env", "SF_ACCOUNT=from-a\nSF_USER=U\nSF_KEY=/k\nPG_HOST=h\nPG_PASSWORD=p\n");
        var other = folder.Write("b.env", "SF_ACCOUNT=from-b\nSF_USER=U\nSF_KEY=/k\nPG_HOST=h\nPG_PASSWORD=p\n");
        var config = Valid();
        config["env_file"] = "a.env";
        var path = folder.Write("config.json", config.ToJsonString());

        var result = ConfigLoader.Load(path, Options(variables: NoVariables) with { EnvFilePath = other });

        result.Config!.Snowflake.Account.Should().Be("from-b");
    }

    [Fact]
    public void A_named_env_file_that_does_not_exist_is_an_error()
    {
        using var folder = new TemporaryFolder();
        var config = Valid();
        config["env_file"] = "missing.env";
        var path = folder.Write("config.json", config.ToJsonString());

        var result = ConfigLoader.Load(path, Options());

        result.CodesAndPaths().Should().Equal(("SFPG1010", "env_file"));
        result.Findings[0].Message.Should().Contain("missing.env");

        var fromOptions = ConfigLoader.Load(path, Options() with { EnvFilePath = Path.Combine(folder.Path, "nope.env") });
        fromOptions.CodesAndPaths().Should().Contain(("SFPG1010", "$"));
    }

    [Fact]
    public void A_bad_env_file_line_is_a_warning_naming_the_file_and_line_and_the_rest_is_read()
    {
        using var folder = new TemporaryFolder();
        var envPath = folder.Write(".env", "# comment\nSF_ACCOUNT=acc\nthis line is wrong\nSF_USER=U\nSF_KEY=/k\nPG_HOST=h\nPG_PASSWORD=p\n");
        var path = folder.Write("config.json", Valid().ToJsonString());

        var result = ConfigLoader.Load(path, Options(variables: NoVariables));

        var finding = result.Findings.Should().ContainSingle().Subject;
        (finding.Code, finding.Severity, finding.File, finding.Line).Should().Be(("SFPG1011", ConfigFindingSeverity.Warning, envPath, 3));
        result.Config!.Snowflake.User.Should().Be("U");
    }

    [Fact]
    public void Dotenv_values_may_be_quoted_exported_commented_and_span_lines()
    {
        var text = """
            # leading comment
            export PLAIN = value with spaces   # trailing comment
            SINGLE='literal $ and # kept'
            DOUBLE="tab\there"
            EMPTY=
            PEM="-----BEGIN PRIVATE KEY-----
            MIIBVQ
            -----END PRIVATE KEY-----"
            AFTER=ok
            """;

        var env = DotEnvFile.Parse(text);

        env.Problems.Should().BeEmpty();
        env.Variables.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["PLAIN"] = "value with spaces",
            ["SINGLE"] = "literal $ and # kept",
            ["DOUBLE"] = "tab\there",
            ["EMPTY"] = "",
            ["PEM"] = "-----BEGIN PRIVATE KEY-----\nMIIBVQ\n-----END PRIVATE KEY-----",
            ["AFTER"] = "ok",
        });
    }

    [Fact]
    public void Dotenv_reports_unclosed_quotes_and_bad_names()
    {
        var env = DotEnvFile.Parse("GOOD=1\n1BAD=2\nOPEN='never closed\n=3\n");

        env.Problems.Select(p => p.Line).Should().Equal(2, 3, 4);
        env.Variables.Keys.Should().Equal("GOOD");
    }
}
