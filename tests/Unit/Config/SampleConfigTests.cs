using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>The shipped samples: one that validates clean, one whose every mistake is named.</summary>
public sealed class SampleConfigTests
{
    private static readonly ConfigLoadOptions NoEnvironment = new() { EnvironmentVariables = _ => null };

    private static string SamplePath(string name) => RepositoryFiles.Path("samples", name);

    [Fact]
    public void The_sample_config_validates_clean_with_its_sample_env()
    {
        var result = ConfigLoader.Load(SamplePath("config.json"), NoEnvironment);

        result.Findings.Should().BeEmpty();
        var config = result.Config!;
        config.Snowflake.Account.Should().Be("myorg-myaccount");
        config.Snowflake.Role.Should().Be("MIGRATION_READER");
        config.Snowflake.Authenticator.Should().Be("SNOWFLAKE_JWT");
        config.Postgres.Port.Should().Be(5432);
        var tables = config.Sources.Single().Tables;
        tables.Should().HaveCount(5);
        tables[1].ColumnMapping.Should().Equal(new Dictionary<string, string> { ["Updated Timestamp"] = "Updated Datatimestamp" });
        tables[2].Source.Should().Be("multipayer_payer");
        tables[2].UniquenessColumns.Should().BeEmpty();
        tables[3].InsertOnlyMode.Should().BeTrue();
        tables[4].Enabled.Should().BeFalse();
    }

    [Fact]
    public void The_sample_with_mistakes_names_each_mistake_with_its_path()
    {
        var result = ConfigLoader.Load(SamplePath("config-with-mistakes.json"), NoEnvironment);

        result.IsValid.Should().BeFalse();
        result.Errors.Select(f => (f.Code, f.Path)).Should().Equal(
            ("SFPG1020", "snowflake"),
            ("SFPG1008", "postgres.password"),
            ("SFPG1007", "postgres.sslmode"),
            ("SFPG1006", "parallel_threads"),
            ("SFPG1004", "sources[0].target_pg_schema"),
            ("SFPG1003", "sources[0].tables[0].batch_szie"),
            ("SFPG1013", "sources[0].tables[0].chunking_column_types"),
            ("SFPG1014", "sources[0].tables[1].chunking_column_types[0]"),
            ("SFPG1005", "sources[0].tables[1].truncate_onstart"),
            ("SFPG1015", "sources[0].tables[1].uniqueness_columns"),
            ("SFPG1017", "sources[0].tables[2].target"));
    }
}
