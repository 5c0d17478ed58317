using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.PowerShell.Infrastructure;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>The events a slow pipeline thread reads: every log line in order, only the latest progress per activity.</summary>
public sealed class EngineEventQueueTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProgressEvent Progress(int activity, long rows) =>
        new(At, activity, null, $"table {activity}", "copying", null, rows, null, null, Completed: false);

    private static List<EngineEvent> Drain(EngineEventQueue queue)
    {
        queue.Complete();
        var read = new List<EngineEvent>();
        while (queue.WaitToRead())
        {
            while (queue.TryRead(out var engineEvent))
            {
                read.Add(engineEvent);
            }
        }

        return read;
    }

    [Fact]
    public void Warnings_are_never_dropped_however_many_arrive_before_the_reader_drains()
    {
        var queue = new EngineEventQueue();
        for (var i = 0; i < 10_000; i++)
        {
            queue.Report(new LogEvent(At, EngineLogLevel.Warning, $"warning {i}"));
            queue.Report(Progress(1, i));
        }

        var read = Drain(queue);

        read.OfType<LogEvent>().Select(l => l.Message).Should().Equal(Enumerable.Range(0, 10_000).Select(i => $"warning {i}"));
        read.OfType<ProgressEvent>().Should().ContainSingle().Which.RowsDone.Should().Be(9_999, "only the latest progress of an activity is kept");
    }

    [Fact]
    public void Each_activity_keeps_its_latest_progress_in_the_order_the_activities_first_reported()
    {
        var queue = new EngineEventQueue();
        queue.Report(Progress(1, 10));
        queue.Report(Progress(2, 20));
        queue.Report(new LogEvent(At, EngineLogLevel.Verbose, "between"));
        queue.Report(Progress(1, 11));
        queue.Report(Progress(2, 21));

        var read = Drain(queue);

        read.Select(e => e is ProgressEvent p ? $"{p.ActivityId}:{p.RowsDone}" : ((LogEvent)e).Message).Should().Equal("1:11", "2:21", "between");
    }

    [Fact]
    public void Progress_reported_after_the_reader_took_an_activity_is_read_again()
    {
        var queue = new EngineEventQueue();
        queue.Report(Progress(1, 1));
        queue.TryRead(out var first).Should().BeTrue();
        ((ProgressEvent)first).RowsDone.Should().Be(1);

        queue.Report(Progress(1, 2));

        Drain(queue).OfType<ProgressEvent>().Select(p => p.RowsDone).Should().Equal(2);
    }
}
