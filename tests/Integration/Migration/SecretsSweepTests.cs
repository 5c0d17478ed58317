using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.LocalPostgres;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// Canary secrets given to every verb, at its most verbose, appear nowhere: not on stdout or stderr (text or
/// JSON, the JSON log included), in no text column of any status table, not in the server's log with every statement logged, not in
/// the log of a real emulator process, and not on the command line of any sfpg process while it runs.
/// </summary>
public sealed class SecretsSweepTests
{
    private const string CanaryToken = "sfpgCanaryToken93xQ";
    private const string CanaryPassword = "sfpgCanaryPass41qZ";
    private const string CanaryPassphrase = "sfpgCanaryPhrase27wK";
    private const string CanarySas = "sv=2021-08-06&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00%3A00%3A00Z&sig=sfpgCanarySas58vR";
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Canary_secrets_appear_in_no_output_status_row_or_server_log()
    {
        await using var server = await LocalPostgresCluster.StartAsync();
        await using var env = await MigrationEnvironment.StartAsync(targetServer: server);
        await Sql.ExecuteAsync(server.ConnectionString(), "ALTER SYSTEM SET log_statement = 'all'; SELECT pg_reload_conf();");
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
            (await Sfpg("migrate", "--table", "items", "--verbose", "--log-format", "json")).Should().Be(0, outputs[^1]);
            JsonLogLines(outputs[^1]).Should().Contain(l => l.Contains("\"event_name\":\"ChunkCommitted\"", StringComparison.Ordinal), "the JSON log is swept too");
            (await Sfpg("migrate", "--table", "bad", "--verbose", "--log-format", "json")).Should().NotBe(0, outputs[^1]);
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

    [Fact]
    public async Task Key_pair_secrets_appear_in_no_output_emulator_log_command_line_status_row_or_server_log()
    {
        await using var server = await LocalPostgresCluster.StartAsync();
        await Sql.ExecuteAsync(server.ConnectionString(), "ALTER SYSTEM SET log_statement = 'all'; SELECT pg_reload_conf();");
        var warehouse = await server.CreateDatabaseAsync("SWEEP_WH");
        var target = await server.CreateDatabaseAsync("sweep_target");
        await Sql.ExecuteAsync(warehouse, """
            CREATE SCHEMA "PUBLIC";
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 300) g;
            CREATE TABLE "PUBLIC"."BAD" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."BAD" VALUES (1, NULL);
            """);
        await Sql.ExecuteAsync(target, "CREATE TABLE items (id bigint, v text); CREATE TABLE bad (id bigint, v text NOT NULL);");

        using var rsa = RSA.Create(2048);
        var encryptedPem = rsa.ExportEncryptedPkcs8PrivateKeyPem(CanaryPassphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        // Any line of the key's base64, encrypted or not, or its modulus is a hit.
        var keyCanaries = PemLines(encryptedPem).Concat(PemLines(rsa.ExportPkcs8PrivateKeyPem())).Concat(PemLines(rsa.ExportRSAPrivateKeyPem()))
            .Append(Convert.ToBase64String(rsa.ExportParameters(true).D!)[..40])
            .ToList();
        var canaries = keyCanaries.Concat([CanaryPassphrase, CanaryToken, CanaryPassword]).ToList();
        List<string> HitsOf(string text) => canaries.Where(c => text.Contains(c, StringComparison.OrdinalIgnoreCase)).ToList();

        var folder = Path.Combine(Path.GetTempPath(), $"sfpg-sweep-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var publicKey = Path.Combine(folder, "key.pub");
        await File.WriteAllTextAsync(publicKey, rsa.ExportSubjectPublicKeyInfoPem());

        // Every sfpg process's command line, sampled while the processes run.
        var commandLines = new ConcurrentDictionary<string, byte>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                foreach (var line in SfpgCommandLines())
                {
                    commandLines.TryAdd(line, 0);
                }

                await Task.Delay(20);
            }
        });

        using var emulator = SfpgProcess.StartSandbox("emulator", "serve", "--pg", server.ConnectionString(), "--public-key", publicKey);
        try
        {
            await Eventually.True(() => Task.FromResult(emulator.Output.Contains("listening on", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the emulator to start");
            var baseUri = new Uri(Regex.Match(emulator.Output, @"listening on (\S+)").Groups[1].Value);
            var targetBuilder = new NpgsqlConnectionStringBuilder(target);
            string ConfigJson(string credentials) => $$"""
                {
                  "snowflake": { "account": "sandbox", "user": "tester", {{credentials}},
                                 "host": "{{baseUri.Host}}", "port": {{baseUri.Port}}, "scheme": "http" },
                  "postgres": { "host": "{{targetBuilder.Host}}", "port": {{targetBuilder.Port}}, "user": "{{targetBuilder.Username}}", "password": "${PG_PASSWORD}" },
                  "parallel_threads": 2, "max_retry_attempts": 0,
                  "sources": [ { "source_name": "sweep", "source_sf_database": "\"SWEEP_WH\"", "source_sf_schema": "\"PUBLIC\"",
                                 "target_pg_database": "{{targetBuilder.Database}}", "target_pg_schema": "public",
                                 "tables": [ { "source": "ITEMS", "target": "items", "truncate_onstart": true },
                                             { "source": "BAD", "target": "bad", "truncate_onstart": true } ] } ]
                }
                """;
            var keyConfig = Path.Combine(folder, "key-pair.json");
            var tokenConfig = Path.Combine(folder, "token.json");
            var envFile = Path.Combine(folder, "secrets.env");
            await File.WriteAllTextAsync(keyConfig, ConfigJson("\"rsa_key\": \"${SF_KEY}\", \"rsa_key_passphrase\": \"${SF_PASSPHRASE}\""));
            await File.WriteAllTextAsync(tokenConfig, ConfigJson("\"token\": \"${SF_TOKEN}\", \"authenticator\": \"PROGRAMMATIC_ACCESS_TOKEN\""));
            // The key's text itself, with literal \n line breaks, is the config value.
            await File.WriteAllTextAsync(envFile,
                $"SF_KEY={encryptedPem.Trim().ReplaceLineEndings("\\n")}\nSF_PASSPHRASE={CanaryPassphrase}\nSF_TOKEN={CanaryToken}\nPG_PASSWORD={CanaryPassword}\n");

            var outputs = new List<string>();
            async Task<int> Sfpg(string config, params string[] arguments)
            {
                var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, [.. arguments, "--config", config, "--env-file", envFile]);
                outputs.Add($"$ sfpg {string.Join(' ', arguments)} -> {exitCode}\n{output}\n{error}");
                return exitCode;
            }

            (await Sfpg(keyConfig, "validate")).Should().Be(0, outputs[^1]);
            (await Sfpg(keyConfig, "validate", "--json")).Should().Be(0, outputs[^1]);
            (await Sfpg(keyConfig, "migrate", "--dry-run", "--json", "--verbose")).Should().Be(0, outputs[^1]);
            (await Sfpg(keyConfig, "migrate", "--table", "items", "--verbose")).Should().Be(0, outputs[^1]);
            (await Sfpg(keyConfig, "migrate", "--table", "bad", "--verbose", "--json")).Should().NotBe(0, outputs[^1]);
            (await Sfpg(keyConfig, "migrate", "--table", "bad", "--verbose")).Should().NotBe(0, outputs[^1]);
            // The emulator knows only the key: the token is refused, and the refusal must not echo it.
            (await Sfpg(tokenConfig, "migrate", "--table", "items", "--verbose")).Should().NotBe(0, outputs[^1]);
            (await Sfpg(tokenConfig, "migrate", "--table", "items", "--verbose", "--json")).Should().NotBe(0, outputs[^1]);
            (await Sfpg(keyConfig, "runs")).Should().Be(0, outputs[^1]);
            (await Sql.ScalarAsync<long>(target, "SELECT count(*) FROM items")).Should().Be(300L, "the sweep covers a real load");

            var everything = string.Join("\n", outputs);
            everything.Should().Contain("SFPG2115", "the failing run failed on its data, not earlier");
            HitsOf(everything).Should().BeEmpty("stdout and stderr of every verb must hold no secret");

            emulator.KillNow();
            var emulatorLog = emulator.Output + "\n" + emulator.Error;
            emulatorLog.Should().Contain("listening on");
            HitsOf(emulatorLog).Should().BeEmpty("the emulator's log must hold no secret");

            await stopSampling.CancelAsync();
            await sampler;
            commandLines.Keys.Should().Contain(l => l.Contains(" emulator serve ", StringComparison.Ordinal), "the emulator's command line was sampled")
                .And.Contain(l => l.Contains(" migrate ", StringComparison.Ordinal), "the verbs' command lines were sampled");
            HitsOf(string.Join("\n", commandLines.Keys)).Should().BeEmpty("no sfpg command line may hold a secret");

            var log = await File.ReadAllTextAsync(server.LogFile);
            log.Should().Contain("migration_chunk_status", "log_statement=all must have logged the run's statements");
            HitsOf(log).Should().BeEmpty("the server log must hold no secret: " + string.Join("\n", log.Split('\n').Where(l => HitsOf(l).Count > 0).Take(5)));

            (await StatusColumnsHoldingCanaries(target)).Should().BeEmpty("no status column may hold a secret");
        }
        finally
        {
            await stopSampling.CancelAsync();
            await sampler;
            Directory.Delete(folder, recursive: true);
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
        json["stage"] = new JsonObject { ["url"] = "azure://sweepaccount.blob.core.windows.net/unload/sfpg", ["sas_token"] = "${STAGE_SAS}" };
        var stem = Path.Combine(Path.GetTempPath(), $"sfpg-sweep-{Guid.NewGuid():N}");
        File.WriteAllText(stem + ".json", json.ToJsonString());
        File.WriteAllText(stem + ".env", $"SF_TOKEN={CanaryToken}\nPG_PASSWORD={CanaryPassword}\nSTAGE_SAS={CanarySas}\n");
        return (stem + ".json", stem + ".env");
    }

    /// <summary>The base64 lines of a PEM block, each long enough to be the key's alone.</summary>
    private static IEnumerable<string> PemLines(string pem) =>
        pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal) && l.Length >= 32);

    /// <summary>The command lines (arguments joined by spaces) of the running processes that run sfpg.</summary>
    private static IEnumerable<string> SfpgCommandLines()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            string line;
            try
            {
                line = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (line.Contains("sfpg", StringComparison.Ordinal))
            {
                yield return line;
            }
        }
    }

    /// <summary>The lines of --log-format json in a verb's captured output: each parses as one JSON object.</summary>
    private static List<string> JsonLogLines(string output) =>
        output.Split('\n').Where(l => l.StartsWith("{\"timestamp\"", StringComparison.Ordinal))
            .Where(l => JsonNode.Parse(l) is JsonObject)
            .ToList();

    private static List<string> Hits(string text) =>
        new[] { CanaryToken, CanaryPassword, "sfpgCanarySas58vR" }.Where(c => text.Contains(c, StringComparison.OrdinalIgnoreCase)).ToList();

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
            count.Parameters.AddWithValue("canaries", new[] { $"%{CanaryToken}%", $"%{CanaryPassword}%", "%sfpgCanarySas58vR%" });
            if ((long)(await count.ExecuteScalarAsync())! > 0)
            {
                hits.Add($"{table}.{column}");
            }
        }

        return hits;
    }
}
