using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Tests.Unit.Postgres;

/// <summary>The status statements' retry, on a fake clock: the waits, the budget and which failures it rides out.</summary>
public sealed class PostgresRetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PostgresException ServerRestarting() => new("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow);

    [Fact]
    public async Task Transient_failures_are_retried_with_doubling_waits_until_the_call_succeeds()
    {
        var clock = new WaitingClock(Start);
        var attempts = 0;
        var waits = new List<TimeSpan>();

        var call = PostgresRetry.ExecuteAsync(
            _ => ++attempts < 4 ? Task.FromException<int>(ServerRestarting()) : Task.FromResult(42),
            CancellationToken.None,
            budget: TimeSpan.FromMinutes(1),
            onRetry: (_, wait) => waits.Add(wait),
            clock: clock);

        await clock.NextWait();
        attempts.Should().Be(1);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await clock.NextWait();
        attempts.Should().Be(2);
        clock.Advance(TimeSpan.FromMilliseconds(199));
        attempts.Should().Be(2, "the second wait is 200 ms");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await clock.NextWait();
        attempts.Should().Be(3);
        clock.Advance(TimeSpan.FromMilliseconds(400));

        (await call).Should().Be(42);
        attempts.Should().Be(4);
        waits.Should().Equal(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task Waits_stop_growing_at_two_seconds_and_the_failure_stands_once_the_budget_is_spent()
    {
        var clock = new WaitingClock(Start);
        var attempts = 0;
        var waits = new List<TimeSpan>();

        var call = PostgresRetry.ExecuteAsync<int>(
            _ =>
            {
                attempts++;
                return Task.FromException<int>(ServerRestarting());
            },
            CancellationToken.None,
            budget: TimeSpan.FromSeconds(10),
            onRetry: (_, wait) => waits.Add(wait),
            clock: clock);
        while (await Task.WhenAny(clock.NextWait(), call) != call)
        {
            clock.Advance(waits[^1]);
        }

        await call.Invoking(c => c).Should().ThrowAsync<PostgresException>();
        // 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 2 + 2 + 2 = 9.1 s; a further 2 s wait would end past the 10 s budget.
        waits.Should().Equal(new[] { 100, 200, 400, 800, 1600, 2000, 2000, 2000 }.Select(ms => TimeSpan.FromMilliseconds(ms)));
        attempts.Should().Be(9);
        (clock.GetUtcNow() - Start).Should().Be(TimeSpan.FromMilliseconds(9100));
    }

    [Fact]
    public async Task A_failure_that_repeats_is_not_retried()
    {
        var attempts = 0;

        var call = PostgresRetry.ExecuteAsync<int>(
            _ =>
            {
                attempts++;
                return Task.FromException<int>(new PostgresException("relation does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable));
            },
            CancellationToken.None,
            clock: new FakeTimeProvider(Start));

        await call.Invoking(c => c).Should().ThrowAsync<PostgresException>();
        attempts.Should().Be(1);
    }

    /// <summary>A fake clock that tells when a wait has started, so the test moves time only once the retry is waiting.</summary>
    private sealed class WaitingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly Channel<bool> _waits = Channel.CreateUnbounded<bool>();

        public Task NextWait() => _waits.Reader.ReadAsync().AsTask();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _waits.Writer.TryWrite(true);
            return timer;
        }
    }
}
