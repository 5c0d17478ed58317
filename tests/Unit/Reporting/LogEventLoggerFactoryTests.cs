using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.Tests.Unit.Reporting;

/// <summary>The engine's one logger factory: what reaches a host, at which level, with which event id and values.</summary>
public sealed class LogEventLoggerFactoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_declared_message_arrives_with_its_event_id_name_values_category_and_the_clocks_time()
    {
        var clock = new FakeTimeProvider(Start);
        var received = new List<LogEvent>();
        var reporter = EngineReporter.Create(received.Add, _ => { }, EngineLogLevel.Information, clock);
        var runId = Guid.Parse("5b1f1d4e-6a1c-4f43-9b8e-0d3b5f1e2a11");
        clock.Advance(TimeSpan.FromMinutes(3));

        var copier = reporter.LoggerFactory.CreateLogger("SnowPgMigration.Engine.Execution.TableCopier");
        var runs = reporter.LoggerFactory.CreateLogger("runs");
        EngineLog.ChunkAttemptFailed(copier, "items", 7, 2, 5, "timeout", 1.5);
        EngineLog.RunEnded(runs, runId, "completed");

        received.Should().HaveCount(2);
        var failed = received[0];
        failed.At.Should().Be(Start.AddMinutes(3));
        failed.Level.Should().Be(EngineLogLevel.Warning);
        failed.EventId.Should().Be(4304);
        failed.EventName.Should().Be("ChunkAttemptFailed");
        failed.Category.Should().Be("SnowPgMigration.Engine.Execution.TableCopier");
        failed.Message.Should().Be("items chunk 7: attempt 2 of 5 failed (timeout); it may be retried in 1.5 s.");
        failed.Properties.Select(p => p.Key).Should().Equal("Table", "ChunkId", "Attempt", "MaxAttempts", "Reason", "DelaySeconds");
        failed.Properties.Should().Contain(new KeyValuePair<string, object?>("ChunkId", 7));
        received[1].Message.Should().Be($"Run {runId} ended completed.");
        received[1].Properties.Should().Contain(new KeyValuePair<string, object?>("RunId", runId));
    }

    [Fact]
    public void Detail_arrives_only_at_verbose_and_Npgsqls_chatter_only_at_debug()
    {
        var atInformation = Levels(EngineLogLevel.Information);
        var atVerbose = Levels(EngineLogLevel.Verbose);
        var atDebug = Levels(EngineLogLevel.Debug);

        atInformation.Should().Equal("engine:Information", "engine:Warning", "engine:Error", "Npgsql.Command:Warning", "Npgsql.Command:Error");
        atVerbose.Should().Equal("engine:Verbose", "engine:Information", "engine:Warning", "engine:Error", "Npgsql.Command:Warning", "Npgsql.Command:Error");
        atDebug.Should().Equal(
            "engine:Debug", "engine:Verbose", "engine:Information", "engine:Warning", "engine:Error",
            "Npgsql.Command:Debug", "Npgsql.Command:Verbose", "Npgsql.Command:Information", "Npgsql.Command:Warning", "Npgsql.Command:Error");
    }

    [Fact]
    public void Progress_travels_on_its_own_channel_and_never_as_a_log_line()
    {
        var logged = new List<LogEvent>();
        var progressed = new List<ProgressEvent>();
        var reporter = EngineReporter.Create(logged.Add, progressed.Add, EngineLogLevel.Debug);
        var progress = new ProgressEvent(Start, 1, null, "items", "copying", 50, 500, 1000, 100, Completed: false);

        reporter.Report(progress);

        progressed.Should().Equal(progress);
        logged.Should().BeEmpty();
    }

    private static List<string> Levels(EngineLogLevel minimum)
    {
        var received = new List<LogEvent>();
        var factory = EngineReporter.Create(received.Add, _ => { }, minimum).LoggerFactory;
        foreach (var category in new[] { "engine", "Npgsql.Command" })
        {
            var logger = factory.CreateLogger(category);
            foreach (var level in new[] { LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error })
            {
#pragma warning disable CA1848, CA1873, CA2254 // a raw call is the point: this is what Npgsql's own loggers do
                logger.Log(level, "{Category} at {Level}", category, level);
#pragma warning restore CA1848, CA1873, CA2254
            }
        }

        return received.Select(e => $"{e.Category}:{e.Level}").ToList();
    }
}
