using System.Text.Json;
using System.Text.Json.Nodes;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// <c>sfpg validate --connect</c>: logs in to the emulator and the target database and reports, one finding each with
/// its JSON path, every source or target object, column and privilege the config needs but the servers lack.
/// </summary>
public sealed class ConnectionCheckTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Each_planted_problem_is_one_finding_with_its_path_and_a_sound_config_passes()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."ITEMS" VALUES (1, 'one');
            """);
        var loader = $"loader_{env.Target}";
        await env.TargetSql($"""
            CREATE TABLE items (id bigint PRIMARY KEY, name text);
            CREATE TABLE items_a (id bigint, name text);
            CREATE TABLE items_b (id bigint, name text);
            CREATE TABLE items_d (id bigint PRIMARY KEY, name text);
            CREATE TABLE items_copy (id bigint, name text);
            CREATE TABLE items_indexed (id bigint PRIMARY KEY, name text);
            CREATE ROLE {loader} LOGIN;
            GRANT SELECT, INSERT, TRUNCATE ON items_a, items_b TO {loader};
            GRANT SELECT, INSERT, UPDATE ON items_d TO {loader};
            GRANT SELECT, INSERT ON items_copy, items_indexed TO {loader};
            """);
        using var folder = new TemporaryFolder();

        // As the tables' owner, with every privilege: nothing to report.
        var sound = WriteConfig(folder, env, """
            [ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"] } ]
            """, user: null);
        var (soundExit, soundOutput, soundError) = await SfpgProcess.RunAsync(ProcessTimeout, "validate", "--config", sound, "--connect");
        soundExit.Should().Be(0, soundOutput + soundError);
        soundOutput.Should().NotContain("error SFPG");

        // As a loading role with only some privileges, and a config naming what is not there.
        var planted = WriteConfig(folder, env, """
            [ { "source": "NO_SUCH_TABLE", "target": "items_a", "truncate_onstart": true },
              { "source": "ITEMS", "target": "items_b", "chunking_columns": ["NO_SUCH_COLUMN"], "chunking_column_types": ["int"], "truncate_onstart": true },
              { "source": "ITEMS", "target": "no_such_table", "truncate_onstart": true },
              { "source": "ITEMS", "target": "items_d", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["no_such_key"] },
              { "source": "ITEMS", "target": "items_copy", "truncate_onstart": true },
              { "source": "ITEMS", "target": "items_indexed", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "insert_only_mode": true,
                "uniqueness_columns": ["id"], "disable_index": true } ]
            """, user: loader);

        var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "validate", "--config", planted, "--connect", "--json");

        exitCode.Should().Be(1, output + error);
        var findings = JsonNode.Parse(output)!["findings"]!.AsArray()
            .Where(f => (string)f!["severity"]! == "error")
            .Select(f => ((string)f!["code"]!, (string)f["path"]!, (string)f["message"]!))
            .ToList();
        findings.Select(f => (f.Item1, f.Item2)).Should().BeEquivalentTo(new[]
        {
            ("SFPG1081", "sources[0].tables[0].source"),
            ("SFPG1082", "sources[0].tables[1].chunking_columns"),
            ("SFPG1084", "sources[0].tables[2].target"),
            ("SFPG1085", "sources[0].tables[3].uniqueness_columns"),
            ("SFPG1086", "sources[0].tables[4].target"),
            ("SFPG1086", "sources[0].tables[5].target"),
            ("SFPG1087", "sources[0].target_pg_database"),
        }, because: output);
        findings.Should().Contain(f => f.Item2 == "sources[0].tables[4].target" && f.Item3.Contains("TRUNCATE") && f.Item3.Contains(loader));
        findings.Should().Contain(f => f.Item2 == "sources[0].tables[5].target" && f.Item3.Contains("disable_index"));
        findings.Should().Contain(f => f.Item1 == "SFPG1082" && f.Item3.Contains("\"NO_SUCH_COLUMN\"") && f.Item3.Contains("ID, NAME"));
        findings.Should().Contain(f => f.Item1 == "SFPG1087" && f.Item3.Contains("migration_status"));
        (await env.TargetScalar<bool>("SELECT to_regnamespace('migration_status') IS NULL")).Should().BeTrue("the check changes nothing");
    }

    [Fact]
    public async Task A_refused_Snowflake_login_and_an_unknown_target_database_are_findings_on_their_settings()
    {
        await using var env = await MigrationEnvironment.StartAsync(o => o with { AcceptedTokens = ["the-right-token"] });
        var json = JsonNode.Parse(env.ConfigJson("""[ { "source": "ITEMS", "target": "items", "truncate_onstart": true } ]"""))!;
        json["sources"]![0]!["target_pg_database"] = "no_such_database";
        var path = Path.Combine(Path.GetTempPath(), $"sfpg-connect-{env.Target}.json");
        File.WriteAllText(path, json.ToJsonString());
        try
        {
            var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "validate", "--config", path, "--connect");

            exitCode.Should().Be(1, output + error);
            output.Should().Contain("error SFPG1080 snowflake:").And.Contain("user 'tester'");
            output.Should().Contain("error SFPG1083 sources[0].target_pg_database:").And.Contain("no_such_database");
            output.Should().NotContain("the-right-token").And.NotContain("\"any\"");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WriteConfig(TemporaryFolder folder, MigrationEnvironment env, string tables, string? user)
    {
        var json = JsonNode.Parse(env.ConfigJson(tables))!;
        if (user is not null)
        {
            json["postgres"]!["user"] = user;
        }

        return folder.Write($"config-{Guid.NewGuid():N}.json", json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
