using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>Deadlines, cancellation and the resume rules; the run's status is persisted on every path.</summary>
public sealed class ResumeTests
{
    // Every chunk's statement waits before it runs, so a run takes long enough to be stopped part-way.
    private static MigrationEnvironment.Options Slow(int ms) => o => o with { Faults = $"slow:every=1:ms={ms}:on=submit" };

    private static async Task<MigrationEnvironment> WithNumbers(int rows, int slowMs, bool uniqueTarget = false)
    {
        var env = await MigrationEnvironment.StartAsync(Slow(slowMs));
        await env.Source($"""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, {rows}) g;
            """);
        await env.TargetSql(uniqueTarget ? "CREATE TABLE numbers (id bigint PRIMARY KEY, v text)" : "CREATE TABLE numbers (id bigint, v text)");
        return env;
    }

    private const string NumbersTable = """[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";

    private const string NumbersWithKey = """
        [ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"] } ]
        """;

    [Fact]
    public async Task A_deadline_ends_the_run_partial_and_the_next_run_resumes_it_to_completion()
    {
        // 40 chunks of at least 250 ms each over two workers: 5 s of work, 3 s to claim in, planning included.
        await using var env = await WithNumbers(8000, slowMs: 250);
        var config = env.Config(NumbersTable, batchSize: 200, deadlineBufferSeconds: 1);

        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(4) })).Runs.Single();

        first.Status.Should().Be(RunStatus.Partial);
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("partial");
        var loaded = await env.TargetScalar<long>("SELECT count(*) FROM numbers");
        loaded.Should().BeGreaterThan(0).And.BeLessThan(8000);
        loaded.Should().Be(await env.TargetScalar<long>("SELECT coalesce(sum(rows_copied), 0)::bigint FROM migration_status.migration_chunk_status WHERE status = 'completed'"),
            "in-flight chunks finish or roll back: the rows loaded are exactly the completed chunks' rows");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'in_progress'")).Should().Be(0);

        var second = (await env.RunAsync(config)).Runs.Single();

        second.Resumed.Should().BeTrue();
        second.RunId.Should().Be(first.RunId);
        second.Status.Should().Be(RunStatus.Completed, second.Error);
        second.RowsCopied.Should().Be(8000 - loaded, "a resume copies only the chunks not completed");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
    }

    [Fact]
    public async Task Resuming_by_run_id_without_a_source_resumes_only_the_source_that_owns_the_run()
    {
        await using var env = await WithNumbers(4000, slowMs: 200);
        await env.TargetSql("CREATE TABLE numbers_other (id bigint, v text)");
        var json = JsonNode.Parse(env.ConfigJson(NumbersTable, batchSize: 200))!;
        var other = json["sources"]![0]!.DeepClone();
        other["source_name"] = "other";
        other["tables"]![0]!["target"] = "numbers_other";
        json["sources"]!.AsArray().Add(other);
        var config = ConfigLoader.Parse(json.ToJsonString()).GetConfigOrThrow();
        var first = (await env.RunAsync(config, new MigrationOptions { Source = "test", MaxDuration = TimeSpan.FromSeconds(2) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);

        var resumed = await env.RunAsync(config, new MigrationOptions { ResumeRunId = first.RunId });

        var run = resumed.Runs.Should().ContainSingle("only the source that owns the run is resumed").Subject;
        run.RunId.Should().Be(first.RunId);
        run.SourceName.Should().Be("test");
        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<long>("SELECT count(*) FROM numbers")).Should().Be(4000);
        (await env.TargetScalar<long>("SELECT count(*) FROM numbers_other")).Should().Be(0);

        var unknown = () => env.RunAsync(config, new MigrationOptions { ResumeRunId = Guid.NewGuid() });
        (await unknown.Should().ThrowAsync<SfPgException>()).Which.Code.Should().Be("SFPG4003");
    }

    [Fact]
    public async Task Cancellation_ends_the_run_cancelled_and_the_next_run_resumes_it()
    {
        await using var env = await WithNumbers(5000, slowMs: 250);
        var config = env.Config(NumbersTable, batchSize: 200);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var first = (await env.RunAsync(config, cancellationToken: cancel.Token)).Runs.Single();

        first.Status.Should().Be(RunStatus.Cancelled);
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("cancelled");
        (await env.TargetScalar<string>("SELECT error FROM migration_status.migration_runs")).Should().Contain("cancelled");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'in_progress'")).Should().Be(0,
            "a cancelled attempt gives its chunk back");
        var loaded = await env.TargetScalar<long>("SELECT count(*) FROM numbers");
        loaded.Should().BeLessThan(5000);

        var second = (await env.RunAsync(config)).Runs.Single();

        second.RunId.Should().Be(first.RunId);
        second.Status.Should().Be(RunStatus.Completed, second.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task No_resume_starts_fresh_over_a_partly_loaded_target_without_duplicate_key_errors()
    {
        // 50 chunks of at least 250 ms over two workers (over 6 s of work); 3 s to claim in, planning included.
        await using var env = await WithNumbers(10000, slowMs: 250, uniqueTarget: true);
        var config = env.Config(NumbersWithKey, batchSize: 200);
        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(4) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);
        (await env.TargetScalar<long>("SELECT count(*) FROM numbers")).Should().BeGreaterThan(0);

        var fresh = (await env.RunAsync(config, new MigrationOptions { NoResume = true })).Runs.Single();

        fresh.RunId.Should().NotBe(first.RunId);
        fresh.Resumed.Should().BeFalse();
        fresh.Status.Should().Be(RunStatus.Completed, fresh.Error);
        fresh.Tables.Single().LoadMethod.Should().Be("upsert", "the target already has rows and the table has uniqueness columns");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetColumn<string>("SELECT status FROM migration_status.migration_runs ORDER BY started_at"))
            .Should().Equal("partial", "completed");
    }

    [Fact]
    public async Task The_newest_unfinished_run_is_resumed_and_one_older_than_the_window_stops_the_command_naming_both_choices()
    {
        await using var env = await WithNumbers(4000, slowMs: 150, uniqueTarget: true);
        var config = env.Config(NumbersWithKey, batchSize: 200);
        var older = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(1.5) })).Runs.Single();
        var newer = (await env.RunAsync(config, new MigrationOptions { NoResume = true, MaxDuration = TimeSpan.FromSeconds(1.5) })).Runs.Single();
        older.Status.Should().Be(RunStatus.Partial);
        newer.Status.Should().Be(RunStatus.Partial);

        // Within the window: the newest unfinished run is the one resumed.
        var resumed = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(1.5) })).Runs.Single();
        resumed.Resumed.Should().BeTrue();
        resumed.RunId.Should().Be(newer.RunId);

        // Both fall out of the window: the command stops, naming the newest run and the two ways on.
        await env.TargetSql("UPDATE migration_status.migration_runs SET heartbeat_at = now() - interval '169 hours'");
        var refused = async () => await env.RunAsync(config);
        var error = (await refused.Should().ThrowAsync<SfPgException>()).Which;
        error.Error.Should().Be(ErrorCatalog.ResumeWindowExpired);
        error.Code.Should().Be("SFPG4201");
        error.Message.Should().Contain(newer.RunId.ToString()).And.Contain($"--resume-run-id {newer.RunId}").And.Contain("--no-resume");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(2, "nothing new was started");

        // --resume-run-id picks a run whatever its age: here the older one. The newer run has loaded its table
        // since, so the older run leaves the table alone, naming the newer run and --force.
        var before = await env.TargetFingerprint("numbers");
        var byId = (await env.RunAsync(config, new MigrationOptions { ResumeRunId = older.RunId })).Runs.Single();
        byId.RunId.Should().Be(older.RunId);
        byId.Tables.Single().ErrorCode.Should().Be("SFPG4208");
        byId.Tables.Single().Error.Should().Contain(newer.RunId.ToString()).And.Contain("--force");
        (await env.TargetFingerprint("numbers")).Should().Be(before, "the superseded run wrote nothing");

        // With --force the table is re-planned inside the older run: keyed, so upserted over the newer run's rows.
        var forced = (await env.RunAsync(config, new MigrationOptions { ResumeRunId = older.RunId, Force = true })).Runs.Single();
        forced.Status.Should().Be(RunStatus.Completed, forced.Error);
        forced.Tables.Single().LoadMethod.Should().Be("upsert", "the target holds the newer run's rows");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetScalar<string>($"SELECT status FROM migration_status.migration_runs WHERE run_id = '{older.RunId}'")).Should().Be("completed");
        (await env.TargetScalar<string>($"SELECT status FROM migration_status.migration_runs WHERE run_id = '{newer.RunId}'")).Should().Be("partial");
    }

    [Fact]
    public async Task A_claim_of_a_process_on_this_host_that_has_ended_is_taken_over_at_once_without_waiting_for_it_to_go_stale()
    {
        await using var env = await WithNumbers(3000, slowMs: 150);
        var config = env.Config(NumbersTable, batchSize: 200);
        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(1.5) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);
        using var ended = System.Diagnostics.Process.Start("true")!;
        await ended.WaitForExitAsync();
        var worker = $"{Environment.MachineName}:{ended.Id}:numbers-1";
        var chunk = await env.TargetScalar<int>("SELECT min(chunk_id) FROM migration_status.migration_chunk_status WHERE status = 'pending'");
        await env.TargetSql($"""
            UPDATE migration_status.migration_chunk_status
            SET status = 'in_progress', worker_id = '{worker}', claim_id = gen_random_uuid(), heartbeat_at = now(), attempts = attempts + 1
            WHERE chunk_id = {chunk}
            """);
        // The claim's heartbeat is fresh: only the ended process lets the run take it over, as its error history says
        // (a takeover after ten minutes of staleness would say otherwise).
        var second = (await env.RunAsync(config, new MigrationOptions { StaleClaimAfter = TimeSpan.FromMinutes(10) })).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        (await env.TargetScalar<string>($"SELECT error_history::text FROM migration_status.migration_chunk_status WHERE chunk_id = {chunk}"))
            .Should().Contain("worker process ended").And.Contain(worker);
        env.Warnings().Should().ContainSingle(w => w.Contains($"chunk {chunk}: the process that claimed it has ended"));
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task A_stale_claim_of_a_vanished_worker_is_taken_over_and_completed()
    {
        await using var env = await WithNumbers(3000, slowMs: 150);
        var config = env.Config(NumbersTable, batchSize: 200);
        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(1.5) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);
        // A worker on another machine claimed a chunk, then went silent.
        var chunk = await env.TargetScalar<int>("SELECT min(chunk_id) FROM migration_status.migration_chunk_status WHERE status = 'pending'");
        await env.TargetSql($"""
            UPDATE migration_status.migration_chunk_status
            SET status = 'in_progress', worker_id = 'elsewhere:4242:numbers-1', claim_id = gen_random_uuid(),
                heartbeat_at = now() - interval '10 minutes', attempts = attempts + 1
            WHERE chunk_id = {chunk}
            """);

        var second = (await env.RunAsync(config, new MigrationOptions { StaleClaimAfter = TimeSpan.FromMinutes(1) })).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        (await env.TargetScalar<string>($"SELECT worker_id FROM migration_status.migration_chunk_status WHERE chunk_id = {chunk}"))
            .Should().NotBe("elsewhere:4242:numbers-1");
        (await env.TargetScalar<string>($"SELECT error_history::text FROM migration_status.migration_chunk_status WHERE chunk_id = {chunk}"))
            .Should().Contain("claim_taken_over").And.Contain("elsewhere:4242");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }
}
