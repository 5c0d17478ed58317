using Microsoft.Extensions.Time.Testing;
using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.Tests.Unit.Execution;

public sealed class DeadlineTests
{
    [Fact]
    public void Claiming_stops_once_less_than_the_buffer_remains_and_stays_stopped()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var deadline = Deadline.After(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), clock);

        deadline.CheckBeforeClaim().Should().BeTrue();
        clock.Advance(TimeSpan.FromMinutes(8));
        deadline.CheckBeforeClaim().Should().BeTrue("exactly the buffer is left");
        deadline.Reached.Should().BeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        deadline.CheckBeforeClaim().Should().BeFalse();
        deadline.Reached.Should().BeTrue();
        deadline.End.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Without_a_max_duration_there_is_no_deadline()
    {
        var deadline = Deadline.After(null, TimeSpan.FromMinutes(5));

        deadline.End.Should().BeNull();
        deadline.CheckBeforeClaim().Should().BeTrue();
        deadline.Reached.Should().BeFalse();
    }

    [Fact]
    public void A_buffer_longer_than_the_duration_stops_before_the_first_claim()
    {
        var deadline = Deadline.After(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

        deadline.CheckBeforeClaim().Should().BeFalse();
        deadline.Reached.Should().BeTrue();
    }
}
