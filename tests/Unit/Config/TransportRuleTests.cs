using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;
using static SnowPgMigration.Tests.Unit.Config.ConfigFixture;

namespace SnowPgMigration.Tests.Unit.Config;

/// <summary>Credentials never travel in clear text: http is for a loopback endpoint, or an explicit opt-in.</summary>
public sealed class TransportRuleTests
{
    private static JsonObject Snowflake(JsonObject config) => config["snowflake"]!.AsObject();

    [Theory]
    [InlineData(null)]
    [InlineData("myorg-myaccount.snowflakecomputing.com")]
    [InlineData("10.1.2.3")]
    public void Http_to_a_host_that_is_not_loopback_is_an_error_naming_the_scheme(string? host)
    {
        var config = Valid();
        Snowflake(config)["scheme"] = "http";
        if (host is not null)
        {
            Snowflake(config)["host"] = host;
        }

        var result = Load(config);

        result.CodesAndPaths().Should().Equal(("SFPG1050", "snowflake.scheme"));
        result.Findings[0].Severity.Should().Be(ConfigFindingSeverity.Error);
        result.Findings[0].Message.Should().Contain(host ?? "myorg-myaccount.snowflakecomputing.com").And.Contain("clear text");
        result.Findings[0].Hint.Should().Contain("allow_insecure_http");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Http_to_a_loopback_host_is_accepted(string host)
    {
        var config = Valid();
        Snowflake(config)["scheme"] = "http";
        Snowflake(config)["host"] = host;

        Load(config).Findings.Should().BeEmpty();
    }

    [Fact]
    public void Http_to_another_host_is_accepted_with_the_explicit_opt_in()
    {
        var config = Valid();
        Snowflake(config)["scheme"] = "http";
        Snowflake(config)["host"] = "emulator.test.internal";
        Snowflake(config)["allow_insecure_http"] = true;

        var result = Load(config);

        result.Findings.Should().BeEmpty();
        SnowflakeAccount.BaseAddress(result.GetConfigOrThrow().Snowflake).Should().Be(new Uri("http://emulator.test.internal"));
    }

    [Fact]
    public void The_client_refuses_http_to_a_real_account_even_for_settings_built_in_code()
    {
        var settings = new SnowflakeSettings { Account = "myorg-myaccount", Scheme = "http" };

        var refused = () => SnowflakeAccount.BaseAddress(settings);

        refused.Should().Throw<SfPgException>().Which.Code.Should().Be("SFPG1050");
    }
}
