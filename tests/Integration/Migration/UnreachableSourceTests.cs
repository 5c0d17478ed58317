using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>A Snowflake that cannot be reached at all fails the run once, at its first statement, with its code.</summary>
public sealed class UnreachableSourceTests
{
    [Fact]
    public async Task Nothing_listening_at_the_account_fails_the_run_once_at_the_first_statement_instead_of_retrying_every_table()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.TargetSql("CREATE TABLE a (id bigint); CREATE TABLE b (id bigint); CREATE TABLE c (id bigint);");
        var json = JsonNode.Parse(env.ConfigJson("""
            [ { "source": "A", "target": "a" }, { "source": "B", "target": "b" }, { "source": "C", "target": "c" } ]
            """))!;
        json["snowflake"]!["port"] = ClosedLoopbackPort();
        var config = Path.Combine(Path.GetTempPath(), $"sfpg-unreachable-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, json.ToJsonString());
        try
        {
            // Retrying each of the three tables' statements would take minutes; failing at the first takes a moment.
            var (exitCode, output, error) = await SfpgProcess.RunAsync(TimeSpan.FromSeconds(60), "migrate", "--config", config);

            exitCode.Should().Be(1, output + error);
            (output + error).Should().Contain("SFPG3010").And.Contain("could not be reached at all").And.Contain("snowflake.account");
            (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("failed");
            (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_table_status")).Should().BeLessThanOrEqualTo(1,
                "the run stopped at the first table instead of failing each one");
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
