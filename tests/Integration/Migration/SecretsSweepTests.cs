using System.Text.Json.Nodes;
using Npgsql;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// Canary secrets given to every verb, at its most verbose, appear nowhere: not on stdout or stderr (text or
/// JSON), in no text column of any status table, and not in the target server's log with every statement logged.
/// </summary>
public sealed class SecretsSweepTests
{
    private const string CanaryToken = "sfpgCanaryToken93xQ";
    private const string CanaryPassword = "sfpgCanaryPass41qZ";
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Canary_secrets_appear_in_no_output_status_row_or_server_log()
    {
        await using var server = await LocalPostgresCluster.StartAsync();
        await using var env = await MigrationEnvironment.StartAsync(targetServer: server);
        await ExecuteAsync(server.ConnectionString(), "ALTER SYSTEM SET log_statement = 'all'; SELECT pg_reload_conf();");
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 300) g;
            CREATE TABLE "PUBLIC"."BAD" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."BAD" VALUES (1, NULL);
            """);
        await env.TargetSql("CREATE TABLE items (id bigint, v text); CREATE TABLE bad (id bigint, v text NOT NULL);");
        var (config, envFile) = WriteConfig(env);
        try
        {
            var outputs = new List<string>();
            async Task<int> Sfpg(params string[] arguments)
            {
                var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, [.. arguments, "--config", config, "--env-file", envFile]);
                outputs.Add($"$ sfpg {string.Join(' ', arguments)} -> {exitCode}\n{output}\n{error}");
                return exitCode;
            }

            (await Sfpg("validate")).Should().Be(0, outputs[^1]);
            (await Sfpg("validate", "--json")).Should().Be(0, outputs[^1]);
            (await Sfpg("migrate", "--dry-run", "--json", "--verbose")).Should().Be(0, outputs[^1]);
            (await Sfpg("migrate", "--table", "items", "--verbose")).Should().Be(0, outputs[^1]);
            (await Sfpg("migrate", "--table", "bad", "--verbose", "--json")).Should().NotBe(0, outputs[^1]);
            (await Sfpg("runs")).Should().Be(0, outputs[^1]);
            (await env.TargetScalar<long>("SELECT count(*) FROM items")).Should().Be(300, "the sweep covers a real load");

            var everything = string.Join("\n", outputs);
            everything.Should().Contain("SFPG2115", "the failing run failed on its data, not earlier");
            Hits(everything).Should().BeEmpty("stdout and stderr of every verb must hold no secret");

            // The log is read before the status search below, whose own statement names the canaries.
            var log = await File.ReadAllTextAsync(server.LogFile);
            log.Should().Contain("migration_chunk_status", "log_statement=all must have logged the run's statements");
            Hits(log).Should().BeEmpty("the server log must hold no secret: " + string.Join("\n", log.Split('\n').Where(l => Hits(l).Count > 0).Take(5)));

            (await StatusColumnsHoldingCanaries(env.TargetConnection)).Should().BeEmpty("no status column may hold a secret");
        }
        finally
        {
            File.Delete(config);
            File.Delete(envFile);
        }
    }

    private static (string Config, string EnvFile) WriteConfig(MigrationEnvironment env)
    {
        var json = JsonNode.Parse(env.ConfigJson("""
            [ { "source": "ITEMS", "target": "items", "truncate_onstart": true },
              { "source": "BAD", "target": "bad", "truncate_onstart": true } ]
            """, maxRetryAttempts: 0))!;
        json["snowflake"]!["token"] = "${SF_TOKEN}";
        json["postgres"]!["password"] = "${PG_PASSWORD}";
        var stem = Path.Combine(Path.GetTempPath(), $"sfpg-sweep-{Guid.NewGuid():N}");
        File.WriteAllText(stem + ".json", json.ToJsonString());
        File.WriteAllText(stem + ".env", $"SF_TOKEN={CanaryToken}\nPG_PASSWORD={CanaryPassword}\n");
        return (stem + ".json", stem + ".env");
    }

    private static List<string> Hits(string text) =>
        new[] { CanaryToken, CanaryPassword }.Where(c => text.Contains(c, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Every text-like column of every status table, searched for either canary.</summary>
    private static async Task<List<string>> StatusColumnsHoldingCanaries(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.table_name, c.column_name FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'migration_status' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        columns.Should().Contain(("migration_runs", "error")).And.Contain(("migration_chunk_status", "error_history"));
        var hits = new List<string>();
        foreach (var (table, column) in columns)
        {
            await using var count = new NpgsqlCommand(
                $"SELECT count(*) FROM migration_status.{PgIdentifier.Quote(table)} WHERE {PgIdentifier.Quote(column)}::text ILIKE ANY (@canaries)", connection);
            count.Parameters.AddWithValue("canaries", new[] { $"%{CanaryToken}%", $"%{CanaryPassword}%" });
            if ((long)(await count.ExecuteScalarAsync())! > 0)
            {
                hits.Add($"{table}.{column}");
            }
        }

        return hits;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
