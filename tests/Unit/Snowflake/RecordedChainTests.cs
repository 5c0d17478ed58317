using System.Globalization;
using System.Text;
using System.Text.Json;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Tests.Support;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>The recorded request chains: a four-partition result, async polling, cancel, idempotent retry.</summary>
public sealed class RecordedChainTests
{
    private const string LargeHandle = "01c79a10-0001-ac43-0000-d07900024c6a";
    private const string LargePath = "GET /api/v2/statements/" + LargeHandle;

    /// <summary>
    /// Partitions 1 and 2 of the 20,000-row result were not copied with the recordings, so they are
    /// made here in the recorded compact shape with the row counts 055's partitionInfo announces
    /// (4682 and 9404 rows, n continuing the sequence).
    /// </summary>
    private static ReplayResponse MadePartition(int firstN, int rowCount)
    {
        var body = new StringBuilder("{\"data\":[");
        for (var i = 0; i < rowCount; i++)
        {
            body.Append(i == 0 ? "" : ",\n").Append("[\"").Append((firstN + i).ToString(CultureInfo.InvariantCulture))
                .Append("\",\"").Append(Guid.NewGuid().ToString("D")).Append("\"]");
        }

        return ReplayResponse.Json(200, body.Append("]}").ToString()) with { Gzip = true };
    }

    private static ReplayServer LargeResultServer() => new ReplayServer()
        .On(Recording.Load(55))
        .On(LargePath + "?partition=1", MadePartition(2063, 4682))
        .On(LargePath + "?partition=2", MadePartition(2063 + 4682, 9404))
        .On(LargePath + "?partition=3", Recording.Load(58).ToResponse() with { Gzip = true });

    [Fact]
    public async Task Large_result_055_058_streams_all_four_partitions_in_order_with_gzip()
    {
        await using var server = LargeResultServer();
        await using var client = TestClients.For(server);

        var result = await client.ExecuteAsync(new SnowflakeStatement(Recording.Load(55).Statement));
        var rows = await result.ReadAllAsync();

        result.TotalRowCount.Should().Be(20000);
        result.PartitionCount.Should().Be(4);
        result.Columns.Select(c => (c.Name, c.Type, c.Precision)).Should().Equal(("N", SnowflakeDataType.Fixed, 10), ("U", SnowflakeDataType.Text, null));
        rows.Should().HaveCount(20000);
        rows.Select(r => (long)r[0]!).Should().Equal(Enumerable.Range(0, 20000).Select(i => (long)i));
        rows[0][1].Should().Be(RecordedValue(55, first: true));
        rows[^1][1].Should().Be(RecordedValue(58, first: false));
        rows[16149][1].Should().Be(RecordedValue(58, first: true));
        // Two partitions are fetched at once, so they may arrive in either order; the rows above still come in order.
        server.Received.Where(r => r.Method == "GET").Select(r => r.QueryValue("partition")).Should().BeEquivalentTo("1", "2", "3");
        server.Received.Where(r => r.Method == "GET").Should().OnlyContain(r => r.Header("Accept-Encoding")!.Contains("gzip"));
    }

    [Fact]
    public async Task Prefetch_keeps_at_most_the_next_two_partitions_in_flight()
    {
        await using var server = LargeResultServer();
        await using var client = TestClients.For(server);
        var result = await client.ExecuteAsync(new SnowflakeStatement("SELECT seq4(), uuid_string()"));
        int[] partitionStarts = [0, 2063, 2063 + 4682, 2063 + 4682 + 9404];

        var index = 0;
        await foreach (var row in result.ReadRowsAsync())
        {
            var partition = Array.IndexOf(partitionStarts, index);
            if (partition >= 0)
            {
                // While this partition is read the next two are fetched, and nothing beyond them.
                var expected = Math.Min(partition + 2, 3);
                await Eventually.True(() => Task.FromResult(Requested(server).DefaultIfEmpty(0).Max() == expected), TimeSpan.FromSeconds(10));
                await Task.Delay(50);
                Requested(server).DefaultIfEmpty(0).Max().Should().Be(expected, "partition {0} is being read", partition);
            }

            index++;
        }

        index.Should().Be(20000);
        Requested(server).Should().BeEquivalentTo([1, 2, 3]);
    }

    [Fact]
    public async Task Stopping_early_abandons_the_remaining_partitions()
    {
        await using var server = LargeResultServer();
        await using var client = TestClients.For(server);
        var result = await client.ExecuteAsync(new SnowflakeStatement("SELECT seq4(), uuid_string()"));

        var read = 0;
        await foreach (var _ in result.ReadRowsAsync())
        {
            if (++read == 10)
            {
                break;
            }
        }

        await Task.Delay(100);
        Requested(server).Should().BeSubsetOf([1, 2]);
        var again = () => result.ReadAllAsync();
        await again.Should().ThrowAsync<InvalidOperationException>().WithMessage("*already been read*");
    }

    [Fact]
    public async Task A_partition_with_fewer_rows_than_announced_is_an_error()
    {
        await using var server = new ReplayServer()
            .On(Recording.Load(55))
            .On(LargePath + "?partition=1", MadePartition(2063, 4681));
        await using var client = TestClients.For(server);
        var result = await client.ExecuteAsync(new SnowflakeStatement("SELECT seq4()"));

        var read = () => result.ReadAllAsync();

        var error = (await read.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Error.Should().Be(ErrorCatalog.SnowflakeResponseInvalid);
        error.Message.Should().Contain("Partition 1").And.Contain("4681").And.Contain("4682").And.Contain(LargeHandle);
    }

    [Fact]
    public async Task Async_076_077_polls_until_the_result_is_ready()
    {
        await using var server = new ReplayServer()
            .On(Recording.Load(76))
            .On("GET /api/v2/statements/01c79a10-0001-accd-0000-d07900021ef6",
                Recording.Load(76).ToResponse(), Recording.Load(76).ToResponse(), Recording.Load(77).ToResponse());
        await using var client = TestClients.For(server);

        var value = await client.QueryScalarAsync(new SnowflakeStatement("SELECT SYSTEM$WAIT(3)"));

        value.Should().Be("waited 3 seconds");
        var requests = server.Received;
        requests[0].QueryValue("async").Should().Be("true");
        requests.Skip(1).Select(r => r.Method + " " + r.Path).Should().Equal(
            Enumerable.Repeat("GET /api/v2/statements/01c79a10-0001-accd-0000-d07900021ef6", 3));
    }

    [Fact]
    public async Task Canceling_the_caller_071_to_075_cancels_the_statement_on_the_server()
    {
        const string handle = "01c79a10-0001-ac43-0000-d07900024c7a";
        await using var server = new ReplayServer()
            .On(Recording.Load(71))
            .On(Recording.Load(72))
            .On(Recording.Load(73))
            .On(Recording.Load(75));
        await using var client = TestClients.For(server);
        using var caller = new CancellationTokenSource();

        var execute = client.ExecuteAsync(new SnowflakeStatement("SELECT SYSTEM$WAIT(20)"), caller.Token);
        await Eventually.True(() => Task.FromResult(server.Received.Count(r => r.Method == "GET") >= 2), TimeSpan.FromSeconds(10));
        await caller.CancelAsync();

        await execute.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        var cancel = server.Received.Should().ContainSingle(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)).Subject;
        cancel.Method.Should().Be("POST");
        cancel.Path.Should().Be($"/api/v2/statements/{handle}/cancel");

        // 075: canceling an already canceled statement answers 200 again, which is not an error.
        await client.CancelAsync(handle);
        server.Received.Count(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task Canceling_before_the_submission_is_answered_still_cancels_the_statement_it_started()
    {
        var answer = new TaskCompletionSource();
        await using var server = new ReplayServer()
            .On("POST /api/v2/statements", Recording.Load(71).ToResponse() with { HeldUntil = answer.Task })
            .On(Recording.Load(73));
        await using var client = TestClients.For(server);
        using var caller = new CancellationTokenSource();

        var execute = client.ExecuteAsync(new SnowflakeStatement("SELECT SYSTEM$WAIT(20)"), caller.Token);
        await Eventually.True(() => Task.FromResult(server.Received.Count > 0), TimeSpan.FromSeconds(10));
        await caller.CancelAsync();

        // The server answers only after the caller has been released; the thirty seconds only guard against a hang
        // (a TimeoutException fails the assertion).
        try
        {
            await execute.Invoking(t => t.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<OperationCanceledException>();
        }
        finally
        {
            answer.TrySetResult();
        }

        await Eventually.True(() => Task.FromResult(server.Received.Any(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal))), TimeSpan.FromSeconds(10));
        server.Received.Single(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)).Path
            .Should().Be("/api/v2/statements/01c79a10-0001-ac43-0000-d07900024c7a/cancel");
    }

    [Fact]
    public async Task Status_074_of_a_statement_canceled_elsewhere_is_a_canceled_error()
    {
        await using var server = new ReplayServer()
            .On(Recording.Load(71))
            .On(Recording.Load(72))
            .On(Recording.Load(74));
        await using var client = TestClients.For(server);

        var execute = () => client.ExecuteAsync(new SnowflakeStatement("SELECT SYSTEM$WAIT(20)"));

        var error = (await execute.Should().ThrowAsync<SnowflakeException>()).Which;
        error.Error.Should().Be(ErrorCatalog.SnowflakeStatementCanceled);
        error.SnowflakeCode.Should().Be("000604");
        error.SqlState.Should().Be("57014");
        error.StatementHandle.Should().Be("01c79a10-0001-ac43-0000-d07900024c7a");
        error.HttpStatus.Should().Be(422);
    }

    [Fact]
    public async Task Retry_144_145_resubmits_with_the_same_request_id_and_retry_true()
    {
        await using var server = new ReplayServer()
            .On("POST /api/v2/statements", new ReplayResponse(0, []) { Abort = true })
            .On("POST /api/v2/statements", Recording.Load(144).ToResponse(), Recording.Load(145).ToResponse());
        await using var client = TestClients.For(server);

        var first = await client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));
        (await first.ReadAllAsync()).Single().Should().Equal(1L);

        var posts = server.Received.ToList();
        posts.Should().HaveCount(2);
        Guid.TryParse(posts[0].QueryValue("requestId"), out _).Should().BeTrue();
        posts[0].QueryValue("retry").Should().BeNull();
        posts[1].QueryValue("requestId").Should().Be(posts[0].QueryValue("requestId"));
        posts[1].QueryValue("retry").Should().Be("true");
        posts[1].Body.Should().Be(posts[0].Body);
        first.StatementHandle.Should().Be("01c79a11-0001-ac43-0000-d07900024e62");

        // 145 answers the resubmission with the byte-identical body: the same statement, not a new one.
        var second = await client.ExecuteAsync(new SnowflakeStatement("SELECT 1"));
        second.StatementHandle.Should().Be(first.StatementHandle);
    }

    private static List<int> Requested(ReplayServer server) =>
        server.Received.Where(r => r.Method == "GET" && r.QueryValue("partition") is not null)
            .Select(r => int.Parse(r.QueryValue("partition")!, CultureInfo.InvariantCulture)).ToList();

    private static string RecordedValue(int number, bool first)
    {
        var body = JsonDocument.Parse(Recording.Load(number).ResponseBody).RootElement.GetProperty("data");
        var row = first ? body[0] : body[body.GetArrayLength() - 1];
        return row[1].GetString()!;
    }
}
