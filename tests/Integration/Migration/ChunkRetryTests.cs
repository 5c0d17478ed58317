using System.Text.Json;
using Npgsql;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Tests.Integration.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// Retries belong to the chunk: a failed chunk waits out its back-off (<c>next_attempt_at</c>) while
/// the worker goes on with other chunks, and a claim's heartbeat survives failed beats.
/// </summary>
public sealed class ChunkRetryTests
{
    private static async Task<MigrationEnvironment> WithNumbers(int rows, string? faults = null)
    {
        var env = await MigrationEnvironment.StartAsync(faults is null ? null : o => o with { Faults = faults });
        await env.Source($"""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, {rows}) g;
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint, v text)");
        return env;
    }

    private const string NumbersTable = """[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";

    [Fact]
    public async Task A_failed_chunk_waits_for_its_next_attempt_while_the_worker_goes_on_with_other_chunks()
    {
        // One worker, so the order is deterministic: describe, plan, describe, then one statement per chunk.
        // The 5th statement (chunk 1) and the client's one retry of it are answered 503, so the chunk's attempt fails.
        await using var env = await WithNumbers(3000, faults: "503:every=5:times=1:on=submit,503:every=5:times=1:on=submit");
        var config = env.Config(NumbersTable, parallelThreads: 1, batchSize: 500, maxRetryAttempts: 3);
        var runner = new MigrationRunner(
            config,
            new MigrationOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(500), RetryBaseDelay = TimeSpan.FromSeconds(2) },
            EngineReporter.None,
            new SnowflakeClientOptions { MaxRetryAttempts = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(50) });

        var run = (await runner.RunAsync(CancellationToken.None)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        var chunks = await Chunks(env);
        var retried = chunks.Should().ContainSingle(c => c.Attempts == 2, "exactly the chunk whose statement was refused ran twice").Subject;
        var failedAt = FailedAt(retried.History);
        var retriedAt = retried.StartedAt;
        var next = chunks.Single(c => c.ChunkId == retried.ChunkId + 1);
        next.Attempts.Should().Be(1);
        next.StartedAt.Should().BeAfter(failedAt).And.BeBefore(retriedAt,
            "the worker went on with the next chunk while the failed one waited, instead of sleeping on its behalf");

        var nextAttemptAt = await env.TargetScalar<DateTime>(
            $"SELECT next_attempt_at FROM migration_status.migration_chunk_status WHERE chunk_id = {retried.ChunkId}");
        nextAttemptAt.Should().BeAfter(failedAt, "the back-off is recorded on the chunk");
        next.StartedAt.Should().BeBefore(nextAttemptAt, "the next chunk did not wait for the failed chunk's back-off");
        retriedAt.Should().BeOnOrAfter(nextAttemptAt, "the retry waited for its next_attempt_at");
    }

    [Fact]
    public async Task A_claims_heartbeat_goes_on_after_failed_beats()
    {
        // The chunk's statement (after describe, plan, describe) takes 2.5 s: five heartbeat intervals of 500 ms.
        await using var env = await WithNumbers(400, faults: "slow:every=4:times=1:ms=2500:on=submit");
        await using (var store = StatusStore.Create(env.TargetConnection))
        {
            await store.InstallSchemaAsync(CancellationToken.None);
        }

        // The first two heartbeats of a claim fail with a transient error; the beats that succeed are logged.
        await env.TargetSql("""
            CREATE SEQUENCE heartbeat_failures;
            CREATE TABLE heartbeats (chunk_id int, at timestamptz);
            CREATE FUNCTION fail_first_heartbeats() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('heartbeat_failures') <= 2 THEN
                    RAISE EXCEPTION 'heartbeat refused for the test' USING ERRCODE = '40001';
                END IF;
                INSERT INTO heartbeats VALUES (NEW.chunk_id, clock_timestamp());
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_first_heartbeats BEFORE UPDATE ON migration_status.migration_chunk_status
                FOR EACH ROW WHEN (OLD.status = 'in_progress' AND NEW.status = 'in_progress' AND OLD.claim_id = NEW.claim_id)
                EXECUTE FUNCTION fail_first_heartbeats();
            """);
        var config = env.Config(NumbersTable, parallelThreads: 1);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<long>("SELECT nextval('heartbeat_failures')")).Should().BeGreaterThan(3, "two beats failed and later ones were tried");
        (await env.TargetScalar<long>("SELECT count(*) FROM heartbeats")).Should().BeGreaterThan(0, "the claim kept beating after its failed beats");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task A_chunk_is_not_claimed_before_its_next_attempt_and_the_wait_for_it_is_reported()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        var first = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None))!;

        (await db.Store.Chunks.ReleaseChunkForRetryAsync(first, "503 from the source", TimeSpan.FromHours(1), CancellationToken.None)).Should().BeTrue();

        var other = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None))!;
        other.ChunkId.Should().NotBe(first.ChunkId, "the failed chunk is not due yet; the other one is");
        (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None)).Should().BeNull();
        var wait = await db.Store.Chunks.TimeUntilNextDueAsync(run.RunId, "orders", CancellationToken.None);
        wait.Should().BeCloseTo(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), "workers wait for the earliest retry instead of leaving");
        var waiting = (await db.Store.Chunks.ListChunksAsync(run.RunId, "orders", CancellationToken.None)).Single(c => c.ChunkId == first.ChunkId);
        waiting.Status.Should().Be(ProgressStatus.Pending);
        waiting.NextAttemptAt.Should().NotBeNull();

        // Once due (here: moved into the past), it is claimed again.
        await db.ExecuteAsync("UPDATE migration_status.migration_chunk_status SET next_attempt_at = now() - interval '1 second' WHERE chunk_id = @id", ("id", first.ChunkId));
        (await db.Store.Chunks.TimeUntilNextDueAsync(run.RunId, "orders", CancellationToken.None)).Should().Be(TimeSpan.Zero);
        (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w2", CancellationToken.None))!.ChunkId.Should().Be(first.ChunkId);
        (await db.Store.Chunks.TimeUntilNextDueAsync(run.RunId, "orders", CancellationToken.None)).Should().BeNull("nothing is pending any more");
    }

    private sealed record ChunkRow(int ChunkId, int Attempts, DateTime StartedAt, string History);

    private static async Task<List<ChunkRow>> Chunks(MigrationEnvironment env)
    {
        await using var connection = new NpgsqlConnection(env.TargetConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT chunk_id, attempts, started_at, error_history::text FROM migration_status.migration_chunk_status ORDER BY chunk_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ChunkRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new ChunkRow(reader.GetInt32(0), reader.GetInt32(1), reader.GetDateTime(2), reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>When the failed attempt was given back for a retry, from the chunk's history.</summary>
    private static DateTime FailedAt(string history)
    {
        using var entries = JsonDocument.Parse(history);
        var retry = entries.RootElement.EnumerateArray().Single(e => e.GetProperty("event").GetString() == "retry");
        return retry.GetProperty("at").GetDateTimeOffset().UtcDateTime;
    }
}
