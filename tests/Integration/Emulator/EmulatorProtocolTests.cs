using System.Net;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>Partitions, asynchronous execution, idempotent resubmission, cancel, timeout and error answers.</summary>
public sealed class EmulatorProtocolTests
{
    [Fact]
    public async Task A_result_spans_partitions_and_later_ones_are_gzip_with_matching_sizes()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { PartitionRows = 10 });
        await server.PgAsync("CREATE TABLE seq AS SELECT g AS n, md5(g::text) AS h FROM generate_series(1, 25) g");

        var first = await server.SubmitAsync("SELECT n, h FROM seq ORDER BY n");

        first.Status.Should().Be(HttpStatusCode.OK, first.Body);
        first.Header("Content-Encoding").Should().BeNull("the client did not ask for gzip");
        var partitions = first.Json.GetProperty("resultSetMetaData").GetProperty("partitionInfo").EnumerateArray().ToList();
        partitions.Select(p => p.GetProperty("rowCount").GetInt32()).Should().Equal(10, 10, 5);
        partitions.Should().OnlyContain(p => p.GetProperty("compressedSize").GetInt64() > 0 && p.GetProperty("uncompressedSize").GetInt64() > 0);
        first.Json.GetProperty("resultSetMetaData").GetProperty("numRows").GetInt64().Should().Be(25);
        first.Header("Link").Should().Contain("partition=1>; rel=\"next\"").And.Contain("partition=2>; rel=\"last\"");

        var numbers = first.Rows.Select(r => r[0]).ToList();
        for (var partition = 1; partition < 3; partition++)
        {
            var page = await server.GetAsync(first.Handle, $"partition={partition}");
            page.Status.Should().Be(HttpStatusCode.OK);
            page.Header("Content-Encoding").Should().Be("gzip");
            page.RawBody.Take(2).Should().Equal(new byte[] { 0x1f, 0x8b });
            page.RawBody.LongLength.Should().Be(partitions[partition].GetProperty("compressedSize").GetInt64());
            page.Keys.Should().Equal("data");
            page.Header("Link").Should().Contain($"partition={partition - 1}>; rel=\"prev\"");
            numbers.AddRange(page.Rows.Select(r => r[0]));
        }

        numbers.Should().Equal(Enumerable.Range(1, 25).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Growing_partitions_double_in_size_as_snowflakes_do()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { PartitionRows = 10, GrowingPartitions = true });

        var first = await server.SubmitAsync("SELECT g FROM generate_series(1, 250) g ORDER BY g");

        var counts = first.Json.GetProperty("resultSetMetaData").GetProperty("partitionInfo").EnumerateArray().Select(p => p.GetProperty("rowCount").GetInt32());
        counts.Should().Equal(10, 20, 40, 80, 80, 20);
        (await server.GetAsync(first.Handle, "partition=5")).Rows.Select(r => r[0]).Should().HaveCount(20).And.EndWith("250");
    }

    [Fact]
    public async Task A_large_first_partition_kept_on_disk_is_served_whole_on_submit_and_on_get()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { PartitionRows = 2000 });

        var submitted = await server.SubmitAsync("SELECT g, repeat('é', 200) AS pad FROM generate_series(1, 3000) g ORDER BY g");
        var again = await server.GetAsync(submitted.Handle, "partition=0");

        submitted.Rows.Should().HaveCount(2000);
        submitted.Rows[1999].Should().Equal("2000", new string('é', 200));
        again.Body.Should().Be(submitted.Body);
        (await server.GetAsync(submitted.Handle, "partition=1")).Rows.Select(r => r[0]).Should().HaveCount(1000).And.EndWith("3000");
    }

    [Fact]
    public async Task The_first_response_is_gzip_when_the_client_accepts_it_and_get_repeats_partition_zero()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync("SELECT 1 AS one", configure: r => r.Headers.AcceptEncoding.ParseAdd("gzip"));
        var again = await server.GetAsync(response.Handle);

        response.Header("Content-Encoding").Should().Be("gzip");
        response.Rows[0].Should().Equal("1");
        again.Status.Should().Be(HttpStatusCode.OK);
        again.Rows[0].Should().Equal("1");
        again.Handle.Should().Be(response.Handle);
    }

    [Fact]
    public async Task Async_submission_answers_202_and_polling_returns_the_result()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var accepted = await server.SubmitAsync("SELECT 42 AS answer FROM pg_sleep(0.5)", query: "async=true");
        var running = await server.GetAsync(accepted.Handle);
        var done = await server.PollAsync(accepted.Handle);

        accepted.Status.Should().Be(HttpStatusCode.Accepted);
        accepted.Keys.Should().Equal("code", "message", "statementHandle", "statementStatusUrl");
        accepted.Code.Should().Be("333334");
        accepted.Json.GetProperty("statementStatusUrl").GetString().Should().Be($"/api/v2/statements/{accepted.Handle}");
        running.Status.Should().Be(HttpStatusCode.Accepted);
        done.Status.Should().Be(HttpStatusCode.OK);
        done.Rows[0].Should().Equal("42");
    }

    [Fact]
    public async Task A_synchronous_statement_slower_than_the_threshold_answers_202()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { AsyncThreshold = TimeSpan.FromMilliseconds(200) });

        var slow = await server.SubmitAsync("SELECT SYSTEM$WAIT(3) AS w");
        var fast = await server.SubmitAsync("SELECT 1 AS one");

        slow.Status.Should().Be(HttpStatusCode.Accepted, "the answer did not wait for the statement");
        (await server.PollAsync(slow.Handle)).Rows[0].Should().Equal("waited 3 seconds");
        fast.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_resubmitted_request_id_with_retry_returns_the_same_statement_without_running_it_again()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        var requestId = Guid.NewGuid().ToString();
        SqlApiResponse first = null!, retried = null!, withoutRetry = null!;

        var runs = await server.CountNotificationsAsync("events", async () =>
        {
            first = await server.SubmitAsync("SELECT pg_notify('events', 'ran')", query: $"requestId={requestId}&retry=true");
            retried = await server.SubmitAsync("SELECT pg_notify('events', 'ran')", query: $"requestId={requestId}&retry=true");
            withoutRetry = await server.SubmitAsync("SELECT pg_notify('events', 'ran')", query: $"requestId={requestId}");
        });

        first.Status.Should().Be(HttpStatusCode.OK);
        first.Json.GetProperty("requestId").GetString().Should().Be(requestId);
        retried.Body.Should().Be(first.Body, "the live service answers a retry with a byte-identical body");
        withoutRetry.Handle.Should().NotBe(first.Handle);
        runs.Should().Be(2);
        var stats = await server.StatsAsync();
        stats.GetProperty("statementsExecuted").GetInt64().Should().Be(2);
        stats.GetProperty("idempotentReplays").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Cancel_stops_the_postgres_query_and_later_polls_say_canceled()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        var marker = "cancel_me_" + Guid.NewGuid().ToString("N")[..8];
        var activity = $"SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%{marker}%' AND pid <> pg_backend_pid()";

        var accepted = await server.SubmitAsync($"SELECT pg_sleep(60), '{marker}' AS m", query: "async=true");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((long)(await server.PgAsync(activity))! == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (await server.PgAsync(activity)).Should().Be(1L, "the statement is running on PostgreSQL");
        var canceled = await server.CancelAsync(accepted.Handle);

        canceled.Status.Should().Be(HttpStatusCode.OK);
        canceled.Keys.Should().Equal("code", "sqlState", "message", "statementHandle", "statementStatusUrl");
        canceled.Code.Should().Be("000604");
        (await server.PgAsync(activity)).Should().Be(0L, "the PostgreSQL query was canceled");
        var polled = await server.GetAsync(accepted.Handle);
        polled.Status.Should().Be((HttpStatusCode)422);
        polled.Code.Should().Be("000604");
        polled.Json.GetProperty("sqlState").GetString().Should().Be("57014");
        (await server.CancelAsync(accepted.Handle)).Status.Should().Be(HttpStatusCode.OK, "canceling again is harmless");
    }

    [Fact]
    public async Task A_statement_over_its_timeout_answers_408()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync("SELECT pg_sleep(10)", extra: new { timeout = 1 });

        response.Status.Should().Be(HttpStatusCode.RequestTimeout);
        response.Code.Should().Be("000630");
        response.Json.GetProperty("message").GetString().Should().Contain("timeout of 1 second(s)");
    }

    [Theory]
    [InlineData("SELEC 1", "001003", "42000")]
    [InlineData("SELECT * FROM no_such_table", "002003", "42S02")]
    [InlineData("SELECT 1/0", "100051", "22012")]
    [InlineData("SELECT 1; SELECT 2", "000008", "0A000")]
    [InlineData("PUT file:///tmp/x.csv @~/stage", "391911", "0A000")]
    public async Task A_failed_statement_answers_422_with_snowflakes_code(string statement, string code, string sqlState)
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync(statement);

        response.Status.Should().Be((HttpStatusCode)422, response.Body);
        response.Keys.Should().Equal("code", "message", "sqlState", "statementHandle");
        response.Code.Should().Be(code);
        response.Json.GetProperty("sqlState").GetString().Should().Be(sqlState);
        response.Handle.Should().MatchRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    }

    [Fact]
    public async Task Request_errors_answer_400_with_snowflakes_codes()
    {
        await using var server = await EmulatorTestServer.StartAsync();
        var result = await server.SubmitAsync("SELECT g FROM generate_series(1, 3) g");

        var empty = await server.SubmitRawAsync("""{"timeout":60}""");
        var blank = await server.SubmitAsync("  ;  ");
        var unknown = await server.GetAsync("00000000-0000-0000-0000-000000000000");
        var badPartition = await server.GetAsync(result.Handle, "partition=9");
        var notNumber = await server.GetAsync(result.Handle, "partition=x");
        var notJson = await server.SubmitRawAsync("{not json");

        empty.Status.Should().Be(HttpStatusCode.BadRequest);
        empty.Code.Should().Be("000900");
        empty.Json.GetProperty("statementHandle").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        blank.Code.Should().Be("000900");
        unknown.Status.Should().Be(HttpStatusCode.BadRequest);
        unknown.Code.Should().Be("000709");
        unknown.Json.GetProperty("sqlState").GetString().Should().Be("02000");
        badPartition.Status.Should().Be(HttpStatusCode.BadRequest);
        badPartition.Code.Should().Be("391922");
        badPartition.Json.GetProperty("message").GetString().Should().Contain("between 0 and 0, but '9' is specified");
        notNumber.Code.Should().Be("391922");
        notJson.Status.Should().Be(HttpStatusCode.BadRequest);
        notJson.Code.Should().Be("390142");
        (await server.GetAsync("00000000-0000-0000-0000-000000000000", "partition=1")).Code.Should().Be("000709");
    }

    [Fact]
    public async Task Multiple_statements_run_with_a_matching_count_and_children_are_readable()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var response = await server.SubmitAsync("SELECT 1 AS a; SELECT 'two' AS b;", extra: new { parameters = new { MULTI_STATEMENT_COUNT = "2" } });

        response.Status.Should().Be(HttpStatusCode.OK, response.Body);
        response.Rows[0].Should().Equal("Multiple statements executed successfully.");
        var children = response.Json.GetProperty("statementHandles").EnumerateArray().Select(h => h.GetString()!).ToList();
        children.Should().HaveCount(2);
        (await server.GetAsync(children[0])).Rows[0].Should().Equal("1");
        (await server.GetAsync(children[1])).Rows[0].Should().Equal("two");
    }
}
