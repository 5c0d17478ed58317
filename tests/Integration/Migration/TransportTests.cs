namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary><c>sfpg validate</c> refuses a config that would send Snowflake credentials over clear-text http.</summary>
public sealed class TransportTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(1);

    private static string ConfigFile(string snowflakeExtra)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sfpg-transport-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""
            {
              "snowflake": { "account": "myorg-myaccount", "user": "svc", "token": "canary-token", "authenticator": "PROGRAMMATIC_ACCESS_TOKEN"{{snowflakeExtra}} },
              "postgres": { "host": "127.0.0.1", "user": "migration" },
              "sources": [ { "source_name": "s", "source_sf_database": "DB", "source_sf_schema": "PUBLIC",
                             "target_pg_database": "t", "target_pg_schema": "public",
                             "tables": [ { "source": "ITEMS", "target": "items" } ] } ]
            }
            """);
        return path;
    }

    [Fact]
    public async Task Validate_refuses_http_to_a_real_account_naming_snowflake_scheme()
    {
        var config = ConfigFile(""", "scheme": "http" """);
        try
        {
            var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "validate", "--config", config);

            exitCode.Should().Be(1, "1 is validate's 'invalid config' exit code: " + output + error);
            (output + error).Should().Contain("error SFPG1050").And.Contain("snowflake.scheme").And.Contain("myorg-myaccount.snowflakecomputing.com");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Validate_accepts_http_to_a_loopback_emulator()
    {
        var config = ConfigFile(""", "scheme": "http", "host": "127.0.0.1", "port": 8085 """);
        try
        {
            var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "validate", "--config", config);

            exitCode.Should().Be(0, output + error);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
