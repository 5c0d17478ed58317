using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Tests.Support;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>Which answers the client retries, how it waits, and what it sends again; over real HTTP.</summary>
public sealed class RetryPolicyTests
{
    private const string Statements = "POST /api/v2/statements";

    private static ReplayResponse Success => Recording.Load(18).ToResponse();

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Overload_and_gateway_answers_are_retried_with_the_same_request_id(int status)
    {
        await using var server = new ReplayServer()
            .On(Statements, ReplayResponse.Json(status, """{"code":"390505","message":"Too many requests."}"""), Success);
        await using var client = TestClients.For(server);

        var rows = await (await client.ExecuteAsync(new SnowflakeStatement("SELECT 1 AS a, 'x' AS b"))).ReadAllAsync();

        rows.Single().Should().Equal(1L, "x");
        var posts = server.Received.ToList();
        posts.Should().HaveCount(2);
        posts[1].QueryValue("requestId").Should().Be(posts[0].QueryValue("requestId"));
        posts[1].QueryValue("retry").Should().Be("true");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(422)]
    [InlineData(500)]
    public async Task Other_failures_are_not_retried(int status)
    {
        await using var server = new ReplayServer()
            .On(Statements, ReplayResponse.Json(status, """{"code":"002003","message":"no","sqlState":"42S02","statementHandle":"h1"}"""), Success);
        await using var client = TestClients.For(server);

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.HttpStatus.Should().Be(status);
        server.Received.Should().ContainSingle();
    }

    [Fact]
    public async Task Retry_after_is_honoured_over_the_shorter_backoff()
    {
        await using var server = new ReplayServer()
            .On(Statements, ReplayResponse.Json(429, """{"code":"390505","message":"Too many requests."}""") with { RetryAfter = "1" }, Success);
        var clock = new FakeTimeProvider();
        var log = new FakeLogger();
        await using var client = TestClients.For(server, TestClients.FastOptions with { TimeProvider = clock, Logger = log });

        var execute = client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        // The wait is decided on the 429 and runs on the client's clock: nothing is sent again until that clock moves.
        await Eventually.True(() => Task.FromResult(log.Collector.Count > 0), TimeSpan.FromSeconds(10));
        log.LatestRecord.Message.Should().EndWith("retrying in 1000 ms.", "Retry-After said 1 s; the backoff alone would be about 10 ms");
        server.Received.Should().ContainSingle();
        execute.IsCompleted.Should().BeFalse();

        clock.Advance(TimeSpan.FromSeconds(1));
        await execute;

        server.Received.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_response_cut_mid_body_is_retried()
    {
        await using var server = new ReplayServer()
            .On(Statements, new ReplayResponse(200, []) { Abort = true }, Success);
        await using var client = TestClients.For(server);

        var value = await client.QueryScalarAsync(new SnowflakeStatement("SELECT 1"));

        value.Should().Be(1L);
        server.Received.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        await using var server = new ReplayServer()
            .On(Statements, Success with { Delay = TimeSpan.FromSeconds(3) }, Success);
        await using var client = TestClients.For(server, TestClients.FastOptions with { AttemptTimeout = TimeSpan.FromMilliseconds(300) });

        var value = await client.QueryScalarAsync(new SnowflakeStatement("SELECT 1"));

        value.Should().Be(1L);
        server.Received.Should().HaveCount(2);
        server.Received[1].QueryValue("retry").Should().Be("true");
    }

    [Fact]
    public async Task Later_partitions_are_retried_too()
    {
        await using var server = new ReplayServer()
            .On(Recording.Load(55))
            .On("GET /api/v2/statements/01c79a10-0001-ac43-0000-d07900024c6a?partition=1",
                ReplayResponse.Json(503, "{}"), new ReplayResponse(200, []) { Abort = true }, ReplayResponse.Json(200, "{\"data\":[]}"));
        await using var client = TestClients.For(server);
        var result = await client.ExecuteAsync(new SnowflakeStatement("SELECT seq4()"));

        var read = () => result.ReadAllAsync();

        // The third answer arrives (after a 503 and a cut body) and is then checked against partitionInfo.
        (await read.Should().ThrowAsync<SnowflakeException>()).Which.Message.Should().Contain("held 0 rows");
        server.Received.Count(r => r.QueryValue("partition") == "1").Should().Be(3);
    }

    [Fact]
    public async Task When_retries_run_out_the_error_is_transient_and_names_the_address()
    {
        await using var server = new ReplayServer()
            .On(Statements, ReplayResponse.Json(503, """{"message":"Service Unavailable"}"""));
        await using var client = TestClients.For(server, TestClients.FastOptions with { MaxRetryAttempts = 2 });

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Error.Should().Be(ErrorCatalog.SnowflakeUnavailable);
        error.IsTransient.Should().BeTrue();
        error.HttpStatus.Should().Be(503);
        server.Received.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_server_never_reached_fails_at_once_naming_the_address_and_the_settings_to_check()
    {
        Uri unusedAddress;
        await using (var server = new ReplayServer())
        {
            unusedAddress = server.BaseAddress;
        }

        await using var client = SnowflakeClient.Create(SettingsFor(unusedAddress), TestClients.FastOptions with { MaxRetryAttempts = 3 });

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Code.Should().Be("SFPG3010", "nothing listens there: a wrong account or host, not an outage worth every retry");
        error.Message.Should().Contain(unusedAddress.ToString()).And.Contain("could not be reached at all").And.Contain("snowflake.account")
            .And.NotContain(TestClients.OAuthToken);
    }

    [Fact]
    public async Task A_server_that_answered_once_and_then_went_away_is_retried_as_an_outage()
    {
        Uri address;
        SnowflakeClient client;
        await using (var server = new ReplayServer().On(Statements, Success))
        {
            address = server.BaseAddress;
            client = SnowflakeClient.Create(SettingsFor(address), TestClients.FastOptions with { MaxRetryAttempts = 1 });
            await client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));
        }

        await using (client)
        {
            var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

            var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
            error.Code.Should().Be("SFPG3006");
            error.Message.Should().Contain(address.ToString()).And.Contain("2 attempt(s)");
        }
    }

    private static Engine.Config.SnowflakeSettings SettingsFor(Uri address) => new()
    {
        Account = "myorg-myaccount", Token = TestClients.OAuthToken, Authenticator = "OAUTH",
        Host = address.Host, Port = address.Port, Scheme = "http",
    };

    [Fact]
    public async Task Every_request_carries_the_headers_the_sql_api_needs()
    {
        await using var server = new ReplayServer().On(Statements, Success);
        await using var client = TestClients.For(server);

        await client.ExecuteAsync(new SnowflakeStatement("SELECT 1") { Database = "Sales", Schema = "PUBLIC", TimeoutSeconds = 120 });

        var request = server.Received.Single();
        request.Header("Authorization").Should().Be("Bearer " + TestClients.OAuthToken);
        request.Header("X-Snowflake-Authorization-Token-Type").Should().Be("OAUTH");
        request.Header("Accept").Should().Be("application/json");
        request.Header("Content-Type").Should().Be("application/json");
        request.Header("User-Agent").Should().StartWith("SnowPgMigration/");
        request.Header("Accept-Encoding").Should().Contain("gzip");
        request.QueryValue("async").Should().Be("true");
        request.Body.Should().Be("""{"statement":"SELECT 1","timeout":120,"database":"Sales","schema":"PUBLIC","warehouse":"LOAD_WH","role":"LOADER_ROLE","parameters":{"TIMEZONE":"UTC","TIMESTAMP_TYPE_MAPPING":"TIMESTAMP_NTZ","TIMESTAMP_INPUT_FORMAT":"AUTO","DATE_INPUT_FORMAT":"AUTO","TIME_INPUT_FORMAT":"AUTO"}}""");
    }
}
