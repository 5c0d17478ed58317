using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void A_valid_config_yields_the_config_its_hash_and_no_findings()
    {
        var result = Load(Valid());

        result.Findings.Should().BeEmpty();
        result.IsValid.Should().BeTrue();
        result.ConfigHash.Should().MatchRegex("^[0-9a-f]{64}$");
        result.Config!.Snowflake.Account.Should().Be("myorg-myaccount");
        result.Config.Postgres.Password.Should().Be(Password);
        result.Config.ParallelThreads.Should().Be(MigrationConfig.DefaultParallelThreads);
        result.Config.BatchSize.Should().Be(MigrationConfig.DefaultBatchSize);
        result.Config.MaxRetryAttempts.Should().Be(MigrationConfig.DefaultMaxRetryAttempts);
        result.Config.DeadlineBufferSeconds.Should().Be(MigrationConfig.DefaultDeadlineBufferSeconds);
    }

    [Fact]
    public void Every_setting_of_the_format_is_loaded()
    {
        var json = """
            {
              "snowflake": {
                "account": "xy12345.us-east-1", "user": "SVC", "role": "READER", "warehouse": "WH",
                "rsa_key": "/k.p8", "rsa_key_passphrase": "${PASS}", "token": "${TOK}", "authenticator": "snowflake_jwt",
                "host": "127.0.0.1", "port": 8443, "scheme": "HTTP", "statement_timeout_seconds": 600
              },
              "postgres": { "host": "db", "port": 6543, "user": "u", "password": "${PG_PASSWORD}", "database": "dflt", "sslmode": "verify-full" },
              "parallel_threads": 8, "batch_size": 50000, "max_retry_attempts": 5, "deadline_buffer_seconds": 90,
              "sources": [{
                "enabled": false, "source_name": "s1", "source_sf_database": "ANALYTICS", "source_sf_schema": "BI",
                "target_pg_schema": "public",
                "tables": [{
                  "enabled": false, "source": "T1", "target": "t1", "source_filter": "\"Is Active\" = TRUE",
                  "chunking_columns": ["ID", "Day"], "chunking_column_types": ["bigint", "DATE"],
                  "uniqueness_columns": ["id"], "sort_columns": ["ID"],
                  "source_watermark": "UPDATED", "target_watermark": "updated",
                  "column_mapping": { "Name X": "name_x" },
                  "truncate_onstart": false, "insert_only_mode": true, "disable_index": true,
                  "parallel_threads": 2, "batch_size": 1000
                }]
              }]
            }
            """;

        var result = Load(json, variables: new Dictionary<string, string> { ["PASS"] = "p", ["TOK"] = "t", ["PG_PASSWORD"] = "pw" });

        result.Errors.Should().BeEmpty();
        var config = result.Config!;
        config.Snowflake.Should().BeEquivalentTo(new SnowflakeSettings
        {
            Account = "xy12345.us-east-1", User = "SVC", Role = "READER", Warehouse = "WH", RsaKey = "/k.p8",
            RsaKeyPassphrase = "p", Token = "t", Authenticator = "SNOWFLAKE_JWT", Host = "127.0.0.1", Port = 8443,
            Scheme = "http", StatementTimeoutSeconds = 600,
        });
        config.Postgres.Should().BeEquivalentTo(new PostgresSettings
        {
            Host = "db", Port = 6543, User = "u", Password = "pw", Database = "dflt", SslMode = "VerifyFull",
        });
        (config.ParallelThreads, config.BatchSize, config.MaxRetryAttempts, config.DeadlineBufferSeconds).Should().Be((8, 50000, 5, 90));
        var source = config.Sources.Single();
        source.Should().BeEquivalentTo(new
        {
            SourceName = "s1", SourceSfDatabase = "ANALYTICS", SourceSfSchema = "BI",
            TargetPgDatabase = "dflt", TargetPgSchema = "public", Enabled = false,
        });
        source.Tables.Single().Should().BeEquivalentTo(new TableConfig
        {
            Source = "T1", Target = "t1", Enabled = false, SourceFilter = "\"Is Active\" = TRUE",
            ChunkingColumns = ["ID", "DAY"], ChunkingColumnTypes = ["bigint", "date"],
            UniquenessColumns = ["id"], SortColumns = ["ID"],
            SourceWatermark = "UPDATED", TargetWatermark = "updated",
            ColumnMapping = new Dictionary<string, string> { ["Name X"] = "name_x", ["UPDATED"] = "updated" },
            TruncateOnStart = false, InsertOnlyMode = true, DisableIndex = true, ParallelThreads = 2, BatchSize = 1000,
        });
    }

    [Fact]
    public void The_older_lambda_timeout_buffer_name_is_accepted()
    {
        var config = Valid();
        config["lambda_timeout_buffer_seconds"] = 300;

        var result = Load(config);

        result.Findings.Should().BeEmpty();
        result.Config!.DeadlineBufferSeconds.Should().Be(300);
    }

    [Fact]
    public void The_deadline_buffer_and_its_older_name_set_to_different_values_is_an_error()
    {
        var config = Valid();
        config["deadline_buffer_seconds"] = 60;
        config["lambda_timeout_buffer_seconds"] = 300;

        Load(config).CodesAndPaths().Should().Equal(("SFPG1028", "lambda_timeout_buffer_seconds"));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var json = Valid().ToJsonString().Replace("\"parallel_threads\"", "\"x\"", StringComparison.Ordinal);
        json = "// leading comment\n" + json.Insert(json.Length - 1, ", /* block */ \"parallel_threads\": 3,");

        var result = Load(json);

        result.Findings.Should().BeEmpty();
        result.Config!.ParallelThreads.Should().Be(3);
    }

    [Fact]
    public void A_json_syntax_error_names_its_line_and_column()
    {
        var json = "{\n  \"snowflake\": {\n    \"account\": \"a\"\n    \"user\": \"b\"\n  }\n}";

        var result = Load(json);

        var finding = result.Findings.Should().ContainSingle().Subject;
        finding.Code.Should().Be("SFPG1002");
        finding.Path.Should().Be("$");
        (finding.Line, finding.Column).Should().Be((4, 5));
        finding.Message.Should().StartWith("invalid JSON at line 4, column 5:");
        result.Config.Should().BeNull();
    }

    [Fact]
    public void The_syntax_error_column_counts_characters_not_bytes()
    {
        var json = "{ \"x\": \"äöü\" ,, }";

        var finding = Load(json).Findings.Single();

        (finding.Line, finding.Column).Should().Be((1, 15));
    }

    [Fact]
    public void A_missing_config_file_is_a_finding_not_an_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sfpg-missing-{Guid.NewGuid():N}.json");

        var result = ConfigLoader.Load(path);

        result.CodesAndPaths().Should().Equal(("SFPG1001", "$"));
        result.Findings[0].Message.Should().Contain(path);
        result.IsValid.Should().BeFalse();
    }

    [Fact]
    public void A_misspelt_key_is_reported_with_the_key_it_resembles()
    {
        var config = Valid();
        Table(config)["batch_szie"] = 1000;
        config["paralel_threads"] = 4;

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1003", "paralel_threads"), ("SFPG1003", "sources[0].tables[0].batch_szie"));
        result.Findings[1].Message.Should().Be("unknown key 'batch_szie'; did you mean 'batch_size'?");
        result.Findings[1].Hint.Should().Be("Rename it to 'batch_size'.");
        result.Findings[0].Message.Should().Contain("did you mean 'parallel_threads'?");
    }

    [Fact]
    public void An_unknown_key_resembling_nothing_lists_the_known_keys()
    {
        var config = Valid();
        config["postgres"]!["completely_unrelated"] = 1;

        var finding = Load(config).Findings.Single();

        finding.Path.Should().Be("postgres.completely_unrelated");
        finding.Message.Should().Be("unknown key 'completely_unrelated'.");
        finding.Hint.Should().Contain("database, host, password, port, sslmode, user");
    }

    [Fact]
    public void Keys_starting_with_an_underscore_are_comments()
    {
        var config = Valid();
        config["_comment"] = "notes";
        Table(config)["_why"] = new JsonObject { ["anything"] = 1 };

        Load(config).Findings.Should().BeEmpty();
    }

    [Fact]
    public void A_key_given_twice_in_one_object_is_an_error()
    {
        var json = Valid().ToJsonString().Replace("\"source\":\"DIMPAYER\"", "\"source\":\"DIMPAYER\",\"source\":\"OTHER\"", StringComparison.Ordinal);

        Load(json).CodesAndPaths().Should().Equal(("SFPG1012", "sources[0].tables[0].source"));
    }

    [Fact]
    public void Missing_required_settings_are_each_reported_with_their_path()
    {
        var config = Valid();
        config["snowflake"]!.AsObject().Remove("account");
        config["postgres"]!.AsObject().Remove("host");
        Source(config).Remove("source_name");
        Source(config).Remove("target_pg_database");
        Table(config).Remove("target");
        Table(config)["source"] = "  ";

        Load(config).CodesAndPaths().Should().Equal(
            ("SFPG1004", "snowflake.account"),
            ("SFPG1004", "postgres.host"),
            ("SFPG1004", "sources[0].source_name"),
            ("SFPG1004", "sources[0].target_pg_database"),
            ("SFPG1004", "sources[0].tables[0].source"),
            ("SFPG1004", "sources[0].tables[0].target"));
    }

    [Fact]
    public void Missing_blocks_and_an_empty_source_list_are_reported()
    {
        var result = Load("""{ "sources": [] }""");

        result.CodesAndPaths().Should().Equal(("SFPG1004", "snowflake"), ("SFPG1004", "postgres"), ("SFPG1004", "sources"));
    }

    [Fact]
    public void The_postgres_database_is_the_default_for_sources_that_name_none()
    {
        var config = Valid();
        config["postgres"]!["database"] = "shared_db";
        Source(config).Remove("target_pg_database");

        var result = Load(config);

        result.Findings.Should().BeEmpty();
        result.Config!.Sources[0].TargetPgDatabase.Should().Be("shared_db");
    }

    [Fact]
    public void Values_of_the_wrong_json_type_are_reported_with_what_was_found()
    {
        var config = Valid();
        config["parallel_threads"] = "8";
        config["batch_size"] = 1.5;
        Table(config)["chunking_columns"] = "Payer Id";
        Table(config)["truncate_onstart"] = "no";
        Table(config)["uniqueness_columns"] = new JsonArray(1, "Payer Id");
        Source(config)["target_pg_schema"] = new JsonObject();

        var result = Load(config);

        result.CodesAndPaths().Should().Contain(new[]
        {
            ("SFPG1005", "parallel_threads"),
            ("SFPG1005", "batch_size"),
            ("SFPG1005", "sources[0].target_pg_schema"),
            ("SFPG1005", "sources[0].tables[0].chunking_columns"),
            ("SFPG1005", "sources[0].tables[0].uniqueness_columns[0]"),
            ("SFPG1005", "sources[0].tables[0].truncate_onstart"),
        });
        var byPath = result.Findings.ToDictionary(f => f.Path);
        byPath["parallel_threads"].Message.Should().Be("expected a whole number but found a string.");
        byPath["parallel_threads"].Hint.Should().Contain("8 rather than \"8\"");
        byPath["sources[0].tables[0].chunking_columns"].Hint.Should().Be("Write a list even for one column: [\"Payer Id\"].");
        byPath["sources[0].tables[0].truncate_onstart"].Message.Should().Be("expected true or false but found a string.");
    }

    [Fact]
    public void A_non_object_where_an_object_belongs_is_reported()
    {
        var config = Valid();
        config["sources"]!.AsArray().Add(42);
        config["postgres"] = "localhost";

        Load(config).CodesAndPaths().Should().Equal(("SFPG1005", "postgres"), ("SFPG1005", "sources[1]"));
    }

    [Theory]
    [InlineData("parallel_threads", 0, "parallel_threads")]
    [InlineData("parallel_threads", 65, "parallel_threads")]
    [InlineData("batch_size", 0, "batch_size")]
    [InlineData("batch_size", 10_000_001, "batch_size")]
    [InlineData("max_retry_attempts", -1, "max_retry_attempts")]
    [InlineData("deadline_buffer_seconds", 86_401, "deadline_buffer_seconds")]
    public void Global_numbers_outside_their_range_are_reported(string key, int value, string path)
    {
        var config = Valid();
        config[key] = value;

        var finding = Load(config).Findings.Single();

        (finding.Code, finding.Path).Should().Be(("SFPG1006", path));
        finding.Message.Should().StartWith($"{value} is outside the allowed range");
    }

    [Fact]
    public void Numbers_at_the_edges_of_their_ranges_are_accepted()
    {
        var config = Valid();
        config["parallel_threads"] = 64;
        config["batch_size"] = 10_000_000;
        Table(config)["parallel_threads"] = 1;
        Table(config)["batch_size"] = 1;

        var result = Load(config);

        result.Findings.Should().BeEmpty();
        result.FirstTable().ParallelThreads.Should().Be(1);
        result.Config!.BatchSize.Should().Be(10_000_000);
    }

    [Fact]
    public void Per_table_overrides_and_ports_are_range_checked_with_their_paths()
    {
        var config = Valid();
        Table(config)["parallel_threads"] = 100;
        Table(config)["batch_size"] = 0;
        config["postgres"]!["port"] = 70000;
        config["snowflake"]!["port"] = 0;
        config["snowflake"]!["statement_timeout_seconds"] = 604_801;

        Load(config).CodesAndPaths().Should().Equal(
            ("SFPG1006", "snowflake.port"),
            ("SFPG1006", "snowflake.statement_timeout_seconds"),
            ("SFPG1006", "postgres.port"),
            ("SFPG1006", "sources[0].tables[0].parallel_threads"),
            ("SFPG1006", "sources[0].tables[0].batch_size"));
    }

    [Fact]
    public void Settings_with_a_fixed_set_of_values_are_checked_and_suggest_the_closest()
    {
        var config = Valid();
        config["postgres"]!["sslmode"] = "verify_full";
        config["snowflake"]!["authenticator"] = "OAUTH2";
        config["snowflake"]!["scheme"] = "ftp";

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(
            ("SFPG1007", "snowflake.authenticator"),
            ("SFPG1007", "snowflake.scheme"),
            ("SFPG1007", "postgres.sslmode"));
        result.Findings[0].Message.Should().Be("'OAUTH2' is not a valid authenticator; did you mean 'OAUTH'?");
        result.Findings[2].Message.Should().Be("'verify_full' is not an SSL mode; did you mean 'verify-full'?");
    }

    [Theory]
    [InlineData("disable", "Disable")]
    [InlineData("Require", "Require")]
    [InlineData("verify-ca", "VerifyCA")]
    [InlineData("VerifyFull", "VerifyFull")]
    public void Ssl_modes_are_accepted_in_libpq_and_npgsql_spelling(string written, string expected)
    {
        var config = Valid();
        config["postgres"]!["sslmode"] = written;

        Load(config).Config!.Postgres.SslMode.Should().Be(expected);
    }

    [Fact]
    public void All_problems_are_reported_in_one_pass()
    {
        var config = Valid();
        config["parallel_threads"] = 0;
        config["postgres"]!["password"] = "${NOT_SET}";
        Table(config)["chunking_column_types"] = Array("uuid", "int");
        Table(config)["colum_mapping"] = new JsonObject();
        Source(config).Remove("target_pg_schema");

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(
            ("SFPG1008", "postgres.password"),
            ("SFPG1006", "parallel_threads"),
            ("SFPG1004", "sources[0].target_pg_schema"),
            ("SFPG1003", "sources[0].tables[0].colum_mapping"),
            ("SFPG1013", "sources[0].tables[0].chunking_column_types"));
        result.Config.Should().BeNull();
        result.ConfigHash.Should().BeNull();
    }

    [Fact]
    public void Warnings_alone_still_yield_a_config()
    {
        var config = Valid();
        config["postgres"]!["password"] = "literal";

        var result = Load(config);

        result.Findings.Should().ContainSingle().Which.Severity.Should().Be(ConfigFindingSeverity.Warning);
        result.IsValid.Should().BeTrue();
        result.ConfigHash.Should().NotBeNull();
    }

    [Fact]
    public void GetConfigOrThrow_raises_the_first_error_code_and_lists_the_errors()
    {
        var config = Valid();
        config["parallel_threads"] = 0;
        config["batch_size"] = 0;

        var act = () => Load(config).GetConfigOrThrow();

        var error = act.Should().Throw<SnowPgMigration.Engine.Errors.SfPgException>().Which;
        error.Code.Should().Be("SFPG1006");
        error.Target.Should().Be("parallel_threads");
        error.Message.Should().Contain("2 error(s)").And.Contain("batch_size");
    }

    [Fact]
    public void Loading_from_a_file_names_the_file_in_every_finding()
    {
        using var folder = new TemporaryFolder();
        var config = Valid();
        config["batch_size"] = -5;
        var path = folder.Write("config.json", config.ToJsonString());

        var result = ConfigLoader.Load(path, Options());

        result.File.Should().Be(path);
        result.Findings.Should().ContainSingle().Which.File.Should().Be(path);
    }
}
