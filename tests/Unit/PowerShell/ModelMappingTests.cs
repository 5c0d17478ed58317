using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.Tests.Unit.PowerShell;

/// <summary>Engine records become the module's pipeline objects field by field, statuses as the text users filter on.</summary>
public sealed class ModelMappingTests
{
    private static readonly Guid RunId = Guid.Parse("3f0c2a4e-8d1b-4c55-9f0e-2b7d6a1c9e47");
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly SfPgConnection Connection = new(StatusConnection.FromConnectionString("Host=pg01;Port=5433;Database=cm;Username=migration;Password=pw-Secret"));

    [Fact]
    public void A_run_record_maps_to_SfPgRun_with_its_connection()
    {
        var record = new RunRecord
        {
            RunId = RunId, SourceName = "analytics", ConfigHash = "abc", Status = RunStatus.CompletedWithErrors,
            StartedAt = Start, CompletedAt = Start.AddMinutes(90), HeartbeatAt = Start.AddMinutes(90), HeartbeatAge = TimeSpan.FromMinutes(5),
            HostName = "worker-1", ProcessId = 4242, ToolVersion = "0.1.0", TablesTotal = 4, TablesCompleted = 3, TablesFailed = 1,
            RowsExpected = 1000, RowsCopied = 900, Error = "orders: boom", StopReason = null,
        };

        var run = SfPgRun.From(record, Connection);

        run.RunId.Should().Be(RunId);
        run.Source.Should().Be("analytics");
        run.Status.Should().Be("completed_with_errors", "the stored text, as -Status takes it");
        run.StartedAt.Should().Be(Start);
        run.CompletedAt.Should().Be(Start.AddMinutes(90));
        run.Elapsed.Should().Be(TimeSpan.FromMinutes(90));
        run.HeartbeatAge.Should().Be(TimeSpan.FromMinutes(5));
        (run.TablesTotal, run.TablesCompleted, run.TablesFailed).Should().Be((4, 3, 1));
        (run.RowsExpected, run.RowsCopied).Should().Be((1000L, 900L));
        (run.HostName, run.ProcessId, run.ToolVersion, run.ConfigHash, run.Error).Should().Be(("worker-1", 4242, "0.1.0", "abc", "orders: boom"));
        run.Tables.Should().BeEmpty();
        run.Connection.Should().BeSameAs(Connection);
    }

    [Fact]
    public void A_run_result_maps_to_SfPgRun_with_its_tables()
    {
        var result = new RunResult
        {
            RunId = RunId, SourceName = "analytics", Status = RunStatus.CompletedWithErrors, Resumed = true, TargetDatabase = "cm",
            Elapsed = TimeSpan.FromSeconds(10), Error = "orders: failed",
            Tables =
            [
                new TableResult { Table = "payers", SourceTable = "ANALYTICS.BI.PAYERS", Status = ProgressStatus.Completed, Strategy = "ntile", LoadMethod = "copy",
                    Chunks = 4, RowsExpected = 400, RowsCopied = 400, RowsCopiedThisRun = 300, Elapsed = TimeSpan.FromSeconds(3), Verification = "rows match" },
                new TableResult { Table = "orders", SourceTable = "ANALYTICS.BI.ORDERS", Status = ProgressStatus.Failed, RowsExpected = 50, Error = "boom" },
            ],
        };

        var run = SfPgRun.From(result, Connection);

        run.Status.Should().Be("completed_with_errors");
        run.Resumed.Should().BeTrue();
        run.Elapsed.Should().Be(TimeSpan.FromSeconds(10));
        (run.TablesTotal, run.TablesCompleted, run.TablesFailed).Should().Be((2, 1, 1));
        (run.RowsExpected, run.RowsCopied).Should().Be((450L, 400L));
        run.Tables.Select(t => (t.Table, t.Status)).Should().Equal(("payers", "completed"), ("orders", "failed"));
        var payers = run.Tables[0];
        payers.RunId.Should().Be(RunId);
        payers.RowsCopiedThisRun.Should().Be(300);
        payers.RowsPerSecond.Should().Be(100, "300 rows this run in 3 seconds");
        payers.Verified.Should().BeTrue();
        run.Tables[1].Verified.Should().BeFalse();
        run.Tables[1].Error.Should().Be("boom");
    }

    [Fact]
    public void A_running_run_counts_its_tables_and_rows_from_its_summary_and_keeps_its_record()
    {
        var summary = new RunSummary
        {
            Run = new RunRecord
            {
                RunId = RunId, SourceName = "analytics", ConfigHash = "h", Status = RunStatus.Running, StartedAt = Start, HeartbeatAt = Start.AddMinutes(1),
                HeartbeatAge = TimeSpan.FromSeconds(3), HostName = "worker-1", ProcessId = 7, TablesTotal = 0, RowsCopied = 0,
            },
            Tables = new StatusCounts(1, 1, 2, 1, 1),
            Chunks = new StatusCounts(0, 0, 0, 0, 0),
            RowsCopied = 1000, RowsExpected = null, Elapsed = TimeSpan.FromMinutes(5),
        };

        var run = SfPgRun.From(summary, Connection);

        (run.TablesTotal, run.TablesCompleted, run.TablesFailed).Should().Be((6, 2, 2), "failed and incomplete tables both count as failed");
        (run.RowsExpected, run.RowsCopied).Should().Be((null, 1000L));
        run.Elapsed.Should().Be(TimeSpan.FromMinutes(5), "the summary's time, not the last heartbeat's");
        (run.Status, run.HostName, run.ProcessId, run.HeartbeatAt).Should().Be(("running", "worker-1", 7, Start.AddMinutes(1)));
    }

    [Fact]
    public void A_run_just_executed_takes_start_completion_host_and_stop_reason_from_its_record_and_the_rest_from_its_result()
    {
        var result = new RunResult
        {
            RunId = RunId, SourceName = "analytics", Status = RunStatus.Partial, TargetDatabase = "cm", StartedAt = Start.AddHours(1),
            Elapsed = TimeSpan.FromSeconds(10), Resumed = true,
            Tables = [new TableResult { Table = "payers", SourceTable = "P", Status = ProgressStatus.Completed, RowsExpected = 5, RowsCopied = 5 }],
        };
        var recorded = new RunRecord
        {
            RunId = RunId, SourceName = "analytics", ConfigHash = "h", Status = RunStatus.Partial, StartedAt = Start, CompletedAt = Start.AddHours(2),
            HeartbeatAt = Start.AddHours(2), HeartbeatAge = TimeSpan.FromSeconds(1), HostName = "worker-2", ProcessId = 9, ToolVersion = "1.0",
            StopReason = "deadline", TablesTotal = 40,
        };

        var run = SfPgRun.From(result, recorded, Connection);
        var unrecorded = SfPgRun.From(result, null, Connection);

        (run.StartedAt, run.CompletedAt, run.HostName, run.ConfigHash, run.StopReason).Should().Be((Start, Start.AddHours(2), "worker-2", "h", "deadline"));
        (run.TablesTotal, run.RowsCopied, run.Elapsed, run.Resumed).Should().Be((1, 5L, TimeSpan.FromSeconds(10), true), "counts come from what this process did");
        (unrecorded.StartedAt, unrecorded.CompletedAt, unrecorded.HostName, unrecorded.TablesTotal).Should().Be((Start.AddHours(1), null, null, 1));
    }

    [Fact]
    public void Failed_and_incomplete_tables_become_catalogue_errors_naming_run_and_table()
    {
        var run = SfPgRun.From(new RunResult
        {
            RunId = RunId, SourceName = "analytics", Status = RunStatus.Failed, TargetDatabase = "cm",
            Tables =
            [
                new TableResult { Table = "payers", SourceTable = "P", Status = ProgressStatus.Completed },
                new TableResult { Table = "orders", SourceTable = "O", Status = ProgressStatus.Failed, Error = "SFPG2102 target missing" },
                new TableResult { Table = "visits", SourceTable = "V", Status = ProgressStatus.Incomplete, Verification = "rows loaded 9 <> rows expected 10" },
            ],
        }, Connection);

        var errors = SnowPgMigration.PowerShell.Commands.SfPgMigrationCmdlet.FailedTables(run).ToList();

        errors.Select(e => e.Code).Should().Equal(ErrorCatalog.TableNotCompleted.Code, ErrorCatalog.TableNotCompleted.Code);
        errors.Select(e => e.Target).Should().Equal("orders", "visits");
        errors[0].Message.Should().Contain(RunId.ToString()).And.Contain("orders is failed: SFPG2102 target missing");
        errors[1].Message.Should().Contain("visits is incomplete: rows loaded 9 <> rows expected 10");
    }

    [Fact]
    public void A_run_summary_maps_to_SfPgRunStatus()
    {
        var summary = new RunSummary
        {
            Run = new RunRecord { RunId = RunId, SourceName = "analytics", ConfigHash = "h", Status = RunStatus.Running, StartedAt = Start, HeartbeatAt = Start, HeartbeatAge = TimeSpan.FromSeconds(3) },
            Tables = new StatusCounts(1, 1, 2, 1, 0),
            Chunks = new StatusCounts(3, 2, 10, 1, 4),
            RowsCopied = 1000, RowsExpected = 4000, Elapsed = TimeSpan.FromSeconds(30), RowsPerSecond = 33.3333, EstimatedTimeLeft = TimeSpan.FromSeconds(90),
        };

        var status = SfPgRunStatus.From(summary, Connection);

        status.Status.Should().Be("running");
        (status.TablesTotal, status.TablesCompleted, status.TablesFailed, status.TablesPending).Should().Be((5, 2, 1, 2));
        (status.ChunksTotal, status.ChunksPending, status.ChunksInProgress, status.ChunksCompleted, status.ChunksFailed, status.ChunksIncomplete)
            .Should().Be((20, 3, 2, 10, 1, 4));
        status.PercentComplete.Should().Be(50);
        status.RowsPerSecond.Should().Be(33.3);
        status.EstimatedTimeLeft.Should().Be(TimeSpan.FromSeconds(90));
        status.HeartbeatAge.Should().Be(TimeSpan.FromSeconds(3));
        status.Connection.Should().BeSameAs(Connection);
    }

    [Fact]
    public void A_table_status_record_maps_to_SfPgTableStatus()
    {
        var table = SfPgTableStatus.From(new TableStatusRecord
        {
            RunId = RunId, Table = "orders", SourceTable = "ANALYTICS.BI.ORDERS", TargetSchema = "bi", Status = ProgressStatus.InProgress,
            LoadMethod = "upsert", Strategy = "date_range", SourceRowCount = 400, RowsCopied = 100, RowsExpected = 400,
            Chunks = new StatusCounts(2, 1, 1, 0, 0), Verification = null, Error = null,
        }, Connection);

        (table.RunId, table.Table, table.SourceTable, table.TargetSchema, table.Status).Should().Be((RunId, "orders", "ANALYTICS.BI.ORDERS", "bi", "in_progress"));
        (table.LoadMethod, table.Strategy).Should().Be(("upsert", "date_range"));
        (table.ChunksTotal, table.ChunksCompleted, table.ChunksPending, table.ChunksInProgress).Should().Be((4, 1, 2, 1));
        table.PercentComplete.Should().Be(25);
        (table.RowsCopied, table.RowsExpected, table.SourceRowCount).Should().Be((100L, 400L, 400L));
    }

    [Fact]
    public void A_chunk_record_maps_to_SfPgChunk()
    {
        var chunk = SfPgChunk.From(new ChunkRecord
        {
            RunId = RunId, Table = "orders", ChunkId = 7, Strategy = "ntile", Predicate = "\"ID\" > 600 AND \"ID\" <= 700", BoundsJson = "{\"lower\": 600}",
            ExpectedRows = 100, RowsCopied = 0, Status = ProgressStatus.Failed, Attempts = 3, WorkerId = "host:1:orders", HeartbeatAge = TimeSpan.FromMinutes(4),
            Error = "connection reset", ErrorHistoryJson = "[{\"event\": \"error\"}]",
        }, Connection);

        (chunk.RunId, chunk.Table, chunk.ChunkId, chunk.Status, chunk.Attempts).Should().Be((RunId, "orders", 7, "failed", 3));
        chunk.Predicate.Should().Be("\"ID\" > 600 AND \"ID\" <= 700");
        chunk.Bounds.Should().Be("{\"lower\": 600}");
        (chunk.ExpectedRows, chunk.RowsCopied).Should().Be((100L, 0L));
        (chunk.WorkerId, chunk.Error, chunk.ErrorHistory).Should().Be(("host:1:orders", "connection reset", "[{\"event\": \"error\"}]"));
        chunk.HeartbeatAge.Should().Be(TimeSpan.FromMinutes(4));
    }

    [Fact]
    public void A_config_finding_maps_to_SfPgConfigFinding()
    {
        var finding = SfPgConfigFinding.From(new ConfigFinding
        {
            Severity = ConfigFindingSeverity.Error, Error = ErrorCatalog.ConfigUnknownKey, Path = "sources[0].tables[1].sort_colums",
            Message = "unknown key 'sort_colums'; did you mean 'sort_columns'?", Hint = "Remove the key", File = "c.json", Line = 12, Column = 5,
        });

        (finding.Severity, finding.Code, finding.Path).Should().Be(("Error", "SFPG1003", "sources[0].tables[1].sort_colums"));
        finding.Message.Should().Contain("did you mean");
        (finding.Hint, finding.File, finding.Line, finding.Column).Should().Be(("Remove the key", "c.json", 12, 5));
        finding.ToString().Should().Be("Error SFPG1003 sources[0].tables[1].sort_colums: unknown key 'sort_colums'; did you mean 'sort_columns'?");
    }

    [Fact]
    public void A_dry_run_maps_to_SfPgPlan_with_its_chunks()
    {
        var plan = SfPgPlan.From(new TableDryRun
        {
            SourceName = "analytics", SourceTable = "ANALYTICS.BI.ORDERS", Table = "bi.orders", Strategy = "ntile", StrategyReason = "int key",
            LoadMethod = "copy", LoadMethodReason = "target empty", Warnings = ["column X skipped"],
            Chunks =
            [
                new PlannedChunk(0, ChunkStrategy.KeyRange, "\"ID\" <= 10", new ChunkBounds("ID", Upper: "10"), 10),
                new PlannedChunk(1, ChunkStrategy.KeyRange, "\"ID\" > 10", new ChunkBounds("ID", Lower: "10"), 30),
            ],
        });

        (plan.Source, plan.SourceTable, plan.Table, plan.Strategy, plan.LoadMethod).Should().Be(("analytics", "ANALYTICS.BI.ORDERS", "bi.orders", "ntile", "copy"));
        (plan.ChunkCount, plan.ExpectedRows, plan.MinChunkRows, plan.MaxChunkRows).Should().Be((2, 40L, 10L, 30L));
        plan.Chunks.Select(c => (c.ChunkId, c.Predicate, c.ExpectedRows)).Should().Equal((0, "\"ID\" <= 10", 10L), (1, "\"ID\" > 10", 30L));
        plan.Warnings.Should().Equal("column X skipped");
        plan.Error.Should().BeNull();
    }

    [Fact]
    public void A_connection_shows_where_it_points_but_never_the_password()
    {
        Connection.ToString().Should().Be("migration@pg01:5433/cm");
        (Connection.Host, Connection.Port, Connection.Database, Connection.UserName).Should().Be(("pg01", 5433, "cm", "migration"));
        typeof(SfPgConnection).GetProperties().Select(p => p.GetValue(Connection)?.ToString() ?? "").Should().NotContain(v => v.Contains("pw-Secret"));
    }
}
