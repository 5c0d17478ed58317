using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>Every recorded error answer, replayed: the catalogue code and Snowflake's code, SQL state, message and handle.</summary>
public sealed class RecordedErrorTests
{
    public static TheoryData<int, string, string?, string?, string?, int, string> StatementErrors => new()
    {
        // recording, catalogue code, Snowflake code, SQL state, handle, HTTP status, message fragment
        { 48, "SFPG3002", "002040", "42601", "01c79a10-0001-ac43-0000-d07900024c56", 422, "Unsupported data type 'VARIANT'." },
        { 62, "SFPG3002", "001003", "42000", "01c79a10-0001-accd-0000-d07900021eea", 422, "syntax error line 1 at position 0 unexpected 'SELEC'." },
        { 63, "SFPG3002", "002003", "42S02", "01c79a10-0001-accd-0000-d07900021eee", 422, "Object 'DBIMP_IT_NOSUCH' does not exist or not authorized." },
        { 64, "SFPG3002", "100051", "22012", "01c79a10-0001-ac43-0000-d07900024c6e", 422, "Division by zero" },
        { 67, "SFPG3003", "000630", "57014", "01c79a10-0001-ac43-0000-d07900024c76", 408, "timeout of 2 second(s) and was canceled" },
        { 68, "SFPG3005", "000900", "42601", null, 400, "Empty SQL statement." },
        { 78, "SFPG3001", "390144", null, null, 401, "JWT token is invalid. null" },
        { 81, "SFPG3001", "390186", null, null, 400, "Role 'ACCOUNTADMIN' specified in the connect string is not granted" },
        { 86, "SFPG3002", "000008", "0A000", "01c79a10-0001-ac43-0000-d07900024d06", 422, "Actual statement count 2 did not match the desired statement count 1." },
        { 111, "SFPG3005", null, null, null, 400, "Bad Request" },
        { 117, "SFPG3002", "391911", "0A000", "01c79a10-0001-accd-0000-d07900021f7a", 422, "Command not supported by SQL API: PUT" },
    };

    [Theory]
    [MemberData(nameof(StatementErrors))]
    public async Task Recorded_statement_error_becomes_a_catalogued_exception(
        int number, string catalogueCode, string? snowflakeCode, string? sqlState, string? handle, int httpStatus, string fragment)
    {
        var recording = Recording.Load(number);
        await using var server = new ReplayServer().On(recording);
        await using var client = TestClients.For(server);

        var execute = () => client.ExecuteAsync(new SnowflakeStatement(recording.Statement));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Code.Should().Be(catalogueCode);
        error.SnowflakeCode.Should().Be(snowflakeCode);
        error.SqlState.Should().Be(sqlState);
        error.StatementHandle.Should().Be(handle);
        error.Target.Should().Be(handle);
        error.HttpStatus.Should().Be(httpStatus);
        error.Message.Should().Contain(fragment).And.Contain($"HTTP {httpStatus}");
        if (snowflakeCode is not null)
        {
            error.Message.Should().Contain($"code {snowflakeCode}");
        }

        error.Message.Should().NotContain(TestClients.OAuthToken);
        error.IsTransient.Should().BeFalse();
        server.Received.Where(r => r.Method == "POST").Should().ContainSingle("a {0} answer is not retried", httpStatus);
    }

    [Fact]
    public async Task Role_not_granted_081_names_the_role_setting()
    {
        await using var server = new ReplayServer().On(Recording.Load(81));
        await using var client = TestClients.For(server);

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Error.Kind.Should().Be(ErrorKind.Authentication);
        error.Message.Should().Contain("snowflake.role");
        error.RecommendedAction.Should().Contain("snowflake.role");
    }

    [Fact]
    public async Task Invalid_oauth_token_078_names_the_token_setting_without_its_value()
    {
        await using var server = new ReplayServer().On(Recording.Load(78));
        await using var client = TestClients.For(server);

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Message.Should().Contain("snowflake.token").And.Contain("OAUTH").And.NotContain(TestClients.OAuthToken);
        server.Received.Should().ContainSingle("an OAuth token cannot be renewed, so a 401 is final");
    }

    [Fact]
    public async Task Invalid_jwt_078_is_re_signed_once_then_reported_naming_key_user_and_account()
    {
        await using var server = new ReplayServer().On(Recording.Load(78));
        var settings = TestClients.SettingsFor(server) with
        {
            Token = null,
            Authenticator = null,
            RsaKey = TestKeys.Pkcs8Path,
        };
        await using var client = TestClients.For(server, settings: settings);

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Code.Should().Be("SFPG3001");
        error.Message.Should().Contain("snowflake.rsa_key").And.Contain("snowflake.user ('LOADER')").And.Contain("snowflake.account")
            .And.Contain("'MYORG-MYACCOUNT'").And.Contain("SHA256:" + TestKeys.OpensslFingerprint);
        error.Message.Should().NotContain("PRIVATE KEY");
        var posts = server.Received.Should().HaveCount(2).And.Subject.ToList();
        posts.Should().OnlyContain(p => p.Header("Authorization")!.StartsWith("Bearer eyJ", StringComparison.Ordinal));
        posts.Should().OnlyContain(p => p.Header("X-Snowflake-Authorization-Token-Type") == "KEYPAIR_JWT");
        posts[1].QueryValue("requestId").Should().Be(posts[0].QueryValue("requestId"));
        posts[1].QueryValue("retry").Should().Be("true");
    }

    [Fact]
    public async Task Bad_partition_059_and_070_on_a_later_partition_fail_the_read_with_the_partition_error()
    {
        foreach (var number in new[] { 59, 70 })
        {
            var badPartition = Recording.Load(number);
            await using var server = new ReplayServer()
                .On(Recording.Load(55))
                .On("GET /api/v2/statements/01c79a10-0001-ac43-0000-d07900024c6a?partition=1", badPartition.ToResponse());
            await using var client = TestClients.For(server);
            var result = await client.ExecuteAsync(new SnowflakeStatement("SELECT seq4()"));

            var read = () => result.ReadAllAsync();

            var error = (await read.Should().ThrowAsync<SnowflakeException>()).Which;
            error.Code.Should().Be("SFPG3005");
            error.SnowflakeCode.Should().Be("391922");
            error.SqlState.Should().Be("22023");
            error.StatementHandle.Should().Be("01c79a10-0001-ac43-0000-d07900024c6a");
            error.Message.Should().Contain("Invalid partition parameter");
        }
    }

    [Fact]
    public async Task Unknown_handle_069_while_polling_is_reported_with_that_handle()
    {
        await using var server = new ReplayServer()
            .On("POST /api/v2/statements", ReplayResponse.Json(202,
                """{"code":"333334","message":"Asynchronous execution in progress.","statementHandle":"00000000-0000-0000-0000-000000000000","statementStatusUrl":"/api/v2/statements/00000000-0000-0000-0000-000000000000"}"""))
            .On(Recording.Load(69));
        await using var client = TestClients.For(server);

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.SnowflakeCode.Should().Be("000709");
        error.SqlState.Should().Be("02000");
        error.StatementHandle.Should().Be("00000000-0000-0000-0000-000000000000");
        error.Message.Should().Contain("Statement 00000000-0000-0000-0000-000000000000 not found");
    }
}
