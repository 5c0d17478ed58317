using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>Injected faults: 429 with Retry-After, 503, slow answers, answers cut mid-body; set at start or at run time.</summary>
public sealed class EmulatorFaultTests
{
    [Fact]
    public async Task Every_second_submit_gets_429_with_retry_after_and_snowflakes_body()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { Faults = "429:every=2:retry-after=3:on=submit" });

        var statuses = new List<HttpStatusCode>();
        SqlApiResponse? limited = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await server.SubmitAsync("SELECT 1 AS one");
            statuses.Add(response.Status);
            limited = response.Status == HttpStatusCode.TooManyRequests ? response : limited;
        }

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        limited!.Header("Retry-After").Should().Be("3");
        limited.Code.Should().Be("390505");
        var stats = await server.StatsAsync();
        stats.GetProperty("faultsInjected").GetInt64().Should().Be(2);
        stats.GetProperty("statementsExecuted").GetInt64().Should().Be(2, "a rejected request runs nothing");
    }

    [Fact]
    public async Task Faults_set_through_the_admin_endpoint_apply_until_cleared()
    {
        await using var server = await EmulatorTestServer.StartAsync();

        var set = await server.Http.PostAsJsonAsync("_emulator/faults", new { spec = "503:times=2" });
        var described = await server.Http.GetStringAsync("_emulator/faults");
        var first = await server.SubmitAsync("SELECT 1 AS one");
        var second = await server.SubmitAsync("SELECT 1 AS one");
        var third = await server.SubmitAsync("SELECT 1 AS one");
        await server.Http.PostAsJsonAsync("_emulator/faults", new { spec = "503:p=1" });
        var always = await server.SubmitAsync("SELECT 1 AS one");
        await server.Http.DeleteAsync("_emulator/faults");
        var cleared = await server.SubmitAsync("SELECT 1 AS one");
        var invalid = await server.Http.PostAsJsonAsync("_emulator/faults", new { spec = "418:sometimes" });

        set.StatusCode.Should().Be(HttpStatusCode.OK);
        described.Should().Contain("503:times=2");
        first.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        second.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        third.Status.Should().Be(HttpStatusCode.OK);
        always.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        cleared.Status.Should().Be(HttpStatusCode.OK);
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await invalid.Content.ReadAsStringAsync()).Should().Contain("418:sometimes");
    }

    [Fact]
    public async Task A_slow_fault_delays_the_answer()
    {
        var clock = new FakeTimeProvider();
        await using var server = await EmulatorTestServer.StartAsync(o => o with { Faults = "slow:every=1:ms=700:on=fetch", TimeProvider = clock });
        var submitted = await server.SubmitAsync("SELECT 1 AS one");

        var fetch = server.GetAsync(submitted.Handle);
        await Eventually.True(async () => (await server.StatsAsync()).GetProperty("faultsInjected").GetInt64() == 1, TimeSpan.FromSeconds(30), "the slow fault began");
        clock.Advance(TimeSpan.FromMilliseconds(699));
        fetch.IsCompleted.Should().BeFalse("the answer waits the whole 700 ms of the emulator's clock");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var fetched = await fetch;

        fetched.Status.Should().Be(HttpStatusCode.OK);
        fetched.Rows[0].Should().Equal("1");
    }

    [Fact]
    public async Task A_cut_fault_aborts_a_partition_mid_body_and_the_retry_succeeds()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { PartitionRows = 100, Faults = "cut:times=1:on=fetch" });
        var submitted = await server.SubmitAsync("SELECT g, repeat('x', 50) FROM generate_series(1, 300) g");

        var cut = async () => await server.GetAsync(submitted.Handle, "partition=1");
        await cut.Should().ThrowAsync<HttpRequestException>();
        var retried = await server.GetAsync(submitted.Handle, "partition=1");

        retried.Status.Should().Be(HttpStatusCode.OK);
        retried.Rows.Select(r => r[0]).Should().Equal(Enumerable.Range(101, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_cut_submit_can_be_recovered_by_retrying_the_request_id()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { Faults = "cut:times=1:on=submit" });
        var query = $"requestId={Guid.NewGuid()}&retry=true";
        SqlApiResponse? retried = null;

        var runs = await server.CountNotificationsAsync("once", async () =>
        {
            var cut = async () => await server.SubmitAsync("SELECT pg_notify('once', 'ran')", query);
            await cut.Should().ThrowAsync<HttpRequestException>();
            retried = await server.SubmitAsync("SELECT pg_notify('once', 'ran')", query);
        });

        retried!.Status.Should().Be(HttpStatusCode.OK);
        runs.Should().Be(1, "the retry returned the statement that already ran");
    }

    [Fact]
    public async Task Probability_zero_never_fires_and_stats_count_requests()
    {
        await using var server = await EmulatorTestServer.StartAsync(o => o with { Faults = "503:p=0" });

        for (var i = 0; i < 5; i++)
        {
            (await server.SubmitAsync("SELECT 1 AS one")).Status.Should().Be(HttpStatusCode.OK);
        }

        var stats = await server.StatsAsync();
        stats.GetProperty("requests").GetInt64().Should().Be(5);
        stats.GetProperty("submitRequests").GetInt64().Should().Be(5);
        stats.GetProperty("faultsInjected").GetInt64().Should().Be(0);
    }

    [Fact]
    public void An_invalid_fault_spec_names_the_rule()
    {
        var parse = () => SnowPgMigration.Emulator.Faults.FaultRule.ParseSpec("429:every=5,slow:ms=abc");

        parse.Should().Throw<FormatException>().WithMessage("*slow:ms=abc*");
    }
}
