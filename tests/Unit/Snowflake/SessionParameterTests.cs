using System.Text.Json;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>Every statement pins the session settings that give timestamp literals their meaning.</summary>
public sealed class SessionParameterTests
{
    [Fact]
    public async Task Every_statement_sends_utc_ntz_mapping_and_its_own_query_tag()
    {
        await using var server = new ReplayServer().On("POST /api/v2/statements", Recording.Load(144).ToResponse(), Recording.Load(144).ToResponse());
        await using var client = TestClients.For(server);

        await client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));
        await client.ExecuteAsync(new SnowflakeStatement("SELECT 1")
        {
            Parameters = new Dictionary<string, string> { ["QUERY_TAG"] = "sfpg run 1 orders", ["TIMEZONE"] = "Europe/Paris" },
        });

        var sent = server.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("parameters")).ToList();
        sent[0].GetProperty("TIMEZONE").GetString().Should().Be("UTC");
        sent[0].GetProperty("TIMESTAMP_TYPE_MAPPING").GetString().Should().Be("TIMESTAMP_NTZ");
        sent[0].TryGetProperty("QUERY_TAG", out _).Should().BeFalse();
        sent[1].GetProperty("QUERY_TAG").GetString().Should().Be("sfpg run 1 orders");
        sent[1].GetProperty("TIMEZONE").GetString().Should().Be("Europe/Paris", "a statement's own parameter wins");
        sent[1].GetProperty("TIMESTAMP_TYPE_MAPPING").GetString().Should().Be("TIMESTAMP_NTZ");
    }

    [Fact]
    public void The_query_tag_names_the_run_and_the_table()
    {
        var run = Guid.Parse("f549a3c6-b4ed-4418-a82c-87a203557232");

        SnowflakeSessionParameters.QueryTagFor(run).Should().Be("sfpg run f549a3c6-b4ed-4418-a82c-87a203557232");
        SnowflakeSessionParameters.QueryTagFor(run, "orders").Should().Be("sfpg run f549a3c6-b4ed-4418-a82c-87a203557232 orders");
    }
}
