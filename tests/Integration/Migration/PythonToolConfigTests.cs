using System.Security.Cryptography;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>The older Python tool's config.json works as it is: every documented key is accepted with its meaning.</summary>
public sealed class PythonToolConfigTests
{
    [Fact]
    public async Task The_older_tools_config_with_every_documented_key_passes_validate()
    {
        using var folder = new TemporaryFolder();
        var keyPath = folder.Write("snowflake_key.p8", NewKeyPem());
        var envFile = folder.Write(".env", $"""
            SNOWFLAKE_ACCOUNT=myorg-myaccount
            SNOWFLAKE_USER=MIGRATION_SVC
            SNOWFLAKE_WAREHOUSE=COMPUTE_WH
            SNOWFLAKE_RSA_KEY={keyPath}
            POSTGRES_HOST=localhost
            POSTGRES_USER=migration
            POSTGRES_PASSWORD=change-me
            """);

        var (exitCode, output, error) = await SfpgProcess.RunAsync(
            TimeSpan.FromSeconds(60), "validate", "--config", RepositoryFiles.Path("samples", "python-tool-config.json"), "--env-file", envFile);

        exitCode.Should().Be(0, output + error);
        output.Should().NotContain("error SFPG");
        output.Should().NotContain("SFPG1040", "status_tracking_database names the target database");
    }

    [Fact]
    public async Task A_status_tracking_database_other_than_the_target_is_a_warning_naming_where_status_lives()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        var path = env.ConfigFile("""[ { "source": "T", "target": "t", "truncate_onstart": true } ]""");
        var text = File.ReadAllText(path).Replace("\"sources\":", "\"status_tracking_database\": \"migration_tracking\", \"sources\":", StringComparison.Ordinal);
        File.WriteAllText(path, text);

        var (exitCode, output, _) = await SfpgProcess.RunAsync(TimeSpan.FromSeconds(60), "validate", "--config", path);

        exitCode.Should().Be(0, output);
        output.Should().Contain("warning SFPG1040 status_tracking_database")
            .And.Contain("'migration_tracking' is not used")
            .And.Contain($"test -> {env.Target}");
    }

    [Fact]
    public async Task Root_insert_only_mode_is_inherited_and_batch_size_copy_mode_sizes_copy_loads()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."KEPT" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."KEPT" SELECT g, 'source' FROM generate_series(1, 200) g;
            CREATE TABLE "PUBLIC"."COPIED" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."COPIED" SELECT g, 'row ' || g FROM generate_series(1, 400) g;
            CREATE TABLE "PUBLIC"."CODES" ("CODE" varchar(20), "NAME" text);
            INSERT INTO "PUBLIC"."CODES" SELECT g::text, 'code ' || g FROM generate_series(1, 300) g;
            """);
        await env.TargetSql("""
            CREATE TABLE kept (id bigint PRIMARY KEY, name text);
            INSERT INTO kept VALUES (5, 'already here');
            CREATE TABLE copied (id bigint, name text);
            CREATE TABLE codes (code varchar(20), name text);
            """);
        var json = env.ConfigJson(
            """
            [ { "source": "KEPT", "target": "kept", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"] },
              { "source": "COPIED", "target": "copied", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true },
              { "source": "CODES", "target": "codes", "chunking_columns": ["CODE"], "chunking_column_types": ["varchar_numeric"], "truncate_onstart": true,
                "batch_size_copy_mode": 1000 } ]
            """,
            batchSize: 1000)
            .Replace("\"sources\":", "\"insert_only_mode\": true, \"batch_size_copy_mode\": 100, \"sources\":", StringComparison.Ordinal);
        var config = Engine.Config.ConfigLoader.Parse(json).GetConfigOrThrow();

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        var kept = run.Tables.Single(t => t.Table == "kept");
        kept.LoadMethod.Should().Be("insert_only", "the root insert_only_mode is the default of every table");
        (await env.TargetScalar<string>("SELECT name FROM kept WHERE id = 5")).Should().Be("already here");
        (await env.TargetScalar<long>("SELECT count(*) FROM kept")).Should().Be(200);

        var copied = run.Tables.Single(t => t.Table == "copied");
        copied.LoadMethod.Should().Be("copy");
        copied.Chunks.Should().BeGreaterThan(1, "batch_size_copy_mode (100) sizes chunks of a COPY load, not batch_size (1000)");
        (await env.TargetFingerprint("copied")).Should().Be(await env.SourceFingerprint("COPIED"));

        var codes = run.Tables.Single(t => t.Table == "codes");
        codes.Chunks.Should().Be(1, "the table's own batch_size_copy_mode (1000) wins over the root's");
        (await env.TargetFingerprint("codes")).Should().Be(await env.SourceFingerprint("CODES"));
    }

    private static string NewKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
