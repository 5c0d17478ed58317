using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// A completed chunk reset with force and loaded again replaces its own rows: the target ends equal
/// to the source in every load method and chunk strategy, never doubled, never short.
/// </summary>
public sealed class ChunkReloadTests
{
    private static async Task<MigrationEnvironment> WithNumbers(string targetDdl)
    {
        var env = await MigrationEnvironment.StartAsync();
        // 3,000 keyed rows in three ranges of 1,000, and five rows with a NULL key in their own chunk.
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "CODE" text, "AT" timestamp);
            INSERT INTO "PUBLIC"."NUMBERS"
            SELECT g, 'code-' || (g % 7), timestamp '2024-01-01' + g * interval '97 minutes' FROM generate_series(1, 3000) g;
            INSERT INTO "PUBLIC"."NUMBERS" SELECT NULL, 'no key ' || g, NULL FROM generate_series(1, 5) g;
            """);
        await env.TargetSql(targetDdl);
        return env;
    }

    private static string Table(string extra = "", string key = "ID", string type = "int") =>
        $$"""[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["{{key}}"], "chunking_column_types": ["{{type}}"]{{extra}} } ]""";

    /// <summary>Runs the table to completion, resets the given completed chunks with force, and resumes.</summary>
    private static async Task<(RunResult First, RunResult Resumed)> LoadResetAndResume(MigrationEnvironment env, MigrationConfig config, params int[] chunkIds)
    {
        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);
        await using (var store = StatusStore.Create(env.TargetConnection))
        {
            foreach (var chunkId in chunkIds)
            {
                var reset = await store.Administration.ResetChunkAsync(first.RunId, "numbers", chunkId, force: true, CancellationToken.None);
                reset.Before.Status.Should().Be(ProgressStatus.Completed);
                reset.Before.RowsCopied.Should().BeGreaterThan(0, "the reset chunk had rows in the target");
            }
        }

        var resumed = (await env.RunAsync(config)).Runs.Single();
        resumed.RunId.Should().Be(first.RunId);
        resumed.Resumed.Should().BeTrue();
        return (first, resumed);
    }

    private static Task<(int ExitCode, string Output, string Error)> SfpgResetChunk(MigrationEnvironment env, Guid runId, int chunkId) =>
        SfpgProcess.RunAsync(TimeSpan.FromMinutes(1), "reset-chunk", "--connection", env.TargetConnection,
            "--run-id", runId.ToString(), "--table", "numbers", "--chunk-id", chunkId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--force");

    [Fact]
    public async Task A_reset_completed_chunk_of_a_keyless_copy_table_is_replaced_not_doubled()
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint, code text, at timestamp)");
        var config = env.Config(Table());
        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);
        first.Tables.Single().LoadMethod.Should().Be("copy");

        foreach (var chunkId in new[] { 1, 3 })
        {
            var reset = await SfpgResetChunk(env, first.RunId, chunkId);
            reset.ExitCode.Should().Be(0, reset.Error);
            reset.Output.Should().Contain("completed -> pending");
        }

        var resumed = (await env.RunAsync(config)).Runs.Single();

        resumed.RunId.Should().Be(first.RunId);
        resumed.Status.Should().Be(RunStatus.Completed, resumed.Error);
        resumed.RowsCopied.Should().Be(1005, "chunk 1 (1,000 rows) and the NULL-key chunk (5 rows) were loaded again");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE replace_rows")).Should().Be(0,
            "a chunk replaces its rows once, in the transaction that completes it");
    }

    [Fact]
    public async Task A_reset_completed_chunk_of_a_keyed_copy_table_reloads_without_duplicate_key_errors()
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint UNIQUE, code text, at timestamp)");
        var config = env.Config(Table(""", "uniqueness_columns": ["id"]"""));

        var (first, resumed) = await LoadResetAndResume(env, config, 0);

        first.Tables.Single().LoadMethod.Should().Be("copy", "the target was empty");
        resumed.Status.Should().Be(RunStatus.Completed, resumed.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Theory]
    [InlineData(false, "upsert")]
    [InlineData(true, "insert_only")]
    public async Task A_reset_completed_chunk_of_an_upsert_or_insert_only_table_reloads_idempotently(bool insertOnly, string method)
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint UNIQUE, code text, at timestamp)");
        // NULL keys cannot be upserted (NullUniquenessKeyTests); one row already there (the same as the
        // source's) makes the table upsert or insert-only.
        await env.Source("""DELETE FROM "PUBLIC"."NUMBERS" WHERE "ID" IS NULL""");
        await env.TargetSql("INSERT INTO numbers VALUES (1, 'code-1', timestamp '2024-01-01' + interval '97 minutes')");
        var config = env.Config(Table($$""", "uniqueness_columns": ["id"], "insert_only_mode": {{(insertOnly ? "true" : "false")}}"""));

        var (first, resumed) = await LoadResetAndResume(env, config, 0, 2);

        first.Tables.Single().LoadMethod.Should().Be(method);
        resumed.Status.Should().Be(RunStatus.Completed, resumed.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetScalar<long>("SELECT count(*) - count(DISTINCT id) FROM numbers")).Should().Be(0);
    }

    [Fact]
    public async Task Reset_chunks_of_date_ranges_and_of_grouped_text_values_with_their_remainder_are_replaced_exactly()
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint, code text COLLATE \"en-x-icu\", at timestamp)");
        await env.TargetSql("CREATE TABLE numbers_by_code (id bigint, code text COLLATE \"en-x-icu\", at timestamp)");
        var tables = $$"""
            [ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["AT"], "chunking_column_types": ["timestamp"], "truncate_onstart": true },
              { "source": "NUMBERS", "target": "numbers_by_code", "chunking_columns": ["CODE"], "chunking_column_types": ["text"], "chunking_strategy": "grouped_values" } ]
            """;
        var config = env.Config(tables, batchSize: 1000);
        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);
        var dateChunks = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE table_name = 'numbers'");
        var codeChunks = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE table_name = 'numbers_by_code'");
        dateChunks.Should().BeGreaterThan(2);
        codeChunks.Should().BeGreaterThan(2);

        await using (var store = StatusStore.Create(env.TargetConnection))
        {
            await store.Administration.ResetChunkAsync(first.RunId, "numbers", 1, force: true, CancellationToken.None);
            await store.Administration.ResetChunkAsync(first.RunId, "numbers", (int)dateChunks - 1, force: true, CancellationToken.None);
            await store.Administration.ResetChunkAsync(first.RunId, "numbers_by_code", 0, force: true, CancellationToken.None);
            // The remainder: the NULL codes and every code no other chunk lists.
            await store.Administration.ResetChunkAsync(first.RunId, "numbers_by_code", (int)codeChunks - 1, force: true, CancellationToken.None);
        }

        var resumed = (await env.RunAsync(config)).Runs.Single();

        resumed.Status.Should().Be(RunStatus.Completed, resumed.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetFingerprint("numbers_by_code")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task A_completed_offset_page_is_refused_by_a_forced_reset_and_stays_completed()
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint, code text, at timestamp)");
        var config = env.Config(Table(""", "chunking_strategy": "offset" """));
        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);
        await using var store = StatusStore.Create(env.TargetConnection);

        var refused = () => store.Administration.ResetChunkAsync(first.RunId, "numbers", 1, force: true, CancellationToken.None);

        var error = (await refused.Should().ThrowAsync<SfPgException>()).Which;
        error.Error.Should().Be(ErrorCatalog.ChunkReloadRangeUnavailable);
        error.Message.Should().Contain("numbers").And.Contain("offset page").And.Contain(first.RunId.ToString());
        var cli = await SfpgResetChunk(env, first.RunId, 1);
        cli.ExitCode.Should().Be(1);
        cli.Error.Should().Contain("SFPG4030").And.Contain("fix:");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_chunk_status WHERE table_name = 'numbers' AND chunk_id = 1"))
            .Should().Be("completed");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
    }
}
